"""Service records modelled on Open Referral UK 3.0, with what a SEND Local Offer adds.

Tables follow the standard's entities (organization, service, location, service_at_location,
contact, phone, schedule, cost_option, service_area, language, accessibility, taxonomy,
taxonomy_term) with UUID primary keys, so the open data feed (local_offer.oruk) is a direct
rendering. The SEND items (ages 0-25, SEN2 need types, eligibility in plain words, how to apply,
referral, how decisions are made, in or out of area, the Schedule 2 item, review date and who last
checked it) are fields on the service. Every record keeps its history (simple-history).

Only local_offer.services writes these tables.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from local_offer import vocabulary as v

AGE_VALIDATORS = [MinValueValidator(v.MIN_AGE), MaxValueValidator(v.MAX_AGE)]


class Organisation(models.Model):
    """A provider (ORUK organization): a school, an NHS trust, a charity, the council itself."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField()
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    is_council = models.BooleanField(
        default=False, help_text="The council's own services (policies, IASS, transport)."
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="local_offer_organisations",
        help_text="Provider accounts that keep this organisation's records.",
    )
    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        ordering = ["name"]
        permissions = [
            ("manage_directory", "Can manage the Local Offer directory"),
            ("edit_own_services", "Can propose changes to their organisation's services"),
        ]

    def __str__(self) -> str:
        return self.name


class Taxonomy(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField()
    uri = models.URLField(blank=True)
    version = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, related_name="terms")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["taxonomy__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="one_term_code_per_taxonomy")
        ]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"
        INACTIVE = "inactive", "Inactive"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(max_length=200)
    description = models.TextField()
    url = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    alert = models.CharField(
        max_length=500, blank=True, help_text="A short-term notice, e.g. why it is closed."
    )
    # Who it is for.
    minimum_age = models.PositiveSmallIntegerField(validators=AGE_VALIDATORS, default=v.MIN_AGE)
    maximum_age = models.PositiveSmallIntegerField(validators=AGE_VALIDATORS, default=v.MAX_AGE)
    eligibility = models.TextField(help_text="Who can use it, in plain words.")
    terms = models.ManyToManyField(
        TaxonomyTerm, blank=True, related_name="services", help_text="Need types and categories."
    )
    # How to get it.
    how_to_apply = models.TextField()
    referral_needed = models.BooleanField(default=False)
    how_decisions_made = models.TextField(blank=True)
    is_free = models.BooleanField(default=True)
    fees_description = models.CharField(max_length=500, blank=True)
    # Where it sits in the offer.
    in_area = models.BooleanField(default=True, help_text="In the council's area.")
    schedule2_item = models.CharField(
        "Schedule 2 item", max_length=30, choices=v.SCHEDULE_2_CHOICES
    )
    # Keeping it true.
    review_due_on = models.DateField(help_text="When the record must next be checked.")
    last_checked_on = models.DateField(null=True, blank=True)
    last_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assurer_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_modified = models.DateTimeField(default=timezone.now)
    search_text = models.TextField(
        blank=True, editable=False, help_text="Kept by the services for full-text search."
    )
    history = HistoricalRecords(m2m_fields=[terms])

    class Meta:
        ordering = ["name"]
        permissions = [
            ("approve_change", "Can approve providers' changes to the Local Offer"),
            ("triage_comment", "Can triage and answer comments on the Local Offer"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_age__lte=models.F("maximum_age")),
                name="service_minimum_age_not_above_maximum",
            ),
            models.CheckConstraint(
                condition=Q(maximum_age__lte=v.MAX_AGE), name="service_ages_within_0_25"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "name"], name="services_by_status_name"),
            models.Index(fields=["schedule2_item", "in_area"], name="services_by_schedule2"),
            models.Index(fields=["review_due_on"], name="services_by_review_due"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_listed(self) -> bool:
        return self.status != self.Status.INACTIVE

    def is_stale(self, today) -> bool:
        return self.review_due_on < today


class Location(models.Model):
    class Type(models.TextChoices):
        PHYSICAL = "physical", "A place to visit"
        VIRTUAL = "virtual", "Online or by phone"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="locations"
    )
    location_type = models.CharField(max_length=10, choices=Type.choices, default=Type.PHYSICAL)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    address_1 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="locations_by_position")]

    def __str__(self) -> str:
        return self.name


