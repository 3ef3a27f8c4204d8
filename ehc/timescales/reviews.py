"""Annual reviews, amendment, phase transfer, moves between councils and reassessment:
spec section 2."""

from __future__ import annotations

from datetime import date
from functools import partial

from .calendar import (
    _days_after,
    _months_after,
    _require_date,
    _require_int,
    _weeks_after,
    _working_days_after,
)
from .rules import _REASSESSMENT_EXCEPTIONS, _REGS, Rule, _after


def first_review_due(plan_issued: date) -> date:
    """Last day of the 12 months starting with the day the plan was issued.

    plan_issued + 12 months - 1 day, as spec 9 states. CFA s.44(1); spec R1.
    For a plan issued on 29 Feb 2028 this gives 27 Feb 2029 (the corresponding
    date is 28 Feb 2029, less a day). Ending the period on 28 Feb 2029 is also
    arguable; the spec's formula is the earlier, safer date.
    """
    issued = _require_date(plan_issued, "plan_issued")
    return _days_after(_months_after(issued, 12), -1)


def review_notice_latest(meeting: date) -> date:
    """Latest day to send notice of a review meeting: meeting - 14 days.

    "At least 2 weeks' notice" read as 14 days; the stricter clear-days
    reading (- 15 days) is not used. Regs 20(3), 21(3); spec R4, 8.1.
    """
    return _days_after(_require_date(meeting, "meeting"), -14)


def review_report_due(meeting: date) -> date:
    """Review report sent to everyone invited: meeting + 2 weeks.

    Reg 21(7); spec R7.
    """
    return _weeks_after(_require_date(meeting, "meeting"), 2)


def review_decision_due(meeting: date) -> date:
    """LA decision after a review (with any proposed amendments): + 4 weeks.

    Regs 20(10), 21(8); Devon [2022]; spec R8, R9.
    """
    return _weeks_after(_require_date(meeting, "meeting"), 4)


def amended_plan_due(amendments_sent: date) -> date:
    """Final amended plan: amendment notice sent + 8 weeks.

    Reg 22(3); spec R11. From a review meeting the maximum is therefore
    amended_plan_due(review_decision_due(meeting)), 12 weeks (spec R13).
    """
    return _weeks_after(_require_date(amendments_sent, "amendments_sent"), 8)


def phase_transfer_deadline(transfer_year: int, post16: bool = False) -> date:
    """Last compliant day for the phase-transfer review and amendment.

    Reg 18(1) says "before 15 February" (or "before 31 March" for a move from
    secondary school to post-16), so the literal last day is 14 Feb or 30 Mar.
    The spec's default is this literal reading; some advice sources say "by
    15 February" (spec 0.1(3)). Spec R14, R15.
    """
    year = _require_int(transfer_year, "transfer_year")
    if not isinstance(post16, bool):
        raise TypeError(f"post16 must be a bool, got {type(post16).__name__}")
    return date(year, 3, 30) if post16 else date(year, 2, 14)


def plan_transfer_due(move_date: date, learnt_of_move: date) -> date:
    """Old LA transfers the plan to the new LA after a family moves.

    On the day of the move, or, if the old LA learnt of it fewer than 15
    working days before, within 15 working days of learning of it. That is
    the later of the move date and the 15th working day after learning.
    Reg 15(2); spec R18.
    """
    move_date = _require_date(move_date, "move_date")
    learnt = _require_date(learnt_of_move, "learnt_of_move")
    return max(move_date, _working_days_after(learnt, 15))


def new_la_notice_due(transfer: date) -> date:
    """New LA tells the family about the transferred plan: + 6 weeks.

    Reg 15(4); spec R19.
    """
    return _weeks_after(_require_date(transfer, "transfer"), 6)


def reassessment_decision_due(received: date) -> date:
    """Decision whether to reassess: request received + 15 days.

    Regs 24-25; spec R21 (verification P).
    """
    return _days_after(_require_date(received, "received"), 15)


def reassessment_plan_due(notified: date) -> date:
    """Amended or replacement plan after reassessment: notified + 14 weeks.

    Reg 27(2); spec R22.
    """
    return _weeks_after(_require_date(notified, "notified"), 14)


