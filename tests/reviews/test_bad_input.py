"""Bad input, per the issue: each a clear message and nothing saved, never a 500."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse

from ehc.models import Case, Child, Deadline
from reviews import imports, services
from reviews.models import AnnualReview, MaintainedPlan
from tests.reviews.conftest import TODAY, csv_bytes, import_rows

pytestmark = pytest.mark.django_db

GOOD = "LEG-1,Ada,Lovelace,2014-03-05,2022-06-01,2025-10-02,2025-10-20,123456,ASD,casey"


def check(*rows: str, **kwargs):
    return imports.plans_import_csv(stream=io.BytesIO(csv_bytes(*rows, **kwargs)), acting_user=None)


def test_import_lists_every_bad_row_by_line_and_saves_nothing(caseworker, primary):
    report = check(
        GOOD,
        "LEG-2,Ben,Out,2014-03-05,2022-06-01,2021-01-01,,123456,ASD,",  # meeting before issue
        "LEG-3,Cat,Old,1990-01-01,2010-06-01,,,123456,,",  # over 25
        "LEG-4,Dev,Urn,2014-03-05,2022-06-01,,,999999,,",  # unknown URN
        "LEG-5,Eve,Order,2014-03-05,2022-06-01,2025-10-02,2025-09-01,,,",  # decision first
        "LEG-1,Ada,Again,2014-03-05,2022-06-01,,,,,",  # duplicate reference
        "LEG-6,Fay,Date,2014-02-30,2022-06-01,,,,,",  # not a date
        "LEG-7,Gus,Worker,2014-03-05,2022-06-01,,,,,nobody",  # unknown caseworker
    )
    assert not report.ok
    by_line = {(e.line, e.message) for e in report.errors}
    assert (
        3,
        "The last review meeting (01 January 2021) is before the plan was issued (01 June 2022).",
    ) in by_line
    assert (4, imports.TOO_OLD) in by_line
    assert (5, imports.UNKNOWN_SETTING.format(value="999999")) in by_line
    assert any(line == 6 and "is before the review meeting" in m for line, m in by_line)
    assert (7, "Reference LEG-1 is also on line 2.") in by_line
    assert any(line == 8 and "not a real date" in m for line, m in by_line)
    assert (9, imports.UNKNOWN_CASEWORKER.format(value="nobody")) in by_line
    assert not MaintainedPlan.objects.exists()
    assert not Child.objects.exists()


def test_import_header_problems_and_empty_files(db):
    assert (
        check(header="reference,first_name\n")
        .errors[0]
        .message.startswith("The header row is missing")
    )
    empty = imports.plans_import_csv(stream=io.BytesIO(b""), acting_user=None)
    assert empty.errors[0].message == imports.EMPTY
    latin = imports.plans_import_csv(
        stream=io.BytesIO("ref\xe9".encode("latin-1")), acting_user=None
    )
    assert latin.errors[0].message == imports.NOT_UTF8


def test_reimport_updates_in_place(caseworker, primary, secondary):
    import_rows(GOOD)
    plan = MaintainedPlan.objects.get()
    assert plan.next_review_due == date(2026, 10, 1)
    report = import_rows(
        "LEG-1,Ada,Lovelace-Byron,2014-03-05,2022-06-01,2026-10-01,2026-10-20,654321,SLCN,casey"
    )
    assert (report.created, report.updated) == (0, 1)
    plan.refresh_from_db()
    assert MaintainedPlan.objects.count() == 1 and Case.objects.count() == 1
    assert plan.child.last_name == "Lovelace-Byron"
    assert plan.current_setting == secondary
    assert plan.next_review_due == date(2027, 9, 30)
    r2 = Deadline.objects.get(case=plan.case, kind="R2")
    assert (r2.due_on, r2.status) == (date(2027, 9, 30), Deadline.Status.RUNNING)


def test_import_command_reports_lines_and_fails(tmp_path, caseworker, primary):
    path = tmp_path / "plans.csv"
    path.write_bytes(csv_bytes("LEG-9,Ann,Bad,2014-03-05,2022-06-01,2021-01-01,,,,"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_plans", str(path), stderr=err)
    assert "line 2 (LEG-9): The last review meeting" in err.getvalue()
    path.write_bytes(csv_bytes(GOOD))
    out = io.StringIO()
    call_command("import_plans", str(path), stdout=out)
    assert "Imported 1 new plan(s)" in out.getvalue()


def test_import_page_shows_the_errors(client, manager, primary):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(manager)
    response = client.post(
        reverse("reviews:import"),
        {
            "file": SimpleUploadedFile(
                "p.csv", csv_bytes("LEG-4,Dev,Urn,2014-03-05,2022-06-01,,,999999,,")
            )
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nothing was imported" in text
    assert "Line 2 (LEG-4): No school or setting has the URN or UKPRN 999999" in text


@pytest.fixture
def review(caseworker, primary):
    import_rows(GOOD)
    plan = MaintainedPlan.objects.get()
    return services.review_open(plan=plan, acting_user=caseworker)


def test_review_cannot_start_twice_for_the_same_plan_and_period(review, caseworker):
    with pytest.raises(ValidationError, match="already open"):
        services.review_open(plan=review.plan, acting_user=caseworker)
    # The database refuses it too, even past the service's check.
    review.outcome = AnnualReview.Outcome.MAINTAINED
    review.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReview.objects.create(
            plan=review.plan, due_on=review.due_on, opened_on=TODAY, kind="annual"
        )
    with pytest.raises(ValidationError, match="already been started"):
        services.review_open(plan=review.plan, acting_user=caseworker)


def test_meeting_before_issue_and_decision_before_meeting_refused(review, caseworker):
    with pytest.raises(ValidationError) as error:
        services.review_meeting_record(
            review=review, held_on=date(2022, 5, 1), adulthood_discussed="", acting_user=caseworker
        )
    assert "before the plan was issued" in str(error.value)
    services.review_meeting_record(
        review=review,
        held_on=TODAY - timedelta(days=3),
        adulthood_discussed="",
        acting_user=caseworker,
    )
    with pytest.raises(ValidationError, match="cannot be before the review meeting"):
        services.review_decision_record(
            review=review,
            details=services.ReviewDecision(
                decision="maintain",
                decided_on=TODAY - timedelta(days=5),
                reasons="",
                proposed_sections={},
            ),
            acting_user=caseworker,
        )
    review.refresh_from_db()
    assert review.decided_on is None


def test_cease_without_consultation_refused(review, caseworker):
    services.review_meeting_record(
        review=review,
        held_on=TODAY - timedelta(days=3),
        adulthood_discussed="",
        acting_user=caseworker,
    )
    decision = services.ReviewDecision(
        decision="cease",
        decided_on=TODAY,
        reasons="The plan is no longer necessary.",
        proposed_sections={},
    )
    with pytest.raises(ValidationError) as error:
        services.review_decision_record(review=review, details=decision, acting_user=caseworker)
    assert services.CONSULTATION_NEEDED in str(error.value)
    review.refresh_from_db()
    assert review.plan.status == MaintainedPlan.Status.MAINTAINED


def test_amend_needs_proposals_and_evidence(review, caseworker):
    services.review_meeting_record(
        review=review,
        held_on=TODAY - timedelta(days=3),
        adulthood_discussed="",
        acting_user=caseworker,
    )
    with pytest.raises(ValidationError, match="proposed amendments must go with the decision"):
        services.review_decision_record(
            review=review,
            details=services.ReviewDecision(
                decision="amend",
                decided_on=TODAY,
                reasons="Needs changed",
                proposed_sections={"section_f": "  "},
                evidence="x",
            ),
            acting_user=caseworker,
        )


def test_decide_page_shows_errors_not_500(client, review, caseworker):
    from reviews.flows import AnnualReviewFlow
    from tests.reviews.htmlforms import date_values, form_with
    from tests.reviews.test_journey import open_task

    services.review_meeting_arrange(
        review=review,
        meeting_on=TODAY - timedelta(days=3),
        notice_sent_on=TODAY - timedelta(days=20),
        advice_circulated_on=None,
        acting_user=caseworker,
    )
    client.force_login(caseworker)
    task = open_task(review.plan.case_id, AnnualReviewFlow.arrange_meeting)
    url = reverse("workflows:task", args=[review.plan.case_id, task.pk])
    form = form_with(client.get(url).content, "meeting_on_0")
    response = client.post(
        url,
        form.fill(
            {
                **date_values("meeting_on", date(2020, 1, 1)),
                **date_values("notice_sent_on", date(2019, 12, 1)),
            }
        ),
    )
    assert response.status_code == 200
    assert "cannot be before the plan was issued" in response.content.decode()
