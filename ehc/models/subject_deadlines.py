"""Clocks that belong to no case: a directory record's review, an action promised in answer to
a comment, the next yearly report. Kept by ehc.services.subject_deadlines for the app that owns
the subject; alerts and the managers' dashboards read them like case deadlines.

A row's due date never changes: moving a clock (a record given a new review date, an action
re-dated) closes the row as superseded and opens a new one, and checking a record meets the row
and opens the next. So each row is one period with one due date, its alerts (one per row, rule,
person and channel) fire once per due date, and the rows are the clock's history. At most one
row per rule and subject is open.

The subject is named, not linked: ``subject_type`` (a key the app registered in
``ehc.subject_types``) and ``subject_id`` (its primary key as text), so the core needs no
foreign key to an app's table.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class SubjectDeadline(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        MET = "met", "Met"
        BREACHED = "breached", "Missed"
        NOT_NEEDED = "not_needed", "No longer applies"
        SUPERSEDED = "superseded", "Moved to a new date"

    kind = models.CharField(max_length=20, help_text="Rule code in ehc.timescales, e.g. LO1.")
    subject_type = models.CharField(
        max_length=60, help_text="What the clock is about, as registered in ehc.subject_types."
    )
    subject_id = models.CharField(max_length=64, help_text="The subject's primary key, as text.")
    title = models.CharField(max_length=200)
    legal_basis = models.CharField(max_length=200)
    explanation = models.TextField(help_text="Why the due date is what it is.")
    starts_on = models.DateField()
    due_on = models.DateField()
    met_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    is_open = models.BooleanField(default=True, help_text="Still waiting to be done.")
    source = models.CharField(max_length=30, help_text="The app that keeps this row.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id"],
                condition=Q(is_open=True),
                name="one_open_subject_deadline_per_rule",
            ),
            models.CheckConstraint(
                condition=Q(is_open=False) | Q(met_on__isnull=True),
                name="subject_deadline_met_is_closed",
            ),
        ]
        indexes = [
            # A subject's clocks (its app looks up the open one; history reads the rest).
            models.Index(
                fields=["subject_type", "subject_id", "kind"], name="subject_deadlines_by_subject"
            ),
            # The alert sweep: open clocks by due date.
            models.Index(fields=["is_open", "due_on"], name="open_subject_deadlines_by_due"),
            # The dashboard: open clocks of each kind by due date, read from the index.
            models.Index(
                fields=["kind", "due_on", "id"],
                condition=Q(is_open=True),
                name="open_subject_deadlines_by_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_type}:{self.subject_id} due {self.due_on:%d %b %Y}"

    @property
    def met_late(self) -> bool:
        return self.met_on is not None and self.met_on > self.due_on


class SubjectDeadlineOwner(models.Model):
    """One person who answers for a clock: a user (told in the service and by email) or an
    address without a login (told by email). Kept by ehc.services.subject_deadlines from what the
    subject's app says (ehc.subject_types), so alerts reach whoever keeps the subject now."""

    deadline = models.ForeignKey(SubjectDeadline, on_delete=models.CASCADE, related_name="owners")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(blank=True)
    key = models.CharField(max_length=270, help_text="'user:<id>' or 'email:<address>'.")

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["deadline", "key"], name="one_owner_row_per_person"),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""), name="subject_owner_is_someone"
            ),
        ]

    def __str__(self) -> str:
        return self.key
