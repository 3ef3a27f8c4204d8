"""Which statutory deadlines a case carries, given its dated events.

Pure: plain values in, plain values out, all date arithmetic delegated to ehc.timescales. The
services (one case at a time) and the demo seeder (thousands in bulk) both plan through here, so
there is one place that says which event starts and which event meets each clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

from ehc import timescales as ts

# Event kinds, as stored in CaseEvent.kind (kept as strings so this module stays Django-free).
REQUEST_RECEIVED = "request_received"
DECIDED_TO_ASSESS = "decided_to_assess"
DECIDED_NOT_TO_ASSESS = "decided_not_to_assess"
ADVICE_REQUESTED = "advice_requested"
ADVICE_RECEIVED = "advice_received"
DECIDED_TO_ISSUE = "decided_to_issue"
DECIDED_NOT_TO_ISSUE = "decided_not_to_issue"
DRAFT_SERVED = "draft_served"
SETTING_CONSULTED = "setting_consulted"
SETTING_REPLIED = "setting_replied"
FINAL_PLAN_ISSUED = "final_plan_issued"
ANNUAL_REVIEW_HELD = "annual_review_held"
WITHDRAWN = "withdrawn"
MOVED_LA = "moved_la"

CLOSING_EVENTS = frozenset({WITHDRAWN, MOVED_LA})

# Statuses, as stored in Deadline.status.
RUNNING, MET, BREACHED, DISAPPLIED, SUPERSEDED, NOT_NEEDED = (
    "running",
    "met",
    "breached",
    "disapplied",
    "superseded",
    "not_needed",
)


@dataclass(frozen=True)
class EventFact:
    kind: str
    occurred_on: date
    subject_key: str = ""
    id: int | None = None


@dataclass(frozen=True)
class PlannedDeadline:
    kind: str
    subject_key: str
    starts_on: date
    due_on: date
    met_on: date | None
    needed: bool
    started_by: int | None
    guidance: bool = False
    family_window: bool = False
    case_closed: bool = False
    met_by: str | None = None  # the kind of event that met it


@dataclass(frozen=True)
class _CaseClock:
    """A clock that runs from the case's own start (request or s.24 attention)."""

    kind: str
    due: Callable[[date], date]
    met_by: frozenset[str]
    not_needed_after: frozenset[str]


@dataclass(frozen=True)
class _EventClock:
    """A clock started by each event of one kind, one per subject (adviser, setting...)."""

    kind: str
    started_by: str
    due: Callable[[date], date]
    met_by: str | None
    guidance: bool = False
    family_window: bool = False
    # Later steps that make an unmet clock moot (a plan decision ends the wait for advice).
    closed_by: frozenset[str] = frozenset()


CASE_CLOCKS = (
    _CaseClock(
        "A2",
        ts.decision_to_assess_due,
        frozenset({DECIDED_TO_ASSESS, DECIDED_NOT_TO_ASSESS}),
        frozenset(),
    ),
    _CaseClock(
        "A7",
        ts.decision_not_to_issue_due,
        frozenset({DECIDED_TO_ISSUE, DECIDED_NOT_TO_ISSUE}),
        frozenset({DECIDED_NOT_TO_ASSESS}),
    ),
    _CaseClock(
        "A13",
        ts.final_plan_due,
        frozenset({FINAL_PLAN_ISSUED}),
        frozenset({DECIDED_NOT_TO_ASSESS, DECIDED_NOT_TO_ISSUE}),
    ),
)

EVENT_CLOCKS = (
    _EventClock(
        "A5",
        ADVICE_REQUESTED,
        ts.advice_due,
        ADVICE_RECEIVED,
        closed_by=frozenset({DECIDED_TO_ISSUE, DECIDED_NOT_TO_ISSUE}),
    ),
    _EventClock("A10", DRAFT_SERVED, ts.draft_representations_end, None, family_window=True),
    _EventClock(
        "A12",
        SETTING_CONSULTED,
        ts.setting_consultation_due,
        SETTING_REPLIED,
        guidance=True,
        closed_by=frozenset({FINAL_PLAN_ISSUED}),
    ),
    _EventClock("R1", FINAL_PLAN_ISSUED, ts.first_review_due, ANNUAL_REVIEW_HELD),
)


#: A clock met by a decision either way is named after the decision made, so nobody reads
#: "Decision not to issue a plan: met" about a council that decided to issue one.
TITLE_WHEN_MET_BY = {
    ("A7", DECIDED_TO_ISSUE): "Decision whether to issue a plan after assessment: decided to issue",
}


