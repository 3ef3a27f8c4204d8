"""ehc.demo: the bulk seeder must produce what the services would have produced."""

import random
from collections import Counter
from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from ehc import demo, roles, timescales
from ehc.access import cases_visible_to
from ehc.models import Case, CaseEvent, Contact, Deadline, Team, TimescaleException, User
from ehc.services import (
    ChildDetails,
    case_create_from_request,
    case_deadlines_recompute,
    case_event_record,
    timescale_exception_record,
)
from ehc.services.events import STAGE_AFTER
from tests.conftest import london

pytestmark = pytest.mark.django_db

TODAY = london(2026, 11, 23, 12)
N_CASES = 300


@pytest.fixture
def seeded():
    """300 demo cases as of Mon 23 Nov 2026 (the date is fixed so the test is repeatable)."""
    with time_machine.travel(TODAY, tick=False):
        totals = demo.seed_cases(N_CASES)
        if connection.vendor == "postgresql":
            # The rows are uncommitted, so the planner's statistics still say the tables are
            # empty and it picks nested loops over thousands of rows; ANALYZE sees them.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        yield totals


def deadline_facts(case):
    return sorted(
        case.deadlines.values_list("kind", "subject_key", "due_on", "met_on", "status", "is_open")
    )


def test_seed_reports_what_it_inserted(seeded):
    assert seeded == {
        "cases": Case.objects.count(),
        "events": CaseEvent.objects.count(),
        "deadlines": Deadline.objects.count(),
        "exceptions": TimescaleException.objects.count(),
    }
    assert seeded["cases"] == N_CASES


def test_seeded_cases_reach_every_common_stage(seeded):
    stages = Counter(Case.objects.values_list("stage", flat=True))
    for stage in [
        Case.Stage.DECIDING_TO_ASSESS,
        Case.Stage.ASSESSING,
        Case.Stage.DRAFT_ISSUED,
        Case.Stage.PLAN_ISSUED,
        Case.Stage.CLOSED,
    ]:
        assert stages[stage] > 0, f"no demo case at {stage}: {stages}"
    assert set(stages) <= set(Case.Stage.values)


def test_seeded_cases_have_every_outcome_except_moving_la(seeded):
    outcomes = set(Case.objects.values_list("outcome", flat=True))
    assert outcomes >= {
        Case.Outcome.OPEN,
        Case.Outcome.NOT_ASSESSED,
        Case.Outcome.NO_PLAN,
        Case.Outcome.PLAN_ISSUED,
        Case.Outcome.WITHDRAWN,
    }


def test_some_deadlines_are_breached_and_some_disapplied_with_an_exception(seeded):
    statuses = Counter(Deadline.objects.values_list("status", flat=True))
    assert statuses[Deadline.Status.BREACHED] > 0
    assert statuses[Deadline.Status.MET] > 0
    assert statuses[Deadline.Status.RUNNING] > 0
    disapplied = Deadline.objects.filter(status=Deadline.Status.DISAPPLIED)
    assert disapplied.exists()
    assert not disapplied.filter(exceptions__isnull=True).exists()
    assert set(TimescaleException.objects.values_list("deadline__status", flat=True)) == {
        Deadline.Status.DISAPPLIED
    }


def test_demo_users_exist_in_the_right_groups(seeded):
    for username, role, _ in demo.DEMO_LOGINS:
        user = User.objects.get(username=username)
        assert user.groups.filter(name=role).exists()
        assert user.check_password(demo.DEMO_PASSWORD)
    caseworkers = Group.objects.get(name=roles.CASEWORKER).user_set
    assert caseworkers.filter(teams__isnull=False).count() >= 3 * len(demo.TEAMS)
    assert User.objects.get(username="admin").is_superuser


def test_demo_logins_can_see_demo_cases(seeded):
    parent = User.objects.get(username="parent@example.com")
    caseworker = User.objects.get(username="caseworker")
    manager = User.objects.get(username="manager")

    assert cases_visible_to(manager).count() == N_CASES
    assert 0 < cases_visible_to(caseworker).count() < N_CASES
    assert Contact.objects.filter(user=parent).count() == 3
    assert cases_visible_to(parent).count() == 3


def test_seeding_again_adds_cases_without_duplicating_users(seeded):
    with time_machine.travel(TODAY, tick=False):
        users_before = User.objects.count()
        demo.seed_cases(10, seed=7)
    assert Case.objects.count() == N_CASES + 10
    assert User.objects.count() == users_before
    assert Contact.objects.filter(user__username="parent@example.com").count() == 3


def test_seeded_stage_and_outcome_follow_the_events(seeded):
    for case in Case.objects.prefetch_related("events"):
        events = sorted(case.events.all(), key=lambda e: (e.occurred_on, e.pk))
        stage, outcome, closed_on = Case.Stage.DECIDING_TO_ASSESS, Case.Outcome.OPEN, None
        for e in events:
            if e.kind in STAGE_AFTER:
                stage, new_outcome = STAGE_AFTER[e.kind]
                if new_outcome is not None:
                    outcome = new_outcome
                    closed_on = e.occurred_on if stage == Case.Stage.CLOSED else None
        assert (case.stage, case.outcome, case.closed_on) == (stage, outcome, closed_on), case


