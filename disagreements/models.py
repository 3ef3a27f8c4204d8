"""Disagreements: mediation, Tribunal appeals, the orders and agreements that follow, and
complaints (spec section 4).

These rows hold the facts as recorded. Every statutory clock they start is kept as a Deadline row
(source "disagreements") by disagreements.services, so alerts, the case page, dashboards and
exceptions work on it like any other clock. One case may carry several live clocks, each linked to
the event that started it (spec 1.2, W v Hertfordshire; spec 10.1, 10.3).

The tables keep the names they had when these models lived in the core app (ehc_disagreement,
ehc_historicaldisagreement, ...): the move to this app changed no table (migrations 0001-0002).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ehc.models.cases import Case, CaseEvent
from ehc.models.plans import Notice

# CFA 2014 s.51(2): what can be appealed (spec 4.1). code -> (words, section, certificate needed)
GROUNDS: dict[str, tuple[str, str, bool]] = {
    "a": ("Decision not to secure an EHC needs assessment", "s.51(2)(a)", True),
    "b": ("Decision after assessment that an EHC plan is not necessary", "s.51(2)(b)", True),
    "c_i": ("Plan content: special educational needs (section B)", "s.51(2)(c)(i)", True),
    "c_ii": ("Plan content: special educational provision (section F)", "s.51(2)(c)(ii)", True),
    "c_iii": (
        "School or other institution named, or type specified (section I)",
        "s.51(2)(c)(iii)",
        False,
    ),
    "c_iv": ("No school or other institution named", "s.51(2)(c)(iv)", False),
    "d": ("Refusal to reassess after a request", "s.51(2)(d)", True),
    "e": (
        "Decision not to amend or replace the plan after a review or reassessment",
        "s.51(2)(e)",
        True,
    ),
    "f": ("Decision to cease to maintain the plan", "s.51(2)(f)", True),
}
PLACEMENT_GROUNDS = frozenset({"c_iii", "c_iv"})
# Sections the Tribunal can change, and those it can only make recommendations on (spec 4.5).
EDUCATION_SECTIONS = ("B", "E", "F", "I")
HEALTH_CARE_SECTIONS = ("C", "D", "G", "H1", "H2")


class Disagreement(models.Model):
    """One appealable decision the family disagrees with, and their route through mediation to
    the Tribunal."""

    class Decision(models.TextChoices):
        REFUSAL_TO_ASSESS = "refusal_to_assess", "Decision not to carry out an assessment"
        NO_PLAN = "no_plan", "Decision not to issue an EHC plan"
        PLAN_CONTENTS = "plan_contents", "Contents of the EHC plan"
        REFUSAL_TO_REASSESS = "refusal_to_reassess", "Decision not to reassess"
        NO_AMENDMENT = "no_amendment", "Decision not to amend the plan after a review"
        CEASE = "cease", "Decision to stop maintaining the plan"

    class Choice(models.TextChoices):
        MEDIATION = "mediation", "Mediation"
        CERTIFICATE = "certificate", "A certificate only (no mediation)"
        NOT_NEEDED = (
            "not_needed",
            "No certificate needed: the appeal is only about the school or setting",
        )

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        SETTLED = "settled", "Settled"
        CLOSED = "closed", "Not taken further"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="disagreements")
    notice = models.ForeignKey(
        Notice, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(max_length=30, choices=Decision.choices)
    decision_sent_on = models.DateField(help_text="The day written notice of the decision went.")
    opened_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    adviser_contacted_on = models.DateField(
        null=True, blank=True, help_text="The family contacted the mediation adviser (M2)."
    )
    choice = models.CharField(max_length=20, choices=Choice.choices, blank=True)
    adviser_informed_on = models.DateField(
        null=True,
        blank=True,
        help_text="The adviser was told the family wants a certificate only (M3 starts).",
    )
    certificate_issued_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    close_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(table_name="ehc_historicaldisagreement")

    class Meta:
        db_table = "ehc_disagreement"
        ordering = ["decision_sent_on", "id"]
        indexes = [models.Index(fields=["case", "status"])]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.decision_sent_on:%d %b %Y})"

    @property
    def subject(self) -> str:
        return f"disagreement-{self.pk}"


class Mediation(models.Model):
    """Mediation the family asked for (spec M4-M7). Arranged and held are both tracked: the
    sources differ on which one the 30 days govern (spec M5)."""

    class Outcome(models.TextChoices):
        AGREEMENT = "agreement", "Agreement on every issue"
        PARTIAL = "partial", "Agreement on some issues"
        NO_AGREEMENT = "no_agreement", "No agreement"
        WITHDRAWN = "withdrawn", "The family withdrew from mediation"

    disagreement = models.OneToOneField(
        Disagreement, on_delete=models.CASCADE, related_name="mediation"
    )
    la_informed_on = models.DateField(help_text="The family told the council it wants mediation.")
    issues = models.TextField()
    health_issues = models.TextField(
        blank=True, help_text="Health care issues and the health provision sought, if any."
    )
    health_body_due_on = models.DateField(null=True, blank=True)
    health_body_told_on = models.DateField(null=True, blank=True)
    arrange_by = models.DateField()
    arranged_on = models.DateField(null=True, blank=True)
    meeting_on = models.DateField(null=True, blank=True)
    not_arranged_adviser_told_on = models.DateField(
        null=True,
        blank=True,
        help_text="The council could not arrange mediation in 30 days and told the adviser (M6).",
    )
    held_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    rcb_only = models.BooleanField(
        default=False, help_text="Only the health commissioning body took part (Reg 42(4), M10)."
    )
    rcb_told_la_on = models.DateField(null=True, blank=True)
    started_by = models.ForeignKey(
        CaseEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(table_name="ehc_historicalmediation")

    class Meta:
        db_table = "ehc_mediation"

    def __str__(self) -> str:
        return f"Mediation for {self.disagreement}"

    @property
    def subject(self) -> str:
        return f"mediation-{self.pk}"

    @property
    def held_within_30_days(self) -> bool | None:
        return None if self.held_on is None else self.held_on <= self.arrange_by


class Appeal(models.Model):
    """An appeal to the First-tier Tribunal (SEND) (spec F1-F6)."""

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "Appeal upheld"
        PARTLY_UPHELD = "partly_upheld", "Appeal partly upheld"
        DISMISSED = "dismissed", "Appeal dismissed"
        WITHDRAWN = "withdrawn", "Withdrawn by the family"
        CONCEDED = "conceded", "Conceded by the council without an order"
        UNOPPOSED = "unopposed", "Not opposed by the council (Reg 45)"

    disagreement = models.OneToOneField(
        Disagreement, on_delete=models.CASCADE, related_name="appeal"
    )
    registered_on = models.DateField(help_text="The day the Tribunal received the appeal.")
    tribunal_reference = models.CharField(max_length=40, blank=True)
    grounds = models.JSONField(default=list, help_text="Codes from GROUNDS (CFA s.51(2)).")
    sections = models.JSONField(default=list, blank=True, help_text="Plan sections appealed.")
    deadline_on = models.DateField(help_text="The appeal deadline when it was registered (F1).")
    is_late = models.BooleanField(
        default=False, help_text="Registered after the deadline: the Tribunal admitted it (F6)."
    )
    response_due_on = models.DateField(
        null=True, blank=True, help_text="From the Tribunal's directions (F4)."
    )
    response_sent_on = models.DateField(null=True, blank=True)
    hearing_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    started_by = models.ForeignKey(
        CaseEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(table_name="ehc_historicalappeal")

    class Meta:
        db_table = "ehc_appeal"
        indexes = [models.Index(fields=["outcome"])]

    def __str__(self) -> str:
        return f"Appeal registered {self.registered_on:%d %b %Y}"

    @property
    def subject(self) -> str:
        return f"appeal-{self.pk}"

    def ground_labels(self) -> list[str]:
        return [f"{GROUNDS[g][0]} ({GROUNDS[g][1]})" for g in self.grounds if g in GROUNDS]


class Order(models.Model):
    """Something the council must now do, with its own clocks: a Tribunal order or consent order
    (Reg 44), an unopposed appeal (Reg 45) or a mediation agreement (Reg 42)."""

    class Source(models.TextChoices):
        TRIBUNAL = "tribunal", "Tribunal order (Reg 44)"
        CONSENT = "consent", "Consent order (Reg 44)"
        UNOPPOSED = "unopposed", "Appeal not opposed (Reg 45)"
        AGREEMENT = "agreement", "Mediation agreement (Reg 42)"
        CONCESSION = "concession", "Conceded without an order (the original time limits run on)"

    class Type(models.TextChoices):
        ASSESS = "assess", "Carry out an EHC needs assessment (or reassessment)"
        MAKE_PLAN = "make_plan", "Make and maintain an EHC plan"
        AMEND = "amend", "Amend the plan's contents"
        PLACEMENT = "placement", "Change the school or setting named"
        CONTINUE = "continue", "Continue to maintain the plan"
        CEASE = "cease", "Stop maintaining the plan (appeal dismissed)"
        REMIT = "remit", "Reconsider the decision (remitted to the council)"
        AGREED_ACTION = "agreed_action", "Action agreed on a matter that cannot be appealed"

    disagreement = models.ForeignKey(Disagreement, on_delete=models.CASCADE, related_name="orders")
    appeal = models.ForeignKey(
        Appeal, null=True, blank=True, on_delete=models.CASCADE, related_name="orders"
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    order_type = models.CharField(max_length=20, choices=Type.choices)
    made_on = models.DateField()
    details = models.TextField(blank=True)
    other_timescale = models.TextField(
        blank=True, help_text="A different timescale agreed in writing (Reg 42(5))."
    )
    started_by = models.ForeignKey(
        CaseEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(table_name="ehc_historicalorder")

    class Meta:
        db_table = "ehc_order"
        ordering = ["made_on", "id"]
        indexes = [models.Index(fields=["source", "order_type"])]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.get_order_type_display()}"

    @property
    def subject(self) -> str:
        return f"{self.source}-{self.pk}"


class OrderDuty(models.Model):
    """One duty an order or agreement puts on the council, by its rule code (e.g. Tb-assess)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="duties")
    kind = models.CharField(max_length=20)
    done_on = models.DateField(null=True, blank=True)
    not_needed = models.BooleanField(default=False)
    history = HistoricalRecords(table_name="ehc_historicalorderduty")

    class Meta:
        db_table = "ehc_orderduty"
        ordering = ["order_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "kind"], name="one_duty_per_order_and_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.order}"


