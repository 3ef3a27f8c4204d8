"""Search figures for `manage.py bench`: staff case search over a fixed set of queries (names
with typos, partial names, references, dates of birth), median and p95, against its floor."""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.db import connection

from ehc.bench import benchmark
from ehc.models import Case, User
from ehc.search.backends import backend
from ehc.search.cases import case_search
from ehc.search.service import normalise

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


def _floor(query: str) -> None:
    """The same result with no service around it: the backend's one candidate statement, then
    the result rows by id in one statement."""
    rows = backend().candidates(kind="case", query=normalise(query), scopes=None)
    ids: list[Any] = [object_id for object_id, _ in rows[:50]] or [0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.id, c.reference, c.stage, ch.first_name, ch.last_name, "
            "(SELECT MIN(d.due_on) FROM ehc_deadline d WHERE d.case_id = c.id AND d.is_open) "
            f"FROM ehc_case c JOIN ehc_child ch ON ch.id = c.child_id WHERE c.id IN "
            f"({', '.join(['%s'] * len(ids))})",
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
        t = time.perf_counter()
        _floor(query)
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
    }
