"""Statutory timescales for EHC needs assessments and plans in England.

Pure date arithmetic: plain ``datetime.date`` in, ``date`` out. No Django, no
database. Every rule refers to a row of /work/shared/spec/statutory-timescales.md
("spec A13" means row A13 of that document), and ``RULES`` describes each one
for caseworkers and parents.

Counting conventions (spec section 8.1):

* "within N weeks/days of" an event: the event day is not counted, so the
  deadline is the event date plus 7 x N (or N) days.
* "N months": the corresponding-date rule (Dodds v Walker): the same day number
  N months later, or the last day of that month if it has no such day.
* "working days": not Saturday, Sunday or an England-and-Wales bank holiday
  (substitute days and one-off proclaimed holidays included).
* Deadlines under the SEND Regulations do not roll forward off weekends or bank
  holidays; only the Tribunal's appeal deadline does (HESC Rules r.12).

Exceptions never move a date: they disapply the statutory limit for a case
(spec 0.1(1)). This module only says which exceptions a rule admits.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import holidays
from dateutil.relativedelta import relativedelta

__all__ = [
    "CALENDAR_VERSION",
    "EXCEPTION_CODES",
    "RULES",
    "Rule",
    "add_months",
    "advice_due",
    "amended_plan_due",
    "appeal_deadline",
    "decision_not_to_issue_due",
    "decision_to_assess_due",
    "dp_first_review_due",
    "draft_representations_end",
    "exception_allowed",
    "final_plan_due",
    "first_review_due",
    "is_working_day",
    "issued_within_20_weeks",
    "mediation_agreement_due",
    "mediation_arranged_by",
    "mediation_certificate_due",
    "mediation_contact_deadline",
    "new_la_notice_due",
    "next_working_day_on_or_after",
    "order_amend_plan_due",
    "order_assess_notice_due",
    "order_change_placement_due",
    "order_draft_plan_due",
    "order_final_plan_due",
    "order_make_plan_final_due",
    "order_no_plan_due",
    "phase_transfer_deadline",
    "plan_transfer_due",
    "reassessment_decision_due",
    "reassessment_plan_due",
    "recommendation_response_due",
    "review_decision_due",
    "review_notice_latest",
    "review_report_due",
    "setting_consultation_due",
    "transfer_review_plan_due",
    "tribunal_order_immediate",
    "working_days_after",
]

# ---------------------------------------------------------------------------
# Calendar
# ---------------------------------------------------------------------------

_HOLIDAY_COUNTRY = "GB"
_HOLIDAY_SUBDIVISION = "ENG"  # England; Welsh bank holidays are the same set.

#: Names the holiday data behind every working-day result, so a stored
#: deadline can record which calendar produced it (spec 8.2).
CALENDAR_VERSION = f"holidays {holidays.__version__} {_HOLIDAY_COUNTRY}-{_HOLIDAY_SUBDIVISION}"


@functools.cache  # an unbounded functools.lru_cache
def _bank_holidays(year: int) -> frozenset[date]:
    # Building a holidays calendar is slow; one frozenset per year keeps long
    # loops over dates cheap.
    calendar = holidays.country_holidays(_HOLIDAY_COUNTRY, subdiv=_HOLIDAY_SUBDIVISION, years=year)
    return frozenset(calendar)


def _is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in _bank_holidays(d.year)


def _next_working_day(d: date) -> date:
    while not _is_working_day(d):
        d += timedelta(days=1)
    return d


def _working_days_after(start: date, n: int) -> date:
    d = start
    for _ in range(n):
        d = _next_working_day(d + timedelta(days=1))
    return d


# ---------------------------------------------------------------------------
# Argument checks
# ---------------------------------------------------------------------------


def _require_date(value: object, name: str) -> date:
    # datetime is a subclass of date; refuse it because the time of day
    # carries deemed-receipt rules that are applied before we get here.
    if isinstance(value, datetime):
        raise TypeError(
            f"{name} must be a datetime.date, not a datetime; "
            "apply the receipt-time rule first and pass the resulting date"
        )
    if not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date, got {type(value).__name__}")
    return value


def _require_int(value: object, name: str) -> int:
    # bool is a subclass of int; True/False as a count is always a mistake.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    return value


# ---------------------------------------------------------------------------
# Period arithmetic (the only places periods are computed)
# ---------------------------------------------------------------------------


def _days_after(d: date, n: int) -> date:
    return d + timedelta(days=n)


def _weeks_after(d: date, n: int) -> date:
    return d + timedelta(weeks=n)


def _months_after(d: date, n: int) -> date:
    # relativedelta clamps to the month's last day: the corresponding-date rule.
    return d + relativedelta(months=n)


def _appeal_extension(d: date) -> date:
    """Apply HESC Rules r.12(2)-(3)(a) to a raw appeal deadline."""
    if d.month == 12 and d.day >= 25:
        return _next_working_day(date(d.year + 1, 1, 2))
    if d.month == 1 and d.day == 1:
        return _next_working_day(date(d.year, 1, 2))
    if d.month == 8:
        return _next_working_day(date(d.year, 9, 1))
    return _next_working_day(d)


# ---------------------------------------------------------------------------
# Public calendar helpers
# ---------------------------------------------------------------------------


def is_working_day(d: date) -> bool:
    """True unless ``d`` is a Saturday, Sunday or England-and-Wales bank holiday.

    Spec 8.1 ("working days") and 8.2; holiday data named by CALENDAR_VERSION.
    """
    return _is_working_day(_require_date(d, "d"))


def next_working_day_on_or_after(d: date) -> date:
    """``d`` itself if it is a working day, otherwise the next one. Spec 8.1."""
    return _next_working_day(_require_date(d, "d"))


def working_days_after(start: date, n: int) -> date:
    """The nth working day after ``start``; ``start`` itself is not counted.

    Spec 8.1 and 9. ``n == 0`` returns ``start`` unchanged; a negative ``n``
    raises ValueError.
    """
    start = _require_date(start, "start")
    if _require_int(n, "n") < 0:
        raise ValueError(f"n must be 0 or more, got {n}")
    return _working_days_after(start, n)


def add_months(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar months by the corresponding-date rule.

    Same day number ``n`` months later, or the last day of that month if it is
    shorter (31 Dec + 2 months -> 28/29 Feb). Dodds v Walker; spec 8.1.
    A negative ``n`` counts backwards the same way.
    """
    return _months_after(_require_date(d, "d"), _require_int(n, "n"))


