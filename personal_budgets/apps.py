"""Personal budgets: direct payments, managed and third-party arrangements, section J."""

from django.apps import AppConfig


class PersonalBudgetsConfig(AppConfig):
    name = "personal_budgets"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Personal budgets"

    def ready(self) -> None:
        from personal_budgets.flows import PersonalBudgetFlow
        from workflows.registry import register_case_flow

        register_case_flow(PersonalBudgetFlow)
