"""End to end through the real staff pages: each statutory path of the assessment flow."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from viewflow.workflow.status import PROCESS

from ehc import timescales
from ehc.models import Case, CaseEvent, Deadline, Notice, TimescaleException
from tests.conftest import london
from tests.workflows.conftest import date_fields, open_task, task_url
from workflows.services import assessment_process_for

pytestmark = pytest.mark.django_db

RECEIVED = date(2026, 3, 2)
ADVISERS = ["parent", "educational", "medical", "psychological", "social_care"]


def deadline(case, kind, subject=""):
    return Deadline.objects.get(case=case, kind=kind, subject_key=subject)


def notify_and_decide(walk, *, assess: bool, decided_on: date, reasons=""):
    walk.post(
        "notify_considering",
        {
            **date_fields("notified_on", RECEIVED + timedelta(days=2)),
            "recipients": "ICB, social care, head teacher",
        },
    )
    walk.post(
        "decide_to_assess",
        {
            "decision": "yes" if assess else "no",
            **date_fields("decided_on", decided_on),
            "reasons": reasons,
        },
    )


def gather_all_advice(walk, asked_on: date, received_on: date):
    for adviser in ADVISERS:
        walk.post(
            f"advice_{adviser}",
            {**date_fields("asked_on", asked_on), "adviser_name": f"{adviser} service"},
        )
        walk.post(
            f"advice_{adviser}",
            {"action": "received", **date_fields("on", received_on), "summary": "Advice attached"},
        )


def draft_and_serve(walk, served_on: date):
    walk.post(
        "decide_to_issue",
        {"decision": "yes", **date_fields("decided_on", served_on - timedelta(days=7))},
    )
    walk.post(
        "draft_plan",
        {
            "section_a": "Loves trains",
            "section_b": "Dyslexia",
            "section_f": "Weekly specialist teaching, 2 hours",
        },
    )
    walk.post("serve_draft", date_fields("served_on", served_on))


def test_refused_at_six_weeks_closes_the_case_with_a_rights_notice(register, walker_for, client):
    case = register()
    walk = walker_for(case)
    notify_and_decide(
        walk, assess=False, decided_on=date(2026, 4, 10), reasons="Needs met at SEN support"
    )

    case.refresh_from_db()
    assert (case.stage, case.outcome) == (Case.Stage.CLOSED, Case.Outcome.NOT_ASSESSED)
    assert assessment_process_for(case).status == PROCESS.DONE
    assert deadline(case, "A2").status == Deadline.Status.MET
    assert deadline(case, "A13").status == Deadline.Status.NOT_NEEDED
    notice = case.notices.get(kind=Notice.Kind.REFUSAL_TO_ASSESS)
    assert notice.appeal_by == timescales.appeal_deadline(date(2026, 4, 10))
    page = client.get(reverse("ehc:notice", args=[case.pk, notice.pk])).content.decode()
    for required in [
        "right to appeal",
        "Needs met at SEN support",
        "mediation adviser",
        "disagreement resolution",
        "Independent information, advice and support",
        notice.appeal_by.strftime("%-d %B %Y"),
    ]:
        assert required in page


def test_assessed_and_no_plan_needed(register, walker_for):
    case = register()
    walk = walker_for(case)
    notify_and_decide(walk, assess=True, decided_on=date(2026, 4, 6))
    gather_all_advice(walk, date(2026, 4, 8), date(2026, 5, 15))
    walk.post(
        "decide_to_issue",
        {
            "decision": "no",
            **date_fields("decided_on", date(2026, 6, 1)),
            "reasons": "Provision can be met without a plan",
        },
    )

    case.refresh_from_db()
    assert case.outcome == Case.Outcome.NO_PLAN
    assert deadline(case, "A7").status == Deadline.Status.MET
    assert deadline(case, "A13").status == Deadline.Status.NOT_NEEDED
    assert case.notices.filter(kind=Notice.Kind.NO_PLAN).exists()
    assert assessment_process_for(case).status == PROCESS.DONE


def test_plan_issued_within_twenty_weeks(register, walker_for, client):
    case = register()
    walk = walker_for(case)
    notify_and_decide(walk, assess=True, decided_on=date(2026, 4, 6))
    assert deadline(case, "A2").met_on == date(2026, 4, 6)
    gather_all_advice(walk, date(2026, 4, 8), date(2026, 5, 15))
    assert deadline(case, "A5", "medical").due_on == date(2026, 5, 20)
    draft_and_serve(walk, served_on=date(2026, 6, 10))
    walk.post("consult_settings", {"action": "done"})
    walk.post(
        "issue_final_plan",
        {
            **date_fields("issued_on", date(2026, 7, 10)),
            "setting_type": "Mainstream primary school",
        },
    )

    case.refresh_from_db()
    assert case.outcome == Case.Outcome.PLAN_ISSUED
    a13 = deadline(case, "A13")
    assert (a13.due_on, a13.met_on, a13.status) == (date(2026, 7, 20), date(2026, 7, 10), "met")
    assert timescales.issued_within_20_weeks(RECEIVED, a13.met_on)
    assert deadline(case, "R1").due_on == date(2027, 7, 9)
    assert case.plan.status == "final" and "Mainstream" in case.plan.section_i
    assert assessment_process_for(case).status == PROCESS.DONE
    page = client.get(reverse("ehc:case_detail", args=[case.pk])).content.decode()
    assert "20 July 2026" not in page or "Final plan" in page
    assert "Dyslexia" in page


def test_plan_late_with_an_exception_is_disapplied_not_moved(register, walker_for, client):
    case = register()
    walk = walker_for(case)
    notify_and_decide(walk, assess=True, decided_on=date(2026, 4, 6))
    gather_all_advice(walk, date(2026, 4, 8), date(2026, 5, 15))
    a13 = deadline(case, "A13")
    response = client.post(
        reverse("ehc:exception_new", args=[case.pk, a13.pk]),
        {
            "code": "ABSENT_FROM_AREA",
            **date_fields("starts_on", date(2026, 6, 1)),
            **date_fields("ends_on", date(2026, 7, 15)),
            "evidence": "Email from family",
            "reasoning": "Family abroad; could not attend the draft meeting",
            **date_fields("family_told_on", date(2026, 6, 5)),
        },
    )
    assert response.status_code == 302
    draft_and_serve(walk, served_on=date(2026, 7, 20))
    walk.post("consult_settings", {"action": "done"})
    walk.post(
        "issue_final_plan",
        {**date_fields("issued_on", date(2026, 8, 20)), "setting_type": "Special school"},
    )
    a13.refresh_from_db()
    assert (a13.due_on, a13.status) == (date(2026, 7, 20), Deadline.Status.DISAPPLIED)
    assert a13.met_on == date(2026, 8, 20)


def test_plan_late_without_an_exception_is_missed(register, walker_for):
    case = register()
    walk = walker_for(case)
    notify_and_decide(walk, assess=True, decided_on=date(2026, 4, 6))
    gather_all_advice(walk, date(2026, 4, 8), date(2026, 5, 15))
    draft_and_serve(walk, served_on=date(2026, 7, 20))
    walk.post("consult_settings", {"action": "done"})
    walk.post(
        "issue_final_plan",
        {**date_fields("issued_on", date(2026, 8, 20)), "setting_type": "Special school"},
    )
    assert deadline(case, "A13").status == Deadline.Status.BREACHED


def test_decision_dated_before_the_request_is_refused_and_nothing_saved(register, walker_for):
    case = register()
    walk = walker_for(case)
    walk.post("notify_considering", {**date_fields("notified_on", RECEIVED), "recipients": "ICB"})
    response = walk.post(
        "decide_to_assess",
        {
            "decision": "yes",
            **date_fields("decided_on", RECEIVED - timedelta(days=1)),
        },
        expect_redirect=False,
    )
    assert response.status_code == 200
    assert "cannot be before the request was received" in response.content.decode()
    assert not case.events.filter(kind=CaseEvent.Kind.DECIDED_TO_ASSESS).exists()
    assert open_task(case, "decide_to_assess")


def test_decision_in_the_future_and_a_non_date_are_refused(register, walker_for):
    case = register()
    walk = walker_for(case)
    walk.post("notify_considering", {**date_fields("notified_on", RECEIVED), "recipients": "ICB"})
    future = walk.post(
        "decide_to_assess",
        {"decision": "yes", **date_fields("decided_on", date(2026, 12, 1))},
        expect_redirect=False,
    )
    assert "cannot be in the future" in future.content.decode()
    nonsense = walk.post(
        "decide_to_assess",
        {"decision": "yes", "decided_on_0": "31", "decided_on_1": "2", "decided_on_2": "2026"},
        expect_redirect=False,
    )
    assert "must be a real date" in nonsense.content.decode()
    assert case.events.count() == 2  # request + notification only


def test_final_plan_before_the_families_fifteen_days_is_refused(register, walker_for):
    case = register()
    walk = walker_for(case)
    notify_and_decide(walk, assess=True, decided_on=date(2026, 4, 6))
    gather_all_advice(walk, date(2026, 4, 8), date(2026, 5, 15))
    draft_and_serve(walk, served_on=date(2026, 6, 10))
    walk.post("consult_settings", {"action": "done"})
    response = walk.post(
        "issue_final_plan",
        {**date_fields("issued_on", date(2026, 6, 24)), "setting_type": "Special school"},
        expect_redirect=False,
    )
    assert "15 days" in response.content.decode()
    assert not case.events.filter(kind=CaseEvent.Kind.FINAL_PLAN_ISSUED).exists()


def test_advice_received_before_it_was_asked_for_is_refused(register, walker_for):
    case = register()
    walk = walker_for(case)
    notify_and_decide(walk, assess=True, decided_on=date(2026, 4, 6))
    walk.post(
        "advice_medical", {**date_fields("asked_on", date(2026, 4, 10)), "adviser_name": "CCG"}
    )
    response = walk.post(
        "advice_medical",
        {"action": "received", **date_fields("on", date(2026, 4, 9))},
        expect_redirect=False,
    )
    assert response.status_code == 200
    assert not case.events.filter(kind=CaseEvent.Kind.ADVICE_RECEIVED).exists()


def test_a_task_submitted_twice_completes_once(register, walker_for, client):
    case = register()
    walk = walker_for(case)
    walk.post("notify_considering", {**date_fields("notified_on", RECEIVED), "recipients": "ICB"})
    task = walk.take("decide_to_assess")
    data = {"decision": "yes", **date_fields("decided_on", date(2026, 4, 6))}
    first = client.post(task_url(case, task), data)
    second = client.post(task_url(case, task), data)
    assert first.status_code == 302 and second.status_code == 302
    assert case.events.filter(kind=CaseEvent.Kind.DECIDED_TO_ASSESS).count() == 1


def test_withdrawal_cancels_open_tasks_and_stops_deadlines(register, walker_for, client):
    case = register(received=london(2026, 10, 20))
    response = client.post(
        reverse("workflows:close", args=[case.pk]),
        {
            "kind": "withdrawn",
            **date_fields("closed_on", date(2026, 10, 30)),
            "reason": "Family withdrew by email",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.outcome == Case.Outcome.WITHDRAWN
    assert assessment_process_for(case).status == PROCESS.CANCELED
    assert not Deadline.objects.filter(case=case, is_open=True).exists()


def test_exception_not_allowed_for_a_deadline_is_refused(register, walker_for, client):
    case = register()
    a2 = deadline(case, "A2")
    response = client.post(
        reverse("ehc:exception_new", args=[case.pk, a2.pk]),
        {
            "code": "MISSED_APPOINTMENT",
            **date_fields("starts_on", date(2026, 3, 10)),
            **date_fields("ends_on", date(2026, 3, 20)),
            "evidence": "x",
            "reasoning": "y",
        },
    )
    assert response.status_code == 200
    assert not TimescaleException.objects.exists()
