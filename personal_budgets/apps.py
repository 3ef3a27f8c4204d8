"""Personal budgets: direct payments, managed and third-party arrangements, section J."""

from django.apps import AppConfig


class PersonalBudgetsConfig(AppConfig):
    name = "personal_budgets"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Personal budgets"

    def ready(self) -> None:
        from ehc.registries import (
            FAMILY_CASE,
            STAFF_CASE,
            case_panel_register,
            dashboard_tab_register,
        )
        from personal_budgets import plan_check
        from personal_budgets.flows import PersonalBudgetFlow
        from personal_budgets.queue import budget_task_places
        from workflows.registry import register_case_flow

        register_case_flow(PersonalBudgetFlow, places=budget_task_places)
        plan_check.register()
        case_panel_register(
            slot=STAFF_CASE, template="personal_budgets/staff/_case_panel.html", order=10
        )
        case_panel_register(
            slot=FAMILY_CASE, template="personal_budgets/family/_case_panel.html", order=10
        )
        dashboard_tab_register(
            label="Personal budgets", url_name="personal_budgets:figures", order=50
        )
