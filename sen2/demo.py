"""Demo SEN2 items for each batch of demo cases (registered in ehc.demo.BATCH_HOOKS): every item
filled, plus a handful of deliberate errors in the first batch so the checks have something to
find (see DELIBERATE_ERRORS)."""

import random
from collections import defaultdict
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from ehc import deadline_rules as dr
from ehc.models import Case, CaseEvent, Child, Setting
from ehc.services.common import local_today
from sen2.models import NeedType, PersonProfile, Placement, PlanDetail, RequestDetail
from sen2.upn import with_check_letter

SEXES = ["M", "F", "M", "F", "U"]
ETHNICITIES = [
    "WBRI",
    "WBRI",
    "WBRI",
    "WOTH",
    "MWBC",
    "AIND",
    "APKN",
    "ABAN",
    "BAFR",
    "BCRB",
    "CHNE",
    "OOTH",
    "NOBT",
]
SOURCES = ["PA", "PA", "PA", "SC", "SC", "YP", "HS", "SW"]
NEEDS = [
    "ASD",
    "ASD",
    "SEMH",
    "SLCN",
    "SLCN",
    "MLD",
    "SPLD",
    "SLD",
    "PMLD",
    "PD",
    "HI",
    "VI",
    "MSI",
    "DS",
    "OTH",
]
CODES = ["OLA", "OPA", "EHE", "EYP", "NEET", "NIEO"]
POSTCODES = ["NE1 4ST", "NE6 2PA", "SR1 3DZ", "DH1 5AB", "NE29 6QE", "TS1 2AA"]

# What the first batch gets wrong on purpose, by rule: one case each.
DELIBERATE_ERRORS = ["U01", "P02", "U02", "P01", "C01", "R01", "N01", "D02", "M01", "T02"]
# Councils a few demo plans were passed from (TransferLA codes), chosen by case id so the demo's
# other random choices stay as they were.
TRANSFER_CODES = ["205", "330", "886", "926"]


def seed_with_demo_cases(cases: list[Case], events: list[CaseEvent]) -> None:
    if not cases:
        return
    first_batch = not PersonProfile.objects.exists()
    rng = random.Random(cases[0].pk)
    by_case: dict[int, dict[str, date]] = defaultdict(dict)
    for e in events:
        by_case[e.case_id].setdefault(e.kind, e.occurred_on)
    settings = list(Setting.objects.exclude(urn="").order_by("pk")) or list(Setting.objects.all())
    children = {c.child_id: c.child for c in cases}
    profiles, child_updates = [], []
    for child in children.values():
        age = relativedelta(local_today(), child.date_of_birth).years
        profile = PersonProfile(
            child=child,
            sex=rng.choice(SEXES),
            ethnicity=rng.choice(ETHNICITIES),
            postcode=rng.choice(POSTCODES),
        )
        if rng.random() < 0.9 and age < 19:
            child.upn = with_check_letter(
                f"{rng.randint(800, 899)}{rng.randint(2000, 7999)}{rng.randint(10, 25)}{rng.randint(1, 999):03d}"
            )
            child_updates.append(child)
        else:
            profile.upn_unknown = rng.choice(["UN2", "UN5", "UN7", "UN8"])
        if age >= 16:
            profile.uln = f"{rng.randint(1000000000, 9999999999)}"
        profiles.append(profile)
    Child.objects.bulk_update(child_updates, ["upn"], batch_size=2000)
    PersonProfile.objects.bulk_create(profiles, batch_size=2000)

    details, plans, needs, placements = [], [], [], []
    plan_cases = []
    for case in cases:
        kinds = by_case[case.pk]
        details.append(
            RequestDetail(
                case=case,
                request_source=_source(rng, case),
                rya=rng.random() < 0.01,
                request_mediation=rng.random() < 0.03,
                request_tribunal=rng.random() < 0.02,
                assessment_mediation=rng.random() < 0.03,
                assessment_tribunal=rng.random() < 0.02,
                other_mediation=rng.random() < 0.02,
                other_tribunal=rng.random() < 0.01,
            )
        )
        issued = kinds.get(dr.FINAL_PLAN_ISSUED)
        if dr.DECIDED_TO_ASSESS in kinds:
            for rank, code in enumerate(rng.sample(NEEDS[:-1], rng.choice([1, 1, 2, 2, 3])), 1):
                needs.append(NeedType(case=case, sen_type=code, rank=rank))
        if issued is None:
            continue
        plan_cases.append(case)
        plan = PlanDetail(
            case=case,
            residential=rng.random() < 0.03,
            work_based=rng.random() < 0.02,
            personal_budget=rng.random() < 0.15,
            organised_arrangements=rng.random() < 0.08,
            direct_payments=rng.random() < 0.06,
        )
        if issued + timedelta(days=330) < local_today():
            plan.review_meeting_on = issued + timedelta(days=rng.randint(300, 330))
            plan.review_decided_on = plan.review_meeting_on + timedelta(days=rng.randint(5, 30))
        if case.pk % 31 == 0:
            plan.transfer_la = TRANSFER_CODES[case.pk % len(TRANSFER_CODES)]
        if rng.random() < 0.04:
            plan.cease_date = min(local_today(), issued + timedelta(days=rng.randint(30, 300)))
            plan.cease_reason = rng.choice(["1", "2", "3", "4", "5", "7", "9"])
        plans.append(plan)
        entry = issued + timedelta(days=rng.randint(0, 20))
        if settings and rng.random() < 0.85:
            placements.append(
                Placement(
                    case=case,
                    setting=rng.choice(settings),
                    rank=1,
                    entry_date=entry,
                    sen_unit=rng.random() < 0.05,
                    resourced_provision=rng.random() < 0.05,
                )
            )
        else:
            placements.append(
                Placement(case=case, sen_setting=rng.choice(CODES), rank=1, entry_date=entry)
            )
        if settings and rng.random() < 0.05:
            placements.append(
                Placement(
                    case=case,
                    setting=rng.choice(settings),
                    rank=2,
                    entry_date=entry,
                    residential=True,
                )
            )
    if first_batch:
        _deliberate_errors(plan_cases, plans, needs, placements, children)
    RequestDetail.objects.bulk_create(details, batch_size=2000)
    PlanDetail.objects.bulk_create(plans, batch_size=2000)
    NeedType.objects.bulk_create(needs, batch_size=5000)
    Placement.objects.bulk_create(placements, batch_size=5000)


