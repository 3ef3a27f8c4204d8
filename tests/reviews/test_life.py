"""Reassessment (R21-R23), moves between councils (R18-R20) and ceasing (R24-R27), through the
services and their pages."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from disagreements.models import Disagreement
from disagreements.services import disagreement_open
from ehc.models import Case, Deadline
from reviews import life, services
from reviews.models import MaintainedPlan, PlanMove, Reassessment
from tests.reviews.conftest import TODAY, import_rows
from tests.reviews.htmlforms import date_values, form_with

pytestmark = pytest.mark.django_db

ROW = "LEG-1,Ada,Lovelace,2008-03-05,2022-06-01,2026-06-02,2026-06-20,123456,ASD,casey"


@pytest.fixture
def plan(caseworker, primary) -> MaintainedPlan:
    import_rows(ROW)
    return MaintainedPlan.objects.get()


def post_form(client, url, field, values):
    form = form_with(client.get(url).content, field)
    return client.post(url, form.fill(values))


def test_reassessment_through_the_pages(client, caseworker, plan):
    client.force_login(caseworker)
    url = reverse("reviews:reassessment_new", args=[plan.case_id])
    received = TODAY - timedelta(days=20)
    response = post_form(
        client,
        url,
        "requested_by",
        {"requested_by": "Ada's mother", **date_values("received_on", received)},
    )
    assert response.status_code == 302
    request = Reassessment.objects.get()
    r21 = Deadline.objects.get(case=plan.case, kind="R21")
    assert r21.due_on == received + timedelta(days=15)
    assert r21.status == Deadline.Status.BREACHED  # not answered within 15 days
    decide = reverse("reviews:reassessment_decide", args=[plan.case_id, request.pk])
    # Refusing needs reasons: the page says so and nothing is saved.
    response = post_form(
        client, decide, "decision", {"decision": "refuse", **date_values("decided_on", TODAY)}
    )
    assert response.status_code == 200
    assert life.REFUSAL_REASONS in response.content.decode()
    request.refresh_from_db()
    assert request.decision == ""
    response = post_form(
        client, decide, "decision", {"decision": "reassess", **date_values("decided_on", TODAY)}
    )
    assert response.status_code == 302
    r22 = Deadline.objects.get(case=plan.case, kind="R22")
    assert r22.due_on == TODAY + timedelta(weeks=14)
    plan_url = reverse("reviews:reassessment_plan", args=[plan.case_id, request.pk])
    assert (
        post_form(client, plan_url, "issued_on_0", date_values("issued_on", TODAY)).status_code
        == 302
    )
    assert plan.versions.count() == 2
    r22.refresh_from_db()
    assert r22.status == Deadline.Status.MET


def test_move_out_passes_the_plan_on_within_15_working_days(client, caseworker, plan):
    client.force_login(caseworker)
    learnt = date(2026, 10, 26)
    response = post_form(
        client,
        reverse("reviews:move_out", args=[plan.case_id]),
        "other_council",
        {
            "other_council": "Northshire",
            **date_values("move_on", date(2026, 10, 30)),
            **date_values("learnt_on", learnt),
        },
    )
    assert response.status_code == 302
    move = PlanMove.objects.get()
    r18 = Deadline.objects.get(case=plan.case, kind="R18")
    assert r18.due_on == date(2026, 11, 16)  # 15 working days after 26 October
    done = reverse("reviews:move_out_done", args=[plan.case_id, move.pk])
    assert (
        post_form(
            client, done, "transferred_on_0", date_values("transferred_on", TODAY)
        ).status_code
        == 302
    )
    plan.refresh_from_db()
    assert plan.status == MaintainedPlan.Status.TRANSFERRED_OUT
    assert plan.case.outcome == Case.Outcome.MOVED_LA
    with pytest.raises(ValidationError):
        services.review_open(plan=plan, acting_user=caseworker)


def test_move_in_sets_the_later_review_date_and_the_6_week_letter(caseworker, plan):
    move = life.plan_move_in_record(
        plan=plan,
        other_council="Southshire",
        transferred_on=TODAY,
        last_reviewed_on=date(2026, 1, 10),
        acting_user=caseworker,
    )
    plan.refresh_from_db()
    assert plan.next_review_due == date(2027, 2, 2)  # 3 months from the transfer is later
    assert Deadline.objects.get(case=plan.case, kind="R19").due_on == TODAY + timedelta(weeks=6)
    life.plan_move_in_family_told(
        move=move, told_on=TODAY, will_reassess=False, acting_user=caseworker
    )
    assert Deadline.objects.get(case=plan.case, kind="R19").status == Deadline.Status.MET


def _cease(plan, caseworker, decided: date):
    review = services.review_open(plan=plan, acting_user=caseworker)
    services.review_meeting_record(
        review=review,
        held_on=decided - timedelta(days=7),
        adulthood_discussed="College and independent travel.",
        acting_user=caseworker,
    )
    return services.review_decision_record(
        review=review,
        details=services.ReviewDecision(
            decision="cease",
            decided_on=decided,
            reasons="Outcomes achieved; left education.",
            proposed_sections={},
            consulted_family_on=decided - timedelta(days=3),
            consulted_setting_on=decided - timedelta(days=3),
        ),
        acting_user=caseworker,
    )


def test_plan_is_maintained_through_the_appeal_window_and_any_appeal(client, caseworker, plan):
    # An 18-year-old: no "no longer necessary" test (Reg 29 is for under-18s).
    review = _cease(plan, caseworker, TODAY - timedelta(days=10))
    plan.refresh_from_db()
    assert plan.status == MaintainedPlan.Status.CEASING
    with pytest.raises(ValidationError) as error:
        life.plan_cease(plan=plan, ceased_on=TODAY, acting_user=caseworker)
    assert "until the time to appeal has passed" in str(error.value)
    client.force_login(caseworker)
    response = post_form(
        client,
        reverse("reviews:cease", args=[plan.case_id]),
        "ceased_on_0",
        date_values("ceased_on", TODAY),
    )
    assert response.status_code == 200 and "time to appeal" in response.content.decode()
    # The family disagrees through the existing route; the plan stays until that ends.
    disagreement_open(
        case=plan.case,
        opened_on=TODAY,
        acting_user=caseworker,
        decision=Disagreement.Decision.CEASE,
        decision_sent_on=review.decided_on,
    )
    import time_machine

    from tests.conftest import london

    with time_machine.travel(london(2027, 2, 1, 12), tick=False):
        with pytest.raises(ValidationError, match="open disagreement or appeal"):
            life.plan_cease(plan=plan, ceased_on=date(2027, 2, 1), acting_user=caseworker)
        Disagreement.objects.update(status=Disagreement.Status.CLOSED)
        life.plan_cease(plan=plan, ceased_on=date(2027, 2, 1), acting_user=caseworker)
    plan.refresh_from_db()
    assert plan.status == MaintainedPlan.Status.CEASED


def test_under_18_cease_needs_no_longer_necessary(caseworker, primary):
    import_rows("LEG-2,Ben,Young,2014-03-05,2022-06-01,2025-10-02,2025-10-20,123456,ASD,casey")
    plan = MaintainedPlan.objects.get(import_reference="LEG-2")
    review = services.review_open(plan=plan, acting_user=caseworker)
    services.review_meeting_record(
        review=review, held_on=TODAY, adulthood_discussed="", acting_user=caseworker
    )
    with pytest.raises(ValidationError) as error:
        services.review_decision_record(
            review=review,
            details=services.ReviewDecision(
                decision="cease",
                decided_on=TODAY,
                reasons="Doing well.",
                proposed_sections={},
                consulted_family_on=TODAY,
                consulted_setting_on=TODAY,
            ),
            acting_user=caseworker,
        )
    assert services.UNDER_18_CEASE in str(error.value)


def test_plan_page_links_each_next_step(client, caseworker, plan):
    client.force_login(caseworker)
    request = life.reassessment_request_record(
        plan=plan, requested_by="School", received_on=TODAY, acting_user=caseworker
    )
    move = life.plan_move_out_record(
        plan=plan,
        other_council="Northshire",
        move_on=TODAY + timedelta(days=30),
        learnt_on=TODAY,
        acting_user=caseworker,
    )
    page = client.get(reverse("reviews:plan", args=[plan.case_id])).content.decode()
    assert reverse("reviews:reassessment_decide", args=[plan.case_id, request.pk]) in page
    assert reverse("reviews:move_out_done", args=[plan.case_id, move.pk]) in page
    assert reverse("reviews:move_in", args=[plan.case_id]) in page
