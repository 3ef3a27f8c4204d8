"""Celery tasks of the core domain: thin callers of services."""

from celery import shared_task

from ehc.services import deadlines_refresh_statuses


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def deadlines_refresh() -> int:
    """Mark deadlines that ran out overnight as missed (safe to run any number of times)."""
    return deadlines_refresh_statuses()
