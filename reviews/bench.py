"""Benchmarks for plans in force (printed by `manage.py bench`, never asserted).

* the import from CSV of as many plans as the run has cases (100,000 for `make bench`: plans per
  second, peak memory);
* the nightly pass that opens the reviews falling due, against its floor: the same rows (reviews,
  their history, processes, tasks, clocks) each written by one INSERT ... SELECT;
* the reviews dashboard's figures, against its floor: the same counts as hand-written SQL.

REVIEWS_BENCH_PLANS=20000 runs a smaller import when the machine is too busy for 100,000.
"""

from __future__ import annotations

import io
import os
import random
import resource
import time
from datetime import date, timedelta
from typing import Any, cast

from django.db import connection, transaction

from ehc.bench import benchmark, timed
from ehc.models import Setting
from ehc.services.common import local_today
from reviews import imports, nightly, phases, selectors


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


def _peak_rss_mb() -> float:
    """The process's peak resident memory (MB): since the last _peak_rss_reset where Linux
    allows the reset, otherwise since the process started."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _peak_rss_reset() -> float:
    """Start the peak over from the memory in use now (so the import's figure is its own, not
    the seeding's before it); returns the memory in use now (MB)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass
    return _peak_rss_mb()


def _plans(cases: int) -> int:
    """One plan per case of the run; REVIEWS_BENCH_PLANS sets another count (say so beside its
    figures)."""
    return int(os.environ.get("REVIEWS_BENCH_PLANS", cases))


@benchmark
def reviews_import_nightly_dashboard(cases: int) -> dict:
    count = _plans(cases)
    content = plans_csv(count)
    rss_before = _peak_rss_reset()
    stream = io.BytesIO(content)
    import_s, import_queries, result = timed(
        lambda: imports.plans_import_csv(stream=stream, acting_user=None)
    )
    rss_after = _peak_rss_mb()
    report = cast(imports.ImportReport, result)
    assert report.ok, report.errors[:3]
    del content
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    today = local_today()
    # Floor and pass in the same run, floor first then the pass, then the floor again (the
    # machine is shared: the lower floor is kept).
    floor_s = _nightly_floor(today)
    nightly_s, nightly_queries, opened = timed(lambda: nightly.reviews_open_due(today=today))
    selectors.figures(today)  # warm
    dashboard_floor_s = min(_dashboard_floor(today) for _ in range(3))
    dashboard_runs = [timed(lambda: selectors.figures(today)) for _ in range(3)]
    dashboard_s = min(run[0] for run in dashboard_runs)
    return {
        "reviews_import_plans": report.created,
        "reviews_import_s": round(import_s, 2),
        "reviews_import_plans_per_s": round(report.created / import_s) if import_s else None,
        "reviews_import_queries": import_queries,
        # The process's peak during the import (the file's bytes, the checked rows and the
        # batches in flight on top of what the process held before), and its growth.
        "reviews_import_peak_rss_mb": round(rss_after, 1),
        "reviews_import_rss_growth_mb": round(rss_after - rss_before, 1),
        "reviews_nightly_opened": opened,
        "reviews_nightly_s": nightly_s,
        "reviews_nightly_queries": nightly_queries,
        "reviews_nightly_sql_floor_s": round(floor_s, 4),
        "reviews_nightly_vs_floor": round(nightly_s / floor_s, 2) if floor_s else None,
        "reviews_dashboard_s": dashboard_s,
        "reviews_dashboard_queries": dashboard_runs[0][1],
        "reviews_dashboard_sql_floor_s": round(dashboard_floor_s, 4),
        "reviews_dashboard_vs_floor": (
            round(dashboard_s / dashboard_floor_s, 2) if dashboard_floor_s else None
        ),
    }


class _Rollback(Exception):
    pass


def _nightly_floor(today: date) -> float:
    """The same rows the nightly pass writes, each table by one INSERT ... SELECT, then rolled
    back: the reviews and their history rows, a process and two tasks (start, arrange the
    meeting) a review with the link between the tasks, the R4 and R5 clocks, and the arrange
    task's work-queue entry."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from viewflow.workflow.models import Process, Task

    from ehc.models import Case
    from reviews.flows import AnnualReviewFlow
    from reviews.models import AnnualReview

    horizon = today + timedelta(days=nightly.OPEN_AHEAD_DAYS)
    now = timezone.now()
    db = connection.ops
    stamp = db.adapt_datetimefield_value(now)
    flow = Process._meta.get_field("flow_class").get_db_prep_save(AnnualReviewFlow, connection)
    start_task = Task._meta.get_field("flow_task").get_db_prep_save(
        AnnualReviewFlow.start, connection
    )
    arrange = Task._meta.get_field("flow_task").get_db_prep_save(
        AnnualReviewFlow.arrange_meeting, connection
    )
    case_type = ContentType.objects.get_for_model(Case).pk
    review_type = ContentType.objects.get_for_model(AnnualReview).pk
    rows = "(SELECT id FROM reviews_annualreview WHERE opened_on = %s AND id > %s)"
    statements = [
        (
            "INSERT INTO reviews_annualreview (plan_id, kind, due_on, opened_on, stage, outcome, "
            "needs_adulthood, transfer_post16, adulthood_discussed, recommendations, decision, "
            "reasons, proposed_sections, evidence, family_views) "
            "SELECT p.id, 'annual', p.next_review_due, %s, 'arranging', 'open', false, false, "
            "'', '', '', '', '{}', '', '' FROM reviews_maintainedplan p "
            "WHERE p.status IN ('maintained', 'ceasing') AND p.next_review_due <= %s "
            "AND NOT EXISTS (SELECT 1 FROM reviews_annualreview r WHERE r.plan_id = p.id "
            "AND r.outcome = 'open')",
            [today, horizon],
        ),
        (
            "INSERT INTO reviews_historicalannualreview (id, plan_id, kind, due_on, opened_on, "
            "stage, outcome, needs_adulthood, transfer_post16, adulthood_discussed, "
            "recommendations, decision, reasons, proposed_sections, evidence, family_views, "
            "history_date, history_type, history_change_reason) "
            "SELECT id, plan_id, kind, due_on, opened_on, stage, outcome, needs_adulthood, "
            "transfer_post16, adulthood_discussed, recommendations, decision, reasons, "
            f"proposed_sections, evidence, family_views, %s, '+', 'floor' "
            f"FROM reviews_annualreview WHERE id IN {rows}",
            [stamp, today, "LAST_REVIEW"],
        ),
        (
            "INSERT INTO viewflow_process (flow_class, status, created, data, "
            "artifact_content_type_id, artifact_object_id, seed_content_type_id, seed_object_id) "
            "SELECT %s, 'NEW', %s, '{}', %s, p.case_id, %s, r.id FROM reviews_annualreview r "
            f"JOIN reviews_maintainedplan p ON p.id = r.plan_id WHERE r.id IN {rows}",
            [flow, stamp, case_type, review_type, today, "LAST_REVIEW"],
        ),
        (
            "INSERT INTO viewflow_task (flow_task, flow_task_type, status, created, finished, "
            "token, data, process_id) SELECT %s, 'START', 'DONE', %s, %s, 'start', '{}', id "
            "FROM viewflow_process WHERE id > %s",
            [start_task, stamp, stamp, "LAST_PROCESS"],
        ),
        (
            "INSERT INTO viewflow_task (flow_task, flow_task_type, status, created, token, "
            "data, owner_permission, process_id) SELECT %s, 'HUMAN', 'NEW', %s, 'start', '{}', "
            "'ehc.progress_case', id FROM viewflow_process WHERE id > %s",
            [arrange, stamp, "LAST_PROCESS"],
        ),
        (
            "INSERT INTO viewflow_task_previous (from_task_id, to_task_id) "
            "SELECT a.id, s.id FROM viewflow_task a JOIN viewflow_task s "
            "ON s.process_id = a.process_id AND s.flow_task_type = 'START' "
            "WHERE a.flow_task_type = 'HUMAN' AND a.id > %s",
            ["LAST_TASK"],
        ),
    ]
    for kind in ("R4", "R5"):
        statements.append(
            (
                "INSERT INTO ehc_deadline (case_id, kind, subject_key, title, legal_basis, "
                "rule_version, calendar_version, explanation, starts_on, due_on, status, "
                "is_open, is_guidance, is_family_window, source) "
                "SELECT p.case_id, %s, '', 'floor', 'floor', '1', '1', '', %s, r.due_on - 14, "
                "'open', true, false, false, 'reviews' FROM reviews_annualreview r "
                f"JOIN reviews_maintainedplan p ON p.id = r.plan_id WHERE r.id IN {rows}"
                if connection.vendor == "postgresql"
                else "INSERT INTO ehc_deadline (case_id, kind, subject_key, title, legal_basis, "
                "rule_version, calendar_version, explanation, starts_on, due_on, status, "
                "is_open, is_guidance, is_family_window, source) "
                "SELECT p.case_id, %s, '', 'floor', 'floor', '1', '1', '', %s, "
                "date(r.due_on, '-14 days'), 'open', true, false, false, 'reviews' "
                "FROM reviews_annualreview r "
                f"JOIN reviews_maintainedplan p ON p.id = r.plan_id WHERE r.id IN {rows}",
                [kind, today, today, "LAST_REVIEW"],
            )
        )
    # The arrange-meeting tasks' work-queue entries, dated by their R4 clocks (each clock read
    # by its case's unique key: the statistics from before the run know of no R4 clocks, and a
    # join let PostgreSQL choose a plan that scanned them all for every task).
    statements.append(
        (
            "INSERT INTO workflows_queueentry (task_id, case_id, team_id, owner_id, is_open, "
            "due_on, deadline_id) SELECT t.id, c.id, c.team_id, c.assigned_caseworker_id, true, "
            "(SELECT d.due_on FROM ehc_deadline d WHERE d.case_id = c.id AND d.kind = 'R4' "
            "AND d.subject_key = ''), (SELECT d.id FROM ehc_deadline d WHERE d.case_id = c.id "
            "AND d.kind = 'R4' AND d.subject_key = '') "
            "FROM viewflow_task t JOIN viewflow_process p ON p.id = t.process_id "
            "JOIN ehc_case c ON c.id = p.artifact_object_id "
            "WHERE t.flow_task_type = 'HUMAN' AND t.id > %s",
            ["LAST_TASK"],
        )
    )
    with connection.cursor() as cursor:
        last = {}
        for key, table in (
            ("LAST_REVIEW", "reviews_annualreview"),
            ("LAST_PROCESS", "viewflow_process"),
            ("LAST_TASK", "viewflow_task"),
        ):
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            last[key] = cursor.fetchone()[0]
    start = time.perf_counter()
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                for sql, params in cast(list[tuple[str, list[Any]]], statements):
                    cursor.execute(
                        sql, [last.get(p, p) if isinstance(p, str) else p for p in params]
                    )
            raise _Rollback
    except _Rollback:
        pass
    return time.perf_counter() - start


def _dashboard_floor(today: date) -> float:
    """The dashboard's counts as hand-written SQL: the plans' two, the reviews' two and the
    phase-transfer cohort (children of a transfer age, without the per-setting rules)."""
    soon = today + timedelta(days=selectors.DUE_SOON_DAYS)
    late = today - timedelta(days=28)
    year = phases.school_year_start(today) + 1
    bands = []
    params: list = []
    for age in (phases.RECEPTION_AGE, phases.PRIMARY_END_AGE, phases.POST16_AGE):
        bands.append("(c.date_of_birth BETWEEN %s AND %s)")
        params += [date(year - age - 1, 9, 1), date(year - age, 8, 31)]
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
            "SELECT SUM(CASE WHEN decided_on IS NULL AND held_on < %s THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN final_issued_on IS NULL AND decided_on < %s THEN 1 ELSE 0 END) "
            "FROM reviews_annualreview",
            [late, today - timedelta(weeks=8)],
        )
        cursor.fetchall()
        cursor.execute(
            "SELECT COUNT(*) FROM reviews_maintainedplan p JOIN ehc_child c ON c.id = p.child_id "
            "WHERE p.status IN ('maintained', 'ceasing') AND (" + " OR ".join(bands) + ")",
            params,
        )
        cursor.fetchall()
    return time.perf_counter() - start
