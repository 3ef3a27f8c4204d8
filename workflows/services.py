"""Where a case meets its flow: starting it, and closing both together."""

from collections.abc import Sequence
from datetime import date, datetime

from django.db import transaction
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from ehc.models import Case, Child, Setting, Team, User
from ehc.services import ChildDetails, ContactDetails, case_assign, case_create_from_request
from ehc.services.assessment import case_close
from workflows.flows import EHCNeedsAssessmentFlow
from workflows.models import EHCAssessmentProcess
from workflows.registry import CASE_CLOSE_HOOKS, CASE_FLOWS


def assessment_process_for(case: Case) -> EHCAssessmentProcess | None:
    return (
        EHCAssessmentProcess.objects.filter(
            artifact_object_id=case.pk, flow_class=EHCNeedsAssessmentFlow
        )
        .order_by("-id")
        .first()
    )


@transaction.atomic
def assessment_start(*, case: Case) -> EHCAssessmentProcess:
    """Start the assessment flow for a newly registered case."""
    return EHCNeedsAssessmentFlow.start.run(case=case)


@transaction.atomic
def request_register(
    *,
    child: Child | None = None,
    child_details: ChildDetails | None = None,
    contacts: Sequence[ContactDetails] = (),
    team: Team,
    requester_type: str,
    requester_name: str = "",
    request_channel: str,
    received_at: datetime | None = None,
    brought_to_attention_on: date | None = None,
    requested_setting: Setting | None = None,
    acting_user: User | None,
) -> Case:
    """Register a request as a case and start its flow: the one entry point for new requests."""
    case = case_create_from_request(
        child=child,
        child_details=child_details,
        contacts=list(contacts),
        team=team,
        requester_type=requester_type,
        requester_name=requester_name,
        request_channel=request_channel,
        received_at=received_at,
        brought_to_attention_on=brought_to_attention_on,
        requested_setting=requested_setting,
        acting_user=acting_user,
    )
    assessment_start(case=case)
    return case


@transaction.atomic
def case_close_with_flow(
    *, case: Case, kind: str, closed_on: date, reason: str, acting_user: User
) -> None:
    """Withdrawal or a move: record it (deadlines stop) and cancel the open tasks."""
    case_close(case=case, kind=kind, closed_on=closed_on, reason=reason, acting_user=acting_user)
    for flow_class, process in _open_processes(case):
        flow_class.instance.cancel(process)
    for hook in CASE_CLOSE_HOOKS:
        hook(case)


@transaction.atomic
def case_reassign(*, case: Case, caseworker: User, acting_user: User) -> int:
    """Give a case, and the open tasks someone already holds on it, to another caseworker.
    Unassigned tasks stay in the team's queue. Returns how many tasks moved."""
    case_assign(case=case, caseworker=caseworker, acting_user=acting_user)
    moved = 0
    for flow_class, process in _open_processes(case):
        with flow_class.lock(process.pk):
            held = Task.objects.filter(process=process, status=STATUS.ASSIGNED)
            moved += held.exclude(owner=None).update(owner=caseworker)
    return moved


def _open_processes(case: Case):
    """(flow class, process) for every running process of every flow whose artifact is the case."""
    for flow_class in CASE_FLOWS:
        processes = flow_class.process_class.objects.filter(
            artifact_object_id=case.pk, flow_class=flow_class, status=PROCESS.NEW
        )
        for process in processes:
            yield flow_class, process
