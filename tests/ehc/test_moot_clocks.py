"""Clocks a later step makes moot, and events on the day a request actually arrived."""

from datetime import date

import pytest
import time_machine

from ehc import deadline_rules as dr
from ehc.services import case_event_record
from tests.conftest import london

START = date(2026, 3, 2)


def plan(*events):
    facts = [
        dr.EventFact(kind=k, occurred_on=d, subject_key=s, id=i)
        for i, (k, d, s) in enumerate(events, 1)
    ]
    return {
        (p.kind, p.subject_key): p
        for p in dr.plan_case_deadlines(clock_starts_on=START, events=facts)
    }


def status(planned, today=date(2026, 11, 2)):
    return dr.deadline_status(planned, today=today, excused=False)


def test_advice_still_awaited_when_the_plan_decision_is_made_is_no_longer_needed():
    deadlines = plan(
        (dr.REQUEST_RECEIVED, START, ""),
        (dr.DECIDED_TO_ASSESS, date(2026, 4, 1), ""),
        (dr.ADVICE_REQUESTED, date(2026, 4, 2), "medical"),
        (dr.ADVICE_REQUESTED, date(2026, 4, 2), "educational"),
        (dr.ADVICE_RECEIVED, date(2026, 5, 1), "educational"),
        (dr.DECIDED_TO_ISSUE, date(2026, 5, 10), ""),
    )
    assert status(deadlines[("A5", "medical")]) == ("not_needed", False)
    assert status(deadlines[("A5", "educational")]) == ("met", False)


def test_advice_already_missed_before_the_decision_stays_missed_but_closed():
    deadlines = plan(
        (dr.REQUEST_RECEIVED, START, ""),
        (dr.DECIDED_TO_ASSESS, date(2026, 3, 20), ""),
        (dr.ADVICE_REQUESTED, date(2026, 3, 23), "medical"),
        (dr.DECIDED_NOT_TO_ISSUE, date(2026, 6, 1), ""),
    )
    assert status(deadlines[("A5", "medical")]) == ("breached", False)


def test_a_consultation_unanswered_when_the_final_plan_is_issued_stops_waiting():
    deadlines = plan(
        (dr.REQUEST_RECEIVED, START, ""),
        (dr.DECIDED_TO_ASSESS, date(2026, 3, 20), ""),
        (dr.DECIDED_TO_ISSUE, date(2026, 5, 1), ""),
        (dr.DRAFT_SERVED, date(2026, 6, 1), ""),
        (dr.SETTING_CONSULTED, date(2026, 6, 2), "setting:1"),
        (dr.FINAL_PLAN_ISSUED, date(2026, 7, 1), ""),
    )
    assert status(deadlines[("A12", "setting:1")]) == ("breached", False)


@pytest.mark.django_db
def test_with_deemed_receipt_an_event_on_the_arrival_day_is_accepted(
    make_case, caseworker, settings
):
    settings.DEEMED_RECEIPT_AFTER_5PM_NEXT_WORKING_DAY = True
    with time_machine.travel(london(2026, 3, 6, 18), tick=False):  # Friday 6pm
        case = make_case(received_at=london(2026, 3, 6, 17, 30))
        assert case.clock_starts_on == date(2026, 3, 9)
        event = case_event_record(
            case=case,
            kind="considering_notified",
            occurred_on=date(2026, 3, 6),
            acting_user=caseworker,
        )
    assert event.pk
