"""Keeping the work queue's entries (workflows.models.QueueEntry) in step with the tasks.

Every human task of a registered flow has one entry holding its case, team, owner, whether it
is open, and its own due date. The entry is written

- when the task is saved (viewflow saves a task on every change of status or owner): a
  post_save receiver, the one signal here, because viewflow's task is not our model and the
  entry is an index of it, not a business rule;
- when the case's deadlines change (ehc.services.deadlines.on_deadlines_changed), so a task's
  date moves with its clock;
- in bulk by code that inserts tasks without the flow (demo seeding): call
  `queue_entries_write(tasks)`; the nightly review pass (reviews.nightly), which knows each new
  task's case, team, owner and clock as it writes them, inserts the same entries itself in the
  same statements (tests/reviews compare them with this module's);
- after every `migrate`, for open tasks that have no entry yet (existing data, and anything a
  bulk insert missed): `queue_entries_backfill()`.

Each flow's `places` function (workflows.registry) answers for many tasks at once, so writing
entries costs a fixed number of queries per flow whatever the number of tasks.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models.signals import post_save
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from ehc.models import Case, Deadline
from workflows.models import QueueEntry
from workflows.registry import TaskPlace, queue_flow, queue_flow_classes

ACTIVE = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
HUMAN = "HUMAN"
BACKFILL_BATCH = 2000
# The 20-week limit (A13) runs for advice not yet asked for, which has no clock of its own.
ADVICE = "A5"
FINAL_PLAN = "A13"


def case_clock_places(tasks: Sequence[Task]) -> dict[int, TaskPlace]:
    """For flows whose artifact is the case: the clock `deadline_for_task(node)` names, on the
    task's case (advice not yet asked for takes the case's 20-week date). Three queries."""
    case_ids = {int(t.process.artifact_object_id) for t in tasks if t.process.artifact_object_id}
    teams = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "team_id"))
    clocks = {
        (case_id, kind, subject): (pk, due_on)
        for pk, case_id, kind, subject, due_on in Deadline.objects.filter(
            case_id__in=case_ids
        ).values_list("pk", "case_id", "kind", "subject_key", "due_on")
    }
    places = {}
    for task in tasks:
        case_id = int(task.process.artifact_object_id or 0) or None
        key = task.flow_task.flow_class.deadline_for_task(task.flow_task.name)
        found = None
        if key is not None and case_id is not None:
            found = clocks.get((case_id, *key))
            if found is None and key[0] == ADVICE:
                found = clocks.get((case_id, FINAL_PLAN, ""))
        places[task.pk] = TaskPlace(
            case_id=case_id,
            team_id=teams.get(case_id) if case_id is not None else None,
            due_on=found[1] if found else None,
            deadline_id=found[0] if found else None,
        )
    return places


def _places(tasks: Sequence[Task]) -> dict[int, TaskPlace]:
    by_flow: dict[type, list[Task]] = defaultdict(list)
    for task in tasks:
        by_flow[task.flow_task.flow_class].append(task)
    places: dict[int, TaskPlace] = {}
    for flow_class, flow_tasks in by_flow.items():
        entry = queue_flow(flow_class)
        if entry is None:
            continue
        places.update((entry.places or case_clock_places)(flow_tasks))
    return places


def queue_entries_write(tasks: Iterable[Task]) -> int:
    """Create or refresh the entries of these human tasks (of any registered flows)."""
    tasks = [t for t in tasks if t.flow_task_type == HUMAN and queue_flow(t.flow_task.flow_class)]
    if not tasks:
        return 0
    places = _places(tasks)
    rows = [
        QueueEntry(
            task_id=task.pk,
            case_id=place.case_id,
            team_id=place.team_id,
            owner_id=task.owner_id,
            is_open=task.status in ACTIVE,
            due_on=place.due_on,
            deadline_id=place.deadline_id,
        )
        for task in tasks
        if (place := places.get(task.pk)) is not None
    ]
    QueueEntry.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["task"],
        update_fields=["case", "team", "owner", "is_open", "due_on", "deadline"],
    )
    return len(rows)


def queue_entries_backfill() -> int:
    """Entries for every open task of a registered flow that has none. Safe to repeat."""
    missing = (
        Task.objects.filter(
            process__flow_class__in=queue_flow_classes(),
            flow_task_type=HUMAN,
            status__in=ACTIVE,
            queue_entry__isnull=True,
        )
        .select_related("process")
        .order_by("pk")
    )
    written, after = 0, 0
    while batch := list(missing.filter(pk__gt=after)[:BACKFILL_BATCH]):
        written += queue_entries_write(batch)
        after = batch[-1].pk
    return written


def case_queue_refresh(*, case: Case) -> None:
    """The case's deadlines changed: its open tasks' dates follow their clocks."""
    tasks = Task.objects.filter(queue_entry__case=case, queue_entry__is_open=True).select_related(
        "process"
    )
    queue_entries_write(list(tasks))


def _task_saved(sender, instance: Task, created: bool, raw: bool = False, **kwargs) -> None:
    if raw or instance.flow_task_type != HUMAN or instance.flow_task is None:
        return
    if queue_flow(instance.flow_task.flow_class) is None:
        return
    if not created:
        moved = QueueEntry.objects.filter(task_id=instance.pk).update(
            is_open=instance.status in ACTIVE, owner_id=instance.owner_id
        )
        if moved:
            return
    queue_entries_write([instance])


def connect() -> None:
    """Called once from WorkflowsConfig.ready()."""
    from ehc.services.deadlines import on_deadlines_changed

    post_save.connect(_task_saved, sender=Task, dispatch_uid="workflows.queue.task_saved")
    on_deadlines_changed(case_queue_refresh)


def backfill_after_migrate(**kwargs) -> None:
    queue_entries_backfill()
