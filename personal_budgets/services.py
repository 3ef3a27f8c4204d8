"""The only code that changes personal budgets (spec §5, PB1-PB16).

Each service is one transaction, keyword-only, records who acted (save_audited and the case's
timeline), and raises ValidationError, naming the field where there is one, before anything is
saved: a refused request leaves no row behind. Dates come from ehc.timescales; the first review
of direct payments (PB13) is stored through ehc.services.deadline_track, so alerts, the case page
and the dashboards see it like every other deadline.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from ehc import timescales
from ehc.models import Case, CaseEvent, Deadline, EHCPlan, Setting, User
from ehc.services import case_event_record, deadline_track
from ehc.services.common import local_today, save_audited
from personal_budgets import rendering
from personal_budgets.models import (
    BudgetComponent,
    BudgetNotice,
    DirectPaymentDecision,
    DirectPaymentReview,
    Domain,
    Mechanism,
    PersonalBudget,
)

SOURCE = "personal_budgets"  # Deadline.source for the rows this app keeps
PB13 = "PB13"

Status = PersonalBudget.Status
Context = PersonalBudget.Context
Kind = DirectPaymentDecision.Kind
Outcome = DirectPaymentDecision.Outcome

# -- messages ------------------------------------------------------------------------------------

NO_PLAN_MAINTAINED = (
    "The council does not maintain an EHC plan for this child or young person and has not "
    "decided to issue one, so a personal budget cannot be asked for (PB1)."
)
NOT_YET_DRAFTING = (
    "A personal budget can be asked for once the council has decided to issue an EHC plan, "
    "while the draft plan is prepared, or during a review or reassessment of the plan (PB2). "
    "This case is at: {stage}."
)
PLAN_ALREADY_FINAL = (
    "The final EHC plan has been issued, so it is no longer being drafted. A request now can "
    "only be made during a review or reassessment of the plan (PB2)."
)
NO_PLAN_TO_REVIEW = (
    "There is no final EHC plan to review or reassess yet. While the plan is being drafted, "
    "record the request as made during drafting (PB2)."
)
CONTEXT_DATE_NEEDED = "Enter the date of the review or reassessment."
CONTEXT_BEFORE_PLAN = "The review or reassessment cannot be before the plan was issued ({on})."
UNKNOWN_CONTEXT = "Choose when the request was made: drafting, a review or a reassessment."
UNKNOWN_REQUESTER = "Only the child's parent or the young person can ask for a personal budget."
ALREADY_REQUESTED = (
    "A personal budget was already asked for on {on} and is still being prepared. The council "
    "will answer that request first."
)
IN_FUTURE = "The date cannot be in the future."
BEFORE_REQUEST = "The date cannot be before the case began ({on})."
BEFORE_DECISION_TO_ISSUE = (
    "A request made while the plan is drafted cannot be dated before the decision to issue a "
    "plan ({on})."
)
BUDGET_DECIDED = (
    "This budget has already been decided ({status}). Changes to direct payments are made by "
    "reducing or stopping them; anything else needs a new request at a review."
)
AMOUNT_NOT_NUMBER = "Enter the amount as a number of pounds, like 1500 or 1500.50."
AMOUNT_NEGATIVE = "The amount cannot be negative."
AMOUNT_ZERO = "Enter the amount of this part: a part of the budget is more than £0."
AMOUNT_CEILING = Decimal("1000000")
AMOUNT_TOO_LARGE = "Check the amount: a part of a budget is at most £1,000,000 a year."
HEAD_AGREEMENT_MAX_AGE = timedelta(days=366)
HEAD_AGREED_TOO_EARLY = (
    "The head teacher's or principal's agreement must be for this request: dated no more than "
    "a year before the budget was asked for."
)
AMOUNT_PENNIES = "The amount can have at most two decimal places (pence)."
PROVISION_NEEDED = "Describe the agreed provision this part of the budget secures."
UNKNOWN_DOMAIN = "Choose education, health or social care."
UNKNOWN_MECHANISM = "Choose how this part of the budget is managed."
DP_SCHOOL_PLACE = (
    "A direct payment cannot be used for a place at a school or post-16 institution (PB9). "
    "Choose another way of managing this part."
)
DP_NEEDS_HEAD_AGREEMENT = (
    "A direct payment for provision in a school or college needs the written agreement of its "
    "head teacher or principal (PB8). Record who agreed and when, or choose another way of "
    "managing this part."
)
SETTING_NEEDED = "Choose the school or college where the provision is delivered."
HEAD_AGREED_IN_FUTURE = (
    "The date of the head teacher's or principal's agreement cannot be in the future."
)
DP_NEEDS_OUTCOMES = (
    "For a direct payment for special educational provision, say which needs and outcomes it "
    "is to meet: they go into section J (Reg 12(1)(j))."
)
NO_COMPONENTS = "Add at least one part to the budget before agreeing it."
BEFORE_REQUESTED = "The date cannot be before the request ({on})."
DP_TERMS_NEEDED = (
    "This budget includes direct payments: say who receives them, when they start and when "
    "they are paid, and record the conditions checklist (PB6, PB7, PB11)."
)
DP_RECIPIENT_NEEDED = "Choose who receives the direct payments."
NOMINEE_NAME_NEEDED = "Enter the nominee's name."
DP_CONDITIONS_NOT_MET = (
    "The council must be satisfied of every condition before it makes direct payments (PB7). "
    "If it is not, refuse direct payments with reasons instead."
)
REASONS_NEEDED = "Give the reasons: the family must be told them."
DP_START_NEEDED = "Enter the date direct payments start."
DP_START_BEFORE_AGREEMENT = "Direct payments cannot start before the budget is agreed."
DP_SCHEDULE_NEEDED = "Say when direct payments are paid, for example 'monthly in advance'."
DP_REFUSED_STANDS = (
    "Direct payments were refused on {on}. Change the direct-payment parts to another way of "
    "managing them, or record the outcome of the review the family asked for first."
)
NO_DIRECT_PAYMENTS = "This budget has no direct payments in place."
DP_ALREADY_STOPPED = "Direct payments on this budget stopped on {on}."
NOT_A_DIRECT_PAYMENT = "Choose a part of this budget that is paid as a direct payment."
REDUCE_NOT_LOWER = "A reduction must be to less than the current amount ({amount})."
NOTICE_NEEDED = (
    "Give notice: the change cannot take effect before the date of the written notice (PB14, PB15)."
)
REDUCE_NOTICE_NEEDED = (
    "Give reasonable notice: a reduction takes effect after the date of the written notice (PB14)."
)
STOP_NOTICE_NEEDED = (
    "Give notice: unless consent was withdrawn or the recipient is no longer eligible, direct "
    "payments stop after the date of the written notice (PB15)."
)
UNKNOWN_STOP_GROUND = "Choose why direct payments are stopping."
NOT_RECONSIDERABLE = "Only a refusal, reduction or stop of direct payments can be reconsidered."
SECOND_RECONSIDERATION = (
    "The family already asked for this decision to be reconsidered (on {on}). The regulations "
    "provide for one reconsideration, so a second request is refused (PB10, PB14, PB15)."
)
NO_RECONSIDERATION_REQUESTED = "Record the family's request for a reconsideration first."
ALREADY_RECONSIDERED = "This decision has already been reconsidered (on {on})."
BEFORE_DECISION = "The date cannot be before the decision ({on})."
BEFORE_RECONSIDERATION_REQUEST = "The date cannot be before the family asked ({on})."
UNKNOWN_OUTCOME = "Choose whether the decision stands or was changed."
REVIEW_BEFORE_START = "A review cannot be before direct payments started ({on})."
FINDINGS_NEEDED = "Record what the review found."
UNKNOWN_OCCASION = "Choose what kind of review this was."
SECTION_J_PLAN_FINAL = (
    "The final EHC plan has been issued, so section J cannot be changed here. The budget goes "
    "into the plan through an amendment after the review; the section J text below can be "
    "copied into it."
)
SECTION_J_NO_PLAN = (
    "There is no EHC plan to write section J into: the council has not decided to issue one."
)
SECTION_J_NOTHING_YET = "The budget has not been decided yet, so there is nothing for section J."
SECTION_J_REPLACED = "A later budget replaced this one; section J shows the later budget."
REQUEST_BEFORE_PLAN = "A request at a review or reassessment cannot be before the plan ({on})."

# -- small checks --------------------------------------------------------------------------------


def _fmt(value: date) -> str:
    return rendering.day(value)


def _not_future(value: date, field_name: str) -> None:
    if value > local_today():
        raise ValidationError({field_name: IN_FUTURE})


def _reasons(text: str, field_name: str = "reasons") -> str:
    if not (text or "").strip():
        raise ValidationError({field_name: REASONS_NEEDED})
    return text.strip()


def money_check(value, field_name: str = "amount") -> Decimal:
    """An amount of money as a Decimal of pounds and pence, never a float; not negative."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValidationError({field_name: AMOUNT_NOT_NUMBER})
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValidationError({field_name: AMOUNT_NOT_NUMBER}) from exc
    if not amount.is_finite():
        raise ValidationError({field_name: AMOUNT_NOT_NUMBER})
    if amount < 0:
        raise ValidationError({field_name: AMOUNT_NEGATIVE})
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field_name: AMOUNT_PENNIES})
    return amount.quantize(Decimal("0.01"))


