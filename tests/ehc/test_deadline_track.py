"""App-kept deadlines: stored like every other, left alone by the event recompute."""

from datetime import date

import pytest
import time_machine

from ehc.models import Deadline
from ehc.services import case_deadlines_recompute, deadline_track, timescale_exception_record
from tests.conftest import london

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(london(2026, 11, 2, 12), tick=False):
        yield


def test_tracked_deadline_survives_recompute_and_is_updated_in_place(make_case):
    case = make_case(received_at=london(2026, 3, 2))
    tracked = deadline_track(
        case=case,
        source="personal_budgets",
        kind="PB13",
        starts_on=date(2026, 9, 1),
        due_on=date(2026, 12, 1),
    )
    assert tracked.title and tracked.legal_basis and tracked.status == "running"
    case_deadlines_recompute(case=case)
    tracked.refresh_from_db()
    assert tracked.is_open and tracked.source == "personal_budgets"
    again = deadline_track(
        case=case,
        source="personal_budgets",
        kind="PB13",
        starts_on=date(2026, 9, 1),
        due_on=date(2026, 12, 1),
        met_on=date(2026, 11, 1),
    )
    assert again.pk == tracked.pk and again.status == Deadline.Status.MET
    assert case.deadlines.filter(kind="PB13").count() == 1


def test_another_apps_or_the_event_planners_row_cannot_be_taken_over(make_case):
    case = make_case(received_at=london(2026, 3, 2))
    with pytest.raises(ValueError):
        deadline_track(
            case=case,
            source="conversions",
            kind="A2",
            starts_on=date(2026, 3, 2),
            due_on=date(2026, 4, 13),
        )
    with pytest.raises(ValueError):
        deadline_track(
            case=case,
            source="events",
            kind="PB13",
            starts_on=date(2026, 9, 1),
            due_on=date(2026, 12, 1),
        )


def test_exception_on_a_tracked_deadline_disapplies_it(make_case, caseworker):
    case = make_case(received_at=london(2026, 3, 2))
    tracked = deadline_track(
        case=case,
        source="disagreements",
        kind="Tb-final",
        starts_on=date(2026, 8, 1),
        due_on=date(2026, 10, 31),
    )
    assert tracked.status == Deadline.Status.BREACHED
    timescale_exception_record(
        deadline=tracked,
        code="EXCEPTIONAL_PERSONAL_CIRCUMSTANCES",
        starts_on=date(2026, 8, 10),
        ends_on=date(2026, 9, 30),
        evidence="Hospital letter",
        reasoning="Child in hospital",
        family_told_on=date(2026, 10, 1),
        acting_user=caseworker,
    )
    tracked.refresh_from_db()
    assert (tracked.status, tracked.due_on) == (Deadline.Status.DISAPPLIED, date(2026, 10, 31))


def test_a_transfer_review_case_carries_no_request_clocks(team, caseworker):
    from ehc.models import Case
    from ehc.services import ChildDetails, case_create_from_request

    case = case_create_from_request(
        child_details=ChildDetails(
            first_name="Sam", last_name="Reed", date_of_birth=date(2008, 5, 1)
        ),
        team=team,
        requester_type="other",
        request_channel=Case.Channel.COUNCIL,
        brought_to_attention_on=date(2026, 9, 16),
        route=Case.Route.TRANSFER_REVIEW,
        acting_user=caseworker,
    )
    assert not case.deadlines.filter(kind__in=["A2", "A7", "A13"]).exists()
    deadline_track(
        case=case,
        source="conversions",
        kind="T10",
        starts_on=date(2026, 9, 16),
        due_on=date(2027, 1, 20),
    )
    case_deadlines_recompute(case=case)
    assert list(case.deadlines.values_list("kind", flat=True)) == ["T10"]


def test_a_tracked_family_window_is_never_a_council_breach(make_case):
    case = make_case(received_at=london(2026, 3, 2))
    window = deadline_track(
        case=case,
        source="disagreements",
        kind="M2",
        starts_on=date(2026, 8, 1),
        due_on=date(2026, 10, 1),
        family_window=True,
    )
    assert window.is_family_window and window.status == Deadline.Status.MET
    assert not window.is_open
