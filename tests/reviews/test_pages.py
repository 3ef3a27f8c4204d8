"""The staff, manager and family pages of plans in force, and who may see them."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from ehc.models import Deadline
from ehc.services.assessment import (
    assessment_decision_record,
    plan_decision_record,
    plan_draft_save,
    plan_draft_serve,
    plan_finalise,
)
from reviews import nightly, selectors, services
from reviews.models import AnnualReview, MaintainedPlan, PlanVersion
from tests.reviews.conftest import TODAY, import_rows, link_parent

pytestmark = pytest.mark.django_db

OVERDUE = "LEG-1,Ada,Lovelace,2014-03-05,2022-06-01,2025-10-02,2025-10-20,123456,ASD,casey"
DUE_LATER = "LEG-2,Ben,Okafor,2012-03-05,2022-06-01,2026-09-02,2026-09-20,,SEMH,"


def test_a_final_plan_issued_by_an_assessment_becomes_a_plan_in_force(
    make_case, caseworker, primary
):
    case = make_case(received_on=TODAY - timedelta(days=140))
    assessment_decision_record(
        case=case,
        decided_on=TODAY - timedelta(days=120),
        assess=True,
        reasons="",
        acting_user=caseworker,
    )
    plan_decision_record(
        case=case,
        decided_on=TODAY - timedelta(days=60),
        issue=True,
        reasons="",
        acting_user=caseworker,
    )
    plan_draft_save(
        case=case, sections={"section_f": "Small group teaching"}, acting_user=caseworker
    )
    plan_draft_serve(case=case, served_on=TODAY - timedelta(days=40), acting_user=caseworker)
    plan_finalise(
        case=case,
        issued_on=TODAY - timedelta(days=10),
        named_setting=primary,
        setting_type="",
        acting_user=caseworker,
    )
    plan = MaintainedPlan.objects.get(case=case)
    assert plan.origin == MaintainedPlan.Origin.ASSESSMENT
    assert plan.current_setting == primary
    assert plan.next_review_due == TODAY - timedelta(days=10) + timedelta(days=364)
    version = plan.versions.get()
    assert (version.number, version.section_f) == (1, "Small group teaching")
    # The review's first clock is the core's R1, met by the first review meeting.
    review = services.review_open(plan=plan, acting_user=caseworker)
    services.review_meeting_record(
        review=review, held_on=TODAY, adulthood_discussed="", acting_user=caseworker
    )
    r1 = Deadline.objects.get(case=case, kind="R1")
    assert (r1.status, r1.met_on) == (Deadline.Status.MET, TODAY)


def test_staff_pages_and_access(client, caseworker, other_caseworker, primary):
    import_rows(OVERDUE)
    plan = MaintainedPlan.objects.get()
    PlanVersion.objects.create(
        plan=plan,
        number=2,
        issued_on=TODAY,
        reason="amended_review",
        section_f="Speech therapy weekly",
    )
    client.force_login(caseworker)
    case_page = client.get(reverse("ehc:case_detail", args=[plan.case_id])).content.decode()
    assert reverse("reviews:plan", args=[plan.case_id]) in case_page
    for url in (
        reverse("reviews:plan", args=[plan.case_id]),
        reverse("reviews:compare", args=[plan.case_id]) + "?from=1&to=2",
        reverse("reviews:version", args=[plan.case_id, 2]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    compare = client.get(reverse("reviews:compare", args=[plan.case_id])).content.decode()
    assert "Section F" in compare and "Speech therapy weekly" in compare
    assert client.get(reverse("reviews:version", args=[plan.case_id, 9])).status_code == 404
    client.force_login(other_caseworker)  # another team: the case does not exist for them
    assert client.get(reverse("reviews:plan", args=[plan.case_id])).status_code == 404
    response = client.post(reverse("reviews:review_start", args=[plan.case_id]))
    assert response.status_code == 404
    assert not AnnualReview.objects.exists()


def test_family_page_and_access(client, caseworker, parent_user, other_parent, primary):
    import_rows(OVERDUE)
    plan = MaintainedPlan.objects.get()
    link_parent(plan, parent_user)
    client.force_login(parent_user)
    case_page = client.get(reverse("family:case_detail", args=[plan.case_id])).content.decode()
    assert "Reviews of the plan" in case_page
    page = client.get(reverse("reviews_family:plan", args=[plan.case_id])).content.decode()
    assert "1 October 2026" in page
    client.force_login(other_parent)
    assert client.get(reverse("reviews_family:plan", args=[plan.case_id])).status_code == 404


def test_managers_figures_drill_down_and_csv(client, manager, caseworker, primary):
    import_rows(OVERDUE, DUE_LATER)
    client.force_login(manager)
    page = client.get(reverse("reviews:dashboard")).content.decode()
    assert 'data-figure="overdue"' in page
    assert selectors.figures(TODAY)["overdue"] == 1
    drill = client.get(reverse("reviews:figure", args=["overdue"])).content.decode()
    assert "Ada Lovelace" in drill and "Ben Okafor" not in drill
    csv = client.get(reverse("reviews:figure", args=["overdue"]) + "?format=csv&table=rows")
    assert csv["Content-Type"].startswith("text/csv")
    assert "Ada Lovelace" in csv.content.decode()
    summary = client.get(reverse("reviews:dashboard") + "?format=csv&table=reviews")
    assert "Reviews overdue" in summary.content.decode()
    assert client.get(reverse("reviews:figure", args=["nonsense"])).status_code == 404
    client.force_login(caseworker)
    assert client.get(reverse("reviews:dashboard")).status_code == 403


def test_cohort_page_lists_the_year_6_child_at_risk(client, manager, caseworker, primary):
    import_rows("LEG-6,Ben,Okafor,2015-10-10,2021-01-10,2025-12-01,2025-12-20,123456,SLCN,casey")
    client.force_login(manager)
    page = client.get(reverse("reviews:cohort")).content.decode()
    assert "September 2027" in page
    assert "Ben Okafor" in page and "14 February 2027" in page and "22 November 2026" in page
    assert "At risk" in page  # no meeting arranged with 20 days to the latest safe date
    csv = client.get(reverse("reviews:cohort") + "?format=csv&table=cohort").content.decode()
    assert "Primary to secondary" in csv


def test_nightly_pass_opens_due_reviews_once(client, caseworker, primary):
    import_rows(OVERDUE, DUE_LATER)
    assert nightly.reviews_open_due(today=TODAY) == 1  # only the overdue one is within 12 weeks
    assert nightly.reviews_open_due(today=TODAY) == 0  # a second run changes nothing
    review = AnnualReview.objects.get()
    assert review.plan.import_reference == "LEG-1"
    r4 = Deadline.objects.get(case=review.plan.case, kind="R4")
    assert r4.due_on == date(2026, 9, 17)  # 14 days before the period's last day
    # The bulk-opened review is a real flow: its task is in the caseworker's queue and works.
    client.force_login(caseworker)
    queue = client.get(reverse("workflows:queue")).content.decode()
    assert "Arrange the review meeting (R4, R5)" in queue
    services.review_meeting_arrange(
        review=review,
        meeting_on=TODAY + timedelta(days=20),
        notice_sent_on=TODAY,
        advice_circulated_on=None,
        acting_user=caseworker,
    )
    r4.refresh_from_db()
    assert (r4.due_on, r4.met_on) == (TODAY + timedelta(days=6), TODAY)


def test_demo_plans_in_every_review_state(db):
    from django.core.management import call_command

    from ehc import demo

    demo.seed_cases(40)
    issued = MaintainedPlan.objects.filter(origin=MaintainedPlan.Origin.ASSESSMENT)
    assert issued.exists() and all(p.versions.count() == 1 for p in issued)
    call_command("seed_reviews_demo")
    call_command("seed_reviews_demo")  # once per database
    outcomes = set(AnnualReview.objects.values_list("outcome", flat=True))
    stages = set(AnnualReview.objects.values_list("stage", flat=True))
    assert {"open", "amended", "not_amended", "maintained", "cease"} <= outcomes
    assert {"meeting_arranged", "meeting_held", "amendments_proposed"} <= stages
    assert selectors.figures(TODAY)["overdue"] > 0
    assert any(r.transfer.year for r in selectors.transfer_cohort(TODAY))
