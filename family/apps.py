"""The family's front door: the online request journey and the pages where a parent or young
person follows their case."""

from django.apps import AppConfig

from ehc import roles


class FamilyConfig(AppConfig):
    name = "family"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Family pages"

    def ready(self) -> None:
        from ehc.registries import nav_entry_register

        nav_entry_register(
            label="Your cases",
            url_name="family:case_list",
            order=40,
            shown_to=lambda user: (
                user.has_perm(roles.VIEW_OWN_CASE) and not user.has_perm(roles.PROGRESS_CASE)
            ),
        )
