"""The Celery tasks are thin, beat runs them, and the migration seeds the default rules."""

import importlib
from datetime import date

import pytest
from django.apps import apps as django_apps
from django.conf import settings

from config.celery import app as celery_app
from notifications import tasks
from notifications.models import AlertRule, Notification
from tests.conftest import london
from tests.notifications.conftest import morning


def test_beat_runs_the_sweep_every_15_minutes_and_nothing_without_work():
    schedule = settings.CELERY_BEAT_SCHEDULE
    sweep = schedule["notifications-deadlines-sweep"]
    assert (sweep["task"], sweep["schedule"]) == ("notifications.tasks.deadlines_sweep", 15 * 60)
    assert "deadlines-refresh" in schedule  # the existing entry is kept
    # No flow has a viewflow timer, so nothing fires them every minute.
    assert not any("timer" in entry["task"] for entry in schedule.values())


def test_every_scheduled_task_is_registered_with_the_worker_app():
    celery_app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in celery_app.tasks


def test_delivery_is_acknowledged_late_and_retried_with_backoff():
    task = tasks.notification_deliver
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.task_reject_on_worker_lost is True
    assert (task.retry_backoff, task.max_retries) == (30, tasks.MAX_DELIVERY_RETRIES)
    assert Exception in task.autoretry_for


@pytest.mark.django_db
def test_the_sweep_task_calls_the_sweep_and_delivery_follows_on_commit(
    frozen, assigned_case, make_rule, eager_celery, outbox, django_capture_on_commit_callbacks
):
    make_rule(working_days_before=10)
    frozen(london(2026, 3, 2, 12))
    assigned_case(received_at=london(2026, 3, 2, 10))
    frozen(morning(date(2026, 3, 26)))

    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.deadlines_sweep.apply().get()

    assert result == {"created": 2, "requeued": 0}
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    assert len(outbox) == 1


@pytest.mark.django_db
def test_the_migration_seeds_the_default_rules():
    migration = importlib.import_module("notifications.migrations.0002_default_rules")
    AlertRule.objects.all().delete()

    migration.seed(django_apps, None)
    migration.seed(django_apps, None)  # running it again changes nothing

    rules = {r.name: r for r in AlertRule.objects.all()}
    assert len(rules) == 5
    leads = sorted(r.working_days_before for r in rules.values() if r.trigger == "due_soon")
    assert leads == [0, 5, 10]
    assert rules["Team managers: deadline missed"].audience == "managers"
    family = rules["Family: decisions and plans"]
    assert set(family.event_kinds) == {
        "decided_to_assess",
        "decided_not_to_assess",
        "draft_served",
        "final_plan_issued",
        "decided_not_to_issue",
    }
    for rule in rules.values():
        rule.full_clean()  # the defaults pass the same checks a manager's edit does
