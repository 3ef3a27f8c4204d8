"""Reads for plans in force and their reviews: fixed query counts, whatever the caseload."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, DateField, F, FilteredRelation, Func, Q, QuerySet
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from ehc import timescales
from ehc.models import PLAN_SECTIONS, Case, Deadline
from reviews import phases
from reviews.flow_refs import ANNUAL_REVIEW_FLOW
from reviews.models import AnnualReview, MaintainedPlan, PlanVersion, Post16Move

DUE_SOON_DAYS = 56  # "reviews due": within the next 8 weeks
MAINTAINED = [MaintainedPlan.Status.MAINTAINED, MaintainedPlan.Status.CEASING]


@dataclass(frozen=True)
class ReviewFacts:
    """A review's statutory dates, worked out from what has happened so far."""

    due_on: date
    meeting_on: date | None
    notice_latest: date | None
    advice_latest: date | None
    report_due: date | None
    decision_due: date | None
    representations_end: date | None
    final_due: date | None
    transfer_deadline: date | None
    latest_safe_meeting: date | None


def review_facts(review: AnnualReview) -> ReviewFacts:
    meeting = review.meeting_on
    held = review.held_on
    amending = review.decision == AnnualReview.Decision.AMEND and review.decided_on
    final_due = None
    if amending:
        final_due = min(
            timescales.amended_plan_due(review.decided_on),
            timescales.amended_plan_latest(held),
        )
    return ReviewFacts(
        due_on=review.due_on,
        meeting_on=meeting,
        notice_latest=timescales.review_notice_latest(meeting) if meeting else None,
        advice_latest=timescales.review_advice_latest(meeting) if meeting else None,
        report_due=timescales.review_report_due(held) if held else None,
        decision_due=timescales.review_decision_due(held) if held else None,
        representations_end=(
            timescales.amendment_representations_end(review.decided_on) if amending else None
        ),
        final_due=final_due,
        transfer_deadline=review.transfer_due_on,
        latest_safe_meeting=(
            timescales.phase_transfer_latest_meeting(review.transfer_due_on)
            if review.transfer_due_on
            else None
        ),
    )


# -- one plan ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionChange:
    letter: str
    title: str
    before: str
    after: str
    lines: list[tuple[str, str]]  # ("removed"|"added"|"same", text)


def version_diff(older: PlanVersion, newer: PlanVersion) -> list[SectionChange]:
    """The sections that differ between two versions, line by line, in plan order."""
    changes = []
    for field, letter, title in PLAN_SECTIONS:
        before, after = getattr(older, field), getattr(newer, field)
        if before == after:
            continue
        lines = []
        for line in difflib.ndiff(before.splitlines(), after.splitlines()):
            tag, text = line[:2], line[2:]
            if tag == "- ":
                lines.append(("removed", text))
            elif tag == "+ ":
                lines.append(("added", text))
            elif tag == "  ":
                lines.append(("same", text))
        changes.append(SectionChange(letter, title, before, after, lines))
    return changes


def proposed_changes(review: AnnualReview) -> list[SectionChange]:
    """The proposed amendments against the plan as it stands."""
    current = review.plan.versions.order_by("-number").first()
    if current is None or not review.proposed_sections:
        return []
    proposed = PlanVersion(**{**current.sections(), **review.proposed_sections})
    return version_diff(current, proposed)


@dataclass(frozen=True)
class PlanPage:
    plan: MaintainedPlan
    versions: list[PlanVersion]
    reviews: list[AnnualReview]
    open_review: AnnualReview | None
    open_facts: ReviewFacts | None
    transfer: phases.PhaseTransfer | None
    year_group: str
    overdue: bool
    open_tasks: list[Task]


def plan_for_case(case: Case) -> MaintainedPlan | None:
    return (
        MaintainedPlan.objects.select_related("case", "child", "current_setting")
        .filter(case=case)
        .first()
    )


def plan_page(plan: MaintainedPlan, today: date) -> PlanPage:
    reviews = list(plan.reviews.all())
    open_review = next((r for r in reviews if r.is_open), None)
    tasks = list(
        Task.objects.filter(
            process__flow_class=ANNUAL_REVIEW_FLOW,
            process__artifact_object_id=plan.case_id,
            status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED],
            flow_task_type="HUMAN",
        ).select_related("owner")
    )
    return PlanPage(
        plan=plan,
        versions=list(plan.versions.all()),
        reviews=reviews,
        open_review=open_review,
        open_facts=review_facts(open_review) if open_review else None,
        transfer=phases.next_phase_transfer(plan.child.date_of_birth, plan.current_setting, today),
        year_group=phases.year_group_label(phases.year_group(plan.child.date_of_birth, today)),
        overdue=plan.is_maintained
        and plan.next_review_due < today
        and not (open_review and open_review.held_on),
        open_tasks=tasks,
    )


