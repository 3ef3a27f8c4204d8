# ruff: noqa: F811  (the shared fixtures are imported by name, then used as parameters)
"""Professionals in the browser (Done when of the issue): an educational psychologist accepts a
request, assigns it to a colleague, uploads the report and sends it; the caseworker sees the
advice received with its date, the A5 clock met and the case moved on to the decision whether
to issue a plan; the manager's advice-timeliness table counts it. A school's SENCO requests an
assessment for a pupil and the parent is asked for their views."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from ehc.models import Case, Deadline
from ehc.services.assessment import advice_receipt_record, advice_request_record
from professionals.models import AdviceRequest, SchoolRequest
from tests.e2e.conftest import assert_accessible
from tests.pages.walker import PDF
from tests.professionals.conftest import (  # noqa: F401  (fixtures, shared)
    advice_request,
    assessing_case,
    complete_task,
    ep_admin,
    ep_colleague,
    ep_service,
    school,
    school_setting,
    senco,
)
from tests.security_support import browser_sign_in
from workflows.flows import EHCNeedsAssessmentFlow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OTHER_ADVISERS = ("parent", "educational", "medical", "social_care")


def _all_other_advice_in(case, caseworker) -> None:
    today = timezone.localdate()
    for adviser in OTHER_ADVISERS:
        advice_request_record(
            case=case,
            adviser=adviser,
            asked_on=today,
            adviser_name="By email",
            acting_user=caseworker,
        )
        advice_receipt_record(
            case=case,
            adviser=adviser,
            received_on=today,
            summary="By email",
            acting_user=caseworker,
        )
        complete_task(case, f"advice_{adviser}", caseworker)


def test_an_ep_accepts_assigns_uploads_and_sends_and_the_case_moves_on(
    page, new_page, tmp_path, advice_request, caseworker, manager, ep_admin, ep_colleague
):
    advice = advice_request()
    case = advice.case
    _all_other_advice_in(case, caseworker)

    browser_sign_in(page, ep_admin.username)
    page.goto(reverse("professionals:inbox"))
    assert_accessible(page, "professionals-inbox")
    page.get_by_role("link", name=f"Request {advice.pk}").click()
    expect(page.get_by_text(advice.questions)).to_be_visible()
    assert_accessible(page, "professionals-request")
    page.get_by_role("button", name="Accept the request").click()
    assert "Request accepted" in page.locator("main").inner_text()
    page.get_by_label("Colleague").select_option(label="Colin Psych")
    page.get_by_role("button", name="Assign").click()
    assert "Assigned to Colin Psych" in page.locator("main").inner_text()
    report = tmp_path / "EP report.pdf"
    report.write_bytes(PDF)
    page.get_by_label("Upload a document").set_input_files(str(report))
    page.get_by_role("button", name="Upload", exact=True).click()
    assert "EP report.pdf uploaded" in page.locator("main").inner_text()
    page.get_by_role("button", name="Send the advice to the council").click()
    assert "Advice sent" in page.locator("main").inner_text()
    assert_accessible(page, "professionals-request-sent")

    advice.refresh_from_db()
    assert advice.status == AdviceRequest.Status.SUBMITTED and advice.submitted_by == ep_admin
    today = timezone.localdate()
    a5 = Deadline.objects.get(case=case, kind="A5", subject_key="psychological")
    assert a5.status == Deadline.Status.MET and a5.met_on == today

    staff = new_page()
    browser_sign_in(staff, caseworker.username)
    staff.goto(reverse("ehc:case_detail", args=[case.pk]))
    main = staff.locator("main").inner_text()
    assert f"Received {today:%-d %b %Y} from Erin Psych" in main
    advice_row = staff.locator(
        "tr", has_text="North Educational Psychology Service (online request)"
    )
    assert today.strftime("%-d %b %Y") in advice_row.inner_text()
    # All advice is in: the flow has moved on to the decision whether to issue a plan.
    assert Task.objects.filter(
        process__artifact_object_id=case.pk,
        flow_task=EHCNeedsAssessmentFlow.decide_to_issue,
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    ).exists()
    assert "Decide whether to issue" in main

    boss = new_page()
    browser_sign_in(boss, manager.username)
    boss.goto(reverse("professionals_staff:timeliness"))
    row = boss.locator("tr", has_text="North Educational Psychology Service")
    cells = [c.strip() for c in row.locator("td").all_inner_texts()]
    assert cells[:2] == ["1", "1"] and cells[3] == "100.0%"
    assert_accessible(boss, "professionals-timeliness")


def test_a_senco_requests_an_assessment_and_the_parent_gives_their_views(
    page, new_page, senco, team
):
    browser_sign_in(page, senco.username)
    page.goto(reverse("professionals:inbox"))
    page.get_by_role("link", name="Request an EHC needs assessment for a pupil").click()
    assert_accessible(page, "professionals-school-request")
    page.get_by_label("Pupil's first name").fill("Pip")
    page.get_by_label("Pupil's last name").fill("Pupil")
    page.locator('[name="date_of_birth_0"]').fill("4")
    page.locator('[name="date_of_birth_1"]').fill("3")
    page.locator('[name="date_of_birth_2"]').fill("2017")
    page.get_by_label("Parent or carer's full name").fill("Pat Pupil")
    page.get_by_label("Parent or carer's email address").fill("pat.pupil@example.com")
    page.get_by_label("Why the school is asking for an assessment").fill(
        "Little progress in reading."
    )
    page.get_by_label("The parent knows the school is making this request").check()
    page.get_by_role("button", name="Send the request").click()
    assert "We have emailed Pat Pupil" in page.locator("main").inner_text()
    school_request = SchoolRequest.objects.get()
    assert school_request.case.requester_type == Case.RequesterType.SCHOOL

    told = next(m for m in mail.outbox if "pat.pupil@example.com" in m.to)
    link = re.search(r"https?://\S+/professionals/your-views/\S+/", told.body).group(0)
    parent = new_page()
    parent.goto(link[link.index("/professionals/") :])
    assert_accessible(parent, "professionals-parent-views")
    parent.get_by_label("Your views").fill("We agree: Pip needs help with reading.")
    parent.get_by_role("button", name="Send my views").click()
    assert "Thank you" in parent.locator("main").inner_text()
    school_request.refresh_from_db()
    assert school_request.parent_views.startswith("We agree")
