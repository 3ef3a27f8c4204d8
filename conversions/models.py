"""Legacy instruments (Statements of SEN, LDAs), their imports, and their transfer reviews.

The child, the case, the EHC plan and its deadlines live in ehc's tables; these rows hold what
only the transition has: the old instrument, and the dated facts of its transfer.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords
from viewflow import jsonstore
from viewflow.workflow.models import Process

from conversions import timetable as tt
from ehc.models import Case, Child, Setting, Team


class LegacyImport(models.Model):
    """One CSV file that created legacy instruments (a re-import that adds nothing leaves none)."""

    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    rows = models.PositiveIntegerField()
    created = models.PositiveIntegerField()
    unchanged = models.PositiveIntegerField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created} created)"


class LegacyInstrument(models.Model):
    """A Statement of SEN, a Learning Difficulty Assessment or a non-statutory plan."""

    class Type(models.TextChoices):
        STATEMENT = tt.STATEMENT, "Statement of SEN"
        LDA = tt.LDA, "Learning Difficulty Assessment"
        NON_STATUTORY = tt.NON_STATUTORY, "Non-statutory EHC plan"

    class Transfer(models.TextChoices):
        NONE = "", "None expected"
        EARLY_YEARS_TO_SCHOOL = tt.EARLY_YEARS_TO_SCHOOL, "Early years to school"
        INFANT_TO_JUNIOR = tt.INFANT_TO_JUNIOR, "Infant to junior school"
        PRIMARY_TO_MIDDLE = tt.PRIMARY_TO_MIDDLE, "Primary to middle school"
        PRIMARY_TO_SECONDARY = tt.PRIMARY_TO_SECONDARY, "Primary to secondary school"
        MIDDLE_TO_SECONDARY = tt.MIDDLE_TO_SECONDARY, "Middle to secondary school"
        SECONDARY_TO_POST16 = tt.SECONDARY_TO_POST16, "Secondary school to post-16"
        OTHER = tt.OTHER_TRANSFER, "Another move (not a phase transfer)"

    reference = models.CharField(
        max_length=40, unique=True, help_text="The instrument's reference in the old system."
    )
    instrument_type = models.CharField(max_length=20, choices=Type.choices)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="legacy_instruments")
    made_on = models.DateField(help_text="Date the Statement or LDA was made.")
    current_setting = models.ForeignKey(
        Setting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    year_group = models.SmallIntegerField(
        null=True, blank=True, help_text="National Curriculum year: 0 = Reception, 1-14."
    )
    year_group_academic_year = models.SmallIntegerField(
        null=True, blank=True, help_text="The school year the year group is for: 2014 = 2014/15."
    )
    expected_transfer_on = models.DateField(null=True, blank=True)
    expected_transfer_type = models.CharField(
        max_length=30, choices=Transfer.choices, blank=True, default=""
    )
    ceased_on = models.DateField(
        null=True, blank=True, help_text="Ceased without a transfer (left education, moved away)."
    )
    imported_by = models.ForeignKey(
        LegacyImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="instruments"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["reference"]
        indexes = [models.Index(fields=["instrument_type", "made_on"])]

    def __str__(self) -> str:
        return f"{self.get_instrument_type_display()} {self.reference}"

    @property
    def facts(self) -> tt.InstrumentFacts:
        return tt.InstrumentFacts(
            reference=self.reference,
            instrument_type=self.instrument_type,
            year_group=self.year_group,
            year_group_academic_year=self.year_group_academic_year,
            expected_transfer_on=self.expected_transfer_on,
            expected_transfer_type=self.expected_transfer_type,
        )

    @property
    def cohort(self) -> tt.Cohort:
        return tt.cohort_for(self.facts)


class TransferReview(models.Model):
    """The transfer of one instrument: notice, start, the family meeting, and its conclusion.

    Made by the transfer review flow, or imported with the instrument for transfers done before
    the council used this system (those have no case). Dates are what "as of" reports read.
    """

    class Outcome(models.TextChoices):
        OPEN = "", "Not concluded"
        PLAN_ISSUED = "plan_issued", "Final EHC plan issued"
        NO_PLAN = "no_plan", "Decided no EHC plan is needed"

    class Source(models.TextChoices):
        FLOW = "flow", "Recorded in this system"
        IMPORT = "import", "Imported from the old system"

    instrument = models.OneToOneField(
        LegacyInstrument, on_delete=models.PROTECT, related_name="transfer_review"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FLOW)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transfer_reviews",
    )
    case = models.OneToOneField(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="transfer_review"
    )
    notice_given_on = models.DateField(null=True, blank=True)
    planned_start_on = models.DateField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    meeting_on = models.DateField(null=True, blank=True)
    concluded_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["concluded_on"])]

    def __str__(self) -> str:
        return f"Transfer review of {self.instrument.reference}"

    @property
    def is_concluded(self) -> bool:
        return self.concluded_on is not None

    @property
    def plan_due_on(self):
        """When the plan is due under the rule in force at the start (or the planned start)."""
        start = self.started_on or self.planned_start_on
        if start is None:
            return None
        return tt.plan_due(self.instrument.instrument_type, start, self.notice_given_on)


class TransferReviewProcess(Process):
    """Flow state: routing flags only. The review's facts are on process.artifact."""

    needs_notice = jsonstore.BooleanField(default=True)
    issue_plan = jsonstore.BooleanField(default=False)

    class Meta:
        proxy = True
        verbose_name = "Transfer review"