# -- the managers' figures ---------------------------------------------------------------------


def _maintained() -> QuerySet[MaintainedPlan]:
    return MaintainedPlan.objects.filter(status__in=MAINTAINED)


class DaysAfter(Func):
    """A date column plus a whole number of days, as each database's own date arithmetic
    (Django's F() + timedelta calls back into Python for every row on SQLite)."""

    output_field = DateField()

    def __init__(self, column: str, days: int) -> None:
        super().__init__(F(column))
        self.days = int(days)

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} + {self.days})", params

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, '+{self.days} days')", params


def _review_figures_q(today: date) -> dict[str, Q]:
    """The reviews' figures as conditions: one aggregate counts both; drill-downs filter by one."""
    decided_late = Q(decided_on__gt=DaysAfter("held_on", 28))
    undecided_late = Q(decided_on__isnull=True, held_on__lt=today - timedelta(days=28))
    amended_late = Q(final_issued_on__gt=DaysAfter("decided_on", 56)) | Q(
        final_issued_on__gt=DaysAfter("held_on", 84)
    )
    amendments_overdue = Q(
        decision=AnnualReview.Decision.AMEND,
        final_issued_on__isnull=True,
        not_amended_on__isnull=True,
    ) & (Q(decided_on__lt=today - timedelta(weeks=8)) | Q(held_on__lt=today - timedelta(weeks=12)))
    return {
        "decided_late": decided_late | undecided_late,
        "amended_late": amended_late | amendments_overdue,
    }


def figure_querysets(today: date) -> dict[str, QuerySet]:
    """Each figure's rows, as a queryset (so the count and the drill-down are the same query)."""
    soon = today + timedelta(days=DUE_SOON_DAYS)
    review_q = _review_figures_q(today)
    return {
        "due": _maintained().filter(next_review_due__gte=today, next_review_due__lte=soon),
        "overdue": _maintained().filter(next_review_due__lt=today),
        "decided_late": AnnualReview.objects.filter(review_q["decided_late"]),
        "amended_late": AnnualReview.objects.filter(review_q["amended_late"]),
    }


FIGURES = {
    "due": "Reviews due in the next 8 weeks",
    "overdue": "Reviews overdue (no meeting within 12 months)",
    "decided_late": "Decisions later than 4 weeks after the meeting (R8)",
    "amended_late": "Amended plans later than 8 weeks from the proposals or 12 from the meeting",
    "transfer_at_risk": "Phase-transfer cohort at risk",
}


def figures(today: date) -> dict[str, int]:
    """Three queries, whatever the caseload: the plans' figures in one aggregate, the reviews'
    two in another, and the phase-transfer cohort's at-risk count in a third (plans whose
    review has not started and the reviews under way), all counted by the database."""
    plans = _maintained().aggregate(
        due=Count(
            "id",
            filter=Q(
                next_review_due__gte=today,
                next_review_due__lte=today + timedelta(days=DUE_SOON_DAYS),
            ),
        ),
        overdue=Count("id", filter=Q(next_review_due__lt=today)),
    )
    reviews = AnnualReview.objects.aggregate(
        **{name: Count("id", filter=q) for name, q in _review_figures_q(today).items()}
    )
    return {**plans, **reviews, "transfer_at_risk": cohort_at_risk_count(today)}


# -- the phase-transfer cohort ----------------------------------------------------------------


@dataclass(frozen=True)
class CohortRow:
    plan_id: int
    case_id: int
    reference: str
    child: str
    date_of_birth: date
    setting: str
    transfer: phases.PhaseTransfer
    meeting_on: date | None
    held_on: date | None
    final_issued_on: date | None
    at_risk: bool
    status: str


def _born(year: int, age: int) -> Q:
    """Children who are `age` on 31 August of `year` (the year group moving in September)."""
    return Q(
        child__date_of_birth__gte=date(year - age - 1, 9, 1),
        child__date_of_birth__lte=date(year - age, 8, 31),
    )


