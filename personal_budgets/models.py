"""Personal budgets (CFA s.49; SEN (Personal Budgets) Regulations 2014; spec §5, PB1-PB17).

A family's request and the budget the council prepares for it are one record, PersonalBudget,
as the spec's data model has it: the request (when, by whom, on which occasion PB2 allows), then
either the budget's parts (components by domain, each with its mechanism and amount) or the
reasons none could be identified (PB5). Direct payments carry their own decisions (agreed with
the PB7 conditions, refused, reduced, stopped; each with at most one reconsideration), reviews
(PB13) and the letters sent (BudgetNotice, kept as sent).

The flow's process (PersonalBudgetProcess) holds only a routing flag; its artifact is the Case,
so its task joins the caseworkers' one work queue, and its seed is the PersonalBudget.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords
from viewflow import jsonstore
from viewflow.workflow.models import Process

from ehc.models import Case, Setting

MONEY = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Domain(models.TextChoices):
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"
    SOCIAL_CARE = "social_care", "Social care"


class Mechanism(models.TextChoices):
    """PB4: how each part of a budget is held. A budget may combine any of them."""

    DIRECT_PAYMENT = "direct_payment", "Direct payment"
    COUNCIL_MANAGED = "council_managed", "Arrangement managed by the council (notional budget)"
    SCHOOL_MANAGED = (
        "school_managed",
        "Arrangement managed by the school or college (notional budget)",
    )
    THIRD_PARTY = "third_party", "Third-party arrangement"


class PersonalBudget(models.Model):
    """A request for a personal budget (PB1, PB2) and the budget prepared for it."""

    class Context(models.TextChoices):
        """PB2: the occasions on which the council must consider a request."""

        DRAFT = "draft", "While the EHC plan is being drafted"
        REVIEW = "review", "During a review of the EHC plan"
        REASSESSMENT = "reassessment", "During a reassessment"

    class Requester(models.TextChoices):
        PARENT = "parent", "The child's parent"
        YOUNG_PERSON = "young_person", "The young person"

    class Source(models.TextChoices):
        FAMILY = "family", "Asked through the family's pages"
        CASEWORKER = "caseworker", "Recorded by a caseworker"

    class Preference(models.TextChoices):
        NOT_SURE = "not_sure", "Not sure yet"
        DIRECT_PAYMENT = "direct_payment", "Direct payments"
        ARRANGEMENT = "arrangement", "An arrangement the council, school or college manages"
        THIRD_PARTY = "third_party", "A third-party arrangement"
        COMBINATION = "combination", "A combination of these"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested: the council is preparing it"
        AGREED = "agreed", "Agreed"
        NOT_IDENTIFIED = "not_identified", "No budget could be identified"
        SUPERSEDED = "superseded", "Replaced by a later budget"

    class Recipient(models.TextChoices):
        """PB6: who receives direct payments."""

        PARENT = "parent", "The child's parent"
        YOUNG_PERSON = "young_person", "The young person"
        NOMINEE = "nominee", "A nominee"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="personal_budgets")
    context = models.CharField(max_length=20, choices=Context.choices)
    context_on = models.DateField(
        help_text="The review or reassessment the request was made in (for a draft plan: the "
        "day of the request)."
    )
    requested_on = models.DateField()
    requested_by = models.CharField(max_length=20, choices=Requester.choices)
    requester_name = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    request_details = models.TextField(
        blank=True, help_text="What the family would like the budget for, in their words."
    )
    preference = models.CharField(
        max_length=20, choices=Preference.choices, default=Preference.NOT_SURE
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    decided_on = models.DateField(null=True, blank=True)
    not_identified_reasons = models.TextField(
        blank=True, help_text="PB5: why the council could not identify a budget."
    )
    dp_recipient = models.CharField(max_length=20, choices=Recipient.choices, blank=True)
    dp_nominee_name = models.CharField(max_length=200, blank=True)
    dp_starts_on = models.DateField(null=True, blank=True)
    dp_payment_schedule = models.CharField(
        max_length=300, blank=True, help_text="PB11: when direct payments are paid."
    )
    dp_stopped_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="requested"),
                name="one_open_personal_budget_request_per_case",
            ),
        ]
        indexes = [models.Index(fields=["case", "status"], name="pb_by_case_status")]

    def __str__(self) -> str:
        return f"Personal budget for {self.case.reference} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.REQUESTED

    @property
    def deadline_subject(self) -> str:
        """The subject key of this budget's first direct-payment review (PB13) deadline."""
        return f"budget:{self.pk}"


