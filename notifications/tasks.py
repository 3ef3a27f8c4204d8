"""Celery tasks: thin interfaces that take ids and call the services.

Delivery retries with exponential backoff; when retries run out, the failure hook marks the row
FAILED so managers see it in the outbox. Tasks are queued only from transaction.on_commit.
"""

from celery import shared_task

from notifications import services
from notifications.channels import PermanentDeliveryError
from notifications.services.queueing import RETRY_BACKOFF_MAX

MAX_DELIVERY_RETRIES = 6  # about 20 minutes of trying: 30s, 1m, 2m, 4m, 8m, 10m (with jitter)


@shared_task
def deadlines_sweep() -> dict:
    """Beat: record and queue every alert that is due (safe to run twice, or at once)."""
    result = services.deadlines_sweep()
    return {"created": result.created, "requeued": result.requeued}


def _notification_deliver_failure(self, exc, task_id, args, kwargs, einfo) -> None:
    notification_id = kwargs.get("notification_id", args[0] if args else None)
    if notification_id is not None:
        services.notification_fail(
            notification_id=notification_id, reason=f"{type(exc).__name__}: {exc}"
        )


@shared_task(
    bind=True,
    autoretry_for=(Exception,),
    dont_autoretry_for=(PermanentDeliveryError,),
    retry_backoff=30,
    retry_backoff_max=int(RETRY_BACKOFF_MAX.total_seconds()),
    retry_jitter=True,
    max_retries=MAX_DELIVERY_RETRIES,
    on_failure=_notification_deliver_failure,
)
def notification_deliver(self, notification_id: int) -> str | None:
    """Send one notification; a duplicate or retried run finds it already sent."""
    notification = services.notification_deliver(notification_id=notification_id)
    return notification.status if notification else None
