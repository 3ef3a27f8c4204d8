"""The dashboards' figures equal the hand-written SQL their benchmark floor runs, on seeded data:
so the floor is fair (the same figures), and the pages keep their figures whatever the indexes
or query shapes underneath."""

from datetime import date

import pytest

from dashboards import selectors as sel
from dashboards.bench import floor_results
from ehc import demo
from ehc.services.common import local_today

pytestmark = pytest.mark.django_db

BAND_CODES = {"o": "overdue", "w": "this_week", "t": "two_weeks", "k": "on_track"}


@pytest.fixture
def seeded(db):
    demo.seed_cases(120, seed=11)
    return local_today()


def test_every_dashboard_figure_equals_the_hand_written_sql(seeded):
    today = seeded
    results = floor_results(today)
    at_risk, a13, a2, trend, spread, cases, tasks, advice, exceptions = results
    # Each kind's row: the calendar year's six figures, then the last 12 months'.
    a13_year, a13_rolling = [a13[0][:6]], [a13[0][6:]]
    a2_year, a2_rolling = [a2[0][:6]], [a2[0][6:]]

    expected = {}
    for kind, band, n in at_risk:
        expected.setdefault(kind, {b: 0 for b, _ in sel.BANDS})[BAND_CODES[band]] = n
    got = {
        row.kind: row.counts
        for row in sel.deadlines_at_risk(filters=sel.DeadlineFilters(), today=today)
    }
    assert got == expected and got

    for kind, (year_row, rolling_row) in (
        ("A13", (a13_year, a13_rolling)),
        ("A2", (a2_year, a2_rolling)),
    ):
        year, rolling = sel.timeliness_periods(kind=kind, year=today.year, today=today)
        for figures, (row,) in ((year, year_row), (rolling, rolling_row)):
            issued, within, issued_ex, within_ex, over_year, average = row
            assert (figures.issued, figures.within, figures.issued_ex, figures.within_ex) == (
                issued,
                within or 0,
                issued_ex or 0,
                within_ex or 0,
            )
            assert figures.over_year == (over_year or 0)
            assert figures.average_weeks == (
                round(float(average) / 7, 1) if average is not None else None
            )

    by_month = {str(m)[:7]: (n, within) for m, n, within in trend}
    points = sel.monthly_trend(kind="A13", today=today)
    assert {f"{p.month:%Y-%m}": (p.issued, p.within_ex) for p in points if p.issued} == {
        m: (n, within or 0) for m, (n, within) in by_month.items()
    }

    within_20, over_year = spread[0]
    buckets = dict(
        sel.weeks_to_issue_distribution(
            kind="A13", start=date(today.year, 1, 1), end=date(today.year, 12, 31)
        )
    )
    assert buckets["0-20 weeks"] == (within_20 or 0)
    assert buckets["Over 52 weeks"] == (over_year or 0)

    load = sel.workload(today=today)
    assert {r["user"].pk: r["cases"] for r in load.per_caseworker if r["cases"]} == {
        user: n for user, n in cases if user is not None
    }
    assert {r["user"].pk: r["tasks"] for r in load.per_caseworker if r["tasks"]} == {
        user: n for user, n in tasks if user is not None
    }
    assert load.unassigned_tasks == dict(tasks).get(None, 0)
    assert load.unassigned_cases == dict(cases).get(None, 0)
    assert sorted(load.advice_overdue) == sorted(advice)
    assert sorted((code, n) for code, _, n in load.exceptions_by_reason) == sorted(exceptions)


def test_the_deadlines_without_a_case_figures_equal_their_hand_written_sql(db):
    from dashboards.bench import subject_clocks_seed, subject_floor_rows

    today = local_today()
    subject_clocks_seed(300, today)
    rows = sel.subject_deadlines_at_risk(today=today)
    by_hand: dict[str, dict[str, int]] = {}
    soonest: dict[str, date] = {}
    for kind, band, n, first in subject_floor_rows(today):
        by_hand.setdefault(kind, {b: 0 for b, _ in sel.BANDS})[band] = n
        first = date.fromisoformat(first) if isinstance(first, str) else first
        soonest[kind] = min(soonest.get(kind, first), first)
    assert {r.kind: r.counts for r in rows} == by_hand and set(by_hand) == {"LO2", "LO3"}
    assert {r.kind: r.next_due_on for r in rows} == soonest
    assert sum(r.total for r in rows) == 300
