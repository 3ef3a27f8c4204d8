"""Retention jobs: scheduled in Celery beat, and they delete what they should."""

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from ehc import tasks

pytestmark = pytest.mark.django_db


def test_beat_runs_both_jobs():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"ehc.tasks.sessions_clear", "ehc.tasks.abandoned_uploads_purge"} <= scheduled


def test_expired_sessions_are_deleted_and_live_ones_kept():
    old = SessionStore()
    old["ehc_request"] = {"answers": {"child": {"first_name": "Ada"}}}
    old.set_expiry(-60)
    old.create()
    old.save()
    live = SessionStore()
    live["x"] = 1
    live.create()
    live.save()
    assert tasks.sessions_clear() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_abandoned_uploads_are_purged_after_the_retention_period(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.EHC_ABANDONED_UPLOAD_RETENTION_HOURS = 48
    name = default_storage.save(
        "request-documents/00000000-0000-0000-0000-000000000001/a.pdf", ContentFile(b"x")
    )
    assert tasks.abandoned_uploads_purge() == 0  # too recent
    settings.EHC_ABANDONED_UPLOAD_RETENTION_HOURS = -1
    assert tasks.abandoned_uploads_purge() == 1
    assert not default_storage.exists(name)
