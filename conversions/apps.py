from django.apps import AppConfig


class ConversionsConfig(AppConfig):
    name = "conversions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from conversions import bench  # noqa: F401  (registers its benchmarks)
        from conversions.demo import seed_with_demo_cases
        from conversions.flows import cancel_review_of_closed_case
        from ehc import demo
        from workflows.registry import on_case_closed

        on_case_closed(cancel_review_of_closed_case)

        if seed_with_demo_cases not in demo.BATCH_HOOKS:
            demo.BATCH_HOOKS.append(seed_with_demo_cases)
