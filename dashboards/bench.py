"""Dashboard figures for `manage.py bench`: the three pages' server time and queries, and the
floor: the same aggregates as hand-written SQL, which the pages should stay within 2x of."""

import time
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db import connection
from django.urls import reverse

from ehc.bench import benchmark, staff_client, timed
from ehc.services.common import local_today

PAGES = ["dashboards:at_risk", "dashboards:timeliness", "dashboards:workload"]


@benchmark
def dashboards(cases: int) -> dict:
    client = staff_client("manager")
    seconds, queries = 0.0, 0
    for name in PAGES:
        url = reverse(name)
        client.get(url)  # warm, as a running server would be
        s, q, response = timed(lambda url=url: client.get(url))
        assert response.status_code == 200, url
        seconds, queries = seconds + s, queries + q
    return {
        "dashboard_s": round(seconds, 4),
        "dashboard_queries": queries,
        "dashboard_sql_floor_s": round(sql_floor(local_today()), 4),
    }


def floor_statements(today: date) -> list[tuple[str, list]]:
    """The dashboards' aggregates written by hand, one statement each (the fair floor; a test
    checks they give the pages' figures)."""
    year_start, year_end = date(today.year, 1, 1), date(today.year, 12, 31)
    rolling = today - relativedelta(years=1) + timedelta(days=1)
    trend_from = today.replace(day=1) - relativedelta(months=11)
    statements = [
        (
            "SELECT kind, CASE WHEN due_on < %s THEN 'o' WHEN due_on <= %s THEN 'w' "
            "WHEN due_on <= %s THEN 't' ELSE 'k' END AS band, COUNT(*) FROM ehc_deadline "
            "WHERE is_open = %s AND is_family_window = %s GROUP BY kind, band",
            [today, today + timedelta(days=7), today + timedelta(days=14), True, False],
        ),
    ]
    # Each clock's rows met in the span the page shows, one row a day (the periods, the trend's
    # months and the spread of weeks taken are sums of these days, as on the page).
    by_day = (
        "SELECT met_on, COUNT(*), SUM(CASE WHEN met_on <= due_on THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN status <> 'disapplied' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN met_on <= due_on AND status <> 'disapplied' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN days_taken > 364 THEN 1 ELSE 0 END), SUM(days_taken), COUNT(days_taken), "
        "SUM(CASE WHEN days_taken <= 140 THEN 1 ELSE 0 END) "
        "FROM ehc_deadline WHERE kind = %s AND met_on >= %s AND met_on <= %s GROUP BY met_on"
    )
    statements += [
        (by_day, ["A13", min(year_start, rolling, trend_from), max(year_end, today)]),
        (by_day, ["A2", min(year_start, rolling), max(year_end, today)]),
    ]
    statements += [
        (
            "SELECT assigned_caseworker_id, COUNT(*) FROM ehc_case WHERE outcome = 'open' "
            "GROUP BY assigned_caseworker_id",
            [],
        ),
        (
            "SELECT owner_id, COUNT(*) FROM workflows_queueentry WHERE is_open = %s "
            "GROUP BY owner_id",
            [True],
        ),
        (
            "SELECT d.subject_key, COUNT(*) FROM ehc_deadline d JOIN ehc_case c ON c.id = d.case_id "
            "WHERE d.kind = 'A5' AND d.is_open = %s AND d.due_on < %s AND c.outcome = 'open' "
            "GROUP BY d.subject_key",
            [True, today],
        ),
        (
            "SELECT code, COUNT(*) FROM ehc_timescaleexception WHERE starts_on >= %s GROUP BY code",
            [today - relativedelta(years=1)],
        ),
    ]
    return statements


def floor_results(today: date) -> list[list[tuple]]:
    with connection.cursor() as cursor:
        results = []
        for sql, params in floor_statements(today):
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
    return results


def sql_floor(today: date) -> float:
    """Seconds for the dashboards' aggregates written by hand, one statement each."""
    start = time.perf_counter()
    floor_results(today)
    return time.perf_counter() - start


# Deadlines without a case: a large council's directory records and comment actions.
SUBJECT_CLOCKS = 10_000
SUBJECT_FLOOR = (
    "SELECT kind, CASE WHEN due_on < %s THEN 'overdue' WHEN due_on <= %s THEN 'this_week' "
    "WHEN due_on <= %s THEN 'two_weeks' ELSE 'on_track' END AS band, COUNT(*), MIN(due_on) "
    "FROM ehc_subjectdeadline WHERE is_open = %s GROUP BY kind, band"
)


def subject_floor_rows(today: date) -> list[tuple]:
    """The 'Deadlines without a case' figures by hand: one GROUP BY over the open clocks."""
    params = [today, today + timedelta(days=7), today + timedelta(days=14), True]
    with connection.cursor() as cursor:
        cursor.execute(SUBJECT_FLOOR, params)
        return cursor.fetchall()


def subject_clocks_seed(count: int, today: date) -> None:
    """``count`` open clocks without a case (nine record reviews to each action), due from two
    months ago to a year ahead, as bulk rows (no history, no owners)."""
    import uuid

    from ehc.models import SubjectDeadline

    rows = []
    for n in range(count):
        due = today + timedelta(days=(n * 37) % 425 - 60)
        rows.append(
            SubjectDeadline(
                kind="LO3" if n % 10 == 0 else "LO2",
                subject_type="local_offer.comment" if n % 10 == 0 else "local_offer.service",
                subject_id=str(n) if n % 10 == 0 else str(uuid.UUID(int=n)),
                title="Bench clock",
                legal_basis="Bench",
                explanation="Bench",
                starts_on=due - timedelta(days=365),
                due_on=due,
                status="breached" if due < today else "running",
                is_open=True,
                source="bench",
            )
        )
    SubjectDeadline.objects.bulk_create(rows, batch_size=1000)


@benchmark
def subject_deadlines(cases: int) -> dict:
    """The 'Deadlines without a case' tab and its overdue drill-down at 10,000 open clocks,
    against the hand-written GROUP BY; seeded in a transaction that is rolled back."""
    from django.db import transaction

    today = local_today()
    client = staff_client("manager")
    with transaction.atomic():
        subject_clocks_seed(SUBJECT_CLOCKS, today)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE ehc_subjectdeadline")
        figures: dict = {}
        pages = {
            "subject_dashboard": reverse("dashboards:subject_deadlines"),
            "subject_drilldown": reverse("dashboards:subject_deadline_list")
            + "?kind=LO2&band=overdue",
        }
        for name, url in pages.items():
            client.get(url)  # warm
            s, q, response = timed(lambda url=url: client.get(url))
            assert response.status_code == 200, url
            figures[f"{name}_s"], figures[f"{name}_queries"] = round(s, 4), q
        from dashboards.selectors import subject_deadlines_at_risk

        # The page's own figures without the page around them (sign-in, session, template).
        start = time.perf_counter()
        subject_deadlines_at_risk(today=today)
        figures["subject_figures_s"] = round(time.perf_counter() - start, 4)
        start = time.perf_counter()
        subject_floor_rows(today)
        figures["subject_dashboard_sql_floor_s"] = round(time.perf_counter() - start, 4)
        transaction.set_rollback(True)
    return figures
