"""Personal budgets and direct payments: spec section 5."""

from __future__ import annotations

from datetime import date

from .calendar import (
    _months_after,
    _require_date,
)
from .rules import Rule, _months


def dp_first_review_due(start: date) -> date:
    """First review of direct payments: start + 3 months.

    PB Regs reg 11 (wording not seen); spec PB13 (verification P).
    """
    return _months_after(_require_date(start, "start"), 3)


#: This chapter's rules. Columns: code, title, legal basis, spec row, verification,
#: why-this-date, exceptions.
RULES: tuple[Rule, ...] = (
    Rule(
        "PB13",
        "First review of direct payments",
        "SEN (Personal Budgets) Regulations 2014 reg 11",
        "PB13",
        "P",
        _months("3 months", "the day direct payments started"),
        due=dp_first_review_due,
    ),
)
