"""Demo legacy instruments: a synthetic caseload as it stood on 1 September 2014, written as CSV
and imported through the same service as a council's own file.

A plausible history comes with it: most instruments were transferred by the schedule the
timetable makes with a modest capacity (some late, a few concluded with no plan), a few ceased,
and some young children's Statements were never started, so a caseworker can take one through
a transfer review in the demo.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta

from conversions import timetable as tt
from conversions.services.imports import COLUMNS, ImportReport, legacy_import_csv

DEMO_RECORDS = 300
AS_AT = date(2014, 9, 1)  # the caseload when the new system came in (spec T1)
DEMO_CASEWORKERS_PER_300 = 2  # the demo council's transfer team, one review each a week
FIRST_NAMES = [
    "Alfie",
    "Bethany",
    "Callum",
    "Demi",
    "Ellis",
    "Faith",
    "Gabriel",
    "Hollie",
    "Isaac",
    "Jasmine",
    "Kieran",
    "Leah",
    "Mason",
    "Niamh",
    "Owen",
    "Poppy",
    "Rhys",
    "Sienna",
    "Tyler",
    "Yusuf",
    "Zainab",
    "Aleksander",
    "Chidi",
    "Mei",
]
LAST_NAMES = [
    "Ahmed",
    "Baker",
    "Carter",
    "Dixon",
    "Edwards",
    "Fisher",
    "Gray",
    "Harris",
    "Iqbal",
    "Jackson",
    "Kowalski",
    "Lee",
    "Mitchell",
    "Nguyen",
    "Owusu",
    "Parker",
    "Quinn",
    "Reid",
    "Shaw",
    "Turner",
    "Usman",
    "Vaughan",
    "Ward",
    "Young",
]


def _dob_for_year_group(rng: random.Random, year_group: int, academic_year: int) -> date:
    """A birthday in the right school year: Year N in academic_year/+1 was born
    September (academic_year - N - 5) to August (academic_year - N - 4)."""
    first = date(academic_year - year_group - 5, 9, 1)
    return first + timedelta(days=rng.randint(0, 364))


def _expected_transfer(rng: random.Random, year_group: int | None) -> tuple[date | None, str]:
    moves = {
        2: (2015, tt.INFANT_TO_JUNIOR),
        4: (2017, tt.PRIMARY_TO_SECONDARY),
        5: (2016, tt.PRIMARY_TO_SECONDARY),
        6: (2015, tt.PRIMARY_TO_SECONDARY),
        9: (2017, tt.SECONDARY_TO_POST16),
        10: (2016, tt.SECONDARY_TO_POST16),
        11: (2015, tt.SECONDARY_TO_POST16),
    }
    if year_group in moves and (year_group != 2 or rng.random() < 0.3):
        year, kind = moves[year_group]
        return date(year, 9, rng.choice([1, 2, 3, 7])), kind
    return None, ""


def _record(rng: random.Random, index: int, prefix: str, setting_codes: list[str]) -> dict:
    roll = rng.random()
    if roll < 0.85:
        kind = tt.STATEMENT
        year_group = rng.choice(list(range(0, 12)) + [12, 13])
    elif roll < 0.97:
        kind, year_group = tt.LDA, rng.choice([12, 13, 14])
    else:
        kind, year_group = tt.NON_STATUTORY, rng.randint(0, 6)
    dob = _dob_for_year_group(rng, year_group, AS_AT.year)
    made = dob + timedelta(days=rng.randint(2 * 365, max(2 * 365, (AS_AT - dob).days - 60)))
    moving_on, moving_type = (
        _expected_transfer(rng, year_group) if kind == tt.STATEMENT else (None, "")
    )
    return {
        "reference": f"{prefix}{'ST' if kind == tt.STATEMENT else kind.upper()[:3]}-{index:05d}",
        "instrument_type": kind.upper(),
        "first_name": rng.choice(FIRST_NAMES),
        "last_name": rng.choice(LAST_NAMES),
        "date_of_birth": dob.isoformat(),
        "made_on": made.isoformat(),
        "upn": "",
        "setting": rng.choice(setting_codes) if setting_codes and rng.random() < 0.8 else "",
        "year_group": "R" if year_group == 0 else str(year_group),
        "year_group_year": f"{AS_AT.year}/{(AS_AT.year + 1) % 100:02d}",
        "expected_transfer_on": moving_on.isoformat() if moving_on else "",
        "expected_transfer_type": moving_type,
        "ceased_on": "",
        "notice_given_on": "",
        "review_started_on": "",
        "concluded_on": "",
        "outcome": "",
    }


def _facts(row: dict) -> tt.InstrumentFacts:
    return tt.InstrumentFacts(
        reference=row["reference"],
        instrument_type=row["instrument_type"].lower(),
        year_group=0 if row["year_group"] == "R" else int(row["year_group"]),
        year_group_academic_year=AS_AT.year,
        expected_transfer_on=date.fromisoformat(row["expected_transfer_on"])
        if row["expected_transfer_on"]
        else None,
        expected_transfer_type=row["expected_transfer_type"],
    )


def _simulate_history(rng: random.Random, rows: list[dict], today: date) -> None:
    """Transfers as the demo council did them: to its timetable, with some slippage."""
    by_reference = {r["reference"]: r for r in rows}
    items = [
        tt.ScheduleItem(r["reference"], f.instrument_type, tt.cohort_for(f))
        for r in rows
        for f in [_facts(r)]
    ]
    workers = max(DEMO_CASEWORKERS_PER_300, round(DEMO_CASEWORKERS_PER_300 * len(rows) / 300))
    plan = tt.schedule(items, as_of=AS_AT, capacity=tt.Capacity(1, workers))
    for slot in plan.slots:
        row = by_reference[slot.reference]
        young = row["year_group"] in ("R", "1", "2", "3", "4", "5")
        roll = rng.random()
        if slot.start_on is None or slot.start_on > today or (young and roll < 0.08):
            continue  # never started: still waiting today
        if roll > 0.97:
            ceased = slot.start_on - timedelta(days=rng.randint(20, 120))
            row["ceased_on"] = max(ceased, date.fromisoformat(row["made_on"])).isoformat()
            continue
        start = slot.start_on + timedelta(days=rng.choice([0, 0, 0, 7, 14]))
        notice = tt.latest_notice_for_start(start) - timedelta(days=rng.randint(0, 10))
        concluded = start + timedelta(days=rng.randint(60, 150))
        if concluded > today:
            continue
        if slot.notice_by is not None:
            row["notice_given_on"] = notice.isoformat()
        row["review_started_on"] = start.isoformat()
        row["concluded_on"] = concluded.isoformat()
        row["outcome"] = "no_plan" if rng.random() < 0.08 else "plan_issued"


def demo_csv(
    n: int, *, seed: int = 2014, prefix: str = "DEMO-", setting_codes=(), today: date
) -> str:
    """n legacy records as a CSV file, with their transfer history up to ``today``."""
    rng = random.Random(seed)
    rows = [_record(rng, i + 1, prefix, list(setting_codes)) for i in range(n)]
    _simulate_history(rng, rows, today)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def seed_legacy_records(
    n: int = DEMO_RECORDS, *, seed: int = 2014, prefix: str = "DEMO-", today: date | None = None
) -> ImportReport:
    """Write the demo CSV and import it through the service (idempotent: same seed, same file)."""
    from django.utils import timezone

    from ehc import demo as ehc_demo
    from ehc.models import User

    today = today or timezone.localdate()
    settings_ = ehc_demo.ensure_settings(random.Random(seed))
    codes = sorted({s.urn for s in settings_ if s.urn})
    content = demo_csv(n, seed=seed, prefix=prefix, setting_codes=codes, today=today)
    report = legacy_import_csv(
        content=content.encode(),
        filename=f"{prefix.lower()}legacy-instruments.csv",
        acting_user=User.objects.filter(username="admin").first(),
        today=today,
    )
    if not report.ok:
        raise RuntimeError(f"Demo legacy records did not import: {report.errors[:3]}")
    return report


def seed_with_demo_cases(cases, events) -> None:
    """ehc.demo BATCH hook: seed_demo also makes the demo legacy caseload, once per database."""
    from conversions.models import LegacyInstrument

    if not LegacyInstrument.objects.exists():
        seed_legacy_records()
