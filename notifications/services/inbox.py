"""The in-app notifications list: marking items read."""

from django.utils import timezone

from ehc.models import User
from notifications.models import Notification
from notifications.selectors import inbox_for


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's own notifications read. Raises DoesNotExist for anyone else's."""
    notification = inbox_for(user).get(pk=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return inbox_for(user).filter(read_at__isnull=True).update(read_at=timezone.now())