def _cohort_q(year: int) -> tuple[Q, Q]:
    """The plans whose child makes a fixed-date phase transfer in September `year` as Q objects
    (what phases.next_phase_transfer works out one child at a time): the moves with the 14
    February deadline, then the move to post-16 (30 March).

    The setting decides which move comes next, taken in phases._transfer_age's order: a post-16
    setting (none), an early-years one (to school), then its phase; a child with no setting,
    or at one without a phase, goes by age. Each kind of setting is a subquery over the small
    settings table, so a plan's row is tested by its setting's id, without joining it."""
    from ehc.models import Setting

    is_post16 = Q(kind=Setting.Kind.POST16) | Q(phase=Setting.Phase.POST16)
    is_early = ~is_post16 & (Q(kind=Setting.Kind.EARLY_YEARS) | Q(phase=Setting.Phase.NURSERY))
    by_phase = ~is_post16 & ~Q(kind=Setting.Kind.EARLY_YEARS) & ~Q(phase=Setting.Phase.NURSERY)
    secondary = [Setting.Phase.SECONDARY, Setting.Phase.ALL_THROUGH, Setting.Phase.SPECIAL]
    phased = [Setting.Phase.PRIMARY, Setting.Phase.MIDDLE, *secondary]

    def at(condition: Q) -> Q:
        return Q(current_setting__in=Setting.objects.filter(condition).values("pk"))

    by_age = Q(current_setting__isnull=True) | at(by_phase & ~Q(phase__in=phased))

    def born(age: int) -> Q:
        return _born(year, age)

    february = (
        (born(phases.RECEPTION_AGE) & (at(is_early) | by_age))
        | (born(phases.PRIMARY_END_AGE) & (at(by_phase & Q(phase=Setting.Phase.PRIMARY)) | by_age))
        | (born(phases.MIDDLE_END_AGE) & at(by_phase & Q(phase=Setting.Phase.MIDDLE)))
    )
    march = born(phases.POST16_AGE) & (at(by_phase & Q(phase__in=secondary)) | by_age)
    return february, march


def cohort_at_risk_count(today: date, year: int | None = None) -> int:
    """How many rows of transfer_cohort are at risk, counted in SQL by one query: one pass
    over the cohort's plans, each joined to its phase-transfer review for `year` if it has one
    (plans with none are at risk once it is this close to the latest safe meeting date; a
    review is at risk by its meeting's date)."""
    year = year or phases.school_year_start(today) + 1
    on_day = max(today, date(year - 1, 9, 1))
    cohorts = dict(zip(("february", "march"), _cohort_q(year), strict=True))
    either, born = Q(), Q()
    not_started: Q | None = None  # a cohort's plans with no review this close to the date
    started: Q | None = None  # a cohort's open reviews whose meeting is (or will be) too late
    for name, post16 in (("february", False), ("march", True)):
        deadline = timescales.phase_transfer_deadline(year, post16=post16)
        if deadline < on_day:
            continue  # that move is behind the child: their next transfer is another year's
        in_cohort = cohorts[name]
        either |= in_cohort
        for age in (
            (phases.RECEPTION_AGE, phases.PRIMARY_END_AGE, phases.MIDDLE_END_AGE)
            if name == "february"
            else (phases.POST16_AGE,)
        ):
            born |= _born(year, age)
        safe = timescales.phase_transfer_latest_meeting(deadline)
        stale = today > safe - timedelta(days=28)  # not started this close to the safe date
        # (A deadline already passed is skipped above, so only the meeting's date can be late.)
        late = Q(transfer__held_on__gt=safe) | Q(
            transfer__held_on__isnull=True, transfer__meeting_on__gt=safe
        )
        if stale:
            late |= Q(transfer__held_on__isnull=True, transfer__meeting_on__isnull=True)
            cond = in_cohort & Q(transfer__id__isnull=True)
            not_started = cond if not_started is None else not_started | cond
        cond = (
            in_cohort
            & Q(
                transfer__final_issued_on__isnull=True,
                transfer__not_amended_on__isnull=True,
                transfer__outcome=AnnualReview.Outcome.OPEN,
            )
            & late
        )
        started = cond if started is None else started | cond
    # The two cohorts are years apart in age, so no plan is in both. A plan without a review
    # is one joined row; one with several reviews for the year is counted once.
    counts: dict[str, Count] = {}
    if not_started is not None:
        counts["not_started"] = Count("id", filter=not_started)
    if started is not None:
        counts["started"] = Count("id", distinct=True, filter=started)
    if not counts:
        return 0
    found = (
        _maintained()
        # Only the cohort's rows reach the join and the counts; the dates of birth first,
        # which the database checks before it looks at the setting.
        .filter(born)
        .filter(either)
        .annotate(
            transfer=FilteredRelation(
                "reviews",
                condition=Q(
                    reviews__kind=AnnualReview.Kind.PHASE_TRANSFER, reviews__transfer_year=year
                ),
            )
        )
        .aggregate(**counts)
    )
    return sum(v or 0 for v in found.values())


