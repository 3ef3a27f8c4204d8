from django.apps import AppConfig
from django.db.models.signals import post_migrate

from ehc import roles


class WorkflowsConfig(AppConfig):
    name = "workflows"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ehc import demo
        from ehc.registries import nav_entry_register
        from workflows import queue
        from workflows.demo import attach_processes
        from workflows.flows import EHCNeedsAssessmentFlow
        from workflows.registry import register_case_flow

        register_case_flow(EHCNeedsAssessmentFlow)
        queue.connect()
        post_migrate.connect(queue.backfill_after_migrate, sender=self)

        def caseworker(user) -> bool:
            return user.has_perm(roles.PROGRESS_CASE)

        nav_entry_register(
            label="Work queue", url_name="workflows:queue", order=10, shown_to=caseworker
        )
        nav_entry_register(
            label="Cases", url_name="workflows:case_list", order=15, shown_to=caseworker
        )
        nav_entry_register(
            label="Register a request", url_name="workflows:register", order=20, shown_to=caseworker
        )

        if attach_processes not in demo.BATCH_HOOKS:
            demo.BATCH_HOOKS.append(attach_processes)
