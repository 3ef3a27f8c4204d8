"""Demo plans in force, in every review state.

Each batch of demo cases registers its issued plans as plans in force (the ehc.demo BATCH hook).
`manage.py seed_reviews_demo` (run by `make run` after seed_demo) then adds, once per database: a caseload brought in through the import (some last reviewed 13 months ago,
so overdue at once; some due soon; a Year 6 child facing the 14 February transfer deadline;
under-5s), and the plans issued by the demo assessments. A few reviews are then walked through
the real services to each state a caseworker meets: meeting arranged, meeting held, decision
due, amendments proposed (the family's 15 days), final amended plan issued, decided not to
amend, decided to cease.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.core.exceptions import ValidationError

from ehc.models import Case, CaseEvent, Setting, Team, User
from ehc.services.common import local_today
from ehc.services.events import event_hooks_paused
from notifications.services.sweep import treat_events_as_history
from reviews import imports, services
from reviews.models import MaintainedPlan, PlanVersion, PrimaryNeed

PREFIX = "DEMO-PLAN-"
NAMES = ["Ada", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Hari", "Isla", "Jay", "Kit"]
SURNAMES = ["Adeyemi", "Brown", "Chen", "Davies", "Evans", "Fraser", "Gill", "Hughes", "Iqbal"]


def seed_with_demo_cases(cases, events) -> None:
    """ehc.demo BATCH hook: every plan the demo assessments issued becomes a plan in force (its
    first review is the case's own R1 clock, so no rows beyond the plan and its version)."""
    _register_issued(cases)


def _register_issued(cases) -> None:
    """Plans issued by the bulk-seeded demo assessments become plans in force."""
    issued = {
        e.case_id: e.occurred_on
        for e in CaseEvent.objects.filter(
            case__in=[c for c in cases if c.outcome == Case.Outcome.PLAN_ISSUED],
            kind=CaseEvent.Kind.FINAL_PLAN_ISSUED,
        )
    }
    plans = [
        MaintainedPlan(
            case=case,
            child_id=case.child_id,
            origin=MaintainedPlan.Origin.ASSESSMENT,
            first_issued_on=issued[case.pk],
            current_setting_id=case.requested_setting_id,
            next_review_due=_first_due(issued[case.pk]),
        )
        for case in cases
        if case.pk in issued
    ]
    plans = MaintainedPlan.objects.bulk_create(plans, batch_size=2000)
    PlanVersion.objects.bulk_create(
        [
            PlanVersion(
                plan=plan,
                number=1,
                issued_on=plan.first_issued_on,
                reason=PlanVersion.Reason.ISSUED,
                named_setting_id=plan.current_setting_id,
            )
            for plan in plans
        ],
        batch_size=2000,
    )


def _first_due(issued: date) -> date:
    from ehc import timescales

    return timescales.first_review_due(issued)


def _row(
    rng: random.Random,
    n: int,
    *,
    dob: date,
    issued: date,
    meeting: date | None,
    setting: Setting | None,
    team: Team,
    worker: User | None,
) -> imports.PlanRow:
    return imports.PlanRow(
        line=n + 2,
        reference=f"{PREFIX}{n:05d}",
        first_name=rng.choice(NAMES),
        last_name=rng.choice(SURNAMES),
        date_of_birth=dob,
        plan_issued_on=issued,
        upn="",
        meeting_on=meeting,
        decided_on=meeting + timedelta(days=21) if meeting else None,
        setting_id=setting.pk if setting else None,
        setting_type="" if setting else "Mainstream school",
        primary_need=rng.choice(PrimaryNeed.values),
        caseworker_id=worker.pk if worker else None,
        team_id=team.pk,
    )


def seed_demo_plans(count: int = 60, seed: int = 14) -> list[MaintainedPlan]:
    rng = random.Random(seed)
    today = local_today()
    team = Team.objects.order_by("id").first()
    if team is None:
        return []
    worker = User.objects.filter(username="caseworker").first()
    primary = Setting.objects.filter(phase=Setting.Phase.PRIMARY).first()
    secondary = Setting.objects.filter(phase=Setting.Phase.SECONDARY).first()
    rows = []
    for n in range(count):
        age = rng.randint(3, 20)
        dob = date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
        issued = max(dob + timedelta(days=400), today - timedelta(days=rng.randint(400, 2000)))
        # A spread of last reviews: some 13 months ago (overdue), some due soon, some recent.
        months_ago = rng.choice([None, 13, 11, 10, 6, 2])
        meeting = None
        if months_ago is not None:
            meeting = max(issued + timedelta(days=1), today - timedelta(days=30 * months_ago))
        setting = primary if 5 <= age <= 10 else secondary if 11 <= age <= 15 else None
        rows.append(
            _row(
                rng,
                n,
                dob=dob,
                issued=issued,
                meeting=meeting,
                setting=setting,
                team=team,
                worker=worker,
            )
        )
    # A Year 6 child at a primary school: the 14 February phase-transfer deadline.
    year6_start = today.year if today.month >= 9 else today.year - 1
    rows.append(
        _row(
            rng,
            count,
            dob=date(year6_start - 11, 1, 15),
            issued=today - timedelta(days=700),
            meeting=today - timedelta(days=330),
            setting=primary,
            team=team,
            worker=worker,
        )
    )
    imports._create_batch(rows, None, today)
    plans = list(
        MaintainedPlan.objects.filter(import_reference__startswith=PREFIX)
        .select_related("case", "child")
        .order_by("id")
    )
    with event_hooks_paused():  # demo reviews are history: no family is told about them
        _walk_some(plans, today, worker)
    newest = CaseEvent.objects.order_by("-pk").first()
    treat_events_as_history(None, [newest] if newest else [])
    return plans


def _walk_some(plans: list[MaintainedPlan], today: date, worker: User | None) -> None:
    """Drive a few reviews through the real services to each state."""
    states = ["arranged", "held", "proposed", "amended", "not_amended", "maintained", "cease"]
    candidates = [p for p in plans if p.first_issued_on < today - timedelta(days=200)]
    for state, plan in zip(states, candidates, strict=False):
        try:
            _walk(plan, state, today, worker)
        except ValidationError:
            continue  # an unlucky random date; the demo simply has one fewer walked review


def _walk(plan: MaintainedPlan, state: str, today: date, worker: User | None) -> None:
    review = services.review_open(plan=plan, acting_user=worker, today=today)
    meeting = today - timedelta(days=40 if state != "arranged" else -20)
    notice = meeting - timedelta(days=21) if state != "arranged" else today
    services.review_meeting_arrange(
        review=review,
        meeting_on=meeting,
        notice_sent_on=min(notice, today),
        advice_circulated_on=None,
        acting_user=worker,
    )
    if state == "arranged":
        return
    services.review_meeting_record(
        review=review,
        held_on=meeting,
        adulthood_discussed="Moving to college and travel training.",
        acting_user=worker,
    )
    if state == "held":
        return
    services.review_report_record(
        review=review,
        sent_on=meeting + timedelta(days=7),
        recommendations="Keep the speech and language therapy; add a transition plan.",
        acting_user=worker,
    )
    decision = {"maintained": "maintain", "cease": "cease"}.get(state, "amend")
    decided = today - timedelta(days=10 if state == "proposed" else 20)
    services.review_decision_record(
        review=review,
        details=services.ReviewDecision(
            decision=decision,
            decided_on=decided,
            reasons="The plan is no longer necessary: outcomes met."
            if decision == "cease"
            else "Needs have changed since the last review.",
            proposed_sections={"section_f": "Speech and language therapy, 1 hour a week."}
            if decision == "amend"
            else {},
            evidence="Speech and language therapist's report." if decision == "amend" else "",
            consulted_family_on=decided - timedelta(days=7) if decision == "cease" else None,
            consulted_setting_on=decided - timedelta(days=7) if decision == "cease" else None,
        ),
        acting_user=worker,
    )
    if state == "amended":
        services.amended_plan_issue(
            review=review,
            issued_on=today - timedelta(days=2),
            named_setting=None,
            setting_type="Mainstream school",
            family_views="Agreed.",
            acting_user=worker,
        )
    elif state == "not_amended":
        services.amendment_withdraw(
            review=review,
            decided_on=today - timedelta(days=3),
            reasons="New evidence showed the current provision is right.",
            acting_user=worker,
        )
