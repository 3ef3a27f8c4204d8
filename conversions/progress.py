"""Where the transition stood on a given day: converted, in progress, not started, at risk.

Pure, like conversions.timetable: each instrument's dated facts in, plain rows out. A fact
dated after ``as_of`` is treated as not having happened yet, so a council loading its legacy
records later sees each day as it stood.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from conversions import timetable as tt

CONVERTED = "converted"
IN_PROGRESS = "in_progress"
NOT_STARTED = "not_started"
CEASED = "ceased"
STATUS_LABELS = {
    CONVERTED: "Converted",
    IN_PROGRESS: "In progress",
    NOT_STARTED: "Not started",
    CEASED: "Ceased without transfer",
}
#: Local practice, not law: warn this many days before the last day to give notice.
NOTICE_WARNING_DAYS = 28


@dataclass(frozen=True)
class Record:
    """One legacy instrument and its transfer's dates, as stored."""

    instrument_id: int
    facts: tt.InstrumentFacts
    made_on: date
    child_name: str = ""
    ceased_on: date | None = None
    review_id: int | None = None
    case_id: int | None = None
    notice_given_on: date | None = None
    planned_start_on: date | None = None
    started_on: date | None = None
    concluded_on: date | None = None
    outcome: str = ""

    @property
    def reference(self) -> str:
        return self.facts.reference

    @property
    def instrument_type(self) -> str:
        return self.facts.instrument_type

    @functools.cached_property
    def cohort(self) -> tt.Cohort:
        return tt.cohort_for(self.facts)


def _on_or_before(day: date | None, as_of: date) -> bool:
    return day is not None and day <= as_of


def exists_on(record: Record, as_of: date) -> bool:
    return record.made_on <= as_of


def status_on(record: Record, as_of: date) -> str:
    """CONVERTED, CEASED, IN_PROGRESS or NOT_STARTED on ``as_of`` (the instrument must exist)."""
    if _on_or_before(record.concluded_on, as_of):
        return CONVERTED
    if _on_or_before(record.ceased_on, as_of):
        return CEASED
    if _on_or_before(record.notice_given_on, as_of) or _on_or_before(record.started_on, as_of):
        return IN_PROGRESS
    return NOT_STARTED


def started_on(record: Record, as_of: date) -> date | None:
    """The start as known on ``as_of``: the actual start if it had happened, else the plan."""
    if _on_or_before(record.started_on, as_of):
        return record.started_on
    return record.planned_start_on


@functools.lru_cache(maxsize=256)
def latest_start(instrument_type: str, deadline: date, as_of: date) -> date | None:
    """The last day a review not yet notified on ``as_of`` can start and still have its plan
    due by ``deadline``; None if even the earliest start is too late."""
    first = tt.earliest_start(instrument_type, as_of)
    day = deadline
    while day >= first:
        if tt.plan_due(instrument_type, day) <= deadline:
            return day
        day -= timedelta(days=1)
    return None


@dataclass(frozen=True)
class Risk:
    reason: str
    act_by: date | None = None  # the day something must happen by, where there is one


def risk_on(record: Record, as_of: date) -> Risk | None:
    """Why this instrument's cohort deadline is at risk on ``as_of``, or None."""
    deadline = record.cohort.deadline
    status = status_on(record, as_of)
    if deadline is None or status in (CONVERTED, CEASED):
        return None
    if deadline < as_of:
        return Risk(f"Cohort deadline passed on {deadline:%d %B %Y}")
    if status == IN_PROGRESS:
        start = started_on(record, as_of)
        if start is None:
            return Risk("Notice given but no start date planned")
        notice = record.notice_given_on if _on_or_before(record.notice_given_on, as_of) else None
        due = tt.plan_due(record.instrument_type, start, notice)
        if due < as_of:
            return Risk(f"Transfer review overdue: the plan was due {due:%d %B %Y}", due)
        if due > deadline:
            return Risk(f"Plan due {due:%d %B %Y}, after the cohort deadline", due)
        return None
    last = latest_start(record.instrument_type, deadline, as_of)
    if last is None:
        return Risk("Cannot meet the cohort deadline even if the transfer starts now")
    act_by = tt.latest_notice_for_start(last) if tt.needs_notice(record.instrument_type) else last
    if (act_by - as_of).days <= NOTICE_WARNING_DAYS:
        verb = "Give notice" if tt.needs_notice(record.instrument_type) else "Start"
        return Risk(f"{verb} by {act_by:%d %B %Y} to meet the cohort deadline", act_by)
    return None


