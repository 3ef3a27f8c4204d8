"""The flows whose human tasks caseworkers do, and how the one work queue places each task.

Two kinds of flow join the queue, registered from their app's AppConfig.ready():

- `register_case_flow(flow_class)`: flows whose process.artifact is an ehc Case. Their tasks
  also share the task page (access-checked through the case) and the case page's list of open
  tasks. Such a flow answers `deadline_for_task(node_name) -> (kind, subject_key) | None`, the
  statutory clock each task works towards, or passes `places=` to say so itself.
- `register_queue_flow(flow_class, places=..., links=...)`: flows whose artifact is something
  else (a transfer review). `links` tells the queue what each task is about and where its pages
  are, because it cannot be the case's.

`places(tasks) -> {task.pk: TaskPlace}` is each flow's "due date for this task" function: it
says, for many tasks at once and in a fixed number of queries, which case and team a task
belongs to and which Deadline row (or, before any clock runs, which date) it works towards.
workflows.queue stores the answer beside the task and asks again whenever the case's deadlines
change, so the queue is one indexed ORDER BY.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class TaskPlace:
    """Where a task sits in the queue: whose case, which team sees it, and its due date (taken
    from `deadline_id` when the task's clock is a Deadline row)."""

    case_id: int | None
    team_id: int | None
    due_on: date | None
    deadline_id: int | None = None


@dataclass(frozen=True)
class QueueLink:
    """What a task in the queue is about and where its pages are."""

    subject: str  # the child's name
    reference: str
    team: str
    subject_url: str
    task_url: str
    take_url: str
    release_url: str
    reassign_url: str = ""


Places = Callable[[Sequence[Any]], dict[int, TaskPlace]]
Links = Callable[[Sequence[Any]], dict[int, QueueLink]]


@dataclass(frozen=True)
class QueueFlow:
    flow_class: type
    places: Places | None  # None: from deadline_for_task, on the case's Deadline rows
    links: Links | None  # None: the case's pages (a case flow)


CASE_FLOWS: list = []
QUEUE_FLOWS: dict[str, QueueFlow] = {}


def _label(flow_class: type) -> str:
    return f"{flow_class.__module__}.{flow_class.__qualname__}"


def register_case_flow(flow_class, *, places: Places | None = None) -> None:
    if flow_class not in CASE_FLOWS:
        CASE_FLOWS.append(flow_class)
    QUEUE_FLOWS[_label(flow_class)] = QueueFlow(flow_class, places, None)


def register_queue_flow(flow_class, *, places: Places, links: Links) -> None:
    QUEUE_FLOWS[_label(flow_class)] = QueueFlow(flow_class, places, links)


def queue_flow(flow_class: type) -> QueueFlow | None:
    return QUEUE_FLOWS.get(_label(flow_class))


def queue_flow_classes() -> list[type]:
    return [entry.flow_class for entry in QUEUE_FLOWS.values()]


def case_flow_nodes():
    """Every node of every registered case flow, with the deadline its task works towards."""
    for flow_class in CASE_FLOWS:
        for node in flow_class.instance.nodes():
            key = flow_class.deadline_for_task(node.name)
            if key is not None:
                yield node, key


# Called with the case when it closes (withdrawn, moved away), inside the closing transaction,
# so flows whose artifact is not the case itself (e.g. a transfer review) can cancel their tasks.
CASE_CLOSE_HOOKS: list = []


def on_case_closed(hook) -> None:
    if hook not in CASE_CLOSE_HOOKS:
        CASE_CLOSE_HOOKS.append(hook)
