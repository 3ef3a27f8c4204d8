"""Transfer reviews of statements of SEN to EHC plans, 2014-2018: spec section 3."""

from __future__ import annotations

from datetime import date

from .calendar import (
    _days_after,
    _require_date,
    _weeks_after,
)
from .rules import Rule, _after

_TO = "SI 2014/2270 (Transitional and Saving Provisions (No. 2) Order 2014)"
_TRANSFER_REVIEW_V2_FROM = date(2015, 4, 1)  # SI 2015/505
_TRANSFER_REVIEW_V3_FROM = date(2015, 9, 1)  # SI 2015/1619


def transfer_review_plan_due(start: date, notice_given: date) -> date:
    """Final plan after a transfer review, by the version in force at its start.

    Started before 1 Apr 2015: notice_given + 14 weeks (spec T8).
    Started 1 Apr-31 Aug 2015: start + 14 weeks (spec T9).
    Started on or after 1 Sep 2015: start + 18 weeks (spec T10).
    SI 2014/2270 as amended; all three versions are verification P.
    """
    start = _require_date(start, "start")
    notice_given = _require_date(notice_given, "notice_given")
    rule = transfer_review_rule(start)
    if rule == "T8":
        return _weeks_after(notice_given, 14)
    return _weeks_after(start, 14 if rule == "T9" else 18)


def transfer_review_rule(start: date) -> str:
    """Which transfer-review timescale applies to a review started on `start`: "T8" (before
    1 Apr 2015), "T9" (1 Apr-31 Aug 2015) or "T10" (from 1 Sep 2015). Spec T8-T10."""
    start = _require_date(start, "start")
    if start < _TRANSFER_REVIEW_V2_FROM:
        return "T8"
    if start < _TRANSFER_REVIEW_V3_FROM:
        return "T9"
    return "T10"


def transfer_review_notice_latest(start: date) -> date:
    """Last day notice of a transfer review starting on `start` can be given: at least 2 weeks
    before it (spec T7; TO arts 18-19, verification P), read as 14 days as for R4."""
    return _days_after(_require_date(start, "start"), -14)


#: This chapter's rules. Columns: code, title, legal basis, spec row, verification,
#: why-this-date, exceptions.
RULES: tuple[Rule, ...] = (
    Rule(
        "T7",
        "Notice of a transfer review (at least 2 weeks before it starts)",
        f"{_TO}, arts 18-19",
        "T7",
        "P",
        "At least 2 weeks before the transfer review starts ({start:%d %B %Y})",
        due=transfer_review_notice_latest,
    ),
    Rule(
        "T8",
        "Final plan after a transfer review (started before 1 April 2015)",
        f"{_TO}, as made",
        "T8",
        "P",
        _after("14 weeks", "the day notice of the transfer review was given"),
        due=transfer_review_plan_due,
    ),
    Rule(
        "T9",
        "Final plan after a transfer review (started 1 April-31 August 2015)",
        f"{_TO}, as amended by SI 2015/505",
        "T9",
        "P",
        _after("14 weeks", "the start of the transfer review"),
        due=transfer_review_plan_due,
    ),
    Rule(
        "T10",
        "Final plan after a transfer review (started on or after 1 September 2015)",
        f"{_TO}, as amended by SI 2015/1619",
        "T10",
        "P",
        _after("18 weeks", "the start of the transfer review"),
        due=transfer_review_plan_due,
    ),
)
