"""Flow state: routing flags only. The case's facts live in ehc's tables (process.artifact)."""

from viewflow import jsonstore
from viewflow.workflow.models import Process


class EHCAssessmentProcess(Process):
    decided_to_assess = jsonstore.BooleanField(default=False)
    issue_plan = jsonstore.BooleanField(default=False)
    needs_adulthood_advice = jsonstore.BooleanField(default=False)
    other_advice_requested = jsonstore.BooleanField(default=False)

    class Meta:
        proxy = True
        verbose_name = "EHC needs assessment"
