"""Professionals contribute online: organisation accounts, their inboxes of advice requests,
schools' requests for assessments. Plugs into the core through its registries."""

from django.apps import AppConfig


class ProfessionalsConfig(AppConfig):
    name = "professionals"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Professionals and their organisations"

    def ready(self) -> None:
        from ehc import roles
        from ehc.registries import (
            STAFF_CASE,
            case_panel_register,
            dashboard_tab_register,
            nav_entry_register,
        )
        from notifications.audiences import audience_register
        from professionals import alerts, selectors
        from workflows.registry import on_case_closed

        nav_entry_register(
            label="Your organisation's inbox",
            url_name="professionals:inbox",
            order=15,
            shown_to=selectors.is_professional,
        )
        nav_entry_register(
            label="Organisations",
            url_name="professionals_staff:organisations",
            order=75,
            shown_to=lambda user: user.has_perm(roles.REASSIGN_CASE),
        )
        case_panel_register(
            slot=STAFF_CASE, template="professionals/staff/_case_panel.html", order=5
        )
        dashboard_tab_register(
            label="Advice timeliness", url_name="professionals_staff:timeliness", order=45
        )
        on_case_closed(alerts.case_closed)
        audience_register(alerts.ORGANISATION_ADMINS)
        audience_register(alerts.ORGANISATION_MEMBERS)
