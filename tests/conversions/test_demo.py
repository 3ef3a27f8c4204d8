"""Demo legacy caseload: made by seed_demo (a BATCH hook) or seed_conversions, imported through
the CSV service, and a timetable that meets every deadline where capacity allows."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from conversions import demo, selectors
from conversions import timetable as tt
from conversions.models import LegacyImport, LegacyInstrument, TransferReview
from ehc import demo as ehc_demo
from tests.conftest import london

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(london(2026, 11, 2, 12), tick=False):
        yield


def test_seed_demo_also_makes_the_legacy_caseload_once():
    ehc_demo.seed_cases(20, seed=3)
    assert LegacyInstrument.objects.count() == demo.DEMO_RECORDS
    assert LegacyImport.objects.count() == 1
    ehc_demo.seed_cases(5, seed=4)  # again: no second legacy caseload
    assert LegacyInstrument.objects.count() == demo.DEMO_RECORDS


def test_demo_caseload_is_varied_and_has_history():
    report = demo.seed_legacy_records(300)
    assert report.ok and report.created == 300
    kinds = set(LegacyInstrument.objects.values_list("instrument_type", flat=True))
    assert kinds == {"statement", "lda", "non_statutory"}
    cohorts = {i.cohort.code for i in LegacyInstrument.objects.all()}
    assert {"POST16_2015", "PHASE_2016", "POST16_2016", "YEAR9_2016", "LDA", "REMAINING"} <= cohorts
    reviews = TransferReview.objects.all()
    assert (
        reviews.filter(outcome="plan_issued").exists()
        and reviews.filter(outcome="no_plan").exists()
    )
    assert LegacyInstrument.objects.filter(
        transfer_review__isnull=True, ceased_on__isnull=True, instrument_type="statement"
    ).exists()


def test_demo_timetable_meets_every_deadline_with_enough_capacity():
    demo.seed_legacy_records(300)
    plan = selectors.timetable_as_of(as_of=date(2014, 9, 1), capacity=tt.Capacity(2, 3))
    assert len(plan.slots) > 250 and not plan.unmeetable
    squeezed = selectors.timetable_as_of(as_of=date(2014, 9, 1), capacity=tt.Capacity(1, 1))
    assert squeezed.unmeetable  # one caseworker cannot do it
    assert len(squeezed.on_time) + len(squeezed.unmeetable) == len(squeezed.slots)


def test_demo_progress_as_of_the_transition_milestones():
    demo.seed_legacy_records(300)
    start = {r.cohort_code: r for r in selectors.progress_by_cohort(as_of=date(2014, 9, 1))}
    assert sum(r.converted for r in start.values()) == 0
    end = selectors.progress_by_cohort(as_of=date(2018, 4, 1))
    assert sum(r.converted for r in end) > 200
    assert any(r.at_risk for r in end)  # the never-started ones


def test_seed_conversions_command_is_idempotent_and_can_write_the_csv(tmp_path, settings):
    settings.DEBUG = True
    out = StringIO()
    path = tmp_path / "demo.csv"
    call_command("seed_conversions", "--records", "40", "--csv", str(path), stdout=out)
    assert "40 legacy records imported" in out.getvalue()
    call_command("seed_conversions", "--records", "40", stdout=out)
    assert "0 legacy records imported, 40 already there" in out.getvalue()
    assert LegacyInstrument.objects.count() == 40
    assert path.read_text().startswith("reference,instrument_type,")
