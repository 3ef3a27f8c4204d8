"""Shared fixtures: role-named users, two teams, and a factory that makes cases through the service.

Users and teams have no service of their own, so they are made directly; every case, child,
contact, event and deadline is made through ehc.services so tests exercise the real rules.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from ehc import roles
from ehc.models import Case, Contact, Team, User
from ehc.services import ChildDetails, ContactDetails, case_create_from_request

LONDON = ZoneInfo("Europe/London")


def london(year, month, day, hour=10, minute=0) -> datetime:
    """An aware datetime on the council's wall clock."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(monkeypatch):
    """client.force_login(staff) also passes the staff second factor (tests/security_support.py);
    tests of the second factor itself use password_only_login."""
    from django.test import Client

    from tests.security_support import force_login_verified

    monkeypatch.setattr(Client, "force_login", force_login_verified)


def _user_in_role(username: str, role: str, **extra) -> User:
    user = User.objects.create_user(username=username, password="test-password-1", **extra)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def team(db) -> Team:
    return Team.objects.create(name="North team")


@pytest.fixture
def other_team(db) -> Team:
    return Team.objects.create(name="South team")


@pytest.fixture
def caseworker(team) -> User:
    user = _user_in_role("casey", roles.CASEWORKER, first_name="Casey", last_name="Worker")
    team.members.add(user)
    return user


@pytest.fixture
def other_caseworker(other_team) -> User:
    user = _user_in_role("sam", roles.CASEWORKER, first_name="Sam", last_name="Other")
    other_team.members.add(user)
    return user


@pytest.fixture
def manager(db) -> User:
    return _user_in_role("morgan", roles.MANAGER, first_name="Morgan", last_name="Manager")


@pytest.fixture
def parent_user(db) -> User:
    return _user_in_role(
        "pat@example.com",
        roles.PARENT,
        first_name="Pat",
        last_name="Parent",
        email="pat@example.com",
    )


@pytest.fixture
def make_case(team, caseworker):
    """Make a case through ehc.services.case_create_from_request.

    Keyword arguments (all optional):
      received_at: aware datetime the request arrived; or
      received_on: a date, received at 10:00 London time that day (default: yesterday);
      brought_to_attention_on: a date, for an s.24 case (requester_type becomes "other");
      date_of_birth, first_name, last_name: the child (a new Child unless child= is given);
      child: an existing Child to reuse;
      team: defaults to the `team` fixture;
      contacts: a list of ContactDetails (default: one parent contact);
      parent: a User to link to the first contact, so they can sign in and see the case;
      requester_type, request_channel, acting_user (default: the `caseworker` fixture).
    """

    def make(
        *,
        received_at: datetime | None = None,
        received_on: date | None = None,
        brought_to_attention_on: date | None = None,
        date_of_birth: date = date(2016, 5, 17),
        first_name: str = "Amelia",
        last_name: str = "Okafor",
        child=None,
        team: Team = team,
        contacts: list[ContactDetails] | None = None,
        parent: User | None = None,
        requester_type: str | None = None,
        request_channel: str = Case.Channel.EMAIL,
        acting_user: User | None = caseworker,
    ) -> Case:
        if received_at is None and brought_to_attention_on is None:
            day = received_on or timezone.localdate() - timedelta(days=1)
            received_at = datetime.combine(day, time(10, 0), tzinfo=LONDON)
        if requester_type is None:
            requester_type = (
                Case.RequesterType.OTHER if brought_to_attention_on else Case.RequesterType.PARENT
            )
        if contacts is None:
            contacts = [
                ContactDetails(
                    full_name=f"Pat {last_name}",
                    relationship=Contact.Relationship.PARENT,
                    email="family@example.com",
                )
            ]
        case = case_create_from_request(
            child=child,
            child_details=None
            if child
            else ChildDetails(
                first_name=first_name, last_name=last_name, date_of_birth=date_of_birth
            ),
            contacts=contacts,
            team=team,
            requester_type=requester_type,
            requester_name="Pat Okafor",
            request_channel=request_channel,
            received_at=received_at,
            brought_to_attention_on=brought_to_attention_on,
            acting_user=acting_user,
        )
        if parent is not None:
            # No service links a family member's login to a contact yet; this is that step.
            first_contact = case.child.contacts.order_by("id").first()
            assert first_contact is not None, "pass contacts= to link a parent"
            first_contact.user = parent
            first_contact.save()
        return case

    return make
