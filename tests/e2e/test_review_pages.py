"""Plans in force in the browser: a caseworker imports a plan last reviewed 13 months ago, sees
it overdue, starts the review and arranges the meeting from the work queue; the family sees the
meeting date; the manager sees the overdue figure. Each page is checked with axe-core (WCAG 2.2
A and AA)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ehc.models import Contact, Setting
from reviews.models import MaintainedPlan
from tests.e2e.conftest import assert_accessible
from tests.security_support import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username: str, password: str = "test-password-1") -> None:
    browser_sign_in(page, username, password)


def fill_date(page, name: str, value) -> None:
    for part, text in enumerate((value.day, value.month, value.year)):
        page.locator(f'[name="{name}_{part}"]').fill(str(text))


def test_import_overdue_plan_and_arrange_its_review(
    page, new_page, tmp_path, caseworker, manager, parent_user
):
    Setting.objects.create(name="Oakfield Primary", kind="school", phase="primary", urn="123456")
    today = timezone.localdate()
    last = today - timedelta(days=396)
    csv = tmp_path / "plans.csv"
    csv.write_text(
        "reference,first_name,last_name,date_of_birth,plan_issued_on,last_review_meeting_on,"
        "setting_urn,caseworker\n"
        f"LEG-1,Ada,Lovelace,2014-03-05,2022-06-01,{last},123456,casey\n"
    )
    boss = new_page()  # importing plans is a manager's job
    sign_in(boss, "morgan")
    boss.goto(reverse("reviews:import"))
    assert_accessible(boss, "reviews-import")
    boss.get_by_label("CSV file of plans").set_input_files(str(csv))
    boss.get_by_role("button", name="Import plans").click()
    assert "1 plans imported" in boss.locator("main").inner_text()
    plan = MaintainedPlan.objects.get()
    sign_in(page, "casey")
    Contact.objects.create(
        child=plan.child,
        user=parent_user,
        full_name="Pat Parent",
        relationship="parent",
        email=parent_user.email,
    )
    page.goto(reverse("reviews:plan", args=[plan.case_id]))
    assert "Review overdue" in page.locator("main").inner_text()
    assert_accessible(page, "reviews-plan-overdue")
    page.get_by_role("button", name="Start the review").click()
    page.goto(reverse("workflows:queue"))
    page.get_by_role("link", name="Arrange the review meeting (R4, R5)").first.click()
    assert_accessible(page, "reviews-task-arrange")
    meeting = today + timedelta(days=15)
    fill_date(page, "meeting_on", meeting)
    fill_date(page, "notice_sent_on", today)
    page.get_by_role("button", name="Save the meeting").click()
    assert "Review meeting arranged" in page.locator("main").inner_text()

    family = new_page()
    sign_in(family, "pat@example.com")
    family.goto(reverse("reviews_family:plan", args=[plan.case_id]))
    assert f"is on {meeting.day} {meeting:%B %Y}" in family.locator("main").inner_text()
    assert_accessible(family, "reviews-family-plan")

    boss.goto(reverse("reviews:dashboard"))
    assert boss.locator('[data-figure="overdue"]').inner_text().strip() == "1"
    assert_accessible(boss, "reviews-dashboard")
    boss.goto(reverse("reviews:cohort"))
    assert_accessible(boss, "reviews-cohort")
