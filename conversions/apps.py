from django.apps import AppConfig

from ehc import roles


class ConversionsConfig(AppConfig):
    name = "conversions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from conversions.demo import seed_with_demo_cases
        from conversions.flows import TransferReviewFlow, cancel_review_of_closed_case
        from conversions.queue import review_task_links, review_task_places
        from ehc import demo
        from ehc.registries import dashboard_tab_register, nav_entry_register
        from workflows.registry import on_case_closed, register_queue_flow

        on_case_closed(cancel_review_of_closed_case)
        register_queue_flow(TransferReviewFlow, places=review_task_places, links=review_task_links)
        nav_entry_register(
            label="Statements and LDAs",
            url_name="conversions:instruments",
            order=30,
            shown_to=lambda user: user.has_perm(roles.PROGRESS_CASE),
        )
        dashboard_tab_register(
            label="Statements and LDAs", url_name="conversions:progress", order=40
        )

        if seed_with_demo_cases not in demo.BATCH_HOOKS:
            demo.BATCH_HOOKS.append(seed_with_demo_cases)
