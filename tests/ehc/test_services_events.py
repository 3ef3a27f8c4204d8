"""ehc.services.events: recording dated events, moving the case on, and what that does to deadlines."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from ehc import timescales as ts
from ehc.models import Case, CaseEvent, Deadline
from ehc.services import case_event_record, events
from tests.conftest import london

pytestmark = pytest.mark.django_db

K = CaseEvent.Kind
S = Deadline.Status
MON_2_MAR_2026 = date(2026, 3, 2)


def day(n: int) -> date:
    """Day n of the case (day 0 is the request, Mon 2 Mar 2026)."""
    return MON_2_MAR_2026 + timedelta(days=n)


@pytest.fixture
def record(caseworker):
    def record(case, kind, on, subject_key="", user=caseworker):
        return case_event_record(
            case=case, kind=kind, occurred_on=on, subject_key=subject_key, acting_user=user
        )

    return record


@pytest.fixture
def case(make_case):
    """A request received Mon 2 Mar 2026; today is frozen by each test."""
    with time_machine.travel(london(2026, 3, 2, 12), tick=False):
        return make_case(received_at=london(2026, 3, 2, 9))


def deadline(case, kind, subject_key=""):
    return Deadline.objects.get(case=case, kind=kind, subject_key=subject_key)


def snapshot(case):
    """Everything an event could change, to check a refused event changed nothing."""
    case = Case.objects.get(pk=case.pk)
    return (
        case.stage,
        case.outcome,
        case.closed_on,
        list(case.events.values_list("kind", "occurred_on", "subject_key")),
        list(case.deadlines.values_list("kind", "subject_key", "status", "is_open", "met_on")),
        Deadline.history.filter(case_id=case.pk).count(),
        case.history.count(),
    )


def assert_refused(record, case, kind, on, message, subject_key=""):
    before = snapshot(case)
    with pytest.raises(ValidationError) as excinfo:
        record(case, kind, on, subject_key)
    assert message in excinfo.value.messages
    assert snapshot(case) == before


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


@time_machine.travel(london(2026, 3, 20, 12), tick=False)
def test_event_dated_in_the_future_is_refused_and_nothing_saved(case, record):
    assert_refused(record, case, K.DECIDED_TO_ASSESS, date(2026, 3, 21), events.EVENT_IN_FUTURE)


@time_machine.travel(london(2026, 3, 20, 12), tick=False)
def test_event_dated_before_the_request_is_refused_and_nothing_saved(case, record):
    assert_refused(
        record,
        case,
        K.DECIDED_TO_ASSESS,
        date(2026, 3, 1),
        events.EVENT_BEFORE_REQUEST.format(start=MON_2_MAR_2026),
    )


@time_machine.travel(london(2026, 3, 20, 12), tick=False)
def test_event_dated_today_and_on_the_request_day_are_accepted(case, record):
    record(case, K.CONSIDERING_NOTIFIED, MON_2_MAR_2026)
    record(case, K.DECIDED_TO_ASSESS, date(2026, 3, 20))
    assert case.events.count() == 3


# ---------------------------------------------------------------------------
# Once-only events and order
# ---------------------------------------------------------------------------


@time_machine.travel(london(2026, 4, 1, 12), tick=False)
def test_decision_recorded_twice_is_refused_the_second_time(case, record):
    record(case, K.DECIDED_TO_ASSESS, day(20))

    assert_refused(record, case, K.DECIDED_TO_ASSESS, day(25), events.ALREADY_RECORDED)
    assert case.events.filter(kind=K.DECIDED_TO_ASSESS).count() == 1


@time_machine.travel(london(2026, 4, 1, 12), tick=False)
def test_opposite_decision_on_whether_to_assess_is_refused_once_one_is_recorded(case, record):
    record(case, K.DECIDED_TO_ASSESS, day(20))

    assert_refused(record, case, K.DECIDED_NOT_TO_ASSESS, day(25), events.ALREADY_RECORDED)


@time_machine.travel(london(2026, 7, 1, 12), tick=False)
def test_opposite_decision_on_whether_to_issue_is_refused_once_one_is_recorded(case, record):
    record(case, K.DECIDED_TO_ASSESS, day(20))
    record(case, K.DECIDED_TO_ISSUE, day(80))

    assert_refused(record, case, K.DECIDED_NOT_TO_ISSUE, day(85), events.ALREADY_RECORDED)


@time_machine.travel(london(2026, 4, 1, 12), tick=False)
def test_advice_received_without_a_matching_request_is_refused(case, record):
    record(case, K.DECIDED_TO_ASSESS, day(10))
    record(case, K.ADVICE_REQUESTED, day(12), "medical")

    assert_refused(
        record,
        case,
        K.ADVICE_RECEIVED,
        day(20),
        events.NEEDS_EARLIER.format(needed=K.ADVICE_REQUESTED.label),
        subject_key="psychological",
    )


@time_machine.travel(london(2026, 4, 1, 12), tick=False)
def test_advice_received_before_it_was_requested_is_refused(case, record):
    record(case, K.DECIDED_TO_ASSESS, day(10))
    record(case, K.ADVICE_REQUESTED, day(12), "medical")

    assert_refused(
        record,
        case,
        K.ADVICE_RECEIVED,
        day(11),
        events.BEFORE_EARLIER.format(needed=K.ADVICE_REQUESTED.label, on=day(12)),
        subject_key="medical",
    )


@time_machine.travel(london(2026, 4, 1, 12), tick=False)
def test_decision_to_issue_before_deciding_to_assess_is_refused(case, record):
    assert_refused(
        record,
        case,
        K.DECIDED_TO_ISSUE,
        day(20),
        events.NEEDS_EARLIER.format(needed=K.DECIDED_TO_ASSESS.label),
    )


# ---------------------------------------------------------------------------
# Moving the case on
# ---------------------------------------------------------------------------


@time_machine.travel(london(2026, 6, 1, 12), tick=False)
def test_stages_follow_the_statutory_steps(case, record):
    stages = []
    for kind, n in [(K.DECIDED_TO_ASSESS, 20), (K.DECIDED_TO_ISSUE, 60), (K.DRAFT_SERVED, 70)]:
        record(case, kind, day(n))
        case.refresh_from_db()
        stages.append(case.stage)
    assert stages == [Case.Stage.ASSESSING, Case.Stage.DRAFTING, Case.Stage.DRAFT_ISSUED]
    assert case.outcome == Case.Outcome.OPEN


@time_machine.travel(london(2026, 4, 1, 12), tick=False)
def test_event_records_who_recorded_it(case, record, other_caseworker):
    event = record(case, K.DECIDED_TO_ASSESS, day(20), user=other_caseworker)

    assert event.recorded_by == other_caseworker
    assert event.history.first().history_user == other_caseworker
    case.refresh_from_db()
    assert case.history.first().history_user == other_caseworker


@time_machine.travel(london(2026, 4, 1, 12), tick=False)
def test_decided_not_to_assess_closes_case_a2_met_a7_a13_not_needed(case, record):
    record(case, K.DECIDED_NOT_TO_ASSESS, day(30))

    case.refresh_from_db()
    assert case.stage == Case.Stage.CLOSED
    assert case.outcome == Case.Outcome.NOT_ASSESSED
    assert case.closed_on == day(30)
    a2 = deadline(case, "A2")
    assert (a2.status, a2.is_open, a2.met_on) == (S.MET, False, day(30))
    for kind in ("A7", "A13"):
        d = deadline(case, kind)
        assert (d.status, d.is_open) == (S.NOT_NEEDED, False)
        assert d.due_on == {"A7": date(2026, 6, 22), "A13": date(2026, 7, 20)}[kind]


@time_machine.travel(london(2026, 4, 1, 12), tick=False)
def test_closed_case_refuses_further_decisions(case, record):
    record(case, K.DECIDED_NOT_TO_ASSESS, day(20))

    assert_refused(record, case, K.DECIDED_TO_ASSESS, day(25), events.CASE_CLOSED)
    record(case, K.NOTE, day(26))  # notes are still allowed


@time_machine.travel(london(2026, 4, 1, 12), tick=False)
def test_withdrawn_case_cannot_be_reclosed_as_moved_la(case, record):
    record(case, K.WITHDRAWN, day(20))

    assert_refused(record, case, K.MOVED_LA, day(25), events.CASE_CLOSED)
    case.refresh_from_db()
    assert (case.outcome, case.closed_on) == (Case.Outcome.WITHDRAWN, day(20))


# ---------------------------------------------------------------------------
# Advice (A5)
# ---------------------------------------------------------------------------


@time_machine.travel(london(2026, 4, 10, 12), tick=False)
def test_each_adviser_gets_a_six_week_deadline_from_its_own_request(case, record):
    record(case, K.DECIDED_TO_ASSESS, day(14))
    record(case, K.ADVICE_REQUESTED, day(15), "medical")
    record(case, K.ADVICE_REQUESTED, day(18), "psychological")

    a5 = {d.subject_key: d for d in case.deadlines.filter(kind="A5")}
    assert set(a5) == {"medical", "psychological"}
    assert (a5["medical"].starts_on, a5["medical"].due_on) == (day(15), day(15 + 42))
    assert (a5["psychological"].starts_on, a5["psychological"].due_on) == (day(18), day(60))
    assert all(d.status == S.RUNNING and d.is_open for d in a5.values())


@time_machine.travel(london(2026, 6, 1, 12), tick=False)
def test_advice_received_on_time_meets_only_that_advisers_deadline(case, record):
    record(case, K.DECIDED_TO_ASSESS, day(14))
    record(case, K.ADVICE_REQUESTED, day(15), "medical")
    record(case, K.ADVICE_REQUESTED, day(15), "psychological")

    record(case, K.ADVICE_RECEIVED, day(57), "medical")  # the last day

    medical, psych = deadline(case, "A5", "medical"), deadline(case, "A5", "psychological")
    assert (medical.status, medical.is_open, medical.met_on) == (S.MET, False, day(57))
    assert (psych.status, psych.is_open, psych.met_on) == (S.BREACHED, True, None)


@time_machine.travel(london(2026, 6, 1, 12), tick=False)
def test_advice_received_late_is_breached(case, record):
    record(case, K.DECIDED_TO_ASSESS, day(14))
    record(case, K.ADVICE_REQUESTED, day(15), "medical")

    record(case, K.ADVICE_RECEIVED, day(58), "medical")

    medical = deadline(case, "A5", "medical")
    assert (medical.status, medical.is_open, medical.met_on) == (S.BREACHED, False, day(58))
    assert medical.met_late


# ---------------------------------------------------------------------------
# Draft and final plan
# ---------------------------------------------------------------------------


@pytest.fixture
def drafted(case, record):
    """Decided to issue; draft served Wed 10 Jun 2026, so the family's window ends 24 Jun."""
    with time_machine.travel(london(2026, 6, 10, 12), tick=False):
        record(case, K.DECIDED_TO_ASSESS, day(20))
        record(case, K.DECIDED_TO_ISSUE, date(2026, 6, 1))
        record(case, K.DRAFT_SERVED, date(2026, 6, 10))
    return case


