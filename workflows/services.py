"""Where a case meets its flow: starting it, and closing both together."""

from collections.abc import Sequence
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from ehc.models import Case, Child, Setting, Team, User
from ehc.services import ChildDetails, ContactDetails, case_assign, case_create_from_request
from ehc.services.assessment import case_close
from workflows.flows import EHCNeedsAssessmentFlow
from workflows.models import EHCAssessmentProcess, TaskAssignmentChange
from workflows.registry import CASE_CLOSE_HOOKS, CASE_FLOWS

TASK_FINISHED = "That task is finished or cancelled, so nobody can take, release or reassign it."
TASK_OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


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
            held = list(
                Task.objects.filter(process=process, status=STATUS.ASSIGNED)
                .exclude(owner=None)
                .exclude(owner=caseworker)
            )
            Task.objects.filter(pk__in=[t.pk for t in held]).update(owner=caseworker)
            TaskAssignmentChange.objects.bulk_create(
                _assignment_change(
                    task=task,
                    case=case,
                    how=TaskAssignmentChange.How.MOVED_WITH_CASE,
                    from_user_id=task.owner_id,
                    to_user=caseworker,
                    acting_user=acting_user,
                )
                for task in held
            )
            moved += len(held)
    return moved


def _assignment_change(
    *,
    task: Task,
    case: Case,
    how: str,
    from_user_id: int | None,
    to_user: User | None,
    acting_user: User,
) -> TaskAssignmentChange:
    return TaskAssignmentChange(
        task=task,
        case=case,
        task_title=str(task.flow_task.task_title)[:200],
        how=how,
        from_user_id=from_user_id,
        to_user=to_user,
        changed_by=acting_user,
    )


def task_take(*, task: Task, case: Case, acting_user: User) -> TaskAssignmentChange:
    """The acting user takes a task from the queue (the first to take one on a case becomes
    its named caseworker, so the family is told who that is)."""
    node = task.flow_task
    with node.flow_class.lock(task.process_id), transaction.atomic():
        task.refresh_from_db()
        if task.status not in TASK_OPEN:
            raise ValidationError(TASK_FINISHED)
        if not node.can_assign(acting_user, task):
            raise PermissionDenied("You cannot take this task.")
        node.activation_class(task).assign(acting_user)
        if case.assigned_caseworker_id is None:
            case_assign(case=case, caseworker=acting_user, acting_user=acting_user)
        change = _assignment_change(
            task=task,
            case=case,
            how=TaskAssignmentChange.How.TAKEN,
            from_user_id=None,
            to_user=acting_user,
            acting_user=acting_user,
        )
        change.save()
        return change


def task_release(*, task: Task, case: Case, acting_user: User) -> TaskAssignmentChange:
    """The holder (or a flow manager) gives a task back to the team's queue."""
    node = task.flow_task
    with node.flow_class.lock(task.process_id), transaction.atomic():
        task.refresh_from_db()
        if task.status not in TASK_OPEN:
            raise ValidationError(TASK_FINISHED)
        if not node.can_unassign(acting_user, task):
            raise PermissionDenied("You cannot release this task.")
        from_user_id = task.owner_id
        node.activation_class(task).unassign()
        change = _assignment_change(
            task=task,
            case=case,
            how=TaskAssignmentChange.How.RELEASED,
            from_user_id=from_user_id,
            to_user=None,
            acting_user=acting_user,
        )
        change.save()
        return change


def task_reassign(
    *, task: Task, case: Case, owner: User, acting_user: User
) -> TaskAssignmentChange:
    """A manager gives one open task to someone (held or unheld), recorded with who had it."""
    node = task.flow_task
    with node.flow_class.lock(task.process_id), transaction.atomic():
        task.refresh_from_db()
        if task.status not in TASK_OPEN:
            raise ValidationError(TASK_FINISHED)
        from_user_id = task.owner_id
        activation = node.activation_class(task)
        if task.owner_id:
            activation.reassign(user=owner)
        else:
            task.owner = owner
            activation.assign(owner)
        change = _assignment_change(
            task=task,
            case=case,
            how=TaskAssignmentChange.How.REASSIGNED,
            from_user_id=from_user_id,
            to_user=owner,
            acting_user=acting_user,
        )
        change.save()
        return change


def _open_processes(case: Case):
    """(flow class, process) for every running process of every flow whose artifact is the case."""
    for flow_class in CASE_FLOWS:
        processes = flow_class.process_class.objects.filter(
            artifact_object_id=case.pk, flow_class=flow_class, status=PROCESS.NEW
        )
        for process in processes:
            yield flow_class, process
