"""Benchmarks: figures printed by `manage.py bench`, never asserted in tests.

Each benchmark takes the number of cases and returns a dict of figures. An app adds its own by
decorating them with `benchmark` in its `bench` module; `config.bench` finds those modules, seeds
a scratch database with demo cases and runs every benchmark against it.
"""

import time
from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext

from ehc.services import deadlines_refresh_statuses

Benchmark = Callable[[int], dict]
BENCHMARKS: list[Benchmark] = []


def benchmark(fn: Benchmark) -> Benchmark:
    BENCHMARKS.append(fn)
    return fn


def timed(fn: Callable[[], object]) -> tuple[float, int, object]:
    """Seconds, query count and result of one call."""
    # The query log holds 9,000 entries and seeding fills it; a full log would count 0.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
    return round(elapsed, 4), len(queries), result


@benchmark
def refresh_statuses(cases: int) -> dict:
    seconds, queries, _ = timed(deadlines_refresh_statuses)
    return {"refresh_s": seconds, "refresh_queries": queries}
