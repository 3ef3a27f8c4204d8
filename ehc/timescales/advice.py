"""Advice asked of an organisation online: the week to take the request up, and the A5 date.

Taking up a request within a week is the council's service standard, not a statutory limit
(it lets a request that nobody has picked up be chased while there is still time to meet the
6 weeks of Reg 8(1)); the advice itself is due on the A5 date.
"""

from __future__ import annotations

from datetime import date

from .assessment import advice_due
from .calendar import _days_after, _require_date
from .rules import _ADVICE_EXCEPTIONS, Rule, _after

#: Days an organisation has to accept (take up) an advice request sent to its inbox.
ACCEPT_WITHIN_DAYS = 7


def advice_request_accept_due(sent: date) -> date:
    """An online advice request should be accepted within a week of reaching the inbox.

    Council service standard (not in the Regulations); spec A5 is the date it serves.
    """
    return _days_after(_require_date(sent, "sent"), ACCEPT_WITHIN_DAYS)


def advice_request_due(sent: date) -> date:
    """The organisation's advice is due on the spec A5 date: receipt of the request + 6 weeks."""
    return advice_due(sent)


#: This chapter's rules. Columns: code, title, legal basis, spec row, verification,
#: why-this-date, exceptions.
RULES: tuple[Rule, ...] = (
    Rule(
        "PA1",
        "Advice request accepted by the organisation asked",
        "Council service standard (so that SEND Regs 2014 reg 8(1) can be met)",
        "A5",
        "P",
        _after("1 week", "the day the request reached the organisation's inbox"),
        due=advice_request_accept_due,
    ),
    Rule(
        "PA2",
        "Advice sent by the organisation asked",
        "SEND Regs 2014 reg 8(1)",
        "A5",
        "V",
        _after("6 weeks", "the day the request reached the organisation's inbox"),
        _ADVICE_EXCEPTIONS,
        due=advice_request_due,
    ),
)
