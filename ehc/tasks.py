"""Celery tasks of the core domain: thin callers of services."""

from celery import shared_task

from ehc.services import deadlines_refresh_statuses
from ehc.services.subject_deadlines import subject_deadlines_refresh_statuses


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def deadlines_refresh() -> int:
    """Mark deadlines that ran out overnight as missed, case clocks and clocks without a case
    alike (safe to run any number of times)."""
    return deadlines_refresh_statuses() + subject_deadlines_refresh_statuses()


@shared_task
def sessions_clear() -> int:
    """Retention: delete expired sessions (unfinished requests hold a child's details)."""
    from ehc.services.retention import sessions_clear as clear

    return clear()


@shared_task
def abandoned_uploads_purge() -> int:
    """Retention: delete uploads from request journeys that were never sent."""
    from datetime import timedelta

    from django.conf import settings

    from ehc.services.retention import abandoned_documents_purge

    hours = settings.EHC_ABANDONED_UPLOAD_RETENTION_HOURS
    return abandoned_documents_purge(older_than=timedelta(hours=hours))
