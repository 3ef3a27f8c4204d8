"""A final plan and an open personal budget request (issue 13, item 5): issuing is refused with a
message naming the open request, unless the caseworker says why the plan goes without it; then
the request stays open and section J says so. Through the service and through the task page,
filled with only what it renders."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from ehc.models import CaseEvent, EHCPlan
from ehc.services.assessment import plan_draft_serve, plan_finalise
from personal_budgets.models import PersonalBudget
from tests.personal_budgets.conftest import TODAY, ask
from tests.sen2.conftest import date_values, error_summary, rendered_form
from tests.workflows.conftest import register, task_url, walker_for  # noqa: F401  (fixtures)
from tests.workflows.test_assessment_flow import (
    draft_and_serve,
    gather_all_advice,
    notify_and_decide,
)

pytestmark = pytest.mark.django_db


def test_the_service_refuses_naming_the_request_and_changes_nothing(requested, caseworker):
    case = requested.case
    plan_draft_serve(case=case, served_on=TODAY - timedelta(days=40), acting_user=caseworker)
    events = case.events.count()
    with pytest.raises(ValidationError) as refused:
        plan_finalise(
            case=case,
            issued_on=TODAY,
            named_setting=None,
            setting_type="Mainstream primary school",
            acting_user=caseworker,
        )
    message = " ".join(refused.value.messages)
    on = requested.requested_on
    assert f"The personal budget request made on {on.day} {on:%B %Y} is still open" in message
    assert case.events.count() == events
    assert EHCPlan.objects.get(case=case).status == EHCPlan.Status.DRAFT


def test_with_a_reason_the_plan_goes_and_section_j_says_why(requested, caseworker):
    case = requested.case
    plan_draft_serve(case=case, served_on=TODAY - timedelta(days=40), acting_user=caseworker)
    plan_finalise(
        case=case,
        issued_on=TODAY,
        named_setting=None,
        setting_type="Mainstream primary school",
        acting_user=caseworker,
        without_reason="The family asked for the plan not to wait for the budget",
    )
    plan = EHCPlan.objects.get(case=case)
    assert plan.status == EHCPlan.Status.FINAL
    assert "A personal budget was requested on" in plan.section_j
    assert "because: The family asked for the plan not to wait for the budget." in plan.section_j
    requested.refresh_from_db()
    assert requested.status == PersonalBudget.Status.REQUESTED  # the request stays open
    issued = case.events.get(kind=CaseEvent.Kind.FINAL_PLAN_ISSUED)
    assert issued.details["issued_without_reason"].startswith("The family asked")
    assert issued.details["issued_without"][0]["key"] == f"personal_budget:{requested.pk}"


def test_the_task_page_asks_why_and_refuses_without_an_answer(
    register,  # noqa: F811
    walker_for,  # noqa: F811
    client,
    caseworker,
):
    case = register()
    walk = walker_for(case)
    notify_and_decide(walk, assess=True, decided_on=date(2026, 4, 6))
    gather_all_advice(walk, date(2026, 4, 8), date(2026, 5, 15))
    draft_and_serve(walk, served_on=date(2026, 6, 10))
    walk.post("consult_settings", {"action": "done"})
    budget = ask(case, caseworker, requested_on=date(2026, 6, 12))

    task = walk.take("issue_final_plan")
    url = task_url(case, task)
    form = rendered_form(client.get(url))
    assert "without_reason" in form.fields
    values = {**date_values("issued_on", date(2026, 7, 10)), "setting_type": "Mainstream"}
    refused = client.post(url, form.fill({**values, "without_reason": ""}))
    assert refused.status_code == 200
    assert "personal budget request made on 12 June 2026 is still open" in error_summary(refused)
    assert EHCPlan.objects.get(case=case).status == EHCPlan.Status.DRAFT

    form = rendered_form(refused)
    reason = "The tribunal timetable needs the plan now."
    response = client.post(url, form.fill({**values, "without_reason": reason}))
    assert response.status_code == 302, error_summary(response)
    plan = EHCPlan.objects.get(case=case)
    assert plan.status == EHCPlan.Status.FINAL and reason in plan.section_j
    budget.refresh_from_db()
    assert budget.status == PersonalBudget.Status.REQUESTED
