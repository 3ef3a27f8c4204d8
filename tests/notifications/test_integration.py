"""Alerts with the real parts: redis-server on a free loopback port, Celery workers as
subprocesses, and one database that this process and the workers share.

The sweep runs in this process (or in the worker, as beat would run it); delivery always runs in
the worker, which writes email to a directory these tests count. Each test is bounded by
timeouts, and every process it starts is stopped in a finalizer.
"""

import os
import re
import time
from datetime import date, datetime, timedelta
from datetime import time as clock

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from config import devservers
from ehc import roles, timescales
from ehc.models import Case, Team, User
from ehc.services import ChildDetails, case_assign, case_create_from_request
from notifications import tasks
from notifications.models import AlertRule, Notification, SweepState
from notifications.services import deadlines_sweep
from tests.conftest import LONDON
from tests.notifications import live
from tests.notifications.conftest import morning
from tests.notifications.mail_backends import MAIL_DIR_ENV

pytestmark = pytest.mark.integration

SETTLE = 2.0  # after the expected emails arrive, wait this long to see that no more do
SUBJECT = "Subject: A deadline is coming up on one of your cases"


@pytest.fixture(scope="module")
def database_url(tmp_path_factory, django_db_blocker):
    with django_db_blocker.unblock(), live.shared_database(tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture
def clean_database(database_url, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
        yield database_url


@pytest.fixture
def redis(tmp_path, monkeypatch):
    server = live.Redis(port=devservers.free_port(), workdir=tmp_path / "redis")
    server.start()
    try:
        with live.publishing_to(server.url, monkeypatch):
            yield server
    finally:
        server.kill()


@pytest.fixture
def workers(clean_database, redis, tmp_path):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "DATABASE_URL": clean_database,
        "REDIS_URL": redis.url,
        "CELERY_BROKER_URL": redis.url,
        MAIL_DIR_ENV: str(mail_dir),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    pool = live.Workers(env=env, run_dir=tmp_path)
    try:
        yield pool
    finally:
        pool.stop_all()


@pytest.fixture
def caseworker(clean_database) -> User:
    team = Team.objects.create(name="North team")
    user = User.objects.create_user("casey", email="casey@example.gov.uk", password="x-password-1")
    user.groups.add(Group.objects.get(name=roles.CASEWORKER))
    team.members.add(user)
    return user


def ten_day_rule(**fields) -> AlertRule:
    return AlertRule.objects.create(
        name="A2, 10 working days before",
        trigger=AlertRule.Trigger.DUE_SOON,
        audience=AlertRule.Audience.CASEWORKER,
        working_days_before=10,
        deadline_kinds=["A2"],
        **fields,
    )


def case_due_in(caseworker: User, working_days: int) -> Case:
    """A case whose decision whether to assess (A2, 6 weeks) is due that many working days ahead."""
    due = timescales.working_days_after(timezone.localdate(), working_days)
    received = due - timedelta(weeks=6)
    assert timescales.decision_to_assess_due(received) == due
    case = case_create_from_request(
        child_details=ChildDetails("Amelia", "Okafor", date(2016, 5, 17)),
        team=caseworker.teams.get(),
        requester_type=Case.RequesterType.PARENT,
        request_channel=Case.Channel.EMAIL,
        received_at=datetime.combine(received, clock(10), tzinfo=LONDON),
        acting_user=caseworker,
    )
    return case_assign(case=case, caseworker=caseworker, acting_user=caseworker)


def statuses() -> list[str]:
    return sorted(Notification.objects.values_list("status", flat=True))


def all_sent(count: int):
    return lambda: statuses() == ["sent"] * count


def test_an_alert_arrives_once_when_its_deadline_enters_the_window(workers, caseworker):
    ten_day_rule()
    case_due_in(caseworker, 10)
    workers.start("w1")

    a_week_ago = deadlines_sweep(now=morning(timezone.localdate() - timedelta(days=7)))
    today = deadlines_sweep()

    assert (a_week_ago.created, today.created) == (0, 2)  # email and in-app, for today only
    [message] = workers.wait_for_messages(1)
    assert SUBJECT in message and "casey@example.gov.uk" in message
    live.wait_for(all_sent(2), timeout=20, what="both alerts sent", logs=workers.logs)

    # Beat's sweep, run by the worker, finds the alert already recorded and sends nothing more.
    swept_before = SweepState.objects.get().last_swept_at
    tasks.deadlines_sweep.delay()
    live.wait_for(
        lambda: SweepState.objects.get().last_swept_at != swept_before,
        timeout=20,
        what="the worker's sweep",
        logs=workers.logs,
    )
    time.sleep(SETTLE)
    assert len(workers.messages()) == 1
    assert Notification.objects.count() == 2


def test_a_worker_killed_mid_delivery_delivers_exactly_once_after_restart(workers, caseworker):
    ten_day_rule(show_in_app=False)
    case_due_in(caseworker, 10)
    # Prefork: its parent would acknowledge the message at once unless acks_late is on.
    doomed = workers.start("doomed", slow_seconds=120, pool="prefork")

    deadlines_sweep()
    live.wait_for(
        workers.sending_marker().exists, timeout=30, what="delivery to start", logs=workers.logs
    )
    workers.kill(doomed)  # SIGKILL in the middle of sending: no ack, no commit

    row = Notification.objects.get()
    assert (row.status, workers.messages()) == ("pending", [])

    workers.start("restarted")  # Redis hands the unacknowledged message out again
    workers.wait_for_messages(1)
    live.wait_for(all_sent(1), timeout=20, what="the alert marked sent", logs=workers.logs)
    time.sleep(SETTLE)
    row.refresh_from_db()
    assert len(workers.messages()) == 1
    assert row.attempts == 1


def test_redis_restarted_mid_sweep_loses_nothing(workers, redis, caseworker, settings):
    settings.NOTIFICATIONS_REQUEUE_AFTER_SECONDS = 0  # rather than wait a minute
    ten_day_rule(show_in_app=False)

    case_due_in(caseworker, 10)
    assert deadlines_sweep().created == 1  # queued in Redis; no worker is running yet
    redis.kill()  # ...and the queue dies with it (no persistence)
    case_due_in(caseworker, 10)
    assert deadlines_sweep().created == 1  # Redis is down: recorded, but queueing fails quietly

    redis.start()
    workers.start("w1")
    time.sleep(SETTLE)
    assert workers.messages() == []  # both deliveries were lost with Redis
    assert statuses() == ["pending", "pending"]

    assert deadlines_sweep().requeued == 2  # the database is the source of truth
    workers.wait_for_messages(2)
    live.wait_for(all_sent(2), timeout=20, what="both alerts sent", logs=workers.logs)
    assert deadlines_sweep().requeued == 0
    time.sleep(SETTLE)
    assert len(workers.messages()) == 2


SWEEP_RESULT = re.compile(r"deadlines_sweep\[[^\]]+\] succeeded in [\d.]+s: \{'created': (\d+)")


def test_two_sweeps_at_once_create_no_duplicates(workers, caseworker):
    ten_day_rule()
    for _ in range(10):
        case_due_in(caseworker, 10)
    workers.start("pair", pool="prefork", concurrency=2)  # the two sweeps run side by side

    tasks.deadlines_sweep.delay()
    tasks.deadlines_sweep.delay()

    def sweep_results() -> list[int]:
        return [int(n) for log in workers.logs for n in SWEEP_RESULT.findall(log.read_text())]

    live.wait_for(
        lambda: len(sweep_results()) == 2, timeout=30, what="both sweeps", logs=workers.logs
    )
    workers.wait_for_messages(10)
    live.wait_for(all_sent(20), timeout=30, what="20 alerts sent", logs=workers.logs)
    time.sleep(SETTLE)
    assert sorted(sweep_results()) == [0, 20]  # one sweep recorded everything, the other nothing
    assert len(workers.messages()) == 10
    keys = Notification.objects.values_list("deadline_id", "rule_id", "recipient_key", "channel")
    assert len(set(keys)) == len(keys) == 20
