"""ehc.services.exceptions: recording why a time limit could not be met (spec 1.3, 0.1(1))."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from ehc.models import CaseEvent, Deadline, TimescaleException
from ehc.services import (
    case_deadlines_recompute,
    case_event_record,
    deadlines_refresh_statuses,
    exceptions,
    timescale_exception_record,
)
from tests.conftest import london

pytestmark = pytest.mark.django_db

K = CaseEvent.Kind
S = Deadline.Status
TODAY = london(2026, 4, 1, 12)


@pytest.fixture
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def case(frozen_today, make_case, caseworker):
    """Received Mon 2 Mar 2026; decided to assess 20 Mar (A2 met); medical advice asked 23 Mar.

    On 1 Apr: A2 met, A5 medical due 4 May, A7 due 22 Jun and A13 due 20 Jul all running.
    """
    case = make_case(received_at=london(2026, 3, 2, 9))
    case_event_record(
        case=case, kind=K.DECIDED_TO_ASSESS, occurred_on=date(2026, 3, 20), acting_user=caseworker
    )
    case_event_record(
        case=case,
        kind=K.ADVICE_REQUESTED,
        occurred_on=date(2026, 3, 23),
        subject_key="medical",
        acting_user=caseworker,
    )
    return case


def get(case, kind, subject_key=""):
    return Deadline.objects.get(case=case, kind=kind, subject_key=subject_key)


@pytest.fixture
def record_exception(caseworker):
    def record(
        deadline,
        code="EXCEPTIONAL_PERSONAL_CIRCUMSTANCES",
        starts_on=date(2026, 3, 25),
        ends_on=date(2026, 3, 31),
        family_told_on=date(2026, 3, 31),
    ):
        return timescale_exception_record(
            deadline=deadline,
            code=code,
            starts_on=starts_on,
            ends_on=ends_on,
            evidence="Hospital letter dated 24 March.",
            reasoning="The child was in hospital, so the assessment visit could not happen.",
            family_told_on=family_told_on,
            acting_user=caseworker,
        )

    return record


def deadline_state(deadline):
    deadline = Deadline.objects.get(pk=deadline.pk)
    return deadline.status, deadline.is_open, deadline.due_on, deadline.history.count()


def assert_refused(record_exception, deadline, message, **kwargs):
    before = (TimescaleException.objects.count(), deadline_state(deadline))
    with pytest.raises(ValidationError) as excinfo:
        record_exception(deadline, **kwargs)
    assert message in excinfo.value.messages
    assert (TimescaleException.objects.count(), deadline_state(deadline)) == before


# ---------------------------------------------------------------------------
# The spec 1.3 matrix for the assessment clocks
# ---------------------------------------------------------------------------

ALLOWED = {
    # code: (A2, A5, A7, A13)
    "SCHOOL_CLOSURE": (True, False, True, True),
    "EY_CLOSURE": (True, False, True, True),
    "EXCEPTIONAL_PERSONAL_CIRCUMSTANCES": (True, True, True, True),
    "ABSENT_FROM_AREA": (True, True, True, True),
    "MISSED_APPOINTMENT": (False, True, False, False),
    "FAMILY_REPRESENTATIONS_LATE": (False, False, False, False),
}
MATRIX = [
    pytest.param(
        kind, subject, code, allowed[i], id=f"{code}-on-{kind}-{'ok' if allowed[i] else 'refused'}"
    )
    for code, allowed in ALLOWED.items()
    for i, (kind, subject) in enumerate([("A2", ""), ("A5", "medical"), ("A7", ""), ("A13", "")])
]


@pytest.mark.parametrize(("kind", "subject", "code", "allowed"), MATRIX)
def test_exception_matrix(case, record_exception, kind, subject, code, allowed):
    deadline = get(case, kind, subject)
    if allowed:
        exception = record_exception(deadline, code=code)
        assert exception.deadline == deadline
        assert exception.code == code
    else:
        message = exceptions.NOT_ALLOWED.format(code=code, title=deadline.title, kind=kind)
        assert_refused(record_exception, deadline, message, code=code)


@pytest.mark.parametrize("kind", ["A10", "A12", "R1"])
def test_no_exception_may_be_recorded_against_windows_guidance_or_reviews(
    frozen_today, make_case, caseworker, record_exception, kind
):
    with time_machine.travel(london(2025, 1, 2), tick=False):
        case = make_case(received_at=london(2025, 1, 2))
    steps = [
        (K.DECIDED_TO_ASSESS, date(2025, 1, 20)),
        (K.DECIDED_TO_ISSUE, date(2025, 3, 10)),
        (K.DRAFT_SERVED, date(2025, 3, 17)),
        (K.SETTING_CONSULTED, date(2025, 3, 17)),
        (K.FINAL_PLAN_ISSUED, date(2025, 4, 7)),
    ]
    for event_kind, on in steps:
        case_event_record(case=case, kind=event_kind, occurred_on=on, acting_user=caseworker)
    deadline = get(case, kind)

    message = exceptions.NOT_ALLOWED.format(
        code="EXCEPTIONAL_PERSONAL_CIRCUMSTANCES", title=deadline.title, kind=kind
    )
    assert_refused(
        record_exception,
        deadline,
        message,
        starts_on=deadline.starts_on,
        ends_on=deadline.starts_on,
    )


# ---------------------------------------------------------------------------
# Other refusals: a clear message, nothing saved
# ---------------------------------------------------------------------------


def test_unknown_code_is_refused(case, record_exception):
    assert_refused(
        record_exception,
        get(case, "A13"),
        exceptions.UNKNOWN_CODE.format(code="STAFF_SHORTAGE"),
        code="STAFF_SHORTAGE",
    )


def test_end_before_start_is_refused(case, record_exception):
    assert_refused(
        record_exception,
        get(case, "A13"),
        exceptions.ENDS_BEFORE_STARTS,
        starts_on=date(2026, 3, 25),
        ends_on=date(2026, 3, 24),
    )


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        pytest.param(date(2026, 2, 1), date(2026, 3, 1), id="ends-the-day-before-the-clock-starts"),
        pytest.param(date(2026, 7, 21), date(2026, 8, 30), id="starts-the-day-after-it-was-due"),
    ],
)
def test_period_outside_the_deadlines_run_is_refused(case, record_exception, starts_on, ends_on):
    deadline = get(case, "A13")
    message = exceptions.OUTSIDE_PERIOD.format(start=deadline.starts_on, due=deadline.due_on)
    assert_refused(
        record_exception,
        deadline,
        message,
        starts_on=starts_on,
        ends_on=ends_on,
        family_told_on=None,
    )


def test_period_overlapping_the_start_of_the_run_is_accepted(case, record_exception):
    record_exception(get(case, "A13"), starts_on=date(2026, 2, 20), ends_on=date(2026, 3, 2))
    assert TimescaleException.objects.count() == 1


def test_family_told_in_the_future_is_refused(case, record_exception):
    assert_refused(
        record_exception,
        get(case, "A13"),
        exceptions.TOLD_IN_FUTURE,
        family_told_on=date(2026, 4, 2),
    )


def test_coronavirus_reason_is_refused_outside_2020(case, record_exception):
    assert_refused(
        record_exception, get(case, "A13"), exceptions.CORONAVIRUS_ONLY_2020, code="CORONAVIRUS"
    )


def test_coronavirus_reason_is_accepted_for_a_period_in_summer_2020(make_case, record_exception):
    with time_machine.travel(london(2020, 6, 1), tick=False):
        case = make_case(received_at=london(2020, 5, 4))
        record_exception(
            get(case, "A13"),
            code="CORONAVIRUS",
            starts_on=date(2020, 5, 4),
            ends_on=date(2020, 5, 31),
            family_told_on=date(2020, 5, 20),
        )
    assert get(case, "A13").status == S.DISAPPLIED


def test_exception_against_a_deadline_no_longer_needed_is_refused(
    frozen_today, make_case, caseworker, record_exception
):
    case = make_case(received_at=london(2026, 3, 2, 9))
    case_event_record(
        case=case,
        kind=K.DECIDED_NOT_TO_ASSESS,
        occurred_on=date(2026, 3, 20),
        acting_user=caseworker,
    )

    assert_refused(record_exception, get(case, "A13"), exceptions.DEADLINE_CLOSED)


# ---------------------------------------------------------------------------
# What an exception does
# ---------------------------------------------------------------------------


def test_exception_disapplies_a_running_deadline_and_keeps_its_due_date(case, record_exception):
    a13 = get(case, "A13")
    assert (a13.status, a13.due_on) == (S.RUNNING, date(2026, 7, 20))

    record_exception(a13)

    a13.refresh_from_db()
    assert a13.status == S.DISAPPLIED
    assert a13.excused
    assert a13.due_on == date(2026, 7, 20)
    assert a13.is_open  # the duty to act as soon as practicable remains


def test_exception_records_who_recorded_it(case, record_exception, caseworker):
    exception = record_exception(get(case, "A7"))
    assert exception.recorded_by == caseworker
    assert exception.history.first().history_user == caseworker


def test_deadline_met_on_time_stays_met_even_with_an_exception(case, record_exception):
    a2 = get(case, "A2")
    assert a2.status == S.MET

    record_exception(a2)

    a2.refresh_from_db()
    assert (a2.status, a2.met_on, a2.due_on) == (S.MET, date(2026, 3, 20), date(2026, 4, 13))


def test_exception_turns_a_missed_deadline_from_breached_to_disapplied(make_case, record_exception):
    with time_machine.travel(london(2026, 4, 20), tick=False):
        case = make_case(received_at=london(2026, 3, 2, 9))
        assert get(case, "A2").status == S.BREACHED

        record_exception(get(case, "A2"), family_told_on=date(2026, 4, 14))

    a2 = get(case, "A2")
    assert (a2.status, a2.is_open, a2.due_on) == (S.DISAPPLIED, True, date(2026, 4, 13))


def test_disapplied_deadline_met_late_stays_disapplied(case, record_exception, caseworker):
    record_exception(get(case, "A5", "medical"))

    with time_machine.travel(london(2026, 5, 20), tick=False):
        case_event_record(
            case=case,
            kind=K.ADVICE_RECEIVED,
            occurred_on=date(2026, 5, 18),
            subject_key="medical",
            acting_user=caseworker,
        )

    a5 = get(case, "A5", "medical")
    assert (a5.status, a5.is_open, a5.met_on) == (S.DISAPPLIED, False, date(2026, 5, 18))
    assert a5.met_late


def test_disapplied_deadline_is_not_marked_breached_when_it_runs_out(case, record_exception):
    record_exception(get(case, "A7"))

    deadlines_refresh_statuses(today=date(2026, 6, 23))
    case_deadlines_recompute(case=case, today=date(2026, 6, 23))

    assert get(case, "A7").status == S.DISAPPLIED
