"""Celery tasks of the Local Offer: thin callers of the services."""

from celery import shared_task

from local_offer import services


@shared_task(autoretry_for=(Exception,), retry_backoff=60, max_retries=3)
def stale_records_alert() -> int:
    """Beat, daily: tell the owners of records past their review date (once per review date)."""
    return services.stale_records_alert()


@shared_task(autoretry_for=(Exception,), retry_backoff=60, max_retries=3)
def comment_actions_alert() -> int:
    """Beat, daily: remind owners of comment actions due within a week or overdue (once each)."""
    return services.comment_actions_alert()
