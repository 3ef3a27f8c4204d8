"""The issue's "Done when" walk, through the real pages: a caseworker imports a plan last
reviewed 13 months ago (an overdue review shows at once), holds the meeting, decides to amend,
sends the proposals and issues the final amended plan 16 days later; the family sees each step
and its date; the manager's overdue figure moves. A Year 6 child's phase-transfer review shows
the 14 February deadline. Every form is filled from the fields the page shows."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from ehc.models import Deadline
from ehc.register.selectors import setting_label
from reviews.flows import AnnualReviewFlow
from reviews.models import AnnualReview, MaintainedPlan
from tests.conftest import london
from tests.reviews.conftest import TODAY, csv_bytes, link_parent
from tests.reviews.htmlforms import date_values, form_with

pytestmark = pytest.mark.django_db


def errors(response) -> str:
    text = response.content.decode()
    start = text.find("govuk-error-summary")
    return text[start : start + 1500] if start >= 0 else text[:1500]


def overdue_figure(client, manager) -> str:
    client.force_login(manager)
    page = client.get(reverse("reviews:dashboard")).content.decode()
    start = page.index('data-figure="overdue"')
    return page[start : start + 200]


def open_task(case_id: int, node) -> Task:
    return Task.objects.get(
        process__artifact_object_id=case_id,
        process__flow_class=AnnualReviewFlow,
        flow_task=node,
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    )


def submit_task(client, case_id, node, values, *, expect_ok=True, action_field=None):
    task = open_task(case_id, node)
    url = reverse("workflows:task", args=[case_id, task.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = form_with(page.content, action_field or next(iter(values)))
    response = client.post(url, form.fill(values))
    if expect_ok:
        assert response.status_code == 302, errors(response)
    return response


def test_done_when_walk(client, caseworker, manager, parent_user, primary):
    last_meeting = TODAY - timedelta(days=396)  # 13 months ago
    row = (
        f"LEG-1,Ada,Lovelace,2014-03-05,2022-06-01,{last_meeting},"
        f"{last_meeting + timedelta(days=20)},123456,ASD,casey"
    )
    assert ">0<" in overdue_figure(client, manager)

    # 1. A manager imports the plan through the import page (a caseworker may not: a
    # re-imported reference moves its case, whichever team holds it).
    client.force_login(caseworker)
    assert client.get(reverse("reviews:import")).status_code == 403
    client.force_login(manager)
    page = client.get(reverse("reviews:import"))
    assert page.status_code == 200
    form = form_with(page.content, "file")
    data = form.fill({})
    data["file"] = SimpleUploadedFile("plans.csv", csv_bytes(row), content_type="text/csv")
    response = client.post(reverse("reviews:import"), data)
    assert response.status_code == 302, errors(response)
    plan = MaintainedPlan.objects.get(import_reference="LEG-1")
    assert plan.case.assigned_caseworker == caseworker
    link_parent(plan, parent_user)

    # An overdue review shows at once: on the plan page, as a missed R2 clock, and in the figure.
    plan_page = client.get(reverse("reviews:plan", args=[plan.case_id])).content.decode()
    assert "Review overdue" in plan_page
    r2 = Deadline.objects.get(case=plan.case, kind="R2")
    assert r2.status == Deadline.Status.BREACHED
    assert r2.due_on == date(2026, 10, 1)
    assert ">1<" in overdue_figure(client, manager)

    # 2. The caseworker starts the review; the task is in the work queue with its date.
    client.force_login(caseworker)
    response = client.post(reverse("reviews:review_start", args=[plan.case_id]))
    assert response.status_code == 302
    queue = client.get(reverse("workflows:queue")).content.decode()
    assert "Arrange the review meeting (R4, R5)" in queue
    meeting = TODAY + timedelta(days=15)
    submit_task(
        client,
        plan.case_id,
        AnnualReviewFlow.arrange_meeting,
        {**date_values("meeting_on", meeting), **date_values("notice_sent_on", TODAY)},
    )
    client.force_login(parent_user)
    family_url = reverse("reviews_family:plan", args=[plan.case_id])
    family = client.get(family_url).content.decode()
    assert "is on 17 November 2026" in family

    # 3. The meeting is held (Year 7 now: no adulthood section needed yet).
    with time_machine.travel(london(2026, 11, 17, 12), tick=False):
        client.force_login(caseworker)
        submit_task(
            client,
            plan.case_id,
            AnnualReviewFlow.hold_meeting,
            date_values("held_on", meeting),
        )
        assert ">0<" in overdue_figure(client, manager)  # the manager's figure moves
        client.force_login(parent_user)
        family = client.get(family_url).content.decode()
        assert "was held on 17 November 2026" in family
        assert "decision by 15 December 2026" in family

    # 4. Report, then the decision to amend with the proposed amendments.
    decided = date(2026, 11, 27)
    with time_machine.travel(london(2026, 11, 27, 12), tick=False):
        client.force_login(caseworker)
        submit_task(
            client,
            plan.case_id,
            AnnualReviewFlow.send_report,
            {**date_values("sent_on", decided), "recommendations": "Add speech therapy."},
        )
        submit_task(
            client,
            plan.case_id,
            AnnualReviewFlow.decide,
            {
                "decision": "amend",
                **date_values("decided_on", decided),
                "reasons": "Speech and language needs have grown.",
                "evidence": "Therapist's report of October 2026.",
                "proposed_section_f": "Speech and language therapy, 1 hour a week.",
            },
        )
        client.force_login(parent_user)
        family = client.get(family_url).content.decode()
        assert "decided to <strong>amend the plan</strong>" in family
        assert "until <strong>11 December 2026</strong>" in family
        assert "Speech and language therapy, 1 hour a week." in family

    # 5. Issuing before the family's 15 days end is refused, nothing saved.
    with time_machine.travel(london(2026, 12, 11, 12), tick=False):
        client.force_login(caseworker)
        response = submit_task(
            client,
            plan.case_id,
            AnnualReviewFlow.finalise_amendments,
            {
                **date_values("issue-issued_on", date(2026, 12, 11)),
                "issue-named_setting": setting_label(primary),
            },
            expect_ok=False,
            action_field="issue-issued_on_0",
        )
        assert response.status_code == 200
        assert "15 days on the proposed amendments have ended (on 11 December 2026)" in errors(
            response
        )
        assert plan.versions.count() == 1

    # 6. The final amended plan, 16 days after the proposals.
    issued = decided + timedelta(days=16)
    with time_machine.travel(london(2026, 12, 13, 12), tick=False):
        client.force_login(caseworker)
        submit_task(
            client,
            plan.case_id,
            AnnualReviewFlow.finalise_amendments,
            {
                **date_values("issue-issued_on", issued),
                "issue-named_setting": setting_label(primary),
            },
            action_field="issue-issued_on_0",
        )
        review = AnnualReview.objects.get(plan=plan)
        assert review.outcome == AnnualReview.Outcome.AMENDED
        assert plan.versions.count() == 2
        r11 = Deadline.objects.get(case=plan.case, kind="R11")
        assert (r11.status, r11.met_on) == (Deadline.Status.MET, issued)
        compare = client.get(reverse("reviews:compare", args=[plan.case_id])).content.decode()
        assert "Speech and language therapy, 1 hour a week." in compare
        client.force_login(parent_user)
        family = client.get(family_url).content.decode()
        assert "issued the final amended plan on 13 December 2026" in family
        assert "What changed in the latest plan" in family
        assert "How to disagree" in family


def test_year_6_phase_transfer_review_shows_14_february(client, caseworker, primary):
    from tests.reviews.conftest import import_rows

    import_rows("LEG-6,Ben,Okafor,2015-10-10,2021-01-10,2025-12-01,2025-12-20,123456,SLCN,casey")
    plan = MaintainedPlan.objects.get(import_reference="LEG-6")
    client.force_login(caseworker)
    page = client.get(reverse("reviews:plan", args=[plan.case_id])).content.decode()
    assert "Year 6" in page
    assert "14 February 2027" in page
    client.post(reverse("reviews:review_start", args=[plan.case_id]))
    review = AnnualReview.objects.get(plan=plan)
    assert review.kind == AnnualReview.Kind.PHASE_TRANSFER
    assert review.transfer_due_on == date(2027, 2, 14)
    assert Deadline.objects.get(case=plan.case, kind="R14").due_on == date(2027, 2, 14)
    task = open_task(plan.case_id, AnnualReviewFlow.arrange_meeting)
    task_page = client.get(reverse("workflows:task", args=[plan.case_id, task.pk])).content
    assert "14 February 2027" in task_page.decode()
    assert "latest safe meeting 22 November 2026" in task_page.decode()