class Recommendation(models.Model):
    """A Tribunal recommendation on health or social care (spec 4.5); 5 weeks to respond."""

    class Body(models.TextChoices):
        HEALTH = "health", "The health commissioning body (sections C and G)"
        SOCIAL_CARE = "social_care", "The council's social care service (sections D and H)"

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="recommendations")
    made_on = models.DateField()
    body = models.CharField(max_length=20, choices=Body.choices)
    sections = models.JSONField(default=list)
    text = models.TextField()
    responded_on = models.DateField(null=True, blank=True)
    response = models.TextField(blank=True)
    started_by = models.ForeignKey(
        CaseEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(table_name="ehc_historicalrecommendation")

    class Meta:
        db_table = "ehc_recommendation"
        ordering = ["made_on", "id"]

    def __str__(self) -> str:
        return f"Recommendation to {self.get_body_display()}"

    @property
    def subject(self) -> str:
        return f"recommendation-{self.pk}"


class Complaint(models.Model):
    """A complaint or Ombudsman referral (spec 4.6): no statutory clock, but dated."""

    class Kind(models.TextChoices):
        COUNCIL = "council", "Complaint to the council"
        LGSCO = "lgsco", "Local Government and Social Care Ombudsman"
        NHS = "nhs", "NHS complaint"
        PHSO = "phso", "Parliamentary and Health Service Ombudsman"
        SCHOOL = "school", "School complaint"
        SECRETARY_OF_STATE = "secretary_of_state", "Complaint to the Secretary of State"
        DISAGREEMENT_RESOLUTION = "drs", "Disagreement resolution service"
        JUDICIAL_REVIEW = "judicial_review", "Judicial review"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="complaints")
    disagreement = models.ForeignKey(
        Disagreement, null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    made_on = models.DateField()
    about = models.TextField()
    escalated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="escalations"
    )
    outcome_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(table_name="ehc_historicalcomplaint")

    class Meta:
        db_table = "ehc_complaint"
        ordering = ["made_on", "id"]
        indexes = [models.Index(fields=["kind", "made_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.made_on:%d %b %Y})"
