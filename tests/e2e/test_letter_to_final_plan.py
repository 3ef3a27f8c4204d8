"""Done when (issue 13): in Chromium, a caseworker signs in (second factor included), registers a
request that arrived by letter 18 weeks ago, records an exception on its 20-week deadline, and
takes it through every task page to a final plan naming a school imported from a GIAS file
(`manage.py import_gias` on the fixture), chosen with the search-as-you-type box. Only the
pages' own fields are filled."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from ehc.models import Case, Deadline, EHCPlan, Setting, TimescaleException
from tests.e2e.conftest import assert_accessible
from tests.security_support import browser_sign_in
from workflows.flows import EHCNeedsAssessmentFlow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
GIAS = Path(__file__).parent.parent / "register" / "gias_sample.csv"


def fill_date(page, name: str, day) -> None:
    page.locator(f"[name={name}_0]").fill(str(day.day))
    page.locator(f"[name={name}_1]").fill(str(day.month))
    page.locator(f"[name={name}_2]").fill(str(day.year))


def submit(page) -> None:
    with page.expect_navigation():
        page.locator(
            "main form[method=post] button[type=submit], main form[method=post] input[type=submit]"
        ).last.click()
    assert "There is a problem" not in page.locator("main").inner_text(), page.locator(
        "main"
    ).inner_text()[:1500]


def open_task(page, case: Case, node: str) -> None:
    """From the work queue's link to the task page; take it if nobody has."""
    task = Task.objects.filter(
        process__artifact_object_id=case.pk,
        flow_task=getattr(EHCNeedsAssessmentFlow, node),
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    ).first()
    assert task is not None, node
    page.goto(f"/staff/cases/{case.pk}/tasks/{task.pk}/")
    take = page.get_by_role("button", name="Take this task")
    if take.count():
        with page.expect_navigation():
            take.click()


def test_a_letter_18_weeks_old_goes_to_a_final_plan_naming_a_gias_school(page, caseworker, team):
    call_command("import_gias", str(GIAS), stdout=StringIO())
    today = timezone.localdate()
    received = today - timedelta(weeks=18)
    browser_sign_in(page, caseworker.username)

    # Register the letter.
    page.get_by_role("link", name="Register a request").first.click()
    page.get_by_label("Child or young person's first name").fill("Tomos")
    page.get_by_label("Last name").fill("Price")
    fill_date(page, "date_of_birth", today.replace(year=today.year - 9))
    page.locator("[name=requester_type][value=parent]").check()
    page.get_by_label("Letter").check()
    fill_date(page, "received_on", received)
    page.get_by_label("Parent, carer or young person's full name").fill("Rhian Price")
    page.locator("[name=team]").select_option(label=team.name)
    submit(page)
    case = Case.objects.get(child__first_name="Tomos")
    assert case.request_channel == Case.Channel.LETTER
    assert timezone.localtime(case.received_at).date() == received

    # An exception on the 20-week deadline.
    twenty = Deadline.objects.get(case=case, kind="A13")
    page.goto(f"/staff/cases/{case.pk}/")
    page.get_by_role("link", name=f"Record an exception for {twenty.title}").click()
    page.locator("[name=code]").first.check()
    fill_date(page, "starts_on", received + timedelta(weeks=2))
    fill_date(page, "ends_on", received + timedelta(weeks=4))
    page.locator("[name=evidence]").fill("The family were abroad; letter from the school.")
    page.locator("[name=reasoning]").fill("The child could not be seen for advice while away.")
    submit(page)
    assert TimescaleException.objects.filter(deadline__case=case, deadline__kind="A13").exists()

    # The statutory steps, each on its own task page.
    open_task(page, case, "notify_considering")
    fill_date(page, "notified_on", received + timedelta(days=3))
    page.locator("[name=recipients]").fill("ICB, social care, head teacher")
    submit(page)
    open_task(page, case, "decide_to_assess")
    page.locator("[name=decision][value=yes]").check()
    fill_date(page, "decided_on", received + timedelta(weeks=5))
    submit(page)
    for adviser in ["parent", "educational", "medical", "psychological", "social_care"]:
        open_task(page, case, f"advice_{adviser}")
        fill_date(page, "asked_on", received + timedelta(weeks=5, days=1))
        page.locator("[name=adviser_name]").fill(f"{adviser} service")
        submit(page)
        open_task(page, case, f"advice_{adviser}")
        page.locator("[name=action][value=received]").check()
        fill_date(page, "on", received + timedelta(weeks=10))
        submit(page)
    open_task(page, case, "decide_to_issue")
    page.locator("[name=decision][value=yes]").check()
    fill_date(page, "decided_on", received + timedelta(weeks=12))
    submit(page)
    open_task(page, case, "draft_plan")
    page.locator("[name=section_a]").fill("Tomos loves trains.")
    page.locator("[name=section_b]").fill("Dyslexia.")
    submit(page)
    open_task(page, case, "serve_draft")
    fill_date(page, "served_on", received + timedelta(weeks=13))
    submit(page)
    open_task(page, case, "consult_settings")
    done = page.locator("main form[method=post]").filter(
        has=page.locator("[name=action][value=done]")
    )
    with page.expect_navigation():
        done.locator("button, input[type=submit]").last.click()

    # The final plan names a school from the GIAS file, found by typing part of its name.
    open_task(page, case, "issue_final_plan")
    fill_date(page, "issued_on", received + timedelta(weeks=16))
    box = page.get_by_label("School or setting named in section I")
    box.fill("")
    box.press_sequentially("oakfield", delay=30)
    option = page.get_by_role("option", name="Oakfield Primary School, Barchester (URN 990001)")
    option.wait_for()
    assert_accessible(page, "final-plan-setting-search")
    option.click()
    assert box.input_value() == "Oakfield Primary School, Barchester (URN 990001)"
    submit(page)

    plan = EHCPlan.objects.get(case=case)
    assert plan.status == EHCPlan.Status.FINAL
    assert plan.named_setting == Setting.objects.get(urn="990001")
    page.goto(f"/staff/cases/{case.pk}/")
    assert "Oakfield Primary School" in page.locator("main").inner_text()
