"""A caseworker takes a Statement through its transfer review on the staff pages, end to end."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from conversions.flows import TransferReviewFlow
from conversions.models import LegacyInstrument, TransferReview, TransferReviewProcess
from ehc import timescales
from ehc.models import Case, Deadline, Notice
from tests.conftest import london
from tests.conversions.conftest import date_fields, row

pytestmark = pytest.mark.django_db
ADVISERS = ["parent", "educational", "medical", "psychological", "social_care"]


@pytest.fixture(autouse=True)
def frozen_today():
    """1 February 2016: the 2015 dates below are in the past, as a caseworker records them."""
    with time_machine.travel(london(2016, 2, 1, 12), tick=False):
        yield


@pytest.fixture
def statement(import_rows):
    report = import_rows([row(reference="ST-0001")], today=date(2016, 2, 1))
    assert report.ok, report.errors
    return LegacyInstrument.objects.get(reference="ST-0001")


@pytest.fixture
def lda(import_rows):
    report = import_rows(
        [
            row(
                reference="LDA-0001",
                instrument_type="LDA",
                date_of_birth="1997-05-01",
                made_on="2013-07-01",
                year_group="",
                year_group_year="",
            )
        ],
        today=date(2016, 2, 1),
    )
    assert report.ok, report.errors
    return LegacyInstrument.objects.get(reference="LDA-0001")


class Walker:
    """Opens the transfer review and completes its tasks through the staff pages."""

    def __init__(self, client, instrument, team):
        self.client, self.instrument, self.team = client, instrument, team
        self.review = None

    def begin(self):
        response = self.client.post(
            reverse("conversions:instrument_detail", args=[self.instrument.pk]),
            {"team": self.team.pk},
        )
        assert response.status_code == 302, response.content[:800]
        self.review = TransferReview.objects.get(instrument=self.instrument)
        assert response["Location"] == reverse("conversions:review_detail", args=[self.review.pk])
        return self.review

    def task(self, node_name):
        return Task.objects.get(
            process__artifact_object_id=self.review.pk,
            process__flow_class=TransferReviewFlow,
            flow_task=getattr(TransferReviewFlow, node_name),
            status__in=[STATUS.NEW, STATUS.ASSIGNED],
        )

    def post(self, node_name, data, expect_redirect=True):
        task = self.task(node_name)
        url = reverse("conversions:task", args=[self.review.pk, task.pk])
        assert self.client.get(url).status_code == 200
        response = self.client.post(url, data)
        if expect_redirect:
            assert response.status_code == 302, _errors(response)
        return response


def _errors(response) -> str:
    text = response.content.decode()
    start = text.find("govuk-error-summary")
    return text[start : start + 1500] if start >= 0 else text[:1500]


@pytest.fixture
def walk(client, caseworker, team):
    client.force_login(caseworker)

    def make(instrument):
        return Walker(client, instrument, team)

    return make


def t10_row(case) -> Deadline:
    return Deadline.objects.get(case=case, kind="T10")


def test_statement_to_final_plan_through_the_staff_pages(walk, statement, client, caseworker):
    w = walk(statement)
    review = w.begin()
    assert review.caseworker == caseworker and w.task("give_notice").owner == caseworker
    w.post(
        "give_notice",
        {
            **date_fields("notice_given_on", date(2015, 9, 2)),
            **date_fields("planned_start_on", date(2015, 9, 16)),
        },
    )
    w.post("start_review", date_fields("started_on", date(2015, 9, 16)))
    review.refresh_from_db()
    case = review.case
    assert (case.requester_type, case.brought_to_attention_on) == ("other", date(2015, 9, 16))
    assert case.child == statement.child and case.assigned_caseworker == caseworker

    # The dated timescale (T10: 18 weeks from a start on or after 1 Sept 2015) is on the case,
    # kept by this app through deadline_track, where alerts and dashboards read it.
    deadline = t10_row(case)
    assert deadline.source == "conversions"
    assert deadline.due_on == timescales.transfer_review_plan_due(
        date(2015, 9, 16), date(2015, 9, 2)
    )
    assert deadline.due_on == date(2016, 1, 20) and deadline.is_open
    assert deadline.legal_basis == timescales.RULES["T10"].legal_basis

    w.post(
        "family_meeting",
        {
            **date_fields("met_on", date(2015, 9, 23)),
            "notes": "Parents keen on the local secondary.",
        },
    )
    w.post(
        "record_advice",
        {
            "advisers": ADVISERS,
            **date_fields("requested_on", date(2015, 9, 24)),
            **date_fields("received_on", date(2015, 10, 28)),
            "summary": "All advice in",
        },
    )
    w.post("decide_to_issue", {"decision": "yes", **date_fields("decided_on", date(2015, 11, 2))})
    w.post(
        "draft_plan",
        {
            "section_a": "Loves chess",
            "section_b": "Autism",
            "section_f": "Daily small-group teaching",
        },
    )
    w.post("serve_draft", date_fields("served_on", date(2015, 11, 9)))
    w.post(
        "issue_final_plan",
        {
            **date_fields("issued_on", date(2015, 12, 1)),
            "setting_type": "Mainstream secondary school",
        },
    )

    review.refresh_from_db()
    case.refresh_from_db()
    assert (review.concluded_on, review.outcome, review.meeting_on) == (
        date(2015, 12, 1),
        "plan_issued",
        date(2015, 9, 23),
    )
    assert case.outcome == Case.Outcome.PLAN_ISSUED
    assert case.plan.status == "final" and case.plan.section_b == "Autism"
    assert case.notices.filter(kind=Notice.Kind.FINAL_PLAN).exists()
    deadline = t10_row(case)
    assert (deadline.met_on, deadline.status, deadline.is_open) == (date(2015, 12, 1), "met", False)
    process = TransferReviewProcess.objects.get(
        artifact_object_id=review.pk, flow_class=TransferReviewFlow
    )
    assert process.status == PROCESS.DONE
    assert not Task.objects.filter(
        process=process, status__in=[STATUS.NEW, STATUS.ASSIGNED]
    ).exists()

    case_page = client.get(reverse("ehc:case_detail", args=[case.pk])).content.decode()
    assert "Final plan after a transfer review (started on or after 1 September 2015)" in case_page
    review_page = client.get(
        reverse("conversions:review_detail", args=[review.pk])
    ).content.decode()
    assert "20 January 2016 (T10)" in review_page and case.reference in review_page


def test_a_start_sooner_than_two_weeks_after_notice_is_refused_and_nothing_saved(walk, statement):
    w = walk(statement)
    review = w.begin()
    response = w.post(
        "give_notice",
        {
            **date_fields("notice_given_on", date(2015, 9, 2)),
            **date_fields("planned_start_on", date(2015, 9, 15)),
        },
        expect_redirect=False,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "at least 2 weeks&#x27; notice" in page and "earliest start is 16 September 2015" in page
    review.refresh_from_db()
    assert review.notice_given_on is None and review.planned_start_on is None
    assert w.task("give_notice").status in (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)

    w.post(
        "give_notice",
        {
            **date_fields("notice_given_on", date(2015, 9, 2)),
            **date_fields("planned_start_on", date(2015, 9, 16)),
        },
    )
    response = w.post(
        "start_review", date_fields("started_on", date(2015, 9, 10)), expect_redirect=False
    )
    assert (
        response.status_code == 200
        and "earliest start is 16 September 2015" in response.content.decode()
    )
    review.refresh_from_db()
    assert review.started_on is None and review.case is None
    assert not Case.objects.exists() and not Deadline.objects.exists()


def test_a_start_in_the_future_is_refused(walk, statement):
    w = walk(statement)
    w.begin()
    w.post(
        "give_notice",
        {
            **date_fields("notice_given_on", date(2016, 1, 25)),
            **date_fields("planned_start_on", date(2016, 2, 8)),
        },
    )
    response = w.post(
        "start_review", date_fields("started_on", date(2016, 2, 8)), expect_redirect=False
    )
    assert "cannot be in the future" in response.content.decode()
    assert not Case.objects.exists()


def test_decision_that_no_plan_is_needed_concludes_the_review(walk, statement):
    w = walk(statement)
    review = w.begin()
    w.post(
        "give_notice",
        {
            **date_fields("notice_given_on", date(2015, 9, 2)),
            **date_fields("planned_start_on", date(2015, 9, 16)),
        },
    )
    w.post("start_review", date_fields("started_on", date(2015, 9, 16)))
    w.post("family_meeting", date_fields("met_on", date(2015, 9, 23)))
    w.post(
        "record_advice",
        {
            "advisers": ["educational", "psychological"],
            **date_fields("requested_on", date(2015, 9, 24)),
            **date_fields("received_on", date(2015, 10, 28)),
        },
    )
    w.post(
        "decide_to_issue",
        {
            "decision": "no",
            **date_fields("decided_on", date(2015, 11, 2)),
            "reasons": "Needs can be met from the school's resources",
        },
    )
    review.refresh_from_db()
    assert (review.outcome, review.concluded_on) == ("no_plan", date(2015, 11, 2))
    assert review.case.outcome == Case.Outcome.NO_PLAN
    assert review.case.notices.filter(kind=Notice.Kind.NO_PLAN).exists()
    assert (t10_row(review.case).met_on, t10_row(review.case).status) == (date(2015, 11, 2), "met")
    process = TransferReviewProcess.objects.get(artifact_object_id=review.pk)
    assert process.status == PROCESS.DONE


def test_an_lda_transfer_starts_without_notice_and_runs_on_the_twenty_week_clock(walk, lda):
    w = walk(lda)
    review = w.begin()
    assert not Task.objects.filter(
        process__artifact_object_id=review.pk, flow_task=TransferReviewFlow.give_notice
    ).exists()
    w.post("start_review", date_fields("started_on", date(2015, 10, 5)))
    review.refresh_from_db()
    a13 = Deadline.objects.get(case=review.case, kind="A13")
    assert a13.due_on == timescales.final_plan_due(date(2015, 10, 5)) == review.plan_due_on
    assert not review.case.deadlines.filter(source="conversions").exists()


def test_caseworker_can_release_and_take_a_task(client, walk, statement):
    w = walk(statement)
    review = w.begin()
    task = w.task("give_notice")
    url = reverse("conversions:task_action", args=[review.pk, task.pk, "release"])
    assert client.post(url).status_code == 302
    task.refresh_from_db()
    assert task.owner is None
    page = client.get(reverse("conversions:task", args=[review.pk, task.pk])).content.decode()
    assert "Take this task" in page
    client.post(reverse("conversions:task_action", args=[review.pk, task.pk, "take"]))
    task.refresh_from_db()
    assert task.owner_id is not None


def test_non_statutory_plans_and_second_reviews_are_refused(
    client, caseworker, team, import_rows, walk, statement
):
    import_rows([row(reference="NS-1", instrument_type="NON_STATUTORY")], today=date(2016, 2, 1))
    non_statutory = LegacyInstrument.objects.get(reference="NS-1")
    client.force_login(caseworker)
    response = client.post(
        reverse("conversions:instrument_detail", args=[non_statutory.pk]), {"team": team.pk}
    )
    assert response.status_code == 200 and "not transferred" in response.content.decode()
    assert not TransferReview.objects.filter(instrument=non_statutory).exists()
    walk(statement).begin()
    response = client.post(
        reverse("conversions:instrument_detail", args=[statement.pk]), {"team": team.pk}
    )
    assert "already has a transfer review" in response.content.decode()
    assert TransferReview.objects.count() == 1