def _source(rng: random.Random, case: Case) -> str:
    if case.requester_type == Case.RequesterType.YOUNG_PERSON:
        return "YP"
    if case.requester_type == Case.RequesterType.SCHOOL:
        return "SC"
    return rng.choice(SOURCES)


def _deliberate_errors(plan_cases, plans, needs, placements, children) -> None:
    """One record per rule in DELIBERATE_ERRORS, on plans that are still in force, so each
    lands in the next return."""
    live = [p for p in plans if p.cease_date is None]
    if len(live) < len(DELIBERATE_ERRORS) + 1:
        return
    target = dict(zip(DELIBERATE_ERRORS, live, strict=False))
    needs_of = defaultdict(list)
    for n in needs:
        needs_of[n.case.pk].append(n)
    places_of = defaultdict(list)
    for p in placements:
        places_of[p.case.pk].append(p)
    # U01: a need code from no list.
    case = target["U01"].case
    needs_of[case.pk][0].sen_type = "XYZ"
    # P02: a second main placement that overlaps the first.
    case = target["P02"].case
    first = places_of[case.pk][0]
    placements.append(
        Placement(
            case=case,
            sen_setting="OLA",
            rank=1,
            entry_date=(first.entry_date or local_today()) + timedelta(days=10),
        )
    )
    # U02: a UPN whose check letter is wrong.
    child = children[target["U02"].case.child_id]
    good = with_check_letter("823200106001")
    child.upn = ("A" if good[0] != "A" else "B") + good[1:]
    child.save(update_fields=["upn"])
    # P01: a placement with neither a URN nor a SENsetting code.
    p = places_of[target["P01"].case.pk][0]
    p.setting, p.sen_setting = None, ""
    # C01: a plan ceased with no reason.
    target["C01"].cease_date = local_today() - timedelta(days=20)
    target["C01"].cease_reason = ""
    # R01: a person with no sex recorded.
    PersonProfile.objects.filter(child_id=target["R01"].case.child_id).update(sex="")
    # N01: two needs ranked first.
    case = target["N01"].case
    rows = needs_of[case.pk]
    for n in rows[1:]:
        needs.remove(n)
    needs.append(
        NeedType(case=case, sen_type="SEMH" if rows[0].sen_type != "SEMH" else "ASD", rank=1)
    )
    # D02: a review decided before its meeting.
    plan = target["D02"]
    plan.review_meeting_on = local_today() - timedelta(days=10)
    plan.review_decided_on = local_today() - timedelta(days=30)
    # T02: a TransferLA that is not a council's 3-digit code.
    target["T02"].transfer_la = "8X6"
    # M01: a second record for the same child (same name and date of birth).
    twin = children[target["M01"].case.child_id]
    other = next(
        c for c in children.values() if c.pk != twin.pk and c.pk != target["U02"].case.child_id
    )
    other.first_name, other.last_name, other.date_of_birth = (
        twin.first_name,
        twin.last_name,
        twin.date_of_birth,
    )
    other.save(update_fields=["first_name", "last_name", "date_of_birth"])
