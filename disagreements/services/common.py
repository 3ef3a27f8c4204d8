"""What every stage shares: the clock source, the decision and ground tables, the messages more
than one stage shows, and the small checks every service makes (dates, open disagreement,
required text, the timeline note)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError

from disagreements.models import Disagreement, Order
from ehc.models import Case, CaseEvent, Notice, User
from ehc.services.common import local_today
from ehc.services.events import case_event_record

CLOCK_SOURCE = "disagreements"


D = Disagreement.Decision


T = Order.Type


S = Order.Source


NOT_THIS_CASE = "That letter is not about this case."


IN_FUTURE = "The date cannot be in the future."


BEFORE_DECISION = "The date cannot be before the decision was sent ({on:%d %B %Y})."


BEFORE_EARLIER = "The date cannot be before {what} ({on:%d %B %Y})."


NOT_OPEN = "This disagreement is closed; nothing more can be recorded on it."


TEXT_REQUIRED = "Enter {what}."


DECISION_FOR_NOTICE = {
    Notice.Kind.REFUSAL_TO_ASSESS: D.REFUSAL_TO_ASSESS,
    Notice.Kind.NO_PLAN: D.NO_PLAN,
    Notice.Kind.FINAL_PLAN: D.PLAN_CONTENTS,
}


GROUNDS_FOR_DECISION = {
    D.REFUSAL_TO_ASSESS: ("a",),
    D.NO_PLAN: ("b",),
    D.PLAN_CONTENTS: ("c_i", "c_ii", "c_iii", "c_iv"),
    D.REFUSAL_TO_REASSESS: ("d",),
    D.NO_AMENDMENT: ("e",),
    D.CEASE: ("f",),
}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _require_open(disagreement: Disagreement) -> None:
    if disagreement.status != Disagreement.Status.OPEN:
        raise ValidationError(NOT_OPEN, code="closed")


def _check_day(field: str, day: date, *, after: Iterable[tuple[str, date | None]] = ()) -> None:
    """Refuse a future date, or one before any (label, date) in `after`."""
    if day > local_today():
        raise ValidationError({field: IN_FUTURE})
    for label, earlier in after:
        if earlier is not None and day < earlier:
            raise ValidationError({field: BEFORE_EARLIER.format(what=label, on=earlier)})


def _check_after_decision(field: str, day: date, disagreement: Disagreement) -> None:
    if day > local_today():
        raise ValidationError({field: IN_FUTURE})
    if day < disagreement.decision_sent_on:
        raise ValidationError({field: BEFORE_DECISION.format(on=disagreement.decision_sent_on)})


def _require_text(field: str, text: str, what: str) -> str:
    if not text.strip():
        raise ValidationError({field: TEXT_REQUIRED.format(what=what)})
    return text.strip()


def _note(case: Case, on: date, summary: str, acting_user: User, **details) -> CaseEvent:
    """The fact on the case's timeline; the clocks it starts point at it."""
    return case_event_record(
        case=case,
        kind=CaseEvent.Kind.NOTE,
        occurred_on=on,
        summary=summary,
        details={"disagreement": True, **details},
        acting_user=acting_user,
    )


def _locked(disagreement: Disagreement) -> Disagreement:
    return Disagreement.objects.select_for_update().select_related("case").get(pk=disagreement.pk)
