from django.apps import AppConfig

from ehc import roles


class NotificationsConfig(AppConfig):
    name = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ehc import demo
        from ehc.registries import nav_entry_register
        from ehc.services.events import on_event_recorded
        from notifications import tasks
        from notifications.services.queueing import delivery_sender_set
        from notifications.services.sweep import family_event_hook, treat_events_as_history

        # Looked up at each call, so a test may replace the task's `delay`.
        delivery_sender_set(
            lambda notification_id: tasks.notification_deliver.delay(notification_id)
        )

        # Demo cases are history, not news: seeding them must not email their "families".
        # (getattr: the seeder's hook list is newer than this app and may be absent.)
        nav_entry_register(
            label="Outbox and alert rules",
            url_name="notifications:outbox",
            order=60,
            shown_to=lambda user: user.has_perm(roles.VIEW_DASHBOARDS),
        )
        nav_entry_register(
            label="Notifications",
            url_name="notifications:inbox",
            order=70,
            shown_to=lambda user: True,
        )
        # Families hear of a decision, draft or final plan as it is recorded, not at the next
        # sweep (which still catches events written any other way).
        on_event_recorded(family_event_hook)
        hooks = getattr(demo, "BATCH_HOOKS", None)
        if hooks is not None and treat_events_as_history not in hooks:
            hooks.append(treat_events_as_history)