def next_review_due(last_reviewed: date) -> date:
    """Later reviews: the last day of the 12 months starting with the last review.

    The same arithmetic as R1 from the day the plan was last reviewed (its
    meeting, or its decision where the council counts from that: spec R2 leaves
    the reading open). CFA s.44(1); spec R2.
    """
    reviewed = _require_date(last_reviewed, "last_reviewed")
    return _days_after(_months_after(reviewed, 12), -1)


def early_years_review_due(last_reviewed: date) -> date:
    """Under-5s: the Code of Practice says to consider reviewing every 3-6 months.

    Guidance, not a statutory limit: the later end, last review + 6 months.
    CoP 9.178; spec R3, 0.1(7).
    """
    return _months_after(_require_date(last_reviewed, "last_reviewed"), 6)


def review_advice_latest(meeting: date) -> date:
    """Advice gathered and circulated at least 2 weeks before the meeting: - 14 days.

    Regs 20(4), 21(4); spec R5.
    """
    return _days_after(_require_date(meeting, "meeting"), -14)


def amendment_representations_end(amendments_sent: date) -> date:
    """The family's 15 days on proposed amendments, beginning with the day of
    service: served + 14 days. The final amended plan may not come sooner.

    Reg 22(2)(c); spec R10, 8.1.
    """
    return _days_after(_require_date(amendments_sent, "amendments_sent"), 14)


def amended_plan_latest(meeting: date) -> date:
    """Never more than 12 weeks from the review meeting to the final amended plan
    (4 weeks to the decision with the proposals, then 8). Devon [2022]; spec R13.
    """
    return _weeks_after(_require_date(meeting, "meeting"), 12)


def not_amending_notice_due(amendments_sent: date) -> date:
    """Deciding not to amend after proposing amendments: tell the family within
    8 weeks of the proposals (the regulation's text was cut off; secondary
    sources agree). Reg 22(4); spec R12 (verification P).
    """
    return _weeks_after(_require_date(amendments_sent, "amendments_sent"), 8)


def phase_transfer_latest_meeting(deadline: date) -> date:
    """The latest review meeting from which the whole 12 weeks to a final amended
    plan (spec R13) still ends by a phase-transfer deadline: deadline - 12 weeks.
    Derived (spec §2, "Phase-transfer planning").
    """
    return _weeks_after(_require_date(deadline, "deadline"), -12)


def post16_transfer_review_due(transfer: date) -> date:
    """A move between post-16 institutions at another time: the plan reviewed and
    amended at least 5 months before the transfer. Reg 18(2); spec R16.
    """
    return _months_after(_require_date(transfer, "transfer"), -5)


def new_la_review_due(last_reviewed: date, transferred: date) -> date:
    """The new council's review after a move: the later of the usual 12 months
    from the last review (or the plan's issue) and 3 months from the transfer.
    Reg 15(5); spec R20 (verification P).
    """
    last = _require_date(last_reviewed, "last_reviewed")
    moved = _require_date(transferred, "transferred")
    return max(next_review_due(last), _months_after(moved, 3))


