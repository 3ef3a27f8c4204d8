"""Plans in force: annual reviews, amendments, phase transfers, ceasing, moves (spec §2)."""

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Plans in force and reviews"

    def ready(self) -> None:
        from ehc import demo, plan_hooks
        from reviews import bench  # noqa: F401  (registers its benchmarks)
        from reviews.demo import seed_with_demo_cases
        from reviews.flows import AnnualReviewFlow
        from reviews.services import on_final_plan_issued
        from workflows.registry import register_case_flow

        register_case_flow(AnnualReviewFlow)
        plan_hooks.on_final_plan_issued(on_final_plan_issued)
        if seed_with_demo_cases not in demo.BATCH_HOOKS:
            demo.BATCH_HOOKS.append(seed_with_demo_cases)
