"""What the SEN2 return needs that the core records do not hold, attached to them one-to-one or
per request. Codes are stored as text and checked against the year's code lists by the rules
(sen2.checks), so a record with a code from an old list or an import is reported, never refused
on read."""

from django.db import models
from simple_history.models import HistoricalRecords

from ehc.models import Case, Child, Setting


class PersonProfile(models.Model):
    """Module 1 items about the child or young person."""

    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="sen2_profile")
    sex = models.CharField(max_length=2, blank=True)
    ethnicity = models.CharField(max_length=4, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    uln = models.CharField("Unique learner number", max_length=10, blank=True)
    upn_unknown = models.CharField("Why there is no UPN", max_length=4, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"SEN2 details for {self.child}"


class RequestDetail(models.Model):
    """Module 2 and 3 items about one request that the case's events do not say."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="sen2_request")
    request_source = models.CharField(max_length=4, blank=True)
    rya = models.BooleanField("Made while in relevant youth accommodation", default=False)
    request_mediation = models.BooleanField(default=False)
    request_tribunal = models.BooleanField(default=False)
    assessment_mediation = models.BooleanField(default=False)
    assessment_tribunal = models.BooleanField(default=False)
    other_mediation = models.BooleanField(default=False)
    other_tribunal = models.BooleanField(default=False)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"SEN2 request details for {self.case}"


class PlanDetail(models.Model):
    """Module 4a and 5a items about the plan a request led to.

    The review dates and cease date here are for plans the reviews app does not hold (brought in
    with no review history); where it holds them, its records win. sen2.sources is the one place
    that decides which is read."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="sen2_plan")
    residential = models.BooleanField("Residential placement (PlanRes)", default=False)
    work_based = models.BooleanField("Work-based learning (PlanWBP)", default=False)
    personal_budget = models.BooleanField("Personal budget taken up (PB)", default=False)
    organised_arrangements = models.BooleanField("Organised arrangements (OA)", default=False)
    direct_payments = models.BooleanField("Direct payments (DP)", default=False)
    review_meeting_on = models.DateField(null=True, blank=True)
    review_decided_on = models.DateField(null=True, blank=True)
    cease_date = models.DateField(null=True, blank=True)
    cease_reason = models.CharField(max_length=2, blank=True)
    transfer_la = models.CharField(
        "The council the plan was passed from (TransferLA, its 3-digit code)",
        max_length=3,
        blank=True,
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"SEN2 plan details for {self.case}"


class NeedType(models.Model):
    """Module 5c: a SEN type, ranked; rank 1 is the primary need."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sen2_needs")
    sen_type = models.CharField(max_length=4)
    rank = models.PositiveSmallIntegerField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "rank", "id"]

    def __str__(self) -> str:
        return f"{self.sen_type} (rank {self.rank})"


class Placement(models.Model):
    """Modules 4b and 5b: where the plan is delivered. A setting from the register (URN or
    UKPRN), or a SENsetting code where there is none."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sen2_placements")
    setting = models.ForeignKey(
        Setting, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sen_setting = models.CharField("SENsetting code", max_length=4, blank=True)
    sen_setting_other = models.CharField(max_length=100, blank=True)
    rank = models.PositiveSmallIntegerField(default=1)
    entry_date = models.DateField(null=True, blank=True)
    leaving_date = models.DateField(null=True, blank=True)
    sen_unit = models.BooleanField("SEN unit", default=False)
    resourced_provision = models.BooleanField(default=False)
    residential = models.BooleanField(default=False)
    work_based = models.BooleanField("Work-based", default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "rank", "entry_date", "id"]

    def __str__(self) -> str:
        return str(self.setting or self.sen_setting or "Placement")
