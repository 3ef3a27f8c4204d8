"""The people the access walk (test_access_walk.py) signs in as, and the world they live in.

Two parties of everything: team North's cases (family A, caseworker North) and team South's
(family B, caseworker South); Local Offer provider X's organisations and provider Y's. Managers
and the administrator see every case. Each role says which cases' children it may see; the walk
checks that no page ever shows it another child.

To add a role (a professional, say), add one ``WalkRole`` to ``ROLES``; if it needs records of its
own in the world (an organisation, a request for advice), add a function to ``WORLD_HOOKS`` that
makes them through the services. Roles with the same ``peers`` are the same kind of user with
different parties: each must be refused the other's pages.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from ehc import demo, roles
from ehc.models import Case, Contact, RequestDocument, Team, User
from local_offer import demo as local_offer_demo
from local_offer.models import Organisation
from local_offer.roles import PROVIDER_GROUP
from notifications.models import Notification
from notifications.services.delivery import notification_deliver
from notifications.services.sweep import deadlines_sweep
from professionals import demo as professionals_demo
from professionals.models import (
    AdviceDocument,
    AdviceRequest,
    Membership,
    ReviewContribution,
    SchoolRequest,
)
from tests.pages.test_form_walk import START
from tests.personal_budgets import conftest as pb


@dataclass
class World:
    north: Team
    south: Team
    users: dict[str, User | None] = field(default_factory=dict)  # role name -> user
    extra: dict[str, object] = field(default_factory=dict)  # what WORLD_HOOKS add


@dataclass(frozen=True)
class WalkRole:
    name: str
    make: Callable[[World], User | None]  # the signed-in user; None for the public
    start: tuple[str, ...]  # front doors: the walk follows links from these
    sees: Callable[[World, User | None, Case], bool]  # may this role see this case's child?
    peers: str = ""  # same kind of user, another party: refused each other's pages
    includes: tuple[str, ...] = ()  # roles whose kinds of page it may open too ("*": all)


def _nobody(world: World, user: User | None, case: Case) -> bool:
    return False


def _everyone(world: World, user: User | None, case: Case) -> bool:
    return True


def _family_sees(world: World, user: User | None, case: Case) -> bool:
    return Contact.objects.filter(user=user, child_id=case.child_id).exists()


def _caseworker_sees(world: World, user: User | None, case: Case) -> bool:
    return case.assigned_caseworker_id == user.pk or case.team.members.filter(pk=user.pk).exists()


def _professional_sees(world: World, user: User | None, case: Case) -> bool:
    """Children of cases whose advice, school request or review contribution was asked of one
    of the professional's organisations."""
    orgs = Membership.objects.filter(user=user).values("organisation_id")
    return (
        AdviceRequest.objects.filter(case=case, organisation_id__in=orgs).exists()
        or SchoolRequest.objects.filter(case=case, organisation_id__in=orgs).exists()
        or ReviewContribution.objects.filter(
            review__plan__case=case, organisation_id__in=orgs
        ).exists()
    )


def _family(username: str, team_attr: str) -> Callable[[World], User]:
    def make(world: World) -> User:
        user = User.objects.create_user(
            username=username, email=username, password="test-password-1", first_name="Family"
        )
        user.groups.add(Group.objects.get(name=roles.PARENT))
        team = getattr(world, team_attr)
        Contact.objects.filter(child__cases__team=team).update(user=user)
        return user

    return make


def _caseworker(username: str, team_attr: str) -> Callable[[World], User]:
    def make(world: World) -> User:
        team = getattr(world, team_attr)
        user = team.members.filter(username=username).get()
        return user

    return make


def _provider(username: str, organisation_index: int) -> Callable[[World], User]:
    def make(world: World) -> User:
        user = User.objects.create_user(
            username=username, email=username, password="test-password-1", first_name="Provider"
        )
        user.groups.add(Group.objects.get(name=PROVIDER_GROUP))
        others = Organisation.objects.filter(is_council=False, services__isnull=False)
        org = others.exclude(members__isnull=False).distinct().order_by("name")[organisation_index]
        org.members.add(user)
        return user

    return make


STAFF_START = tuple(START["caseworker"]) + ("/staff/sen2/", "/staff/conversions/reviews/")
MANAGER_START = tuple(START["manager"]) + STAFF_START

PROFESSIONAL_START = ("/professionals/",)