@time_machine.travel(london(2026, 6, 20, 12), tick=False)
def test_draft_served_opens_the_family_window(drafted):
    window = deadline(drafted, "A10")
    assert window.due_on == date(2026, 6, 24)
    assert window.is_family_window
    assert (window.status, window.is_open) == (S.RUNNING, True)


@time_machine.travel(london(2026, 7, 1, 12), tick=False)
def test_final_plan_on_the_last_day_of_the_draft_window_is_refused(drafted, record):
    assert_refused(
        record,
        drafted,
        K.FINAL_PLAN_ISSUED,
        date(2026, 6, 24),
        events.FINAL_BEFORE_WINDOW.format(end=date(2026, 6, 24)),
    )


@time_machine.travel(london(2026, 7, 1, 12), tick=False)
def test_final_plan_the_day_after_the_draft_window_is_accepted(drafted, record):
    record(drafted, K.FINAL_PLAN_ISSUED, date(2026, 6, 25))

    drafted.refresh_from_db()
    assert drafted.stage == Case.Stage.PLAN_ISSUED
    assert drafted.outcome == Case.Outcome.PLAN_ISSUED
    assert drafted.closed_on is None
    a13 = deadline(drafted, "A13")
    assert (a13.status, a13.is_open, a13.met_on) == (S.MET, False, date(2026, 6, 25))


