"""`manage.py bench` figures for the Local Offer at 10,000 services (five times a large
council's directory): the directory search and the /openreferral/services page, median and p95
over a fixed set of queries, each against a hand-written SQL floor."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from django.db import connection
from django.test import Client

from ehc.bench import benchmark
from ehc.search.backends import backend
from local_offer.demo import CENTRE, seed_directory
from local_offer.search_index import KIND, parse_query
from local_offer.selectors import DirectoryFilters, Near, directory_page

SERVICES = 10_000
REPEATS = 3
QUERIES: list[DirectoryFilters] = [
    DirectoryFilters(q="autism"),
    DirectoryFilters(q="SALT"),
    DirectoryFilters(q="short breaks", age=9),
    DirectoryFilters(q="speech therapy", free_only=True),
    DirectoryFilters(q="swimming", near=Near(CENTRE[0], CENTRE[1], 8000)),
    DirectoryFilters(categories=("health",), need_types=("ASD",)),
    DirectoryFilters(age=9, free_only=True, referral=False),
    DirectoryFilters(near=Near(CENTRE[0], CENTRE[1], 5000), access_features=("hearing_loop",)),
    DirectoryFilters(day="SA", q="club"),
    DirectoryFilters(q="autsim"),
]
FEED_URLS = [
    "/openreferral/services",
    "/openreferral/services?page=20",
    "/openreferral/services?page=150",
    "/openreferral/services?search=autism",
    "/openreferral/services?minimum_age=5&maximum_age=18",
    "/openreferral/services?day=SA",
]


def _stats(fn: Callable[[], object], runs: list) -> tuple[float, float]:
    times = []
    for item in runs:
        for _ in range(REPEATS):
            start = time.perf_counter()
            fn(item) if item is not None else fn()
            times.append(time.perf_counter() - start)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return round(statistics.median(times) * 1000, 2), round(p95 * 1000, 2)


def _floor_statements() -> dict[DirectoryFilters, tuple[str, list] | None]:
    """Each query's keyword statement, written before the clock starts."""
    floors = {}
    for filters in QUERIES:
        parsed = parse_query(filters.q)
        floors[filters] = (
            None if parsed.empty else backend().word_match_sql(kind=KIND, query=parsed)
        )
    return floors


def _floor_search(filters: DirectoryFilters, statements: dict) -> None:
    """The least the database must do: the keyword match ranked (the index's own statement,
    no filters), or the first page by name."""
    with connection.cursor() as cursor:
        statement = statements[filters]
        if statement is not None:
            sql, params = statement
            cursor.execute(f"SELECT * FROM ({sql}) m ORDER BY 2 DESC LIMIT 20", params)
        else:
            cursor.execute(
                "SELECT id, name FROM local_offer_service WHERE status <> 'inactive' "
                "ORDER BY name LIMIT 20"
            )
        cursor.fetchall()


def _floor_feed(url: str) -> None:
    page = int(url.split("page=")[1]) if "page=" in url else 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.*, o.* FROM local_offer_service s JOIN local_offer_organisation o "
            "ON o.id = s.organisation_id WHERE s.status <> 'inactive' ORDER BY s.name, s.id "
            "LIMIT 50 OFFSET %s",
            [(page - 1) * 50],
        )
        cursor.fetchall()
        cursor.execute("SELECT COUNT(*) FROM local_offer_service WHERE status <> 'inactive'")


@benchmark
def local_offer_figures(cases: int) -> dict:
    start = time.perf_counter()
    seed_directory(SERVICES, seed=10_000)
    seed_s = round(time.perf_counter() - start, 2)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client(HTTP_HOST="localhost")

    def feed_get(url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")

    # The directory's results list shows the service and its organisation (full=False), as the
    # page does; the record page loads the rest.
    search_median, search_p95 = _stats(
        lambda f: directory_page(f, per_page=20, full=False), QUERIES
    )
    statements = _floor_statements()
    floor_median, floor_p95 = _stats(lambda f: _floor_search(f, statements), QUERIES)
    feed_median, feed_p95 = _stats(feed_get, FEED_URLS)
    feed_floor_median, feed_floor_p95 = _stats(_floor_feed, FEED_URLS)
    return {
        "local_offer_services": SERVICES,
        "local_offer_seed_s": seed_s,
        "local_offer_search_median_ms": search_median,
        "local_offer_search_p95_ms": search_p95,
        "local_offer_search_floor_median_ms": floor_median,
        "local_offer_search_floor_p95_ms": floor_p95,
        "local_offer_feed_median_ms": feed_median,
        "local_offer_feed_p95_ms": feed_p95,
        "local_offer_feed_floor_median_ms": feed_floor_median,
        "local_offer_feed_floor_p95_ms": feed_floor_p95,
        # Ratios hold up better than milliseconds on a shared machine.
        "local_offer_search_x_floor_median": _ratio(search_median, floor_median),
        "local_offer_search_x_floor_p95": _ratio(search_p95, floor_p95),
        "local_offer_feed_x_floor_median": _ratio(feed_median, feed_floor_median),
        "local_offer_feed_x_floor_p95": _ratio(feed_p95, feed_floor_p95),
    }


def _ratio(value: float, floor: float) -> float:
    return round(value / floor, 2) if floor else 0.0
