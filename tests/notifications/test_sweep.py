"""notifications.services.deadlines_sweep: the right alerts, once each, in a fixed number of queries.

The case was received on Monday 2 March 2026, so its decision whether to assess (A2) is due on
Monday 13 April, just after the Easter bank holidays (Friday 3 and Monday 6 April).
"""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from kombu.exceptions import OperationalError

from ehc.models import CaseEvent, Deadline
from ehc.services import case_event_record, timescale_exception_record
from notifications import tasks
from notifications.models import AlertRule, Notification, SweepState
from notifications.services import deadlines_sweep, queue_delivery
from notifications.services.sweep import OVERDUE_RECENT_DAYS
from tests.conftest import london
from tests.notifications.conftest import morning

pytestmark = pytest.mark.django_db

RECEIVED = london(2026, 3, 2, 10)
A2_DUE = date(2026, 4, 13)
Email, InApp = Notification.Channel.EMAIL, Notification.Channel.IN_APP


@pytest.fixture
def case(frozen, assigned_case):
    frozen(london(2026, 3, 2, 12))
    return assigned_case(received_at=RECEIVED)


def a2(case) -> Deadline:
    return case.deadlines.get(kind="A2")


def alerts(**filters) -> list[tuple]:
    rows = Notification.objects.filter(**filters).order_by("rule_id", "channel", "recipient_key")
    return list(rows.values_list("rule__name", "channel", "recipient_key", "deadline__kind"))


# ---------------------------------------------------------------------------
# Windows, counted in working days
# ---------------------------------------------------------------------------


def test_caseworker_is_told_ten_working_days_before_and_not_a_day_sooner(
    case, caseworker_with_email, default_caseworker_rules, sweep_on
):
    sweep_on(date(2026, 3, 25))
    assert alerts() == []

    result = sweep_on(date(2026, 3, 26))  # Easter makes this 10 working days before 13 April

    key = f"user:{caseworker_with_email.pk}"
    assert alerts() == [("10 days", Email, key, "A2"), ("10 days", InApp, key, "A2")]
    assert result.created == 2
    email = Notification.objects.get(channel=Email)
    assert (email.recipient_email, email.status, email.reason) == (
        "casey@example.gov.uk",
        Notification.Status.PENDING,
        Notification.Reason.ASSIGNED,
    )


def test_each_rule_fires_once_on_its_own_day_through_the_run_up(
    case, default_caseworker_rules, team_manager, sweep_on
):
    fired_on = {}
    day = date(2026, 3, 20)
    while day <= A2_DUE + timedelta(days=2):
        sweep_on(day)
        for name in Notification.objects.values_list("rule__name", flat=True).distinct():
            fired_on.setdefault(name, day)
        day += timedelta(days=1)

    assert fired_on == {
        "10 days": date(2026, 3, 26),
        "5 days": date(2026, 4, 2),  # the Thursday before the Easter weekend
        "On the day": A2_DUE,
        "Missed": date(2026, 4, 14),
    }
    # One email and one in-app message per rule: daily sweeps never repeated one.
    assert Notification.objects.filter(channel=Email).count() == 4


def test_a_deadline_first_seen_close_gets_only_the_nearest_alert(
    case, default_caseworker_rules, sweep_on
):
    sweep_on(date(2026, 4, 8))  # 3 working days before: inside both the 10- and 5-day windows

    assert {name for name, *_ in alerts()} == {"5 days"}


def test_a_rule_for_other_kinds_does_not_stop_a_broader_rule_short(make_rule, case, sweep_on):
    make_rule(name="Every deadline, 10 days", working_days_before=10, deadline_kinds=[])
    make_rule(name="Advice only, 5 days", working_days_before=5, deadline_kinds=["A5"])

    sweep_on(date(2026, 4, 8))

    assert {name for name, *_ in alerts()} == {"Every deadline, 10 days"}


def test_kinds_outside_the_rule_are_not_alerted(make_rule, case, sweep_on):
    make_rule(working_days_before=10, deadline_kinds=["A13"])

    sweep_on(date(2026, 3, 26))

    assert alerts() == []


# ---------------------------------------------------------------------------
# Idempotency and queueing
# ---------------------------------------------------------------------------


