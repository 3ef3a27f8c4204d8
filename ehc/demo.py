"""Synthetic demo cases, spread over every stage and outcome, inserted in bulk.

Each case is simulated as a timeline of events relative to its request date; events that would
fall after today are dropped, so recent cases sit at earlier stages. Deadlines are planned by the
same code the services use (ehc.deadline_rules), so demo figures follow the real rules.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ehc import deadline_rules as dr
from ehc import roles, timescales
from ehc.models import (
    Case,
    CaseEvent,
    Child,
    Contact,
    Deadline,
    Setting,
    Team,
    TimescaleException,
    User,
    new_case_reference,
)
from ehc.search import search_index_update
from ehc.services.deadlines import deadline_row_fields
from ehc.services.events import STAGE_AFTER

DEMO_PASSWORD = "demo-password-2026"
DEMO_LOGINS = [
    ("caseworker", roles.CASEWORKER, "Casey Worker"),
    ("manager", roles.MANAGER, "Morgan Manager"),
    ("parent@example.com", roles.PARENT, "Pat Parent"),
]
FIRST_NAMES = [
    "Amelia",
    "Oliver",
    "Isla",
    "George",
    "Ava",
    "Noah",
    "Mia",
    "Leo",
    "Ivy",
    "Arthur",
    "Freya",
    "Muhammad",
    "Lily",
    "Harry",
    "Sophia",
    "Oscar",
    "Grace",
    "Jack",
    "Aisha",
    "Theo",
    "Zara",
    "Finley",
    "Maya",
    "Reuben",
    "Priya",
    "Kai",
    "Chloe",
    "Tomasz",
]
LAST_NAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Khan",
    "Lewis",
    "Nowak",
    "Okafor",
    "Hughes",
    "Clarke",
    "Begum",
]
ADVISERS = ["parent", "educational", "medical", "psychological", "social_care"]
TEAMS = ["North team", "South team", "Post-16 team"]

# Other apps add what they keep per case (e.g. the workflow's open tasks) for each seeded batch;
# each hook gets the batch's cases and events. Registered in the apps' AppConfig.ready().
BATCH_HOOKS: list = []


@dataclass
class SimulatedCase:
    received_at: datetime
    date_of_birth: date
    requester_type: str
    events: list[tuple[str, date, str]] = field(default_factory=list)
    excused_kinds: set[tuple[str, str]] = field(default_factory=set)


def ensure_demo_users() -> dict[str, User]:
    """Demo logins for each role, plus a team of caseworkers per team name; idempotent."""
    users = {}
    for username, role, full_name in DEMO_LOGINS:
        first, last = full_name.split(" ", 1)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": username if "@" in username else f"{username}@example.gov.uk",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=role))
        users[role] = user
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.gov.uk"},
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    users["admin"] = admin
    _demo_authenticators(users.values())
    return users


def _demo_authenticators(users) -> None:
    """Staff sign in with a second factor: give each demo staff login an authenticator whose
    current code `manage.py otp_code USERNAME` prints (README)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ehc.security.second_factor import demo_authenticator_add, needs_second_factor

    for user in users:
        if needs_second_factor(user) and not TOTPDevice.objects.filter(user=user).exists():
            demo_authenticator_add(user=user)


def ensure_teams(caseworker: User, manager: User) -> list[Team]:
    group = Group.objects.get(name=roles.CASEWORKER)
    teams = []
    for index, name in enumerate(TEAMS):
        team, _ = Team.objects.get_or_create(name=name)
        for n in range(1, 4):
            member, created = User.objects.get_or_create(
                username=f"{name.split()[0].lower()}-caseworker-{n}",
                defaults={"first_name": name.split()[0], "last_name": f"Caseworker {n}"},
            )
            if created:
                member.set_password(DEMO_PASSWORD)
                member.save()
            member.groups.add(group)
            team.members.add(member)
            _demo_authenticators([member])
        if index == 0:
            team.members.add(caseworker)
        team.members.add(manager)
        teams.append(team)
    return teams


DEMO_TOWNS = ["Barchester", "Plumstead", "Hogglestock", "Puddingdale", "Gatherum"]
DEMO_TYPES = {
    Setting.Phase.PRIMARY: "Community school",
    Setting.Phase.SECONDARY: "Academy converter",
    Setting.Phase.SPECIAL: "Community special school",
    Setting.Phase.NURSERY: "Local authority nursery school",
    Setting.Phase.POST16: "Further education",
}


