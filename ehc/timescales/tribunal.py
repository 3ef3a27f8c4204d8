"""The First-tier Tribunal (SEND): appeals, orders under Reg 44, unopposed appeals under
Reg 45 and health and social care recommendations. Spec sections 4.3-4.5."""

from __future__ import annotations

from datetime import date

from .calendar import (
    _months_after,
    _next_working_day,
    _require_date,
    _weeks_after,
)
from .rules import _AS_2015, _REGS, _TRIBUNAL_ORDER_EXCEPTIONS, Rule, _after, _immediately

_ORDER = "the day of the Tribunal's order"
_UNOPPOSED = "the day the council told the Tribunal it would not oppose the appeal"


def _appeal_extension(d: date) -> date:
    """Apply HESC Rules r.12(2)-(3)(a) to a raw appeal deadline."""
    if d.month == 12 and d.day >= 25:
        return _next_working_day(date(d.year + 1, 1, 2))
    if d.month == 1 and d.day == 1:
        return _next_working_day(date(d.year, 1, 2))
    if d.month == 8:
        return _next_working_day(date(d.year, 9, 1))
    return _next_working_day(d)


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


#: This chapter's rules. Columns: code, title, legal basis, spec row, verification,
#: why-this-date, exceptions.
RULES: tuple[Rule, ...] = (
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
        due=appeal_deadline,
    ),
    # Tribunal orders (Reg 44, spec 4.4)
    Rule(
        "Ta-cease",
        "Stop maintaining the plan after a dismissed appeal",
        f"{_REGS} reg 44(2)(a)",
        "T-a",
        "P",
        _immediately(_ORDER),
        due=tribunal_order_immediate,
    ),
    Rule(
        "Tb-assess",
        "Confirm the assessment the Tribunal ordered",
        f"{_REGS} reg 44(2)(b), {_AS_2015}",
        "T-b",
        "P",
        _after("2 weeks", _ORDER),
        _TRIBUNAL_ORDER_EXCEPTIONS,
        due=order_assess_notice_due,
    ),
    Rule(
        "Tb-no-plan",
        "Decision not to issue a plan after an ordered assessment",
        f"{_REGS} reg 44(2)(b), {_AS_2015}",
        "T-b",
        "P",
        _after("10 weeks", _ORDER),
        _TRIBUNAL_ORDER_EXCEPTIONS,
        due=order_no_plan_due,
    ),
    Rule(
        "Tb-final",
        "Final plan after an ordered assessment",
        f"{_REGS} reg 44(2)(b), {_AS_2015}",
        "T-b",
        "P",
        _after("14 weeks", _ORDER),
        _TRIBUNAL_ORDER_EXCEPTIONS,
        due=order_final_plan_due,
    ),
    Rule(
        "Tc-draft",
        "Draft plan the Tribunal ordered",
        f"{_REGS} reg 44(2)(c), {_AS_2015}",
        "T-c",
        "P",
        _after("5 weeks", _ORDER),
        _TRIBUNAL_ORDER_EXCEPTIONS,
        due=order_draft_plan_due,
    ),
    Rule(
        "Tc-final",
        "Final plan the Tribunal ordered",
        f"{_REGS} reg 44(2)(c), {_AS_2015}",
        "T-c",
        "P",
        _after("11 weeks", _ORDER),
        _TRIBUNAL_ORDER_EXCEPTIONS,
        due=order_make_plan_final_due,
    ),
    Rule(
        "Td-amend",
        "Plan amended as the Tribunal ordered",
        f"{_REGS} reg 44; GOV.UK SEND18 guidance",
        "T-d, T-f",
        "P",
        _after("5 weeks", _ORDER),
        _TRIBUNAL_ORDER_EXCEPTIONS,
        due=order_amend_plan_due,
    ),
    Rule(
        "Te-placement",
        "School or college changed as the Tribunal ordered",
        f"{_REGS} reg 44; GOV.UK SEND18 guidance",
        "T-e",
        "P",
        _after("2 weeks", _ORDER),
        _TRIBUNAL_ORDER_EXCEPTIONS,
        due=order_change_placement_due,
    ),
    Rule(
        "Tf-continue",
        "Keep maintaining the plan as the Tribunal ordered",
        f"{_REGS} reg 44; GOV.UK SEND18 guidance",
        "T-f",
        "P",
        _immediately(_ORDER),
        _TRIBUNAL_ORDER_EXCEPTIONS,
        due=tribunal_order_immediate,
    ),
    # Unopposed appeals (Reg 45, spec 4.4): the spec lists no exceptions for these.
    Rule(
        "Ua-assess",
        "Confirm the assessment after an unopposed appeal",
        f"{_REGS} reg 45(2), {_AS_2015}",
        "U-a",
        "V",
        _after("2 weeks", _UNOPPOSED),
        due=order_assess_notice_due,
    ),
    Rule(
        "Ua-no-plan",
        "Decision not to issue a plan after an unopposed appeal",
        f"{_REGS} reg 45(3), {_AS_2015}",
        "U-a",
        "V",
        _after("10 weeks", _UNOPPOSED),
        due=order_no_plan_due,
    ),
    Rule(
        "Ua-final",
        "Final plan after an unopposed appeal",
        f"{_REGS} reg 45(3A), {_AS_2015}",
        "U-a",
        "V",
        _after("14 weeks", _UNOPPOSED),
        due=order_final_plan_due,
    ),
    Rule(
        "Ub-amend",
        "Amended plan after an unopposed appeal",
        f"{_REGS} reg 45(4), {_AS_2015}",
        "U-b",
        "V",
        _after("5 weeks", _UNOPPOSED),
        due=order_amend_plan_due,
    ),
    Rule(
        "Uc-placement",
        "School or college changed after an unopposed appeal",
        f"{_REGS} reg 45(5)",
        "U-c",
        "P",
        _after("2 weeks", _UNOPPOSED),
        due=order_change_placement_due,
    ),
    Rule(
        "Uc-draft",
        "Draft plan after an unopposed appeal",
        f"{_REGS} reg 45(6)",
        "U-c",
        "P",
        _after("5 weeks", _UNOPPOSED),
        due=order_draft_plan_due,
    ),
    Rule(
        "Uc-final",
        "Final plan after an unopposed appeal",
        f"{_REGS} reg 45(6)",
        "U-c",
        "P",
        _after("11 weeks", _UNOPPOSED),
        due=order_make_plan_final_due,
    ),
    Rule(
        "Rec-response",
        "Reply to a Tribunal health or social care recommendation",
        "SI 2017/1306 reg 6",
        "4.5",
        "P",
        _after("5 weeks", "the day of the Tribunal's recommendation"),
        due=recommendation_response_due,
    ),
)
