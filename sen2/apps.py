"""SEN2: the statutory person-level return on EHC plans, produced and checked from the case records."""

from django.apps import AppConfig


class Sen2Config(AppConfig):
    name = "sen2"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "SEN2 return"

    def ready(self) -> None:
        from ehc import demo, roles
        from ehc.form_extensions import register_form_extension
        from ehc.registries import STAFF_CASE, case_panel_register, nav_entry_register
        from sen2.demo import seed_with_demo_cases
        from sen2.extensions import CEASE_PLAN, ISSUE_FINAL_PLAN, REGISTER_REQUEST

        case_panel_register(slot=STAFF_CASE, template="sen2/_case_panel.html", order=40)
        nav_entry_register(
            label="SEN2 return",
            url_name="sen2:return",
            order=55,
            shown_to=lambda user: user.has_perm(roles.VIEW_DASHBOARDS),
        )
        register_form_extension("register_request", REGISTER_REQUEST)
        register_form_extension("task:issue_final_plan", ISSUE_FINAL_PLAN)
        register_form_extension("plan:cease", CEASE_PLAN)
        if seed_with_demo_cases not in demo.BATCH_HOOKS:
            demo.BATCH_HOOKS.append(seed_with_demo_cases)
