"""Django admin: alert rules with their history, and a read-only view of the outbox."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from notifications.models import AlertRule, Notification, SweepState


@admin.register(AlertRule)
class AlertRuleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "trigger", "audience", "working_days_before", "is_active"]
    list_filter = ["trigger", "audience", "is_active"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Rows are written by the sweep and delivery only; the admin may look, not edit."""

    list_display = [
        "created_at",
        "status",
        "channel",
        "recipient_key",
        "trigger",
        "case",
        "attempts",
    ]
    list_filter = ["status", "channel", "trigger"]
    search_fields = ["recipient_email", "recipient_key", "case__reference"]
    list_select_related = ["case"]
    raw_id_fields = ["rule", "deadline", "event", "case", "subject_deadline", "recipient_user"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SweepState)
class SweepStateAdmin(admin.ModelAdmin):
    list_display = ["events_checked_to_id", "last_swept_at"]

    def has_add_permission(self, request) -> bool:
        return False