def test_sweeping_twice_records_and_queues_nothing_new(
    case, default_caseworker_rules, sweep_on, queued
):
    first = sweep_on(date(2026, 3, 26))
    ids_after_first = sorted(Notification.objects.values_list("id", flat=True))
    second = sweep_on(date(2026, 3, 26))

    assert (first.created, second.created, second.requeued) == (2, 0, 0)
    assert sorted(Notification.objects.values_list("id", flat=True)) == ids_after_first
    assert queued == ids_after_first


def test_nothing_is_queued_until_the_sweep_commits(case, default_caseworker_rules, frozen, queued):
    frozen(morning(date(2026, 3, 26)))
    deadlines_sweep()  # inside the test's transaction, which never commits

    assert Notification.objects.count() == 2
    assert queued == []


def test_a_lost_pending_alert_is_queued_again_after_a_minute(
    case, default_caseworker_rules, frozen, django_capture_on_commit_callbacks, queued
):
    swept_at = morning(date(2026, 3, 26))

    def sweep_at(moment):
        frozen(moment)
        with django_capture_on_commit_callbacks(execute=True):
            return deadlines_sweep()

    sweep_at(swept_at)
    ids = sorted(queued)
    queued.clear()  # as if Redis restarted and lost them

    assert sweep_at(swept_at + timedelta(seconds=30)).requeued == 0
    assert sweep_at(swept_at + timedelta(minutes=2)).requeued == 2
    assert sorted(queued) == ids
    assert sweep_at(swept_at + timedelta(minutes=2, seconds=30)).requeued == 0


def test_a_broker_outage_leaves_alerts_pending_for_the_next_sweep(
    case, default_caseworker_rules, sweep_on, monkeypatch, caplog
):
    def broker_down(notification_id):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.notification_deliver, "delay", broker_down)

    sweep_on(date(2026, 3, 26))  # does not raise: the rows are safe in the database

    assert set(Notification.objects.values_list("status", flat=True)) == {"pending"}
    caplog.clear()
    assert queue_delivery([1, 2, 3]) == 0
    # One readable line saying why, not a traceback: the sweep recovers on its own.
    (record,) = [r for r in caplog.records if "Broker unavailable" in r.getMessage()]
    assert (
        "Connection refused" in record.getMessage() and "3 notification(s)" in record.getMessage()
    )
    assert record.exc_info is None


# ---------------------------------------------------------------------------
# Met or disapplied deadlines
# ---------------------------------------------------------------------------


def test_a_deadline_met_before_the_sweep_is_not_alerted(
    case, caseworker, default_caseworker_rules, frozen, sweep_on
):
    frozen(london(2026, 3, 20, 12))
    case_event_record(
        case=case,
        kind=CaseEvent.Kind.DECIDED_TO_ASSESS,
        occurred_on=date(2026, 3, 20),
        acting_user=caseworker,
    )

    sweep_on(date(2026, 3, 26))

    assert alerts(deadline__kind="A2") == []


def test_a_disapplied_deadline_is_not_alerted_even_when_overdue(
    case, caseworker, default_caseworker_rules, team_manager, frozen, sweep_on
):
    frozen(london(2026, 3, 20, 12))
    timescale_exception_record(
        deadline=a2(case),
        code="EXCEPTIONAL_PERSONAL_CIRCUMSTANCES",
        starts_on=date(2026, 3, 16),
        ends_on=date(2026, 4, 20),
        evidence="Hospital letter.",
        reasoning="The child was in hospital.",
        family_told_on=date(2026, 3, 20),
        acting_user=caseworker,
    )
    assert (a2(case).status, a2(case).is_open) == (Deadline.Status.DISAPPLIED, True)

    for day in (date(2026, 3, 26), date(2026, 4, 2), A2_DUE, date(2026, 4, 14)):
        sweep_on(day)

    assert alerts(deadline__kind="A2") == []


# ---------------------------------------------------------------------------
# Who is told
# ---------------------------------------------------------------------------


def test_nobody_assigned_tells_the_teams_managers_instead(
    make_case,
    default_caseworker_rules,
    team_manager,
    other_caseworker,
    caseworker,
    frozen,
    sweep_on,
):
    frozen(london(2026, 3, 2, 12))
    make_case(received_at=RECEIVED)  # unassigned; `caseworker` is in the team but not a manager

    sweep_on(date(2026, 3, 26))

    key = f"user:{team_manager.pk}"
    assert alerts() == [("10 days", Email, key, "A2"), ("10 days", InApp, key, "A2")]
    assert set(Notification.objects.values_list("reason", flat=True)) == {"unassigned"}


