"""Requests (PB1, PB2): accepted while a plan is drafted, reviewed or reassessed; refused with a
reason at any other time, and then nothing is saved."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from viewflow.workflow.models import Task

from ehc.models import CaseEvent
from ehc.services.assessment import case_close
from personal_budgets import services
from personal_budgets.flows import PersonalBudgetFlow
from personal_budgets.models import PersonalBudget
from tests.personal_budgets.conftest import TODAY, ask, assessing_case, counts

pytestmark = pytest.mark.django_db
Context = PersonalBudget.Context


def refused(call, **kwargs) -> ValidationError:
    before = counts()
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    assert counts() == before, "a refused request must save nothing"
    return caught.value


def test_a_request_while_drafting_is_recorded_with_a_task_and_a_timeline_entry(
    drafting, caseworker
):
    budget = ask(drafting, caseworker)
    assert budget.status == PersonalBudget.Status.REQUESTED
    assert budget.context_on == TODAY
    task = Task.objects.get(
        process__seed_object_id=budget.pk, flow_task=PersonalBudgetFlow.prepare_budget
    )
    assert task.process.artifact == drafting
    assert task.owner == caseworker  # the case's caseworker gets it straight away
    note = drafting.events.filter(kind=CaseEvent.Kind.NOTE).last()
    assert "Personal budget requested by the child's parent" in note.summary


def test_a_request_before_the_decision_to_issue_is_refused(make_case, caseworker):
    case = assessing_case(make_case, caseworker)
    error = refused(ask, case=case, user=caseworker)
    assert "once the council has decided to issue an EHC plan" in error.messages[0]
    assert "gathering advice" in error.messages[0]


def test_a_drafting_request_after_the_final_plan_is_refused(plan_issued, caseworker):
    error = refused(ask, case=plan_issued, user=caseworker)
    assert error.messages == [services.PLAN_ALREADY_FINAL]


def test_a_request_at_a_review_of_a_final_plan_is_accepted_with_its_date(plan_issued, caseworker):
    budget = ask(plan_issued, caseworker, context=Context.REVIEW, context_on=TODAY)
    assert (budget.context, budget.context_on) == (Context.REVIEW, TODAY)


def test_a_review_request_needs_a_final_plan_and_the_review_date(drafting, plan_issued, caseworker):
    error = refused(
        ask, case=drafting, user=caseworker, context=Context.REASSESSMENT, context_on=TODAY
    )
    assert error.messages == [services.NO_PLAN_TO_REVIEW]
    error = refused(ask, case=plan_issued, user=caseworker, context=Context.REVIEW)
    assert error.message_dict == {"context_on": [services.CONTEXT_DATE_NEEDED]}
    error = refused(
        ask,
        case=plan_issued,
        user=caseworker,
        context=Context.REVIEW,
        context_on=TODAY - timedelta(days=30),
    )
    assert "cannot be before the plan was issued" in error.message_dict["context_on"][0]


def test_a_closed_case_cannot_have_a_budget(drafting, caseworker):
    case_close(
        case=drafting,
        kind=CaseEvent.Kind.WITHDRAWN,
        closed_on=TODAY,
        reason="Moved abroad",
        acting_user=caseworker,
    )
    drafting.refresh_from_db()
    error = refused(ask, case=drafting, user=caseworker)
    assert error.messages == [services.NO_PLAN_MAINTAINED]


def test_only_a_parent_or_the_young_person_may_ask(drafting, caseworker):
    error = refused(ask, case=drafting, user=caseworker, requested_by="school")
    assert error.message_dict == {"requested_by": [services.UNKNOWN_REQUESTER]}


def test_a_second_request_while_one_is_being_prepared_is_refused(requested, caseworker):
    error = refused(ask, case=requested.case, user=caseworker)
    assert "still being prepared" in error.messages[0]


def test_dates_in_the_future_or_before_the_decision_to_issue_are_refused(drafting, caseworker):
    error = refused(ask, case=drafting, user=caseworker, requested_on=TODAY + timedelta(days=1))
    assert error.message_dict == {"requested_on": [services.IN_FUTURE]}
    error = refused(ask, case=drafting, user=caseworker, requested_on=TODAY - timedelta(days=61))
    assert "before the decision to issue a plan" in error.message_dict["requested_on"][0]


def test_the_one_open_request_rule_holds_in_the_database_too(requested):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        PersonalBudget.objects.create(
            case=requested.case,
            context=Context.DRAFT,
            context_on=TODAY,
            requested_on=TODAY,
            requested_by="parent",
            source="caseworker",
        )


def test_closing_the_case_cancels_the_prepare_task(requested, caseworker):
    from viewflow.workflow.status import PROCESS

    from workflows.services import case_close_with_flow

    case_close_with_flow(
        case=requested.case,
        kind=CaseEvent.Kind.WITHDRAWN,
        closed_on=TODAY,
        reason="Withdrawn",
        acting_user=caseworker,
    )
    task = Task.objects.get(
        process__seed_object_id=requested.pk, flow_task=PersonalBudgetFlow.prepare_budget
    )
    assert task.process.status == PROCESS.CANCELED
