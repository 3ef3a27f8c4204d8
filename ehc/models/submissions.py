"""One row per form submission that changed something, so the same submission sent twice (a
double click, a resent request, ten tabs) is recorded once."""

from django.db import models


class FormSubmission(models.Model):
    token = models.UUIDField(unique=True)
    path = models.CharField(max_length=500)
    location = models.CharField(max_length=2000, blank=True)  # where the first one went
    submitted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.path} {self.token}"
