"""Celery tasks of the reviews app: thin callers of its services."""

from celery import shared_task

from reviews.nightly import reviews_open_due


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def reviews_open() -> int:
    """Open the review of every plan falling due (safe to run any number of times)."""
    return reviews_open_due()
