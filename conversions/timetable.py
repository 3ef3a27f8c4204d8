"""The local transition timetable: priority cohorts and a schedule of transfer-review starts.

Pure: plain values in, plain values out. No Django, no database, and no "today": every function
that depends on the day takes it as ``as_of``. All statutory date arithmetic is asked of
``ehc.timescales``; this module only searches over calendar days and weeks.

Rules (spec ``statutory-timescales.md`` section 3):

* Every Statement must be transferred before 1 April 2018 (T2). Some must go earlier (T4, T6);
  when more than one date applies, the earliest counts and one assessment does for all (T6).
* LDAs: those who need a plan should have one by 1 September 2016 (T3). An LDA transfer was
  treated as a new request, so its plan is due 20 weeks from the start (spec A13), with no
  transfer-review notice period.
* A Statement's transfer review needs at least 2 weeks' notice of its start (T7), and its final
  plan is due by ``timescales.transfer_review_plan_due`` (T8-T10, by the start date).
* "Before 15 February / 31 March / 31 May": the literal reading, so the last day is the day
  before (spec 0.1(3)), as ``timescales.phase_transfer_deadline`` does.
"""

from __future__ import annotations

import functools
import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from ehc import timescales as ts

# The transfer-review versions are decided by these dates inside ehc.timescales; read them from
# there so the rule code we store can never disagree with the due date it computed.

# Instrument types (stored as these strings in conversions.models.LegacyInstrument).
STATEMENT = "statement"
LDA = "lda"
NON_STATUTORY = "non_statutory"
INSTRUMENT_TYPES = (STATEMENT, LDA, NON_STATUTORY)

# Expected transfer types. The first six are "transfers between phases" (Regs reg 2).
EARLY_YEARS_TO_SCHOOL = "early_years_to_school"
INFANT_TO_JUNIOR = "infant_to_junior"
PRIMARY_TO_MIDDLE = "primary_to_middle"
PRIMARY_TO_SECONDARY = "primary_to_secondary"
MIDDLE_TO_SECONDARY = "middle_to_secondary"
SECONDARY_TO_POST16 = "secondary_to_post16"
OTHER_TRANSFER = "other"
TRANSFER_TYPES = (
    EARLY_YEARS_TO_SCHOOL,
    INFANT_TO_JUNIOR,
    PRIMARY_TO_MIDDLE,
    PRIMARY_TO_SECONDARY,
    MIDDLE_TO_SECONDARY,
    SECONDARY_TO_POST16,
    OTHER_TRANSFER,
)
PHASE_TRANSFERS = frozenset(TRANSFER_TYPES) - {OTHER_TRANSFER}

YEAR_9 = 9
_TO = "SI 2014/2270 (Transitional and Saving Provisions (No. 2) Order 2014)"


@dataclass(frozen=True)
class Cohort:
    """A priority group of the transition, with the last day its transfers may conclude."""

    code: str
    title: str
    deadline: date | None  # None: no statutory transition deadline
    rule: str  # the deadline in words, as the law puts it
    legal_basis: str
    spec_row: str


