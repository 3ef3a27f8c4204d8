"""Transfer-review tasks in the shared work queue.

A transfer review's process has the review as its artifact, not a case (before the review
starts there is no case), so this app tells the queue both where each task sits and what it is
about. A task works towards the review's plan deadline: the T8-T10 (or, for an LDA, A13) row on
the review's case once the review has started, and before that the date the plan would be due
under the rule for the planned start."""

from collections.abc import Sequence

from django.urls import reverse
from viewflow.workflow.models import Task

from conversions import timetable as tt
from conversions.flow_refs import TRANSFER_REVIEW_FLOW
from conversions.models import TransferReview
from ehc.models import Deadline
from workflows.queue import ACTIVE, queue_entries_write
from workflows.registry import QueueLink, TaskPlace


def _reviews(tasks: Sequence[Task]) -> dict[int, TransferReview]:
    return TransferReview.objects.select_related("instrument", "instrument__child", "team").in_bulk(
        {int(t.process.artifact_object_id) for t in tasks}
    )


def _plan_kind(review: TransferReview) -> str | None:
    if review.started_on is None:
        return None
    return tt.plan_rule(review.instrument.instrument_type, review.started_on)


def review_task_places(tasks: Sequence[Task]) -> dict[int, TaskPlace]:
    """The queue's `places` for TransferReviewFlow: two queries for any number of tasks."""
    reviews = _reviews(tasks)
    kinds = {r.case_id: _plan_kind(r) for r in reviews.values() if r.case_id is not None}
    clocks = {
        (case_id, kind): (pk, due_on)
        for pk, case_id, kind, due_on in Deadline.objects.filter(
            case_id__in=list(kinds), kind__in={k for k in kinds.values() if k}
        ).values_list("pk", "case_id", "kind", "due_on")
    }
    places = {}
    for task in tasks:
        review = reviews[int(task.process.artifact_object_id)]
        kind = kinds.get(review.case_id) if review.case_id is not None else None
        clock = clocks.get((review.case_id, kind)) if review.case_id and kind else None
        places[task.pk] = TaskPlace(
            case_id=review.case_id,
            team_id=review.team_id,
            due_on=clock[1] if clock else review.plan_due_on,
            deadline_id=clock[0] if clock else None,
        )
    return places


def review_task_links(tasks: Sequence[Task]) -> dict[int, QueueLink]:
    """The review's own pages (its task page and take/release): one query."""
    reviews = _reviews(tasks)
    links = {}
    for task in tasks:
        review = reviews[int(task.process.artifact_object_id)]
        args = [review.pk, task.pk]
        links[task.pk] = QueueLink(
            subject=review.instrument.child.full_name,
            reference=review.instrument.reference,
            team=str(review.team) if review.team_id else "",
            subject_url=reverse("conversions:review_detail", args=[review.pk]),
            task_url=reverse("conversions:task", args=args),
            take_url=reverse("conversions:task_action", args=[*args, "take"]),
            release_url=reverse("conversions:task_action", args=[*args, "release"]),
        )
    return links


def review_queue_refresh(review: TransferReview) -> None:
    """The review's dates changed without a clock row moving (notice given, start planned):
    its open tasks' places follow."""
    queue_entries_write(
        Task.objects.filter(
            process__flow_class=TRANSFER_REVIEW_FLOW,
            process__artifact_object_id=review.pk,
            flow_task_type="HUMAN",
            status__in=ACTIVE,
        ).select_related("process")
    )