@dataclass(frozen=True)
class CohortProgress:
    """One row of the progress table: plain values only, for pages, dashboards and CSV."""

    cohort_code: str
    cohort_title: str
    deadline: date | None
    deadline_rule: str
    legal_basis: str
    total: int
    converted: int
    converted_on_time: int
    in_progress: int
    not_started: int
    ceased: int
    at_risk: int
    deadline_passed: bool

    @property
    def converted_late(self) -> int:
        return self.converted - self.converted_on_time

    @property
    def on_time_share(self) -> float | None:
        """Share of the converted that concluded on or before the cohort deadline."""
        return self.converted_on_time / self.converted if self.converted else None


@dataclass
class _Tally:
    total: int = 0
    converted: int = 0
    on_time: int = 0
    in_progress: int = 0
    not_started: int = 0
    ceased: int = 0
    at_risk: int = 0
    risks: list = field(default_factory=list)


def by_cohort(records: Iterable[Record], as_of: date) -> list[CohortProgress]:
    """One row per cohort (in deadline order), counting the instruments that existed on as_of."""
    tallies = {code: _Tally() for code in tt.COHORTS}
    for record in records:
        if not exists_on(record, as_of):
            continue
        tally = tallies[record.cohort.code]
        status = status_on(record, as_of)
        tally.total += 1
        if status == CONVERTED:
            tally.converted += 1
            deadline = record.cohort.deadline
            tally.on_time += deadline is not None and record.concluded_on <= deadline
        elif status == IN_PROGRESS:
            tally.in_progress += 1
        elif status == NOT_STARTED:
            tally.not_started += 1
        else:
            tally.ceased += 1
        tally.at_risk += risk_on(record, as_of) is not None
    return [
        CohortProgress(
            cohort_code=cohort.code,
            cohort_title=cohort.title,
            deadline=cohort.deadline,
            deadline_rule=cohort.rule,
            legal_basis=cohort.legal_basis,
            total=t.total,
            converted=t.converted,
            converted_on_time=t.on_time,
            in_progress=t.in_progress,
            not_started=t.not_started,
            ceased=t.ceased,
            at_risk=t.at_risk,
            deadline_passed=cohort.deadline is not None and cohort.deadline < as_of,
        )
        for cohort, t in ((tt.COHORTS[code], t) for code, t in tallies.items())
    ]


def totals(rows: list[CohortProgress]) -> CohortProgress:
    """All cohorts together (on-time share over every conversion with a deadline)."""
    return CohortProgress(
        cohort_code="ALL",
        cohort_title="All instruments",
        deadline=None,
        deadline_rule="",
        legal_basis="",
        total=sum(r.total for r in rows),
        converted=sum(r.converted for r in rows),
        converted_on_time=sum(r.converted_on_time for r in rows),
        in_progress=sum(r.in_progress for r in rows),
        not_started=sum(r.not_started for r in rows),
        ceased=sum(r.ceased for r in rows),
        at_risk=sum(r.at_risk for r in rows),
        deadline_passed=False,
    )


@dataclass(frozen=True)
class AtRisk:
    instrument_id: int
    reference: str
    instrument_type: str
    child_name: str
    cohort_code: str
    cohort_title: str
    deadline: date
    status: str
    reason: str
    act_by: date | None
    review_id: int | None
    case_id: int | None


def at_risk(records: Iterable[Record], as_of: date) -> list[AtRisk]:
    """Every instrument whose cohort deadline was at risk on ``as_of``, soonest deadline first."""
    rows = []
    for record in records:
        if not exists_on(record, as_of):
            continue
        risk = risk_on(record, as_of)
        if risk is None:
            continue
        rows.append(
            AtRisk(
                instrument_id=record.instrument_id,
                reference=record.reference,
                instrument_type=record.instrument_type,
                child_name=record.child_name,
                cohort_code=record.cohort.code,
                cohort_title=record.cohort.title,
                deadline=record.cohort.deadline,
                status=status_on(record, as_of),
                reason=risk.reason,
                act_by=risk.act_by,
                review_id=record.review_id,
                case_id=record.case_id,
            )
        )
    rows.sort(key=lambda r: (r.deadline, r.act_by or r.deadline, r.reference))
    return rows


def schedule_items(records: Iterable[Record], as_of: date) -> list[tt.ScheduleItem]:
    """What is left to schedule on ``as_of``: reviews not yet started. A review whose notice is
    out keeps its planned start (fixed); one with no notice yet is free to move."""
    items = []
    for record in records:
        if not exists_on(record, as_of) or status_on(record, as_of) in (CONVERTED, CEASED):
            continue
        if _on_or_before(record.started_on, as_of):
            continue  # under way: no longer needs a start
        notified = _on_or_before(record.notice_given_on, as_of)
        fixed = record.planned_start_on if notified else None
        if notified and fixed is None:
            continue
        items.append(
            tt.ScheduleItem(
                reference=record.reference,
                instrument_type=record.instrument_type,
                cohort=record.cohort,
                fixed_start=fixed,
                notice_given=record.notice_given_on if notified else None,
            )
        )
    return items
