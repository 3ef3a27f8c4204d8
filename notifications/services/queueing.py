"""Handing notification ids to the broker, after the rows that name them are committed."""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from kombu.exceptions import KombuError

from notifications.models import Notification

logger = logging.getLogger(__name__)

# A pending row queued longer ago than this is assumed lost (say Redis restarted without
# persistence) and is queued again; delivery's status guard makes a duplicate harmless.
DEFAULT_REQUEUE_AFTER = timedelta(minutes=1)
# A row that failed is retried by Celery with backoff up to this long; past it, the retry is lost.
RETRY_BACKOFF_MAX = timedelta(minutes=10)

# How one id reaches the broker. NotificationsConfig.ready plugs in the Celery task's `delay`, so
# the services never import the tasks module (the tasks call the services).
_send_delivery: Callable[[int], object] | None = None


def delivery_sender_set(send: Callable[[int], object]) -> None:
    global _send_delivery
    _send_delivery = send


def requeue_after() -> timedelta:
    seconds = getattr(settings, "NOTIFICATIONS_REQUEUE_AFTER_SECONDS", None)
    return DEFAULT_REQUEUE_AFTER if seconds is None else timedelta(seconds=seconds)


def deliver_on_commit(ids: list[int]) -> None:
    """Queue delivery of these rows once the current transaction commits (never before)."""
    if ids:
        transaction.on_commit(lambda: queue_delivery(ids))


def queue_delivery(ids: list[int]) -> int:
    """Send one delivery task per id; stop at the first broker error. Returns how many queued.

    Stopping is safe: the rows stay PENDING and the next sweep queues them again.
    """
    if _send_delivery is None:
        raise RuntimeError("No delivery task: NotificationsConfig.ready has not run.")
    for count, notification_id in enumerate(ids):
        try:
            _send_delivery(notification_id)
        except (KombuError, OSError) as error:
            # One line, not a traceback: it is expected whenever Redis is down or not yet up
            # (demo data seeded before `make run` starts it), and the sweep recovers.
            logger.warning(
                "Broker unavailable (%s): %d notification(s) left for the next sweep to queue",
                error,
                len(ids) - count,
            )
            return count
    return len(ids)


def stale_pending(now: datetime) -> QuerySet[Notification]:
    """PENDING rows whose delivery task has probably been lost."""
    never_tried = Q(attempts=0) & (
        Q(queued_at__isnull=True) | Q(queued_at__lt=now - requeue_after())
    )
    retry_overdue = Q(attempts__gt=0, last_attempt_at__lt=now - RETRY_BACKOFF_MAX - requeue_after())
    return Notification.objects.filter(
        never_tried | retry_overdue, status=Notification.Status.PENDING
    ).order_by()


def claim_stale_pending(now: datetime) -> list[int]:
    """Ids of lost PENDING rows, marked as queued now so the next sweep leaves them alone."""
    stale = stale_pending(now)
    ids = list(stale.values_list("id", flat=True))
    if ids:
        stale.update(queued_at=now)
    return ids
