"""ehc.services.cases: registering a request as a case, with its first event and deadlines."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from ehc import timescales as ts
from ehc.models import Case, CaseEvent, Child, Contact, Deadline
from ehc.services import ContactDetails, case_assign, case_create_from_request, cases
from tests.conftest import LONDON, london

pytestmark = pytest.mark.django_db

MON_2_MAR_2026 = date(2026, 3, 2)


def row_counts():
    return {
        model.__name__: model.objects.count()
        for model in (Child, Contact, Case, CaseEvent, Deadline)
    }


def deadlines_by_kind(case):
    return {d.kind: d for d in case.deadlines.all()}


# ---------------------------------------------------------------------------
# A new case and its deadlines
# ---------------------------------------------------------------------------


@time_machine.travel(london(2026, 3, 5, 12), tick=False)
def test_new_case_gets_a2_a7_a13_at_the_statutory_dates(make_case):
    case = make_case(received_at=london(2026, 3, 2, 9, 15))

    deadlines = deadlines_by_kind(case)
    assert set(deadlines) == {"A2", "A7", "A13"}
    assert deadlines["A2"].due_on == date(2026, 4, 13)
    assert deadlines["A7"].due_on == date(2026, 6, 22)
    assert deadlines["A13"].due_on == date(2026, 7, 20)
    for d in deadlines.values():
        assert d.starts_on == MON_2_MAR_2026
        assert (d.status, d.is_open, d.met_on) == (Deadline.Status.RUNNING, True, None)
        assert d.calendar_version == ts.CALENDAR_VERSION
        assert d.title == ts.RULES[d.kind].title
        assert "02 March 2026" in d.explanation


@time_machine.travel(london(2026, 3, 5, 12), tick=False)
def test_new_case_starts_at_deciding_to_assess_with_a_request_event(make_case):
    case = make_case(received_at=london(2026, 3, 2, 9, 15))

    assert case.stage == Case.Stage.DECIDING_TO_ASSESS
    assert case.outcome == Case.Outcome.OPEN
    assert case.clock_starts_on == MON_2_MAR_2026
    [event] = case.events.all()
    assert (event.kind, event.occurred_on) == (CaseEvent.Kind.REQUEST_RECEIVED, MON_2_MAR_2026)
    assert all(d.started_by_id == event.pk for d in case.deadlines.all())


@time_machine.travel(london(2026, 3, 5, 12), tick=False)
def test_brought_to_attention_case_counts_from_that_date(make_case):
    case = make_case(brought_to_attention_on=MON_2_MAR_2026)

    assert case.received_at is None
    assert case.events.get().kind == CaseEvent.Kind.BROUGHT_TO_ATTENTION
    assert deadlines_by_kind(case)["A13"].due_on == date(2026, 7, 20)


def test_history_records_the_acting_user(make_case, caseworker):
    case = make_case()

    assert case.history.count() == 1
    assert case.history.first().history_user == caseworker
    assert case.child.history.first().history_user == caseworker
    assert case.child.contacts.get().history.first().history_user == caseworker
    event = case.events.get()
    assert event.recorded_by == caseworker
    assert event.history.first().history_user == caseworker


def test_case_assign_records_the_caseworker_and_who_assigned(make_case, caseworker, manager):
    case = make_case()

    case_assign(case=case, caseworker=caseworker, acting_user=manager)

    case.refresh_from_db()
    assert case.assigned_caseworker == caseworker
    assert case.history.first().history_user == manager


# ---------------------------------------------------------------------------
# Refused requests: a clear message and nothing saved
# ---------------------------------------------------------------------------

TODAY = london(2026, 3, 5, 12)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param(
            {"received_at": london(2026, 3, 6, 9)},
            cases.RECEIVED_IN_FUTURE,
            id="received-tomorrow",
        ),
        pytest.param(
            {"received_at": london(2026, 3, 5, 16)},
            cases.RECEIVED_IN_FUTURE,
            id="received-later-today",
        ),
        pytest.param(
            {"brought_to_attention_on": date(2026, 3, 6)},
            cases.RECEIVED_IN_FUTURE,
            id="attention-tomorrow",
        ),
        pytest.param(
            {"received_at": london(2026, 3, 2), "date_of_birth": date(2026, 3, 3)},
            cases.RECEIVED_BEFORE_BIRTH,
            id="before-birth",
        ),
        pytest.param(
            {"received_at": london(2026, 3, 2), "date_of_birth": date(2001, 3, 2)},
            cases.TOO_OLD,
            id="on-25th-birthday",
        ),
        pytest.param(
            {"received_at": london(2026, 3, 2), "date_of_birth": date(1990, 1, 1)},
            cases.TOO_OLD,
            id="well-over-25",
        ),
        pytest.param(
            {"received_at": datetime(2026, 3, 2, 10, 0)},  # noqa: DTZ001 (the point)
            cases.NAIVE_DATETIME,
            id="naive-datetime",
        ),
        pytest.param(
            {
                "received_at": london(2026, 3, 2),
                "brought_to_attention_on": MON_2_MAR_2026,
                "requester_type": Case.RequesterType.OTHER,
            },
            cases.BOTH_STARTS,
            id="both-starts",
        ),
        pytest.param(
            {
                "brought_to_attention_on": MON_2_MAR_2026,
                "requester_type": Case.RequesterType.PARENT,
            },
            cases.ATTENTION_ONLY_FOR_OTHER,
            id="attention-date-on-a-parent-request",
        ),
    ],
)
def test_invalid_request_is_refused_and_nothing_saved(make_case, kwargs, message):
    with time_machine.travel(TODAY, tick=False):
        before = row_counts()
        with pytest.raises(ValidationError) as excinfo:
            make_case(**kwargs)
        assert message in excinfo.value.messages
        assert row_counts() == before


@time_machine.travel(TODAY, tick=False)
def test_request_with_neither_received_time_nor_attention_date_is_refused(team, caseworker):
    before = row_counts()
    # make_case fills in a default received time, so call the service directly.
    with pytest.raises(ValidationError) as excinfo:
        case_create_from_request(
            child_details=cases.ChildDetails("Amelia", "Okafor", date(2016, 5, 17)),
            team=team,
            requester_type=Case.RequesterType.PARENT,
            request_channel=Case.Channel.EMAIL,
            acting_user=caseworker,
        )
    assert cases.NO_START in excinfo.value.messages
    assert row_counts() == before


@time_machine.travel(TODAY, tick=False)
def test_request_the_day_before_the_25th_birthday_is_accepted(make_case):
    case = make_case(received_at=london(2026, 3, 1), date_of_birth=date(2001, 3, 2))
    assert case.clock_starts_on == date(2026, 3, 1)


@time_machine.travel(TODAY, tick=False)
def test_request_received_on_the_day_of_birth_is_accepted(make_case):
    case = make_case(received_at=london(2026, 3, 2), date_of_birth=MON_2_MAR_2026)
    assert case.pk is not None


@time_machine.travel(TODAY, tick=False)
def test_request_received_earlier_today_is_accepted(make_case):
    case = make_case(received_at=london(2026, 3, 5, 11, 59))
    assert case.clock_starts_on == date(2026, 3, 5)


@time_machine.travel(TODAY, tick=False)
def test_invalid_contact_rolls_back_the_child_too(make_case):
    before = row_counts()
    bad = ContactDetails(full_name="Pat Okafor", relationship="parent", email="not-an-email")

    with pytest.raises(ValidationError):
        make_case(received_at=london(2026, 3, 2), contacts=[bad])

    assert row_counts() == before


# ---------------------------------------------------------------------------
# A second request for what may be the same child
# ---------------------------------------------------------------------------


def test_second_request_for_same_child_is_accepted_and_flagged_not_merged(make_case):
    first = make_case(first_name="Amelia", last_name="Okafor", date_of_birth=date(2016, 5, 17))

    second = make_case(first_name="Amy", last_name="okafor ", date_of_birth=date(2016, 5, 17))

    assert second.pk != first.pk
    assert second.child_id != first.child_id
    assert Child.objects.count() == 2
    assert second.possible_duplicate_of == first
    assert first.possible_duplicate_of is None
    assert second.deadlines.count() == 3


def test_second_request_passing_the_existing_child_reuses_it_and_is_flagged(make_case):
    first = make_case()

    second = make_case(child=first.child)

    assert Child.objects.count() == 1
    assert second.child == first.child
    assert second.possible_duplicate_of == first


def test_request_for_a_different_child_is_not_flagged(make_case):
    make_case(last_name="Okafor", date_of_birth=date(2016, 5, 17))

    other_dob = make_case(last_name="Okafor", date_of_birth=date(2016, 5, 18))
    other_name = make_case(last_name="Nowak", date_of_birth=date(2016, 5, 17))

    assert other_dob.possible_duplicate_of is None
    assert other_name.possible_duplicate_of is None


@time_machine.travel(london(2026, 6, 1), tick=False)
def test_request_after_the_earlier_case_closed_is_not_flagged(make_case, caseworker):
    from ehc.services import case_event_record

    first = make_case(received_at=london(2026, 3, 2))
    case_event_record(
        case=first,
        kind=CaseEvent.Kind.DECIDED_NOT_TO_ASSESS,
        occurred_on=date(2026, 4, 1),
        acting_user=caseworker,
    )

    second = make_case(received_at=london(2026, 5, 1))

    assert second.possible_duplicate_of is None


# ---------------------------------------------------------------------------
# Deemed receipt (spec 1.1): local option, after 5pm or a non-working day -> next working day
# ---------------------------------------------------------------------------


@pytest.fixture
def deemed_receipt_on(settings):
    settings.DEEMED_RECEIPT_AFTER_5PM_NEXT_WORKING_DAY = True


def test_by_default_a_request_after_5pm_counts_from_the_day_it_arrived(make_case, settings):
    settings.DEEMED_RECEIPT_AFTER_5PM_NEXT_WORKING_DAY = False
    case = make_case(received_at=london(2026, 6, 5, 17, 30))  # Friday
    assert case.clock_starts_on == date(2026, 6, 5)


@pytest.mark.usefixtures("deemed_receipt_on")
def test_request_at_1730_on_a_friday_counts_from_monday(make_case):
    case = make_case(received_at=london(2026, 6, 5, 17, 30))

    assert case.clock_starts_on == date(2026, 6, 8)
    assert case.events.get().occurred_on == date(2026, 6, 8)
    assert deadlines_by_kind(case)["A2"].due_on == date(2026, 7, 20)
    assert case.received_at == london(2026, 6, 5, 17, 30)  # the actual time is kept


@pytest.mark.usefixtures("deemed_receipt_on")
def test_request_at_1730_on_the_friday_before_a_bank_holiday_counts_from_tuesday(make_case):
    # Monday 25 May 2026 is the spring bank holiday.
    case = make_case(received_at=london(2026, 5, 22, 17, 30))
    assert case.clock_starts_on == date(2026, 5, 26)


@pytest.mark.usefixtures("deemed_receipt_on")
def test_request_before_5pm_on_a_working_day_counts_from_that_day(make_case):
    case = make_case(received_at=london(2026, 6, 5, 16, 59))
    assert case.clock_starts_on == date(2026, 6, 5)


@pytest.mark.usefixtures("deemed_receipt_on")
def test_request_on_a_saturday_morning_counts_from_monday(make_case):
    case = make_case(received_at=london(2026, 6, 6, 10, 0))
    assert case.clock_starts_on == date(2026, 6, 8)


@pytest.mark.usefixtures("deemed_receipt_on")
def test_5pm_cut_off_is_on_london_time_not_utc(make_case):
    # 16:30 UTC on Friday 5 June 2026 is 17:30 in London (BST).
    case = make_case(received_at=datetime(2026, 6, 5, 16, 30, tzinfo=UTC))
    assert case.clock_starts_on == date(2026, 6, 8)


@pytest.mark.usefixtures("deemed_receipt_on")
def test_deemed_receipt_does_not_apply_to_a_brought_to_attention_date(make_case):
    case = make_case(brought_to_attention_on=date(2026, 6, 6))  # a Saturday
    assert case.clock_starts_on == date(2026, 6, 6)


def test_received_at_is_stored_as_given_whatever_its_time_zone(make_case):
    received = datetime(2026, 1, 12, 23, 30, tzinfo=UTC)  # GMT in winter: same wall clock
    case = make_case(received_at=received)
    case.refresh_from_db()
    assert case.received_at == received
    assert case.received_at.astimezone(LONDON).date() == case.clock_starts_on == date(2026, 1, 12)
