"""Reads for the transition pages, the timetable and the managers' dashboard.

Every list is paginated or read in one query whatever the caseload; "as of" figures are computed
by the pure modules conversions.progress and conversions.timetable from the stored dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from conversions import progress
from conversions import timetable as tt
from conversions.flow_refs import TRANSFER_REVIEW_FLOW
from conversions.models import LegacyInstrument, TransferReview
from ehc.access import cases_visible_to, team_scoped
from ehc.audit import child_read_note
from ehc.models import Case, Deadline

PAGE_SIZE = 50
ACTIVE = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]


# ---------------------------------------------------------------------------
# Access
# ---------------------------------------------------------------------------


def reviews_visible_to(user) -> QuerySet[TransferReview]:
    """Managers see every review; caseworkers their teams' and their own (ehc.access)."""
    return team_scoped(TransferReview.objects.all(), user, owner="caseworker")


def instruments_visible_to(user) -> QuerySet[LegacyInstrument]:
    """Managers see the whole register. A caseworker sees the records whose transfer review is
    their team's or theirs, those of children whose case they may see, and those not yet taken
    up by any team (no review, no case elsewhere): never another team's child."""
    everything = LegacyInstrument.objects.all()
    if not user.is_authenticated or not user.is_active:
        return everything.none()
    if user.is_superuser or user.has_perm("ehc.view_all_cases"):
        return everything
    if not user.has_perm("ehc.progress_case"):
        return everything.none()
    theirs = team_scoped(
        everything, user, team="transfer_review__team", owner="transfer_review__caseworker"
    ).values("pk")
    visible_cases = cases_visible_to(user)
    others_children = Case.objects.exclude(pk__in=visible_cases.values("pk")).values("child_id")
    untaken = Q(transfer_review__isnull=True) & ~Q(child_id__in=others_children)
    return everything.filter(
        Q(pk__in=theirs) | Q(child_id__in=visible_cases.values("child_id")) | untaken
    )


