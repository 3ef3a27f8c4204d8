"""`manage.py bench` figures for the Local Offer at 10,000 services (five times a large
council's directory): the directory search and the /openreferral/services page, median and p95
over a fixed set of queries, each against a hand-written SQL floor."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import connection
from django.test import Client

from ehc.bench import benchmark
from ehc.search.backends import backend
from local_offer import vocabulary as v
from local_offer.demo import CENTRE, seed_directory
from local_offer.models import Service
from local_offer.postcodes import EARTH_RADIUS_M, bounding_box
from local_offer.search_index import KIND, service_match
from local_offer.selectors import DirectoryFilters, Near, directory_page

T = TypeVar("T")
SERVICES = 10_000
REPEATS = 5
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
FEED_PER_PAGE = 50
# Each feed address with the directory query it asks (the floor answers the same).
FEED: list[tuple[str, DirectoryFilters, int]] = [
    ("/openreferral/services", DirectoryFilters(), 1),
    ("/openreferral/services?page=20", DirectoryFilters(), 20),
    ("/openreferral/services?page=150", DirectoryFilters(), 150),
    ("/openreferral/services?search=autism", DirectoryFilters(q="autism"), 1),
    (
        "/openreferral/services?minimum_age=5&maximum_age=18",
        DirectoryFilters(minimum_age=5, maximum_age=18),
        1,
    ),
    ("/openreferral/services?day=SA", DirectoryFilters(day="SA"), 1),
]


def _summary(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return round(statistics.median(times) * 1000, 2), round(p95 * 1000, 2)


def _paired_stats(
    real: Callable[[T], object], floor: Callable[[T], object], items: list[T]
) -> tuple[tuple[float, float], tuple[float, float]]:
    """(median, p95) in ms of the real call and of its floor, each query timed one after the
    other, so a busy moment on a shared machine lands on both."""
    real_times: list[float] = []
    floor_times: list[float] = []
    for item in items:
        for _ in range(REPEATS):
            for fn, times in ((real, real_times), (floor, floor_times)):
                start = time.perf_counter()
                fn(item)
                times.append(time.perf_counter() - start)
    return _summary(real_times), _summary(floor_times)


def _db(value: object) -> object:
    """A UUID as the database stores it (text on SQLite, uuid on PostgreSQL)."""
    return Service._meta.pk.get_db_prep_value(value, connection)


LISTED = "s.status <> 'inactive'"


def _floor_statement(
    filters: DirectoryFilters, *, page: int = 1, per_page: int = 20
) -> tuple[str, list]:
    """One hand-written statement answering the query as the page does: the page's services and
    organisations, in the page's order, with the total. Its keyword part is the search index's
    own statement for the words the page ends up looking for (misspellings already read)."""
    where, params = [LISTED], []
    # The driving rows first: SQLite's CROSS JOIN keeps that order (left to itself its planner
    # may run the full-text match once per service); PostgreSQL plans joins itself.
    join = "CROSS JOIN" if connection.vendor == "sqlite" else "JOIN"
    # The keyword match: with words, the rows the page starts from.
    match_sql, match_params = "", list[object]()
    keys, order = "s.name AS k1, 0 AS k2", "p.k1, p.id"
    if filters.q:
        match = service_match(filters.q)
        assert match is not None
        sql, word_params = backend().word_match_sql(kind=KIND, query=match.query, scopes=[1])
        match_sql, match_params = f"({sql}) m", list(word_params)
        keys, order = "m.rank AS k1, m.title AS k2", "p.k1 DESC, p.k2, p.id"
    for taxonomy, codes in (
        (v.TAXONOMY_CATEGORIES, filters.categories),
        (v.TAXONOMY_NEED_TYPES, filters.need_types),
    ):
        if codes:
            where.append(
                "s.id IN (SELECT t.service_id FROM local_offer_service_terms t "
                f"WHERE t.taxonomyterm_id IN ({', '.join(['%s'] * len(codes))}))"
            )
            params += [_db(v.term_uuid(taxonomy, code)) for code in codes]
    if filters.age is not None:
        where.append("s.minimum_age <= %s AND s.maximum_age >= %s")
        params += [filters.age, filters.age]
    if filters.minimum_age is not None:
        where.append("s.minimum_age >= %s")
        params.append(filters.minimum_age)
    if filters.maximum_age is not None:
        where.append("s.maximum_age <= %s")
        params.append(filters.maximum_age)
    if filters.free_only:
        where.append("s.is_free = %s")
        params.append(True)
    if filters.referral is not None:
        where.append("s.referral_needed = %s")
        params.append(filters.referral)
    if filters.day:
        where.append(
            "EXISTS (SELECT 1 FROM local_offer_schedule sc WHERE sc.service_id = s.id "
            "AND sc.byday LIKE %s)"
        )
        params.append(f"%{filters.day}%")
    for feature in filters.access_features:
        where.append(
            "s.id IN (SELECT sal.service_id FROM local_offer_serviceatlocation sal "
            "JOIN local_offer_accessibility a ON a.location_id = sal.location_id "
            "WHERE a.feature = %s)"
        )
        params.append(feature)
    key_params: list = []
    near_sql, having, having_params = "", "", []
    if filters.near:
        # The service's places inside the box, grouped by service: the nearest is the minimum.
        lat, lon, metres = filters.near.latitude, filters.near.longitude, filters.near.metres
        min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, metres)
        lat_r = math.radians(lat)
        distance = (
            "MIN(%s * ASIN(SQRT(POWER(SIN((RADIANS(l.latitude) - %s) / 2), 2) + %s * "
            "COS(RADIANS(l.latitude)) * POWER(SIN((RADIANS(l.longitude) - %s) / 2), 2))))"
        )
        distance_params = [2.0 * EARTH_RADIUS_M, lat_r, math.cos(lat_r), math.radians(lon)]
        near_sql = (
            f" {join} local_offer_serviceatlocation sal ON sal.service_id = s.id "
            f"{join} local_offer_location l ON l.id = sal.location_id"
        )
        where.append("l.latitude BETWEEN %s AND %s AND l.longitude BETWEEN %s AND %s")
        params += [min_lat, max_lat, min_lon, max_lon]
        having, having_params = (
            f" GROUP BY s.id HAVING {distance} <= %s",
            [*distance_params, metres],
        )
        keys, key_params = f"{distance} AS k1, s.name AS k2", distance_params
        order = "p.k1, p.k2, p.id"
    from_sql = (
        f"{match_sql} {join} local_offer_service s ON s.id = m.object_id"
        if match_sql
        else "local_offer_service s"
    ) + near_sql
    limit = f" LIMIT {int(per_page)} OFFSET {(max(1, page) - 1) * int(per_page)}"
    # The page's ids and the total first, then the columns shown for those twenty only.
    if filters.q and not filters.near and where == [LISTED]:
        # Words alone: the index's documents carry whether a service is listed, so the page
        # needs no service row until the twenty are known.
        page_sql = (
            f"SELECT m.object_id AS id, m.rank AS k1, m.title AS k2, COUNT(*) OVER () AS total "
            f"FROM {match_sql} ORDER BY k1 DESC, k2, id{limit}"
        )
        page_params = match_params
    else:
        page_sql = (
            f"SELECT s.id AS id, {keys}, COUNT(*) OVER () AS total FROM {from_sql} "
            f"WHERE {' AND '.join(where)}{having} ORDER BY {order.replace('p.', '')}{limit}"
        )
        page_params = key_params + match_params + params + having_params
    statement = (
        f"SELECT s.*, o.*, p.total FROM ({page_sql}) p "
        "JOIN local_offer_service s ON s.id = p.id "
        f"JOIN local_offer_organisation o ON o.id = s.organisation_id ORDER BY {order}"
    )
    return statement, page_params


def _floor_checked(filters: DirectoryFilters, *, page: int, per_page: int) -> tuple[str, list]:
    """The query's statement, written before the clock starts and checked to answer what the
    page answers (the same services in the same order, the same total), so the floor is the
    same work done by hand, not a smaller one."""
    sql, params = _floor_statement(filters, page=page, per_page=per_page)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    answer = directory_page(filters, page=page, per_page=per_page, full=False)
    floor_ids = [Service._meta.pk.to_python(row[0]) for row in rows]
    # Past the last page the statement has no row to carry the total: only the ids compare.
    floor_total = rows[0][-1] if rows else answer.total
    if floor_ids != [s.pk for s in answer.services] or floor_total != answer.total:
        raise RuntimeError(f"The floor for {filters} does not answer what the page does.")
    return sql, params


def _floor_statements() -> dict[DirectoryFilters, tuple[str, list]]:
    return {f: _floor_checked(f, page=1, per_page=20) for f in QUERIES}


def _feed_floor_statements() -> dict[str, tuple[str, list]]:
    """The feed's floor: its directory query by hand (the JSON is not counted)."""
    return {url: _floor_checked(f, page=page, per_page=FEED_PER_PAGE) for url, f, page in FEED}


def _floor_run(statement: tuple[str, list]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(*statement)
        cursor.fetchall()


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
    statements = _floor_statements()
    (search_median, search_p95), (floor_median, floor_p95) = _paired_stats(
        lambda f: directory_page(f, per_page=20, full=False),
        lambda f: _floor_run(statements[f]),
        QUERIES,
    )
    feed_urls = [url for url, _, _ in FEED]
    feed_statements = _feed_floor_statements()
    (feed_median, feed_p95), (feed_floor_median, feed_floor_p95) = _paired_stats(
        feed_get, lambda url: _floor_run(feed_statements[url]), feed_urls
    )
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