#: This chapter's rules. Columns: code, title, legal basis, spec row, verification,
#: why-this-date, exceptions.
RULES: tuple[Rule, ...] = (
    Rule(
        "R1",
        "First annual review",
        "CFA 2014 s.44(1)",
        "R1",
        "P",
        "Within the 12 months starting with the day the plan was issued ({start:%d %B %Y})",
        due=first_review_due,
    ),
    Rule(
        "R4",
        "Notice of the annual review meeting",
        f"{_REGS} regs 20(3), 21(3)",
        "R4",
        "V",
        "At least 2 weeks (14 days) before the review meeting, so by {due:%d %B %Y}",
        due=review_notice_latest,
    ),
    Rule(
        "R7",
        "Annual review report sent",
        f"{_REGS} reg 21(7)",
        "R7",
        "V",
        _after("2 weeks", "the review meeting"),
        due=review_report_due,
    ),
    Rule(
        "R8",
        "Decision after the annual review",
        f"{_REGS} regs 20(10), 21(8); R (L, M, P) v Devon CC [2022] EWHC 493 (Admin)",
        "R8, R9",
        "P",
        _after("4 weeks", "the review meeting"),
        due=review_decision_due,
    ),
    Rule(
        "R11",
        "Final amended plan issued",
        f"{_REGS} reg 22(3)",
        "R11",
        "V",
        _after("8 weeks", "the day the proposed amendments were sent"),
        due=amended_plan_due,
    ),
    Rule(
        "R14",
        "Plan amended for a move to the next school phase",
        f"{_REGS} reg 18(1)(b)",
        "R14",
        "V",
        "Before 15 February of the year of the move, so 14 February at the latest",
        due=phase_transfer_deadline,
    ),
    Rule(
        "R15",
        "Plan amended for a move from school to post-16",
        f"{_REGS} reg 18(1)(a)",
        "R15",
        "V",
        "Before 31 March of the year of the move, so 30 March at the latest",
        due=partial(phase_transfer_deadline, post16=True),
    ),
    Rule(
        "R2",
        "Annual review",
        "CFA 2014 s.44(1)",
        "R2",
        "P",
        "Within the 12 months starting with the day the plan was last reviewed ({start:%d %B %Y})",
        due=next_review_due,
    ),
    Rule(
        "R3",
        "Review of an under-5's plan (guidance)",
        "SEND Code of Practice 9.178 (guidance); CFA 2014 s.44(1)",
        "R3",
        "P",
        "6 months from the last review, or the plan's issue if not yet reviewed "
        "({start:%d %B %Y}); the Code of Practice says to "
        "consider reviewing every 3 to 6 months; guidance, not a legal time limit",
        due=early_years_review_due,
    ),
    Rule(
        "R5",
        "Advice circulated before the review meeting",
        f"{_REGS} regs 20(4), 21(4)",
        "R5",
        "V",
        "At least 2 weeks (14 days) before the review meeting, so by {due:%d %B %Y}",
        due=review_advice_latest,
    ),
    Rule(
        "R10",
        "Family's 15 days on the proposed amendments",
        f"{_REGS} reg 22(2)(c)",
        "R10",
        "V",
        "15 days, counting the day the proposed amendments were sent ({start:%d %B %Y}) as day 1",
        due=amendment_representations_end,
    ),
    Rule(
        "R12",
        "Decision not to amend after proposing amendments",
        f"{_REGS} reg 22(4)",
        "R12",
        "P",
        _after("8 weeks", "the day the proposed amendments were sent"),
        due=not_amending_notice_due,
    ),
    Rule(
        "R13",
        "Final amended plan: at most 12 weeks from the review meeting",
        f"{_REGS} regs 20(10), 22(3); R (L, M, P) v Devon CC [2022] EWHC 493 (Admin)",
        "R13",
        "P",
        _after("12 weeks", "the review meeting"),
        due=amended_plan_latest,
    ),
    Rule(
        "R16",
        "Plan amended before a move between post-16 institutions",
        f"{_REGS} reg 18(2)",
        "R16",
        "V",
        "At least 5 months before the planned move, so by {due:%d %B %Y}",
        due=post16_transfer_review_due,
    ),
    Rule(
        "R20",
        "New council's first review after a move",
        f"{_REGS} reg 15(5)",
        "R20",
        "P",
        "The later of 12 months from the last review and 3 months from the day the plan was "
        "transferred",
        due=new_la_review_due,
    ),
    Rule(
        "R18",
        "Plan passed to the new council after a move",
        f"{_REGS} reg 15(2)",
        "R18",
        "V",
        "On the day of the move ({start:%d %B %Y}), or 15 working days after the old "
        "council learnt of the move if that is later",
        due=plan_transfer_due,
    ),
    Rule(
        "R19",
        "New council writes to the family after a move",
        f"{_REGS} reg 15(4)",
        "R19",
        "V",
        _after("6 weeks", "the day the plan was transferred"),
        due=new_la_notice_due,
    ),
    Rule(
        "R21",
        "Decision whether to reassess",
        f"{_REGS} regs 24-25; CFA 2014 s.44(2)",
        "R21",
        "P",
        _after("15 days", "the day the reassessment request was received"),
        due=reassessment_decision_due,
    ),
    Rule(
        "R22",
        "Final plan after reassessment",
        f"{_REGS} reg 27(2)",
        "R22",
        "V",
        _after("14 weeks", "the day the family was told of the reassessment"),
        _REASSESSMENT_EXCEPTIONS,
        due=reassessment_plan_due,
    ),
)