@time_machine.travel(london(2026, 7, 1, 12), tick=False)
def test_final_plan_waits_for_the_window_of_the_latest_draft(drafted, record):
    record(drafted, K.DRAFT_SERVED, date(2026, 6, 20))  # re-issued draft

    assert_refused(
        record,
        drafted,
        K.FINAL_PLAN_ISSUED,
        date(2026, 6, 30),
        events.FINAL_BEFORE_WINDOW.format(end=date(2026, 7, 4)),
    )


@time_machine.travel(london(2026, 8, 10, 12), tick=False)
def test_final_plan_starts_first_review_due_12_months_less_a_day(drafted, record):
    record(drafted, K.FINAL_PLAN_ISSUED, date(2026, 7, 31))

    r1 = deadline(drafted, "R1")
    assert r1.starts_on == date(2026, 7, 31)
    assert r1.due_on == date(2027, 7, 30) == ts.first_review_due(date(2026, 7, 31))
    assert (r1.status, r1.is_open) == (S.RUNNING, True)
    assert r1.started_by == drafted.events.get(kind=K.FINAL_PLAN_ISSUED)


@time_machine.travel(london(2027, 6, 1, 12), tick=False)
def test_annual_review_after_the_plan_meets_first_review(drafted, record):
    with time_machine.travel(london(2026, 8, 1, 12), tick=False):
        record(drafted, K.FINAL_PLAN_ISSUED, date(2026, 7, 31))

    record(drafted, K.ANNUAL_REVIEW_HELD, date(2027, 5, 20))

    r1 = deadline(drafted, "R1")
    assert (r1.status, r1.is_open, r1.met_on) == (S.MET, False, date(2027, 5, 20))


