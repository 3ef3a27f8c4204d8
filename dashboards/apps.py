"""Managers' dashboards: the 20-week timeliness, cases at risk and caseworker workload."""

from django.apps import AppConfig

from ehc import roles


class DashboardsConfig(AppConfig):
    name = "dashboards"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Dashboards"

    def ready(self) -> None:
        from ehc.registries import dashboard_tab_register, nav_entry_register

        nav_entry_register(
            label="Dashboards",
            url_name="dashboards:at_risk",
            order=50,
            shown_to=lambda user: user.has_perm(roles.VIEW_DASHBOARDS),
        )
        dashboard_tab_register(label="Deadlines at risk", url_name="dashboards:at_risk", order=10)
        dashboard_tab_register(label="Timeliness", url_name="dashboards:timeliness", order=20)
        dashboard_tab_register(label="Workload", url_name="dashboards:workload", order=30)
        dashboard_tab_register(
            label="Deadlines without a case", url_name="dashboards:subject_deadlines", order=35
        )