def transfer_cohort(today: date, year: int | None = None) -> list[CohortRow]:
    """Every maintained plan whose child moves phase next September (or in `year`), with the
    latest safe meeting date and whether the 14 February / 30 March deadline is at risk.
    Three queries, whatever the caseload."""
    year = year or phases.school_year_start(today) + 1
    born = Q()
    for age in (
        phases.RECEPTION_AGE,
        phases.PRIMARY_END_AGE,
        phases.MIDDLE_END_AGE,
        phases.POST16_AGE,
    ):
        born |= Q(
            child__date_of_birth__gte=date(year - age - 1, 9, 1),
            child__date_of_birth__lte=date(year - age, 8, 31),
        )
    plans = list(
        _maintained()
        .filter(born)
        .select_related("case", "child", "current_setting")
        .order_by("child__last_name", "id")
    )
    reviews = {
        r.plan_id: r
        for r in AnnualReview.objects.filter(
            plan_id__in=[p.pk for p in plans],
            kind=AnnualReview.Kind.PHASE_TRANSFER,
            transfer_year=year,
        )
    }
    on_day = max(today, date(year - 1, 9, 1))
    rows = []
    for plan in plans:
        transfer = phases.next_phase_transfer(
            plan.child.date_of_birth, plan.current_setting, on_day
        )
        if transfer is None or transfer.year != year:
            continue
        review = reviews.get(plan.pk)
        finished = review is not None and (
            review.final_issued_on or review.not_amended_on or review.outcome != "open"
        )
        held = review.held_on if review else None
        meeting = review.meeting_on if review else None
        if finished:
            status, at_risk = "Plan amended or decided", False
        elif held:
            status = "Meeting held"
            at_risk = today > transfer.deadline or held > transfer.latest_safe_meeting
        elif meeting:
            status = "Meeting arranged"
            at_risk = meeting > transfer.latest_safe_meeting
        else:
            status = "Review not started" if review is None else "Meeting not arranged"
            at_risk = today > transfer.latest_safe_meeting - timedelta(days=28)
        rows.append(
            CohortRow(
                plan_id=plan.pk,
                case_id=plan.case_id,
                reference=plan.case.reference,
                child=plan.child.full_name,
                date_of_birth=plan.child.date_of_birth,
                setting=plan.current_setting.name if plan.current_setting else plan.setting_type,
                transfer=transfer,
                meeting_on=meeting,
                held_on=held,
                final_issued_on=review.final_issued_on if review else None,
                at_risk=at_risk,
                status=status,
            )
        )
    return rows


def post16_move_clock(move: Post16Move) -> Deadline | None:
    """The R16 clock of a planned post-16 move (one query)."""
    return Deadline.objects.filter(
        case_id=move.plan.case_id, kind="R16", subject_key=f"post16:{move.pk}"
    ).first()


# -- the family's view -------------------------------------------------------------------------


@dataclass(frozen=True)
class FamilyPage:
    plan: MaintainedPlan
    current: PlanVersion | None
    previous: PlanVersion | None
    changes: list[SectionChange]
    review: AnnualReview | None
    facts: ReviewFacts | None
    proposals: list[SectionChange]
    past_reviews: list[AnnualReview]
    transfer: phases.PhaseTransfer | None


def family_page(plan: MaintainedPlan, today: date) -> FamilyPage:
    versions = list(plan.versions.order_by("-number")[:2])
    current = versions[0] if versions else None
    previous = versions[1] if len(versions) > 1 else None
    reviews = list(plan.reviews.all())
    latest = reviews[0] if reviews else None
    return FamilyPage(
        plan=plan,
        current=current,
        previous=previous,
        changes=version_diff(previous, current) if previous and current else [],
        review=latest,
        facts=review_facts(latest) if latest else None,
        proposals=proposed_changes(latest) if latest and latest.is_open else [],
        past_reviews=reviews[1:],
        transfer=phases.next_phase_transfer(plan.child.date_of_birth, plan.current_setting, today),
    )
