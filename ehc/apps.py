from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EhcConfig(AppConfig):
    name = "ehc"
    verbose_name = "EHC cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import ehc.register.search  # noqa: F401  (registers settings with the search index)
        import ehc.search.cases  # noqa: F401  (registers cases with the search index)
        from ehc.search import freshness

        freshness.connect()  # saving a case, child, contact or setting rewrites its index rows
        from ehc import roles
        from ehc.roles import sync_role_groups

        post_migrate.connect(sync_role_groups, sender=self)
        from ehc.search.upkeep import search_index_check

        post_migrate.connect(search_index_check, sender=self)
        import ehc.security.sessions  # noqa: F401  (connects the sign-in time to the session)
        from ehc.registries import STAFF_CASE, case_panel_register, nav_entry_register

        case_panel_register(slot=STAFF_CASE, template="security/_case_reads_link.html", order=90)
        case_panel_register(slot=STAFF_CASE, template="register/_case_setting_panel.html", order=0)
        nav_entry_register(
            label="Settings",
            url_name="register:list",
            order=35,
            shown_to=lambda user: user.has_perm(roles.PROGRESS_CASE),
        )

        nav_entry_register(
            label="Staff sign-in",
            url_name="second_factor_accounts",
            order=65,
            shown_to=lambda user: user.has_perm(roles.REASSIGN_CASE),
        )
