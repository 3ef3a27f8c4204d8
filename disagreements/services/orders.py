"""Orders and the duties they start (spec 4.4): which orders may follow which decision, the
duties each type of order starts under Reg 44 (Tribunal), Reg 45 (unopposed appeal) or Reg 42
(mediation agreement), and recording a duty as done. Their dates come from each duty's timescale
rule (`ehc.timescales.RULES[kind].due_on`), through clocks.duty_due_on."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from disagreements.models import Disagreement, Order, OrderDuty
from disagreements.services.clocks import _track
from disagreements.services.common import D, S, T, _check_day, _locked, _lower_first, _note
from ehc.models import User
from ehc.services.common import save_audited

ORDER_TYPE_MISMATCH = (
    "{order} does not follow from an appeal against a {decision}. For this decision the "
    "Tribunal (or agreement) can order: {allowed}."
)

AGREED_ACTION_ONLY_AGREEMENT = (
    "An action on a matter that cannot be appealed only comes from a mediation agreement."
)

DUTY_UNKNOWN = "That is not one of this order's duties."

DUTY_DONE = "This duty is already recorded as done."

DUTY_EXCLUSIVE = "The other outcome of this assessment is already recorded."


ORDER_TYPES_FOR_DECISION = {
    D.REFUSAL_TO_ASSESS: (T.ASSESS, T.REMIT),
    D.REFUSAL_TO_REASSESS: (T.ASSESS, T.REMIT),
    D.NO_PLAN: (T.MAKE_PLAN, T.REMIT),
    D.PLAN_CONTENTS: (T.AMEND, T.PLACEMENT, T.REMIT),
    D.NO_AMENDMENT: (T.AMEND, T.PLACEMENT, T.REMIT),
    D.CEASE: (T.CEASE, T.CONTINUE, T.AMEND, T.REMIT),
}


# Reg 45: what an unopposed appeal means the council must do (spec U-a to U-c).
UNOPPOSED_TYPES_FOR_DECISION = {
    D.REFUSAL_TO_ASSESS: (T.ASSESS,),
    D.REFUSAL_TO_REASSESS: (T.ASSESS,),
    D.NO_PLAN: (T.MAKE_PLAN,),
    D.PLAN_CONTENTS: (T.AMEND, T.PLACEMENT),
    D.NO_AMENDMENT: (T.AMEND, T.PLACEMENT),
    D.CEASE: (T.AMEND,),
}


# Rule codes each type of order starts (Reg 44: T-a to T-f; Reg 45: U-a to U-c; Reg 42: M9).
REG44_DUTIES = {
    T.ASSESS: ("Tb-assess", "Tb-no-plan", "Tb-final"),
    T.MAKE_PLAN: ("Tc-draft", "Tc-final"),
    T.AMEND: ("Td-amend",),
    T.PLACEMENT: ("Te-placement",),
    T.CONTINUE: ("Tf-continue",),
    T.CEASE: ("Ta-cease",),
    T.REMIT: (),  # spec T-g: no verified timescale
    T.AGREED_ACTION: ("M9",),
}


REG45_DUTIES = {
    T.ASSESS: ("Ua-assess", "Ua-no-plan", "Ua-final"),
    T.MAKE_PLAN: ("Uc-draft", "Uc-final"),
    T.AMEND: ("Ub-amend",),
    T.PLACEMENT: ("Uc-placement",),
}


# A concession without an order: the original request clocks still run (W v Hertfordshire).
CONCESSION_DUTIES = {
    D.REFUSAL_TO_ASSESS: (T.ASSESS, ("A7", "A13")),
    D.NO_PLAN: (T.MAKE_PLAN, ("A13",)),
}


# Duties of which only one can happen: after an ordered assessment, a plan or no plan.
EXCLUSIVE_DUTIES = (
    {"Tb-no-plan", "Tb-final"},
    {"Ua-no-plan", "Ua-final"},
    {"A7", "A13"},
)


# What each duty asks for, in the words a caseworker records it with.
DUTY_TEXT = {
    "Ta-cease": "Stop maintaining the plan",
    "Tb-assess": "Tell the family the council will assess",
    "Tb-no-plan": "If no plan is needed: tell the family, with reasons",
    "Tb-final": "If a plan is needed: issue the final plan",
    "Tc-draft": "Send the draft plan",
    "Tc-final": "Issue the final plan",
    "Td-amend": "Issue the amended plan",
    "Te-placement": "Name the school or setting ordered",
    "Tf-continue": "Continue to maintain the plan",
    "Ua-assess": "Tell the family the council will assess",
    "Ua-no-plan": "If no plan is needed: tell the family, with reasons",
    "Ua-final": "If a plan is needed: issue the final plan",
    "Ub-amend": "Issue the amended plan",
    "Uc-placement": "Name the school or setting",
    "Uc-draft": "Send the draft plan",
    "Uc-final": "Issue the final plan",
    "M9": "Do what was agreed",
    "A7": "If no plan is needed: tell the family, with reasons (original 16 weeks)",
    "A13": "Issue the final plan (original 20 weeks from the request)",
}


def _check_order_type(disagreement, order_type, allowed, field) -> None:
    if order_type == T.AGREED_ACTION:
        raise ValidationError({field: AGREED_ACTION_ONLY_AGREEMENT})
    if order_type not in T.values or order_type not in allowed:
        label = T(order_type).label if order_type in T.values else repr(order_type)
        raise ValidationError(
            {
                field: ORDER_TYPE_MISMATCH.format(
                    order=label,
                    decision=disagreement.get_decision_display().lower(),
                    allowed="; ".join(_lower_first(T(t).label) for t in allowed),
                )
            }
        )


def _order_create(
    disagreement, appeal, source, order_type, made_on, details, other_timescale, acting_user
) -> Order:
    if source == S.AGREEMENT:
        allowed = (*ORDER_TYPES_FOR_DECISION[disagreement.decision], T.AGREED_ACTION)
        if order_type not in allowed:
            _check_order_type(disagreement, order_type, allowed, "order_type")
        duties = REG44_DUTIES[order_type]
    elif source == S.UNOPPOSED:
        duties = REG45_DUTIES[order_type]
    else:
        duties = REG44_DUTIES[order_type]
    label = f"{S(source).label}: {_lower_first(T(order_type).label)}"
    event = _note(disagreement.case, made_on, label + ".", acting_user, order_type=order_type)
    order = Order(
        disagreement=disagreement,
        appeal=appeal,
        source=source,
        order_type=order_type,
        made_on=made_on,
        details=details.strip(),
        other_timescale=other_timescale.strip(),
        started_by=event,
        recorded_by=acting_user,
    )
    save_audited(order, acting_user=acting_user)
    for kind in duties:
        save_audited(OrderDuty(order=order, kind=kind), acting_user=acting_user)
    _track(disagreement)
    return order


@transaction.atomic
def order_duty_done_record(
    *, disagreement: Disagreement, duty_id: int, done_on: date, acting_user: User
) -> OrderDuty:
    """The council did one thing an order, agreement or concession required."""
    disagreement = _locked(disagreement)
    duty = (
        OrderDuty.objects.select_for_update()
        .select_related("order")
        .filter(pk=duty_id, order__disagreement=disagreement)
        .first()
    )
    if duty is None:
        raise ValidationError({"duty": DUTY_UNKNOWN})
    if duty.done_on or duty.not_needed:
        raise ValidationError({"duty": DUTY_DONE})
    _check_day("done_on", done_on, after=[("the order", duty.order.made_on)])
    duty.done_on = done_on
    save_audited(duty, acting_user=acting_user)
    for group in EXCLUSIVE_DUTIES:
        if duty.kind in group:
            for other in duty.order.duties.filter(kind__in=group - {duty.kind}):
                if other.done_on:
                    raise ValidationError({"duty": DUTY_EXCLUSIVE})
                other.not_needed = True
                save_audited(other, acting_user=acting_user)
    _track(disagreement)
    return duty
