"""Benchmarks for the transition (printed by `manage.py bench`, never asserted).

The bench database already has the demo legacy caseload (the seed_demo hook); this adds a
larger one, roughly one legacy record for every five cases (at most 20,000), through the CSV
import, then times the "as of" reads a manager's page makes.
"""

from datetime import date

from conversions import demo, selectors
from conversions import timetable as tt
from conversions.models import LegacyInstrument
from ehc.bench import benchmark, timed

MAX_RECORDS = 20_000


@benchmark
def conversions_timetable_and_progress(cases: int) -> dict:
    records = min(MAX_RECORDS, max(cases // 5, 1))
    import_s, import_queries, _ = timed(
        lambda: demo.seed_legacy_records(records, seed=99, prefix="BENCH-")
    )
    progress_s, progress_queries, _ = timed(
        lambda: selectors.progress_by_cohort(as_of=date(2016, 9, 1))
    )
    timetable_s, timetable_queries, _ = timed(
        lambda: selectors.timetable_as_of(as_of=date(2014, 9, 1), capacity=tt.Capacity(2, 10))
    )
    return {
        "conversions_records": LegacyInstrument.objects.count(),
        "conversions_import_s": import_s,
        "conversions_import_queries": import_queries,
        "conversions_progress_s": progress_s,
        "conversions_progress_queries": progress_queries,
        "conversions_timetable_s": timetable_s,
        "conversions_timetable_queries": timetable_queries,
    }
