"""ehc.services.subject_deadlines: clocks without a case, kept for a subject an app registered."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ehc import subject_types
from ehc.models import SubjectDeadline, User
from ehc.services.subject_deadlines import (
    subject_deadline_stop,
    subject_deadline_track,
    subject_deadlines_owners_refresh,
    subject_deadlines_refresh_statuses,
)
from ehc.subject_types import Owner, SubjectInfo, SubjectType, describe_subjects

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 30)
OWNERS: dict[str, list[Owner]] = {}


@pytest.fixture(autouse=True)
def widget_type():
    """A subject type of the tests' own; whoever OWNERS says owns each widget."""
    OWNERS.clear()
    subject_types.subject_type_register(
        SubjectType(
            key="tests.widget",
            label="Widget",
            describe=lambda ids: {i: SubjectInfo(title=f"Widget {i}", url=f"/w/{i}/") for i in ids},
            owners=lambda ids: {i: OWNERS.get(i, []) for i in ids},
        )
    )
    yield
    subject_types.SUBJECT_TYPES.pop("tests.widget")


def track(subject_id="1", **kwargs) -> SubjectDeadline:
    fields = dict(
        source="tests",
        kind="LO2",
        subject_type="tests.widget",
        subject_id=subject_id,
        starts_on=date(2026, 1, 5),
        due_on=date(2027, 1, 5),
        today=TODAY,
    )
    fields.update(kwargs)
    return subject_deadline_track(**fields)


def test_track_opens_a_clock_described_by_its_rule_with_its_apps_owners():
    OWNERS["1"] = [Owner(email="Keeper@Example.org"), Owner(email="")]
    row = track()
    assert (row.status, row.is_open, row.title) == ("running", True, "Local Offer record checked")
    assert "05 January 2026" in row.explanation
    assert [(o.key, o.email) for o in row.owners.all()] == [
        ("email:keeper@example.org", "Keeper@Example.org")
    ]
    assert describe_subjects([("tests.widget", "1"), ("nobody.registered", "2")]) == {
        ("tests.widget", "1"): SubjectInfo(title="Widget 1", url="/w/1/")
    }


def test_the_same_date_again_keeps_the_row_and_a_new_date_supersedes_it(caseworker):
    first = track(owners=[Owner(user_id=caseworker.pk, email=caseworker.email)])
    again = track(owners=[Owner(email="new@example.org")])
    assert again.pk == first.pk
    assert [o.key for o in again.owners.all()] == ["email:new@example.org"]
    moved = track(due_on=date(2027, 3, 1))
    first.refresh_from_db()
    assert (first.status, first.is_open) == ("superseded", False)
    assert (moved.due_on, moved.is_open) == (date(2027, 3, 1), True)
    assert SubjectDeadline.objects.filter(is_open=True).count() == 1


def test_a_clock_opened_after_its_date_is_already_missed():
    assert track(due_on=date(2026, 11, 1)).status == "breached"


def test_stop_meets_or_closes_the_open_clock_once():
    track()
    met = subject_deadline_stop(
        source="tests", kind="LO2", subject_type="tests.widget", subject_id="1", met_on=TODAY
    )
    assert (met.status, met.is_open, met.met_on, met.met_late) == ("met", False, TODAY, False)
    assert (
        subject_deadline_stop(
            source="tests", kind="LO2", subject_type="tests.widget", subject_id="1"
        )
        is None
    )
    track(subject_id="2")
    closed = subject_deadline_stop(
        source="tests", kind="LO2", subject_type="tests.widget", subject_id="2"
    )
    assert (closed.status, closed.met_on) == ("not_needed", None)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "XX9"}, "not a rule"),
        ({"subject_type": "nobody.registered"}, "no app registered"),
        ({"due_on": date(2025, 12, 31)}, "due before it starts"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(change, message):
    with pytest.raises(ValueError, match=message):
        track(**change)
    assert not SubjectDeadline.objects.exists()


def test_another_apps_clock_is_not_touched():
    track()
    with pytest.raises(ValueError, match="kept by tests"):
        track(source="other", due_on=date(2027, 2, 1))
    with pytest.raises(ValueError, match="kept by tests"):
        subject_deadline_stop(
            source="other", kind="LO2", subject_type="tests.widget", subject_id="1"
        )
    assert SubjectDeadline.objects.get().is_open


def test_the_nightly_pass_marks_missed_clocks_once():
    track(subject_id="1", due_on=date(2026, 11, 29))
    track(subject_id="2", due_on=date(2026, 11, 30))
    SubjectDeadline.objects.update(status="running")
    assert subject_deadlines_refresh_statuses(today=TODAY) == 1
    assert subject_deadlines_refresh_statuses(today=TODAY) == 0


def test_refreshing_owners_costs_the_same_for_3_or_30_clocks():
    def clocks_with_owners(count: int) -> tuple[list[SubjectDeadline], int]:
        SubjectDeadline.objects.all().delete()
        rows = []
        for n in range(count):
            OWNERS[str(n)] = [Owner(email=f"old{n}@example.org")]
            rows.append(track(subject_id=str(n)))
        for n in range(count):
            OWNERS[str(n)] = [Owner(email=f"new{n}@example.org")]
        with CaptureQueriesContext(connection) as queries:
            subject_deadlines_owners_refresh(deadlines=rows)
        assert sorted(SubjectDeadline.objects.values_list("owners__email", flat=True)) == sorted(
            f"new{n}@example.org" for n in range(count)
        )
        return rows, len(queries)

    assert clocks_with_owners(3)[1] == clocks_with_owners(30)[1]


def test_an_owner_whose_account_is_deleted_goes_with_it():
    user = User.objects.create_user("gone", email="gone@example.org", password="pw-pw-pw-1")
    row = track(owners=[Owner(user_id=user.pk, email=user.email)])
    user.delete()
    assert not row.owners.exists()