# ---------------------------------------------------------------------------
# Assessment to final plan (spec 1.2)
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# Mediation and the Tribunal (spec 4.2-4.5)
# ---------------------------------------------------------------------------


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


def appeal_deadline(decision_sent: date, certificate_issued: date | None = None) -> date:
    """Last day for the Tribunal to receive an appeal.

    The later of decision_sent + 2 months and certificate_issued + 1 month
    (corresponding-date rule; HESC r.20(1)(c), spec F1). If that day is from
    25 Dec to 1 Jan, or in August, it becomes the first working day after
    1 Jan or 31 Aug (r.12(3)(a), spec F2); otherwise a non-working day rolls to
    the next working day (r.12(2), spec F3). As spec 9 orders it, the window is
    tested on the day the period ends, before any rollover: a period ending on
    Sat 31 Jul gives Mon 2 Aug, not a September date.
    """
    deadline = _months_after(_require_date(decision_sent, "decision_sent"), 2)
    if certificate_issued is not None:
        certificate_issued = _require_date(certificate_issued, "certificate_issued")
        deadline = max(deadline, _months_after(certificate_issued, 1))
    return _appeal_extension(deadline)


def tribunal_order_immediate(order: date) -> date:
    """Duties the LA must carry out "immediately": the order date itself.

    Cease after a dismissed appeal, or continue to maintain. Reg 44(2)(a);
    spec T-a, T-f.
    """
    return _require_date(order, "order")


def order_assess_notice_due(order: date) -> date:
    """Notify that the LA will assess after an order to (re)assess: + 2 weeks.

    Also after an unopposed appeal, counted from the LA's notice to the
    Tribunal. Reg 44(2)(b), 45(2); spec T-b, U-a.
    """
    return _weeks_after(_require_date(order, "order"), 2)


def order_no_plan_due(order: date) -> date:
    """Notice that no plan will be issued after an ordered assessment: + 10 weeks.

    Reg 44(2)(b), 45(3); spec T-b, U-a.
    """
    return _weeks_after(_require_date(order, "order"), 10)


