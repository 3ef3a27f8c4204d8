"""Personal budgets through the real pages: a parent asks on the family pages, the task reaches
the caseworker's queue, the caseworker builds and agrees a mixed budget, the plan's section J and
the case's PB13 deadline show it, and the family sees it. Plus access checks and bad input."""

from datetime import date

import pytest
from django.urls import reverse
from viewflow.workflow.models import Task

from ehc.models import Contact, EHCPlan
from ehc.register.selectors import setting_label
from personal_budgets.flows import PersonalBudgetFlow
from personal_budgets.models import BudgetComponent, PersonalBudget
from tests.personal_budgets.conftest import (
    TODAY,
    ask,
    counts,
    date_fields,
    drafting_case,
)

pytestmark = pytest.mark.django_db


def errors(response) -> str:
    text = response.content.decode()
    start = text.find("govuk-error-summary")
    return text[start : start + 2000] if start >= 0 else text[:1500]


def prepare_task(budget) -> Task:
    return Task.objects.get(
        process__seed_object_id=budget.pk, flow_task=PersonalBudgetFlow.prepare_budget
    )


def component_data(**overrides) -> dict:
    data = {
        "domain": "education",
        "mechanism": "council_managed",
        "agreed_provision": "Teaching assistant support, 10 hours a week",
        "amount": "£9,500.50",
        "needs_and_outcomes": "",
        "setting": "",
        "head_agreed_by": "",
        **date_fields("head_agreed_on", TODAY),
        "head_agreed_on_0": "",
        "head_agreed_on_1": "",
        "head_agreed_on_2": "",
    }
    data.update(overrides)
    return data


def test_the_done_journey(client, parent_user, caseworker, drafting):
    # 1. The parent asks on their own pages.
    client.force_login(parent_user)
    case_page = client.get(reverse("family:case_detail", args=[drafting.pk])).content.decode()
    assert "Ask for a personal budget" in case_page
    ask_url = reverse("personal_budgets_family:ask", args=[drafting.pk])
    response = client.post(
        ask_url, {"request_details": "Speech therapy at home", "preference": "combination"}
    )
    assert response.status_code == 302, errors(response)
    budget = PersonalBudget.objects.get(case=drafting)
    assert (budget.requested_by, budget.source) == ("parent", "family")
    assert budget.requester_name == "Pat Lovelace"
    assert budget.recorded_by == parent_user
    page = client.get(response["Location"]).content.decode()
    assert "We are preparing your personal budget" in page

    # 2. The task is in the caseworker's queue.
    client.force_login(caseworker)
    queue = client.get(reverse("workflows:queue")).content.decode()
    task = prepare_task(budget)
    assert reverse("workflows:task", args=[drafting.pk, task.pk]) in queue
    assert "Prepare the personal budget (PB1)" in queue

    # 3. The caseworker adds a direct payment and a managed arrangement, then agrees.
    task_url = reverse("workflows:task", args=[drafting.pk, task.pk])
    assert "Add a part to the budget" in client.get(task_url).content.decode()
    new_part = reverse("personal_budgets:component_new", args=[drafting.pk, budget.pk])
    response = client.post(
        new_part,
        component_data(
            mechanism="direct_payment",
            agreed_provision="Speech and language therapy, weekly",
            amount="3120",
            needs_and_outcomes="Speech needs (B); to speak up in class (E).",
        ),
    )
    assert response.status_code == 302 and response["Location"] == task_url, errors(response)
    assert client.post(new_part, component_data()).status_code == 302
    page = client.get(task_url).content.decode()
    assert "£12,620.50 a year" in page
    assert "Who receives the direct payments?" in page  # direct-payment terms are asked for
    agree = {
        "action": "agree",
        **{
            f"agree-{k}": v
            for k, v in {
                **date_fields("agreed_on", TODAY),
                "dp_recipient": "parent",
                "dp_nominee_name": "",
                **date_fields("dp_starts_on", date(2026, 11, 16)),
                "dp_payment_schedule": "Monthly in advance",
                "dp_reasons": "Pat manages a social care direct payment well.",
            }.items()
        },
        "agree-conditions": [
            "uses_for_agreed_provision",
            "acts_in_best_interests",
            "payments_appropriate",
            "no_adverse_impact",
            "efficient_use",
        ],
    }
    response = client.post(task_url, agree)
    assert response.status_code == 302, errors(response)
    assert response["Location"] == reverse("personal_budgets:budget", args=[drafting.pk, budget.pk])
    budget.refresh_from_db()
    assert budget.status == PersonalBudget.Status.AGREED
    assert prepare_task(budget).process.status == "DONE"

    # 4. Section J and the first-review deadline (PB13) are on the case page.
    case_page = client.get(reverse("ehc:case_detail", args=[drafting.pk])).content.decode()
    section_j = EHCPlan.objects.get(case=drafting).section_j
    assert "Speech and language therapy, weekly: £3,120.00 a year. Direct payment" in section_j
    assert "Arrangement managed by the council" in section_j
    assert "Personal budget agreed on 2 November 2026" in case_page
    assert "First review of direct payments" in case_page and "16 Feb 2027" in case_page
    assert "PB13" in case_page

    # 5. The family sees the budget, how each part is managed, and the amounts.
    client.force_login(parent_user)
    page = client.get(reverse("personal_budgets_family:budget", args=[drafting.pk]))
    text = page.content.decode()
    assert "£12,620.50 a year" in text
    assert "Speech and language therapy, weekly" in text and "£3,120.00" in text
    assert "Direct payment" in text and "Arrangement managed by the council" in text
    assert "16 February 2027" in text  # when the first review is due
    assert "Personal budget agreed (notice of agreed provision)" in text
    family_case = client.get(reverse("family:case_detail", args=[drafting.pk])).content.decode()
    assert "Your personal budget is £12,620.50 a year" in family_case
    assert "First review of direct payments" in family_case  # in "Dates we must meet"
    notice = budget.notices.get()
    letter = client.get(reverse("personal_budgets_family:notice", args=[drafting.pk, notice.pk]))
    assert "When they are paid: Monthly in advance" in letter.content.decode()


