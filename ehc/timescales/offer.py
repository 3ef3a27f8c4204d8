"""The Local Offer's clocks: spec local-offer.md, rows LO1 to LO3 (our numbering).

These clocks belong to the council's directory, not to a case: they are kept as
``ehc.SubjectDeadline`` rows (see ``ehc.services.subject_deadlines``).
"""

from __future__ import annotations

from datetime import date

from .calendar import _months_after, _require_date
from .rules import Rule, _months

#: A published "you said, we did" covers a year; reg 56 asks for one at least annually.
REPORT_INTERVAL_MONTHS = 12
#: A directory record is checked at least once a year (spec local-offer.md section 3).
RECORD_REVIEW_MONTHS = 12


def offer_report_due(last_published: date) -> date:
    """The next "you said, we did" report: a year after the last one was published.

    SEND Regs 2014 reg 56 (comments published at least annually, with the council's response
    and action); spec LO1. If none was ever published, the clock runs from the day the Local
    Offer began (the caller passes that day).
    """
    return _months_after(_require_date(last_published, "last_published"), REPORT_INTERVAL_MONTHS)


def offer_record_review_due(checked_on: date) -> date:
    """The next check of a directory record: a year after it was last checked.

    Spec LO2 (records carry a review date and go stale after it); council practice, so that
    the offer published under reg 53 stays accurate.
    """
    return _months_after(_require_date(checked_on, "checked_on"), RECORD_REVIEW_MONTHS)


def offer_action_due(set_for: date) -> date:
    """An action promised in answer to a comment: due on the date the officer set.

    Spec LO3 (reg 56: the action the council has taken or will take). No arithmetic: the
    officer chooses the date; this only checks it is a date.
    """
    return _require_date(set_for, "set_for")


#: This chapter's rules. Columns: code, title, legal basis, spec row, verification,
#: why-this-date, exceptions.
RULES: tuple[Rule, ...] = (
    Rule(
        "LO1",
        "\u2018You said, we did\u2019 published",
        "SEND Regs 2014 reg 56",
        "LO1",
        "V",
        _months("12 months", "the last publication or the start of the Local Offer"),
        due=offer_report_due,
    ),
    Rule(
        "LO2",
        "Local Offer record checked",
        "Council practice (SEND Regs 2014 reg 53: the published offer kept accurate)",
        "LO2",
        "P",
        _months("12 months", "the day the record was last checked"),
        due=offer_record_review_due,
    ),
    Rule(
        "LO3",
        "Action promised in answer to a comment",
        "SEND Regs 2014 reg 56(1)(b)",
        "LO3",
        "P",
        "The date the officer set when answering the comment on {start:%d %B %Y}",
        due=offer_action_due,
    ),
)
