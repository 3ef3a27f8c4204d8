"""Assessment to final plan: spec section 1.2 (rows A1-A13)."""

from __future__ import annotations

from datetime import date

from .calendar import (
    _days_after,
    _require_date,
    _weeks_after,
)
from .rules import _ADVICE_EXCEPTIONS, _ASSESSMENT_EXCEPTIONS, _REGS, Rule, _after

_REQUEST = "the day the request was received"


def decision_to_assess_due(received: date) -> date:
    """Decision whether to assess: received + 6 weeks. Reg 5(1); spec A2."""
    return _weeks_after(_require_date(received, "received"), 6)


def decision_not_to_issue_due(received: date) -> date:
    """Notice of a decision not to issue a plan: received + 16 weeks.

    Reg 10(1); spec A7.
    """
    return _weeks_after(_require_date(received, "received"), 16)


def final_plan_due(received: date) -> date:
    """Final EHC plan issued: received + 20 weeks. Reg 13(2); spec A13."""
    return _weeks_after(_require_date(received, "received"), 20)


def issued_within_20_weeks(received: date, issued: date) -> bool:
    """True if the plan was issued on or before the 20-week deadline.

    Reg 13(2); spec A13 and SEN2 timeliness. Exceptions are not considered
    here: SEN2 reports them separately (spec 7.1).
    """
    issued = _require_date(issued, "issued")
    return issued <= final_plan_due(received)


def advice_due(advice_request_received: date) -> date:
    """Advice from a body asked by the LA: its receipt of the request + 6 weeks.

    Reg 8(1); spec A5.
    """
    return _weeks_after(_require_date(advice_request_received, "advice_request_received"), 6)


def draft_representations_end(draft_served: date) -> date:
    """Last day of the family's 15 days to comment on the draft plan.

    "At least 15 days beginning with the day ... served": the service day is
    day 1, so the window ends draft_served + 14 days. Reg 13(1)(a); spec A10.
    """
    return _days_after(_require_date(draft_served, "draft_served"), 14)


def setting_consultation_due(consulted: date) -> date:
    """Expected response from a consulted school or college: + 15 days.

    Guidance only (CoP 9.83), not a statutory limit; spec A12 and 0.1(5).
    """
    return _days_after(_require_date(consulted, "consulted"), 15)


#: This chapter's rules. Columns: code, title, legal basis, spec row, verification,
#: why-this-date, exceptions.
RULES: tuple[Rule, ...] = (
    Rule(
        "A2",
        "Decision whether to assess",
        f"{_REGS} reg 5(1); CFA 2014 s.36",
        "A2",
        "V",
        _after("6 weeks", _REQUEST),
        _ASSESSMENT_EXCEPTIONS,
        due=decision_to_assess_due,
    ),
    Rule(
        "A5",
        "Advice from a professional or service",
        f"{_REGS} reg 8(1)",
        "A5",
        "V",
        _after("6 weeks", "the day the service received the council's request for advice"),
        _ADVICE_EXCEPTIONS,
        due=advice_due,
    ),
    Rule(
        "A7",
        "Decision not to issue a plan after assessment",
        f"{_REGS} reg 10(1); CFA 2014 s.36(9)",
        "A7",
        "V",
        _after("16 weeks", _REQUEST),
        _ASSESSMENT_EXCEPTIONS,
        due=decision_not_to_issue_due,
    ),
    Rule(
        "A10",
        "Family's comments on the draft plan",
        f"{_REGS} reg 13(1)(a)",
        "A10",
        "V",
        "15 days, counting the day the draft plan was served ({start:%d %B %Y}) as day 1",
        due=draft_representations_end,
    ),
    Rule(
        "A12",
        "School or college reply to consultation (guidance)",
        "SEND Code of Practice 9.83 (guidance); CFA 2014 ss.39-40",
        "A12",
        "P",
        _after("15 days", "the day the school or college was consulted")
        + "; guidance, not a legal time limit",
        due=setting_consultation_due,
    ),
    Rule(
        "A13",
        "Final EHC plan issued",
        f"{_REGS} reg 13(2)",
        "A13",
        "V",
        _after("20 weeks", _REQUEST),
        _ASSESSMENT_EXCEPTIONS,
        due=final_plan_due,
    ),
)
