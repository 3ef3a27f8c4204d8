"""People and places: users, teams, children and young people, contacts, settings."""

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

UPN_VALIDATOR = RegexValidator(
    r"^[A-Z]\d{11}[0-9A-Z]$", "A UPN is a letter, 11 digits, then a digit or letter."
)
NHS_NUMBER_VALIDATOR = RegexValidator(r"^\d{10}$", "An NHS number is 10 digits.")
URN_VALIDATOR = RegexValidator(r"^\d{6,7}$", "A URN is 6 or 7 digits.")
UKPRN_VALIDATOR = RegexValidator(r"^1\d{7}$", "A UKPRN is 8 digits starting with 1.")


class User(AbstractUser):
    """Anyone who signs in: caseworkers, managers, parents and young people."""

    email = models.EmailField("email address", blank=True, db_index=True)
    # Roles (groups), active, staff and password changes, with who made them (the admin, the
    # set-up link). The password column holds only the hash, as the user table does.
    history = HistoricalRecords(m2m_fields=[AbstractUser.groups.field])

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Team(models.Model):
    """A SEND casework team; caseworkers see their own team's cases."""

    name = models.CharField(max_length=100, unique=True)
    members = models.ManyToManyField(User, related_name="teams", blank=True)
    history = HistoricalRecords(m2m_fields=[members])

    def __str__(self) -> str:
        return self.name


class Setting(models.Model):
    """A school, early-years setting or post-16 institution: one entry in the register of settings.

    Most entries come from the DfE's "Get Information about Schools" (GIAS) establishments file
    (`manage.py import_gias`), keyed by URN. A caseworker may add one that is not there; it then
    needs a manager to confirm it (or merge it into the register entry it duplicates).
    """

    class Kind(models.TextChoices):
        SCHOOL = "school", "School"
        EARLY_YEARS = "early_years", "Early years setting"
        POST16 = "post16", "Post-16 institution"
        OTHER = "other", "Other"

    class Phase(models.TextChoices):
        NURSERY = "nursery", "Nursery"
        PRIMARY = "primary", "Primary"
        MIDDLE = "middle", "Middle"
        SECONDARY = "secondary", "Secondary"
        ALL_THROUGH = "all_through", "All-through"
        SPECIAL = "special", "Special"
        POST16 = "post16", "16 plus"
        NOT_APPLICABLE = "n/a", "Not applicable"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSING = "closing", "Open, but proposed to close"
        PROPOSED = "proposed", "Proposed to open"
        CLOSED = "closed", "Closed"

    class Source(models.TextChoices):
        GIAS = "gias", "Imported from Get Information about Schools"
        CASEWORKER = "caseworker", "Added by a caseworker"
        MANUAL = "manual", "Added by an administrator"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.NOT_APPLICABLE)
    urn = models.CharField("URN", max_length=7, blank=True, validators=[URN_VALIDATOR])
    ukprn = models.CharField("UKPRN", max_length=8, blank=True, validators=[UKPRN_VALIDATOR])
    head_email = models.EmailField(blank=True)
    local_authority = models.CharField(max_length=100, blank=True)
    establishment_type = models.CharField(
        max_length=100, blank=True, help_text="GIAS 'TypeOfEstablishment', e.g. Academy converter."
    )
    street = models.CharField(max_length=200, blank=True)
    locality = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.MANUAL)
    needs_confirming = models.BooleanField(
        default=False,
        db_index=True,
        help_text="Added by a caseworker and not yet confirmed (or merged) by a manager.",
    )
    added_by = models.ForeignKey(
        "ehc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        "ehc.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    imported_at = models.DateTimeField(
        null=True, blank=True, help_text="When a GIAS import last wrote this entry."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["urn"], condition=~models.Q(urn=""), name="setting_urn_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        return ", ".join(p for p in (self.street, self.locality, self.town, self.postcode) if p)

    @property
    def register_number(self) -> str:
        """How a person tells this entry apart from another of the same name."""
        if self.urn:
            return f"URN {self.urn}"
        if self.ukprn:
            return f"UKPRN {self.ukprn}"
        return f"register number {self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class Child(models.Model):
    """A child or young person (0-25) the LA holds records for."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    upn = models.CharField("UPN", max_length=13, blank=True, validators=[UPN_VALIDATOR])
    nhs_number = models.CharField(
        "NHS number", max_length=10, blank=True, validators=[NHS_NUMBER_VALIDATOR]
    )
    home_local_authority = models.CharField(max_length=100, blank=True)
    current_setting = models.ForeignKey(
        Setting, null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "children"
        indexes = [models.Index(fields=["last_name", "date_of_birth"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Contact(models.Model):
    """A parent, carer or the young person themselves; a user link lets them sign in."""

    class Relationship(models.TextChoices):
        PARENT = "parent", "Parent"
        CARER = "carer", "Carer or guardian"
        YOUNG_PERSON = "self", "The young person"
        OTHER = "other", "Other"

    class ContactMethod(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"
        POST = "post", "Post"
        TEXT = "text", "Text message"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="contacts")
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    full_name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=10, choices=Relationship.choices)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address = models.TextField(blank=True)
    preferred_contact_method = models.CharField(
        max_length=10, choices=ContactMethod.choices, default=ContactMethod.EMAIL
    )
    communication_needs = models.TextField(
        blank=True, help_text="Interpreter, accessible formats, or anything else that helps."
    )
    has_parental_responsibility = models.BooleanField(default=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_relationship_display()})"