def ensure_settings(rng: random.Random) -> list[Setting]:
    """The demo register: 40 settings as a GIAS import would leave them (the caseworker-added
    one waiting for a manager is not among those handed out to demo children)."""
    if Setting.objects.exists():
        return list(Setting.objects.filter(needs_confirming=False))
    rows = []
    now = timezone.now()
    for i in range(1, 41):
        kind, phase = rng.choice(
            [
                (Setting.Kind.SCHOOL, Setting.Phase.PRIMARY),
                (Setting.Kind.SCHOOL, Setting.Phase.SECONDARY),
                (Setting.Kind.SCHOOL, Setting.Phase.SPECIAL),
                (Setting.Kind.EARLY_YEARS, Setting.Phase.NURSERY),
                (Setting.Kind.POST16, Setting.Phase.POST16),
            ]
        )
        town = DEMO_TOWNS[i % len(DEMO_TOWNS)]
        rows.append(
            Setting(
                name=f"{rng.choice(LAST_NAMES)} {phase.label} {i}",
                kind=kind,
                phase=phase,
                urn=f"{100000 + i}",
                establishment_type=DEMO_TYPES[phase],
                local_authority="Demo Borough",
                street=f"{i} School Lane",
                town=town,
                postcode=f"DB{i % 9 + 1} {i % 10}AB",
                status=Setting.Status.OPEN,
                source=Setting.Source.GIAS,
                imported_at=now,
            )
        )
    return Setting.objects.bulk_create(rows)


def ensure_flagged_setting(caseworker: User) -> Setting:
    """One setting a caseworker added that is not in the register, waiting for a manager."""
    flagged = Setting.objects.filter(source=Setting.Source.CASEWORKER).first()
    if flagged is None:
        flagged = Setting.objects.create(
            name="Riverside Tuition Centre",
            kind=Setting.Kind.OTHER,
            street="2 Quay Street",
            town="Barchester",
            postcode="DB1 9RT",
            local_authority="Demo Borough",
            source=Setting.Source.CASEWORKER,
            needs_confirming=True,
            added_by=caseworker,
        )
    return flagged


def simulate_case(rng: random.Random, today: date) -> SimulatedCase:
    """One plausible case history, cut off at today."""
    start = today - timedelta(days=rng.randint(0, 460))
    received_at = timezone.make_aware(
        datetime.combine(start, time(rng.randint(8, 18), rng.randint(0, 59)))
    )
    if start == timezone.localdate():  # a request that arrived today arrived by now
        received_at = min(received_at, timezone.now())
    age = rng.choice([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 19])
    dob = start - relativedelta(years=age, days=rng.randint(1, 360))
    requester = rng.choices(
        ["parent", "school", "young_person" if age >= 16 else "parent"], [70, 22, 8]
    )[0]
    sim = SimulatedCase(received_at=received_at, date_of_birth=dob, requester_type=requester)
    _simulate_timeline(rng, sim, start)
    sim.events = [e for e in sim.events if e[1] <= today]
    _maybe_withdraw(rng, sim, today)
    return sim