def _events(case: Case, kind: str) -> list[CaseEvent]:
    return list(case.events.filter(kind=kind).order_by("occurred_on"))


def _plan(case: Case) -> EHCPlan | None:
    return EHCPlan.objects.filter(case=case).first()


def request_context_check(
    *, case: Case, context: str, requested_on: date, context_on: date | None
) -> date:
    """PB2: a request counts only while a plan is drafted, reviewed or reassessed. Returns the
    date of the occasion (the request's own date while drafting)."""
    if context not in Context.values:
        raise ValidationError({"context": UNKNOWN_CONTEXT})
    plan = _plan(case)
    plan_final = plan is not None and plan.status == EHCPlan.Status.FINAL
    if case.outcome not in (Case.Outcome.OPEN, Case.Outcome.PLAN_ISSUED):
        raise ValidationError(NO_PLAN_MAINTAINED, code="pb2")
    if context == Context.DRAFT:
        if plan_final or case.outcome == Case.Outcome.PLAN_ISSUED:
            raise ValidationError(PLAN_ALREADY_FINAL, code="pb2")
        decided = _events(case, CaseEvent.Kind.DECIDED_TO_ISSUE)
        if not decided:
            raise ValidationError(
                NOT_YET_DRAFTING.format(stage=case.get_stage_display().lower()), code="pb2"
            )
        if requested_on < decided[0].occurred_on:
            raise ValidationError(
                {"requested_on": BEFORE_DECISION_TO_ISSUE.format(on=_fmt(decided[0].occurred_on))}
            )
        return requested_on
    if not plan_final:
        raise ValidationError(NO_PLAN_TO_REVIEW, code="pb2")
    if context_on is None:
        raise ValidationError({"context_on": CONTEXT_DATE_NEEDED})
    _not_future(context_on, "context_on")
    if plan.issued_on and context_on < plan.issued_on:
        raise ValidationError({"context_on": CONTEXT_BEFORE_PLAN.format(on=_fmt(plan.issued_on))})
    if plan.issued_on and requested_on < plan.issued_on:
        raise ValidationError({"requested_on": REQUEST_BEFORE_PLAN.format(on=_fmt(plan.issued_on))})
    return context_on


