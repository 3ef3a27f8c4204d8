"""What a rule is: its title, legal basis, why its date is what it is, and which exceptions
(spec 1.3) may be recorded against it.

Each chapter module lists its own rules in a ``RULES`` tuple beside its date functions;
``ehc.timescales.RULES`` joins them, in the order of the spec, keyed by code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .calendar import _require_date

#: Exception codes (spec 1.3) with plain-English labels.
EXCEPTION_CODES: dict[str, str] = {
    "SCHOOL_CLOSURE": (
        "Advice was asked of a school or college head during a closure of 4 weeks or more "
        "(from 1 week before it closed to 1 week before it reopened)"
    ),
    "EY_CLOSURE": (
        "Advice was asked of an early years provider during a closure of 4 weeks or more "
        "(from 1 week before it closed to 1 week before it reopened)"
    ),
    "EXCEPTIONAL_PERSONAL_CIRCUMSTANCES": (
        "Exceptional personal circumstances affecting the child, young person or parent"
    ),
    "ABSENT_FROM_AREA": (
        "The child, young person or parent was away from the council's area for 4 weeks "
        "or more in a row (2 weeks for a Tribunal order)"
    ),
    "MISSED_APPOINTMENT": (
        "The child or young person missed an appointment for an examination or test made "
        "by the service giving advice"
    ),
    "FAMILY_REPRESENTATIONS_LATE": (
        "The family said it wants to make representations after the deadline "
        "(Tribunal orders only; not yet verified)"
    ),
    "CORONAVIRUS": (
        "A reason relating to coronavirus (historic: only between 1 May and 25 September 2020)"
    ),
}

# Exception sets: the columns of the spec 1.3 matrix.
_CLOSURE_PERSONAL_ABSENCE = frozenset(
    {"SCHOOL_CLOSURE", "EY_CLOSURE", "EXCEPTIONAL_PERSONAL_CIRCUMSTANCES", "ABSENT_FROM_AREA"}
)
# Regs 5(4), 10(4), 13(3), plus the 2020 coronavirus reason.
_ASSESSMENT_EXCEPTIONS = _CLOSURE_PERSONAL_ABSENCE | {"CORONAVIRUS"}
# Reg 8(2): no closure exception, but a missed appointment counts.
_ADVICE_EXCEPTIONS = frozenset(
    {"EXCEPTIONAL_PERSONAL_CIRCUMSTANCES", "ABSENT_FROM_AREA", "MISSED_APPOINTMENT", "CORONAVIRUS"}
)
_REASSESSMENT_EXCEPTIONS = _CLOSURE_PERSONAL_ABSENCE  # Reg 27(3)
# Reg 44(3); the late-representations reason is unverified (spec 4.4 T-x).
_TRIBUNAL_ORDER_EXCEPTIONS = _CLOSURE_PERSONAL_ABSENCE | {"FAMILY_REPRESENTATIONS_LATE"}
_NO_EXCEPTIONS: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Rule:
    """One deadline rule, described for caseworkers and parents.

    ``explain`` is a ``str.format`` template that may use ``start`` (the date
    the clock runs from) and ``due`` (the computed date). ``due`` is the chapter's function
    that computes the date, so one lookup gives the wording and the arithmetic:
    ``RULES["A13"].due_on(received)``. Its arguments are the function's own: most take the
    day the clock runs from; a few need more (``R18``: the move and the day it was learnt of).
    """

    code: str
    title: str
    legal_basis: str
    spec_row: str
    verification: str  # V, P or U, as labelled in the spec
    explain: str
    allowed_exceptions: frozenset[str] = _NO_EXCEPTIONS
    due: Callable[..., date] | None = None  # every rule in RULES has one (tested)

    def __post_init__(self) -> None:
        # Catch table typos at import time rather than in a caseworker's screen.
        if self.verification not in {"V", "P", "U"}:
            raise ValueError(f"{self.code}: verification must be V, P or U")
        unknown = self.allowed_exceptions - EXCEPTION_CODES.keys()
        if unknown:
            raise ValueError(f"{self.code}: unknown exception codes {sorted(unknown)}")

    def due_on(self, *args: object, **kwargs: object) -> date:
        """The due date, computed by the rule's own function."""
        if self.due is None:
            raise ValueError(f"{self.code}: no due-date function")
        return self.due(*args, **kwargs)

    def explain_for(self, start: date, due: date) -> str:
        """The "why this date" sentence for a clock from ``start`` due on ``due``."""
        start, due = _require_date(start, "start"), _require_date(due, "due")
        return self.explain.format(start=start, due=due)


_REGS = "SEND Regs 2014"
_AS_2015 = "as substituted by SI 2015/359"


def _after(period: str, event: str) -> str:
    return f"{period} from {event} ({{start:%d %B %Y}}), the day itself not counted"


def _working_days(event: str) -> str:
    return (
        f"3 working days after {event} ({{start:%d %B %Y}}), not counting weekends or bank holidays"
    )


def _months(period: str, event: str) -> str:
    return (
        f"{period} from {event} ({{start:%d %B %Y}}), ending on the same date of the month "
        "(or the month's last day if it is shorter)"
    )


def _immediately(event: str) -> str:
    return f"Immediately: {event} ({{start:%d %B %Y}})"
