from django.apps import AppConfig


class DisagreementsConfig(AppConfig):
    name = "disagreements"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Disagreements"

    def ready(self) -> None:
        from disagreements.flows import DisagreementFlow
        from disagreements.queue import disagreement_task_places
        from ehc.registries import (
            FAMILY_CASE_AFTER_LETTERS,
            STAFF_CASE,
            case_panel_register,
            dashboard_tab_register,
        )
        from workflows.registry import register_case_flow

        register_case_flow(DisagreementFlow, places=disagreement_task_places)
        case_panel_register(
            slot=STAFF_CASE, template="disagreements/staff/_case_section.html", order=20
        )
        case_panel_register(
            slot=FAMILY_CASE_AFTER_LETTERS,
            template="disagreements/family/_case_section.html",
            order=10,
        )
        dashboard_tab_register(
            label="Disagreements", url_name="disagreement_dashboard:figures", order=60
        )
