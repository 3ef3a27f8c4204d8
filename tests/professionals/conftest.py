"""Organisations, their members and a case waiting for advice, made through the services.

``professional_users`` is the fixture other walks use to add the professional roles: an EP
service's administrator and a colleague, a school's SENCO, and a member of another organisation.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from ehc import roles
from ehc.models import Setting, User
from ehc.services import ChildDetails, ContactDetails, case_assign
from ehc.services.assessment import assessment_decision_record, considering_notified_record
from professionals import services
from professionals.models import Membership, Organisation
from tests.conftest import london
from workflows.flows import EHCNeedsAssessmentFlow
from workflows.services import request_register

PASSWORD = "test-password-1"


def professional(username: str, first: str, last: str) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, email=username, first_name=first, last_name=last
    )
    user.groups.add(Group.objects.get(name=roles.PROFESSIONAL))
    return user


def join(user: User, organisation: Organisation, **flags) -> Membership:
    return Membership.objects.create(organisation=organisation, user=user, **flags)


@pytest.fixture
def ep_service(manager) -> Organisation:
    return services.organisation_create(
        name="North Educational Psychology Service",
        kind=Organisation.Kind.EP_SERVICE,
        setting=None,
        email="eps@example.org",
        acting_user=manager,
    )


@pytest.fixture
def health_trust(manager) -> Organisation:
    return services.organisation_create(
        name="Riverside NHS Trust",
        kind=Organisation.Kind.HEALTH,
        setting=None,
        email="",
        acting_user=manager,
    )


@pytest.fixture
def school_setting(db) -> Setting:
    return Setting.objects.create(
        name="Meadow Primary School", kind=Setting.Kind.SCHOOL, phase="primary", urn="123456"
    )


@pytest.fixture
def school(manager, school_setting) -> Organisation:
    return services.organisation_create(
        name="",
        kind=Organisation.Kind.SCHOOL,
        setting=school_setting,
        email="",
        acting_user=manager,
    )


@pytest.fixture
def ep_admin(ep_service) -> User:
    user = professional("erin@eps.example.org", "Erin", "Psych")
    join(user, ep_service, is_admin=True)
    return user


@pytest.fixture
def ep_colleague(ep_service) -> User:
    user = professional("colin@eps.example.org", "Colin", "Psych")
    join(user, ep_service)
    return user


@pytest.fixture
def health_member(health_trust) -> User:
    user = professional("hana@nhs.example.org", "Hana", "Health")
    join(user, health_trust, is_admin=True)
    return user


@pytest.fixture
def senco(school) -> User:
    user = professional("sally@meadow.example.org", "Sally", "Senco")
    join(user, school, is_admin=True, is_senco=True)
    return user


@pytest.fixture
def professional_users(ep_admin, ep_colleague, health_member, senco) -> dict[str, User]:
    """Every professional role, for walks of every page as every role."""
    return {
        "ep_admin": ep_admin,
        "ep_member": ep_colleague,
        "other_org_member": health_member,
        "senco": senco,
    }


@transaction.atomic
def complete_task(case, node_name: str, user: User) -> None:
    task = Task.objects.get(
        process__artifact_object_id=case.pk,
        process__flow_class=EHCNeedsAssessmentFlow,
        flow_task=getattr(EHCNeedsAssessmentFlow, node_name),
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    )
    activation = task.flow_task.activation_class(task)
    if task.status == STATUS.NEW:
        activation.assign(user)
    activation.start(None)
    activation.execute()


@pytest.fixture
def assessing_case(team, caseworker):
    """A case the council decided to assess five days ago: its advice tasks are open."""

    def make(first_name: str = "Ada", last_name: str = "Lovelace"):
        today = timezone.localdate()
        received = today - timedelta(days=20)
        case = request_register(
            child_details=ChildDetails(
                first_name=first_name,
                last_name=last_name,
                date_of_birth=today.replace(year=today.year - 9),
            ),
            contacts=[
                ContactDetails(
                    full_name="Ann Lovelace", relationship="parent", email="ann@example.com"
                )
            ],
            team=team,
            requester_type="parent",
            request_channel="email",
            received_at=london(received.year, received.month, received.day),
            acting_user=caseworker,
        )
        case_assign(case=case, caseworker=caseworker, acting_user=caseworker)
        considering_notified_record(
            case=case, notified_on=received, recipients="ICB, social care", acting_user=caseworker
        )
        complete_task(case, "notify_considering", caseworker)
        assessment_decision_record(
            case=case,
            decided_on=today - timedelta(days=5),
            assess=True,
            reasons="",
            acting_user=caseworker,
        )
        process = case_process(case)
        process.decided_to_assess = True
        process.save()
        complete_task(case, "decide_to_assess", caseworker)
        case.refresh_from_db()
        return case

    return make


def case_process(case):
    from workflows.services import assessment_process_for

    return assessment_process_for(case)


@pytest.fixture
def advice_request(assessing_case, ep_service, caseworker):
    """A request for psychological advice sent to the EP service's inbox today."""

    def make(case=None, organisation=None, adviser="psychological"):
        case = case or assessing_case()
        return services.advice_request_send(
            case=case,
            adviser=adviser,
            organisation=organisation or ep_service,
            questions="Cognition and learning; communication.",
            why="The council is assessing the child's needs (A5).",
            details=["name", "date_of_birth", "current_setting"],
            acting_user=caseworker,
        )

    return make