@time_machine.travel(london(2026, 9, 1, 12), tick=False)
def test_moving_la_after_the_plan_closes_the_case_and_the_review_clock(drafted, record):
    record(drafted, K.FINAL_PLAN_ISSUED, date(2026, 7, 10))

    record(drafted, K.MOVED_LA, date(2026, 8, 20))

    drafted.refresh_from_db()
    assert (drafted.stage, drafted.outcome) == (Case.Stage.CLOSED, Case.Outcome.MOVED_LA)
    assert drafted.closed_on == date(2026, 8, 20)
    assert deadline(drafted, "A13").status == S.MET
    r1 = deadline(drafted, "R1")
    assert (r1.status, r1.is_open) == (S.NOT_NEEDED, False)


@time_machine.travel(london(2026, 8, 10, 12), tick=False)
def test_final_plan_after_20_weeks_leaves_a13_breached(drafted, record):
    record(drafted, K.FINAL_PLAN_ISSUED, date(2026, 7, 21))  # due Mon 20 Jul 2026

    a13 = deadline(drafted, "A13")
    assert (a13.status, a13.is_open, a13.met_on) == (S.BREACHED, False, date(2026, 7, 21))


# ---------------------------------------------------------------------------
# Withdrawal
# ---------------------------------------------------------------------------


@time_machine.travel(london(2026, 5, 25, 12), tick=False)
def test_withdrawal_closes_deadlines_not_yet_due_and_keeps_a_missed_one_breached(case, record):
    record(case, K.DECIDED_TO_ASSESS, day(30))  # A2 met on time (due day 42)
    record(case, K.ADVICE_REQUESTED, day(31), "medical")  # due day 73: missed by day 80
    record(case, K.ADVICE_REQUESTED, day(70), "psychological")  # due day 112
    assert deadline(case, "A5", "medical").status == S.BREACHED

    record(case, K.WITHDRAWN, day(80))

    case.refresh_from_db()
    assert (case.stage, case.outcome, case.closed_on) == (
        Case.Stage.CLOSED,
        Case.Outcome.WITHDRAWN,
        day(80),
    )
    rows = {(d.kind, d.subject_key): (d.status, d.is_open) for d in case.deadlines.all()}
    assert rows == {
        ("A2", ""): (S.MET, False),
        ("A5", "medical"): (S.BREACHED, False),
        ("A5", "psychological"): (S.NOT_NEEDED, False),
        ("A7", ""): (S.NOT_NEEDED, False),
        ("A13", ""): (S.NOT_NEEDED, False),
    }
    assert not case.deadlines.filter(is_open=True).exists()
