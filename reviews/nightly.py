"""The nightly pass: open the review of every maintained plan whose review falls due within
OPEN_AHEAD_DAYS, in bulk (the flow's start would cost a dozen queries a plan).

For each plan it inserts, in batches, what AnnualReviewFlow.start would: the AnnualReview, its
process, the done start task and the open "arrange the meeting" task (assigned to the case's
caseworker, otherwise in the team's queue), and the review's first clocks R4 and R5 (and R14/R15
for a phase transfer), counted back from the last day the meeting can be held. The one-review-
per-plan-and-period constraint makes a second run harmless: plans that already have an open
review are left out, and the chosen plans are locked until the pass commits, so a caseworker
opening a review of one of them at the same moment waits and is then told it is open.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
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
    allocate_ids,
    insert_history,
    insert_plain,
    with_defaults,
)
from reviews.models import AnnualReview, MaintainedPlan
from workflows.flows import PROGRESS
from workflows.models import QueueEntry

OPEN_AHEAD_DAYS = 84  # 12 weeks: time to give notice, gather advice and meet
BATCH_SIZE = 10_000
HISTORY_REASON = "Opened by the nightly pass"
FIRST_REVIEW = {"first_review": True, "amending": False}  # the process's routing flags
LATER_REVIEW = {"first_review": False, "amending": False}
DUE = 2 + DEADLINE_FIELDS.index("due_on")  # a clock row: case, source, then DEADLINE_FIELDS
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
    plans costs a fixed number of statements, whatever its size: ids reserved, reviews,
    their history rows, processes, tasks and their links, and the clocks each written at once.
    """
    from reviews.flows import AnnualReviewFlow

    today = today or local_today()
    with transaction.atomic():
        cohort = list(
            plans_due_for_review(today).select_for_update(of=("self",)).values_list(*COLUMNS)
        )
        writer = _Writer(AnnualReviewFlow, today)
        for start in range(0, len(cohort), BATCH_SIZE):
            writer.open(cohort[start : start + BATCH_SIZE])
    return len(cohort)


def _db(model, field: str, value):  # noqa: ANN001, ANN202  (a constant in its stored form)
    return model._meta.get_field(field).get_db_prep_save(value, connection)


