"""The nightly pass: open the review of every maintained plan whose review falls due within
OPEN_AHEAD_DAYS, in bulk (the flow's start would cost a dozen queries a plan).

For each plan it inserts, in batches, what AnnualReviewFlow.start would: the AnnualReview, its
history row, its process, the done start task and the open "arrange the meeting" task (assigned
to the case's caseworker, otherwise in the team's queue) with its work-queue entry, and the
review's first clocks R4 and R5 (and R14/R15 for a phase transfer), counted back from the last
day the meeting can be held. The dates come from ehc.timescales, worked out in Python once per
distinct input; the rows are written by INSERT ... SELECT from a staged copy of the batch. The one-review-
per-plan-and-period constraint makes a second run harmless: plans that already have an open
review are left out, and the chosen plans are locked until the pass commits, so a caseworker
opening a review of one of them at the same moment waits and is then told it is open.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Exists, Field, Model, OuterRef
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from ehc import deadline_rules as dr
from ehc.models import Case, Deadline
from ehc.services.common import local_today
from ehc.services.deadlines import deadline_row_fields
from reviews import services
from reviews.bulk import (
    DEADLINE_FIELDS,
    Const,
    allocate_ids,
    const_sql,
    insert_history,
    insert_select,
    stage_create,
    stage_drop,
    stage_write,
)
from reviews.models import AnnualReview, MaintainedPlan
from workflows.flows import PROGRESS
from workflows.models import QueueEntry

OPEN_AHEAD_DAYS = 84  # 12 weeks: time to give notice, gather advice and meet
BATCH_SIZE = 10_000
HISTORY_REASON = "Opened by the nightly pass"
FIRST_REVIEW = {"first_review": True, "amending": False}  # the process's routing flags
LATER_REVIEW = {"first_review": False, "amending": False}
REVIEW_CLOCKS = ["R4", "R5", "R7", "R8", "R10", "R11", "R12", "R13", "R14", "R15"]


def plans_due_for_review(today: date):
    open_review = AnnualReview.objects.filter(plan=OuterRef("pk"), outcome="open")
    return (
        MaintainedPlan.objects.filter(
            status__in=[MaintainedPlan.Status.MAINTAINED, MaintainedPlan.Status.CEASING],
            next_review_due__lte=today + timedelta(days=OPEN_AHEAD_DAYS),
        )
        .exclude(Exists(open_review))
        .order_by("id")
    )


COLUMNS = (
    "id",
    "case_id",
    "next_review_due",
    "origin",
    "last_review_meeting_on",
    "child__date_of_birth",
    "current_setting__phase",
    "current_setting__kind",
    "case__assigned_caseworker_id",
    "case__team_id",
)


def reviews_open_due(*, today: date | None = None) -> int:
    """Open every review falling due; returns how many were opened.

    Set-based: one query chooses the cohort (the plans are locked, so a caseworker opening a
    review at the same moment waits and then finds this one), then each batch of BATCH_SIZE
    plans costs a fixed number of statements, whatever its size: the batch's facts are worked
    out in Python (each review's shape and clock dates from ehc.timescales, once per distinct
    input) and written to two temporary tables, from which the reviews, their history rows,
    processes, tasks and their links, the clocks and the work-queue entries are each written
    by one INSERT ... SELECT.
    """
    from reviews.flows import AnnualReviewFlow

    today = today or local_today()
    with transaction.atomic():
        cohort = list(
            plans_due_for_review(today).select_for_update(of=("self",)).values_list(*COLUMNS)
        )
        if not cohort:
            return 0
        writer = _Writer(AnnualReviewFlow, today)
        stage_create(PLANS, PLAN_STAGE)
        stage_create(CLOCKS, CLOCK_STAGE)
        try:
            for start in range(0, len(cohort), BATCH_SIZE):
                writer.open(cohort[start : start + BATCH_SIZE])
        finally:
            stage_drop(PLANS)
            stage_drop(CLOCKS)
    return len(cohort)


def _field(model: type[Model], name: str) -> Field:
    return cast(Field, model._meta.get_field(name))


_ID = models.BigIntegerField(null=True)
PLANS = "reviews_nightly_plans"  # one row per plan of the batch: its new rows' ids and facts
PLAN_STAGE: list[tuple[str, Field]] = [
    ("plan_id", _ID),
    ("case_id", _ID),
    ("team_id", _ID),
    ("owner_id", _ID),
    ("first_review", models.BooleanField()),
    ("review_id", _ID),
    ("process_id", _ID),
    ("start_id", _ID),
    ("arrange_id", _ID),
    ("kind", _field(AnnualReview, "kind")),
    ("due_on", _field(AnnualReview, "due_on")),
    ("transfer_year", _field(AnnualReview, "transfer_year")),
    ("transfer_post16", _field(AnnualReview, "transfer_post16")),
    ("transfer_due_on", _field(AnnualReview, "transfer_due_on")),
    ("needs_adulthood", _field(AnnualReview, "needs_adulthood")),
    ("r4_id", _ID),
    ("r4_clock", _ID),
    ("r5_id", _ID),
    ("r5_clock", _ID),
    ("transfer_id", _ID),
    ("transfer_clock", _ID),
]
CLOCKS = "reviews_nightly_clocks"  # one row per distinct clock (kind and due date) of the batch
CLOCK_STAGE: list[tuple[str, Field]] = [
    ("clock", _ID),
    *((name, _field(Deadline, name)) for name in DEADLINE_FIELDS),
]
CLOCK_COLUMNS = {"R4": ("r4_id", "r4_clock"), "R5": ("r5_id", "r5_clock")}


class _Writer:
    """What AnnualReviewFlow.start does for one plan, done for a batch of plans at once."""

    def __init__(self, flow_class, today: date) -> None:  # noqa: ANN001
        self.today = today
        self.now = timezone.now()
        self.case_type = ContentType.objects.get_for_model(Case).pk
        self.review_type = ContentType.objects.get_for_model(AnnualReview).pk
        self.flow_class = flow_class
        arrange_clock = flow_class.deadline_for_task(flow_class.arrange_meeting.name)
        if arrange_clock is None or arrange_clock not in (("R4", ""), ("R5", "")):
            raise ValueError("The arrange-meeting task must work towards a clock opened here.")
        self.arrange_clock = CLOCK_COLUMNS[arrange_clock[0]]
        self.shapes: dict[tuple, services.ReviewPlan] = {}
        self.clocks: dict[tuple[str, date], int] = {}  # (kind, due) -> its row in CLOCKS

    def shape(self, row: tuple) -> services.ReviewPlan:
        _pk, _case, due, origin, meeting, dob, phase, kind, _owner, _team = row
        key = (due, origin, meeting is None, dob, phase, kind)
        found = self.shapes.get(key)
        if found is None:
            found = self.shapes[key] = services.review_shape(
                next_review_due=due,
                date_of_birth=dob,
                setting_phase=phase or "",
                setting_kind=kind or "",
                origin=origin,
                reviewed_before=meeting is not None,
                today=self.today,
            )
        return found

    def clock(self, kind: str, due: date, new: list[tuple]) -> int:
        """The CLOCKS row of a clock opened today and due on `due` (every clock the pass opens
        starts today, so the kind and the date make the whole row)."""
        found = self.clocks.get((kind, due))
        if found is None:
            planned = dr.PlannedDeadline(
                kind=kind,
                subject_key="",
                starts_on=self.today,
                due_on=due,
                met_on=None,
                needed=True,
                started_by=None,
            )
            fields = deadline_row_fields(planned, today=self.today, excused=False)
            found = self.clocks[(kind, due)] = len(self.clocks) + 1
            new.append((found, *(fields[f] for f in DEADLINE_FIELDS)))
        return found

    def open(self, rows: list[tuple]) -> None:
        from ehc import timescales

        n = len(rows)
        shapes = [self.shape(row) for row in rows]
        transfers = sum(1 for shape in shapes if shape.transfer is not None)
        review_ids = allocate_ids(AnnualReview, n)
        process_ids = allocate_ids(Process, n)
        task_ids = allocate_ids(Task, 2 * n)
        clock_ids = iter(allocate_ids(Deadline, 2 * n + transfers))
        new_clocks: list[tuple] = []
        staged = []
        for i, (row, shape) in enumerate(zip(rows, shapes, strict=True)):
            target, transfer = shape.target_meeting, shape.transfer
            r4 = self.clock("R4", timescales.review_notice_latest(target), new_clocks)
            r5 = self.clock("R5", timescales.review_advice_latest(target), new_clocks)
            if transfer is not None:
                kind = "R15" if transfer.post16 else "R14"
                transfer_clock: tuple[int | None, int | None] = (
                    next(clock_ids),
                    self.clock(kind, transfer.deadline, new_clocks),
                )
            else:
                transfer_clock = (None, None)
            staged.append(
                (
                    row[0],
                    row[1],
                    row[9],
                    row[8],
                    row[4] is None,
                    review_ids[i],
                    process_ids[i],
                    task_ids[i],
                    task_ids[n + i],
                    shape.kind,
                    shape.due_on,
                    transfer.year if transfer else None,
                    bool(transfer and transfer.post16),
                    transfer.deadline if transfer else None,
                    shape.needs_adulthood,
                    next(clock_ids),
                    r4,
                    next(clock_ids),
                    r5,
                    *transfer_clock,
                )
            )
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {PLANS}")
        stage_write(PLANS, PLAN_STAGE, staged)
        stage_write(CLOCKS, CLOCK_STAGE, new_clocks)
        del staged, new_clocks
        self.write(review_ids, [row[1] for row in rows])

    def write(self, review_ids: list[int], case_ids: list[int]) -> None:
        flow = self.flow_class
        now, plans = self.now, f"{PLANS} s"
        insert_select(
            AnnualReview,
            {
                "id": "s.review_id",
                "plan_id": "s.plan_id",
                "kind": "s.kind",
                "due_on": "s.due_on",
                "opened_on": Const(self.today),
                "transfer_year": "s.transfer_year",
                "transfer_post16": "s.transfer_post16",
                "transfer_due_on": "s.transfer_due_on",
                "needs_adulthood": "s.needs_adulthood",
            },
            plans,
        )
        insert_history(AnnualReview, review_ids, when=now, user_id=None, reason=HISTORY_REASON)
        first, first_params = const_sql(Process, "data", FIRST_REVIEW)  # its routing flags
        later, later_params = const_sql(Process, "data", LATER_REVIEW)
        insert_select(
            Process,
            {
                "id": "s.process_id",
                "flow_class": Const(flow),
                "status": Const(PROCESS.NEW),
                "created": Const(now),
                "artifact_content_type_id": Const(self.case_type),
                "artifact_object_id": "s.case_id",
                "seed_content_type_id": Const(self.review_type),
                "seed_object_id": "s.review_id",
                "data": (
                    f"CASE WHEN s.first_review THEN {first} ELSE {later} END",
                    first_params + later_params,
                ),
            },
            plans,
        )
        task: dict[str, str | Const | tuple[str, list]] = {
            "process_id": "s.process_id",
            "created": Const(now),
            "token": Const(Token("start")),
        }
        insert_select(
            Task,
            {
                **task,
                "id": "s.start_id",
                "flow_task": Const(flow.start),
                "flow_task_type": Const("START"),
                "status": Const(STATUS.DONE),
                "finished": Const(now),
            },
            plans,
        )
        # Assigned to the case's caseworker, otherwise new in the team's queue.
        new, new_params = const_sql(Task, "status", STATUS.NEW)
        held, held_params = const_sql(Task, "status", STATUS.ASSIGNED)
        assigned, assigned_params = const_sql(Task, "assigned", now)
        insert_select(
            Task,
            {
                **task,
                "id": "s.arrange_id",
                "flow_task": Const(flow.arrange_meeting),
                "flow_task_type": Const("HUMAN"),
                "status": (
                    f"CASE WHEN s.owner_id IS NULL THEN {new} ELSE {held} END",
                    new_params + held_params,
                ),
                "assigned": (
                    f"CASE WHEN s.owner_id IS NULL THEN NULL ELSE {assigned} END",
                    assigned_params,
                ),
                "owner_id": "s.owner_id",
                "owner_permission": Const(PROGRESS),
            },
            plans,
        )
        insert_select(
            Task.previous.through,
            {"from_task_id": "s.arrange_id", "to_task_id": "s.start_id"},
            plans,
        )
        # A plan reviewed before has clocks from its last review: replace them.
        # (The cases by value, not by a subquery on the staged table: the planner's estimate
        # of these clocks is from before the pass, when there were few, and would choose to
        # read the whole stage for every clock the earlier batches wrote.)
        Deadline.objects.filter(
            case_id__in=case_ids, source=services.SOURCE, kind__in=REVIEW_CLOCKS
        ).delete()
        clock_values = {f: f"c.{f}" for f in DEADLINE_FIELDS}
        for ids, clock, where in (
            ("s.r4_id", "s.r4_clock", ""),
            ("s.r5_id", "s.r5_clock", ""),
            ("s.transfer_id", "s.transfer_clock", " WHERE s.transfer_id IS NOT NULL"),
        ):
            insert_select(
                Deadline,
                {
                    "id": ids,
                    "case_id": "s.case_id",
                    "source": Const(services.SOURCE),
                    **clock_values,
                },
                f"{plans} JOIN {CLOCKS} c ON c.clock = {clock}{where}",
            )
        # The arrange-meeting tasks were inserted without the flow's save, which writes their
        # work-queue entries: write them here, each dated by the clock its task works towards
        # (the flow's deadline_for_task names it; it was just stored).
        clock_id, clock_row = self.arrange_clock
        insert_select(
            QueueEntry,
            {
                "task_id": "s.arrange_id",
                "case_id": "s.case_id",
                "team_id": "s.team_id",
                "owner_id": "s.owner_id",
                "is_open": Const(True),
                "due_on": "c.due_on",
                "deadline_id": f"s.{clock_id}",
            },
            f"{plans} JOIN {CLOCKS} c ON c.clock = s.{clock_row}",
        )
