"""Plans in force: annual reviews, amendments, phase transfers, ceasing, moves (spec §2)."""

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Plans in force and reviews"

    def ready(self) -> None:
        from ehc import demo, plan_hooks
        from ehc.registries import (
            FAMILY_CASE,
            STAFF_CASE,
            case_panel_register,
            dashboard_tab_register,
        )
        from reviews import bench  # noqa: F401  (registers its benchmarks)
        from reviews.alerts import register_family_news
        from reviews.demo import seed_with_demo_cases
        from reviews.flows import AnnualReviewFlow
        from reviews.services import on_final_plan_issued
        from workflows.registry import register_case_flow

        register_case_flow(AnnualReviewFlow)
        register_family_news()
        plan_hooks.on_final_plan_issued(on_final_plan_issued)
        case_panel_register(slot=STAFF_CASE, template="reviews/staff/_case_panel.html", order=15)
        case_panel_register(slot=FAMILY_CASE, template="reviews/family/_case_panel.html", order=15)
        dashboard_tab_register(label="Reviews of plans", url_name="reviews:dashboard", order=55)
        dashboard_tab_register(label="Phase transfers", url_name="reviews:cohort", order=56)
        if seed_with_demo_cases not in demo.BATCH_HOOKS:
            demo.BATCH_HOOKS.append(seed_with_demo_cases)
