"""Organisations outside the council (schools and settings, educational psychology services,
health providers, social care teams, private practitioners), their members, and the advice
requests and school requests that reach them.

Work belongs to the organisation, not to one person: a request is sent to an organisation's
inbox and any active member may take it up, so it survives staff turnover.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ehc.models import Case, Deadline, Setting


class Organisation(models.Model):
    class Kind(models.TextChoices):
        SCHOOL = "school", "School or setting"
        EP_SERVICE = "ep_service", "Educational psychology service"
        HEALTH = "health", "Health provider (NHS trust or service)"
        SOCIAL_CARE = "social_care", "Social care team"
        PRIVATE = "private", "Private practitioner"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    setting = models.ForeignKey(
        Setting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text="For a school or setting: its entry in the settings register (URN or UKPRN).",
    )
    email = models.EmailField(
        blank=True, help_text="The organisation's shared inbox address, for alerts."
    )
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspended_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["setting"],
                condition=Q(setting__isnull=False),
                name="one_organisation_per_setting",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_suspended(self) -> bool:
        return self.suspended_at is not None


class Membership(models.Model):
    """A person's place in an organisation. Removing a member keeps the row (their past work
    stays theirs) and ends their access."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    job_title = models.CharField(max_length=100, blank=True)
    is_admin = models.BooleanField(
        default=False, help_text="Invites and removes the organisation's members."
    )
    is_senco = models.BooleanField(
        default=False, help_text="May request an EHC needs assessment for the school (s.36)."
    )
    joined_at = models.DateTimeField(default=timezone.now)
    suspended_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "user__first_name", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_each")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.organisation}"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None and self.suspended_at is None


class Invitation(models.Model):
    """An invitation to join an organisation, sent by a link that is signed, expires and works
    once. The link carries the row's id and a random nonce; the row says whether it was used."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    full_name = models.CharField(max_length=200)
    is_admin = models.BooleanField(default=False)
    is_senco = models.BooleanField(default=False)
    nonce = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.organisation}"


class AdviceRequest(models.Model):
    """A caseworker's request for advice (A5), sent to an organisation's inbox."""

    class Status(models.TextChoices):
        SENT = "sent", "Waiting to be accepted"
        ACCEPTED = "accepted", "Accepted"
        SUBMITTED = "submitted", "Advice sent"
        CLOSED = "closed", "Closed without advice"

    OPEN_STATUSES = (Status.SENT, Status.ACCEPTED)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="advice_requests")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="advice_requests"
    )
    adviser = models.CharField(
        max_length=20, help_text="Which advice (ehc.services.assessment.ADVISERS)."
    )
    questions = models.TextField(help_text="What the council asks the adviser to address.")
    why = models.TextField(help_text="Why the council is asking, in a sentence or two.")
    child_details = models.JSONField(
        default=dict, help_text="Only what the advice needs, chosen when the request was sent."
    )
    sent_on = models.DateField()
    due_on = models.DateField()
    accept_by = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SENT)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="advice_requests_assigned",
    )
    # The structured advice (SEND Regs 2014 reg 6: needs, outcomes, provision).
    needs = models.TextField(blank=True)
    outcomes = models.TextField(blank=True)
    provision = models.TextField(blank=True)
    other_comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    accept_deadline = models.ForeignKey(
        Deadline,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="advice_requests_to_accept",
    )
    due_deadline = models.ForeignKey(
        Deadline,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="advice_requests_due",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["organisation", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "adviser", "organisation"],
                condition=Q(status__in=["sent", "accepted"]),
                name="one_open_advice_request_per_adviser_and_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"Advice request {self.pk} to {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def adviser_label(self) -> str:
        from ehc.services.assessment import ADVISERS

        return ADVISERS.get(self.adviser, self.adviser)


def advice_document_path(instance: AdviceDocument, filename: str) -> str:
    return f"advice/{instance.request.case_id}/{instance.stored_name}"


class AdviceDocument(models.Model):
    request = models.ForeignKey(AdviceRequest, on_delete=models.CASCADE, related_name="documents")
    stored_name = models.CharField(max_length=64)
    file = models.FileField(upload_to=advice_document_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class AdviceMessage(models.Model):
    """A question from the organisation about a request, or the council's answer."""

    request = models.ForeignKey(AdviceRequest, on_delete=models.CASCADE, related_name="messages")
    from_council = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Message on advice request {self.request_id}"


class SchoolRequest(models.Model):
    """A school's request for an EHC needs assessment (Children and Families Act 2014 s.36),
    and the parent's views, asked for by a link the parent is sent."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="school_request")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="school_requests"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    reasons = models.TextField()
    support_so_far = models.TextField(blank=True)
    parent_name = models.CharField(max_length=200)
    parent_email = models.EmailField()
    parent_informed = models.BooleanField(default=False)
    views_nonce = models.CharField(max_length=64, unique=True)
    parent_views = models.TextField(blank=True)
    parent_views_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"School request for {self.case}"


class ReviewContribution(models.Model):
    """An organisation's contribution to an annual review: asked for by the caseworker, due
    2 weeks before the meeting so it can be circulated in time (Regs 20(4), 21(4); spec R5)."""

    class Status(models.TextChoices):
        SENT = "sent", "Waiting for the contribution"
        SUBMITTED = "submitted", "Contribution sent"

    review = models.ForeignKey(
        "reviews.AnnualReview", on_delete=models.CASCADE, related_name="contributions"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="review_contributions"
    )
    questions = models.TextField()
    asked_on = models.DateField()
    due_on = models.DateField(help_text="R5: 2 weeks before the meeting.")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SENT)
    progress = models.TextField(blank=True, help_text="Progress towards the plan's outcomes.")
    views = models.TextField(blank=True, help_text="What should change in the plan, and why.")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "organisation"], name="one_contribution_per_review_and_org"
            )
        ]

    def __str__(self) -> str:
        return f"Annual review contribution {self.pk} from {self.organisation}"
