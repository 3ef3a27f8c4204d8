"""Fixtures for the alerts tests: known rules, a frozen clock, the team's manager, captured queues.

Every test starts from rules it makes itself (the seeded defaults are removed), so a change to
the defaults cannot silently change what these tests check.
"""

from datetime import date, datetime, time

import pytest
import time_machine
from django.core import mail

from config.celery import app as celery_app
from ehc.models import Case, User
from ehc.services import case_assign
from notifications import tasks
from notifications.models import AlertRule
from tests.conftest import LONDON

CASEWORKER_KINDS = ["A2", "A5", "A7", "A12", "A13", "R1"]


def morning(day: date) -> datetime:
    """07:00 on the council's wall clock: when an early sweep would run."""
    return datetime.combine(day, time(7, 0), tzinfo=LONDON)


@pytest.fixture
def make_rule(db):
    AlertRule.objects.all().delete()

    def make(**fields) -> AlertRule:
        fields.setdefault("name", f"{fields.get('trigger', 'due_soon')} rule")
        fields.setdefault("trigger", AlertRule.Trigger.DUE_SOON)
        fields.setdefault("audience", AlertRule.Audience.CASEWORKER)
        if fields["trigger"] == AlertRule.Trigger.DUE_SOON:
            fields.setdefault("working_days_before", 10)
        if fields["trigger"] != AlertRule.Trigger.FAMILY_EVENT:
            fields.setdefault("deadline_kinds", CASEWORKER_KINDS)
        rule = AlertRule(**fields)
        rule.full_clean()
        rule.save()
        return rule

    return make


@pytest.fixture
def default_caseworker_rules(make_rule):
    """The seeded caseworker and manager rules: 10, 5 and 0 working days; managers when missed."""
    return {
        10: make_rule(name="10 days", working_days_before=10),
        5: make_rule(name="5 days", working_days_before=5),
        0: make_rule(name="On the day", working_days_before=0),
        "overdue": make_rule(
            name="Missed", trigger=AlertRule.Trigger.OVERDUE, audience=AlertRule.Audience.MANAGERS
        ),
    }


@pytest.fixture
def team_manager(team, manager) -> User:
    manager.email = "morgan@example.gov.uk"
    manager.save()
    team.members.add(manager)
    return manager


@pytest.fixture
def caseworker_with_email(caseworker) -> User:
    caseworker.email = "casey@example.gov.uk"
    caseworker.save()
    return caseworker


@pytest.fixture
def assigned_case(make_case, caseworker_with_email):
    """make_case, then assign it to the caseworker (cases start unassigned)."""

    def make(**kwargs) -> Case:
        case = make_case(**kwargs)
        return case_assign(
            case=case, caseworker=caseworker_with_email, acting_user=caseworker_with_email
        )

    return make


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """Ids handed to the broker, in order; nothing is really queued."""
    ids: list[int] = []
    monkeypatch.setattr(tasks.notification_deliver, "delay", ids.append)
    return ids


@pytest.fixture
def eager_celery():
    """Run queued tasks in this process, so on_commit delivery happens inside the test."""
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = True, False
    yield celery_app
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


@pytest.fixture
def outbox():
    mail.outbox = []
    return mail.outbox


@pytest.fixture
def frozen():
    """Travel to a moment and stay there; returns the traveller so a test can move on."""
    travellers = []

    def travel(moment: datetime):
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        travellers.append(traveller)

    yield travel
    for traveller in travellers:
        traveller.stop()


@pytest.fixture
def sweep_on(frozen, django_capture_on_commit_callbacks):
    """Run the sweep at 07:00 on a day, with its on-commit queueing run as if committed."""
    from notifications.services import deadlines_sweep

    def run(day: date):
        frozen(morning(day))
        with django_capture_on_commit_callbacks(execute=True):
            return deadlines_sweep()

    return run
