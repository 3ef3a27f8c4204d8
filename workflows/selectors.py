"""Reads for the caseworker's queue and the case page: fixed query counts, whatever the size."""

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Case as Case_
from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from ehc import roles
from ehc.access import user_teams
from ehc.models import Case, Deadline
from ehc.selectors import DeadlineBadge, deadline_badge
from workflows.models import TaskAssignmentChange
from workflows.registry import CASE_FLOWS, case_flow_nodes

ACTIVE = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]
PAGE_SIZE = 25


def task_deadline_key(task_or_node) -> tuple[str, str] | None:
    """(kind, subject_key) of the statutory clock a task (or node) works towards."""
    node = getattr(task_or_node, "flow_task", task_or_node)
    deadline_for_task = getattr(node.flow_class, "deadline_for_task", None)
    return deadline_for_task(node.name) if deadline_for_task else None


def _task_clock(task: Task, find) -> Deadline | None:
    """The deadline a task works towards, looked up with find(kind, subject_key)."""
    key = task_deadline_key(task)
    if key is None:
        return None
    found = find(*key)
    if found is None and key[0] == "A5":  # advice not asked for yet: the 20-week clock runs
        found = find("A13", "")
    return found


def task_deadline(task: Task, case: Case) -> Deadline | None:
    return _task_clock(
        task, lambda kind, subject: case.deadlines.filter(kind=kind, subject_key=subject).first()
    )


@dataclass
class QueueRow:
    task: Task
    case: Case
    deadline: Deadline | None
    badge: DeadlineBadge | None


def _task_deadline_expressions():
    """SQL for each task's statutory clock: (kind, subject) from its node, for every case flow."""
    keys = list(case_flow_nodes())

    def by_node(part: int):
        whens = [When(flow_task=node, then=Value(key[part])) for node, key in keys]
        return Case_(*whens, default=Value(""))

    return by_node(0), by_node(1)


def case_tasks() -> QuerySet[Task]:
    """Human tasks of every flow whose artifact is a case."""
    return Task.objects.filter(process__flow_class__in=CASE_FLOWS, flow_task_type="HUMAN")


def _open_tasks() -> QuerySet[Task]:
    kind, subject = _task_deadline_expressions()
    own_due = Deadline.objects.filter(
        case_id=OuterRef("case_id"),
        kind=OuterRef("deadline_kind"),
        subject_key=OuterRef("deadline_subject"),
    ).values("due_on")[:1]
    # Advice not yet asked for has no clock of its own: the 20-week limit still runs.
    final_due = Deadline.objects.filter(case_id=OuterRef("case_id"), kind="A13").values("due_on")[
        :1
    ]
    return (
        case_tasks()
        .filter(status__in=ACTIVE)
        .annotate(case_id=Cast("process__artifact_object_id", IntegerField()))
        .annotate(deadline_kind=kind, deadline_subject=subject)
        .annotate(next_due=Coalesce(Subquery(own_due), Subquery(final_due)))
        .select_related("owner")
        .order_by("next_due", "id")
    )


def task_queue(*, user, scope: str) -> QuerySet[Task]:
    """'mine': tasks assigned to me; 'team': unassigned tasks of my teams' cases;
    'all' (managers): every open task."""
    tasks = _open_tasks()
    if scope == "mine":
        return tasks.filter(owner=user)
    if scope == "all" and user.has_perm(roles.VIEW_ALL_CASES):
        return tasks
    team_cases = Case.objects.filter(team__in=user_teams(user)).values("id")
    return tasks.filter(owner__isnull=True, case_id__in=team_cases)


def queue_page(*, user, scope: str, page_number, today: date) -> tuple[Page, list[QueueRow]]:
    """One page of the queue with each task's case and statutory date (3 queries + count)."""
    page = Paginator(task_queue(user=user, scope=scope), PAGE_SIZE).get_page(page_number)
    tasks = list(page.object_list)
    case_ids = {t.case_id for t in tasks}
    cases = Case.objects.select_related("child", "assigned_caseworker", "team").in_bulk(case_ids)
    deadlines = {
        (d.case_id, d.kind, d.subject_key): d for d in Deadline.objects.filter(case_id__in=case_ids)
    }
    rows = []
    for task in tasks:
        deadline = _task_clock(task, lambda k, s, t=task: deadlines.get((t.case_id, k, s)))
        badge = deadline_badge(deadline, today) if deadline else None
        rows.append(QueueRow(task=task, case=cases[task.case_id], deadline=deadline, badge=badge))
    return page, rows


def case_task_assignment_changes(*, case: Case) -> list[TaskAssignmentChange]:
    """Who took, released or was given each of the case's tasks, newest first."""
    return list(
        TaskAssignmentChange.objects.filter(case=case).select_related(
            "from_user", "to_user", "changed_by"
        )
    )


def case_open_tasks(case: Case) -> list[Task]:
    return list(
        case_tasks()
        .filter(process__artifact_object_id=case.pk, status__in=ACTIVE)
        .select_related("owner")
        .order_by("id")
    )


def case_next_task_for(*, case: Case, user, after: Task) -> Task | None:
    """The first open task of this case made after `after` that this user holds: what the
    task just done led to, or the next of a set of tasks made together (the advice requests).
    Older open tasks are not offered, so saving part of a task never sends the caseworker
    round in a circle."""
    return next(
        (t for t in case_open_tasks(case) if t.owner_id == user.pk and t.pk > after.pk), None
    )
