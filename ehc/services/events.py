"""Recording dated events on a case: the one way a case moves on."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from ehc import timescales
from ehc.models import Case, CaseEvent, User
from ehc.services.common import local_today, save_audited
from ehc.services.deadlines import case_deadlines_recompute

EVENT_IN_FUTURE = "The date cannot be in the future."
EVENT_BEFORE_REQUEST = "The date cannot be before the request was received ({start:%d %B %Y})."
CASE_CLOSED = "This case is closed; reopen it or start a new request."
ALREADY_RECORDED = "This has already been recorded on this case."
NEEDS_EARLIER = "Record '{needed}' first: this cannot happen before it."
BEFORE_EARLIER = "The date cannot be before '{needed}' ({on:%d %B %Y})."
FINAL_BEFORE_WINDOW = (
    "The final plan cannot be issued until the family's 15 days to comment on the draft have "
    "ended (on {end:%d %B %Y})."
)
K = CaseEvent.Kind

# Events that happen once per case (or once per subject, e.g. per adviser).
ONCE = {
    K.REQUEST_RECEIVED,
    K.BROUGHT_TO_ATTENTION,
    K.DECIDED_TO_ASSESS,
    K.DECIDED_NOT_TO_ASSESS,
    K.DECIDED_TO_ISSUE,
    K.DECIDED_NOT_TO_ISSUE,
    K.FINAL_PLAN_ISSUED,
    K.WITHDRAWN,
    K.MOVED_LA,
    K.ADVICE_REQUESTED,
    K.ADVICE_RECEIVED,
    K.SETTING_CONSULTED,
    K.SETTING_REPLIED,
}
# Events that answer the same question: once one of a group is recorded, none of it may be again.
ONE_ANSWER = (
    {K.REQUEST_RECEIVED, K.BROUGHT_TO_ATTENTION},
    {K.DECIDED_TO_ASSESS, K.DECIDED_NOT_TO_ASSESS},
    {K.DECIDED_TO_ISSUE, K.DECIDED_NOT_TO_ISSUE},
)
# Which events (any one of, same subject where the event has one) must come first.
REQUIRES: dict[str, tuple[set[str], bool]] = {
    K.DECIDED_TO_ASSESS: ({K.REQUEST_RECEIVED, K.BROUGHT_TO_ATTENTION}, False),
    K.DECIDED_NOT_TO_ASSESS: ({K.REQUEST_RECEIVED, K.BROUGHT_TO_ATTENTION}, False),
    K.ADVICE_REQUESTED: ({K.DECIDED_TO_ASSESS}, False),
    K.ADVICE_RECEIVED: ({K.ADVICE_REQUESTED}, True),
    K.DECIDED_TO_ISSUE: ({K.DECIDED_TO_ASSESS}, False),
    K.DECIDED_NOT_TO_ISSUE: ({K.DECIDED_TO_ASSESS}, False),
    K.DRAFT_SERVED: ({K.DECIDED_TO_ISSUE}, False),
    K.REPRESENTATIONS_RECEIVED: ({K.DRAFT_SERVED}, False),
    K.SETTING_CONSULTED: ({K.DRAFT_SERVED}, False),
    K.SETTING_REPLIED: ({K.SETTING_CONSULTED}, True),
    K.FINAL_PLAN_ISSUED: ({K.DRAFT_SERVED}, False),
    K.ANNUAL_REVIEW_HELD: ({K.FINAL_PLAN_ISSUED}, False),
}
# Where the case stands after each event; None keeps the outcome as it is.
STAGE_AFTER: dict[str, tuple[str, str | None]] = {
    K.DECIDED_TO_ASSESS: (Case.Stage.ASSESSING, None),
    K.DECIDED_NOT_TO_ASSESS: (Case.Stage.CLOSED, Case.Outcome.NOT_ASSESSED),
    K.DECIDED_TO_ISSUE: (Case.Stage.DRAFTING, None),
    K.DECIDED_NOT_TO_ISSUE: (Case.Stage.CLOSED, Case.Outcome.NO_PLAN),
    K.DRAFT_SERVED: (Case.Stage.DRAFT_ISSUED, None),
    K.FINAL_PLAN_ISSUED: (Case.Stage.PLAN_ISSUED, Case.Outcome.PLAN_ISSUED),
    K.WITHDRAWN: (Case.Stage.CLOSED, Case.Outcome.WITHDRAWN),
    K.MOVED_LA: (Case.Stage.CLOSED, Case.Outcome.MOVED_LA),
}
# Events still allowed once a case has an outcome: a plan is maintained after it is issued.
AFTER_PLAN_ISSUED: set[str] = {
    K.NOTE,
    K.ANNUAL_REVIEW_HELD,
    K.MOVED_LA,
    K.REVIEW_MEETING_ARRANGED,
    K.REVIEW_PLAN_KEPT,
    K.AMENDMENTS_PROPOSED,
    K.AMENDED_PLAN_ISSUED,
    K.DECIDED_NOT_TO_AMEND,
    K.DECIDED_TO_CEASE,
    K.PLAN_CEASED,
}
AFTER_CLOSED: set[str] = {K.NOTE}

# Apps that must hear of each event as it is recorded (notifications tells the family). Each hook
# runs inside the recording transaction, after the case has moved on, so what it writes is
# rolled back with the event; anything sent outside the database waits for the commit.
EventHook = Callable[[CaseEvent], None]
_EVENT_HOOKS: list[EventHook] = []


_HOOKS_PAUSED: ContextVar[bool] = ContextVar("event_hooks_paused", default=False)


@contextmanager
def event_hooks_paused() -> Iterator[None]:
    """Record events without running the hooks: for loading past records (demo data), whose
    events are history rather than news for anyone."""
    token = _HOOKS_PAUSED.set(True)
    try:
        yield
    finally:
        _HOOKS_PAUSED.reset(token)


def on_event_recorded(hook: EventHook) -> EventHook:
    """Register `hook(event)` to run for every event `case_event_record` saves (once per hook)."""
    if hook not in _EVENT_HOOKS:
        _EVENT_HOOKS.append(hook)
    return hook


@transaction.atomic
def case_event_record(
    *,
    case: Case,
    kind: str,
    occurred_on: date,
    acting_user: User | None,
    subject_key: str = "",
    summary: str = "",
    details: dict[str, object] | None = None,
) -> CaseEvent:
    """Check an event against the case's history, save it, move the case on, recompute deadlines.

    The case row is locked first, so two caseworkers recording the same decision at once
    produce one event and one clear refusal.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    earlier = list(case.events.all())
    _validate(case, kind, occurred_on, subject_key, earlier)
    event = CaseEvent(
        case=case,
        kind=kind,
        occurred_on=occurred_on,
        subject_key=subject_key,
        summary=summary,
        details=details or {},
        recorded_by=acting_user,
    )
    save_audited(event, acting_user=acting_user)
    _move_case_on(case, kind, occurred_on, acting_user)
    case_deadlines_recompute(case=case)
    if not _HOOKS_PAUSED.get():
        for hook in _EVENT_HOOKS:
            hook(event)
    return event


