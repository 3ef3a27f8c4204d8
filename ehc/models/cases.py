"""The case and its dated events: the facts every statutory clock is computed from."""

import secrets

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ehc.models.people import Child, Setting, Team

_REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"  # no 0/O, 1/I/L, U: easy to read aloud


def new_case_reference() -> str:
    """A short reference families can read over the phone, e.g. EHC-7KQ2-M9TB."""
    chars = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"EHC-{chars[:4]}-{chars[4:]}"


class Case(models.Model):
    """One request for an EHC needs assessment (or the LA becoming responsible without one)."""

    class RequesterType(models.TextChoices):
        PARENT = "parent", "Parent or carer"
        YOUNG_PERSON = "young_person", "Young person (16-25)"
        SCHOOL = "school", "School or setting"
        OTHER = "other", "Other (brought to the council's attention)"

    class Channel(models.TextChoices):
        ONLINE_FORM = "online_form", "Online form"
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        PHONE = "phone", "Phone"
        IN_PERSON = "in_person", "In person"
        COUNCIL = "council", "The council's own initiative"

    class Route(models.TextChoices):
        REQUEST = "request", "Request for an EHC needs assessment"
        TRANSFER_REVIEW = "transfer_review", "Transfer review of a Statement of SEN"
        IMPORTED = "imported", "Plan brought in from the council's previous system"

    class Stage(models.TextChoices):
        REQUEST_RECEIVED = "request_received", "Request received"
        DECIDING_TO_ASSESS = "deciding_to_assess", "Deciding whether to assess"
        ASSESSING = "assessing", "Gathering advice"
        DECIDING_TO_ISSUE = "deciding_to_issue", "Deciding whether to issue a plan"
        DRAFTING = "drafting", "Drafting the plan"
        DRAFT_ISSUED = "draft_issued", "Draft plan with the family"
        PLAN_ISSUED = "plan_issued", "Final plan issued"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        OPEN = "open", "Open"
        NOT_ASSESSED = "not_assessed", "Decided not to assess"
        NO_PLAN = "no_plan", "Assessed, no plan needed"
        PLAN_ISSUED = "plan_issued", "Plan issued"
        WITHDRAWN = "withdrawn", "Withdrawn by the family"
        MOVED_LA = "moved_la", "Moved to another local authority"

    reference = models.CharField(max_length=13, unique=True, default=new_case_reference)
    route = models.CharField(
        max_length=20,
        choices=Route.choices,
        default=Route.REQUEST,
        help_text="A transfer review runs on its own timescale (T8-T10), not the request clocks.",
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="cases")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases")
    assigned_caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    requester_type = models.CharField(max_length=20, choices=RequesterType.choices)
    requester_name = models.CharField(max_length=200, blank=True)
    request_channel = models.CharField(max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(
        null=True, blank=True, help_text="When the council actually received the request."
    )
    brought_to_attention_on = models.DateField(
        null=True,
        blank=True,
        help_text="Where there was no formal request: when the council became responsible (s.24).",
    )
    clock_starts_on = models.DateField(
        help_text="Day the statutory clock counts from (the deemed day of receipt)."
    )
    stage = models.CharField(
        max_length=30, choices=Stage.choices, default=Stage.REQUEST_RECEIVED, db_index=True
    )
    outcome = models.CharField(
        max_length=20, choices=Outcome.choices, default=Outcome.OPEN, db_index=True
    )
    closed_on = models.DateField(null=True, blank=True)
    requested_setting = models.ForeignKey(
        Setting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    possible_duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Another open case for what may be the same child: a caseworker must check.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        permissions = [
            ("progress_case", "Can record decisions and events on cases"),
            ("record_exception", "Can record a timescale exception"),
            ("view_all_cases", "Can see every team's cases"),
            ("reassign_case", "Can reassign cases and tasks"),
            ("view_dashboards", "Can see the managers' dashboards"),
            ("view_own_case", "Can see the cases they are a contact on"),
        ]
        indexes = [
            models.Index(fields=["team", "outcome"]),
            # Open cases per caseworker (the workload dashboard), from the index alone.
            models.Index(
                fields=["outcome", "assigned_caseworker", "id"], name="cases_by_outcome_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.outcome == self.Outcome.OPEN

    @property
    def arrived_on(self):
        """The calendar day the request actually arrived (the clock may start later: §1.1)."""
        from django.utils import timezone

        if self.received_at is not None:
            return timezone.localtime(self.received_at).date()
        return self.brought_to_attention_on or self.clock_starts_on


class CaseEvent(models.Model):
    """A dated fact about a case: a decision, a notice, a piece of advice. Never edited silently."""

    class Kind(models.TextChoices):
        REQUEST_RECEIVED = "request_received", "Request received"
        BROUGHT_TO_ATTENTION = "brought_to_attention", "Brought to the council's attention"
        CONSIDERING_NOTIFIED = (
            "considering_notified",
            "Relevant people told assessment is considered",
        )
        DECIDED_TO_ASSESS = "decided_to_assess", "Decided to assess"
        DECIDED_NOT_TO_ASSESS = "decided_not_to_assess", "Decided not to assess"
        ADVICE_REQUESTED = "advice_requested", "Advice requested"
        ADVICE_RECEIVED = "advice_received", "Advice received"
        DECIDED_TO_ISSUE = "decided_to_issue", "Decided to issue a plan"
        DECIDED_NOT_TO_ISSUE = "decided_not_to_issue", "Decided not to issue a plan"
        DRAFT_SERVED = "draft_served", "Draft plan sent to the family"
        REPRESENTATIONS_RECEIVED = (
            "representations_received",
            "Family's views on the draft received",
        )
        SETTING_CONSULTED = "setting_consulted", "Setting consulted"
        SETTING_REPLIED = "setting_replied", "Setting replied"
        FINAL_PLAN_ISSUED = "final_plan_issued", "Final plan issued"
        ANNUAL_REVIEW_HELD = "annual_review_held", "Annual review meeting held"
        # The life of a plan in force: what the family is told after each step of a review.
        REVIEW_MEETING_ARRANGED = "review_meeting_arranged", "Review meeting arranged"
        REVIEW_PLAN_KEPT = "review_plan_kept", "Review decision: plan kept as it is"
        AMENDMENTS_PROPOSED = "amendments_proposed", "Review decision: amendments proposed"
        AMENDED_PLAN_ISSUED = "amended_plan_issued", "Final amended plan issued"
        DECIDED_NOT_TO_AMEND = "decided_not_to_amend", "Decided not to amend the plan after all"
        DECIDED_TO_CEASE = "decided_to_cease", "Decided to stop maintaining the plan"
        PLAN_CEASED = "plan_ceased", "Plan ceased"
        WITHDRAWN = "withdrawn", "Request withdrawn"
        MOVED_LA = "moved_la", "Moved to another local authority"
        NOTE = "note", "Note"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    occurred_on = models.DateField()
    subject_key = models.CharField(
        max_length=60,
        blank=True,
        help_text="Which adviser, setting or item the event is about, e.g. 'advice:12'.",
    )
    summary = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["occurred_on", "id"]
        indexes = [models.Index(fields=["case", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on:%d %b %Y}"
