"""Where a disagreement's tasks sit in the shared work queue: each works towards the nearest
open clock of its own disagreement, not the case's 20-week date.

A disagreement's clocks are Deadline rows on the case (disagreements.services.clocks) whose
subject names the disagreement, its mediation, its orders or its recommendations. Each task
looks at the kinds of clock its stage answers for: mediation the mediation and certificate
(M5, M3, M6, M7); carrying out a mediation agreement M9; carrying out the Tribunal's decision
the order duties and recommendation responses; the appeal any clock of the disagreement. The
nearest open one is the task's date; when none is open, the task has no date and sorts last."""

from collections.abc import Sequence
from datetime import date

from viewflow.workflow.models import Task

from disagreements.models import Appeal, Disagreement, Mediation, Order, Recommendation
from ehc.models import Deadline
from workflows.registry import TaskPlace

MEDIATION_KINDS = frozenset({"M5", "M3", "M6", "M7"})
AGREEMENT_KINDS = frozenset({"M9"})


def _kinds_for(node_name: str, kind: str) -> bool:
    if node_name == "mediation":
        return kind in MEDIATION_KINDS
    if node_name == "agreement_duties":
        return kind in AGREEMENT_KINDS
    if node_name == "order_duties":
        return kind not in MEDIATION_KINDS and kind not in AGREEMENT_KINDS
    return True


def _subjects(ids: set[int]) -> dict[str, int]:
    """Each clock subject that belongs to one of these disagreements -> its disagreement
    (the subjects are the models' `subject` properties, built here from ids in bulk)."""
    owner = {f"disagreement-{pk}": pk for pk in ids}
    for pk, d_id in Mediation.objects.filter(disagreement_id__in=ids).values_list(
        "pk", "disagreement_id"
    ):
        owner[f"mediation-{pk}"] = d_id
    for pk, d_id in Appeal.objects.filter(disagreement_id__in=ids).values_list(
        "pk", "disagreement_id"
    ):
        owner[f"appeal-{pk}"] = d_id
    for pk, source, d_id in Order.objects.filter(disagreement_id__in=ids).values_list(
        "pk", "source", "disagreement_id"
    ):
        owner[f"{source}-{pk}"] = d_id
    for pk, d_id in Recommendation.objects.filter(appeal__disagreement_id__in=ids).values_list(
        "pk", "appeal__disagreement_id"
    ):
        owner[f"recommendation-{pk}"] = d_id
    return owner


def disagreement_task_places(tasks: Sequence[Task]) -> dict[int, TaskPlace]:
    """The queue's `places` for DisagreementFlow: seven queries for any number of tasks."""
    ids = {t.process.seed_object_id for t in tasks}
    disagreements = {
        pk: (case_id, team_id)
        for pk, case_id, team_id in Disagreement.objects.filter(pk__in=ids).values_list(
            "pk", "case_id", "case__team_id"
        )
    }
    owner = _subjects(set(disagreements))
    clocks: dict[int, list[tuple[str, date, int]]] = {}
    for pk, kind, subject, due_on in Deadline.objects.filter(
        case_id__in={case_id for case_id, _ in disagreements.values()},
        subject_key__in=list(owner),
        is_open=True,
    ).values_list("pk", "kind", "subject_key", "due_on"):
        clocks.setdefault(owner[subject], []).append((kind, due_on, pk))
    places = {}
    for task in tasks:
        d_id = task.process.seed_object_id
        case_id, team_id = disagreements.get(d_id, (None, None))
        mine = [c for c in clocks.get(d_id, []) if _kinds_for(task.flow_task.name, c[0])]
        nearest = min(mine, key=lambda c: (c[1], c[2]), default=None)
        places[task.pk] = TaskPlace(
            case_id=case_id,
            team_id=team_id,
            due_on=nearest[1] if nearest else None,
            deadline_id=nearest[2] if nearest else None,
        )
    return places
