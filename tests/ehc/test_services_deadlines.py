"""ehc.services.deadlines: keeping Deadline rows in step with events, and the nightly refresh."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ehc.models import CaseEvent, Deadline
from ehc.services import case_deadlines_recompute, case_event_record, deadlines_refresh_statuses
from tests.conftest import london

pytestmark = pytest.mark.django_db

K = CaseEvent.Kind
S = Deadline.Status


def rows(case):
    return sorted(
        case.deadlines.values_list("kind", "subject_key", "due_on", "met_on", "status", "is_open")
    )


def history_count():
    return Deadline.history.count()


@pytest.fixture
def case(make_case, caseworker):
    """Received Mon 2 Mar 2026; assessing, with two advisers asked; recorded as of 1 Apr 2026."""
    with time_machine.travel(london(2026, 4, 1, 12), tick=False):
        case = make_case(received_at=london(2026, 3, 2, 9))
        for kind, on, subject in [
            (K.DECIDED_TO_ASSESS, date(2026, 3, 20), ""),
            (K.ADVICE_REQUESTED, date(2026, 3, 23), "medical"),
            (K.ADVICE_REQUESTED, date(2026, 3, 24), "psychological"),
        ]:
            case_event_record(
                case=case, kind=kind, occurred_on=on, subject_key=subject, acting_user=caseworker
            )
    return case


# ---------------------------------------------------------------------------
# case_deadlines_recompute
# ---------------------------------------------------------------------------


def test_recompute_twice_saves_nothing_the_second_time(case):
    today = date(2026, 4, 1)
    case_deadlines_recompute(case=case, today=today)
    before_rows, before_history = rows(case), history_count()

    case_deadlines_recompute(case=case, today=today)

    assert rows(case) == before_rows
    assert history_count() == before_history


def test_recompute_saves_only_the_rows_that_changed(case, caseworker):
    last_history_id = Deadline.history.order_by("-history_id").first().history_id

    with time_machine.travel(london(2026, 4, 10, 12), tick=False):
        case_event_record(
            case=case,
            kind=K.ADVICE_RECEIVED,
            occurred_on=date(2026, 4, 9),
            subject_key="medical",
            acting_user=caseworker,
        )

    new_history = Deadline.history.filter(history_id__gt=last_history_id)
    assert [(h.kind, h.subject_key, h.status) for h in new_history] == [("A5", "medical", S.MET)]


def test_recompute_on_a_later_day_marks_a_missed_deadline_breached_and_keeps_it_open(case):
    case_deadlines_recompute(case=case, today=date(2026, 5, 5))  # medical A5 due 4 May

    medical = case.deadlines.get(kind="A5", subject_key="medical")
    psych = case.deadlines.get(kind="A5", subject_key="psychological")
    assert (medical.status, medical.is_open) == (S.BREACHED, True)
    assert (psych.status, psych.is_open) == (S.RUNNING, True)


def test_recompute_closes_a_deadline_whose_starting_event_was_corrected_away(case):
    # No service deletes events yet; this is what a correction would leave behind.
    case.events.filter(kind=K.ADVICE_REQUESTED, subject_key="psychological").delete()

    case_deadlines_recompute(case=case, today=date(2026, 4, 1))

    psych = case.deadlines.get(kind="A5", subject_key="psychological")
    assert (psych.status, psych.is_open) == (S.NOT_NEEDED, False)


# ---------------------------------------------------------------------------
# deadlines_refresh_statuses
# ---------------------------------------------------------------------------


def test_refresh_marks_running_deadlines_past_due_as_breached(case):
    # On 5 May: A5 medical (due 4 May) has run out; psychological (due 5 May) has not.
    changed = deadlines_refresh_statuses(today=date(2026, 5, 5))

    assert changed == 1
    statuses = {(d.kind, d.subject_key): (d.status, d.is_open) for d in case.deadlines.all()}
    assert statuses == {
        ("A2", ""): (S.MET, False),
        ("A5", "medical"): (S.BREACHED, True),
        ("A5", "psychological"): (S.RUNNING, True),
        ("A7", ""): (S.RUNNING, True),
        ("A13", ""): (S.RUNNING, True),
    }


def test_refresh_is_safe_to_run_again(case):
    deadlines_refresh_statuses(today=date(2026, 5, 5))
    before_rows, before_history = rows(case), history_count()

    assert deadlines_refresh_statuses(today=date(2026, 5, 5)) == 0

    assert rows(case) == before_rows
    assert history_count() == before_history


def test_refresh_agrees_with_recompute(case):
    today = date(2026, 5, 20)
    deadlines_refresh_statuses(today=today)
    refreshed, history_before = rows(case), history_count()

    case_deadlines_recompute(case=case, today=today)

    assert rows(case) == refreshed
    assert history_count() == history_before


def test_refresh_uses_todays_date_by_default(make_case):
    with time_machine.travel(london(2026, 3, 2, 12), tick=False):
        case = make_case(received_at=london(2026, 3, 2, 9))

    with time_machine.travel(london(2026, 4, 13, 12), tick=False):  # A2's last day
        deadlines_refresh_statuses()
        assert case.deadlines.get(kind="A2").status == S.RUNNING

    with time_machine.travel(london(2026, 4, 14, 0, 30), tick=False):
        deadlines_refresh_statuses()
        assert case.deadlines.get(kind="A2").status == S.BREACHED


def test_refresh_ends_the_family_window_as_met_and_closed(make_case, caseworker):
    with time_machine.travel(london(2026, 6, 10, 12), tick=False):
        case = make_case(received_at=london(2026, 3, 2, 9))
        for kind, on in [
            (K.DECIDED_TO_ASSESS, date(2026, 3, 20)),
            (K.DECIDED_TO_ISSUE, date(2026, 6, 1)),
            (K.DRAFT_SERVED, date(2026, 6, 10)),
        ]:
            case_event_record(case=case, kind=kind, occurred_on=on, acting_user=caseworker)
    window = case.deadlines.get(kind="A10")
    assert (window.status, window.is_open, window.due_on) == (S.RUNNING, True, date(2026, 6, 24))

    deadlines_refresh_statuses(today=date(2026, 6, 24))
    window.refresh_from_db()
    assert (window.status, window.is_open) == (S.RUNNING, True)

    deadlines_refresh_statuses(today=date(2026, 6, 25))
    window.refresh_from_db()
    assert (window.status, window.is_open) == (S.MET, False)


def test_refresh_leaves_closed_and_disapplied_deadlines_alone(make_case, caseworker):
    from ehc.services import timescale_exception_record

    with time_machine.travel(london(2026, 4, 1, 12), tick=False):
        case = make_case(received_at=london(2026, 3, 2, 9))
        timescale_exception_record(
            deadline=case.deadlines.get(kind="A7"),
            code="ABSENT_FROM_AREA",
            starts_on=date(2026, 3, 5),
            ends_on=date(2026, 4, 1),
            evidence="Email from parent.",
            reasoning="The family were abroad, so the child could not be seen.",
            family_told_on=date(2026, 4, 1),
            acting_user=caseworker,
        )
        case_event_record(
            case=case,
            kind=K.DECIDED_TO_ASSESS,
            occurred_on=date(2026, 3, 20),
            acting_user=caseworker,
        )
    before = rows(case)

    statuses = {kind: status for kind, _, _, _, status, _ in before}
    assert statuses == {"A2": S.MET, "A7": S.DISAPPLIED, "A13": S.RUNNING}

    # On 23 Jun A2 is met, A7 (due 22 Jun) is disapplied and A13 (due 20 Jul) still running.
    assert deadlines_refresh_statuses(today=date(2026, 6, 23)) == 0

    assert rows(case) == before


def _cases_with_deadlines_past_due(make_case, n):
    with time_machine.travel(london(2026, 3, 2, 12), tick=False):
        for i in range(n):
            make_case(received_at=london(2026, 3, 2, 9), last_name=f"Child{i}")


def test_refresh_runs_a_fixed_number_of_queries_whatever_the_number_of_cases(
    make_case, django_assert_num_queries
):
    _cases_with_deadlines_past_due(make_case, 5)
    with CaptureQueriesContext(connection) as few:
        assert deadlines_refresh_statuses(today=date(2026, 12, 1)) == 5 * 3
    Deadline.objects.update(status=S.RUNNING)

    _cases_with_deadlines_past_due(make_case, 45)
    with django_assert_num_queries(len(few.captured_queries)):
        assert deadlines_refresh_statuses(today=date(2026, 12, 1)) == 50 * 3

    assert len(few.captured_queries) <= 2
    assert not Deadline.objects.filter(status=S.RUNNING).exists()
