"""The nightly pass: open the review of every maintained plan whose review falls due within
OPEN_AHEAD_DAYS, in bulk (the flow's start would cost a dozen queries a plan).

For each plan it inserts, in batches, what AnnualReviewFlow.start would: the AnnualReview, its
process, the done start task and the open "arrange the meeting" task (assigned to the case's
caseworker, otherwise in the team's queue), and the review's first clocks R4 and R5 (and R14/R15
for a phase transfer), counted back from the last day the meeting can be held. The one-review-
per-plan-and-period constraint makes a second run (or a run racing a caseworker) harmless: plans
that already have an open review are left out, and a conflicting insert is skipped.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from ehc import deadline_rules as dr
from ehc.models import Case, Deadline
from ehc.services.common import local_today
from ehc.services.deadlines import deadline_row_fields
from reviews import services
from reviews.bulk import DEADLINE_FIELDS, insert_plain
from reviews.models import AnnualReview, AnnualReviewProcess, MaintainedPlan
from workflows.flows import PROGRESS
from workflows.queue import queue_entries_write

OPEN_AHEAD_DAYS = 84  # 12 weeks: time to give notice, gather advice and meet
BATCH_SIZE = 2000


def plans_due_for_review(today: date):
    open_review = AnnualReview.objects.filter(plan=OuterRef("pk"), outcome="open")
    return (
        MaintainedPlan.objects.filter(
            status__in=[MaintainedPlan.Status.MAINTAINED, MaintainedPlan.Status.CEASING],
            next_review_due__lte=today + timedelta(days=OPEN_AHEAD_DAYS),
        )
        .exclude(Exists(open_review))
        .select_related("case", "child", "current_setting", "case__assigned_caseworker")
        .order_by("id")
    )


def reviews_open_due(*, today: date | None = None) -> int:
    """Open every review falling due; returns how many were opened."""
    from reviews.flows import AnnualReviewFlow

    today = today or local_today()
    opened = 0
    ids = list(plans_due_for_review(today).values_list("id", flat=True))
    case_type = ContentType.objects.get_for_model(Case)
    review_type = ContentType.objects.get_for_model(AnnualReview)
    for start in range(0, len(ids), BATCH_SIZE):
        with transaction.atomic():
            plans = list(plans_due_for_review(today).filter(id__in=ids[start : start + BATCH_SIZE]))
            opened += _open_batch(plans, today, AnnualReviewFlow, case_type, review_type)
    return opened


def _open_batch(plans, today, flow_class, case_type, review_type) -> int:
    shapes = [services.review_plan_for(plan, today) for plan in plans]
    reviews = AnnualReview.objects.bulk_create(
        [
            AnnualReview(
                plan=plan,
                kind=shape.kind,
                due_on=shape.due_on,
                opened_on=today,
                transfer_year=shape.transfer.year if shape.transfer else None,
                transfer_post16=bool(shape.transfer and shape.transfer.post16),
                transfer_due_on=shape.transfer.deadline if shape.transfer else None,
            )
            for plan, shape in zip(plans, shapes, strict=True)
        ]
    )
    processes = AnnualReviewProcess.objects.bulk_create(
        [
            AnnualReviewProcess(
                flow_class=flow_class,
                status=PROCESS.NEW,
                artifact_content_type=case_type,
                artifact_object_id=plan.case_id,
                seed_content_type=review_type,
                seed_object_id=review.pk,
                data={"first_review": plan.last_review_meeting_on is None, "amending": False},
            )
            for plan, review in zip(plans, reviews, strict=True)
        ]
    )
    Task.objects.bulk_create(
        [
            Task(
                process=process,
                flow_task=flow_class.start,
                flow_task_type="START",
                status=STATUS.DONE,
                token=Token("start"),
            )
            for process in processes
        ]
        + [
            Task(
                process=process,
                flow_task=flow_class.arrange_meeting,
                flow_task_type="HUMAN",
                status=STATUS.ASSIGNED if plan.case.assigned_caseworker_id else STATUS.NEW,
                owner_id=plan.case.assigned_caseworker_id,
                owner_permission=PROGRESS,
                token=Token("start"),
            )
            for plan, process in zip(plans, processes, strict=True)
        ]
    )
    insert_plain(
        Deadline,
        ["case_id", "source", *DEADLINE_FIELDS],
        _clock_rows(plans, reviews, shapes, today),
    )
    queue_entries_write(
        Task.objects.filter(process__in=processes, flow_task_type="HUMAN").select_related("process")
    )
    return len(reviews)


def _clock_rows(plans, reviews, shapes, today) -> list[tuple]:
    from ehc import timescales

    rows = []
    for plan, review, shape in zip(plans, reviews, shapes, strict=True):
        clocks = [
            ("R4", timescales.review_notice_latest(shape.target_meeting)),
            ("R5", timescales.review_advice_latest(shape.target_meeting)),
        ]
        if review.transfer_due_on:
            clocks.append(("R15" if review.transfer_post16 else "R14", review.transfer_due_on))
        for kind, due in clocks:
            planned = dr.PlannedDeadline(
                kind=kind,
                subject_key="",
                starts_on=today,
                due_on=due,
                met_on=None,
                needed=True,
                started_by=None,
            )
            fields = deadline_row_fields(planned, today=today, excused=False)
            rows.append((plan.case_id, services.SOURCE, *(fields[f] for f in DEADLINE_FIELDS)))
    # A plan reviewed before has R4/R5 rows from its last review: replace them.
    Deadline.objects.filter(
        case_id__in=[p.case_id for p in plans],
        source=services.SOURCE,
        kind__in=["R4", "R5", "R7", "R8", "R10", "R11", "R12", "R13", "R14", "R15"],
    ).delete()
    return rows
