"""Flow state: routing flags only. The case's facts live in ehc's tables (process.artifact).
Besides: the history of who held each task (TaskAssignmentChange)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from viewflow import jsonstore
from viewflow.workflow.models import Process, Task

from ehc.models import Case, Deadline, Team


class EHCAssessmentProcess(Process):
    decided_to_assess = jsonstore.BooleanField(default=False)
    issue_plan = jsonstore.BooleanField(default=False)
    needs_adulthood_advice = jsonstore.BooleanField(default=False)
    other_advice_requested = jsonstore.BooleanField(default=False)

    class Meta:
        proxy = True
        verbose_name = "EHC needs assessment"


class QueueEntry(models.Model):
    """One human task of a registered flow as the work queue reads it: whose case, which team
    sees it, who holds it, whether it is open, and the due date of the clock it works towards.

    The due date is the task's own (the flow's `places` function in workflows.registry names
    it) and is kept in step by workflows.queue: on creation, when the task's status or owner
    changes, and when the case's deadlines change. So the queue is one ORDER BY on a partial
    index, whatever the number of cases."""

    task = models.OneToOneField(
        Task, primary_key=True, on_delete=models.CASCADE, related_name="queue_entry"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_open = models.BooleanField(default=True)
    due_on = models.DateField(null=True, blank=True)
    deadline = models.ForeignKey(
        Deadline, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(
                fields=["owner", "due_on", "task"],
                condition=models.Q(is_open=True),
                name="queue_mine",
            ),
            models.Index(
                fields=["team", "due_on", "task"],
                condition=models.Q(is_open=True, owner__isnull=True),
                name="queue_team",
            ),
            models.Index(
                fields=["due_on", "task"], condition=models.Q(is_open=True), name="queue_all"
            ),
            models.Index(fields=["case"], condition=models.Q(is_open=True), name="queue_by_case"),
        ]

    def __str__(self) -> str:
        return f"Task {self.task_id} due {self.due_on}"


class TaskAssignmentChange(models.Model):
    """One change of who holds a task: taken, released, or reassigned (one task, or every task
    moved with its case). Written only by workflows.services; shown on the case page."""

    class How(models.TextChoices):
        TAKEN = "taken", "Taken"
        RELEASED = "released", "Released to the team's queue"
        REASSIGNED = "reassigned", "Reassigned"
        MOVED_WITH_CASE = "moved_with_case", "Moved with the case"

    task = models.ForeignKey(
        "viewflow.Task", on_delete=models.CASCADE, related_name="assignment_changes"
    )
    case = models.ForeignKey(
        "ehc.Case", on_delete=models.CASCADE, related_name="task_assignment_changes"
    )
    task_title = models.CharField(max_length=200)
    how = models.CharField(max_length=20, choices=How.choices)
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["case", "-changed_at"])]

    def __str__(self) -> str:
        return f"{self.task_title}: {self.get_how_display()} {self.changed_at:%Y-%m-%d %H:%M}"
