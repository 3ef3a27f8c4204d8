"""Benchmarks: figures printed by `manage.py bench`, never asserted in tests.

Each benchmark takes the number of cases and returns a dict of figures; later features append
their own to BENCHMARKS. They run against a scratch database seeded with demo cases.
"""

import resource
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from ehc import demo
from ehc.models import Deadline
from ehc.services import deadlines_refresh_statuses

Benchmark = Callable[[int], dict]
BENCHMARKS: list[Benchmark] = []


def benchmark(fn: Benchmark) -> Benchmark:
    BENCHMARKS.append(fn)
    return fn


def staff_client(username: str):
    """A test client signed in as this staff user, second factor passed (as after a code)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ehc.models import User

    user = User.objects.get(username=username)
    client = Client(HTTP_HOST="127.0.0.1")  # a host ALLOWED_HOSTS accepts in every mode
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Benchmark", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def timed(fn: Callable[[], object]) -> tuple[float, int, object]:
    """Seconds, query count and result of one call."""
    # The query log holds 9,000 entries and seeding fills it; a full log would count 0.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
    return round(elapsed, 4), len(queries), result


@contextmanager
def scratch_database() -> Iterator[None]:
    """A throwaway database of the configured kind (SQLite file or PostgreSQL), dropped after."""
    conn = connections["default"]
    test_settings = conn.settings_dict.setdefault("TEST", {})
    with tempfile.TemporaryDirectory() as tmp:
        if conn.vendor == "sqlite":
            test_settings["NAME"] = str(Path(tmp) / "bench.sqlite3")
        else:
            test_settings["NAME"] = f"{conn.settings_dict['NAME']}_bench"
        original_name = conn.settings_dict["NAME"]
        conn.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            yield
        finally:
            conn.creation.destroy_test_db(original_name, verbosity=0)


def run(cases: int) -> dict:
    import ehc.dashboards.bench  # noqa: F401  (registers the dashboard figures)

    figures: dict = {"cases": cases, "database": connection.vendor}
    with scratch_database():
        start = time.perf_counter()
        demo.seed_cases(cases)
        figures["seed_s"] = round(time.perf_counter() - start, 2)
        if connection.vendor == "postgresql":  # fresh bulk data: give the planner statistics
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        figures["deadline_rows"] = Deadline.objects.count()
        for bench in BENCHMARKS:
            figures.update(bench(cases))
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return figures


@benchmark
def refresh_statuses(cases: int) -> dict:
    seconds, queries, _ = timed(deadlines_refresh_statuses)
    return {"refresh_s": seconds, "refresh_queries": queries}


@benchmark
def alert_sweep(cases: int) -> dict:
    """The deadline sweep over the seeded cases, against a hand-written SQL floor."""
    from notifications.bench import sweep_figures

    return sweep_figures()