class Accessibility(models.Model):
    """One accessibility feature of a venue (ORUK accessibility)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    feature = models.CharField(max_length=30, choices=v.ACCESS_FEATURES)
    details = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["feature"]
        verbose_name_plural = "accessibility"
        constraints = [
            models.UniqueConstraint(fields=["location", "feature"], name="one_feature_per_venue")
        ]

    def __str__(self) -> str:
        return f"{self.get_feature_display()} at {self.location_id}"


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="services_at")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="one_link_per_place")
        ]

    def __str__(self) -> str:
        return f"{self.service_id} at {self.location_id}"


class Contact(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.name or self.title or "Contact"


class Phone(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="phones")
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(max_length=30)
    description = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.number


class Schedule(models.Model):
    """When a service runs (ORUK schedule, iCal-style): weekly on the given days."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    byday = models.CharField(max_length=30, help_text="iCal days, e.g. MO,WE,FR.")
    opens_at = models.TimeField()
    closes_at = models.TimeField()
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    description = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("closes_at")), name="schedule_opens_before_close"
            )
        ]

    def __str__(self) -> str:
        return f"{self.byday} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"

    def days(self) -> list[str]:
        return [d for d in self.byday.split(",") if d]


class CostOption(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    option = models.CharField(max_length=200)
    amount = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    amount_description = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.option


class Language(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(max_length=100)
    code = models.CharField(max_length=10, blank=True, help_text="ISO 639 code, e.g. en, cy.")

    def __str__(self) -> str:
        return self.name


class ServiceArea(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=200)
    description = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.name


class Postcode(models.Model):
    """A postcode centroid from the ONS Postcode Directory (Open Government Licence)."""

    postcode = models.CharField(max_length=8, primary_key=True, help_text="No space, capitals.")
    display = models.CharField(max_length=8, help_text="As written, e.g. SW1A 1AA.")
    latitude = models.FloatField()
    longitude = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["latitude", "longitude"], name="postcodes_by_position")]

    def __str__(self) -> str:
        return self.display


class Synonym(models.Model):
    """Words families use for the same thing: a search for one finds the others."""

    words = models.CharField(
        max_length=300,
        help_text="Words or phrases that mean the same, separated by commas, "
        "e.g. ASD, autism, autistic.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["words"]

    def __str__(self) -> str:
        return self.words

    def word_list(self) -> list[str]:
        return [w.strip().lower() for w in self.words.split(",") if w.strip()]


class ChangeRequest(models.Model):
    """A provider's proposed change to one of its services, waiting for an officer.

    `before` is the record as the provider saw it and `proposed` what they want it to be (the
    editable fields only, as JSON-ready values), so the officer sees exactly what changed.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Not approved"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="change_requests")
    before = models.JSONField()
    proposed = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["service"],
                condition=Q(status="pending"),
                name="one_pending_change_per_service",
            )
        ]

    def __str__(self) -> str:
        return f"Change to {self.service_id} ({self.status})"


class ProblemReport(models.Model):
    """'Report a problem with this page', routed to the record's owner."""

    class Kind(models.TextChoices):
        OUT_OF_DATE = "out_of_date", "Some of the information is out of date"
        EXTRA = "extra", "I have more information to add"
        CLOSED = "closed", "The service has closed"
        OTHER = "other", "Something else"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="problems")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    details = models.TextField()
    reported_at = models.DateTimeField(default=timezone.now)
    sent_to = models.CharField(max_length=254, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reported_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.service_id})"


class Comment(models.Model):
    """A comment on the Local Offer from anyone (reg 56), and the council's answer to it."""

    class About(models.TextChoices):
        CONTENT = "content", "What is in the Local Offer"
        ACCESSIBILITY = "accessibility", "How easy it is to find and use"
        DEVELOPMENT = "development", "How it was developed and reviewed"

    class Status(models.TextChoices):
        NEW = "new", "New"
        ANSWERED = "answered", "Answered"
        ACTION_OPEN = "action_open", "Action in progress"
        CLOSED = "closed", "Closed"

    about = models.CharField(max_length=20, choices=About.choices)
    text = models.TextField()
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    summary = models.TextField(
        blank=True, help_text="The comment in words that identify nobody, for publication."
    )
    response = models.TextField(blank=True)
    action = models.TextField(blank=True)
    action_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action_due_on = models.DateField(null=True, blank=True)
    action_done_on = models.DateField(null=True, blank=True)
    anonymised_confirmed = models.BooleanField(
        default=False, help_text="An officer confirmed the summary identifies nobody."
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["status", "received_at"], name="comments_by_status")]

    def __str__(self) -> str:
        return f"Comment {self.pk} ({self.status})"


class Publication(models.Model):
    """A published 'you said, we did' report: the comments, answers and actions of a period."""

    period_start = models.DateField()
    period_end = models.DateField()
    published_on = models.DateField()
    next_due_on = models.DateField(help_text="A year after publication (reg 56).")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entries = models.JSONField(help_text="The anonymised comments, answers and actions.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on"]

    def __str__(self) -> str:
        return f"You said, we did: {self.period_start} to {self.period_end}"
