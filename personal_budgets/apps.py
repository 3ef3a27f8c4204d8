from django.apps import AppConfig


class PersonalBudgetsConfig(AppConfig):
    name = "personal_budgets"
    default_auto_field = "django.db.models.BigAutoField"
