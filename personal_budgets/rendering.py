"""Plain text made from a budget: section J of the plan (PB16) and the letters (PB5, PB10, PB11,
PB14, PB15). Pure: a budget and its parts in, words out; no database writes, no date arithmetic
(the first-review date comes from ehc.timescales through the caller)."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils.formats import date_format

from personal_budgets.models import (
    BudgetComponent,
    DirectPaymentDecision,
    Domain,
    Mechanism,
    PersonalBudget,
)

NO_TRIBUNAL = (
    "You cannot appeal to the First-tier Tribunal (Special Educational Needs and Disability) "
    "about direct payments. Decisions about direct payments are not part of the EHC plan "
    "decisions the Tribunal hears."
)


CONTEXT_PHRASE = {
    PersonalBudget.Context.DRAFT: "while the EHC plan was being drafted",
    PersonalBudget.Context.REVIEW: "during a review of the EHC plan",
    PersonalBudget.Context.REASSESSMENT: "during a reassessment",
}


def context_phrase(budget: PersonalBudget) -> str:
    return CONTEXT_PHRASE.get(budget.context, budget.get_context_display())


def money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def day(value: date) -> str:
    return date_format(value, "j F Y")


def recipient_text(budget: PersonalBudget) -> str:
    if budget.dp_recipient == PersonalBudget.Recipient.NOMINEE:
        return f"a nominee, {budget.dp_nominee_name}"
    return budget.get_dp_recipient_display().lower() if budget.dp_recipient else ""


def total(components: Iterable[BudgetComponent]) -> Decimal:
    return sum((c.amount for c in components), Decimal("0.00"))


def _component_lines(component: BudgetComponent, budget: PersonalBudget) -> list[str]:
    how = component.get_mechanism_display()
    if component.is_direct_payment:
        how += f" to {recipient_text(budget)}" if budget.dp_recipient else ""
        if budget.dp_stopped_on:
            how += f" (stopped from {day(budget.dp_stopped_on)})"
    lines = [f"- {component.agreed_provision.strip()}: {money(component.amount)} a year. {how}."]
    if component.is_direct_payment and component.needs_and_outcomes.strip():
        lines.append(
            "  Special educational needs and outcomes the direct payment is to meet: "
            f"{component.needs_and_outcomes.strip()}"
        )
    if component.in_school_or_college and component.setting_id:
        agreed = f"Provided at {component.setting.name}"
        if component.is_direct_payment and component.head_agreed_by:
            agreed += (
                f", with the written agreement of {component.head_agreed_by}"
                f" given on {day(component.head_agreed_on)}"
            )
        lines.append(f"  {agreed}.")
    return lines


def section_j(
    budget: PersonalBudget,
    components: list[BudgetComponent],
    first_review_due: date | None,
) -> str:
    """Section J: the personal budget, including arrangements for direct payments (Reg 12(1)(j);
    CoP 9.62), from the budget as it now stands."""
    asked = (
        f"A personal budget was requested by {budget.get_requested_by_display().lower()} on "
        f"{day(budget.requested_on)}, {context_phrase(budget)}."
    )
    if budget.status == PersonalBudget.Status.NOT_IDENTIFIED:
        return (
            f"{asked}\n\nThe council could not identify a personal budget "
            f"({day(budget.decided_on)}). The reasons: {budget.not_identified_reasons.strip()}"
        )
    if budget.status not in (PersonalBudget.Status.AGREED, PersonalBudget.Status.SUPERSEDED):
        return f"{asked}\n\nThe council is preparing the personal budget."
    lines = [
        f"Personal budget agreed on {day(budget.decided_on)}: {money(total(components))} a year "
        "in all.",
        asked,
    ]
    for domain in Domain:
        parts = [c for c in components if c.domain == domain]
        if not parts:
            continue
        lines.append("")
        lines.append(f"{domain.label}: {money(total(parts))} a year")
        for component in parts:
            lines.extend(_component_lines(component, budget))
    if any(c.is_direct_payment for c in components):
        lines.append("")
        lines.append("Arrangements for direct payments")
        lines.append(f"Paid to {recipient_text(budget)}. {budget.dp_payment_schedule.strip()}")
        if budget.dp_stopped_on:
            lines.append(f"Direct payments stop from {day(budget.dp_stopped_on)}.")
        else:
            review = f" (by {day(first_review_due)})" if first_review_due is not None else ""
            lines.append(
                f"Payments start on {day(budget.dp_starts_on)}. The council reviews the making "
                f"and use of direct payments within 3 months of them starting{review}, then at "
                "each review of this plan or reassessment."
            )
    return "\n".join(lines)


def _sign_off() -> str:
    return (
        f"If you have questions, contact {settings.LA_SEND_TEAM_CONTACT}.\n"
        f"Free, impartial information, advice and support: {settings.IASS_CONTACT}."
    )


def agreed_provision_notice(
    budget: PersonalBudget, components: list[BudgetComponent], first_review_due: date | None
) -> str:
    """PB11: the agreed provision, the amount, and when it is paid."""
    lines = [
        f"We have agreed a personal budget of {money(total(components))} a year for "
        f"{budget.case.child.full_name}.",
        "",
        "What it pays for (the agreed provision), how much, and how it is managed:",
    ]
    for component in components:
        lines.append(
            f"- {component.get_domain_display()}: {component.agreed_provision.strip()}. "
            f"{money(component.amount)} a year. {component.get_mechanism_display()}."
        )
    if any(c.is_direct_payment for c in components):
        direct = total(c for c in components if c.is_direct_payment)
        lines += [
            "",
            f"Direct payments of {money(direct)} a year will be paid to "
            f"{recipient_text(budget)}, starting on {day(budget.dp_starts_on)}.",
            f"When they are paid: {budget.dp_payment_schedule.strip()}",
            "You must use them only to secure the agreed provision above.",
        ]
        if first_review_due is not None:
            lines.append(
                "We will review how direct payments are made and used by "
                f"{day(first_review_due)} (within 3 months of them starting), then at each "
                "review of the EHC plan. You can ask us for a review at any time."
            )
    lines += ["", _sign_off()]
    return "\n".join(lines)


def not_identified_notice(budget: PersonalBudget) -> str:
    """PB5: the council could not identify a sum, and must say why."""
    return "\n".join(
        [
            f"You asked for a personal budget for {budget.case.child.full_name} on "
            f"{day(budget.requested_on)}.",
            "",
            "We could not identify a personal budget. The reasons:",
            budget.not_identified_reasons.strip(),
            "",
            "You can ask for a personal budget again when the EHC plan is next reviewed or if "
            "there is a reassessment.",
            "",
            _sign_off(),
        ]
    )


def _conditions_text(decision: DirectPaymentDecision) -> list[str]:
    unmet = [label for label, met in decision.conditions() if not met]
    if not unmet:
        return []
    return ["The conditions we were not satisfied of:"] + [f"- {label}" for label in unmet]


def refusal_notice(budget: PersonalBudget, decision: DirectPaymentDecision) -> str:
    """PB10: reasons, the right to ask for a review, and no Tribunal route."""
    return "\n".join(
        [
            f"You asked for direct payments for {budget.case.child.full_name}. We have decided "
            f"not to make direct payments ({day(decision.decided_on)}).",
            "",
            "Our reasons:",
            decision.reasons.strip(),
            *_conditions_text(decision),
            "",
            "You can ask us to review this decision. Write to us saying why you think it should "
            "change; we will reconsider it and take what you say into account, then write to "
            "you with the outcome and our reasons.",
            "",
            NO_TRIBUNAL,
            "",
            _sign_off(),
        ]
    )


def reduction_notice(budget: PersonalBudget, decision: DirectPaymentDecision) -> str:
    """PB14: reasonable notice in writing, with reasons; one reconsideration."""
    component = decision.component
    return "\n".join(
        [
            f"We are reducing the direct payments for {budget.case.child.full_name}: "
            f"{component.agreed_provision.strip()} goes from {money(decision.previous_amount)} "
            f"to {money(decision.new_amount)} a year from {day(decision.takes_effect_on)}.",
            "",
            "Our reasons:",
            decision.reasons.strip(),
            "",
            "You can ask us to reconsider this once. Write to us before "
            f"{day(decision.takes_effect_on)} saying why; we will take what you say into account "
            "and write to you with the outcome.",
            "",
            NO_TRIBUNAL,
            "",
            _sign_off(),
        ]
    )


def stop_notice(budget: PersonalBudget, decision: DirectPaymentDecision) -> str:
    """PB15: written notice with reasons; one reconsideration."""
    return "\n".join(
        [
            f"Direct payments for {budget.case.child.full_name} will stop from "
            f"{day(decision.takes_effect_on)}.",
            "",
            f"Why: {decision.get_stop_ground_display()}.",
            decision.reasons.strip(),
            "",
            "The provision in the EHC plan does not stop: we will arrange it another way and "
            "tell you how.",
            "You can ask us to reconsider this once. Write to us saying why; we will take what "
            "you say into account and write to you with the outcome.",
            "",
            NO_TRIBUNAL,
            "",
            _sign_off(),
        ]
    )


def reconsideration_notice(budget: PersonalBudget, decision: DirectPaymentDecision) -> str:
    changed = decision.reconsideration_outcome == DirectPaymentDecision.Outcome.CHANGED
    what = decision.get_kind_display().lower()
    outcome = (
        f"We have changed our decision ({what}, {day(decision.decided_on)})."
        if changed
        else f"Our decision ({what}, {day(decision.decided_on)}) stands."
    )
    lines = [
        f"You asked us on {day(decision.reconsideration_requested_on)} to reconsider a decision "
        f"about direct payments for {budget.case.child.full_name}.",
        "",
        outcome,
        "Our reasons:",
        decision.reconsideration_reasons.strip(),
    ]
    if decision.kind != DirectPaymentDecision.Kind.REFUSED:
        lines += ["", "This was the one reconsideration the regulations provide for."]
    lines += ["", NO_TRIBUNAL, "", _sign_off()]
    return "\n".join(lines)


MECHANISM_SHORT = {
    Mechanism.DIRECT_PAYMENT: "Direct payment",
    Mechanism.COUNCIL_MANAGED: "Managed by the council",
    Mechanism.SCHOOL_MANAGED: "Managed by the school or college",
    Mechanism.THIRD_PARTY: "Third-party arrangement",
}