def can_family_request(case: Case) -> str | None:
    """None when the family may ask now (a plan being drafted, nothing already asked);
    otherwise the reason they cannot, in words for the family's page."""
    try:
        request_context_check(
            case=case, context=Context.DRAFT, requested_on=local_today(), context_on=None
        )
    except ValidationError as error:
        return " ".join(error.messages)
    open_request = case.personal_budgets.filter(status=Status.REQUESTED).first()
    if open_request is not None:
        return ALREADY_REQUESTED.format(on=_fmt(open_request.requested_on))
    return None


def _note(case: Case, on: date, summary: str, acting_user: User | None) -> None:
    """A line on the case's timeline (a NOTE event: it starts and stops no statutory clock)."""
    case_event_record(
        case=case,
        kind=CaseEvent.Kind.NOTE,
        occurred_on=on,
        summary=summary,
        acting_user=acting_user,
    )


def _notice(
    budget: PersonalBudget,
    kind: str,
    sent_on: date,
    body: str,
    acting_user: User | None,
    decision: DirectPaymentDecision | None = None,
) -> BudgetNotice:
    notice = BudgetNotice(
        budget=budget,
        kind=kind,
        sent_on=sent_on,
        body=body,
        decision=decision,
        created_by=acting_user,
    )
    save_audited(notice, acting_user=acting_user)
    return notice


def _locked(budget: PersonalBudget) -> PersonalBudget:
    return (
        PersonalBudget.objects.select_for_update(of=("self",))
        .select_related("case", "case__child")
        .get(pk=budget.pk)
    )


def _components(budget: PersonalBudget) -> list[BudgetComponent]:
    return list(budget.components.select_related("setting").order_by("domain", "id"))


def _has_direct_payments(components: list[BudgetComponent]) -> bool:
    return any(c.is_direct_payment for c in components)


def first_review_due(budget: PersonalBudget) -> date | None:
    """PB13: the first review of direct payments, 3 months after they start (ehc.timescales)."""
    if budget.dp_starts_on is None:
        return None
    return timescales.dp_first_review_due(budget.dp_starts_on)


# -- requests (PB1, PB2) --------------------------------------------------------------------------


