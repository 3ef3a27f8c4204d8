"""The return's active-plan items from the reviews app: the last review's meeting, decision and
outcome, a draft amended plan, phase-transfer dates, the day a plan ceased, and a plan passed
from another council; the cease reason asked on the reviews app's own "stop maintaining" page."""

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.urls import reverse

from reviews import life, services
from reviews.models import AnnualReview, MaintainedPlan
from sen2.checks import run_checks
from sen2.collection import collection_for
from sen2.export import export_to_path
from sen2.models import PlanDetail
from sen2.selectors import return_people
from tests.reviews.conftest import import_rows, primary  # noqa: F401  (a fixture)
from tests.sen2.conftest import date_values, error_summary, rendered_form

pytestmark = pytest.mark.django_db

# Imported with its last review (meeting 2 June 2026, decided 20 June 2026).
ROW = "LEG-1,Ada,Lovelace,2008-03-05,2022-06-01,2026-06-02,2026-06-20,123456,ASD,casey"


@pytest.fixture
def plan(caseworker, primary) -> MaintainedPlan:  # noqa: F811
    import_rows(ROW)
    return MaintainedPlan.objects.get()


def active_plan(tmp_path) -> ET.Element:
    path = tmp_path / "sen2.xml"
    export_to_path(path, collection_for(2027))
    active = ET.parse(path).getroot().find("Persons/Person/Requests/Request/ActivePlans")
    assert active is not None
    return active


def items(active: ET.Element, *names: str) -> tuple:
    return tuple(active.findtext(name) for name in names)


def review(plan, caseworker, *, held: date, decided: date | None, decision: str) -> AnnualReview:
    opened = services.review_open(plan=plan, acting_user=caseworker)
    services.review_meeting_record(
        review=opened,
        held_on=held,
        adulthood_discussed="Work experience and travel training.",
        acting_user=caseworker,
    )
    if decided is not None:
        services.review_decision_record(
            review=opened,
            details=services.ReviewDecision(
                decision=decision,
                decided_on=decided,
                reasons="Progress reviewed.",
                evidence="Speech and language therapy report, September 2026.",
                proposed_sections={"section_f": "More speech and language therapy."}
                if decision == "amend"
                else {},
                consulted_family_on=decided - timedelta(days=3),
                consulted_setting_on=decided - timedelta(days=3),
            ),
            acting_user=caseworker,
        )
    return opened


def test_a_plan_brought_in_reports_its_last_review_dates(plan, tmp_path):
    active = active_plan(tmp_path)
    assert items(active, "ReviewMeeting", "LastReview", "ReviewOutcome") == (
        "2026-06-02",
        "2026-06-20",
        None,  # an empty item is left out of the file
    )


def test_the_last_review_recorded_wins_over_the_plans_sen2_page(plan, caseworker, client, tmp_path):
    PlanDetail.objects.create(
        case=plan.case, review_meeting_on=date(2025, 6, 1), review_decided_on=date(2025, 6, 9)
    )
    review(plan, caseworker, held=date(2026, 9, 1), decided=date(2026, 9, 20), decision="amend")
    active = active_plan(tmp_path)
    assert items(active, "ReviewMeeting", "LastReview", "ReviewOutcome", "ReviewDraft") == (
        "2026-09-01",
        "2026-09-20",
        "2",
        "2026-09-20",
    )
    client.force_login(caseworker)
    page = client.get(reverse("sen2:case", args=[plan.case_id])).content.decode()
    assert "Amend the plan" in page and "20 September 2026" in page


def test_a_decision_not_yet_due_is_not_flagged(plan, caseworker, tmp_path):
    review(plan, caseworker, held=date(2026, 10, 26), decided=None, decision="")
    active = active_plan(tmp_path)
    assert items(active, "ReviewMeeting", "LastReview") == ("2026-10-26", None)
    # Census day (21 Jan 2027) is after the 4 weeks the decision had: D03 says so.
    flags = run_checks(collection_for(2027)).result("D03").flags
    assert [f.detail for f in flags] == [
        "Review meeting with no decision recorded; it was due by 23 Nov 2026"
    ]