_COHORT_LIST = (
    Cohort(
        "POST16_2015",
        "Moving to post-16 education in 2015",
        date(2015, 5, 30),
        "Concluded before 31 May 2015, so 30 May 2015 at the latest",
        f"{_TO} art 12; SEND Regs 2014 reg 18(3)",
        "T4",
    ),
    Cohort(
        "PHASE_2016",
        "Phase transfer in 2016",
        ts.phase_transfer_deadline(2016),
        "Concluded before 15 February 2016, so 14 February 2016 at the latest",
        f"{_TO} art 14(2)-(3)",
        "T6",
    ),
    Cohort(
        "POST16_2016",
        "Moving to post-16 education in 2016",
        ts.phase_transfer_deadline(2016, post16=True),
        "Concluded before 31 March 2016, so 30 March 2016 at the latest",
        f"{_TO} art 14(2)-(3)",
        "T6",
    ),
    Cohort(
        "LDA",
        "Learning Difficulty Assessments",
        date(2016, 9, 1),
        "A plan, where one is needed, by 1 September 2016",
        "Transition statutory guidance; Children and Families Act 2014 Part 3",
        "T3",
    ),
    Cohort(
        "PHASE_2017",
        "Phase transfer in 2017",
        ts.phase_transfer_deadline(2017),
        "Concluded before 15 February 2017, so 14 February 2017 at the latest",
        f"{_TO} art 14(2)-(3)",
        "T6",
    ),
    Cohort(
        "POST16_2017",
        "Moving to post-16 education in 2017",
        ts.phase_transfer_deadline(2017, post16=True),
        "Concluded before 31 March 2017, so 30 March 2017 at the latest",
        f"{_TO} art 14(2)-(3)",
        "T6",
    ),
    Cohort(
        "YEAR9_2016",
        "Entering Year 9 in 2016",
        date(2017, 8, 31),
        "Concluded before the child begins Year 10 (September 2017), so 31 August 2017",
        f"{_TO} art 14(4)",
        "T6",
    ),
    Cohort(
        "REMAINING",
        "All other Statements",
        date(2018, 3, 31),
        "Concluded before 1 April 2018, so 31 March 2018 at the latest",
        f"{_TO} art 14(5), 17",
        "T2",
    ),
    Cohort(
        "NON_STATUTORY",
        "Non-statutory plans",
        None,
        "No statutory transition deadline: a new request if a plan is needed",
        "Not a statutory instrument",
        "3 (engine note)",
    ),
)
#: Every cohort, keyed by code, in deadline order (the order reports list them in).
COHORTS: dict[str, Cohort] = {c.code: c for c in _COHORT_LIST}


@dataclass(frozen=True)
class InstrumentFacts:
    """What the timetable needs to know about one legacy instrument."""

    reference: str
    instrument_type: str
    year_group: int | None = None  # 0 = Reception, 1-14; None = not at school
    year_group_academic_year: int | None = None  # 2014 means the 2014/15 school year
    expected_transfer_on: date | None = None
    expected_transfer_type: str = ""


def year9_entry_year(year_group: int | None, academic_year: int | None) -> int | None:
    """The calendar year whose September the child enters Year 9, or None (already past it,
    or no year group). Assumes the child moves up one year group each September."""
    if year_group is None or academic_year is None or year_group > YEAR_9:
        return None
    return academic_year + (YEAR_9 - year_group)


def candidate_cohorts(facts: InstrumentFacts) -> list[Cohort]:
    """Every priority cohort whose rule applies to the instrument (TO arts 12, 14; spec T2-T6)."""
    if facts.instrument_type == LDA:
        return [COHORTS["LDA"]]
    if facts.instrument_type != STATEMENT:
        return [COHORTS["NON_STATUTORY"]]
    found = [COHORTS["REMAINING"]]
    moving, kind = facts.expected_transfer_on, facts.expected_transfer_type
    if moving is not None and kind in PHASE_TRANSFERS:
        post16 = kind == SECONDARY_TO_POST16
        if moving.year == 2015 and post16:
            found.append(COHORTS["POST16_2015"])
        elif moving.year in (2016, 2017):
            found.append(COHORTS[f"{'POST16' if post16 else 'PHASE'}_{moving.year}"])
    # Entering Year 9 in September 2017 gives "before Year 10" = 31 August 2018, later than
    # 1 April 2018, so only the 2016 entrants form a cohort of their own.
    if year9_entry_year(facts.year_group, facts.year_group_academic_year) == 2016:
        found.append(COHORTS["YEAR9_2016"])
    return found


def cohort_for(facts: InstrumentFacts) -> Cohort:
    """The cohort whose deadline counts: the earliest that applies (TO art 14; spec T6)."""
    order = list(COHORTS)
    return min(
        candidate_cohorts(facts),
        key=lambda c: (c.deadline or date.max, order.index(c.code)),
    )


# ---------------------------------------------------------------------------
# One review's dates
# ---------------------------------------------------------------------------


def needs_notice(instrument_type: str) -> bool:
    """Only a Statement's transfer review needs 2 weeks' notice of its start (spec T7)."""
    return instrument_type == STATEMENT


def latest_notice_for_start(start: date) -> date:
    """Last day notice can be given for a transfer review starting on ``start`` (spec T7)."""
    return ts.transfer_review_notice_latest(start)


def earliest_start_after_notice(notice_given: date) -> date:
    """The first day a transfer review can start when notice was given on ``notice_given``."""
    start = notice_given
    while latest_notice_for_start(start) < notice_given:
        start += timedelta(days=1)
    return start


def earliest_start(instrument_type: str, as_of: date) -> date:
    """The first day a review not yet notified on ``as_of`` could start."""
    return earliest_start_after_notice(as_of) if needs_notice(instrument_type) else as_of