def order_final_plan_due(order: date) -> date:
    """Final plan after an ordered assessment: + 14 weeks.

    Reg 44(2)(b), 45(3A); spec T-b, U-a.
    """
    return _weeks_after(_require_date(order, "order"), 14)


def order_draft_plan_due(order: date) -> date:
    """Draft plan after an order to make and maintain a plan: + 5 weeks.

    Reg 44(2)(c), 45(6); spec T-c, U-c.
    """
    return _weeks_after(_require_date(order, "order"), 5)


def order_make_plan_final_due(order: date) -> date:
    """Final plan after an order to make and maintain a plan: + 11 weeks.

    Reg 44(2)(c), 45(6); spec T-c, U-c.
    """
    return _weeks_after(_require_date(order, "order"), 11)


def order_amend_plan_due(order: date) -> date:
    """Amended plan after an order on its contents: + 5 weeks.

    Reg 44, 45(4); spec T-d, T-f, U-b.
    """
    return _weeks_after(_require_date(order, "order"), 5)


def order_change_placement_due(order: date) -> date:
    """Change the school or institution named after an order: + 2 weeks.

    Reg 44, 45(5); spec T-e, U-c.
    """
    return _weeks_after(_require_date(order, "order"), 2)


def recommendation_response_due(recommended: date) -> date:
    """Health or social care response to a Tribunal recommendation: + 5 weeks.

    SI 2017/1306 reg 6; spec 4.5 (verification P).
    """
    return _weeks_after(_require_date(recommended, "recommended"), 5)


# ---------------------------------------------------------------------------
# Reviews, amendment, phase transfer, moves and reassessment (spec 2)
# ---------------------------------------------------------------------------


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


def dp_first_review_due(start: date) -> date:
    """First review of direct payments: start + 3 months.

    PB Regs reg 11 (wording not seen); spec PB13 (verification P).
    """
    return _months_after(_require_date(start, "start"), 3)


