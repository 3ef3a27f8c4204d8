"""Benchmarks for plans in force (printed by `manage.py bench`, never asserted).

* the import of 100,000 plans from CSV (plans per second, peak memory);
* the nightly pass that opens the reviews falling due, against its floor: an INSERT ... SELECT
  of the same review rows;
* the reviews dashboard's figures, against its floor: the same counts as hand-written SQL.
"""

from __future__ import annotations

import io
import random
import resource
import time
from datetime import date, timedelta

from django.db import connection, transaction

from ehc.bench import benchmark, timed
from ehc.models import Setting
from ehc.services.common import local_today
from reviews import imports, nightly, selectors

IMPORT_PLANS = 100_000


def plans_csv(count: int, *, seed: int = 7, prefix: str = "BENCH-") -> bytes:
    """A realistic import file: a third overdue, a third due within 12 weeks, a third later."""
    rng = random.Random(seed)
    today = local_today()
    urns = list(Setting.objects.exclude(urn="").values_list("urn", flat=True)[:50])
    out = io.StringIO()
    out.write(",".join(imports.COLUMNS[:9]) + "\n")
    for n in range(count):
        dob = date(today.year - rng.randint(4, 20), rng.randint(1, 12), rng.randint(1, 28))
        issued = max(dob + timedelta(days=200), today - timedelta(days=rng.randint(450, 3000)))
        meeting = today - timedelta(days=rng.randint(100, 420))
        meeting = max(meeting, issued)
        decided = meeting + timedelta(days=rng.randint(5, 40))
        decided = min(decided, today)
        urn = rng.choice(urns) if urns else ""
        out.write(f"{prefix}{n},Child{n},Bench,{dob},{issued},,{meeting},{decided},{urn}\n")
    return out.getvalue().encode()


@benchmark
def reviews_import_nightly_dashboard(cases: int) -> dict:
    count = IMPORT_PLANS if cases >= IMPORT_PLANS else max(cases, 100)
    content = plans_csv(count)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    report = imports.plans_import_csv(stream=io.BytesIO(content), acting_user=None)
    import_s = time.perf_counter() - start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert report.ok, report.errors[:3]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    today = local_today()
    floor_s = _nightly_floor(today)
    nightly_s, nightly_queries, opened = timed(lambda: nightly.reviews_open_due(today=today))
    selectors.figures(today)  # warm
    dashboard_s, dashboard_queries, _ = timed(lambda: selectors.figures(today))
    return {
        "reviews_import_plans": report.created,
        "reviews_import_s": round(import_s, 2),
        "reviews_import_plans_per_s": round(report.created / import_s) if import_s else None,
        "reviews_import_peak_rss_mb": round(rss_after, 1),
        "reviews_import_rss_growth_mb": round(rss_after - rss_before, 1),
        "reviews_nightly_opened": opened,
        "reviews_nightly_s": nightly_s,
        "reviews_nightly_queries": nightly_queries,
        "reviews_nightly_sql_floor_s": round(floor_s, 4),
        "reviews_dashboard_s": dashboard_s,
        "reviews_dashboard_queries": dashboard_queries,
        "reviews_dashboard_sql_floor_s": round(_dashboard_floor(today), 4),
    }


class _Rollback(Exception):
    pass


def _nightly_floor(today: date) -> float:
    """INSERT ... SELECT of the same review rows the nightly pass makes, then rolled back."""
    horizon = today + timedelta(days=nightly.OPEN_AHEAD_DAYS)
    sql = (
        "INSERT INTO reviews_annualreview (plan_id, kind, due_on, opened_on, stage, outcome, "
        "needs_adulthood, transfer_post16, adulthood_discussed, recommendations, decision, "
        "reasons, proposed_sections, evidence, family_views) "
        "SELECT p.id, 'annual', p.next_review_due, %s, 'arranging', 'open', false, false, "
        "'', '', '', '', '{}', '', '' FROM reviews_maintainedplan p "
        "WHERE p.status IN ('maintained', 'ceasing') AND p.next_review_due <= %s "
        "AND NOT EXISTS (SELECT 1 FROM reviews_annualreview r WHERE r.plan_id = p.id "
        "AND r.outcome = 'open')"
    )
    start = time.perf_counter()
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [today, horizon])
            raise _Rollback
    except _Rollback:
        pass
    return time.perf_counter() - start


def _dashboard_floor(today: date) -> float:
    soon = today + timedelta(days=selectors.DUE_SOON_DAYS)
    late = today - timedelta(days=28)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT SUM(CASE WHEN next_review_due >= %s AND next_review_due <= %s THEN 1 ELSE 0 "
            "END), SUM(CASE WHEN next_review_due < %s THEN 1 ELSE 0 END) "
            "FROM reviews_maintainedplan WHERE status IN ('maintained', 'ceasing')",
            [today, soon, today],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT COUNT(*) FROM reviews_annualreview WHERE decided_on IS NULL AND held_on < %s",
            [late],
        )
        cursor.fetchall()
    return time.perf_counter() - start