def _validate(
    case: Case, kind: str, occurred_on: date, subject_key: str, earlier: list[CaseEvent]
) -> None:
    if occurred_on > local_today():
        raise ValidationError({"occurred_on": EVENT_IN_FUTURE})
    if occurred_on < case.arrived_on:
        raise ValidationError({"occurred_on": EVENT_BEFORE_REQUEST.format(start=case.arrived_on)})
    if case.outcome != Case.Outcome.OPEN and kind not in _allowed_after(case.outcome):
        raise ValidationError(CASE_CLOSED, code="closed")
    if kind in ONCE and any(e.kind == kind and e.subject_key == subject_key for e in earlier):
        raise ValidationError(ALREADY_RECORDED, code="duplicate")
    for group in ONE_ANSWER:
        if kind in group and any(e.kind in group for e in earlier):
            raise ValidationError(ALREADY_RECORDED, code="duplicate")
    if kind in REQUIRES:
        _validate_order(kind, occurred_on, subject_key, earlier)
    if kind == K.FINAL_PLAN_ISSUED:
        _validate_after_representations(occurred_on, earlier)


def _allowed_after(outcome: str) -> set[str]:
    return AFTER_PLAN_ISSUED if outcome == Case.Outcome.PLAN_ISSUED else AFTER_CLOSED


def _validate_order(
    kind: str, occurred_on: date, subject_key: str, earlier: list[CaseEvent]
) -> None:
    needed, same_subject = REQUIRES[kind]
    matches = [
        e
        for e in earlier
        if e.kind in needed and (not same_subject or e.subject_key == subject_key)
    ]
    label = " or ".join(sorted(K(k).label for k in needed))
    if not matches:
        raise ValidationError(NEEDS_EARLIER.format(needed=label), code="order")
    first = min(matches, key=lambda e: e.occurred_on)
    if occurred_on < first.occurred_on:
        raise ValidationError(
            {"occurred_on": BEFORE_EARLIER.format(needed=label, on=first.occurred_on)}
        )


def _validate_after_representations(occurred_on: date, earlier: list[CaseEvent]) -> None:
    served = max(e.occurred_on for e in earlier if e.kind == K.DRAFT_SERVED)
    window_end = timescales.draft_representations_end(served)
    if occurred_on <= window_end:
        raise ValidationError({"occurred_on": FINAL_BEFORE_WINDOW.format(end=window_end)})


def _move_case_on(case: Case, kind: str, occurred_on: date, acting_user: User | None) -> None:
    if kind not in STAGE_AFTER:
        return
    stage, outcome = STAGE_AFTER[kind]
    case.stage = stage
    if outcome is not None:
        case.outcome = outcome
        if stage == Case.Stage.CLOSED:
            case.closed_on = occurred_on
    save_audited(case, acting_user=acting_user, validate=False)
