"""Bulk-seeded demo cases carry real flow state: their tasks can be completed through the flow."""

import pytest
from django.urls import reverse
from viewflow.workflow.status import STATUS

from ehc import demo
from ehc.models import Case, CaseEvent
from tests.workflows.conftest import TODAY, date_fields, open_task
from workflows.services import assessment_process_for

pytestmark = pytest.mark.django_db


def test_every_open_demo_case_has_a_process_with_open_tasks():
    demo.seed_cases(150, seed=7)
    for case in Case.objects.filter(outcome=Case.Outcome.OPEN):
        process = assessment_process_for(case)
        assert process is not None, case
        assert process.task_set.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED]).exists()
    for case in Case.objects.exclude(outcome=Case.Outcome.OPEN):
        assert assessment_process_for(case) is None


def test_completing_a_demo_cases_last_advice_joins_to_the_next_step(client):
    demo.seed_cases(150, seed=7)
    case = next(
        c
        for c in Case.objects.filter(stage=Case.Stage.ASSESSING)
        if assessment_process_for(c)
        .task_set.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED], flow_task_type="HUMAN")
        .count()
        >= 2
    )
    tasks = assessment_process_for(case).task_set.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED])
    for task in list(tasks):
        adviser = task.flow_task.name.removeprefix("advice_")
        worker = task.owner or case.team.members.filter(groups__name="caseworker").first()
        client.force_login(worker)
        url = reverse("workflows:task", args=[case.pk, task.pk])
        if task.owner is None:
            client.post(reverse("workflows:task_action", args=[case.pk, task.pk, "take"]))
        asked = case.events.filter(
            kind=CaseEvent.Kind.ADVICE_REQUESTED, subject_key=adviser
        ).first()
        if asked is None:
            client.post(url, {**date_fields("asked_on", TODAY), "adviser_name": "Service"})
        response = client.post(url, {"action": "received", **date_fields("on", TODAY)})
        assert response.status_code == 302
    assert open_task(case, "decide_to_issue")
