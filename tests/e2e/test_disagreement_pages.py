"""The disagreement pages in Chromium: the family's view (zero axe-core violations) and the
caseworker's pages, with screenshots when EHC_E2E_SCREENSHOTS is set."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from disagreements import services as svc
from disagreements.flows import disagreement_start
from ehc import timescales
from ehc.models import Notice
from tests.e2e.conftest import assert_accessible, axe_violations, snap
from tests.family.builders import case_refused
from tests.security_support import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fmt(day) -> str:
    return f"{day.day} {day:%B %Y}"


def sign_in(page, username: str) -> None:
    browser_sign_in(page, username)


def take_if_offered(page) -> None:
    """A task already assigned to the case's caseworker opens straight away."""
    take = page.get_by_role("button", name="Take this task")
    if take.count():
        take.click()


@pytest.fixture
def appealed(make_case, caseworker, parent_user):
    """Refused 10 days ago; mediation failed, certificate, appeal upheld with an order to assess
    yesterday. A second case is just refused."""
    today = timezone.localdate()
    fresh = case_refused(make_case, caseworker, parent_user, first_name="Ben")
    case = case_refused(make_case, caseworker, parent_user, first_name="Ada")
    notice = case.notices.get(kind=Notice.Kind.REFUSAL_TO_ASSESS)
    d = disagreement_start(
        case=case, notice=notice, opened_on=today - timedelta(days=8), acting_user=caseworker
    )
    kw = {"disagreement": d, "acting_user": caseworker}
    svc.adviser_contact_record(contacted_on=today - timedelta(days=8), choice="mediation", **kw)
    svc.mediation_request_record(
        la_informed_on=today - timedelta(days=8),
        issues="Assessment",
        health_issues="Speech and language therapy",
        **kw,
    )
    svc.mediation_arranged_record(
        arranged_on=today - timedelta(days=6), meeting_on=today - timedelta(days=4), **kw
    )
    svc.mediation_held_record(held_on=today - timedelta(days=4), outcome="no_agreement", **kw)
    svc.certificate_record(issued_on=today - timedelta(days=3), **kw)
    svc.appeal_register(registered_on=today - timedelta(days=2), grounds=["a"], sections=[], **kw)
    svc.appeal_decision_record(
        decided_on=today - timedelta(days=1),
        outcome="upheld",
        orders=[("assess", False, "Assess within the Reg 44 periods")],
        **kw,
    )
    return fresh, case, d


def test_family_sees_where_each_disagreement_stands(page, appealed):
    fresh, case, _ = appealed
    sign_in(page, "pat@example.com")
    page.goto(reverse("family:case_detail", args=[fresh.pk]))
    notice = fresh.notices.get(kind=Notice.Kind.REFUSAL_TO_ASSESS)
    text = page.locator("main").inner_text()
    assert fmt(notice.mediation_contact_by) in text and fmt(notice.appeal_by) in text
    assert_accessible(page, "disagreement-family-case-refused")
    page.get_by_role("link", name="Your disagreements: where each one stands").click()
    assert_accessible(page, "disagreement-family-refused")
    assert "Contact the mediation adviser" in page.locator("main").inner_text()

    page.goto(reverse("family_disagreement:detail", args=[case.pk]))
    assert_accessible(page, "disagreement-family-ordered")
    text = page.locator("main").inner_text()
    ordered = timezone.localdate() - timedelta(days=1)
    assert "The Tribunal appeal has ended (appeal upheld)" in text
    assert fmt(timescales.order_final_plan_due(ordered)) in text
    assert "We arranged mediation" in text and "Mediation certificate issued" in text


def fill_date(page, field_id: str, day) -> None:
    for part, value in zip(("0", "1", "2"), (day.day, day.month, day.year), strict=True):
        page.locator(f"#{field_id}_{part}").fill(str(value))


def test_caseworker_records_a_disagreement_and_a_bad_certificate(page, appealed):
    fresh, _, _ = appealed
    today = timezone.localdate()
    sign_in(page, "casey")
    page.goto(reverse("ehc:case_detail", args=[fresh.pk]))
    page.get_by_role("link", name="Disagreements and complaints").click()
    page.get_by_role("link", name="Record a disagreement").first.click()
    page.get_by_label("Decision not to carry out an assessment").check()
    page.get_by_role("button", name="Start recording this disagreement").click()
    assert "Disagreement recorded" in page.locator("main").inner_text()
    page.get_by_role("link", name="Mediation and the certificate").click()
    take_if_offered(page)
    page.get_by_label("A certificate only (no mediation)").check()
    fill_date(page, "id_contact-contacted_on", today - timedelta(days=2))
    page.get_by_role("button", name="Record the contact").click()
    snap(page, "disagreement-staff-mediation-task")
    fill_date(page, "id_certificate-issued_on", today - timedelta(days=5))
    page.get_by_role("button", name="Record the certificate").click()
    snap(page, "disagreement-staff-certificate-error")
    text = page.locator("main").inner_text()
    assert "There is a problem" in text
    assert "cannot be dated before the family contacted the mediation adviser" in text
    assert page.locator("#id_certificate-issued_on_0").input_value() == str(
        (today - timedelta(days=5)).day
    )


def test_caseworker_pages_render_and_record(page, appealed, caseworker, manager):
    _, case, d = appealed
    sign_in(page, "casey")
    page.goto(reverse("ehc:case_detail", args=[case.pk]))
    page.get_by_role("link", name="Decision not to carry out an assessment").first.click()
    snap(page, "disagreement-staff-detail")
    assert "Final plan after an ordered assessment" in page.locator("main").inner_text()
    # The facts above were recorded directly; the caseworker finishes each stage's task.
    for title in ("Mediation and the certificate", "Tribunal appeal"):
        page.get_by_role("link", name=title).click()
        take_if_offered(page)
        page.get_by_role("button", name="Finished: complete this task").click()
        assert "Task finished." in page.locator("main").inner_text()
    page.get_by_role("link", name="Carry out the Tribunal's decision").click()
    take_if_offered(page)
    page.get_by_label("Tell the family the council will assess").check()
    today = timezone.localdate()
    page.locator("#id_duty-done_on_0").fill(str(today.day))
    page.locator("#id_duty-done_on_1").fill(str(today.month))
    page.locator("#id_duty-done_on_2").fill(str(today.year))
    snap(page, "disagreement-staff-duties")
    page.get_by_role("button", name="Record it done").click()
    assert "Recorded: tell the family the council will assess" in page.locator("main").inner_text()
    staff_violations = axe_violations(page)
    assert staff_violations == [], staff_violations

    sign_in(page, "morgan")
    page.goto(reverse("disagreement_dashboard:figures"))
    snap(page, "disagreement-dashboard")
    assert "Confirm the assessment the Tribunal ordered" in page.locator("main").inner_text()
    assert axe_violations(page) == []
