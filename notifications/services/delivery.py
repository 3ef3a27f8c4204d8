"""Delivering one notification, exactly once however often its task runs.

The row is locked and must still be PENDING; it becomes SENT in the same transaction as the
send, so a duplicated or retried task finds it SENT and does nothing. Before sending, the
deadline is checked again: one met, disapplied or passed since the sweep is not alerted.
"""

import logging
from datetime import date, datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ehc.models import Deadline, SubjectDeadline
from notifications import channels, content
from notifications.models import AlertRule, Notification

logger = logging.getLogger(__name__)
Status = Notification.Status

DEADLINE_CLOSED = "The deadline was met, or no longer applies, before the alert was sent."
DEADLINE_DISAPPLIED = "An exception was recorded against the deadline before the alert was sent."
DEADLINE_PASSED = "The deadline passed before the 'coming up' alert could be sent."
RULE_SWITCHED_OFF = "The alert rule was switched off before the alert was sent."
RECIPIENT_INACTIVE = "The recipient's account was switched off before the alert was sent."
NO_LONGER_OWNER = "The recipient no longer keeps the record the alert was about."
MAX_DETAIL_LENGTH = 1000


def notification_deliver(
    *, notification_id: int, now: datetime | None = None
) -> Notification | None:
    """Send one PENDING notification, or cancel it if it is no longer wanted.

    A failure is recorded on the row (attempts, reason) and raised again for the task to retry.
    Returns None when the row is gone (its case or deadline was deleted).
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            notification = _lock(notification_id)
            if notification is None or notification.status != Status.PENDING:
                return notification
            reason = why_not_wanted(notification, today=timezone.localdate(now))
            if reason:
                return _close(notification, Status.CANCELLED, reason, now)
            message = content.render(notification)
            receipt = channels.send(notification, message)
            return _mark_sent(notification, message, receipt, now)
    except Exception as exc:
        _record_failed_attempt(notification_id, exc, now)
        raise


def notification_fail(*, notification_id: int, reason: str) -> None:
    """Give up on a notification whose retries ran out; managers see it in the outbox."""
    Notification.objects.filter(pk=notification_id, status=Status.PENDING).update(
        status=Status.FAILED, status_detail=reason[:MAX_DETAIL_LENGTH]
    )


def why_not_wanted(notification: Notification, *, today) -> str:
    """Why this notification should no longer be sent, or '' if it should."""
    if not notification.rule.is_active:
        return RULE_SWITCHED_OFF
    user = notification.recipient_user
    if user is not None and not user.is_active:
        return RECIPIENT_INACTIVE
    if notification.subject_deadline is not None:
        return _subject_deadline_not_wanted(notification, notification.subject_deadline, today)
    deadline = notification.deadline
    if deadline is None:
        return ""
    if deadline.status == Deadline.Status.DISAPPLIED:
        return DEADLINE_DISAPPLIED
    if not deadline.is_open:
        return DEADLINE_CLOSED
    if notification.trigger == AlertRule.Trigger.DUE_SOON and deadline.due_on < today:
        return DEADLINE_PASSED
    return ""


def _subject_deadline_not_wanted(
    notification: Notification, deadline: SubjectDeadline, today: date
) -> str:
    """As for a case deadline: met or closed, passed (for 'coming up'), or handed to others."""
    if not deadline.is_open:
        return DEADLINE_CLOSED
    if notification.trigger == AlertRule.Trigger.DUE_SOON and deadline.due_on < today:
        return DEADLINE_PASSED
    if not deadline.owners.filter(key=notification.recipient_key).exists():
        return NO_LONGER_OWNER
    return ""


def _lock(notification_id: int) -> Notification | None:
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer joins.
    return (
        Notification.objects.select_for_update(of=("self",))
        .select_related("rule", "deadline", "event", "case", "subject_deadline", "recipient_user")
        .filter(pk=notification_id)
        .first()
    )


def _mark_sent(notification, message, receipt, now) -> Notification:
    notification.status = Status.SENT
    notification.sent_at = notification.last_attempt_at = now
    notification.attempts += 1
    notification.subject, notification.body = message.subject, message.body
    notification.provider, notification.provider_reference = receipt.provider, receipt.reference
    notification.status_detail = ""
    notification.save()
    return notification


def _close(notification, status: str, detail: str, now) -> Notification:
    notification.status, notification.status_detail = status, detail
    notification.last_attempt_at = now
    notification.save(update_fields=["status", "status_detail", "last_attempt_at"])
    return notification


def _record_failed_attempt(notification_id: int, exc: Exception, now: datetime) -> None:
    detail = f"{type(exc).__name__}: {exc}"[:MAX_DETAIL_LENGTH]
    permanent = isinstance(exc, channels.PermanentDeliveryError)
    Notification.objects.filter(pk=notification_id, status=Status.PENDING).update(
        attempts=F("attempts") + 1,
        last_attempt_at=now,
        status_detail=detail,
        **({"status": Status.FAILED} if permanent else {}),
    )
    logger.warning("Notification %s not delivered: %s", notification_id, detail)
