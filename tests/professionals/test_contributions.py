"""Schools contribute to annual reviews from the same inbox (R5: due 2 weeks before the
meeting): the caseworker asks from the case page, a member sends it, the case page shows it."""

import html
import io

import pytest
import time_machine
from django.urls import reverse

from ehc import timescales
from professionals import services
from professionals.models import ReviewContribution
from reviews import imports
from reviews import services as review_services
from reviews.models import MaintainedPlan
from tests.conftest import london
from tests.pages.walker import fill, read_page

pytestmark = pytest.mark.django_db

HEADER = "reference,first_name,last_name,date_of_birth,plan_issued_on,last_review_meeting_on,last_review_decided_on,setting_urn,primary_need,caseworker\n"
ROW = "LEG-1,Ada,Lovelace,2014-03-05,2022-06-01,2025-10-02,2025-10-20,123456,ASD,casey\n"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(london(2026, 11, 2, 12), tick=False):
        yield


@pytest.fixture
def review(caseworker, school_setting):
    report = imports.plans_import_csv(stream=io.BytesIO((HEADER + ROW).encode()), acting_user=None)
    assert not report.errors
    plan = MaintainedPlan.objects.get()
    return review_services.review_open(plan=plan, acting_user=caseworker)


def test_the_caseworker_asks_the_school_which_sends_its_contribution(
    client, caseworker, review, school, senco, health_member
):
    case = review.plan.case
    client.force_login(caseworker)
    body = client.get(reverse("ehc:case_detail", args=[case.pk])).content.decode()
    url = reverse("professionals_case:contribution_request", args=[case.pk])
    assert url in body
    response = client.get(url)
    page = read_page(url, response.content.decode())
    form = next(f for f in page.forms if "organisation" in f.names)
    data = {**fill(form), "organisation": str(school.pk)}
    response = client.post(url, data)
    assert response.status_code == 302
    contribution = ReviewContribution.objects.get()
    assert contribution.due_on == timescales.review_advice_latest(
        review.meeting_on or review.due_on
    )
    # Asking twice is refused, nothing added.
    response = client.post(url, {**fill(form), "organisation": str(school.pk)})
    assert response.status_code == 200 and "already been asked" in html.unescape(
        response.content.decode()
    )
    assert ReviewContribution.objects.count() == 1

    # Another organisation's member: 404.
    client.force_login(health_member)
    assert (
        client.get(reverse("professionals:contribution", args=[contribution.pk])).status_code == 404
    )

    client.force_login(senco)
    inbox = client.get(reverse("professionals:inbox")).content.decode()
    contribution_url = reverse("professionals:contribution", args=[contribution.pk])
    assert contribution_url in inbox
    response = client.get(contribution_url)
    assert "Ada Lovelace" in response.content.decode()
    page = read_page(contribution_url, response.content.decode())
    form = next(f for f in page.forms if "progress" in f.names)
    response = client.post(contribution_url, {**fill(form), "progress": "Reading age up a year."})
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.status == "submitted" and contribution.submitted_by == senco
    again = client.post(contribution_url, {**fill(form), "progress": "Again."})
    assert "It cannot be sent again" in html.unescape(again.content.decode())
    closed = client.get(contribution_url).content.decode()
    assert "Reading age up a year." in closed and "Ada Lovelace" not in closed

    client.force_login(caseworker)
    body = client.get(reverse("ehc:case_detail", args=[case.pk])).content.decode()
    assert "Reading age up a year." in body


def test_an_empty_contribution_is_refused_and_nothing_sent(
    client, review, school, senco, caseworker
):
    contribution = services.review_contribution_request(
        review=review, organisation=school, questions="Progress.", acting_user=caseworker
    )
    client.force_login(senco)
    url = reverse("professionals:contribution", args=[contribution.pk])
    response = client.post(url, {"progress": "", "views": ""})
    assert response.status_code == 200 and "govuk-error-summary" in response.content.decode()
    contribution.refresh_from_db()
    assert contribution.status == "sent"