def test_a_switched_off_caseworker_counts_as_nobody_assigned(
    case, caseworker_with_email, default_caseworker_rules, team_manager, sweep_on
):
    caseworker_with_email.is_active = False
    caseworker_with_email.save()

    sweep_on(date(2026, 3, 26))

    assert {key for _, _, key, _ in alerts()} == {f"user:{team_manager.pk}"}


def test_missed_deadlines_go_to_the_team_managers_only(
    case, caseworker, default_caseworker_rules, team_manager, other_team, sweep_on
):
    from tests.conftest import _user_in_role

    elsewhere = _user_in_role("outsider", "manager", email="outsider@example.gov.uk")
    other_team.members.add(elsewhere)

    sweep_on(date(2026, 4, 14))

    missed = alerts(rule__name="Missed")
    key = f"user:{team_manager.pk}"
    assert missed == [("Missed", Email, key, "A2"), ("Missed", InApp, key, "A2")]


def test_long_missed_deadlines_are_left_to_the_dashboard(
    case, default_caseworker_rules, team_manager, sweep_on
):
    sweep_on(A2_DUE + timedelta(days=OVERDUE_RECENT_DAYS + 1))

    assert alerts(rule__name="Missed") == []


def test_in_app_only_rule_sends_no_email(make_rule, case, sweep_on):
    make_rule(working_days_before=10, send_email=False)

    sweep_on(date(2026, 3, 26))

    assert set(Notification.objects.values_list("channel", flat=True)) == {InApp}


def test_a_caseworker_without_an_email_address_is_told_in_app_only(
    case, caseworker_with_email, make_rule, sweep_on
):
    make_rule(working_days_before=10)
    caseworker_with_email.email = ""
    caseworker_with_email.save()

    sweep_on(date(2026, 3, 26))

    assert set(Notification.objects.values_list("channel", flat=True)) == {InApp}


def test_a_switched_off_rule_sends_nothing(make_rule, case, sweep_on):
    make_rule(working_days_before=10, is_active=False)

    sweep_on(date(2026, 3, 26))

    assert alerts() == []


# ---------------------------------------------------------------------------
# Cost: a fixed number of queries, whatever the number of cases
# ---------------------------------------------------------------------------


def _sweep_queries(day: date, frozen) -> tuple[int, int]:
    Notification.objects.all().delete()
    frozen(morning(day))
    with CaptureQueriesContext(connection) as queries:
        result = deadlines_sweep()
    return len(queries), result.created


def test_the_sweep_runs_the_same_queries_for_5_or_50_cases(
    assigned_case, default_caseworker_rules, team_manager, frozen, django_assert_num_queries
):
    frozen(london(2026, 3, 2, 12))
    for _ in range(5):
        assigned_case(received_at=RECEIVED)
    SweepState.objects.get_or_create(pk=SweepState.SINGLETON_ID)
    queries_for_5, created_for_5 = _sweep_queries(date(2026, 3, 26), frozen)

    frozen(london(2026, 3, 2, 12))
    for _ in range(45):
        assigned_case(received_at=RECEIVED)
    Notification.objects.all().delete()
    frozen(london(2026, 3, 26, 7))
    with django_assert_num_queries(queries_for_5):
        result = deadlines_sweep()

    assert (created_for_5, result.created) == (10, 100)


def test_overdue_and_due_soon_rules_each_cost_one_query(make_rule, case, frozen):
    SweepState.objects.get_or_create(pk=SweepState.SINGLETON_ID)
    make_rule(working_days_before=10)
    frozen(morning(date(2026, 3, 26)))
    with CaptureQueriesContext(connection) as one_rule:
        deadlines_sweep()
    make_rule(name="5", working_days_before=5)
    make_rule(name="missed", trigger=AlertRule.Trigger.OVERDUE)
    with CaptureQueriesContext(connection) as three_rules:
        deadlines_sweep()

    assert len(three_rules) == len(one_rule) + 2
