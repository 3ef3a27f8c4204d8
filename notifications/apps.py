from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ehc import demo
        from notifications.services.sweep import treat_events_as_history

        # Demo cases are history, not news: seeding them must not email their "families".
        # (getattr: the seeder's hook list is newer than this app and may be absent.)
        hooks = getattr(demo, "BATCH_HOOKS", None)
        if hooks is not None and treat_events_as_history not in hooks:
            hooks.append(treat_events_as_history)