class _Writer:
    """What AnnualReviewFlow.start does for one plan, done for a batch of plans at once."""

    def __init__(self, flow_class, today: date) -> None:  # noqa: ANN001
        self.today = today
        self.now = timezone.now()
        case_type = ContentType.objects.get_for_model(Case).pk
        review_type = ContentType.objects.get_for_model(AnnualReview).pk
        self.process_columns, self.process_defaults = with_defaults(
            Process,
            [
                "id",
                "flow_class",
                "status",
                "created",
                "artifact_content_type_id",
                "artifact_object_id",
                "seed_content_type_id",
                "seed_object_id",
                "data",
            ],
        )
        self.process_constants = (
            _db(Process, "flow_class", flow_class),
            _db(Process, "status", PROCESS.NEW),
            self.now,
            case_type,
        )
        self.review_type = review_type
        self.task_columns, self.task_defaults = with_defaults(
            Task,
            [
                "id",
                "process_id",
                "flow_task",
                "flow_task_type",
                "status",
                "created",
                "assigned",
                "finished",
                "owner_id",
                "owner_permission",
                "token",
            ],
        )
        self.start_task = _db(Task, "flow_task", flow_class.start)
        self.arrange_task = _db(Task, "flow_task", flow_class.arrange_meeting)
        self.done = _db(Task, "status", STATUS.DONE)
        self.assigned = _db(Task, "status", STATUS.ASSIGNED)
        self.new = _db(Task, "status", STATUS.NEW)
        self.token = _db(Task, "token", Token("start"))
        self.review_columns, self.review_defaults = with_defaults(
            AnnualReview,
            [
                "id",
                "plan_id",
                "kind",
                "due_on",
                "opened_on",
                "transfer_year",
                "transfer_post16",
                "transfer_due_on",
                "needs_adulthood",
            ],
        )
        self.shapes: dict[tuple, services.ReviewPlan] = {}
        arrange_clock = flow_class.deadline_for_task(flow_class.arrange_meeting.name)
        if arrange_clock is None or arrange_clock[0] not in ("R4", "R5"):
            raise ValueError("The arrange-meeting task must work towards a clock opened here.")
        self.arrange_clock = arrange_clock

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

    def open(self, rows: list[tuple]) -> None:
        n = len(rows)
        shapes = [self.shape(row) for row in rows]
        review_ids = allocate_ids(AnnualReview, n)
        process_ids = allocate_ids(Process, n)
        task_ids = allocate_ids(Task, 2 * n)
        insert_plain(
            AnnualReview,
            self.review_columns,
            (
                (
                    review_id,
                    row[0],
                    shape.kind,
                    shape.due_on,
                    self.today,
                    shape.transfer.year if shape.transfer else None,
                    bool(shape.transfer and shape.transfer.post16),
                    shape.transfer.deadline if shape.transfer else None,
                    shape.needs_adulthood,
                    *self.review_defaults,
                )
                for review_id, row, shape in zip(review_ids, rows, shapes, strict=True)
            ),
        )
        insert_history(AnnualReview, review_ids, when=self.now, user_id=None, reason=HISTORY_REASON)
        flow_class, status, created, case_type = self.process_constants
        insert_plain(
            Process,
            self.process_columns,
            (
                (
                    process_id,
                    flow_class,
                    status,
                    created,
                    case_type,
                    row[1],
                    self.review_type,
                    review_id,
                    FIRST_REVIEW if row[4] is None else LATER_REVIEW,
                    *self.process_defaults,
                )
                for process_id, review_id, row in zip(process_ids, review_ids, rows, strict=True)
            ),
        )
        starts, arranges = task_ids[:n], task_ids[n:]
        insert_plain(
            Task,
            self.task_columns,
            [
                (
                    task_id,
                    process_id,
                    self.start_task,
                    "START",
                    self.done,
                    self.now,
                    None,
                    self.now,
                    None,
                    None,
                    self.token,
                    *self.task_defaults,
                )
                for task_id, process_id in zip(starts, process_ids, strict=True)
            ]
            + [
                (
                    task_id,
                    process_id,
                    self.arrange_task,
                    "HUMAN",
                    self.assigned if row[8] else self.new,
                    self.now,
                    self.now if row[8] else None,
                    None,
                    row[8],
                    PROGRESS,
                    self.token,
                    *self.task_defaults,
                )
                for task_id, process_id, row in zip(arranges, process_ids, rows, strict=True)
            ],
        )
        insert_plain(
            Task.previous.through,
            ["from_task_id", "to_task_id"],
            zip(arranges, starts, strict=True),
        )
        # A plan reviewed before has clocks from its last review: replace them.
        Deadline.objects.filter(
            case_id__in=[row[1] for row in rows], source=services.SOURCE, kind__in=REVIEW_CLOCKS
        ).delete()
        clocks = list(self.clock_rows(rows, shapes))
        clock_ids = allocate_ids(Deadline, len(clocks))
        insert_plain(
            Deadline,
            ["id", "case_id", "source", *DEADLINE_FIELDS],
            ((pk, *clock) for pk, clock in zip(clock_ids, clocks, strict=True)),
        )
        # The arrange-meeting tasks were inserted without the flow's save, which writes their
        # work-queue entries: write them here, each dated by the clock its task works towards
        # (the flow's deadline_for_task names it; the clock was just stored, so its id and date
        # are known without reading anything back).
        kind, subject = self.arrange_clock
        stored = {
            (clock[0], clock[2], clock[3]): (clock[DUE], pk)
            for pk, clock in zip(clock_ids, clocks, strict=True)
        }
        insert_plain(
            QueueEntry,
            ["task_id", "case_id", "team_id", "owner_id", "is_open", "due_on", "deadline_id"],
            (
                (task_id, row[1], row[9], row[8], True, *stored[(row[1], kind, subject)])
                for task_id, row in zip(arranges, rows, strict=True)
            ),
        )

    def clock_rows(self, rows: list[tuple], shapes: list[services.ReviewPlan]) -> Iterator[tuple]:
        from ehc import timescales

        today = self.today
        stored: dict[tuple[str, date], tuple] = {}  # every clock starts today: one per due date

        def clock(kind: str, due: date) -> tuple:
            found = stored.get((kind, due))
            if found is None:
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
                found = stored[(kind, due)] = tuple(fields[f] for f in DEADLINE_FIELDS)
            return found

        for row, shape in zip(rows, shapes, strict=True):
            target = shape.target_meeting
            yield (row[1], services.SOURCE, *clock("R4", timescales.review_notice_latest(target)))
            yield (row[1], services.SOURCE, *clock("R5", timescales.review_advice_latest(target)))
            if shape.transfer is not None:
                kind = "R15" if shape.transfer.post16 else "R14"
                yield (row[1], services.SOURCE, *clock(kind, shape.transfer.deadline))
