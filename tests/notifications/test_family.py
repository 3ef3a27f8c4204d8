"""Telling the family when something they wait for happens: family_event_notify, and the sweep
catching any event the workflow forgot (or crashed before) telling them about.

`case_event_record` calls family_event_notify itself (tests/workflows/test_family_told.py);
the tests here that call it by hand, or play a workflow that forgot, first switch that off.
"""

from datetime import date, timedelta

import pytest
from django.db.models import Max

from ehc.models import CaseEvent, Contact
from ehc.services import ContactDetails, case_event_record
from notifications.models import AlertRule, Notification, SweepState
from notifications.services import deadlines_sweep, family_event_notify
from notifications.services.sweep import EVENT_SETTLE_TIME
from tests.conftest import london

pytestmark = pytest.mark.django_db

Email, InApp = Notification.Channel.EMAIL, Notification.Channel.IN_APP
DECIDED = CaseEvent.Kind.DECIDED_TO_ASSESS


@pytest.fixture
def family_rule(make_rule):
    return make_rule(
        name="Family news",
        trigger=AlertRule.Trigger.FAMILY_EVENT,
        audience=AlertRule.Audience.FAMILY,
        event_kinds=[DECIDED, CaseEvent.Kind.FINAL_PLAN_ISSUED],
    )


@pytest.fixture
def unheard(monkeypatch):
    """Events are recorded without telling anyone, as if the workflow had forgotten."""
    from ehc.services import events

    monkeypatch.setattr(events, "_EVENT_HOOKS", [])


def test_recording_an_event_tells_the_family_and_the_sweep_adds_nothing(
    case, caseworker, family_rule, frozen, queued, sweep_on, django_capture_on_commit_callbacks
):
    frozen(london(2026, 3, 20, 12))
    with django_capture_on_commit_callbacks(execute=True):
        event = record(case, caseworker)

    assert len(told()) == 3 and len(queued) == 3
    assert set(Notification.objects.values_list("event", flat=True)) == {event.pk}
    # A day later the event has settled: the sweep reads it and records nothing new.
    assert sweep_on(date(2026, 3, 21)).created == 0
    assert len(told()) == 3 and Notification.objects.count() == 3


@pytest.fixture
def case(frozen, make_case, parent_user):
    SweepState.objects.update_or_create(
        pk=SweepState.SINGLETON_ID,
        defaults={"events_checked_to_id": CaseEvent.objects.aggregate(m=Max("pk"))["m"] or 0},
    )
    frozen(london(2026, 3, 2, 12))
    return make_case(
        received_at=london(2026, 3, 2, 10),
        parent=parent_user,
        contacts=[
            ContactDetails(
                full_name="Pat Okafor",
                relationship=Contact.Relationship.PARENT,
                email="pat.contact@example.com",
            ),
            ContactDetails(
                full_name="Sam Okafor",
                relationship=Contact.Relationship.CARER,
                email="Sam@Example.com",
            ),
            ContactDetails(
                full_name="Alex Okafor",
                relationship=Contact.Relationship.OTHER,
                phone="01632 960000",
            ),
        ],
    )


def test_an_event_recorded_long_after_it_happened_is_not_told(
    unheard, case, caseworker, family_rule, frozen
):
    frozen(london(2026, 5, 20, 12))
    event = record(case, caseworker, on=date(2026, 3, 20))  # two months ago: the letter came

    assert family_event_notify(event=event) == []
    assert told() == set()


def record(case, caseworker, kind=DECIDED, on=date(2026, 3, 20)) -> CaseEvent:
    return case_event_record(case=case, kind=kind, occurred_on=on, acting_user=caseworker)


def told() -> set[tuple[str, str, str]]:
    return set(Notification.objects.values_list("recipient_key", "channel", "recipient_email"))


