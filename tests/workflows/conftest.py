"""Helpers to walk the assessment flow through the real staff pages, as a caseworker would."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from ehc.services import ChildDetails, ContactDetails
from tests.conftest import london
from workflows.flows import EHCNeedsAssessmentFlow
from workflows.services import request_register

TODAY = date(2026, 11, 2)


@pytest.fixture(autouse=True)
def frozen_today():
    """Every flow test runs on the same day, so statutory dates are stable."""
    with time_machine.travel(london(2026, 11, 2, 12), tick=False):
        yield


def date_fields(name: str, value: date) -> dict:
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


@pytest.fixture
def register(team, caseworker):
    def make(received=None, dob=date(2015, 5, 1), parent_user=None, team_=None):
        received = received or london(2026, 3, 2)
        return request_register(
            child_details=ChildDetails(first_name="Ada", last_name="Lovelace", date_of_birth=dob),
            contacts=[
                ContactDetails(
                    full_name="Ann Lovelace", relationship="parent", email="ann@example.com"
                )
            ],
            team=team_ or team,
            requester_type="parent",
            request_channel="email",
            received_at=received,
            acting_user=caseworker,
        )

    return make


def open_task(case, node_name: str) -> Task:
    return Task.objects.get(
        process__artifact_object_id=case.pk,
        process__flow_class=EHCNeedsAssessmentFlow,
        flow_task=getattr(EHCNeedsAssessmentFlow, node_name),
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    )


def task_url(case, task) -> str:
    return reverse("workflows:task", args=[case.pk, task.pk])


class Walker:
    """Takes and completes tasks through the staff pages with a logged-in client."""

    def __init__(self, client, case):
        self.client, self.case = client, case

    def take(self, node_name: str) -> Task:
        task = open_task(self.case, node_name)
        if task.owner_id is None:
            response = self.client.post(
                reverse("workflows:task_action", args=[self.case.pk, task.pk, "take"])
            )
            assert response.status_code == 302, response.content[:500]
        return open_task(self.case, node_name)

    def post(self, node_name: str, data: dict, expect_redirect=True):
        task = self.take(node_name)
        response = self.client.post(task_url(self.case, task), data)
        if expect_redirect:
            assert response.status_code == 302, _errors(response)
        return response


def _errors(response) -> str:
    text = response.content.decode()
    start = text.find("govuk-error-summary")
    return text[start : start + 1500] if start >= 0 else text[:1500]


@pytest.fixture
def walker_for(client, caseworker):
    client.force_login(caseworker)

    def make(case):
        return Walker(client, case)

    return make
