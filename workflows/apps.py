from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import workflows.disagreements  # noqa: F401  (registers the disagreement flow)
        from ehc import demo
        from ehc.registries import (
            FAMILY_CASE_AFTER_LETTERS,
            STAFF_CASE,
            case_panel_register,
            dashboard_tab_register,
            nav_entry_register,
        )
        from workflows.demo import attach_processes
        from workflows.flows import EHCNeedsAssessmentFlow
        from workflows.registry import register_case_flow

        register_case_flow(EHCNeedsAssessmentFlow)

        def caseworker(user) -> bool:
            return user.has_perm("ehc.progress_case")

        nav_entry_register(
            label="Work queue", url_name="workflows:queue", order=10, shown_to=caseworker
        )
        nav_entry_register(
            label="Register a request", url_name="workflows:register", order=20, shown_to=caseworker
        )
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

        if attach_processes not in demo.BATCH_HOOKS:
            demo.BATCH_HOOKS.append(attach_processes)
