"""Personal budgets in the browser: a parent asks for a budget on their draft plan (axe-core,
WCAG 2.2 A and AA, blank, with an error, and sent), a caseworker agrees a mixed budget, and the
family sees it. The staff pages are checked with axe-core too."""

import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from viewflow.workflow.models import Task

from personal_budgets.flows import PersonalBudgetFlow
from personal_budgets.models import DirectPaymentDecision, PersonalBudget
from tests.e2e.conftest import assert_accessible, snap
from tests.family.builders import case_with_draft_plan
from tests.security_support import browser_sign_in

GIAS = Path(__file__).parent.parent / "register" / "gias_sample.csv"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username: str, password: str = "test-password-1") -> None:
    browser_sign_in(page, username, password)


def fill_date(page, name: str, value) -> None:
    for part, text in enumerate((value.day, value.month, value.year)):
        page.locator(f'[name="{name}_{part}"]').fill(str(text))


def add_part(page, *, domain, mechanism, provision, amount, **extra) -> None:
    page.get_by_role("link", name="Add a part to the budget").click()
    page.get_by_label(domain, exact=True).check()
    page.get_by_label(mechanism, exact=True).check()
    page.get_by_label("Agreed provision").fill(provision)
    page.get_by_label("Amount a year, in pounds").fill(amount)
    if extra:
        page.get_by_label("Needs and outcomes a direct payment is to meet").fill(extra["needs"])
        page.get_by_label("The provision is delivered in a school or college").check()
        box = page.get_by_label("School or college", exact=True)  # the register's search box
        box.press_sequentially(extra["school"][:6].lower(), delay=30)
        option = page.get_by_role("option", name=re.compile(re.escape(extra["school"])))
        option.first.click()
        assert box.input_value().startswith(extra["school"])
        page.get_by_label("Head teacher or principal who agreed in writing").fill(extra["head"])
        fill_date(page, "head_agreed_on", timezone.localdate())
    page.get_by_role("button", name="Save this part").click()
    assert "Part of the budget saved." in page.locator("main").inner_text()


def test_a_parent_asks_for_a_personal_budget_and_sees_it_agreed(
    page, new_page, parent_user, caseworker, manager, make_case
):
    case = case_with_draft_plan(make_case, caseworker, parent_user)
    sign_in(page, "pat@example.com")
    page.goto(reverse("family:case_detail", args=[case.pk]))
    page.get_by_role("link", name="Ask for a personal budget").click()
    assert_accessible(page, "pb-family-before-asking")
    page.get_by_role("link", name="Ask for a personal budget").click()

    # The request page: blank, with an error, then sent.
    expect(page.get_by_role("heading", name="Ask for a personal budget")).to_be_visible()
    assert_accessible(page, "pb-family-request")
    page.get_by_role("button", name="Ask for a personal budget").click()
    assert "There is a problem" in page.locator("main").inner_text()
    assert_accessible(page, "pb-family-request-error")
    page.get_by_label("What would you like a personal budget to pay for?").fill(
        "Speech therapy, and short breaks at weekends."
    )
    page.get_by_label("A combination of these").check()
    page.get_by_role("button", name="Ask for a personal budget").click()
    assert "You have asked for a personal budget" in page.locator("main").inner_text()
    assert_accessible(page, "pb-family-requested")
    budget = PersonalBudget.objects.get(case=case)
    assert budget.source == PersonalBudget.Source.FAMILY

    # The caseworker's task page and budget page (their own browser).
    staff = new_page()
    sign_in(staff, "casey")
    task = Task.objects.get(
        process__seed_object_id=budget.pk, flow_task=PersonalBudgetFlow.prepare_budget
    )
    staff.goto(reverse("workflows:task", args=[case.pk, task.pk]))
    assert_accessible(staff, "pb-staff-task-empty")
    call_command("import_gias", str(GIAS), stdout=StringIO())  # the register of settings
    staff.get_by_role("link", name="Add a part to the budget").click()
    staff.get_by_role("button", name="Save this part").click()
    assert_accessible(staff, "pb-staff-part-error")
    staff.get_by_role("link", name="Back").click()
    add_part(
        staff,
        domain="Education",
        mechanism="Direct payment",
        provision="Speech and language therapy, one hour a week",
        amount="3,120",
        needs="Speech and language needs; to speak up in class.",
        school="Oakfield Primary School",
        head="Jo Head (head teacher)",
    )
    add_part(
        staff,
        domain="Social care",
        mechanism="Arrangement managed by the council (notional budget)",
        provision="Short breaks, one weekend a month",
        amount="4800",
    )
    assert_accessible(staff, "pb-staff-task-parts")
    staff.get_by_label("The child's parent").check()
    fill_date(staff, "agree-dp_starts_on", timezone.localdate() + timedelta(days=14))
    staff.get_by_label("When they are paid").fill("Monthly in advance.")
    for _, label in DirectPaymentDecision.CONDITIONS:
        staff.get_by_label(label).check()
    staff.get_by_label("The officer's reasons").fill("Pat has managed direct payments before.")
    staff.get_by_role("button", name="Agree this budget").click()
    assert "Personal budget agreed" in staff.locator("main").inner_text()
    text = staff.locator("main").inner_text()
    assert "Section J of the plan (PB16)" in text and "The budget is being prepared" not in text
    assert_accessible(staff, "pb-staff-budget")
    staff.goto(reverse("ehc:case_detail", args=[case.pk]))
    text = staff.locator("main").inner_text()
    assert "First review of direct payments" in text  # PB13, among the case's deadlines
    assert "Direct payment to the child's parent" in text  # section J of the draft plan
    snap(staff, "pb-staff-case")

    # The family sees the agreed budget, how each part is managed, and the amounts.
    page.goto(reverse("personal_budgets_family:budget", args=[case.pk]))
    text = page.locator("main").inner_text()
    assert "£7,920.00 a year" in text
    assert "Direct payment" in text and "Arrangement managed by the council" in text
    assert_accessible(page, "pb-family-agreed")
    page.get_by_role("link", name="Personal budget agreed (notice of agreed provision)").click()
    assert "When they are paid: Monthly in advance." in page.locator("main").inner_text()
    assert_accessible(page, "pb-family-letter")
    page.goto(reverse("family:case_detail", args=[case.pk]))
    assert "Your personal budget is £7,920.00 a year" in page.locator("main").inner_text()
    assert_accessible(page, "pb-family-case")

    # The manager's figures.
    boss = new_page()
    sign_in(boss, "morgan")
    boss.goto(reverse("personal_budgets:figures"))
    assert "A combination" in boss.locator("main").inner_text()
    assert_accessible(boss, "pb-manager-figures")
