"""`manage.py bench`: seeds a scratch database with demo cases and runs every benchmark.

Benchmarks are registered with `ehc.bench.benchmark` in each app's `bench` module, which is
found here by name, so adding figures never means editing this file.
"""

import os
import resource
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path

from django.db import connection, connections, transaction
from django.utils.module_loading import autodiscover_modules

from ehc import demo
from ehc.bench import BENCHMARKS
from ehc.models import Deadline


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


def selected(only: set[str]) -> list:
    """The benchmarks named by app (the module's first part) or by function name; all if none."""
    if not only:
        return list(BENCHMARKS)
    chosen = [b for b in BENCHMARKS if {b.__module__.split(".")[0], b.__name__} & only]
    known = {b.__module__.split(".")[0] for b in BENCHMARKS} | {b.__name__ for b in BENCHMARKS}
    unknown = sorted(only - known)
    if unknown:
        raise ValueError(
            f"No benchmark called {', '.join(unknown)}. Known: {', '.join(sorted(known))}"
        )
    return chosen


def run(cases: int, only: set[str] | None = None) -> dict:
    autodiscover_modules("bench")  # each app's bench module registers its figures
    import_module("ehc.search.bench")  # the core's search figures live beside the search code
    benchmarks = selected(only or set())

    figures: dict = {"cases": cases, "database": connection.vendor}
    with scratch_database():
        start = time.perf_counter()
        demo.seed_cases(cases)
        figures["seed_s"] = round(time.perf_counter() - start, 2)
        if connection.vendor == "postgresql":  # fresh bulk data: give the planner statistics
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        figures["deadline_rows"] = Deadline.objects.count()
        for bench in benchmarks:
            figures.update(bench(cases))
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    figures["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return figures


def run_existing(only: set[str] | None = None) -> dict:
    """The benchmarks over the configured database as it stands (seeded once, e.g. the load
    benchmark's), inside one transaction that is rolled back: nothing they write is kept."""
    from ehc.models import Case

    autodiscover_modules("bench")
    import_module("ehc.search.bench")
    benchmarks = selected(only or set())
    figures: dict = {"database": connection.vendor, "existing": True}
    with transaction.atomic():
        figures["cases"] = cases = Case.objects.count()
        figures["deadline_rows"] = Deadline.objects.count()
        for bench in benchmarks:
            figures.update(bench(cases))
        transaction.set_rollback(True)
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    figures["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return figures
