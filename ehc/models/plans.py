"""The EHC plan (sections A-K, each separately identified: Reg 12(1)) and the notices sent."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ehc.models.cases import Case, CaseEvent
from ehc.models.people import Setting

# Spec §6. Section I (the placement) stays blank in the draft: CFA s.38(5).
PLAN_SECTIONS = [
    ("section_a", "A", "Views, interests and aspirations"),
    ("section_b", "B", "Special educational needs"),
    ("section_c", "C", "Health care needs relating to the special educational needs"),
    ("section_d", "D", "Social care needs relating to special educational needs or disability"),
    ("section_e", "E", "Outcomes sought, including for adult life"),
    ("section_f", "F", "Special educational provision"),
    ("section_g", "G", "Health care provision"),
    (
        "section_h1",
        "H1",
        "Social care provision under the Chronically Sick and Disabled Persons Act 1970",
    ),
    ("section_h2", "H2", "Other social care provision"),
    ("section_i", "I", "Placement: name and type of school or other institution"),
    ("section_j", "J", "Personal budget, including arrangements for direct payments"),
    ("section_k", "K", "Advice and information gathered during the assessment"),
]


class EHCPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINAL = "final", "Final"

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="plan")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
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
    setting_type = models.CharField(
        max_length=200, blank=True, help_text="The type of setting, where none is named."
    )
    draft_served_on = models.DateField(null=True, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"EHC plan for {self.case.reference} ({self.get_status_display()})"

    def sections(self) -> list[tuple[str, str, str]]:
        """(letter, title, text) for each section, in order."""
        return [(letter, title, getattr(self, field)) for field, letter, title in PLAN_SECTIONS]


class Notice(models.Model):
    """A dated letter to the family; appealable ones carry the rights text (Regs 5(3), 10(2), 32)."""

    class Kind(models.TextChoices):
        CONSIDERING = "considering", "Assessment being considered (to professionals)"
        DECISION_TO_ASSESS = "decision_to_assess", "Decision to carry out an assessment"
        REFUSAL_TO_ASSESS = "refusal_to_assess", "Decision not to carry out an assessment"
        NO_PLAN = "no_plan", "Decision not to issue an EHC plan"
        DRAFT_PLAN = "draft_plan", "Draft EHC plan"
        FINAL_PLAN = "final_plan", "Final EHC plan"

    APPEALABLE = {Kind.REFUSAL_TO_ASSESS, Kind.NO_PLAN, Kind.FINAL_PLAN}

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    sent_on = models.DateField()
    event = models.ForeignKey(CaseEvent, null=True, on_delete=models.SET_NULL, related_name="+")
    reasons = models.TextField(blank=True)
    recipients = models.TextField(blank=True)
    mediation_contact_by = models.DateField(null=True, blank=True)
    appeal_by = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.sent_on:%d %b %Y})"

    @property
    def is_appealable(self) -> bool:
        return self.kind in self.APPEALABLE