def notice_is_enough(notice_given: date, start: date) -> bool:
    return notice_given <= latest_notice_for_start(start)


def plan_due(instrument_type: str, start: date, notice_given: date | None = None) -> date:
    """When the final plan (or the decision that none is needed) is due for a review started on
    ``start``. Statements: T8-T10 by the start date; with no notice date yet, the latest
    allowed notice is assumed. LDAs and others: 20 weeks from the start (spec T3, A13)."""
    if instrument_type == STATEMENT:
        return ts.transfer_review_plan_due(start, notice_given or latest_notice_for_start(start))
    return ts.final_plan_due(start)


def plan_rule(instrument_type: str, start: date) -> str:
    """The ehc.timescales RULES code behind ``plan_due`` for a review started on ``start``."""
    if instrument_type != STATEMENT:
        return "A13"
    return ts.transfer_review_rule(start)


def plan_rule_starts_on(instrument_type: str, start: date, notice_given: date) -> date:
    """The day the rule's clock counts from: the notice for T8 (as made), else the start."""
    return notice_given if plan_rule(instrument_type, start) == "T8" else start


# ---------------------------------------------------------------------------
# The schedule
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Capacity:
    """How many transfer reviews the council can start a week."""

    reviews_per_caseworker_per_week: int
    caseworkers: int

    def __post_init__(self) -> None:
        if self.reviews_per_caseworker_per_week < 0 or self.caseworkers < 0:
            raise ValueError("Capacity cannot be negative.")

    @property
    def per_week(self) -> int:
        return self.reviews_per_caseworker_per_week * self.caseworkers


@dataclass(frozen=True)
class ScheduleItem:
    """One instrument to transfer. ``fixed_start``: notice is already out for this start date,
    so the review keeps it and uses that week's capacity."""

    reference: str
    instrument_type: str
    cohort: Cohort
    fixed_start: date | None = None
    notice_given: date | None = None


@dataclass(frozen=True)
class Slot:
    reference: str
    instrument_type: str
    cohort_code: str
    deadline: date
    start_on: date | None  # None: no capacity at all
    notice_by: date | None  # last day to give notice (Statements only)
    plan_due: date | None
    on_time: bool
    fixed: bool = False

    @property
    def days_late(self) -> int | None:
        if self.plan_due is None or self.on_time:
            return None
        return (self.plan_due - self.deadline).days


@dataclass(frozen=True)
class Schedule:
    as_of: date
    capacity: Capacity
    slots: tuple[Slot, ...]  # every review with a deadline, by start date
    no_deadline: tuple[str, ...] = field(default=())  # references outside the statutory timetable

    @property
    def on_time(self) -> list[Slot]:
        return [s for s in self.slots if s.on_time]

    @property
    def unmeetable(self) -> list[Slot]:
        """Reviews whose cohort deadline cannot be met with this capacity, earliest first."""
        return sorted(
            (s for s in self.slots if not s.on_time), key=lambda s: (s.deadline, s.reference)
        )


@dataclass
class _Job:
    item: ScheduleItem
    release_week: int
    release_day: date
    latest_week: int | None  # last week a start still meets the deadline; None: no week does

    def key(self) -> tuple:
        return (self.latest_week, self.item.cohort.deadline, self.item.reference)


class _Weeks:
    """Week numbers counted from the Monday of ``as_of``'s week."""

    def __init__(self, as_of: date):
        self.week0 = as_of - timedelta(days=as_of.weekday())

    def of(self, day: date) -> int:
        return (day - self.week0).days // 7

    def start(self, week: int, release_day: date) -> date:
        """Reviews in a week start on its Monday, or on the first day they may start."""
        return max(self.week0 + timedelta(weeks=week), release_day)


