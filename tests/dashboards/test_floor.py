"""The dashboards' figures equal the hand-written SQL their benchmark floor runs, on seeded data:
so the floor is fair (the same figures), and the pages keep their figures whatever the indexes
or query shapes underneath."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta

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


def _day(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _sums(days: list[tuple], start: date, end: date) -> list:
    """Column sums of the hand-written per-day rows met from `start` to `end`."""
    rows = [row[1:] for row in days if start <= _day(row[0]) <= end]
    return [sum(row[i] or 0 for row in rows) for i in range(8)]


def test_every_dashboard_figure_equals_the_hand_written_sql(seeded):
    today = seeded
    results = floor_results(today)
    at_risk, a13_days, a2_days, cases, tasks, advice, exceptions = results
    assert a13_days and a2_days

    expected = {}
    for kind, band, n in at_risk:
        expected.setdefault(kind, {b: 0 for b, _ in sel.BANDS})[BAND_CODES[band]] = n
    got = {
        row.kind: row.counts
        for row in sel.deadlines_at_risk(filters=sel.DeadlineFilters(), today=today)
    }
    assert got == expected and got

    year_dates = (date(today.year, 1, 1), date(today.year, 12, 31))
    rolling_dates = (today - relativedelta(years=1) + timedelta(days=1), today)
    for kind, days in (("A13", a13_days), ("A2", a2_days)):
        year, rolling = sel.timeliness_periods(kind=kind, year=today.year, today=today)
        for figures, dates in ((year, year_dates), (rolling, rolling_dates)):
            issued, within, issued_ex, within_ex, over_year, days_sum, counted, _ = _sums(
                days, *dates
            )
            assert (figures.issued, figures.within, figures.issued_ex, figures.within_ex) == (
                issued,
                within,
                issued_ex,
                within_ex,
            )
            assert figures.over_year == over_year
            assert figures.average_weeks == (round(days_sum / counted / 7, 1) if counted else None)

    by_month: dict[str, list[int]] = {}
    for row in a13_days:
        month = by_month.setdefault(f"{_day(row[0]):%Y-%m}", [0, 0])
        month[0] += row[1]
        month[1] += row[4] or 0
    first = today.replace(day=1) - relativedelta(months=11)
    points = sel.monthly_trend(kind="A13", today=today)
    assert {f"{p.month:%Y-%m}": [p.issued, p.within_ex] for p in points if p.issued} == {
        m: n for m, n in by_month.items() if f"{first:%Y-%m}" <= m <= f"{today:%Y-%m}"
    }

    spread = _sums(a13_days, *year_dates)
    buckets = dict(
        sel.weeks_to_issue_distribution(kind="A13", start=year_dates[0], end=year_dates[1])
    )
    assert buckets["0-20 weeks"] == spread[7]
    assert buckets["Over 52 weeks"] == spread[4]
    assert sum(buckets.values()) == spread[0]

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