@transaction.atomic
def budget_request_record(
    *,
    case: Case,
    context: str,
    requested_on: date,
    requested_by: str,
    source: str,
    acting_user: User | None,
    context_on: date | None = None,
    requester_name: str = "",
    request_details: str = "",
    preference: str = PersonalBudget.Preference.NOT_SURE,
) -> PersonalBudget:
    """A request by the parent or young person, checked against PB2, recorded on the case."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if requested_by not in PersonalBudget.Requester.values:
        raise ValidationError({"requested_by": UNKNOWN_REQUESTER})
    _not_future(requested_on, "requested_on")
    if requested_on < case.arrived_on:
        raise ValidationError({"requested_on": BEFORE_REQUEST.format(on=_fmt(case.arrived_on))})
    occasion_on = request_context_check(
        case=case, context=context, requested_on=requested_on, context_on=context_on
    )
    open_request = case.personal_budgets.filter(status=Status.REQUESTED).first()
    if open_request is not None:
        raise ValidationError(
            ALREADY_REQUESTED.format(on=_fmt(open_request.requested_on)), code="duplicate"
        )
    budget = PersonalBudget(
        case=case,
        context=context,
        context_on=occasion_on,
        requested_on=requested_on,
        requested_by=requested_by,
        requester_name=requester_name.strip(),
        source=source,
        request_details=request_details.strip(),
        preference=preference or PersonalBudget.Preference.NOT_SURE,
        recorded_by=acting_user,
    )
    save_audited(budget, acting_user=acting_user)
    _note(
        case,
        requested_on,
        f"Personal budget requested by {budget.get_requested_by_display().lower()}, "
        f"{rendering.context_phrase(budget)}.",
        acting_user,
    )
    return budget


# -- the budget's parts (PB4, PB8, PB9) -----------------------------------------------------------


@dataclass(frozen=True)
class ComponentDetails:
    domain: str
    mechanism: str
    agreed_provision: str
    amount: Decimal
    needs_and_outcomes: str = ""
    is_school_place: bool = False
    in_school_or_college: bool = False
    setting: Setting | None = None
    head_agreed_by: str = ""
    head_agreed_on: date | None = None


def component_check(details: ComponentDetails, *, requested_on: date | None = None) -> Decimal:
    """Every rule on one part of a budget; returns the amount as Decimal pounds and pence.

    `requested_on` (the budget's request date) bounds how old a head teacher's agreement may be.
    """
    if details.domain not in Domain.values:
        raise ValidationError({"domain": UNKNOWN_DOMAIN})
    if details.mechanism not in Mechanism.values:
        raise ValidationError({"mechanism": UNKNOWN_MECHANISM})
    amount = money_check(details.amount)
    if amount == 0:
        raise ValidationError({"amount": AMOUNT_ZERO})
    if amount > AMOUNT_CEILING:
        raise ValidationError({"amount": AMOUNT_TOO_LARGE})
    if not details.agreed_provision.strip():
        raise ValidationError({"agreed_provision": PROVISION_NEEDED})
    if details.in_school_or_college and details.setting is None:
        raise ValidationError({"setting": SETTING_NEEDED})
    if details.head_agreed_on is not None and details.head_agreed_on > local_today():
        raise ValidationError({"head_agreed_on": HEAD_AGREED_IN_FUTURE})
    if (
        details.head_agreed_on is not None
        and requested_on is not None
        and details.head_agreed_on < requested_on - HEAD_AGREEMENT_MAX_AGE
    ):
        raise ValidationError({"head_agreed_on": HEAD_AGREED_TOO_EARLY})
    if details.mechanism == Mechanism.DIRECT_PAYMENT:
        if details.is_school_place:
            raise ValidationError({"mechanism": DP_SCHOOL_PLACE})
        if details.in_school_or_college and not (
            details.head_agreed_by.strip() and details.head_agreed_on
        ):
            raise ValidationError({"head_agreed_by": DP_NEEDS_HEAD_AGREEMENT})
        if details.domain == Domain.EDUCATION and not details.needs_and_outcomes.strip():
            raise ValidationError({"needs_and_outcomes": DP_NEEDS_OUTCOMES})
    return amount


def _open_budget(budget: PersonalBudget) -> PersonalBudget:
    budget = _locked(budget)
    if budget.status != Status.REQUESTED:
        raise ValidationError(BUDGET_DECIDED.format(status=budget.get_status_display().lower()))
    return budget


@transaction.atomic
def component_save(
    *,
    budget: PersonalBudget,
    details: ComponentDetails,
    acting_user: User,
    component: BudgetComponent | None = None,
) -> BudgetComponent:
    """Add a part to a budget being prepared, or change one."""
    budget = _open_budget(budget)
    amount = component_check(details, requested_on=budget.requested_on)
    if component is None:
        component = BudgetComponent(budget=budget)
    elif component.budget_id != budget.pk:
        raise ValueError("That part belongs to another budget.")
    for name, value in vars(details).items():
        setattr(component, name, value)
    component.amount = amount
    component.agreed_provision = details.agreed_provision.strip()
    component.head_agreed_by = details.head_agreed_by.strip()
    if not component.in_school_or_college:
        component.setting = None
    save_audited(component, acting_user=acting_user)
    return component


@transaction.atomic
def component_remove(*, component: BudgetComponent, acting_user: User) -> None:
    _open_budget(component.budget)
    component._history_user = acting_user
    component.delete()


# -- deciding a request (PB1, PB5, PB6, PB7, PB10, PB11) ------------------------------------------


@dataclass(frozen=True)
class DirectPaymentTerms:
    """PB6 recipient, PB11 start and schedule, and the PB7 checklist with the officer's reasons."""

    recipient: str
    starts_on: date | None
    payment_schedule: str
    reasons: str
    nominee_name: str = ""
    conditions: dict[str, bool] = field(default_factory=dict)


def _conditions(values: dict[str, bool]) -> dict[str, bool]:
    return {name: bool(values.get(name)) for name, _ in DirectPaymentDecision.CONDITIONS}


def _refusal_in_force(budget: PersonalBudget) -> DirectPaymentDecision | None:
    refusal = budget.dp_decisions.filter(kind=Kind.REFUSED).order_by("-decided_on", "-id").first()
    if refusal is None or refusal.reconsideration_outcome == Outcome.CHANGED:
        return None
    return refusal


def _check_terms(budget: PersonalBudget, terms: DirectPaymentTerms | None, agreed_on: date):
    if terms is None:
        raise ValidationError(DP_TERMS_NEEDED)
    refusal = _refusal_in_force(budget)
    if refusal is not None:
        raise ValidationError(DP_REFUSED_STANDS.format(on=_fmt(refusal.decided_on)))
    if terms.recipient not in PersonalBudget.Recipient.values:
        raise ValidationError({"dp_recipient": DP_RECIPIENT_NEEDED})
    if terms.recipient == PersonalBudget.Recipient.NOMINEE and not terms.nominee_name.strip():
        raise ValidationError({"dp_nominee_name": NOMINEE_NAME_NEEDED})
    if terms.starts_on is None:
        raise ValidationError({"dp_starts_on": DP_START_NEEDED})
    if terms.starts_on < agreed_on:
        raise ValidationError({"dp_starts_on": DP_START_BEFORE_AGREEMENT})
    if not terms.payment_schedule.strip():
        raise ValidationError({"dp_payment_schedule": DP_SCHEDULE_NEEDED})
    if not all(_conditions(terms.conditions).values()):
        raise ValidationError({"conditions": DP_CONDITIONS_NOT_MET})
    _reasons(terms.reasons, "dp_reasons")


def _decision_date(budget: PersonalBudget, on: date, field_name: str) -> None:
    _not_future(on, field_name)
    if on < budget.requested_on:
        raise ValidationError({field_name: BEFORE_REQUESTED.format(on=_fmt(budget.requested_on))})


def _pb13_track(budget: PersonalBudget, *, met_on: date | None = None, needed: bool = True):
    return deadline_track(
        case=budget.case,
        source=SOURCE,
        kind=PB13,
        subject_key=budget.deadline_subject,
        starts_on=budget.dp_starts_on,
        due_on=first_review_due(budget),
        met_on=met_on,
        needed=needed,
    )


def pb13_deadline(budget: PersonalBudget) -> Deadline | None:
    return budget.case.deadlines.filter(kind=PB13, subject_key=budget.deadline_subject).first()


def _pb13_stand_down(budget: PersonalBudget) -> None:
    """No first review is owed any more (payments stopped, or the budget was replaced)."""
    row = pb13_deadline(budget)
    if row is not None and row.met_on is None and row.status != Deadline.Status.NOT_NEEDED:
        _pb13_track(budget, needed=False)


def _pb13_restore(budget: PersonalBudget) -> None:
    row = pb13_deadline(budget)
    if row is not None and row.met_on is None:
        _pb13_track(budget)


def _supersede_earlier(budget: PersonalBudget, acting_user: User) -> None:
    earlier = (
        PersonalBudget.objects.select_for_update()
        .filter(case=budget.case, status=Status.AGREED)
        .exclude(pk=budget.pk)
    )
    for old in earlier:
        old.status = Status.SUPERSEDED
        save_audited(old, acting_user=acting_user, validate=False)
        _pb13_stand_down(old)


def _plan_writable(case: Case) -> bool:
    plan = _plan(case)
    if plan is not None:
        return plan.status != EHCPlan.Status.FINAL
    return case.is_open and case.events.filter(kind=CaseEvent.Kind.DECIDED_TO_ISSUE).exists()


def _section_j_if_draft(budget: PersonalBudget, acting_user: User) -> None:
    """Keep a draft plan's section J in step with the budget; a final plan changes only by
    amendment after a review, so it is left alone (section_j_write says so when asked)."""
    if _plan_writable(budget.case):
        section_j_write(budget=budget, acting_user=acting_user)


@transaction.atomic
def budget_agree(
    *,
    budget: PersonalBudget,
    agreed_on: date,
    acting_user: User,
    direct_payments: DirectPaymentTerms | None = None,
) -> PersonalBudget:
    """PB1, PB4, PB11: agree the budget as prepared. Direct payments need PB6-PB9 satisfied;
    they start the first-review clock (PB13). A draft plan's section J is rewritten (PB16)."""
    budget = _open_budget(budget)
    components = _components(budget)
    if not components:
        raise ValidationError(NO_COMPONENTS)
    _decision_date(budget, agreed_on, "agreed_on")
    for component in components:
        component_check(
            ComponentDetails(
                **{name: getattr(component, name) for name in ComponentDetails.__dataclass_fields__}
            )
        )
    has_dp = _has_direct_payments(components)
    if has_dp:
        _check_terms(budget, direct_payments, agreed_on)
        budget.dp_recipient = direct_payments.recipient
        budget.dp_nominee_name = (
            direct_payments.nominee_name.strip()
            if direct_payments.recipient == PersonalBudget.Recipient.NOMINEE
            else ""
        )
        budget.dp_starts_on = direct_payments.starts_on
        budget.dp_payment_schedule = direct_payments.payment_schedule.strip()
    budget.status, budget.decided_on = Status.AGREED, agreed_on
    save_audited(budget, acting_user=acting_user)
    _supersede_earlier(budget, acting_user)
    decision = None
    if has_dp:
        decision = DirectPaymentDecision(
            budget=budget,
            kind=Kind.AGREED,
            decided_on=agreed_on,
            reasons=direct_payments.reasons.strip(),
            decided_by=acting_user,
            **_conditions(direct_payments.conditions),
        )
        save_audited(decision, acting_user=acting_user)
        _pb13_track(budget)
    _notice(
        budget,
        BudgetNotice.Kind.AGREED_PROVISION,
        agreed_on,
        rendering.agreed_provision_notice(budget, components, first_review_due(budget)),
        acting_user,
        decision,
    )
    mechanisms = sorted({rendering.MECHANISM_SHORT[c.mechanism].lower() for c in components})
    _note(
        budget.case,
        agreed_on,
        f"Personal budget agreed: {rendering.money(rendering.total(components))} a year "
        f"({', '.join(mechanisms)}).",
        acting_user,
    )
    _section_j_if_draft(budget, acting_user)
    return budget


@transaction.atomic
def budget_not_identified(
    *, budget: PersonalBudget, decided_on: date, reasons: str, acting_user: User
) -> PersonalBudget:
    """PB5: the council cannot identify a budget, and says why."""
    budget = _open_budget(budget)
    reasons = _reasons(reasons)
    _decision_date(budget, decided_on, "decided_on")
    budget.status, budget.decided_on = Status.NOT_IDENTIFIED, decided_on
    budget.not_identified_reasons = reasons
    save_audited(budget, acting_user=acting_user)
    _notice(
        budget,
        BudgetNotice.Kind.NOT_IDENTIFIED,
        decided_on,
        rendering.not_identified_notice(budget),
        acting_user,
    )
    _note(
        budget.case,
        decided_on,
        "No personal budget could be identified (reasons given).",
        acting_user,
    )
    _section_j_if_draft(budget, acting_user)
    return budget


@transaction.atomic
def direct_payments_refuse(
    *,
    budget: PersonalBudget,
    decided_on: date,
    reasons: str,
    acting_user: User,
    conditions: dict[str, bool] | None = None,
) -> DirectPaymentDecision:
    """PB10: refuse direct payments with reasons. The family may ask for a review; there is no
    Tribunal appeal. The budget itself is still prepared, by other means."""
    budget = _open_budget(budget)
    reasons = _reasons(reasons)
    _decision_date(budget, decided_on, "decided_on")
    decision = DirectPaymentDecision(
        budget=budget,
        kind=Kind.REFUSED,
        decided_on=decided_on,
        reasons=reasons,
        decided_by=acting_user,
        **_conditions(conditions or {}),
    )
    save_audited(decision, acting_user=acting_user)
    _notice(
        budget,
        BudgetNotice.Kind.DP_REFUSED,
        decided_on,
        rendering.refusal_notice(budget, decision),
        acting_user,
        decision,
    )
    _note(
        budget.case,
        decided_on,
        "Direct payments refused (reasons given; review on request).",
        acting_user,
    )
    return decision


# -- after agreement: reduce, stop, reconsider, review (PB12-PB15) -------------------------------


def _in_payment(budget: PersonalBudget) -> PersonalBudget:
    budget = _locked(budget)
    if (
        budget.status != Status.AGREED
        or not budget.components.filter(mechanism=Mechanism.DIRECT_PAYMENT).exists()
    ):
        raise ValidationError(NO_DIRECT_PAYMENTS)
    if budget.dp_stopped_on is not None:
        raise ValidationError(DP_ALREADY_STOPPED.format(on=_fmt(budget.dp_stopped_on)))
    return budget


def _notice_dates(budget: PersonalBudget, decided_on: date, takes_effect_on: date | None):
    _not_future(decided_on, "decided_on")
    if decided_on < budget.decided_on:
        raise ValidationError({"decided_on": BEFORE_DECISION.format(on=_fmt(budget.decided_on))})
    if takes_effect_on is None or takes_effect_on < decided_on:
        raise ValidationError({"takes_effect_on": NOTICE_NEEDED})


@transaction.atomic
def direct_payments_reduce(
    *,
    budget: PersonalBudget,
    component: BudgetComponent,
    new_amount: Decimal,
    decided_on: date,
    takes_effect_on: date,
    reasons: str,
    acting_user: User,
) -> DirectPaymentDecision:
    """PB12, PB14: reduce a direct payment (still sufficient) with reasonable written notice."""
    budget = _in_payment(budget)
    component = BudgetComponent.objects.select_for_update().get(pk=component.pk)
    if component.budget_id != budget.pk or not component.is_direct_payment:
        raise ValidationError({"component": NOT_A_DIRECT_PAYMENT})
    amount = money_check(new_amount, "new_amount")
    if amount >= component.amount:
        raise ValidationError(
            {"new_amount": REDUCE_NOT_LOWER.format(amount=rendering.money(component.amount))}
        )
    reasons = _reasons(reasons)
    _notice_dates(budget, decided_on, takes_effect_on)
    if takes_effect_on <= decided_on:
        raise ValidationError({"takes_effect_on": REDUCE_NOTICE_NEEDED})
    decision = DirectPaymentDecision(
        budget=budget,
        kind=Kind.REDUCED,
        decided_on=decided_on,
        reasons=reasons,
        component=component,
        previous_amount=component.amount,
        new_amount=amount,
        takes_effect_on=takes_effect_on,
        decided_by=acting_user,
    )
    save_audited(decision, acting_user=acting_user)
    component.amount = amount
    save_audited(component, acting_user=acting_user)
    _notice(
        budget,
        BudgetNotice.Kind.DP_REDUCED,
        decided_on,
        rendering.reduction_notice(budget, decision),
        acting_user,
        decision,
    )
    _note(
        budget.case,
        decided_on,
        f"Direct payment reduced to {rendering.money(amount)} a year from {_fmt(takes_effect_on)}.",
        acting_user,
    )
    _section_j_if_draft(budget, acting_user)
    return decision


@transaction.atomic
def direct_payments_stop(
    *,
    budget: PersonalBudget,
    decided_on: date,
    takes_effect_on: date,
    ground: str,
    reasons: str,
    acting_user: User,
) -> DirectPaymentDecision:
    """PB15: stop direct payments, with written notice and reasons."""
    budget = _in_payment(budget)
    if ground not in DirectPaymentDecision.StopGround.values:
        raise ValidationError({"stop_ground": UNKNOWN_STOP_GROUND})
    reasons = _reasons(reasons)
    _notice_dates(budget, decided_on, takes_effect_on)
    if ground not in DirectPaymentDecision.MUST_STOP and takes_effect_on <= decided_on:
        raise ValidationError({"takes_effect_on": STOP_NOTICE_NEEDED})
    decision = DirectPaymentDecision(
        budget=budget,
        kind=Kind.STOPPED,
        decided_on=decided_on,
        reasons=reasons,
        takes_effect_on=takes_effect_on,
        stop_ground=ground,
        decided_by=acting_user,
    )
    save_audited(decision, acting_user=acting_user)
    budget.dp_stopped_on = takes_effect_on
    save_audited(budget, acting_user=acting_user)
    _pb13_stand_down(budget)
    _notice(
        budget,
        BudgetNotice.Kind.DP_STOPPED,
        decided_on,
        rendering.stop_notice(budget, decision),
        acting_user,
        decision,
    )
    _note(
        budget.case,
        decided_on,
        f"Direct payments to stop from {_fmt(takes_effect_on)}.",
        acting_user,
    )
    _section_j_if_draft(budget, acting_user)
    return decision


@transaction.atomic
def reconsideration_request_record(
    *, decision: DirectPaymentDecision, requested_on: date, acting_user: User
) -> DirectPaymentDecision:
    """PB10, PB14, PB15: the family asks for a decision to be reconsidered: once."""
    decision = (
        DirectPaymentDecision.objects.select_for_update(of=("self",))
        .select_related("budget")
        .get(pk=decision.pk)
    )
    if not decision.reconsiderable:
        raise ValidationError(NOT_RECONSIDERABLE)
    if decision.reconsideration_requested_on is not None:
        raise ValidationError(
            SECOND_RECONSIDERATION.format(on=_fmt(decision.reconsideration_requested_on)),
            code="second_reconsideration",
        )
    _not_future(requested_on, "requested_on")
    if requested_on < decision.decided_on:
        raise ValidationError(
            {"requested_on": BEFORE_DECISION.format(on=_fmt(decision.decided_on))}
        )
    decision.reconsideration_requested_on = requested_on
    save_audited(decision, acting_user=acting_user)
    _note(
        decision.budget.case,
        requested_on,
        f"Family asked for a reconsideration: {decision.get_kind_display().lower()}.",
        acting_user,
    )
    return decision


@transaction.atomic
def reconsideration_decide(
    *,
    decision: DirectPaymentDecision,
    reconsidered_on: date,
    outcome: str,
    reasons: str,
    acting_user: User,
) -> DirectPaymentDecision:
    """The outcome of the reconsideration, taking the family's representations into account.
    A changed reduction restores the amount; a changed stop restarts payments."""
    decision = DirectPaymentDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.reconsideration_requested_on is None:
        raise ValidationError(NO_RECONSIDERATION_REQUESTED)
    if decision.reconsidered_on is not None:
        raise ValidationError(ALREADY_RECONSIDERED.format(on=_fmt(decision.reconsidered_on)))
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": UNKNOWN_OUTCOME})
    reasons = _reasons(reasons)
    _not_future(reconsidered_on, "reconsidered_on")
    if reconsidered_on < decision.reconsideration_requested_on:
        raise ValidationError(
            {
                "reconsidered_on": BEFORE_RECONSIDERATION_REQUEST.format(
                    on=_fmt(decision.reconsideration_requested_on)
                )
            }
        )
    budget = _locked(decision.budget)
    decision.reconsidered_on = reconsidered_on
    decision.reconsideration_outcome = outcome
    decision.reconsideration_reasons = reasons
    save_audited(decision, acting_user=acting_user)
    if outcome == Outcome.CHANGED:
        _undo(decision, budget, acting_user)
    _notice(
        budget,
        BudgetNotice.Kind.RECONSIDERED,
        reconsidered_on,
        rendering.reconsideration_notice(budget, decision),
        acting_user,
        decision,
    )
    _note(
        budget.case,
        reconsidered_on,
        f"Reconsideration decided: {decision.get_reconsideration_outcome_display().lower()}.",
        acting_user,
    )
    if decision.kind != Kind.REFUSED:
        _section_j_if_draft(budget, acting_user)
    return decision


def _undo(decision: DirectPaymentDecision, budget: PersonalBudget, acting_user: User) -> None:
    if decision.kind == Kind.REDUCED:
        component = BudgetComponent.objects.select_for_update().get(pk=decision.component_id)
        component.amount = decision.previous_amount
        save_audited(component, acting_user=acting_user)
    elif decision.kind == Kind.STOPPED:
        budget.dp_stopped_on = None
        save_audited(budget, acting_user=acting_user)
        _pb13_restore(budget)
    # A refusal that is changed simply stops blocking direct payments in budget_agree.


@transaction.atomic
def direct_payment_review_record(
    *,
    budget: PersonalBudget,
    occasion: str,
    reviewed_on: date,
    findings: str,
    acting_user: User,
) -> DirectPaymentReview:
    """PB13: a review of the making and use of direct payments. The first one meets the
    3-month deadline; later ones come with each plan review or reassessment, or on request."""
    budget = _locked(budget)
    if budget.dp_starts_on is None or budget.status not in (Status.AGREED, Status.SUPERSEDED):
        raise ValidationError(NO_DIRECT_PAYMENTS)
    if occasion not in DirectPaymentReview.Occasion.values:
        raise ValidationError({"occasion": UNKNOWN_OCCASION})
    if not findings.strip():
        raise ValidationError({"findings": FINDINGS_NEEDED})
    _not_future(reviewed_on, "reviewed_on")
    if reviewed_on < budget.dp_starts_on:
        raise ValidationError(
            {"reviewed_on": REVIEW_BEFORE_START.format(on=_fmt(budget.dp_starts_on))}
        )
    review = DirectPaymentReview(
        budget=budget,
        occasion=occasion,
        reviewed_on=reviewed_on,
        findings=findings.strip(),
        recorded_by=acting_user,
    )
    save_audited(review, acting_user=acting_user)
    row = pb13_deadline(budget)
    if row is not None and row.met_on is None and row.status != Deadline.Status.NOT_NEEDED:
        _pb13_track(budget, met_on=reviewed_on)
    _note(
        budget.case,
        reviewed_on,
        f"Direct payments reviewed: {review.get_occasion_display().lower()}.",
        acting_user,
    )
    return review


# -- section J (PB16) -----------------------------------------------------------------------------


def section_j_text(budget: PersonalBudget) -> str:
    return rendering.section_j(budget, _components(budget), first_review_due(budget))


@transaction.atomic
def section_j_write(*, budget: PersonalBudget, acting_user: User) -> EHCPlan:
    """Write section J of the draft plan from the budget. A final plan is refused: it changes
    only by amendment after a review. Section I and every other section are left alone."""
    budget = _locked(budget)
    if budget.status == Status.REQUESTED:
        raise ValidationError(SECTION_J_NOTHING_YET)
    if budget.status == Status.SUPERSEDED:
        raise ValidationError(SECTION_J_REPLACED)
    case = budget.case
    plan = EHCPlan.objects.select_for_update().filter(case=case).first()
    if plan is not None and plan.status == EHCPlan.Status.FINAL:
        raise ValidationError(SECTION_J_PLAN_FINAL, code="plan_final")
    if plan is None:
        if not _plan_writable(case):
            raise ValidationError(SECTION_J_NO_PLAN)
        plan = EHCPlan(case=case)
    plan.section_j = section_j_text(budget)
    save_audited(plan, acting_user=acting_user)
    return plan