def deadline_title(planned: PlannedDeadline, rule_title: str) -> str:
    return TITLE_WHEN_MET_BY.get((planned.kind, planned.met_by or ""), rule_title)


def plan_case_deadlines(
    *, clock_starts_on: date, events: Iterable[EventFact], request_clocks: bool = True
) -> list[PlannedDeadline]:
    """Every deadline the case carries, with the day each was met (if it was).

    request_clocks=False leaves out the clocks that run from a request (A2, A7, A13): a
    Statement's transfer review has its own timescale, kept by the conversions app."""
    ordered = sorted(events, key=lambda e: (e.occurred_on, e.id or 0))
    first = _first_of_each_kind(ordered)
    closed_on = min((first[k].occurred_on for k in CLOSING_EVENTS if k in first), default=None)
    start_event = first.get(REQUEST_RECEIVED) or first.get("brought_to_attention")

    planned = [
        _plan_case_clock(c, clock_starts_on, first, start_event)
        for c in (CASE_CLOCKS if request_clocks else ())
    ]
    for clock in EVENT_CLOCKS:
        moot_on = min((first[k].occurred_on for k in clock.closed_by if k in first), default=None)
        planned.extend(_close(p, moot_on) for p in _plan_event_clock(clock, ordered))
    return [_close(p, closed_on) for p in planned]


def _first_of_each_kind(ordered: list[EventFact]) -> dict[str, EventFact]:
    first: dict[str, EventFact] = {}
    for event in ordered:
        first.setdefault(event.kind, event)
    return first


def _plan_case_clock(
    clock: _CaseClock, start: date, first: dict[str, EventFact], start_event: EventFact | None
) -> PlannedDeadline:
    meeting = min(
        (first[k] for k in clock.met_by if k in first),
        key=lambda e: (e.occurred_on, e.id or 0),
        default=None,
    )
    met = meeting.occurred_on if meeting else None
    stopped = any(k in first for k in clock.not_needed_after)
    return PlannedDeadline(
        met_by=meeting.kind if meeting else None,
        kind=clock.kind,
        subject_key="",
        starts_on=start,
        due_on=clock.due(start),
        met_on=met,
        needed=met is not None or not stopped,
        started_by=start_event.id if start_event else None,
    )


def _plan_event_clock(clock: _EventClock, ordered: list[EventFact]) -> list[PlannedDeadline]:
    starts: dict[str, EventFact] = {}
    meets: dict[str, date] = {}
    for event in ordered:
        if event.kind == clock.started_by:
            starts.setdefault(event.subject_key, event)
        elif event.kind == clock.met_by and event.subject_key in starts:
            meets.setdefault(event.subject_key, event.occurred_on)
    return [
        PlannedDeadline(
            kind=clock.kind,
            subject_key=key,
            starts_on=event.occurred_on,
            due_on=clock.due(event.occurred_on),
            met_on=meets.get(key),
            needed=True,
            started_by=event.id,
            guidance=clock.guidance,
            family_window=clock.family_window,
        )
        for key, event in starts.items()
    ]


def _close(planned: PlannedDeadline, closed_on: date | None) -> PlannedDeadline:
    """A closed case (or a later step) ends a clock: one that had not run out is no longer
    needed; a missed one stays missed, but nobody waits on it any more."""
    if closed_on is None or planned.case_closed:
        return planned
    still_needed = planned.needed and (planned.met_on is not None or planned.due_on < closed_on)
    return replace(planned, needed=still_needed, case_closed=True)


def deadline_status(planned: PlannedDeadline, *, today: date, excused: bool) -> tuple[str, bool]:
    """(status, is_open) for a planned deadline on a given day.

    An exception never moves the date: a deadline met on time is MET whatever was recorded;
    otherwise an exception makes it DISAPPLIED rather than BREACHED.
    """
    if not planned.needed:
        return NOT_NEEDED, False
    if planned.family_window:
        return (RUNNING, True) if today <= planned.due_on else (MET, False)
    if planned.met_on is not None:
        if planned.met_on <= planned.due_on:
            return MET, False
        return (DISAPPLIED if excused else BREACHED), False
    is_open = not planned.case_closed
    if excused:
        return DISAPPLIED, is_open
    return (BREACHED if today > planned.due_on else RUNNING), is_open
