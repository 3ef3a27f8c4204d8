"""The search index: one row of normalised text per indexed record (see ehc.search)."""

from django.db import models


class SearchDocument(models.Model):
    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    scope = models.BigIntegerField(null=True, blank=True)
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_once")
        ]
        indexes = [models.Index(fields=["kind", "scope"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