def test_the_family_is_told_when_they_cannot_ask(client, parent_user, make_case, caseworker):
    from tests.personal_budgets.conftest import assessing_case

    case = assessing_case(make_case, caseworker, parent_user)
    client.force_login(parent_user)
    url = reverse("personal_budgets_family:ask", args=[case.pk])
    page = client.get(url).content.decode()
    assert "You cannot ask for a personal budget on this case now" in page
    before = counts()
    response = client.post(url, {"preference": "direct_payment"})
    assert response.status_code == 200
    assert "once the council has decided to issue an EHC plan" in errors(response)
    assert counts() == before


def test_a_family_contact_who_is_not_a_parent_cannot_ask(client, parent_user, drafting):
    Contact.objects.filter(user=parent_user).update(relationship=Contact.Relationship.OTHER)
    client.force_login(parent_user)
    before = counts()
    response = client.post(
        reverse("personal_budgets_family:ask", args=[drafting.pk]), {"preference": "not_sure"}
    )
    assert response.status_code == 200
    assert "Only the child&#x27;s parent or the young person" in errors(response)
    assert counts() == before


def test_another_familys_budget_pages_are_not_found(client, other_parent, requested, agreed):
    client.force_login(other_parent)
    case = agreed.case
    for url in [
        reverse("personal_budgets_family:budget", args=[case.pk]),
        reverse("personal_budgets_family:ask", args=[case.pk]),
        reverse("personal_budgets_family:notice", args=[case.pk, agreed.notices.get().pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_staff_of_another_team_get_not_found_and_parents_are_forbidden(
    client, other_caseworker, parent_user, agreed
):
    case = agreed.case
    urls = [
        reverse("personal_budgets:budget", args=[case.pk, agreed.pk]),
        reverse("personal_budgets:request", args=[case.pk]),
        reverse("personal_budgets:review", args=[case.pk, agreed.pk]),
    ]
    client.force_login(other_caseworker)
    for url in urls:
        assert client.get(url).status_code == 404, url
    client.force_login(parent_user)
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_a_budget_id_under_another_case_is_not_found(client, caseworker, agreed, make_case):
    other = drafting_case(make_case, caseworker)
    client.force_login(caseworker)
    url = reverse("personal_budgets:budget", args=[other.pk, agreed.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount": "-5"}, "The amount cannot be negative."),
        ({"amount": "twelve pounds"}, "Enter the amount as a number of pounds"),
        ({"amount": "10.005"}, "at most two decimal places"),
        (
            {
                "mechanism": "direct_payment",
                "is_school_place": "on",
                "needs_and_outcomes": "Reading",
            },
            "cannot be used for a place at a school",
        ),
        (
            {
                "mechanism": "direct_payment",
                "in_school_or_college": "on",
                "setting": "SCHOOL",
                "needs_and_outcomes": "Reading",
            },
            "needs the written agreement of its head teacher",
        ),
    ],
)
def test_bad_parts_are_refused_on_the_page_and_nothing_is_saved(
    client, caseworker, requested, school, overrides, message
):
    if overrides.get("setting") == "SCHOOL":
        overrides["setting"] = setting_label(school)
    client.force_login(caseworker)
    before = counts()
    response = client.post(
        reverse("personal_budgets:component_new", args=[requested.case_id, requested.pk]),
        component_data(**overrides),
    )
    assert response.status_code == 200
    assert message.replace("'", "&#x27;") in errors(response)
    assert counts() == before


def test_a_caseworker_records_a_request_made_at_a_review(client, caseworker, plan_issued):
    client.force_login(caseworker)
    url = reverse("personal_budgets:request", args=[plan_issued.pk])
    data = {
        "context": "review",
        **date_fields("context_on", TODAY),
        **date_fields("requested_on", TODAY),
        "requested_by": "young_person",
        "requester_name": "Ada",
        "request_details": "",
        "preference": "direct_payment",
    }
    response = client.post(url, {**data, "context": "draft"})
    assert response.status_code == 200
    assert "no longer being drafted" in errors(response)
    response = client.post(url, data)
    assert response.status_code == 302, errors(response)
    budget = PersonalBudget.objects.get(case=plan_issued)
    assert (budget.context, budget.source, budget.requested_by) == (
        "review",
        "caseworker",
        "young_person",
    )


def test_the_budget_page_offers_reduce_stop_review_and_reconsideration(client, caseworker, agreed):
    client.force_login(caseworker)
    case = agreed.case
    page = client.get(reverse("personal_budgets:budget", args=[case.pk, agreed.pk]))
    text = page.content.decode()
    assert "Reduce a direct payment (PB14)" in text and "Stop direct payments (PB15)" in text
    assert "The draft plan's section J shows this text." in text
    part = agreed.components.get(mechanism="direct_payment")
    response = client.post(
        reverse("personal_budgets:reduce", args=[case.pk, agreed.pk]),
        {
            "component": part.pk,
            "new_amount": "2600",
            **date_fields("decided_on", TODAY),
            **date_fields("takes_effect_on", date(2026, 12, 1)),
            "reasons": "Fewer sessions needed.",
        },
    )
    assert response.status_code == 302, errors(response)
    decision = agreed.dp_decisions.get(kind="reduced")
    url = reverse("personal_budgets:reconsideration", args=[case.pk, agreed.pk, decision.pk])
    assert client.post(url, date_fields("requested_on", TODAY)).status_code == 302
    response = client.post(
        url,
        {
            "outcome": "upheld",
            **date_fields("reconsidered_on", TODAY),
            "reasons": "The therapist agrees.",
        },
    )
    assert response.status_code == 302, errors(response)
    before = counts()
    response = client.post(url, date_fields("requested_on", TODAY))
    assert response.status_code == 200
    assert "a second request is refused" in errors(response)
    assert counts() == before


def test_section_j_button_on_a_final_plan_says_why_not(client, caseworker, plan_issued):
    from personal_budgets import services
    from tests.personal_budgets.conftest import teaching_assistant_managed

    budget = ask(plan_issued, caseworker, context="review", context_on=TODAY)
    services.component_save(
        budget=budget, details=teaching_assistant_managed(), acting_user=caseworker
    )
    services.budget_agree(budget=budget, agreed_on=TODAY, acting_user=caseworker)
    client.force_login(caseworker)
    url = reverse("personal_budgets:budget", args=[plan_issued.pk, budget.pk])
    assert "changes only through an amendment" in client.get(url).content.decode()
    response = client.post(
        reverse("personal_budgets:section_j", args=[plan_issued.pk, budget.pk]), follow=True
    )
    assert "section J cannot be changed here" in response.content.decode()
    assert EHCPlan.objects.get(case=plan_issued).section_j == ""


def test_not_identified_through_the_task_page(client, caseworker, requested):
    client.force_login(caseworker)
    task_url = reverse("workflows:task", args=[requested.case_id, prepare_task(requested).pk])
    response = client.post(
        task_url,
        {
            "action": "not_identified",
            **{f"not_identified-{k}": v for k, v in date_fields("decided_on", TODAY).items()},
            "not_identified-reasons": "",
        },
    )
    assert response.status_code == 200 and "Enter why no budget can be identified" in errors(
        response
    )
    response = client.post(
        task_url,
        {
            "action": "not_identified",
            **{f"not_identified-{k}": v for k, v in date_fields("decided_on", TODAY).items()},
            "not_identified-reasons": "Block contract.",
        },
    )
    assert response.status_code == 302, errors(response)
    requested.refresh_from_db()
    assert requested.status == PersonalBudget.Status.NOT_IDENTIFIED
    assert prepare_task(requested).process.status == "DONE"


def test_agreeing_on_the_task_page_without_the_conditions_is_refused(client, caseworker, requested):
    from personal_budgets import services
    from tests.personal_budgets.conftest import speech_therapy_dp

    services.component_save(budget=requested, details=speech_therapy_dp(), acting_user=caseworker)
    client.force_login(caseworker)
    task_url = reverse("workflows:task", args=[requested.case_id, prepare_task(requested).pk])
    before = counts()
    response = client.post(
        task_url,
        {
            "action": "agree",
            **{
                f"agree-{k}": v
                for k, v in {
                    **date_fields("agreed_on", TODAY),
                    "dp_recipient": "parent",
                    **date_fields("dp_starts_on", TODAY),
                    "dp_payment_schedule": "Monthly",
                    "dp_reasons": "Fine.",
                }.items()
            },
            "agree-conditions": ["uses_for_agreed_provision"],
        },
    )
    assert response.status_code == 200
    assert "must be satisfied of every condition" in errors(response)
    assert counts() == before
    assert BudgetComponent.objects.filter(budget=requested).count() == 1
