"""What came with a request made through the public form: its submission key and documents.

The family's own words (what the child finds hard, support so far, views, interests and
aspirations) live on the request's CaseEvent, in ``details``; these rows hold only what needs a
constraint (one case per submission) or a file.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from ehc.models.cases import Case


class OnlineRequestSubmission(models.Model):
    """One per submitted online request: the unique key makes a double submit create one case."""

    key = models.UUIDField(unique=True, help_text="Idempotency key from the form.")
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="online_submission")
    submitted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Online request {self.key} ({self.case.reference})"


class RequestDocument(models.Model):
    """A supporting document sent with a request. Stored under MEDIA_ROOT, never served directly:
    only through an access-checked view."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="request_documents")
    file = models.FileField(max_length=255)
    original_name = models.CharField(max_length=200, help_text="The name it was uploaded with.")
    content_type = models.CharField(max_length=100, help_text="Detected from the content.")
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name
