from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """Installed only for its management commands (`bench`, `dev_up`)."""

    name = "config"
    verbose_name = "Project wiring"
