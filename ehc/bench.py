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


@benchmark
def refresh_statuses(cases: int) -> dict:
    seconds, queries, _ = timed(deadlines_refresh_statuses)
    return {"refresh_s": seconds, "refresh_queries": queries}