def test_the_family_is_told_by_email_and_in_app_when_a_decision_is_made(
    unheard,
    case,
    caseworker,
    parent_user,
    family_rule,
    frozen,
    queued,
    django_capture_on_commit_callbacks,
):
    frozen(london(2026, 3, 20, 12))
    event = record(case, caseworker)

    with django_capture_on_commit_callbacks(execute=True):
        ids = family_event_notify(event=event)

    assert told() == {
        # The contact who signs in is emailed at their account's address, and told in-app.
        (f"user:{parent_user.pk}", Email, "pat@example.com"),
        (f"user:{parent_user.pk}", InApp, "pat@example.com"),
        # A contact with only an email address is emailed; one with no address is not told.
        ("email:sam@example.com", Email, "Sam@Example.com"),
    }
    assert sorted(queued) == sorted(ids)
    assert set(Notification.objects.values_list("event", "reason")) == {(event.pk, "family")}


def test_telling_the_family_twice_sends_nothing_twice(
    unheard, case, caseworker, family_rule, frozen, queued
):
    frozen(london(2026, 3, 20, 12))
    event = record(case, caseworker)

    first = family_event_notify(event=event)
    second = family_event_notify(event=event)

    assert (len(first), second) == (3, [])


def test_events_the_rule_does_not_list_are_not_told(case, caseworker, family_rule, frozen):
    frozen(london(2026, 3, 20, 12))
    event = record(case, caseworker, kind=CaseEvent.Kind.DECIDED_NOT_TO_ASSESS)

    assert family_event_notify(event=event) == []


def test_the_sweep_tells_the_family_when_the_workflow_forgot(
    unheard, case, caseworker, family_rule, frozen, sweep_on
):
    frozen(london(2026, 3, 20, 12))
    record(case, caseworker)  # and nobody called family_event_notify

    result = sweep_on(date(2026, 3, 20))

    assert result.created == 3
    assert sweep_on(date(2026, 3, 21)).created == 0


def test_the_sweep_adds_nothing_when_the_family_was_already_told(
    unheard, case, caseworker, family_rule, frozen, sweep_on
):
    frozen(london(2026, 3, 20, 12))
    family_event_notify(event=record(case, caseworker))

    assert sweep_on(date(2026, 3, 20)).created == 0


def test_the_event_cursor_waits_for_events_to_settle(
    case, caseworker, family_rule, frozen, sweep_on
):
    frozen(london(2026, 3, 20, 12))
    event = record(case, caseworker)

    frozen(london(2026, 3, 20, 12, 30))
    deadlines_sweep()
    # The request (recorded on 2 March) has settled; the decision, 30 minutes old, has not.
    request = case.events.get(kind=CaseEvent.Kind.REQUEST_RECEIVED)
    assert SweepState.objects.get().events_checked_to_id == request.pk

    frozen(london(2026, 3, 20, 12) + EVENT_SETTLE_TIME + timedelta(minutes=1))
    deadlines_sweep()
    assert SweepState.objects.get().events_checked_to_id == event.pk


def test_old_news_recorded_late_is_not_sent(case, caseworker, family_rule, frozen, sweep_on):
    frozen(london(2026, 5, 20, 12))
    record(case, caseworker, on=date(2026, 3, 20))  # decided in March, typed in in May

    assert sweep_on(date(2026, 5, 20)).created == 0


def test_seeded_demo_events_are_history_not_news(family_rule, sweep_on):
    from django.utils import timezone

    from ehc import demo

    demo.seed_cases(20)

    assert (
        SweepState.objects.get().events_checked_to_id
        == CaseEvent.objects.aggregate(m=Max("pk"))["m"]
    )
    sweep_on(timezone.localdate())
    assert not Notification.objects.filter(rule=family_rule).exists()


def test_the_family_email_says_what_happened_without_naming_the_child(
    unheard, case, caseworker, family_rule, frozen, outbox
):
    from notifications.services import notification_deliver

    frozen(london(2026, 3, 20, 12))
    event = record(case, caseworker)
    for pk in family_event_notify(event=event):
        notification_deliver(notification_id=pk)

    assert len(outbox) == 2  # the parent with a login, and the contact with only an address
    message = outbox[0]
    assert message.subject == "There is news about your EHC needs assessment request"
    assert "The council has decided to carry out an EHC needs assessment." in message.body
    assert "Date: 20 March 2026" in message.body
    assert case.reference in message.body and "/notifications/" in message.body
    assert "Amelia" not in message.body and "Amelia" not in message.subject
