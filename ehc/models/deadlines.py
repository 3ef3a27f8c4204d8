"""Statutory deadlines as rows, and the exceptions recorded against them.

Rows are recomputed out of a case's events by ehc.services.deadlines; alerts, queues and
dashboards are indexed queries over them.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ehc.models.cases import Case, CaseEvent


class Deadline(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        MET = "met", "Met"
        BREACHED = "breached", "Missed"
        DISAPPLIED = "disapplied", "Time limit disapplied by an exception"
        SUPERSEDED = "superseded", "Superseded"
        NOT_NEEDED = "not_needed", "No longer applies"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=20, help_text="Rule code from the spec, e.g. A2, A13.")
    subject_key = models.CharField(max_length=60, blank=True, default="")
    title = models.CharField(max_length=200)
    legal_basis = models.CharField(max_length=200)
    rule_version = models.CharField(max_length=60)
    calendar_version = models.CharField(max_length=60)
    explanation = models.TextField(help_text="Why the due date is what it is.")
    starts_on = models.DateField()
    due_on = models.DateField()
    met_on = models.DateField(null=True, blank=True)
    days_taken = models.PositiveIntegerField(
        null=True, blank=True, help_text="Days from the clock's start to the day it was met."
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    is_open = models.BooleanField(
        default=True, help_text="Still waiting to be done (not met, not superseded, still needed)."
    )
    is_guidance = models.BooleanField(
        default=False, help_text="A Code of Practice date, not a statutory limit."
    )
    is_family_window = models.BooleanField(
        default=False, help_text="A period the family has, which the council must not cut short."
    )
    started_by = models.ForeignKey(
        CaseEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(
        max_length=30,
        default="events",
        help_text="Who keeps this row: 'events' (recomputed from the case's events) or the app "
        "that tracks it through ehc.services.deadline_track (e.g. personal_budgets).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "subject_key"], name="one_deadline_per_rule_and_subject"
            )
        ]
        indexes = [
            models.Index(fields=["is_open", "due_on"], name="open_deadlines_by_due"),
            models.Index(fields=["kind", "status"], name="deadlines_by_kind_status"),
            # Covering: the dashboards' timeliness figures read only the index.
            models.Index(
                fields=["kind", "met_on", "due_on", "status", "days_taken", "id"],
                name="deadlines_met_by_kind_cover",
            ),
            # Deadlines at risk: every open statutory deadline by kind and due date, read from
            # the index alone.
            models.Index(
                fields=["kind", "due_on", "id"],
                condition=models.Q(is_open=True, is_family_window=False),
                name="open_statutory_by_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} {self.kind} due {self.due_on:%d %b %Y}"

    @property
    def excused(self) -> bool:
        return self.status == self.Status.DISAPPLIED

    @property
    def met_late(self) -> bool:
        return self.met_on is not None and self.met_on > self.due_on


class TimescaleException(models.Model):
    """A reason the regulations allow for not meeting a time limit (spec §1.3).

    It never moves the due date: the deadline is marked disapplied and both are shown.
    """

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="exceptions")
    code = models.CharField(max_length=40)
    starts_on = models.DateField()
    ends_on = models.DateField()
    evidence = models.TextField()
    reasoning = models.TextField(
        help_text="Why the exception made meeting the time limit impractical."
    )
    family_told_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return f"{self.code} on {self.deadline}"
