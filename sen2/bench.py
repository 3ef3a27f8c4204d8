"""SEN2 figures for `manage.py bench`: the 2027 export, checks and summary over the bench
database (every demo case carries its SEN2 items through the demo hook)."""

import tempfile
import time
import tracemalloc
from pathlib import Path

from ehc.bench import benchmark, timed
from sen2.checks import run_checks
from sen2.collection import collection_for
from sen2.export import export_to_path
from sen2.selectors import return_summary


@benchmark
def sen2_return(cases: int) -> dict:
    collection = collection_for(2027)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sen2.xml"
        # CPU seconds beside wall seconds: on a shared machine the wall figure measures the wait
        # for a core; with SQLite (in-process) the CPU figure is the work itself.
        cpu = time.process_time()
        export_s, export_queries, counts = timed(lambda: export_to_path(path, collection))
        export_cpu_s = time.process_time() - cpu
        size_mb = path.stat().st_size / 1e6
        cpu = time.process_time()
        checks_s, checks_queries, report = timed(lambda: run_checks(collection))
        checks_cpu_s = time.process_time() - cpu
        summary_s, summary_queries, _ = timed(lambda: return_summary(collection))
        # Memory measured on a second run: tracemalloc slows Python, so not during the timings.
        tracemalloc.start()
        export_to_path(path, collection)
        _, export_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        run_checks(collection)
        _, checks_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {
        "sen2_people": counts.people,
        "sen2_requests": counts.requests,
        "sen2_active_plans": counts.active_plans,
        "sen2_file_mb": round(size_mb, 1),
        "sen2_export_s": export_s,
        "sen2_export_cpu_s": round(export_cpu_s, 2),
        "sen2_export_queries": export_queries,
        "sen2_export_peak_mb": round(export_peak / 1e6, 1),
        "sen2_checks_s": checks_s,
        "sen2_checks_cpu_s": round(checks_cpu_s, 2),
        "sen2_checks_queries": checks_queries,
        "sen2_checks_peak_mb": round(checks_peak / 1e6, 1),
        "sen2_errors": report.errors,
        "sen2_warnings": report.warnings,
        "sen2_summary_s": summary_s,
        "sen2_summary_queries": summary_queries,
    }
