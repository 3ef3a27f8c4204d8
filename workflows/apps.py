from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import workflows.disagreements  # noqa: F401  (registers the disagreement flow)
        from ehc import demo
        from workflows import bench  # noqa: F401  (registers its benchmarks)
        from workflows.demo import attach_processes
        from workflows.flows import EHCNeedsAssessmentFlow
        from workflows.registry import register_case_flow

        register_case_flow(EHCNeedsAssessmentFlow)

        if attach_processes not in demo.BATCH_HOOKS:
            demo.BATCH_HOOKS.append(attach_processes)
