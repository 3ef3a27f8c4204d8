"""The read side: a user's in-app notifications and the managers' outbox."""

from django.db.models import QuerySet

from ehc.models import User
from notifications.models import Notification


def inbox_for(user: User) -> QuerySet[Notification]:
    """The user's own in-app notifications that were delivered, newest first."""
    return Notification.objects.filter(
        recipient_user=user,
        channel=Notification.Channel.IN_APP,
        status=Notification.Status.SENT,
    ).order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    return inbox_for(user).filter(read_at__isnull=True).count()


def outbox_list(*, status: str = "") -> QuerySet[Notification]:
    """Every notification, newest first, with what each row of the outbox page shows."""
    rows = Notification.objects.select_related(
        "case", "subject_deadline", "recipient_user", "rule"
    ).order_by("-created_at", "-id")
    if status:
        rows = rows.filter(status=status)
    return rows