def test_a_plan_passed_from_another_council_needs_its_code(plan, caseworker, client, tmp_path):
    plan.moves.create(
        direction="in",
        other_council="Kent County Council",
        move_on=date(2026, 5, 1),
        learnt_on=date(2026, 4, 20),
    )
    flags = run_checks(collection_for(2027)).result("T02").flags
    assert [f.detail for f in flags] == [
        "Passed from Kent County Council: enter that council's 3-digit code"
    ]
    client.force_login(caseworker)
    url = reverse("sen2:plan", args=[plan.case_id])
    response = client.post(url, rendered_form(client.get(url)).fill({"transfer_la": "88A"}))
    assert "3-digit code" in error_summary(response)
    assert not PlanDetail.objects.filter(case=plan.case).exists()
    response = client.post(url, rendered_form(client.get(url)).fill({"transfer_la": "886"}))
    assert response.status_code == 302, error_summary(response)
    assert run_checks(collection_for(2027)).result("T02").count == 0
    assert items(active_plan(tmp_path), "TransferLA") == ("886",)


def test_the_stop_page_asks_why_for_the_return(plan, caseworker, client, tmp_path):
    review(plan, caseworker, held=date(2026, 7, 24), decided=date(2026, 7, 31), decision="cease")
    client.force_login(caseworker)
    url = reverse("reviews:cease", args=[plan.case_id])
    form = rendered_form(client.get(url), with_field="sen2_cease_reason")
    assert form.fields["sen2_cease_reason"].kind == "radio"
    response = client.post(url, form.fill(date_values("ceased_on", date(2026, 10, 20))))
    assert "Choose why the plan stops" in error_summary(response)
    plan.refresh_from_db()
    assert plan.status == MaintainedPlan.Status.CEASING  # nothing saved
    response = client.post(
        url,
        form.fill({**date_values("ceased_on", date(2026, 10, 20)), "sen2_cease_reason": "2"}),
    )
    assert response.status_code == 302, error_summary(response)
    plan.refresh_from_db()
    assert (plan.status, plan.ceased_on) == (MaintainedPlan.Status.CEASED, date(2026, 10, 20))
    detail = PlanDetail.objects.get(case=plan.case)
    assert (detail.cease_date, detail.cease_reason) == (date(2026, 10, 20), "2")
    path = tmp_path / "sen2.xml"
    export_to_path(path, collection_for(2027))
    named = ET.parse(path).getroot().find("Persons/Person/Requests/Request/NamedPlan")
    assert (named.findtext("CeaseDate"), named.findtext("CeaseReason")) == ("2026-10-20", "2")
    assert run_checks(collection_for(2027)).result("C01").count == 0


def test_phase_transfer_dates(plan, caseworker, tmp_path):
    opened = services.review_open(plan=plan, acting_user=caseworker)
    AnnualReview.objects.filter(pk=opened.pk).update(
        kind=AnnualReview.Kind.PHASE_TRANSFER,
        transfer_due_on=date(2026, 2, 15),
        final_issued_on=date(2026, 3, 1),
    )
    active = active_plan(tmp_path)
    assert items(active, "PhaseTransferDueDate", "PhaseTransferFinalDate") == (
        "2026-02-15",
        "2026-03-01",
    )
    flags = run_checks(collection_for(2027)).result("D04").flags
    assert [f.detail for f in flags] == ["Amended plan issued 01 Mar 2026, due by 15 Feb 2026"]


def test_plan_cease_through_the_service_alone_still_needs_a_reason_for_the_return(plan, caseworker):
    """The reviews service itself does not ask SEN2's question; rule C01 then reports it."""
    review(plan, caseworker, held=date(2026, 7, 24), decided=date(2026, 7, 31), decision="cease")
    life.plan_cease(plan=plan, ceased_on=date(2026, 10, 20), acting_user=caseworker)
    flags = run_checks(collection_for(2027)).result("C01").flags
    assert len(flags) == 1


def test_mediation_and_appeals_come_from_the_disagreements_recorded(plan):
    from disagreements.models import Appeal, Disagreement, Mediation

    contents = Disagreement.objects.create(
        case=plan.case,
        decision=Disagreement.Decision.PLAN_CONTENTS,
        decision_sent_on=date(2026, 3, 2),
        opened_on=date(2026, 3, 10),
    )
    Mediation.objects.create(
        disagreement=contents,
        la_informed_on=date(2026, 3, 10),
        arrange_by=date(2026, 4, 9),
        held_on=date(2026, 4, 1),
    )
    Appeal.objects.create(
        disagreement=contents, registered_on=date(2026, 5, 1), deadline_on=date(2026, 5, 4)
    )
    [person] = return_people(collection_for(2027))
    [record] = person.requests
    assert (record.other_mediation, record.other_tribunal) == (True, True)
    assert not (record.request_mediation or record.request_tribunal)
    assert not (record.assessment_mediation or record.assessment_tribunal)
    # Held after census day: not yet counted.
    Mediation.objects.filter(disagreement=contents).update(held_on=date(2027, 2, 1))
    [person] = return_people(collection_for(2027))
    assert not person.requests[0].other_mediation