def _simulate_timeline(rng: random.Random, sim: SimulatedCase, start: date) -> None:
    add = sim.events.append
    add((dr.REQUEST_RECEIVED, start, ""))
    decided = start + timedelta(days=rng.choice([20, 28, 35, 38, 40, 41, 42, 46, 55]))
    if decided > timescales.decision_to_assess_due(start) and rng.random() < 0.3:
        sim.excused_kinds.add(("A2", ""))
    if rng.random() < 0.25:
        add((dr.DECIDED_NOT_TO_ASSESS, decided, ""))
        return
    add((dr.DECIDED_TO_ASSESS, decided, ""))
    last_advice = decided
    for adviser in ADVISERS:
        asked = decided + timedelta(days=rng.randint(1, 5))
        add((dr.ADVICE_REQUESTED, asked, adviser))
        got = asked + timedelta(days=rng.choice([20, 30, 35, 40, 41, 42, 48, 60]))
        add((dr.ADVICE_RECEIVED, got, adviser))
        last_advice = max(last_advice, got)
        if got > timescales.advice_due(asked) and rng.random() < 0.3:
            sim.excused_kinds.add(("A5", adviser))
    to_issue = last_advice + timedelta(days=rng.randint(3, 15))
    if rng.random() < 0.1:
        add((dr.DECIDED_NOT_TO_ISSUE, to_issue, ""))
        return
    add((dr.DECIDED_TO_ISSUE, to_issue, ""))
    draft = to_issue + timedelta(days=rng.randint(5, 20))
    add((dr.DRAFT_SERVED, draft, ""))
    add((dr.SETTING_CONSULTED, draft + timedelta(days=rng.randint(0, 3)), "setting"))
    replied = draft + timedelta(days=rng.randint(8, 30))
    final = draft + timedelta(days=15 + rng.choice([0, 2, 5, 10, 20, 40]))
    if replied <= final:  # once the plan is issued, a late reply cannot be recorded on the case
        add((dr.SETTING_REPLIED, replied, "setting"))
    add((dr.FINAL_PLAN_ISSUED, final, ""))
    if final > timescales.final_plan_due(start) and rng.random() < 0.3:
        sim.excused_kinds.add(("A13", ""))


def _maybe_withdraw(rng: random.Random, sim: SimulatedCase, today: date) -> None:
    last_kind = sim.events[-1][0]
    if last_kind in STAGE_AFTER and STAGE_AFTER[last_kind][1] is not None:
        return  # already has an outcome
    if rng.random() < 0.04:
        latest = max(on for _, on, _ in sim.events)  # the list is not in date order
        when = min(today, latest + timedelta(days=rng.randint(1, 30)))
        sim.events.append((dr.WITHDRAWN, when, ""))


def stage_and_outcome(events: list[tuple[str, date, str]]) -> tuple[str, str, date | None]:
    stage: str = Case.Stage.DECIDING_TO_ASSESS
    outcome: str = Case.Outcome.OPEN
    closed: date | None = None
    for kind, on, _ in events:
        if kind in STAGE_AFTER:
            stage, new_outcome = STAGE_AFTER[kind]
            if new_outcome is not None:
                outcome = new_outcome
                closed = on if stage == Case.Stage.CLOSED else None
    return stage, outcome, closed


