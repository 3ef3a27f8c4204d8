"""Fixtures for disagreements: a refused case built through the real assessment pages, and a
walker that takes and completes the disagreement flow's tasks through the real task pages."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from disagreements.flows import DisagreementFlow, disagreement_start
from disagreements.models import Disagreement
from ehc.models import Notice
from tests.conftest import london
from workflows.flows import EHCNeedsAssessmentFlow
from workflows.services import assessment_start

TODAY = date(2026, 11, 2)
RECEIVED = date(2026, 8, 3)
REFUSED = date(2026, 9, 7)


@pytest.fixture(autouse=True)
def frozen_today():
    """Every test runs on the same day, so statutory dates are stable."""
    with time_machine.travel(london(2026, 11, 2, 12), tick=False):
        yield


def date_fields(name: str, value: date, prefix: str = "") -> dict:
    key = f"{prefix}-{name}" if prefix else name
    return {f"{key}_0": value.day, f"{key}_1": value.month, f"{key}_2": value.year}


def action(name: str, fields: dict) -> dict:
    """A POST for one form on a stage page: the action plus its prefixed fields."""
    data = {"action": name}
    for key, value in fields.items():
        data[f"{name}-{key}"] = value
    return data


def dated(name: str, **values) -> dict:
    """Prefixed date fields for action `name`: dated('held', held_on=date(...))."""
    out = {}
    for field, value in values.items():
        out.update(date_fields(field, value, prefix=name))
    return out


def open_task(case, flow_class, node_name: str) -> Task:
    return Task.objects.get(
        process__artifact_object_id=case.pk,
        process__flow_class=flow_class,
        flow_task=getattr(flow_class, node_name),
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    )


class Walker:
    """Takes and completes tasks through the staff pages with a signed-in client."""

    def __init__(self, client, case, flow_class=DisagreementFlow):
        self.client, self.case, self.flow_class = client, case, flow_class

    def task(self, node_name: str) -> Task:
        task = open_task(self.case, self.flow_class, node_name)
        if task.owner_id is None:
            response = self.client.post(
                reverse("workflows:task_action", args=[self.case.pk, task.pk, "take"])
            )
            assert response.status_code == 302, response.content[:500]
        return open_task(self.case, self.flow_class, node_name)

    def url(self, node_name: str) -> str:
        return reverse("workflows:task", args=[self.case.pk, self.task(node_name).pk])

    def post(self, node_name: str, data: dict, expect_redirect=True):
        response = self.client.post(self.url(node_name), data)
        if expect_redirect:
            assert response.status_code == 302, errors(response)
        return response


def errors(response) -> str:
    text = response.content.decode()
    start = text.find("govuk-error-summary")
    return text[start : start + 2000] if start >= 0 else text[:2000]


@pytest.fixture
def staff_client(client, caseworker):
    client.force_login(caseworker)
    return client


@pytest.fixture
def refused_case(make_case, parent_user, caseworker, staff_client):
    """Refused through the real assessment pages on REFUSED: an appealable notice."""
    case = make_case(received_on=RECEIVED, parent=parent_user)
    assessment_start(case=case)
    walk = Walker(staff_client, case, EHCNeedsAssessmentFlow)
    walk.post(
        "notify_considering",
        {
            **date_fields("notified_on", date(2026, 8, 5)),
            "recipients": "ICB, social care, head teacher",
        },
    )
    walk.post(
        "decide_to_assess",
        {
            "decision": "no",
            **date_fields("decided_on", REFUSED),
            "reasons": "Needs can be met at SEN support.",
        },
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def walker(staff_client, refused_case):
    return Walker(staff_client, refused_case)


@pytest.fixture
def open_refusal(refused_case, caseworker) -> Disagreement:
    """A disagreement with the refusal, with its flow started."""
    notice = refused_case.notices.get(kind=Notice.Kind.REFUSAL_TO_ASSESS)
    return disagreement_start(
        case=refused_case, notice=notice, opened_on=date(2026, 9, 14), acting_user=caseworker
    )


@pytest.fixture
def other_parent_user(db):
    from ehc import roles
    from tests.conftest import _user_in_role

    return _user_in_role("olly@example.com", roles.PARENT, email="olly@example.com")