def access_review_by_id(user, review_id) -> TransferReview:
    """The review, or 404 when it does not exist or this user may not see it."""
    try:
        review = (
            reviews_visible_to(user)
            .select_related(
                "instrument",
                "instrument__child",
                "instrument__current_setting",
                "case",
                "team",
                "caseworker",
            )
            .get(pk=review_id)
        )
    except (TransferReview.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such transfer review.") from exc
    child_read_note(review.instrument.child_id)  # the read audit, if the page is shown
    return review


# ---------------------------------------------------------------------------
# Legacy register
# ---------------------------------------------------------------------------


def instruments(*, user, search: str = "", instrument_type: str = "") -> QuerySet[LegacyInstrument]:
    rows = (
        instruments_visible_to(user)
        .select_related("child", "current_setting", "transfer_review")
        .order_by("reference")
    )
    if instrument_type:
        rows = rows.filter(instrument_type=instrument_type)
    if search.strip():
        term = search.strip()
        rows = rows.filter(
            Q(reference__icontains=term)
            | Q(child__last_name__icontains=term)
            | Q(child__upn__iexact=term)
        )
    return rows


def instruments_page(*, user, search: str, instrument_type: str, page_number) -> Page:
    """One page of the register this user may see (2 queries: count and page)."""
    return Paginator(
        instruments(user=user, search=search, instrument_type=instrument_type), PAGE_SIZE
    ).get_page(page_number)


def instrument_by_id(user, instrument_id) -> LegacyInstrument:
    """The record, or 404 when it does not exist or this user may not see it."""
    try:
        instrument = (
            instruments_visible_to(user)
            .select_related("child", "current_setting", "imported_by")
            .get(pk=instrument_id)
        )
    except (LegacyInstrument.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such instrument.") from exc
    child_read_note(instrument.child_id)  # the read audit, if the page is shown
    return instrument


# ---------------------------------------------------------------------------
# Reviews and their tasks
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewSummary:
    cohort: tt.Cohort
    plan_due: date | None
    plan_rule: str | None
    deadline: Deadline | None  # the row on the case that alerts and dashboards read


def review_summary(review: TransferReview) -> ReviewSummary:
    instrument = review.instrument
    start = review.started_on or review.planned_start_on
    deadline = None
    if review.case_id is not None and start is not None:
        from conversions.services.reviews import plan_deadline

        deadline = plan_deadline(review)
    return ReviewSummary(
        cohort=instrument.cohort,
        plan_due=review.plan_due_on,
        plan_rule=tt.plan_rule(instrument.instrument_type, start) if start else None,
        deadline=deadline,
    )


def review_open_tasks(review: TransferReview) -> list[Task]:
    return list(
        Task.objects.filter(
            process__flow_class=TRANSFER_REVIEW_FLOW,
            process__artifact_object_id=review.pk,
            status__in=ACTIVE,
            flow_task_type="HUMAN",
        )
        .select_related("owner")
        .order_by("id")
    )


def review_task(review: TransferReview, task_id) -> Task:
    """A person's task of this review's flow (ids from URLs are not trusted; a gateway or other
    machine step is no one's task, so it is not found)."""
    task = (
        Task.objects.filter(
            pk=task_id, process__artifact_object_id=review.pk, flow_task_type="HUMAN"
        )
        .filter(process__flow_class=TRANSFER_REVIEW_FLOW)
        .select_related("process", "owner")
        .first()
    )
    if task is None:
        raise Http404("No such task.")
    return task


# ---------------------------------------------------------------------------
# "As of" reads: progress, risk, timetable
# ---------------------------------------------------------------------------


def caseload_records() -> list[progress.Record]:
    """Every instrument with its transfer's dates, in one query."""
    rows = LegacyInstrument.objects.order_by("reference").values_list(
        "id",
        "reference",
        "instrument_type",
        "year_group",
        "year_group_academic_year",
        "expected_transfer_on",
        "expected_transfer_type",
        "made_on",
        "ceased_on",
        "child__first_name",
        "child__last_name",
        "transfer_review__id",
        "transfer_review__case_id",
        "transfer_review__notice_given_on",
        "transfer_review__planned_start_on",
        "transfer_review__started_on",
        "transfer_review__concluded_on",
        "transfer_review__outcome",
    )
    return [
        progress.Record(
            instrument_id=pk,
            facts=tt.InstrumentFacts(ref, kind, group, group_year, moving_on, moving_type),
            made_on=made,
            child_name=f"{first} {last}",
            ceased_on=ceased,
            review_id=review_id,
            case_id=case_id,
            notice_given_on=notice,
            planned_start_on=planned,
            started_on=started,
            concluded_on=concluded,
            outcome=outcome or "",
        )
        for (
            pk,
            ref,
            kind,
            group,
            group_year,
            moving_on,
            moving_type,
            made,
            ceased,
            first,
            last,
            review_id,
            case_id,
            notice,
            planned,
            started,
            concluded,
            outcome,
        ) in rows
    ]


def progress_by_cohort(*, as_of: date) -> list[progress.CohortProgress]:
    """Converted, in progress, not started, on-time share and at-risk count per cohort, as the
    transition stood on ``as_of``. Plain rows (frozen dataclasses of str, int, date, bool), one
    per cohort in deadline order, for this app's page, the managers' dashboard and CSV. One query.
    """
    return progress.by_cohort(caseload_records(), as_of)


def at_risk_as_of(*, as_of: date) -> list[progress.AtRisk]:
    """Instruments whose cohort deadline was at risk on ``as_of``, soonest first. One query."""
    return progress.at_risk(caseload_records(), as_of)


def timetable_as_of(*, as_of: date, capacity: tt.Capacity) -> tt.Schedule:
    """The schedule of transfer-review starts as it stood on ``as_of``. One query."""
    return tt.schedule(
        progress.schedule_items(caseload_records(), as_of), as_of=as_of, capacity=capacity
    )