@transaction.atomic
def seed_cases(
    n: int, *, seed: int = 2026, batch_size: int = 2000, today: date | None = None
) -> dict[str, int]:
    """Insert n demo cases with children, contacts, events, deadlines and exceptions."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    users = ensure_demo_users()
    teams = ensure_teams(users[roles.CASEWORKER], users[roles.MANAGER])
    team_members = {t.pk: list(t.members.exclude(pk=users[roles.MANAGER].pk)) for t in teams}
    settings_ = ensure_settings(rng)
    ensure_flagged_setting(users[roles.CASEWORKER])
    totals = {"cases": 0, "events": 0, "deadlines": 0, "exceptions": 0}
    parent_linked = Contact.objects.filter(user=users[roles.PARENT]).exists()
    for offset in range(0, n, batch_size):
        count = min(batch_size, n - offset)
        link_parent = None if parent_linked else users[roles.PARENT]
        batch = _seed_batch(
            rng, today, count, teams, team_members, settings_, link_parent, users["admin"]
        )
        parent_linked = True
        for key in totals:
            totals[key] += batch[key]
    search_index_update(kind="case")  # bulk inserts bypass the services that index cases
    search_index_update(kind="setting")
    return totals


def _seed_batch(rng, today, count, teams, team_members, settings_, parent_user, admin):
    sims = [simulate_case(rng, today) for _ in range(count)]
    rows = [
        Child(
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            date_of_birth=s.date_of_birth,
            home_local_authority="Demo Borough",
            current_setting=rng.choice(settings_),
        )
        for s in sims
    ]
    # One request in seven named the school only as the family typed it ("Okafor primary"), so
    # the case page suggests the register entry for a caseworker to confirm.
    typed: dict[int, str] = {}
    for i, child in enumerate(rows):
        if i % 7 == 3 and child.current_setting is not None:
            typed[i] = child.current_setting.name.rsplit(" ", 1)[0].lower()
            child.current_setting = None
    children = Child.objects.bulk_create(rows)
    Contact.objects.bulk_create(
        [
            Contact(
                child=child,
                full_name=f"{rng.choice(FIRST_NAMES)} {child.last_name}",
                relationship=Contact.Relationship.PARENT,
                email="family@example.com",
                user=parent_user if i < 3 else None,
            )
            for i, child in enumerate(children)
        ]
    )
    cases = bulk_create_with_history(
        [
            _case_row(rng, sim, child, teams, team_members)
            for sim, child in zip(sims, children, strict=True)
        ],
        Case,
        batch_size=1000,
        default_user=admin,
        default_change_reason="Demo data",
    )
    if not cases or cases[0].pk is None:  # older backends do not return ids from bulk inserts
        refs = [c.reference for c in cases]
        cases = list(Case.objects.filter(reference__in=refs).order_by("id"))
    events = CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case=case,
                kind=kind,
                occurred_on=on,
                subject_key=subject,
                recorded_by=admin,
                details={"current_setting": {"name": typed[i], "urn": ""}}
                if kind == dr.REQUEST_RECEIVED and i in typed
                else {},
            )
            for i, (sim, case) in enumerate(zip(sims, cases, strict=True))
            for kind, on, subject in sim.events
        ],
        batch_size=5000,
    )
    deadlines, excused_rows = _plan_deadlines(sims, cases, events, today)
    Deadline.objects.bulk_create(deadlines, batch_size=5000)
    exceptions = [_exception_for(rng, d, today) for d in deadlines if id(d) in excused_rows]
    TimescaleException.objects.bulk_create(exceptions, batch_size=5000)
    for hook in BATCH_HOOKS:
        hook(cases, events)
    return {
        "cases": len(cases),
        "events": len(events),
        "deadlines": len(deadlines),
        "exceptions": len(exceptions),
    }


def _case_row(rng, sim: SimulatedCase, child: Child, teams, team_members) -> Case:
    stage, outcome, closed = stage_and_outcome(sim.events)
    team = rng.choice(teams)
    assigned = (
        None
        if stage == Case.Stage.DECIDING_TO_ASSESS and rng.random() < 0.5
        else (rng.choice(team_members[team.pk]))
    )
    return Case(
        reference=new_case_reference(),
        child=child,
        team=team,
        assigned_caseworker=assigned,
        requester_type=sim.requester_type,
        request_channel=rng.choice([c for c, _ in Case.Channel.choices]),
        received_at=sim.received_at,
        clock_starts_on=timezone.localtime(sim.received_at).date(),
        stage=stage,
        outcome=outcome,
        closed_on=closed,
    )


def _plan_deadlines(sims, cases, events, today):
    by_case: dict[int, list[dr.EventFact]] = {}
    for e in events:
        by_case.setdefault(e.case_id, []).append(
            dr.EventFact(kind=e.kind, occurred_on=e.occurred_on, subject_key=e.subject_key, id=e.pk)
        )
    rows, excused_rows = [], set()
    for sim, case in zip(sims, cases, strict=True):
        for planned in dr.plan_case_deadlines(
            clock_starts_on=case.clock_starts_on, events=by_case.get(case.pk, [])
        ):
            excused = (planned.kind, planned.subject_key) in sim.excused_kinds
            row = Deadline(case=case, **deadline_row_fields(planned, today=today, excused=excused))
            if excused and row.status == Deadline.Status.DISAPPLIED:
                excused_rows.add(id(row))
            rows.append(row)
    return rows, excused_rows


def _exception_for(rng: random.Random, deadline: Deadline, today: date) -> TimescaleException:
    code = rng.choice(sorted(timescales.RULES[deadline.kind].allowed_exceptions - {"CORONAVIRUS"}))
    # Recorded by today: a clock that started recently cannot have an exception told of later.
    starts = min(deadline.starts_on + timedelta(days=rng.randint(7, 20)), today)
    return TimescaleException(
        deadline=deadline,
        code=code,
        starts_on=starts,
        ends_on=starts + timedelta(days=28),
        evidence="Letter on file (demo data).",
        reasoning="Meeting the time limit was impractical during this period (demo data).",
        family_told_on=min(starts + timedelta(days=3), today),
    )
