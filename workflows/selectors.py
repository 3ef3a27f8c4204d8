"""Reads for the caseworker's queue and the case page: fixed query counts, whatever the size."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from ehc import roles
from ehc.access import user_teams
from ehc.models import Case, Deadline
from ehc.selectors import DeadlineBadge, deadline_badge
from workflows.models import QueueEntry, TaskAssignmentChange
from workflows.registry import CASE_FLOWS, QueueLink, queue_flow

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
    """The clock the task works towards: its queue entry's, else looked up on the case."""
    entry = QueueEntry.objects.filter(task_id=task.pk).select_related("deadline").first()
    if entry is not None:
        return entry.deadline
    return _task_clock(
        task, lambda kind, subject: case.deadlines.filter(kind=kind, subject_key=subject).first()
    )


@dataclass
class QueueRow:
    task: Task
    link: QueueLink
    due_on: date | None
    deadline: Deadline | None
    badge: DeadlineBadge | None


def case_tasks() -> QuerySet[Task]:
    """Human tasks of every flow whose artifact is a case."""
    return Task.objects.filter(process__flow_class__in=CASE_FLOWS, flow_task_type="HUMAN")


def task_queue(*, user, scope: str) -> QuerySet[QueueEntry]:
    """'mine': tasks assigned to me; 'team': unassigned tasks of my teams' cases and reviews;
    'all' (managers): every open task. Every flow's tasks, nearest own due date first: one
    ORDER BY on a partial index of the stored entries (workflows.queue keeps them)."""
    entries = QueueEntry.objects.filter(is_open=True)
    if scope == "mine":
        entries = entries.filter(owner=user)
    elif not (scope == "all" and user.has_perm(roles.VIEW_ALL_CASES)):
        entries = entries.filter(owner__isnull=True, team__in=user_teams(user))
    return entries.order_by(F("due_on").asc(nulls_last=True), "task_id")


def _case_links(tasks: list[Task], entries: dict[int, QueueEntry]) -> dict[int, QueueLink]:
    """The case's pages, for tasks of flows whose artifact is the case (one query)."""
    cases = Case.objects.select_related("child", "team").in_bulk(
        {entries[t.pk].case_id for t in tasks}
    )
    links = {}
    for task in tasks:
        case = cases[entries[task.pk].case_id]
        args = [case.pk, task.pk]
        links[task.pk] = QueueLink(
            subject=case.child.full_name,
            reference=case.reference,
            team=str(case.team) if case.team_id else "",
            subject_url=reverse("ehc:case_detail", args=[case.pk]),
            task_url=reverse("workflows:task", args=args),
            take_url=reverse("workflows:task_action", args=[*args, "take"]),
            release_url=reverse("workflows:task_action", args=[*args, "release"]),
            reassign_url=reverse("workflows:reassign", args=args),
        )
    return links


def _due_badge(entry: QueueEntry, today: date) -> DeadlineBadge | None:
    if entry.deadline is not None:
        return deadline_badge(entry.deadline, today)
    if entry.due_on is not None:  # a date with no clock row yet (a transfer review not started)
        return deadline_badge(Deadline(due_on=entry.due_on, is_open=True), today)
    return None


def queue_page(*, user, scope: str, page_number, today: date) -> tuple[Page, list[QueueRow]]:
    """One page of the queue: the entries with their tasks, owners and clocks (one query and a
    count), then what each task is about: one query for all case flows, and one for each other
    registered flow with a task on the page. A fixed number, whatever the size."""
    queue = task_queue(user=user, scope=scope)
    # The page's task ids come from the queue's index alone; only those 25 rows are joined to
    # their tasks, owners and clocks (a join before OFFSET would join every row skipped).
    page = Paginator(queue.values_list("task_id", flat=True), PAGE_SIZE).get_page(page_number)
    entries = {
        e.task_id: e
        for e in queue.filter(task_id__in=page.object_list).select_related(
            "task", "task__owner", "task__process", "deadline"
        )
    }
    tasks = [e.task for e in entries.values()]
    by_flow: dict[type, list[Task]] = defaultdict(list)
    for task in tasks:
        by_flow[task.flow_task.flow_class].append(task)
    links: dict[int, QueueLink] = {}
    case_flow_tasks = []
    for flow_class, flow_tasks in by_flow.items():
        registered = queue_flow(flow_class)
        if registered is not None and registered.links is not None:
            links.update(registered.links(flow_tasks))
        else:
            case_flow_tasks.extend(flow_tasks)
    if case_flow_tasks:
        links.update(_case_links(case_flow_tasks, entries))
    rows = [
        QueueRow(
            task=task,
            link=links[task.pk],
            due_on=entries[task.pk].due_on,
            deadline=entries[task.pk].deadline,
            badge=_due_badge(entries[task.pk], today),
        )
        for task in tasks
    ]
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
