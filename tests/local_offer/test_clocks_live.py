"""A stale Local Offer record's alert with the real parts, as the case alerts are tested
(tests/notifications/test_integration.py): redis-server, a Celery worker as a subprocess, one
database both use. The owners hear once, however many sweeps run and wherever they run."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from local_offer import services
from local_offer.services import CouncilDetails, ServiceDetails
from notifications import tasks
from notifications.models import AlertRule, Notification, SweepState
from notifications.services import deadlines_sweep
from tests.notifications import live
from tests.notifications.test_integration import (  # noqa: F401  (fixtures)
    SETTLE,
    clean_database,
    database_url,
    redis,
    workers,
)

pytestmark = pytest.mark.integration


def test_a_stale_records_owners_hear_once_from_the_worker(workers):  # noqa: F811
    AlertRule.objects.create(
        name="Record owners: past its review date",
        trigger=AlertRule.Trigger.OVERDUE,
        audience=AlertRule.Audience.OWNERS,
        deadline_kinds=["LO2"],
        show_in_app=False,
    )
    organisation = services.organisation_create(
        name="Riverside Autism Trust",
        description="A parent-led charity.",
        email="hello@riverside.example",
        acting_user=None,
    )
    today = timezone.localdate()
    club = services.service_create(
        organisation=organisation,
        details=ServiceDetails(
            name="Saturday autism club",
            description="Play for autistic children.",
            eligibility="Autistic children aged 5 to 12.",
            how_to_apply="Phone us.",
        ),
        council=CouncilDetails(schedule2_item="leisure", review_due_on=today - timedelta(days=1)),
        acting_user=None,
        today=today - timedelta(days=30),
    )
    workers.start("w1")

    assert deadlines_sweep().created == 1  # the organisation's address, by email
    [message] = workers.wait_for_messages(1)
    assert "Subject: A Local Offer record needs checking" in message
    assert "hello@riverside.example" in message and "Saturday autism club" in message
    live.wait_for(
        lambda: list(Notification.objects.values_list("status", flat=True)) == ["sent"],
        timeout=20,
        what="the alert marked sent",
        logs=workers.logs,
    )

    # Beat's sweep, run by the worker, and another here, find it recorded: nothing more is sent.
    swept_before = SweepState.objects.get().last_swept_at
    tasks.deadlines_sweep.delay()
    live.wait_for(
        lambda: SweepState.objects.get().last_swept_at != swept_before,
        timeout=20,
        what="the worker's sweep",
        logs=workers.logs,
    )
    assert deadlines_sweep().created == 0
    time.sleep(SETTLE)
    assert len(workers.messages()) == 1
    assert Notification.objects.get().subject_deadline.subject_id == str(club.pk)
