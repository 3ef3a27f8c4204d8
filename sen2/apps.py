"""SEN2: the statutory person-level return on EHC plans, produced and checked from the case records."""

from django.apps import AppConfig


class Sen2Config(AppConfig):
    name = "sen2"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "SEN2 return"

    def ready(self) -> None:
        from ehc import case_panels, demo
        from ehc.form_extensions import register_form_extension
        from sen2 import bench  # noqa: F401  (registers its benchmarks)
        from sen2.demo import seed_with_demo_cases
        from sen2.extensions import REGISTER_REQUEST

        case_panels.register_case_panel("sen2/_case_panel.html")
        register_form_extension("register_request", REGISTER_REQUEST)
        if seed_with_demo_cases not in demo.BATCH_HOOKS:
            demo.BATCH_HOOKS.append(seed_with_demo_cases)
