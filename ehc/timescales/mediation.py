"""Mediation: spec section 4.2 (rows M1-M10)."""

from __future__ import annotations

from datetime import date

from .calendar import (
    _days_after,
    _months_after,
    _require_date,
    _weeks_after,
    _working_days_after,
)
from .rules import _REGS, Rule, _after, _months, _working_days


def mediation_contact_deadline(decision_sent: date) -> date:
    """Family contacts the mediation adviser: decision sent + 2 months.

    Corresponding-date rule. Reg 33; spec M2.
    """
    return _months_after(_require_date(decision_sent, "decision_sent"), 2)


def mediation_certificate_due(adviser_informed: date) -> date:
    """Mediation certificate: the 3rd working day after the adviser is told.

    Also used for a certificate after mediation ends or when the LA cannot
    arrange mediation in time. Reg 34; spec M3, M6, M7.
    """
    return _working_days_after(_require_date(adviser_informed, "adviser_informed"), 3)


def mediation_arranged_by(la_informed: date) -> date:
    """LA arranges mediation: la_informed + 30 days. Regs 36-37; spec M5."""
    return _days_after(_require_date(la_informed, "la_informed"), 30)


def mediation_agreement_due(agreed: date) -> date:
    """Action agreed at mediation on non-appealable matters: + 2 weeks.

    Unless another timescale was agreed in writing. Reg 42(3); spec M9.
    """
    return _weeks_after(_require_date(agreed, "agreed"), 2)


def mediation_health_issues_due(la_informed: date) -> date:
    """The council tells each commissioning body the health issues to be mediated: the 3rd
    working day after the family told it. Reg 35 (numbering U); spec M4, verification P."""
    return _working_days_after(_require_date(la_informed, "la_informed"), 3)


def mediation_rcb_agreement_notice_due(agreed: date) -> date:
    """Health-only mediation: the commissioning body tells the council of the agreement within
    1 week. Reg 42(4); spec M10."""
    return _weeks_after(_require_date(agreed, "agreed"), 1)


#: This chapter's rules. Columns: code, title, legal basis, spec row, verification,
#: why-this-date, exceptions.
RULES: tuple[Rule, ...] = (
    Rule(
        "M2",
        "Contact the mediation adviser",
        f"{_REGS} reg 33",
        "M2",
        "V",
        _months("2 months", "the day the decision letter was sent"),
        due=mediation_contact_deadline,
    ),
    Rule(
        "M3",
        "Mediation certificate (no mediation wanted)",
        f"{_REGS} reg 34",
        "M3",
        "P",
        _working_days("the mediation adviser was told"),
        due=mediation_certificate_due,
    ),
    Rule(
        "M5",
        "Mediation arranged",
        f"{_REGS} regs 36-37 (numbering unverified)",
        "M5",
        "P",
        _after("30 days", "the day the council was told the family wants mediation"),
        due=mediation_arranged_by,
    ),
    Rule(
        "M6",
        "Mediation certificate (mediation not arranged in time)",
        f"{_REGS} mediation regulations; SEND Code of Practice ch.11",
        "M6",
        "P",
        _working_days("the mediation adviser was told"),
        due=mediation_certificate_due,
    ),
    Rule(
        "M7",
        "Mediation certificate after mediation",
        f"{_REGS} mediation regulations; SEND Code of Practice ch.11",
        "M7",
        "P",
        _working_days("the mediation ended"),
        due=mediation_certificate_due,
    ),
    Rule(
        "M9",
        "Action agreed at mediation",
        f"{_REGS} reg 42(3), (5)",
        "M9",
        "V",
        _after("2 weeks", "the day of the mediation agreement")
        + ", unless another time was agreed in writing",
        due=mediation_agreement_due,
    ),
    Rule(
        "M4",
        "Health issues passed to the commissioning body",
        f"{_REGS} reg 35 (numbering unverified)",
        "M4",
        "P",
        "The 3rd working day after the family told the council ({start:%d %B %Y}) that health "
        "issues are to be mediated",
        due=mediation_health_issues_due,
    ),
    Rule(
        "M10",
        "Commissioning body tells the council of the mediation agreement",
        f"{_REGS} reg 42(4)",
        "M10",
        "V",
        _after("1 week", "the day of the mediation agreement"),
        due=mediation_rcb_agreement_notice_due,
    ),
)
