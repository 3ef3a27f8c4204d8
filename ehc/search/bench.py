"""Search figures for `manage.py bench`: staff case search over a fixed set of queries (names
with typos, partial names, references, dates of birth), median and p95, against its floor."""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.db import connection

from ehc.bench import benchmark
from ehc.models import Case, User
from ehc.search.cases import case_search
from ehc.search.service import search_statements

SAMPLE = 25  # cases the queries are made from, spread evenly over the table


def _typo(word: str) -> str:
    """Swap two middle letters: 'Okafor' -> 'Okfaor'."""
    if len(word) < 4:
        return word + word[-1]
    i = len(word) // 2
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def query_set() -> list[str]:
    total = Case.objects.count()
    step = max(1, total // SAMPLE)
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True)[::step][:SAMPLE])
    queries = []
    for case in Case.objects.filter(pk__in=ids).select_related("child").order_by("pk"):
        child = case.child
        queries += [
            case.reference,
            f"{child.first_name} {_typo(child.last_name)}",
            child.last_name[:4],
            f"{child.date_of_birth:%d/%m/%Y}",
        ]
    return queries


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return round(statistics.median(ordered) * 1000, 1), round(p95 * 1000, 1)


def _answering_statement(query: str) -> tuple[str, list] | None:
    """The one statement whose rows are the search's answer to `query` (as a manager: every
    team): the first of the service's statements to find something."""
    for sql, params in search_statements(kind="case", query=query):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            if cursor.fetchall():
                return sql, params
    return None


def _floor(statement: tuple[str, list] | None) -> None:
    """The same result with no service around it: the statement that answers the query, then
    the result rows by id in one hand-written statement."""
    ids: list[Any] = [0]
    if statement is not None:
        with connection.cursor() as cursor:
            cursor.execute(*statement)
            ids = [object_id for object_id, _ in cursor.fetchall()] or [0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.id, c.reference, c.stage, ch.first_name, ch.last_name, t.name, u.username, "
            "(SELECT MIN(d.due_on) FROM ehc_deadline d WHERE d.case_id = c.id AND d.is_open "
            "AND NOT d.is_guidance) "
            "FROM ehc_case c JOIN ehc_child ch ON ch.id = c.child_id "
            "JOIN ehc_team t ON t.id = c.team_id "
            "LEFT JOIN ehc_user u ON u.id = c.assigned_caseworker_id "
            f"WHERE c.id IN ({', '.join(['%s'] * len(ids))})",
            ids,
        )
        cursor.fetchall()


@benchmark
def case_search_figures(cases: int) -> dict:
    start = time.perf_counter()
    from ehc.search.service import search_index_update

    search_index_update(kind="case")
    index_s = time.perf_counter() - start
    manager = User.objects.get(username="manager")
    queries = query_set()
    searched, floors = [], []
    for query in queries:
        case_search(user=manager, query=query)  # warm
        t = time.perf_counter()
        case_search(user=manager, query=query)
        searched.append(time.perf_counter() - t)
        statement = _answering_statement(query)
        _floor(statement)  # warm
        t = time.perf_counter()
        _floor(statement)
        floors.append(time.perf_counter() - t)
    median, p95 = _percentiles(searched)
    floor_median, floor_p95 = _percentiles(floors)
    return {
        "search_index_s": round(index_s, 2),
        "search_queries": len(queries),
        "search_median_ms": median,
        "search_p95_ms": p95,
        "search_floor_median_ms": floor_median,
        "search_floor_p95_ms": floor_p95,
        "search_x_floor_median": round(median / max(floor_median, 0.1), 1),
        "search_x_floor_p95": round(p95 / max(floor_p95, 0.1), 1),
    }


def _case_list_queries() -> list[tuple[str, dict]]:
    """A fixed set of case-list views: (user, filters)."""
    from ehc import case_list
    from ehc.models import Team

    team = Team.objects.order_by("pk").first()
    worker = User.objects.filter(assigned_cases__isnull=False).order_by("pk").first()
    views: list[tuple[str, dict]] = []
    for sort in case_list.SORTS:
        views.append(("manager", {"sort": sort}))
    views += [
        ("manager", {"status": case_list.CLOSED}),
        ("manager", {"status": case_list.ANY, "sort": "name"}),
        ("manager", {"overdue": True}),
        ("manager", {"stage": Case.Stage.ASSESSING}),
        ("manager", {"team_id": team.pk if team else None, "overdue": True}),
        ("manager", {"caseworker": worker.pk if worker else None}),
        ("manager", {"caseworker": case_list.UNASSIGNED, "sort": "received"}),
        ("caseworker", {}),
        ("caseworker", {"overdue": True, "sort": "name"}),
    ]
    return views


def _case_list_floor(user, filters, today, page_number) -> None:
    """The same page with no selector around it: the count, then the page's rows with their
    next statutory date, as two hand-written statements."""
    from ehc import case_list

    sql, params = (
        case_list.case_list(user=user, filters=filters, today=today)
        .values_list("pk")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS cases", params)
        cursor.fetchone()
        cursor.execute(f"{sql} LIMIT {case_list.PAGE_SIZE}", params)
        ids = [row[0] for row in cursor.fetchall()] or [0]
        cursor.execute(
            "SELECT c.id, c.reference, c.stage, ch.first_name, ch.last_name, u.username, t.name, "
            "(SELECT MIN(d.due_on) FROM ehc_deadline d WHERE d.case_id = c.id AND d.is_open "
            "AND NOT d.is_guidance) "
            "FROM ehc_case c JOIN ehc_child ch ON ch.id = c.child_id "
            "JOIN ehc_team t ON t.id = c.team_id "
            "LEFT JOIN ehc_user u ON u.id = c.assigned_caseworker_id "
            f"WHERE c.id IN ({', '.join(['%s'] * len(ids))})",
            ids,
        )
        cursor.fetchall()


@benchmark
def case_list_figures(cases: int) -> dict:
    """One page of the staff case list over a fixed set of filters and sorts, against the same
    page as hand-written SQL; also the CSV of the manager's open cases."""
    from ehc import case_list
    from ehc.services.common import local_today

    today = local_today()
    people = {
        "manager": User.objects.get(username="manager"),
        "caseworker": User.objects.get(username="caseworker"),
    }
    timings, floors = [], []
    for who, options in _case_list_queries():
        filters = case_list.CaseFilters(**options)
        user = people[who]
        for page_number in (1, 2):
            case_list.case_list_page(user=user, filters=filters, today=today, page_number=1)
            t = time.perf_counter()
            case_list.case_list_page(
                user=user, filters=filters, today=today, page_number=page_number
            )
            timings.append(time.perf_counter() - t)
            t = time.perf_counter()
            _case_list_floor(user, filters, today, page_number)
            floors.append(time.perf_counter() - t)
    median, p95 = _percentiles(timings)
    floor_median, floor_p95 = _percentiles(floors)
    t = time.perf_counter()
    rows = sum(
        1
        for _ in case_list.case_list_rows(
            user=people["manager"], filters=case_list.CaseFilters(), today=today
        )
    )
    csv_s = time.perf_counter() - t
    return {
        "case_list_views": len(timings),
        "case_list_median_ms": median,
        "case_list_p95_ms": p95,
        "case_list_floor_median_ms": floor_median,
        "case_list_floor_p95_ms": floor_p95,
        "case_list_csv_rows": rows,
        "case_list_csv_s": round(csv_s, 2),
    }
