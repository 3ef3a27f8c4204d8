"""Alert rules, the notifications they produce (the outbox), and the sweep's bookkeeping.

A Notification row is the unit of delivery and the source of truth: the broker only carries its
id. Its unique key (deadline or event, rule, recipient, channel) is what makes a second sweep, a
second beat or a retried task harmless.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ehc import timescales
from ehc.models import Case, CaseEvent, Deadline, SubjectDeadline
from notifications.audiences import audience_choices, reason_choices
from notifications.family_news import CORE_FAMILY_EVENT_KINDS, family_event_kinds

# Events a family is waiting for: the assessment's, and those apps register (family_news).
FAMILY_EVENT_KINDS = CORE_FAMILY_EVENT_KINDS
MAX_LEAD_WORKING_DAYS = 60

NEEDS_LEAD = "Say how many working days before the deadline to send this alert."
LEAD_ONLY_FOR_DUE_SOON = "Only a 'deadline coming up' alert is sent a number of days before."
LEAD_TOO_FAR = f"Choose a number of working days from 0 to {MAX_LEAD_WORKING_DAYS}."
UNKNOWN_DEADLINE_KIND = "'{kind}' is not a deadline this service tracks."
EVENTS_ONLY_FOR_FAMILY_EVENTS = "Only an 'update for the family' alert is sent when events happen."
NEEDS_EVENT_KINDS = "Choose at least one event the family is waiting for."
UNKNOWN_EVENT_KIND = "'{kind}' is not an event the family is told about."
FAMILY_EVENTS_GO_TO_FAMILY = "An update for the family can only be sent to the family."
NEEDS_A_CHANNEL = "Choose email, the notifications page, or both."


def deadline_kind_choices() -> list[tuple[str, str]]:
    """Every deadline code the statutory calendar knows, labelled for a manager."""
    return [(code, f"{code}: {rule.title}") for code, rule in timescales.RULES.items()]


class AlertRule(models.Model):
    """Who is told what, and when. Managers edit these; the sweep reads the active ones."""

    class Trigger(models.TextChoices):
        DUE_SOON = "due_soon", "A deadline is coming up"
        OVERDUE = "overdue", "A deadline has been missed"
        FAMILY_EVENT = "family_event", "Something the family is waiting for has happened"

    class Audience(models.TextChoices):
        CASEWORKER = "caseworker", "The assigned caseworker (team managers if nobody is assigned)"
        MANAGERS = "managers", "The team's managers"
        FAMILY = "family", "The family (contacts with an email address)"
        OWNERS = "owners", "Whoever keeps the record (deadlines without a case)"

    name = models.CharField(max_length=100)
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    audience = models.CharField(max_length=20, choices=audience_choices)
    deadline_kinds = models.JSONField(
        default=list,
        blank=True,
        help_text="Deadline codes (e.g. A2, A13) this rule covers; empty means every deadline.",
    )
    event_kinds = models.JSONField(
        default=list, blank=True, help_text="For family updates: which case events to tell about."
    )
    working_days_before = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="For deadlines coming up: 0 means on the last working day before it is due.",
    )
    send_email = models.BooleanField(default=True)
    show_in_app = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["trigger", "audience", "-working_days_before", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self._clean_lead(errors)
        self._clean_kinds(errors)
        if not (self.send_email or self.show_in_app):
            errors["send_email"] = NEEDS_A_CHANNEL
        if errors:
            raise ValidationError(errors)

    def _clean_lead(self, errors: dict[str, str]) -> None:
        lead = self.working_days_before
        if self.trigger == self.Trigger.DUE_SOON:
            if lead is None:
                errors["working_days_before"] = NEEDS_LEAD
            elif lead > MAX_LEAD_WORKING_DAYS:
                errors["working_days_before"] = LEAD_TOO_FAR
        elif lead is not None:
            errors["working_days_before"] = LEAD_ONLY_FOR_DUE_SOON

    def _clean_kinds(self, errors: dict[str, str]) -> None:
        unknown = [k for k in self.deadline_kinds if k not in timescales.RULES]
        if unknown:
            errors["deadline_kinds"] = UNKNOWN_DEADLINE_KIND.format(kind=unknown[0])
        if self.trigger == self.Trigger.FAMILY_EVENT:
            if self.audience != self.Audience.FAMILY:
                errors["audience"] = FAMILY_EVENTS_GO_TO_FAMILY
            known = family_event_kinds()
            wrong = [k for k in self.event_kinds if k not in known]
            if not self.event_kinds:
                errors["event_kinds"] = NEEDS_EVENT_KINDS
            elif wrong:
                errors["event_kinds"] = UNKNOWN_EVENT_KIND.format(kind=wrong[0])
        elif self.event_kinds:
            errors["event_kinds"] = EVENTS_ONLY_FOR_FAMILY_EVENTS

    def covers_kinds_of(self, other: "AlertRule") -> bool:
        """True when every deadline kind `other` alerts on is one this rule alerts on too."""
        if not self.deadline_kinds:
            return True
        return bool(other.deadline_kinds) and set(other.deadline_kinds) <= set(self.deadline_kinds)

    def deadline_kind_labels(self) -> list[str]:
        return list(self.deadline_kinds) or ["Every deadline"]

    def event_kind_labels(self) -> list[str]:
        return [CaseEvent.Kind(k).label for k in self.event_kinds if k in CaseEvent.Kind.values]


class Notification(models.Model):
    """One message to one recipient on one channel: the outbox row and the in-app item."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        IN_APP = "in_app", "Notifications page"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Not needed"

    class Reason(models.TextChoices):
        ASSIGNED = "assigned", "Assigned caseworker"
        UNASSIGNED = "unassigned", "Team manager: no caseworker assigned"
        TEAM_MANAGER = "team_manager", "Team manager"
        FAMILY = "family", "Family"
        OWNER = "owner", "Keeps the record"

    rule = models.ForeignKey(AlertRule, on_delete=models.PROTECT, related_name="notifications")
    deadline = models.ForeignKey(
        Deadline, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey(
        CaseEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subject_deadline = models.ForeignKey(
        SubjectDeadline, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty only for a deadline without a case (subject_deadline).",
    )
    trigger = models.CharField(max_length=20, choices=AlertRule.Trigger.choices)
    reason = models.CharField(max_length=20, choices=reason_choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    recipient_email = models.CharField(max_length=254, blank=True)
    recipient_key = models.CharField(
        max_length=270, help_text="'user:<id>' or 'email:<address>': who, for the unique key."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    status_detail = models.TextField(blank=True, help_text="Why it failed or was not needed.")
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text="When its delivery was last handed to the broker."
    )
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    provider = models.CharField(max_length=20, blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    deadline__isnull=False,
                    event__isnull=True,
                    subject_deadline__isnull=True,
                    case__isnull=False,
                )
                | Q(
                    deadline__isnull=True,
                    event__isnull=False,
                    subject_deadline__isnull=True,
                    case__isnull=False,
                )
                | Q(deadline__isnull=True, event__isnull=True, subject_deadline__isnull=False),
                name="notification_about_one_thing",
            ),
            models.UniqueConstraint(
                fields=["deadline", "rule", "recipient_key", "channel"],
                condition=Q(deadline__isnull=False),
                name="one_notification_per_deadline_rule_recipient_channel",
            ),
            models.UniqueConstraint(
                fields=["subject_deadline", "rule", "recipient_key", "channel"],
                condition=Q(subject_deadline__isnull=False),
                name="one_notification_per_subject_deadline_rule_recipient_channel",
            ),
            models.UniqueConstraint(
                fields=["event", "rule", "recipient_key", "channel"],
                condition=Q(event__isnull=False),
                name="one_notification_per_event_rule_recipient_channel",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "queued_at"], name="notifications_by_status_queued"),
            models.Index(fields=["status", "-created_at"], name="notifications_outbox"),
            models.Index(
                fields=["recipient_user", "channel", "status"], name="notifications_inbox"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.recipient_key} ({self.status})"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class SweepState(models.Model):
    """One row: serialises sweeps (it is locked first) and remembers how far events were read."""

    SINGLETON_ID = 1

    events_checked_to_id = models.BigIntegerField(
        default=0, help_text="Every case event up to this id has been checked for family updates."
    )
    last_swept_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Sweep state (events checked to {self.events_checked_to_id})"