ROLES: list[WalkRole] = [
    WalkRole("anonymous", lambda world: None, tuple(START["public"]), _nobody),
    WalkRole(
        "family A", _family("a@example.com", "north"), ("/my-cases/",), _family_sees, "family"
    ),
    WalkRole(
        "family B", _family("b@example.com", "south"), ("/my-cases/",), _family_sees, "family"
    ),
    WalkRole(
        "caseworker North",
        _caseworker("caseworker", "north"),
        STAFF_START,
        _caseworker_sees,
        "caseworker",
    ),
    WalkRole(
        "caseworker South",
        _caseworker("south-caseworker-1", "south"),
        STAFF_START,
        _caseworker_sees,
        "caseworker",
    ),
    WalkRole(
        "manager",
        lambda world: world.users["_manager"],
        MANAGER_START,
        _everyone,
        includes=("caseworker North", "caseworker South"),
    ),
    WalkRole(
        "admin", lambda world: world.users["_admin"], ("/admin/",), _everyone, includes=("*",)
    ),
    WalkRole(
        "provider X",
        _provider("x@provider.example", 0),
        tuple(START["provider"]),
        _nobody,
        "provider",
    ),
    WalkRole(
        "provider Y",
        _provider("y@provider.example", 1),
        tuple(START["provider"]),
        _nobody,
        "provider",
    ),
    # Three organisations' professionals: an EP service's, a school's and a health trust's.
    WalkRole(
        "EP service administrator",
        lambda world: world.users["_ep_admin"],
        PROFESSIONAL_START,
        _professional_sees,
        "professional",
    ),
    WalkRole(
        "school SENCO",
        lambda world: world.users["_senco"],
        PROFESSIONAL_START,
        _professional_sees,
        "professional",
    ),
    WalkRole(
        "health trust administrator",
        lambda world: world.users["_health_admin"],
        PROFESSIONAL_START,
        _professional_sees,
        "professional",
    ),
]


# Functions (world) -> None that add an app's own records to the world, run before ROLES' users
# are made.
def _professionals(world: World) -> None:
    """The demo's organisations and advice requests in every state, on team North's cases."""
    north_worker = world.north.members.get(username="caseworker")
    people = professionals_demo.walk_users(caseworker=north_worker, manager=world.users["_manager"])
    world.users["_ep_admin"] = people["ep_admin"]
    world.users["_health_admin"] = people["health_admin"]
    world.users["_senco"] = people["senco"]
    # A report on every request, so each request page the walk opens links a download.
    for advice in AdviceRequest.objects.filter(documents__isnull=True):
        name = default_storage.save(
            f"advice/{advice.case_id}/walk-{advice.pk}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n")
        )
        AdviceDocument.objects.create(
            request=advice,
            stored_name=f"walk-{advice.pk}.pdf",
            file=name,
            original_name=f"advice-{advice.case.reference}.pdf",
            content_type="application/pdf",
            size=14,
        )


WORLD_HOOKS: list[Callable[[World], None]] = [_professionals]


def _documents(world: World) -> None:
    """A document sent with each party's requests, so download links exist."""
    for team in (world.north, world.south):
        for case in Case.objects.filter(team=team).order_by("id"):
            name = default_storage.save(
                f"request-documents/walk/{case.pk}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n")
            )
            RequestDocument.objects.create(
                case=case,
                file=name,
                original_name=f"report-{case.reference}.pdf",
                content_type="application/pdf",
                size=14,
                uploaded_at=timezone.now() - timedelta(days=1),
            )


def build_world(*, make_case, north: Team, south: Team, north_worker: User) -> World:
    """Demo cases in every stage for both teams, plus the states the seeder does not make
    (personal budgets, a final plan) in each, the Local Offer, alerts, and documents."""
    demo.seed_cases(40, seed=15)
    users = demo.ensure_demo_users()
    south_worker = south.members.get(username="south-caseworker-1")
    for team, worker in ((north, north_worker), (south, south_worker)):
        make = functools.partial(make_case, team=team, acting_user=worker)
        pb.ask(pb.drafting_case(make, worker), worker)
        pb.agree_mixed(pb.ask(pb.drafting_case(make, worker), worker), worker)
        pb.plan_issued_case(make, worker)
    Contact.objects.update(user=None)
    local_offer_demo.seed_directory(40)
    local_offer_demo.seed_people_and_activity()
    deadlines_sweep()
    for notification in Notification.objects.filter(status=Notification.Status.PENDING):
        notification_deliver(notification_id=notification.pk)
    world = World(north=north, south=south)
    world.users["_manager"] = users[roles.MANAGER]
    world.users["_admin"] = users["admin"]
    _documents(world)
    for hook in WORLD_HOOKS:
        hook(world)
    for role in ROLES:
        world.users[role.name] = role.make(world)
    return world
