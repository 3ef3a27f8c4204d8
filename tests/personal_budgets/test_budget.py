"""The budget's parts (PB4, PB8, PB9), agreeing it (PB1, PB6, PB7, PB11), the first review
deadline (PB13), and section J of the plan (PB16)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ehc import timescales
from ehc.models import Deadline, EHCPlan
from personal_budgets import services
from personal_budgets.models import (
    BudgetComponent,
    BudgetNotice,
    DirectPaymentDecision,
    Domain,
    Mechanism,
    PersonalBudget,
)
from tests.personal_budgets.conftest import (
    TODAY,
    agree_mixed,
    ask,
    counts,
    dp_terms,
    speech_therapy_dp,
    teaching_assistant_managed,
)

pytestmark = pytest.mark.django_db


def refused(call, **kwargs) -> ValidationError:
    before = counts()
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    assert counts() == before, "refused input must save nothing"
    return caught.value


# -- bad input on a part ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("-0.01"), services.AMOUNT_NEGATIVE),
        (Decimal("-250"), services.AMOUNT_NEGATIVE),
        (12.5, services.AMOUNT_NOT_NUMBER),  # a float is never money
        ("1500", services.AMOUNT_NOT_NUMBER),
        (Decimal("NaN"), services.AMOUNT_NOT_NUMBER),
        (Decimal("Infinity"), services.AMOUNT_NOT_NUMBER),
        (Decimal("10.005"), services.AMOUNT_PENNIES),
        (True, services.AMOUNT_NOT_NUMBER),
    ],
)
def test_negative_or_non_numeric_amounts_are_refused(requested, caseworker, amount, message):
    error = refused(
        services.component_save,
        budget=requested,
        acting_user=caseworker,
        details=teaching_assistant_managed(amount=amount),
    )
    assert error.message_dict == {"amount": [message]}


def test_the_amount_is_kept_as_decimal_pounds_and_pence(requested, caseworker):
    part = services.component_save(
        budget=requested,
        acting_user=caseworker,
        details=teaching_assistant_managed(amount=Decimal("9500.5")),
    )
    part.refresh_from_db()
    assert part.amount == Decimal("9500.50") and isinstance(part.amount, Decimal)


def test_a_direct_payment_for_a_school_place_is_refused(requested, caseworker, school):
    details = speech_therapy_dp(
        agreed_provision="A place at Oakfield Primary", is_school_place=True
    )
    error = refused(
        services.component_save, budget=requested, acting_user=caseworker, details=details
    )
    assert error.message_dict == {"mechanism": [services.DP_SCHOOL_PLACE]}
    # The same place managed by the council is allowed.
    services.component_save(
        budget=requested,
        acting_user=caseworker,
        details=teaching_assistant_managed(is_school_place=True),
    )


def test_the_database_refuses_a_direct_payment_school_place_and_negative_amounts(requested):
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetComponent.objects.create(
            budget=requested,
            domain=Domain.EDUCATION,
            mechanism=Mechanism.DIRECT_PAYMENT,
            is_school_place=True,
            agreed_provision="Place",
            amount=Decimal("1"),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetComponent.objects.create(
            budget=requested,
            domain=Domain.HEALTH,
            mechanism=Mechanism.THIRD_PARTY,
            agreed_provision="Physio",
            amount=Decimal("-1"),
        )


def test_a_direct_payment_in_a_school_needs_the_heads_written_agreement(
    requested, caseworker, school
):
    in_school = {"in_school_or_college": True, "setting": school}
    error = refused(
        services.component_save,
        budget=requested,
        acting_user=caseworker,
        details=speech_therapy_dp(**in_school),
    )
    assert error.message_dict == {"head_agreed_by": [services.DP_NEEDS_HEAD_AGREEMENT]}
    error = refused(
        services.component_save,
        budget=requested,
        acting_user=caseworker,
        details=speech_therapy_dp(**in_school, head_agreed_by="Jo Head"),
    )
    assert error.message_dict == {"head_agreed_by": [services.DP_NEEDS_HEAD_AGREEMENT]}
    error = refused(
        services.component_save,
        budget=requested,
        acting_user=caseworker,
        details=speech_therapy_dp(
            **in_school, head_agreed_by="Jo Head", head_agreed_on=TODAY + timedelta(days=1)
        ),
    )
    assert error.message_dict == {"head_agreed_on": [services.HEAD_AGREED_IN_FUTURE]}
    part = services.component_save(
        budget=requested,
        acting_user=caseworker,
        details=speech_therapy_dp(
            **in_school, head_agreed_by="Jo Head (head teacher)", head_agreed_on=date(2026, 10, 20)
        ),
    )
    assert part.history.first().history_user == caseworker
    # A part the school manages needs no head's agreement.
    services.component_save(
        budget=requested,
        acting_user=caseworker,
        details=teaching_assistant_managed(mechanism=Mechanism.SCHOOL_MANAGED, **in_school),
    )


def test_an_education_direct_payment_says_which_needs_and_outcomes_it_meets(requested, caseworker):
    error = refused(
        services.component_save,
        budget=requested,
        acting_user=caseworker,
        details=speech_therapy_dp(needs_and_outcomes=""),
    )
    assert error.message_dict == {"needs_and_outcomes": [services.DP_NEEDS_OUTCOMES]}


# -- agreeing a mixed budget ---------------------------------------------------------------------


def test_a_mixed_budget_is_agreed_with_its_notice_first_review_and_section_j(requested, caseworker):
    budget = agree_mixed(requested, caseworker)
    assert budget.status == PersonalBudget.Status.AGREED
    assert (budget.dp_recipient, budget.dp_starts_on) == ("parent", date(2026, 11, 16))

    # PB7: the checklist and the officer's reasons are recorded.
    decision = budget.dp_decisions.get()
    assert decision.kind == DirectPaymentDecision.Kind.AGREED
    assert all(met for _, met in decision.conditions())
    assert "managed a social care direct payment" in decision.reasons

    # PB13: first review 3 months after payments start, kept as an app deadline.
    review = Deadline.objects.get(case=budget.case, kind="PB13")
    assert review.source == "personal_budgets"
    assert review.subject_key == f"budget:{budget.pk}"
    assert review.starts_on == date(2026, 11, 16)
    assert review.due_on == timescales.dp_first_review_due(date(2026, 11, 16)) == date(2027, 2, 16)
    assert review.is_open and review.status == Deadline.Status.RUNNING
    assert review.title == "First review of direct payments"

    # PB11: the notice of agreed provision names the provision, the amounts and when paid.
    notice = budget.notices.get(kind=BudgetNotice.Kind.AGREED_PROVISION)
    assert "£12,620.50 a year" in notice.body
    assert "Speech and language therapy, one hour a week. £3,120.00 a year. Direct payment" in (
        notice.body
    )
    assert "Teaching assistant support, 10 hours a week. £9,500.50 a year." in notice.body
    assert (
        "Direct payments of £3,120.00 a year will be paid to the child's parent, starting on "
        "16 November 2026" in notice.body
    )
    assert "When they are paid: Monthly in advance" in notice.body
    assert "by 16 February 2027" in notice.body

    # PB16: the draft plan's section J shows the budget; other sections are untouched.
    plan = EHCPlan.objects.get(case=budget.case)
    assert plan.status == EHCPlan.Status.DRAFT
    assert plan.section_a == "Ada loves maths."
    assert plan.section_i == ""
    j = plan.section_j
    assert "Personal budget agreed on 2 November 2026: £12,620.50 a year in all." in j
    assert "Education: £12,620.50 a year" in j
    assert (
        "- Speech and language therapy, one hour a week: £3,120.00 a year. Direct payment to "
        "the child's parent." in j
    )
    assert "Special educational needs and outcomes the direct payment is to meet: Speech" in j
    assert "Arrangement managed by the council (notional budget)" in j
    assert "Paid to the child's parent. Monthly in advance" in j
    assert "within 3 months of them starting (by 16 February 2027)" in j
    assert plan.history.first().history_user == caseworker


def test_a_budget_with_no_parts_cannot_be_agreed(requested, caseworker):
    error = refused(
        services.budget_agree, budget=requested, agreed_on=TODAY, acting_user=caseworker
    )
    assert error.messages == [services.NO_COMPONENTS]


def test_direct_payments_need_every_pb7_condition_a_recipient_and_a_schedule(requested, caseworker):
    services.component_save(budget=requested, details=speech_therapy_dp(), acting_user=caseworker)
    before = counts()
    cases = [
        (None, None, services.DP_TERMS_NEEDED),
        (dp_terms(recipient=""), "dp_recipient", services.DP_RECIPIENT_NEEDED),
        (dp_terms(recipient="nominee"), "dp_nominee_name", services.NOMINEE_NAME_NEEDED),
        (dp_terms(starts_on=None), "dp_starts_on", services.DP_START_NEEDED),
        (
            dp_terms(starts_on=TODAY - timedelta(days=1)),
            "dp_starts_on",
            services.DP_START_BEFORE_AGREEMENT,
        ),
        (dp_terms(payment_schedule=" "), "dp_payment_schedule", services.DP_SCHEDULE_NEEDED),
        (
            dp_terms(conditions={"uses_for_agreed_provision": True}),
            "conditions",
            services.DP_CONDITIONS_NOT_MET,
        ),
        (dp_terms(reasons=""), "dp_reasons", services.REASONS_NEEDED),
    ]
    for terms, field, message in cases:
        with pytest.raises(ValidationError) as caught:
            services.budget_agree(
                budget=requested, agreed_on=TODAY, direct_payments=terms, acting_user=caseworker
            )
        got = caught.value
        assert (got.message_dict == {field: [message]}) if field else got.messages == [message]
    assert counts() == before


def test_a_nominee_is_named(requested, caseworker):
    services.component_save(budget=requested, details=speech_therapy_dp(), acting_user=caseworker)
    budget = services.budget_agree(
        budget=requested,
        agreed_on=TODAY,
        acting_user=caseworker,
        direct_payments=dp_terms(recipient="nominee", nominee_name="Grace Hopper"),
    )
    assert budget.dp_nominee_name == "Grace Hopper"
    assert "Paid to a nominee, Grace Hopper." in budget.case.plan.section_j


def test_a_managed_only_budget_has_no_direct_payment_review(requested, caseworker):
    services.component_save(
        budget=requested, details=teaching_assistant_managed(), acting_user=caseworker
    )
    budget = services.budget_agree(budget=requested, agreed_on=TODAY, acting_user=caseworker)
    assert not budget.case.deadlines.filter(kind="PB13").exists()
    assert not budget.dp_decisions.exists()
    assert "Arrangements for direct payments" not in budget.case.plan.section_j


def test_no_budget_identified_needs_reasons_and_goes_into_the_letter_and_section_j(
    requested, caseworker
):
    error = refused(
        services.budget_not_identified,
        budget=requested,
        decided_on=TODAY,
        reasons="  ",
        acting_user=caseworker,
    )
    assert error.message_dict == {"reasons": [services.REASONS_NEEDED]}
    reasons = "The therapy is bought as a block contract; taking out a sum would cut it for others."
    budget = services.budget_not_identified(
        budget=requested, decided_on=TODAY, reasons=reasons, acting_user=caseworker
    )
    assert budget.status == PersonalBudget.Status.NOT_IDENTIFIED
    notice = budget.notices.get()
    assert notice.kind == BudgetNotice.Kind.NOT_IDENTIFIED and reasons in notice.body
    assert reasons in budget.case.plan.section_j
    # Decided: parts can no longer be added.
    error = refused(
        services.component_save,
        budget=budget,
        acting_user=caseworker,
        details=teaching_assistant_managed(),
    )
    assert "already been decided" in error.messages[0]


def test_section_j_is_refused_on_a_final_plan_and_says_so(plan_issued, caseworker):
    budget = ask(plan_issued, caseworker, context=PersonalBudget.Context.REVIEW, context_on=TODAY)
    services.component_save(
        budget=budget, details=teaching_assistant_managed(), acting_user=caseworker
    )
    budget = services.budget_agree(budget=budget, agreed_on=TODAY, acting_user=caseworker)
    plan = EHCPlan.objects.get(case=plan_issued)
    assert plan.section_j == ""  # agreed at a review: the final plan is not touched
    error = refused(services.section_j_write, budget=budget, acting_user=caseworker)
    assert error.messages == [services.SECTION_J_PLAN_FINAL]
    assert "final EHC plan has been issued" in error.messages[0]


def test_section_j_follows_the_budget_until_the_plan_is_final(agreed, caseworker):
    case = agreed.case
    services.direct_payments_stop(
        budget=agreed,
        decided_on=TODAY,
        takes_effect_on=TODAY,
        ground="consent_withdrawn",
        reasons="Pat wrote to withdraw consent.",
        acting_user=caseworker,
    )
    case.plan.refresh_from_db()
    assert "Direct payments stop from 2 November 2026." in case.plan.section_j


def test_a_later_budget_replaces_the_one_in_place(agreed, caseworker, make_case):
    from ehc.services.assessment import plan_draft_serve, plan_finalise

    case = agreed.case
    plan_draft_serve(case=case, served_on=TODAY - timedelta(days=40), acting_user=caseworker)
    plan_finalise(
        case=case,
        issued_on=TODAY - timedelta(days=2),
        named_setting=None,
        setting_type="Mainstream",
        acting_user=caseworker,
    )
    case.refresh_from_db()
    later = ask(case, caseworker, context=PersonalBudget.Context.REVIEW, context_on=TODAY)
    services.component_save(
        budget=later, details=teaching_assistant_managed(), acting_user=caseworker
    )
    services.budget_agree(budget=later, agreed_on=TODAY, acting_user=caseworker)
    agreed.refresh_from_db()
    assert agreed.status == PersonalBudget.Status.SUPERSEDED
    first_review = case.deadlines.get(kind="PB13")
    assert first_review.status == Deadline.Status.NOT_NEEDED and not first_review.is_open


def test_a_replaced_budget_is_never_written_into_section_j(agreed, caseworker):
    from ehc.services.assessment import plan_draft_serve, plan_finalise

    case = agreed.case
    plan_draft_serve(case=case, served_on=TODAY - timedelta(days=40), acting_user=caseworker)
    plan_finalise(
        case=case,
        issued_on=TODAY - timedelta(days=2),
        named_setting=None,
        setting_type="Mainstream",
        acting_user=caseworker,
    )
    case.refresh_from_db()
    error = refused(
        ask,
        case=case,
        user=caseworker,
        context=PersonalBudget.Context.REVIEW,
        context_on=TODAY,
        requested_on=TODAY - timedelta(days=3),
    )
    assert "cannot be before the plan" in error.message_dict["requested_on"][0]
    later = ask(case, caseworker, context=PersonalBudget.Context.REVIEW, context_on=TODAY)
    services.component_save(
        budget=later, details=teaching_assistant_managed(), acting_user=caseworker
    )
    services.budget_agree(budget=later, agreed_on=TODAY, acting_user=caseworker)
    agreed.refresh_from_db()
    error = refused(services.section_j_write, budget=agreed, acting_user=caseworker)
    assert error.messages == [services.SECTION_J_REPLACED]
    assert "Personal budget agreed on 2 November 2026: £12,620.50" in (
        services.section_j_text(agreed)
    )
