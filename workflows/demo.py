"""Open flow state for bulk-seeded demo cases: each open case gets its process and the tasks
a caseworker would see at its stage, inserted in bulk (the flow itself is too slow for 100,000)."""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from ehc.models import Case, CaseEvent
from workflows.flows import PROGRESS, EHCNeedsAssessmentFlow
from workflows.models import EHCAssessmentProcess
from workflows.queue import queue_entries_write

K = CaseEvent.Kind
FLOW = EHCNeedsAssessmentFlow
SPLIT_ADVISERS = ["parent", "educational", "medical", "psychological", "social_care"]
NODE_FOR_STAGE = {
    Case.Stage.DECIDING_TO_ASSESS: "notify_considering",
    Case.Stage.DRAFTING: "draft_plan",
    Case.Stage.DRAFT_ISSUED: "consult_settings",
}


def attach_processes(cases: list[Case], events: list[CaseEvent]) -> None:
    open_cases = [c for c in cases if c.outcome == Case.Outcome.OPEN]
    if not open_cases:
        return
    case_type = ContentType.objects.get_for_model(Case)
    processes = EHCAssessmentProcess.objects.bulk_create(
        [
            EHCAssessmentProcess(
                flow_class=FLOW,
                status=PROCESS.NEW,
                artifact_content_type=case_type,
                artifact_object_id=case.pk,
                data={"decided_to_assess": case.stage != Case.Stage.DECIDING_TO_ASSESS},
            )
            for case in open_cases
        ]
    )
    received = _advice_received(events)
    simple, splits = [], []
    for case, process in zip(open_cases, processes, strict=True):
        if case.stage == Case.Stage.ASSESSING:
            waiting = [a for a in SPLIT_ADVISERS if a not in received[case.pk]]
            if waiting:
                splits.append((case, process, waiting))
                continue
            simple.append(_human_task(case, process, "decide_to_issue", "start"))
        else:
            simple.append(_human_task(case, process, NODE_FOR_STAGE[case.stage], "start"))
    Task.objects.bulk_create(simple, batch_size=5000)
    branches = _attach_advice_branches(splits)
    queue_entries_write(simple + branches)  # bulk inserts skip the save that writes them


def _advice_received(events) -> dict[int, set[str]]:
    received = defaultdict(set)
    for event in events:
        if event.kind == K.ADVICE_RECEIVED:
            received[event.case_id].add(event.subject_key)
    return received


def _human_task(case, process, node_name: str, token: str) -> Task:
    owner = case.assigned_caseworker
    return Task(
        process=process,
        flow_task=getattr(FLOW, node_name),
        flow_task_type="HUMAN",
        status=STATUS.ASSIGNED if owner else STATUS.NEW,
        owner=owner,
        owner_permission=PROGRESS,
        token=Token(token),
    )


def _attach_advice_branches(splits) -> list[Task]:
    """The split task (done) then one open task per adviser still awaited, with the split's
    tokens, so the real Join completes when a caseworker records the last advice."""
    split_tasks = Task.objects.bulk_create(
        [
            Task(
                process=process,
                flow_task=FLOW.gather_advice,
                flow_task_type="PARALLEL_GATEWAY",
                status=STATUS.DONE,
                token=Token("start"),
            )
            for _, process, _ in splits
        ]
    )
    branches = []
    for (case, process, waiting), split in zip(splits, split_tasks, strict=True):
        for n, adviser in enumerate(waiting, start=1):
            branches.append(
                _human_task(case, process, f"advice_{adviser}", f"start/{split.pk}_{n}")
            )
    Task.objects.bulk_create(branches, batch_size=5000)
    return branches