def test_no_seeded_event_is_after_today_or_before_the_request(seeded):
    for case in Case.objects.prefetch_related("events"):
        for event in case.events.all():
            assert case.clock_starts_on <= event.occurred_on <= date(2026, 11, 23), (case, event)


def test_no_seeded_event_follows_the_case_closing(seeded):
    # The services refuse anything but a note once a case is closed.
    for case in Case.objects.filter(stage=Case.Stage.CLOSED).prefetch_related("events"):
        last = max(case.events.all(), key=lambda e: (e.occurred_on, e.pk))
        assert last.occurred_on == case.closed_on, (case, last)
        assert case.events.filter(occurred_on__gt=case.closed_on).count() == 0, case


def test_seeded_exceptions_pass_the_checks_the_exception_service_makes(seeded):
    today = TODAY.date()
    exceptions = TimescaleException.objects.select_related("deadline")
    assert exceptions.exists()
    for e in exceptions:
        d = e.deadline
        assert timescales.exception_allowed(d.kind, e.code), (d.kind, e.code)
        assert e.starts_on <= e.ends_on
        assert e.ends_on >= d.starts_on and e.starts_on <= d.due_on, (d, e.starts_on, e.ends_on)
        assert e.family_told_on is None or e.family_told_on <= today, (d, e.family_told_on)


def test_simulated_withdrawal_comes_after_every_other_event():
    # Many more histories than one seed makes, without the database.
    rng, today, withdrawn = random.Random(1), date(2026, 11, 23), 0
    for _ in range(5000):
        sim = demo.simulate_case(rng, today)
        closing = [on for kind, on, _ in sim.events if kind == "withdrawn"]
        if closing:
            withdrawn += 1
            latest_other = max(on for kind, on, _ in sim.events if kind != "withdrawn")
            assert latest_other <= closing[0] <= today, sim.events
    assert withdrawn > 20  # the check above really ran


def test_simulated_request_is_never_stamped_later_than_now():
    rng = random.Random(3)
    with time_machine.travel(TODAY, tick=False):
        now, today = timezone.now(), timezone.localdate()
        received = [demo.simulate_case(rng, today).received_at for _ in range(5000)]
    assert max(received) <= now
    assert sum(r.date() == today for r in received) > 0  # some arrived today


def test_recomputing_every_seeded_case_through_the_service_changes_nothing(seeded):
    history_before = Deadline.history.count()
    before = {case.pk: deadline_facts(case) for case in Case.objects.all()}

    with time_machine.travel(TODAY, tick=False):
        for case in Case.objects.all():
            case_deadlines_recompute(case=case)

    after = {case.pk: deadline_facts(case) for case in Case.objects.all()}
    changed = {pk: (before[pk], after[pk]) for pk in before if before[pk] != after[pk]}
    assert not changed, f"{len(changed)} cases differ, e.g. {next(iter(changed.items()))}"
    assert Deadline.history.count() == history_before


def test_every_seeded_history_replayed_through_the_services_gives_the_same_case(seeded):
    """The strongest agreement check: the services accept every seeded event and exception,
    and end with the same stage, outcome and deadlines as the bulk seeder wrote."""
    team = Team.objects.first()
    admin = User.objects.get(username="admin")
    with time_machine.travel(TODAY, tick=False):
        for seeded_case in Case.objects.select_related("child").prefetch_related("events"):
            child = seeded_case.child
            case = case_create_from_request(
                child_details=ChildDetails(child.first_name, child.last_name, child.date_of_birth),
                team=team,
                requester_type=seeded_case.requester_type,
                request_channel=seeded_case.request_channel,
                received_at=seeded_case.received_at,
                acting_user=admin,
            )
            for event in sorted(seeded_case.events.all(), key=lambda e: (e.occurred_on, e.pk)):
                if event.kind != CaseEvent.Kind.REQUEST_RECEIVED:
                    case_event_record(
                        case=case,
                        kind=event.kind,
                        occurred_on=event.occurred_on,
                        subject_key=event.subject_key,
                        acting_user=admin,
                    )
            for e in TimescaleException.objects.filter(deadline__case=seeded_case):
                timescale_exception_record(
                    deadline=case.deadlines.get(
                        kind=e.deadline.kind, subject_key=e.deadline.subject_key
                    ),
                    code=e.code,
                    starts_on=e.starts_on,
                    ends_on=e.ends_on,
                    evidence=e.evidence,
                    reasoning=e.reasoning,
                    family_told_on=e.family_told_on,
                    acting_user=admin,
                )
            case.refresh_from_db()
            assert (case.stage, case.outcome, case.closed_on) == (
                seeded_case.stage,
                seeded_case.outcome,
                seeded_case.closed_on,
            ), seeded_case
            assert deadline_facts(case) == deadline_facts(seeded_case), seeded_case