class BudgetComponent(models.Model):
    """One part of a budget: a domain, how it is held, the agreed provision and its amount."""

    budget = models.ForeignKey(PersonalBudget, on_delete=models.CASCADE, related_name="components")
    domain = models.CharField(max_length=20, choices=Domain.choices)
    mechanism = models.CharField(max_length=20, choices=Mechanism.choices)
    agreed_provision = models.TextField()
    amount = models.DecimalField(**MONEY, help_text="Pounds a year.")
    needs_and_outcomes = models.TextField(
        blank=True,
        help_text="Reg 12(1)(j), PB16: the needs and outcomes a direct payment is to meet.",
    )
    is_school_place = models.BooleanField(
        default=False, help_text="PB9: a place at a school or post-16 institution."
    )
    in_school_or_college = models.BooleanField(
        default=False, help_text="PB8: the provision is delivered in a school or college."
    )
    setting = models.ForeignKey(
        Setting, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    head_agreed_by = models.CharField(
        max_length=200, blank=True, help_text="PB8: the head or principal who agreed in writing."
    )
    head_agreed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["domain", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="personal_budget_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(mechanism="direct_payment", is_school_place=True),
                name="no_direct_payment_for_a_school_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.get_mechanism_display()} £{self.amount}"

    @property
    def is_direct_payment(self) -> bool:
        return self.mechanism == Mechanism.DIRECT_PAYMENT


class DirectPaymentDecision(models.Model):
    """A decision about direct payments, and the one reconsideration the family may ask for."""

    class Kind(models.TextChoices):
        AGREED = "agreed", "Direct payments agreed"
        REFUSED = "refused", "Direct payments refused"
        REDUCED = "reduced", "Direct payments reduced"
        STOPPED = "stopped", "Direct payments stopped"

    class StopGround(models.TextChoices):
        """PB15: the first two mean the council must stop; the others that it may."""

        CONSENT_WITHDRAWN = "consent_withdrawn", "Consent withdrawn in writing"
        NOT_ELIGIBLE = "not_eligible", "The recipient is no longer eligible"
        ADVERSE_IMPACT = "adverse_impact", "Adverse impact on services for others with plans"
        INEFFICIENT = "inefficient", "No longer an efficient use of resources"
        CONDITIONS_NOT_MET = "conditions_not_met", "The conditions are no longer met"

    MUST_STOP = {StopGround.CONSENT_WITHDRAWN, StopGround.NOT_ELIGIBLE}

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "The decision stands"
        CHANGED = "changed", "The decision was changed"

    budget = models.ForeignKey(
        PersonalBudget, on_delete=models.CASCADE, related_name="dp_decisions"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    decided_on = models.DateField()
    reasons = models.TextField()
    # PB7: what the council must be satisfied of before making direct payments.
    uses_for_agreed_provision = models.BooleanField(default=False)
    acts_in_best_interests = models.BooleanField(default=False)
    payments_appropriate = models.BooleanField(default=False)
    no_adverse_impact = models.BooleanField(default=False)
    efficient_use = models.BooleanField(default=False)
    component = models.ForeignKey(
        BudgetComponent, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    previous_amount = models.DecimalField(**MONEY, null=True, blank=True)
    new_amount = models.DecimalField(**MONEY, null=True, blank=True)
    takes_effect_on = models.DateField(null=True, blank=True)
    stop_ground = models.CharField(max_length=20, choices=StopGround.choices, blank=True)
    reconsideration_requested_on = models.DateField(null=True, blank=True)
    reconsidered_on = models.DateField(null=True, blank=True)
    reconsideration_outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    reconsideration_reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    CONDITIONS = (
        ("uses_for_agreed_provision", "The recipient will use them to secure the agreed provision"),
        (
            "acts_in_best_interests",
            "The recipient will act in the child or young person's best interests",
        ),
        ("payments_appropriate", "Direct payments are an appropriate way to secure the provision"),
        ("no_adverse_impact", "They will not harm services for others with EHC plans"),
        ("efficient_use", "They are an efficient use of the council's resources"),
    )

    class Meta:
        ordering = ["decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.decided_on:%d %b %Y}"

    @property
    def reconsiderable(self) -> bool:
        return self.kind != self.Kind.AGREED

    @property
    def awaiting_reconsideration(self) -> bool:
        return self.reconsideration_requested_on is not None and not self.reconsidered_on

    def conditions(self) -> list[tuple[str, bool]]:
        return [(label, getattr(self, field)) for field, label in self.CONDITIONS]


class DirectPaymentReview(models.Model):
    """PB13: a review of the making and use of direct payments."""

    class Occasion(models.TextChoices):
        FIRST = "first", "First review (within 3 months of payments starting)"
        PLAN_REVIEW = "plan_review", "At a review of the EHC plan"
        REASSESSMENT = "reassessment", "At a reassessment"
        ON_REQUEST = "on_request", "Asked for by the recipient"

    budget = models.ForeignKey(PersonalBudget, on_delete=models.CASCADE, related_name="dp_reviews")
    occasion = models.CharField(max_length=20, choices=Occasion.choices)
    reviewed_on = models.DateField()
    findings = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["reviewed_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_occasion_display()} on {self.reviewed_on:%d %b %Y}"


class BudgetNotice(models.Model):
    """A letter to the family about their budget, kept exactly as it was sent."""

    class Kind(models.TextChoices):
        AGREED_PROVISION = "agreed_provision", "Personal budget agreed (notice of agreed provision)"
        NOT_IDENTIFIED = "not_identified", "No personal budget could be identified"
        DP_REFUSED = "dp_refused", "Direct payments refused"
        DP_REDUCED = "dp_reduced", "Direct payments to be reduced"
        DP_STOPPED = "dp_stopped", "Direct payments to stop"
        RECONSIDERED = "reconsidered", "Outcome of the reconsideration you asked for"

    budget = models.ForeignKey(PersonalBudget, on_delete=models.CASCADE, related_name="notices")
    decision = models.ForeignKey(
        DirectPaymentDecision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    sent_on = models.DateField()
    body = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.sent_on:%d %b %Y})"


class PersonalBudgetProcess(Process):
    """Routing flags only; the facts are in the tables above (seed) and the case (artifact)."""

    identified = jsonstore.BooleanField(default=False)

    class Meta:
        proxy = True
        verbose_name = "Personal budget request"