def schedule(items: Iterable[ScheduleItem], *, as_of: date, capacity: Capacity) -> Schedule:
    """Start dates for every review, meeting as many cohort deadlines as capacity allows.

    Earliest deadline first: week by week, each free place goes to the waiting review whose last
    possible start comes soonest (its deadline, adjusted for its own timescale). This is
    Glover's rule for matching jobs to time slots, so no other schedule meets more deadlines.
    Reviews that cannot meet their deadline are then given the first places left, earliest
    deadline first, and listed as unmeetable. Reviews with notice already given keep their start.
    """
    weeks = _Weeks(as_of)
    per_week = capacity.per_week
    used: Counter[int] = Counter()
    slots: list[Slot] = []
    no_deadline: list[str] = []
    jobs: list[_Job] = []
    for item in items:
        if item.cohort.deadline is None:
            no_deadline.append(item.reference)
        elif item.fixed_start is not None:
            used[weeks.of(item.fixed_start)] += 1
            slots.append(_slot(item, item.fixed_start, fixed=True))
        else:
            jobs.append(_job(item, as_of, weeks))

    late = _match_on_time(jobs, per_week, used, slots, weeks)
    _place_late(late, per_week, used, slots, weeks)
    slots.sort(key=lambda s: (s.start_on or date.max, s.deadline, s.reference))
    return Schedule(
        as_of=as_of, capacity=capacity, slots=tuple(slots), no_deadline=tuple(sorted(no_deadline))
    )


def _job(item: ScheduleItem, as_of: date, weeks: _Weeks) -> _Job:
    release_day = earliest_start(item.instrument_type, as_of)
    latest = _latest_week(item.instrument_type, item.cohort.deadline, release_day, weeks.week0)
    return _Job(item, weeks.of(release_day), release_day, latest)


@functools.lru_cache(maxsize=1024)
def _latest_week(kind: str, deadline: date, release_day: date, week0: date) -> int | None:
    """The last week whose start still gets the plan due on or before the deadline.

    Searched from the deadline's week backwards (a review starting after its deadline cannot
    meet it). Reviews of one type and cohort share the answer, hence the cache.
    """
    weeks = _Weeks(week0)
    week, release_week = weeks.of(deadline), weeks.of(release_day)
    while week >= release_week:
        if plan_due(kind, weeks.start(week, release_day)) <= deadline:
            return week
        week -= 1
    return None


def _match_on_time(jobs, per_week, used, slots, weeks) -> list[_Job]:
    """Glover's greedy over weeks: returns the jobs that miss their deadline."""
    late = [j for j in jobs if j.latest_week is None]
    pending = sorted((j for j in jobs if j.latest_week is not None), key=lambda j: j.release_week)
    waiting: list[tuple[tuple, int, _Job]] = []
    week = pending[0].release_week if pending else 0
    i = 0
    while i < len(pending) or waiting:
        if not waiting and pending[i].release_week > week:
            week = pending[i].release_week
        while i < len(pending) and pending[i].release_week <= week:
            heapq.heappush(waiting, (pending[i].key(), i, pending[i]))
            i += 1
        while waiting and waiting[0][2].latest_week < week:
            late.append(heapq.heappop(waiting)[2])
        while waiting and used[week] < per_week:
            job = heapq.heappop(waiting)[2]
            used[week] += 1
            slots.append(_slot(job.item, weeks.start(week, job.release_day)))
        week += 1
    return late


def _place_late(late: list[_Job], per_week: int, used, slots, weeks) -> None:
    """As soon as practicable after the on-time reviews: first free place, earliest deadline first."""
    late.sort(key=lambda j: (j.item.cohort.deadline, j.item.reference))
    first_free: dict[int, int] = {}  # release week -> no free place before this week
    for job in late:
        if per_week <= 0:
            slots.append(_slot(job.item, None))
            continue
        week = max(job.release_week, first_free.get(job.release_week, job.release_week))
        while used[week] >= per_week:
            week += 1
        first_free[job.release_week] = week
        used[week] += 1
        slots.append(_slot(job.item, weeks.start(week, job.release_day)))


def _slot(item: ScheduleItem, start: date | None, fixed: bool = False) -> Slot:
    deadline = item.cohort.deadline
    assert deadline is not None
    if start is None:
        return Slot(
            item.reference,
            item.instrument_type,
            item.cohort.code,
            deadline,
            None,
            None,
            None,
            on_time=False,
            fixed=fixed,
        )
    notice = None
    if needs_notice(item.instrument_type):
        notice = (
            item.notice_given if fixed and item.notice_given else latest_notice_for_start(start)
        )
    due = plan_due(item.instrument_type, start, notice)
    return Slot(
        reference=item.reference,
        instrument_type=item.instrument_type,
        cohort_code=item.cohort.code,
        deadline=deadline,
        start_on=start,
        notice_by=notice,
        plan_due=due,
        on_time=due <= deadline,
        fixed=fixed,
    )
