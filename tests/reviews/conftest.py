"""Fixtures for plans in force: a frozen day, a school with a URN, and imports through the
real CSV code."""

import io
from datetime import date

import pytest
import time_machine

from ehc.models import Contact, Setting
from reviews import imports
from reviews.models import MaintainedPlan
from tests.conftest import london
from tests.family.conftest import other_parent  # noqa: F401  (a fixture, shared)

TODAY = date(2026, 11, 2)
HEADER = "reference,first_name,last_name,date_of_birth,plan_issued_on,last_review_meeting_on,last_review_decided_on,setting_urn,primary_need,caseworker\n"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(london(2026, 11, 2, 12), tick=False):
        yield


@pytest.fixture
def primary(db) -> Setting:
    return Setting.objects.create(
        name="Oakfield Primary",
        kind=Setting.Kind.SCHOOL,
        phase=Setting.Phase.PRIMARY,
        urn="123456",
    )


@pytest.fixture
def secondary(db) -> Setting:
    return Setting.objects.create(
        name="Riverside Academy",
        kind=Setting.Kind.SCHOOL,
        phase=Setting.Phase.SECONDARY,
        urn="654321",
    )


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(r + "\n" for r in rows)).encode()


def import_rows(*rows: str, user=None) -> imports.ImportReport:
    report = imports.plans_import_csv(stream=io.BytesIO(csv_bytes(*rows)), acting_user=user)
    assert report.ok, report.errors
    return report


def link_parent(plan: MaintainedPlan, parent_user) -> Contact:
    return Contact.objects.create(
        child=plan.child,
        user=parent_user,
        full_name="Pat Parent",
        relationship=Contact.Relationship.PARENT,
        email=parent_user.email,
    )
