"""The only code that writes notifications: the sweep, family news, delivery, rules, the inbox."""

from notifications.services.delivery import notification_deliver, notification_fail
from notifications.services.inbox import notification_mark_read, notifications_mark_all_read
from notifications.services.queueing import queue_delivery
from notifications.services.rules import alert_rule_save
from notifications.services.sweep import SweepResult, deadlines_sweep, family_event_notify

__all__ = [
    "SweepResult",
    "alert_rule_save",
    "deadlines_sweep",
    "family_event_notify",
    "notification_deliver",
    "notification_fail",
    "notification_mark_read",
    "notifications_mark_all_read",
    "queue_delivery",
]