# ---------------------------------------------------------------------------
# Transfer reviews of statements, 2014-2018 (spec 3)
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# Exceptions and the rule table
# ---------------------------------------------------------------------------

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
    the clock runs from) and ``due`` (the computed date).
    """

    code: str
    title: str
    legal_basis: str
    spec_row: str
    verification: str  # V, P or U, as labelled in the spec
    explain: str
    allowed_exceptions: frozenset[str] = _NO_EXCEPTIONS

    def __post_init__(self) -> None:
        # Catch table typos at import time rather than in a caseworker's screen.
        if self.verification not in {"V", "P", "U"}:
            raise ValueError(f"{self.code}: verification must be V, P or U")
        unknown = self.allowed_exceptions - EXCEPTION_CODES.keys()
        if unknown:
            raise ValueError(f"{self.code}: unknown exception codes {sorted(unknown)}")

    def explain_for(self, start: date, due: date) -> str:
        """The "why this date" sentence for a clock from ``start`` due on ``due``."""
        start, due = _require_date(start, "start"), _require_date(due, "due")
        return self.explain.format(start=start, due=due)


_REGS = "SEND Regs 2014"
_TO = "SI 2014/2270 (Transitional and Saving Provisions (No. 2) Order 2014)"
_AS_2015 = "as substituted by SI 2015/359"
_REQUEST = "the day the request was received"
_ORDER = "the day of the Tribunal's order"
_UNOPPOSED = "the day the council told the Tribunal it would not oppose the appeal"


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


# Columns: code, title, legal basis, spec row, verification, why-this-date, exceptions.
_RULE_LIST: tuple[Rule, ...] = (
    # Assessment to final plan (spec 1.2)
    Rule(
        "A2",
        "Decision whether to assess",
        f"{_REGS} reg 5(1); CFA 2014 s.36",
        "A2",
        "V",
        _after("6 weeks", _REQUEST),
        _ASSESSMENT_EXCEPTIONS,
    ),
    Rule(
        "A5",
        "Advice from a professional or service",
        f"{_REGS} reg 8(1)",
        "A5",
        "V",
        _after("6 weeks", "the day the service received the council's request for advice"),
        _ADVICE_EXCEPTIONS,
    ),
    Rule(
        "A7",
        "Decision not to issue a plan after assessment",
        f"{_REGS} reg 10(1); CFA 2014 s.36(9)",
        "A7",
        "V",
        _after("16 weeks", _REQUEST),
        _ASSESSMENT_EXCEPTIONS,
    ),
    Rule(
        "A10",
        "Family's comments on the draft plan",
        f"{_REGS} reg 13(1)(a)",
        "A10",
        "V",
        "15 days, counting the day the draft plan was served ({start:%d %B %Y}) as day 1",
    ),
    Rule(
        "A12",
        "School or college reply to consultation (guidance)",
        "SEND Code of Practice 9.83 (guidance); CFA 2014 ss.39-40",
        "A12",
        "P",
        _after("15 days", "the day the school or college was consulted")
        + "; guidance, not a legal time limit",
    ),
    Rule(
        "A13",
        "Final EHC plan issued",
        f"{_REGS} reg 13(2)",
        "A13",
        "V",
        _after("20 weeks", _REQUEST),
        _ASSESSMENT_EXCEPTIONS,
    ),
    # Mediation (spec 4.2)
    Rule(
        "M2",
        "Contact the mediation adviser",
        f"{_REGS} reg 33",
        "M2",
        "V",
        _months("2 months", "the day the decision letter was sent"),
    ),
    Rule(
        "M3",
        "Mediation certificate (no mediation wanted)",
        f"{_REGS} reg 34",
        "M3",
        "P",
        _working_days("the mediation adviser was told"),
    ),
    Rule(
        "M5",
        "Mediation arranged",
        f"{_REGS} regs 36-37 (numbering unverified)",
        "M5",
        "P",
        _after("30 days", "the day the council was told the family wants mediation"),
    ),
    Rule(
        "M6",
        "Mediation certificate (mediation not arranged in time)",
        f"{_REGS} mediation regulations; SEND Code of Practice ch.11",
        "M6",
        "P",
        _working_days("the mediation adviser was told"),
    ),
    Rule(
        "M7",
        "Mediation certificate after mediation",
        f"{_REGS} mediation regulations; SEND Code of Practice ch.11",
        "M7",
        "P",
        _working_days("the mediation ended"),
    ),
    Rule(
        "M9",
        "Action agreed at mediation",
        f"{_REGS} reg 42(3), (5)",
        "M9",
        "V",
        _after("2 weeks", "the day of the mediation agreement")
        + ", unless another time was agreed in writing",
    ),
    Rule(
        "M4",
        "Health issues passed to the commissioning body",
        f"{_REGS} reg 35 (numbering unverified)",
        "M4",
        "P",
        "The 3rd working day after the family told the council ({start:%d %B %Y}) that health "
        "issues are to be mediated",
    ),
    Rule(
        "M10",
        "Commissioning body tells the council of the mediation agreement",
        f"{_REGS} reg 42(4)",
        "M10",
        "V",
        _after("1 week", "the day of the mediation agreement"),
    ),
    # Tribunal (spec 4.3)
    Rule(
        "F1",
        "Appeal to the Tribunal",
        "HESC Tribunal Rules 2008 r.20(1)(c) (V); r.12(2)-(3) (P)",
        "F1, F2, F3",
        "P",
        "2 months from the day the decision letter was sent ({start:%d %B %Y}), or 1 month "
        "from the mediation certificate if later; if that ends between 25 December and "
        "1 January or in August, the first working day after 1 January or 31 August, "
        "otherwise the next working day",
    ),
    # Tribunal orders (Reg 44, spec 4.4)
    Rule(
        "Ta-cease",
        "Stop maintaining the plan after a dismissed appeal",
        f"{_REGS} reg 44(2)(a)",
        "T-a",
        "P",
        _immediately(_ORDER),
    ),
    Rule(
        "Tb-assess",
        "Confirm the assessment the Tribunal ordered",
        f"{_REGS} reg 44(2)(b), {_AS_2015}",
        "T-b",
        "P",
        _after("2 weeks", _ORDER),
        _TRIBUNAL_ORDER_EXCEPTIONS,
    ),
    Rule(
        "Tb-no-plan",
        "Decision not to issue a plan after an ordered assessment",
        f"{_REGS} reg 44(2)(b), {_AS_2015}",
        "T-b",
        "P",
        _after("10 weeks", _ORDER),
        _TRIBUNAL_ORDER_EXCEPTIONS,
    ),
    Rule(
        "Tb-final",
        "Final plan after an ordered assessment",
        f"{_REGS} reg 44(2)(b), {_AS_2015}",
        "T-b",
        "P",
        _after("14 weeks", _ORDER),
        _TRIBUNAL_ORDER_EXCEPTIONS,
    ),
    Rule(
        "Tc-draft",
        "Draft plan the Tribunal ordered",
        f"{_REGS} reg 44(2)(c), {_AS_2015}",
        "T-c",
        "P",
        _after("5 weeks", _ORDER),
        _TRIBUNAL_ORDER_EXCEPTIONS,
    ),
    Rule(
        "Tc-final",
        "Final plan the Tribunal ordered",
        f"{_REGS} reg 44(2)(c), {_AS_2015}",
        "T-c",
        "P",
        _after("11 weeks", _ORDER),
        _TRIBUNAL_ORDER_EXCEPTIONS,
    ),
    Rule(
        "Td-amend",
        "Plan amended as the Tribunal ordered",
        f"{_REGS} reg 44; GOV.UK SEND18 guidance",
        "T-d, T-f",
        "P",
        _after("5 weeks", _ORDER),
        _TRIBUNAL_ORDER_EXCEPTIONS,
    ),
    Rule(
        "Te-placement",
        "School or college changed as the Tribunal ordered",
        f"{_REGS} reg 44; GOV.UK SEND18 guidance",
        "T-e",
        "P",
        _after("2 weeks", _ORDER),
        _TRIBUNAL_ORDER_EXCEPTIONS,
    ),
    Rule(
        "Tf-continue",
        "Keep maintaining the plan as the Tribunal ordered",
        f"{_REGS} reg 44; GOV.UK SEND18 guidance",
        "T-f",
        "P",
        _immediately(_ORDER),
        _TRIBUNAL_ORDER_EXCEPTIONS,
    ),
    # Unopposed appeals (Reg 45, spec 4.4): the spec lists no exceptions for these.
    Rule(
        "Ua-assess",
        "Confirm the assessment after an unopposed appeal",
        f"{_REGS} reg 45(2), {_AS_2015}",
        "U-a",
        "V",
        _after("2 weeks", _UNOPPOSED),
    ),
    Rule(
        "Ua-no-plan",
        "Decision not to issue a plan after an unopposed appeal",
        f"{_REGS} reg 45(3), {_AS_2015}",
        "U-a",
        "V",
        _after("10 weeks", _UNOPPOSED),
    ),
    Rule(
        "Ua-final",
        "Final plan after an unopposed appeal",
        f"{_REGS} reg 45(3A), {_AS_2015}",
        "U-a",
        "V",
        _after("14 weeks", _UNOPPOSED),
    ),
    Rule(
        "Ub-amend",
        "Amended plan after an unopposed appeal",
        f"{_REGS} reg 45(4), {_AS_2015}",
        "U-b",
        "V",
        _after("5 weeks", _UNOPPOSED),
    ),
    Rule(
        "Uc-placement",
        "School or college changed after an unopposed appeal",
        f"{_REGS} reg 45(5)",
        "U-c",
        "P",
        _after("2 weeks", _UNOPPOSED),
    ),
    Rule(
        "Uc-draft",
        "Draft plan after an unopposed appeal",
        f"{_REGS} reg 45(6)",
        "U-c",
        "P",
        _after("5 weeks", _UNOPPOSED),
    ),
    Rule(
        "Uc-final",
        "Final plan after an unopposed appeal",
        f"{_REGS} reg 45(6)",
        "U-c",
        "P",
        _after("11 weeks", _UNOPPOSED),
    ),
    Rule(
        "Rec-response",
        "Reply to a Tribunal health or social care recommendation",
        "SI 2017/1306 reg 6",
        "4.5",
        "P",
        _after("5 weeks", "the day of the Tribunal's recommendation"),
    ),
    # Reviews, moves and reassessment (spec 2)
    Rule(
        "R1",
        "First annual review",
        "CFA 2014 s.44(1)",
        "R1",
        "P",
        "Within the 12 months starting with the day the plan was issued ({start:%d %B %Y})",
    ),
    Rule(
        "R4",
        "Notice of the annual review meeting",
        f"{_REGS} regs 20(3), 21(3)",
        "R4",
        "V",
        "At least 2 weeks (14 days) before the review meeting on {start:%d %B %Y}",
    ),
    Rule(
        "R7",
        "Annual review report sent",
        f"{_REGS} reg 21(7)",
        "R7",
        "V",
        _after("2 weeks", "the review meeting"),
    ),
    Rule(
        "R8",
        "Decision after the annual review",
        f"{_REGS} regs 20(10), 21(8); R (L, M, P) v Devon CC [2022] EWHC 493 (Admin)",
        "R8, R9",
        "P",
        _after("4 weeks", "the review meeting"),
    ),
    Rule(
        "R11",
        "Final amended plan issued",
        f"{_REGS} reg 22(3)",
        "R11",
        "V",
        _after("8 weeks", "the day the proposed amendments were sent"),
    ),
    Rule(
        "R14",
        "Plan amended for a move to the next school phase",
        f"{_REGS} reg 18(1)(b)",
        "R14",
        "V",
        "Before 15 February of the year of the move, so 14 February at the latest",
    ),
    Rule(
        "R15",
        "Plan amended for a move from school to post-16",
        f"{_REGS} reg 18(1)(a)",
        "R15",
        "V",
        "Before 31 March of the year of the move, so 30 March at the latest",
    ),
    Rule(
        "R18",
        "Plan passed to the new council after a move",
        f"{_REGS} reg 15(2)",
        "R18",
        "V",
        "On the day of the move ({start:%d %B %Y}), or 15 working days after the old "
        "council learnt of the move if that is later",
    ),
    Rule(
        "R19",
        "New council writes to the family after a move",
        f"{_REGS} reg 15(4)",
        "R19",
        "V",
        _after("6 weeks", "the day the plan was transferred"),
    ),
    Rule(
        "R21",
        "Decision whether to reassess",
        f"{_REGS} regs 24-25; CFA 2014 s.44(2)",
        "R21",
        "P",
        _after("15 days", "the day the reassessment request was received"),
    ),
    Rule(
        "R22",
        "Final plan after reassessment",
        f"{_REGS} reg 27(2)",
        "R22",
        "V",
        _after("14 weeks", "the day the family was told of the reassessment"),
        _REASSESSMENT_EXCEPTIONS,
    ),
    Rule(
        "PB13",
        "First review of direct payments",
        "SEN (Personal Budgets) Regulations 2014 reg 11",
        "PB13",
        "P",
        _months("3 months", "the day direct payments started"),
    ),
    # Transfer reviews of statements (spec 3)
    Rule(
        "T7",
        "Notice of a transfer review (at least 2 weeks before it starts)",
        f"{_TO}, arts 18-19",
        "T7",
        "P",
        "At least 2 weeks before the transfer review starts ({start:%d %B %Y})",
    ),
    Rule(
        "T8",
        "Final plan after a transfer review (started before 1 April 2015)",
        f"{_TO}, as made",
        "T8",
        "P",
        _after("14 weeks", "the day notice of the transfer review was given"),
    ),
    Rule(
        "T9",
        "Final plan after a transfer review (started 1 April-31 August 2015)",
        f"{_TO}, as amended by SI 2015/505",
        "T9",
        "P",
        _after("14 weeks", "the start of the transfer review"),
    ),
    Rule(
        "T10",
        "Final plan after a transfer review (started on or after 1 September 2015)",
        f"{_TO}, as amended by SI 2015/1619",
        "T10",
        "P",
        _after("18 weeks", "the start of the transfer review"),
    ),
)

#: Every rule, keyed by code. Store the code with each computed deadline.
RULES: dict[str, Rule] = {rule.code: rule for rule in _RULE_LIST}
if len(RULES) != len(_RULE_LIST):
    raise RuntimeError("duplicate rule code in the timescales RULES table")


def exception_allowed(rule_code: str, exception_code: str) -> bool:
    """True if ``exception_code`` may be recorded against ``rule_code``. Spec 1.3.

    Unknown codes raise ValueError rather than quietly answering no.
    """
    if rule_code not in RULES:
        raise ValueError(f"unknown rule code {rule_code!r}")
    if exception_code not in EXCEPTION_CODES:
        raise ValueError(f"unknown exception code {exception_code!r}")
    return exception_code in RULES[rule_code].allowed_exceptions
