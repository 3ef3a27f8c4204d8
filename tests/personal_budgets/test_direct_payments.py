"""Direct payments after the request: refusal with a review on request and no Tribunal (PB10),
reduction and stopping with written notice and one reconsideration (PB12, PB14, PB15), and the
reviews that meet the first-review deadline (PB13)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ehc.models import Deadline
from personal_budgets import services
from personal_budgets.models import BudgetNotice, DirectPaymentDecision, PersonalBudget
from tests.personal_budgets.conftest import TODAY, counts, dp_terms, speech_therapy_dp

pytestmark = pytest.mark.django_db
Kind, Outcome = DirectPaymentDecision.Kind, DirectPaymentDecision.Outcome


def refused(call, **kwargs) -> ValidationError:
    before = counts()
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    assert counts() == before, "refused input must save nothing"
    return caught.value


def refuse(budget, caseworker):
    return services.direct_payments_refuse(
        budget=budget,
        decided_on=TODAY,
        acting_user=caseworker,
        conditions={"uses_for_agreed_provision": True, "acts_in_best_interests": True},
        reasons="The therapy service cannot take private bookings this year.",
    )


# -- refusal (PB10) -----------------------------------------------------------------------------


def test_a_refusal_gives_reasons_a_review_on_request_and_no_tribunal_route(requested, caseworker):
    decision = refuse(requested, caseworker)
    notice = requested.notices.get(kind=BudgetNotice.Kind.DP_REFUSED)
    body = notice.body
    assert "cannot take private bookings" in body
    assert "- Direct payments are an appropriate way to secure the provision" in body  # unmet
    assert "You can ask us to review this decision" in body
    assert "You cannot appeal to the First-tier Tribunal" in body
    # Never offered as a route: no appeal date, no mediation, no "you can appeal".
    assert "You can appeal" not in body and "mediation" not in body.lower()
    assert "appeal by" not in body.lower()
    assert decision.kind == Kind.REFUSED and decision.decided_by == caseworker


def test_refusal_needs_reasons(requested, caseworker):
    error = refused(
        services.direct_payments_refuse,
        budget=requested,
        decided_on=TODAY,
        reasons="",
        acting_user=caseworker,
    )
    assert error.message_dict == {"reasons": [services.REASONS_NEEDED]}


def test_a_refusal_in_force_blocks_direct_payments_until_a_review_changes_it(requested, caseworker):
    decision = refuse(requested, caseworker)
    services.component_save(budget=requested, details=speech_therapy_dp(), acting_user=caseworker)
    error = refused(
        services.budget_agree,
        budget=requested,
        agreed_on=TODAY,
        direct_payments=dp_terms(),
        acting_user=caseworker,
    )
    assert "Direct payments were refused on 2 November 2026" in error.messages[0]

    services.reconsideration_request_record(
        decision=decision, requested_on=TODAY, acting_user=caseworker
    )
    services.reconsideration_decide(
        decision=decision,
        reconsidered_on=TODAY,
        outcome=Outcome.CHANGED,
        reasons="The family found a provider; the service objection no longer applies.",
        acting_user=caseworker,
    )
    budget = services.budget_agree(
        budget=requested, agreed_on=TODAY, direct_payments=dp_terms(), acting_user=caseworker
    )
    assert budget.status == PersonalBudget.Status.AGREED
    letter = requested.notices.get(kind=BudgetNotice.Kind.RECONSIDERED).body
    assert "We have changed our decision" in letter and "First-tier Tribunal" in letter


# -- reduce (PB12, PB14) ------------------------------------------------------------------------


def reduce(agreed, caseworker, **overrides):
    fields = {
        "budget": agreed,
        "component": agreed.components.get(mechanism="direct_payment"),
        "new_amount": Decimal("2600.00"),
        "decided_on": TODAY,
        "takes_effect_on": TODAY + timedelta(days=28),
        "reasons": "Fewer sessions are needed now; £2,600 still secures the agreed provision.",
        "acting_user": caseworker,
    }
    fields.update(overrides)
    return services.direct_payments_reduce(**fields)


def test_a_reduction_gives_written_notice_and_changes_the_amount(agreed, caseworker):
    decision = reduce(agreed, caseworker)
    part = agreed.components.get(mechanism="direct_payment")
    assert part.amount == Decimal("2600.00")
    assert (decision.previous_amount, decision.new_amount) == (
        Decimal("3120.00"),
        Decimal("2600.00"),
    )
    body = agreed.notices.get(kind=BudgetNotice.Kind.DP_REDUCED).body
    assert "from £3,120.00 to £2,600.00 a year from 30 November 2026" in body
    assert "You can ask us to reconsider this once" in body
    assert "£2,600.00 a year" in agreed.case.plan.section_j


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"new_amount": Decimal("-1")}, "new_amount", services.AMOUNT_NEGATIVE),
        ({"new_amount": 100.0}, "new_amount", services.AMOUNT_NOT_NUMBER),
        (
            {"new_amount": Decimal("3120.00")},
            "new_amount",
            services.REDUCE_NOT_LOWER.format(amount="£3,120.00"),
        ),
        ({"takes_effect_on": TODAY}, "takes_effect_on", services.REDUCE_NOTICE_NEEDED),
        ({"takes_effect_on": TODAY - timedelta(days=1)}, "takes_effect_on", services.NOTICE_NEEDED),
        ({"reasons": ""}, "reasons", services.REASONS_NEEDED),
    ],
)
def test_bad_reductions_are_refused(agreed, caseworker, overrides, field, message):
    error = refused(reduce, agreed=agreed, caseworker=caseworker, **overrides)
    assert error.message_dict == {field: [message]}


def test_only_a_direct_payment_part_can_be_reduced(agreed, caseworker):
    managed = agreed.components.get(mechanism="council_managed")
    error = refused(reduce, agreed=agreed, caseworker=caseworker, component=managed)
    assert error.message_dict == {"component": [services.NOT_A_DIRECT_PAYMENT]}


def test_one_reconsideration_only(agreed, caseworker):
    decision = reduce(agreed, caseworker)
    services.reconsideration_request_record(
        decision=decision, requested_on=TODAY, acting_user=caseworker
    )
    error = refused(
        services.reconsideration_request_record,
        decision=decision,
        requested_on=TODAY,
        acting_user=caseworker,
    )
    assert "a second request is refused" in error.messages[0]
    services.reconsideration_decide(
        decision=decision,
        reconsidered_on=TODAY,
        outcome=Outcome.UPHELD,
        reasons="The therapist's report shows fewer sessions are enough.",
        acting_user=caseworker,
    )
    # Once decided, a further request is still the second one.
    error = refused(
        services.reconsideration_request_record,
        decision=decision,
        requested_on=TODAY,
        acting_user=caseworker,
    )
    assert "a second request is refused" in error.messages[0]
    error = refused(
        services.reconsideration_decide,
        decision=decision,
        reconsidered_on=TODAY,
        outcome=Outcome.CHANGED,
        reasons="Again",
        acting_user=caseworker,
    )
    assert "already been reconsidered" in error.messages[0]
    letter = agreed.notices.get(kind=BudgetNotice.Kind.RECONSIDERED).body
    assert "stands" in letter and "one reconsideration the regulations provide for" in letter


def test_a_changed_reduction_restores_the_amount(agreed, caseworker):
    decision = reduce(agreed, caseworker)
    services.reconsideration_request_record(
        decision=decision, requested_on=TODAY, acting_user=caseworker
    )
    services.reconsideration_decide(
        decision=decision,
        reconsidered_on=TODAY,
        outcome=Outcome.CHANGED,
        reasons="New evidence.",
        acting_user=caseworker,
    )
    assert agreed.components.get(mechanism="direct_payment").amount == Decimal("3120.00")


def test_the_agreement_itself_cannot_be_reconsidered(agreed, caseworker):
    error = refused(
        services.reconsideration_request_record,
        decision=agreed.dp_decisions.get(kind=Kind.AGREED),
        requested_on=TODAY,
        acting_user=caseworker,
    )
    assert error.messages == [services.NOT_RECONSIDERABLE]


# -- stop (PB15) and reviews (PB13) -------------------------------------------------------------


def test_stopping_gives_notice_and_stands_down_the_first_review(agreed, caseworker):
    error = refused(
        services.direct_payments_stop,
        budget=agreed,
        decided_on=TODAY,
        takes_effect_on=TODAY,
        ground="inefficient",
        reasons="Costs more.",
        acting_user=caseworker,
    )
    assert error.message_dict == {"takes_effect_on": [services.STOP_NOTICE_NEEDED]}
    decision = services.direct_payments_stop(
        budget=agreed,
        decided_on=TODAY,
        takes_effect_on=date(2026, 12, 1),
        ground="inefficient",
        reasons="The council's own service now costs less for the same sessions.",
        acting_user=caseworker,
    )
    agreed.refresh_from_db()
    assert agreed.dp_stopped_on == date(2026, 12, 1)
    first = agreed.case.deadlines.get(kind="PB13")
    assert first.status == Deadline.Status.NOT_NEEDED and not first.is_open
    assert "You cannot appeal to the First-tier Tribunal" in (
        agreed.notices.get(kind=BudgetNotice.Kind.DP_STOPPED).body
    )
    error = refused(
        services.direct_payments_stop,
        budget=agreed,
        decided_on=TODAY,
        takes_effect_on=TODAY,
        ground="consent_withdrawn",
        reasons="x",
        acting_user=caseworker,
    )
    assert "stopped on 1 December 2026" in error.messages[0]
    # A changed stop restarts payments and the first review again.
    services.reconsideration_request_record(
        decision=decision, requested_on=TODAY, acting_user=caseworker
    )
    services.reconsideration_decide(
        decision=decision,
        reconsidered_on=TODAY,
        outcome=Outcome.CHANGED,
        reasons="Costs were miscounted.",
        acting_user=caseworker,
    )
    agreed.refresh_from_db()
    assert agreed.dp_stopped_on is None
    assert agreed.case.deadlines.get(kind="PB13").status == Deadline.Status.RUNNING


def test_the_first_review_meets_the_deadline_and_later_ones_are_recorded(agreed, caseworker):
    import time_machine

    from tests.conftest import london

    with time_machine.travel(london(2027, 2, 10, 12), tick=False):
        error = refused(
            services.direct_payment_review_record,
            budget=agreed,
            occasion="first",
            reviewed_on=date(2026, 11, 10),
            findings="Early",
            acting_user=caseworker,
        )
        assert "cannot be before direct payments started" in error.message_dict["reviewed_on"][0]
        services.direct_payment_review_record(
            budget=agreed,
            occasion="first",
            reviewed_on=date(2027, 2, 9),
            findings="Sessions are booked weekly; receipts kept.",
            acting_user=caseworker,
        )
        first = agreed.case.deadlines.get(kind="PB13")
        assert first.met_on == date(2027, 2, 9) and first.status == Deadline.Status.MET
        services.direct_payment_review_record(
            budget=agreed,
            occasion="on_request",
            reviewed_on=date(2027, 2, 10),
            findings="Pat asked to change provider; agreed.",
            acting_user=caseworker,
        )
    first.refresh_from_db()
    assert first.met_on == date(2027, 2, 9)  # a later review does not move it
    assert agreed.dp_reviews.count() == 2


def test_a_late_first_review_shows_as_missed(agreed, caseworker):
    import time_machine

    from ehc.services import deadlines_refresh_statuses
    from tests.conftest import london

    with time_machine.travel(london(2027, 2, 20, 12), tick=False):
        deadlines_refresh_statuses()
        assert agreed.case.deadlines.get(kind="PB13").status == Deadline.Status.BREACHED
        services.direct_payment_review_record(
            budget=agreed,
            occasion="first",
            reviewed_on=date(2027, 2, 19),
            findings="Late.",
            acting_user=caseworker,
        )
    first = agreed.case.deadlines.get(kind="PB13")
    assert (first.status, first.is_open) == (Deadline.Status.BREACHED, False)


def test_no_review_without_direct_payments(requested, caseworker):
    error = refused(
        services.direct_payment_review_record,
        budget=requested,
        occasion="first",
        reviewed_on=TODAY,
        findings="x",
        acting_user=caseworker,
    )
    assert error.messages == [services.NO_DIRECT_PAYMENTS]
