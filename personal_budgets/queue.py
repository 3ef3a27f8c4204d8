"""Where a personal budget request's task sits in the shared work queue.

PB1 sets no time limit of its own: the budget belongs in the plan being written or amended, so
the task works towards that plan's own date. A request made while the plan is drafted, or during
a reassessment, works to the final plan (A13); one made during a review works to the review's
decision (R8), then the amended plan (R11). The first open one of those clocks on the case is the
task's date; when none is open, the first that exists; otherwise the task has no date and sorts
last."""

from collections.abc import Sequence
from datetime import date

from viewflow.workflow.models import Task

from ehc.models import Case, Deadline
from personal_budgets.models import PersonalBudget
from workflows.registry import TaskPlace

Context = PersonalBudget.Context
CLOCKS_BY_CONTEXT: dict[str, tuple[str, ...]] = {
    Context.DRAFT: ("A13",),
    Context.REASSESSMENT: ("A13",),
    Context.REVIEW: ("R8", "R11"),
}
ALL_KINDS = sorted({kind for kinds in CLOCKS_BY_CONTEXT.values() for kind in kinds})


def budget_task_places(tasks: Sequence[Task]) -> dict[int, TaskPlace]:
    """The queue's `places` for PersonalBudgetFlow: three queries for any number of tasks."""
    budget_ids = {t.process.seed_object_id for t in tasks if t.process.seed_object_id}
    budgets: dict[int, tuple[int, str]] = {
        pk: (case_id, context)
        for pk, case_id, context in PersonalBudget.objects.filter(pk__in=budget_ids).values_list(
            "pk", "case_id", "context"
        )
    }
    case_ids = {case_id for case_id, _ in budgets.values()}
    teams = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "team_id"))
    clocks: dict[tuple[int, str], list[tuple[bool, int, date]]] = {}
    for pk, on_case, kind, due_on, is_open in Deadline.objects.filter(
        case_id__in=case_ids, kind__in=ALL_KINDS
    ).values_list("pk", "case_id", "kind", "due_on", "is_open"):
        clocks.setdefault((on_case, kind), []).append((is_open, pk, due_on))
    places = {}
    for task in tasks:
        found = budgets.get(task.process.seed_object_id or 0)
        case_id: int | None = found[0] if found else None
        context = found[1] if found else ""
        rows = [
            row
            for kind in CLOCKS_BY_CONTEXT.get(context, ())
            for row in (clocks.get((case_id, kind), []) if case_id is not None else [])
        ]
        chosen = next((row for row in rows if row[0]), rows[0] if rows else None)
        places[task.pk] = TaskPlace(
            case_id=case_id,
            team_id=teams.get(case_id) if case_id is not None else None,
            due_on=chosen[2] if chosen else None,
            deadline_id=chosen[1] if chosen else None,
        )
    return places
