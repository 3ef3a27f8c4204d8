"""Plans in force and their lives (spec §2, R1-R27).

MaintainedPlan is one EHC plan the council maintains, whatever it came from (its own assessment,
a transfer review, an import from the previous system, a plan passed on by another council). Its
text lives in PlanVersion rows: version 1 as issued, one more for each amendment, so any two can
be compared. AnnualReview is one review of the plan (annual, phase transfer, under-5s, after a
move in), with its own statutory dates; its live clocks are Deadline rows on the plan's case,
kept through ehc.services.deadline_track (source "reviews").

The flow's process (AnnualReviewProcess) holds routing flags only; its artifact is the Case and
its seed the AnnualReview, so its tasks join the shared work queue.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords
from viewflow import jsonstore
from viewflow.workflow.models import Process

from ehc.models import PLAN_SECTIONS, Case, Child, Setting

SECTION_FIELDS = [field for field, _letter, _title in PLAN_SECTIONS]


class PrimaryNeed(models.TextChoices):
    """The SEN2 primary-need codes."""

    SPLD = "SPLD", "Specific learning difficulty"
    MLD = "MLD", "Moderate learning difficulty"
    SLD = "SLD", "Severe learning difficulty"
    PMLD = "PMLD", "Profound and multiple learning difficulty"
    SEMH = "SEMH", "Social, emotional and mental health"
    SLCN = "SLCN", "Speech, language and communication needs"
    HI = "HI", "Hearing impairment"
    VI = "VI", "Vision impairment"
    MSI = "MSI", "Multi-sensory impairment"
    PD = "PD", "Physical disability"
    ASD = "ASD", "Autistic spectrum disorder"
    OTH = "OTH", "Other difficulty or disability"


class MaintainedPlan(models.Model):
    class Origin(models.TextChoices):
        ASSESSMENT = "assessment", "Issued after the council's own assessment"
        TRANSFER_REVIEW = "transfer_review", "Issued after a transfer review of a Statement"
        IMPORT = "import", "Brought in from the council's previous system"
        NEW_LA = "new_la", "Passed to us by another council after a move"

    class Status(models.TextChoices):
        MAINTAINED = "maintained", "Maintained"
        CEASING = "ceasing", "Decided to cease: maintained until the appeal window or appeal ends"
        CEASED = "ceased", "Ceased"
        TRANSFERRED_OUT = "transferred_out", "Passed to another council"

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="maintained_plan")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="maintained_plans")
    origin = models.CharField(max_length=20, choices=Origin.choices)
    import_reference = models.CharField(
        max_length=40,
        blank=True,
        default="",
        help_text="The plan's reference in the previous system (re-imports update this row).",
    )
    first_issued_on = models.DateField()
    current_setting = models.ForeignKey(
        Setting, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    setting_type = models.CharField(max_length=200, blank=True, default="")
    primary_need = models.CharField(
        max_length=4, choices=PrimaryNeed.choices, blank=True, default=""
    )
    last_review_meeting_on = models.DateField(null=True, blank=True)
    last_review_decided_on = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(
        db_index=True, help_text="Last day the next review may be held (R1, R2 or R20)."
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.MAINTAINED, db_index=True
    )
    ceased_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["next_review_due", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["import_reference"],
                condition=~Q(import_reference=""),
                name="one_plan_per_import_reference",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_review_due"], name="plans_by_review_due")]

    def __str__(self) -> str:
        return f"EHC plan {self.case.reference}"

    @property
    def is_maintained(self) -> bool:
        return self.status in (self.Status.MAINTAINED, self.Status.CEASING)


class PlanVersion(models.Model):
    """The plan's text as issued: version 1, then one version per amendment."""

    class Reason(models.TextChoices):
        ISSUED = "issued", "Plan issued"
        IMPORTED = "imported", "Plan brought in from the previous system"
        AMENDED_REVIEW = "amended_review", "Amended after an annual review"
        AMENDED_PHASE = "amended_phase", "Amended for a move to the next phase"
        AMENDED_REASSESSMENT = "amended_reassessment", "Amended after a reassessment"
        TRANSFERRED_IN = "transferred_in", "Passed to us by another council"

    plan = models.ForeignKey(MaintainedPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    issued_on = models.DateField()
    reason = models.CharField(max_length=30, choices=Reason.choices)
    section_a = models.TextField(blank=True)
    section_b = models.TextField(blank=True)
    section_c = models.TextField(blank=True)
    section_d = models.TextField(blank=True)
    section_e = models.TextField(blank=True)
    section_f = models.TextField(blank=True)
    section_g = models.TextField(blank=True)
    section_h1 = models.TextField(blank=True)
    section_h2 = models.TextField(blank=True)
    section_i = models.TextField(blank=True)
    section_j = models.TextField(blank=True)
    section_k = models.TextField(blank=True)
    named_setting = models.ForeignKey(
        Setting, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_plan_version_number")
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.plan}"

    def sections(self) -> dict[str, str]:
        return {field: getattr(self, field) for field in SECTION_FIELDS}


class AnnualReview(models.Model):
    """One review of a plan: its meeting, report, decision and (if amending) the amendments."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", "Annual review"
        PHASE_TRANSFER = "phase_transfer", "Phase-transfer review"
        EARLY_YEARS = "early_years", "Early years review (every 3 to 6 months)"
        NEW_LA = "new_la", "First review after a move to this council"

    class Stage(models.TextChoices):
        ARRANGING = "arranging", "Arranging the meeting"
        MEETING_ARRANGED = "meeting_arranged", "Meeting arranged"
        MEETING_HELD = "meeting_held", "Meeting held: report and decision to follow"
        AMENDMENTS_PROPOSED = "amendments_proposed", "Amendments proposed: family's 15 days"
        COMPLETED = "completed", "Completed"

    class Decision(models.TextChoices):
        MAINTAIN = "maintain", "Keep the plan as it is"
        AMEND = "amend", "Amend the plan"
        CEASE = "cease", "Stop maintaining the plan"

    class Outcome(models.TextChoices):
        OPEN = "open", "Open"
        MAINTAINED = "maintained", "Plan kept as it is"
        AMENDED = "amended", "Final amended plan issued"
        NOT_AMENDED = "not_amended", "Decided not to amend after all"
        CEASE = "cease", "Decided to stop maintaining the plan"

    plan = models.ForeignKey(MaintainedPlan, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ANNUAL)
    due_on = models.DateField(help_text="Last day of the period this review answers (R1/R2/R3).")
    transfer_year = models.PositiveIntegerField(null=True, blank=True)
    transfer_post16 = models.BooleanField(default=False)
    transfer_due_on = models.DateField(
        null=True, blank=True, help_text="Phase transfer: 14 February or 30 March (R14, R15)."
    )
    opened_on = models.DateField()
    stage = models.CharField(
        max_length=30, choices=Stage.choices, default=Stage.ARRANGING, db_index=True
    )
    outcome = models.CharField(
        max_length=20, choices=Outcome.choices, default=Outcome.OPEN, db_index=True
    )
    needs_adulthood = models.BooleanField(
        default=False, help_text="Year 9 or above: preparing for adulthood must be considered (R6)."
    )
    # Before the meeting (R4, R5)
    meeting_on = models.DateField(null=True, blank=True)
    notice_sent_on = models.DateField(null=True, blank=True)
    advice_circulated_on = models.DateField(null=True, blank=True)
    # The meeting and its report (R6, R7)
    held_on = models.DateField(null=True, blank=True)
    adulthood_discussed = models.TextField(blank=True, default="")
    report_sent_on = models.DateField(null=True, blank=True)
    recommendations = models.TextField(blank=True, default="")
    # The decision (R8, R9; R24 for ceasing)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True, default="")
    decided_on = models.DateField(null=True, blank=True)
    reasons = models.TextField(blank=True, default="")
    consulted_family_on = models.DateField(null=True, blank=True)
    consulted_setting_on = models.DateField(null=True, blank=True)
    proposed_sections = models.JSONField(default=dict, blank=True)
    evidence = models.TextField(blank=True, default="")
    # After the proposal (R10-R13)
    family_views = models.TextField(blank=True, default="")
    final_issued_on = models.DateField(null=True, blank=True)
    not_amended_on = models.DateField(null=True, blank=True)
    amended_version = models.ForeignKey(
        PlanVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-due_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "due_on"], name="one_review_per_plan_period"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(outcome="open"),
                name="one_open_review_per_plan",
            ),
        ]
        indexes = [
            models.Index(fields=["outcome", "due_on"], name="reviews_by_outcome_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.plan} due {self.due_on:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.outcome == self.Outcome.OPEN


class PlanMove(models.Model):
    """A plan passed between councils when a family moves (R18-R20)."""

    class Direction(models.TextChoices):
        OUT = "out", "To another council"
        IN = "in", "From another council"

    plan = models.ForeignKey(MaintainedPlan, on_delete=models.CASCADE, related_name="moves")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    other_council = models.CharField(max_length=100)
    move_on = models.DateField()
    learnt_on = models.DateField()
    transferred_on = models.DateField(null=True, blank=True)
    family_told_on = models.DateField(null=True, blank=True)
    will_reassess = models.BooleanField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-move_on", "-id"]

    def __str__(self) -> str:
        return f"Plan moved {self.get_direction_display().lower()} on {self.move_on:%d %b %Y}"


class Reassessment(models.Model):
    """A request to reassess the needs behind a plan (R21-R23)."""

    class Decision(models.TextChoices):
        REASSESS = "reassess", "Reassess"
        REFUSE = "refuse", "Refuse: not necessary"

    plan = models.ForeignKey(MaintainedPlan, on_delete=models.CASCADE, related_name="reassessments")
    requested_by = models.CharField(max_length=200)
    received_on = models.DateField()
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True, default="")
    decided_on = models.DateField(null=True, blank=True)
    reasons = models.TextField(blank=True, default="")
    plan_issued_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"Reassessment request received {self.received_on:%d %b %Y}"


class AnnualReviewProcess(Process):
    """Routing flags only; the facts are in AnnualReview (seed) and the case (artifact)."""

    first_review = jsonstore.BooleanField(default=False)
    amending = jsonstore.BooleanField(default=False)

    class Meta:
        proxy = True
        verbose_name = "EHC plan review"


class Post16Move(models.Model):
    """A planned move between post-16 institutions at a time other than September (R16): the
    plan must be reviewed and amended at least 5 months before the move (Reg 18(2))."""

    plan = models.ForeignKey(MaintainedPlan, on_delete=models.CASCADE, related_name="post16_moves")
    move_on = models.DateField()
    new_setting = models.ForeignKey(
        Setting, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    new_setting_name = models.CharField(max_length=200, blank=True, default="")
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["move_on", "id"]

    def __str__(self) -> str:
        return f"Post-16 move planned for {self.move_on:%d %b %Y}"

    @property
    def destination(self) -> str:
        return self.new_setting.name if self.new_setting else self.new_setting_name
