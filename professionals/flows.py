"""Where advice sent online meets the needs-assessment flow: the adviser's task on the case is
done, as if the caseworker had recorded the advice on the task page (the event itself is
recorded by the caseworker's service, in professionals.services.advice_submit)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from viewflow.workflow.status import STATUS

from ehc.models import Case, User
from professionals import services
from professionals.models import AdviceRequest
from workflows.flows import EHCNeedsAssessmentFlow
from workflows.services import assessment_process_for


def advice_task_complete(*, case: Case, adviser: str, acting_user: User) -> bool:
    """Finish the open "<adviser> advice" task of the case's assessment, if there is one (a case
    brought in part-way may have none). True when a task was finished."""
    process = assessment_process_for(case)
    if process is None:
        return False
    flow_class = EHCNeedsAssessmentFlow
    with flow_class.lock(process.pk):
        task = (
            process.task_set.filter(
                flow_task=getattr(flow_class, f"advice_{adviser}", None),
                status__in=(STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED),
            )
            .order_by("id")
            .first()
        )
        if task is None:
            return False
        node = task.flow_task
        activation = node.activation_class(task)
        if task.status == STATUS.NEW:
            # The task keeps its place in the caseworker's list: it is done on their case.
            activation.assign(case.assigned_caseworker or acting_user)
        if task.status == STATUS.ASSIGNED:
            activation.start(None)
        task.started = task.started or timezone.now()
        activation.execute()
    return True


@transaction.atomic
def advice_send(*, advice: AdviceRequest, acting_user: User, today=None) -> AdviceRequest:
    """Send the organisation's advice (professionals.services.advice_submit records it on the
    case) and finish the adviser's task, so the case moves on when the last advice is in."""
    advice = services.advice_submit(advice=advice, acting_user=acting_user, today=today)
    advice_task_complete(case=advice.case, adviser=advice.adviser, acting_user=acting_user)
    return advice
