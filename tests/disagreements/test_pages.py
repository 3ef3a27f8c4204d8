"""Who may see which disagreement page, the staff and family pages' contents, the dashboard."""

from datetime import date

import pytest
from django.urls import reverse

from disagreements import services as svc
from tests.disagreements.conftest import dated

pytestmark = pytest.mark.django_db


@pytest.fixture
def appealed(open_refusal, caseworker):
    d = open_refusal
    svc.adviser_contact_record(
        disagreement=d, contacted_on=date(2026, 9, 14), choice="certificate", acting_user=caseworker
    )
    svc.certificate_record(disagreement=d, issued_on=date(2026, 9, 16), acting_user=caseworker)
    svc.appeal_register(
        disagreement=d,
        registered_on=date(2026, 10, 1),
        grounds=["a"],
        sections=[],
        response_due_on=date(2026, 11, 12),
        acting_user=caseworker,
    )
    svc.appeal_decision_record(
        disagreement=d,
        decided_on=date(2026, 10, 30),
        outcome="upheld",
        orders=[("assess", False, "")],
        acting_user=caseworker,
    )
    svc.complaint_record(
        case=d.case,
        kind="council",
        made_on=date(2026, 10, 2),
        about="Delay in replying",
        disagreement=d,
        acting_user=caseworker,
    )
    return d


def staff_urls(d):
    case = d.case
    return [
        reverse("disagreements:list", args=[case.pk]),
        reverse("disagreements:open", args=[case.pk]),
        reverse("disagreements:detail", args=[case.pk, d.pk]),
        reverse("disagreements:complaint_new", args=[case.pk]),
    ]


def test_staff_pages_for_the_case_team(client, caseworker, appealed):
    client.force_login(caseworker)
    for url in staff_urls(appealed):
        assert client.get(url).status_code == 200, url
    case_page = client.get(reverse("ehc:case_detail", args=[appealed.case_id])).content.decode()
    assert "Disagreements" in case_page and "Decision not to carry out an assessment" in case_page
    assert "Confirm the assessment the Tribunal ordered" in case_page  # the Reg 44 clock rows


def test_other_teams_and_families_cannot_see_staff_pages(
    client, other_caseworker, parent_user, appealed
):
    client.force_login(other_caseworker)
    for url in staff_urls(appealed):
        assert client.get(url).status_code == 404, url
    client.force_login(parent_user)
    for url in staff_urls(appealed):
        assert client.get(url).status_code == 403, url


def test_family_page_is_only_for_the_family(
    client, parent_user, other_parent_user, caseworker, appealed
):
    url = reverse("family_disagreement:detail", args=[appealed.case_id])
    client.force_login(parent_user)
    page = client.get(url).content.decode()
    assert "The Tribunal appeal has ended (appeal upheld)" in page
    assert "We must tell you we will carry out the assessment" in page
    assert "13 November 2026" in page
    assert "Complaint to the council" in page
    client.force_login(other_parent_user)
    assert client.get(url).status_code == 404
    client.force_login(caseworker)
    assert client.get(url).status_code == 403


def test_family_page_without_an_appealable_decision(client, make_case, parent_user):
    case = make_case(received_on=date(2026, 10, 1), parent=parent_user)
    client.force_login(parent_user)
    page = client.get(reverse("family_disagreement:detail", args=[case.pk])).content.decode()
    assert "not made a decision you can appeal against yet" in page


def test_complaint_page_refuses_bad_dates(client, caseworker, appealed):
    client.force_login(caseworker)
    url = reverse("disagreements:complaint_new", args=[appealed.case_id])
    response = client.post(
        url, {"kind": "lgsco", "about": "Delay", **dated("", made_on=date(2027, 1, 1))}
    )
    assert response.status_code == 200 and "cannot be in the future" in response.content.decode()
    response = client.post(
        url, {"kind": "lgsco", "about": "Delay", **dated("", made_on=date(2026, 10, 20))}
    )
    assert response.status_code == 302
    complaint = appealed.case.complaints.get(kind="lgsco")
    outcome = reverse("disagreements:complaint_outcome", args=[appealed.case_id, complaint.pk])
    response = client.post(
        outcome, {"outcome": "Fault found", **dated("", outcome_on=date(2026, 10, 25))}
    )
    assert response.status_code == 302


def test_dashboard_figures_and_csv(
    client, manager, caseworker, appealed, django_assert_max_num_queries
):
    url = reverse("disagreement_dashboard:figures")
    client.force_login(caseworker)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    with django_assert_max_num_queries(25):
        page = client.get(url).content.decode()
    assert "Confirm the assessment the Tribunal ordered" in page
    assert "Appeal upheld" in page
    csv = client.get(url + "?format=csv&table=disagreement_compliance").content.decode()
    assert csv.splitlines()[0].startswith("Code,Time limit")
    assert any(line.startswith("Tb-assess,") for line in csv.splitlines())
    figures = client.get(url + "?format=csv&table=disagreement_figures").content.decode()
    assert "appeal_outcomes,Appeal upheld,1" in figures
    nav = client.get(reverse("dashboards:at_risk")).content.decode()
    assert url in nav
