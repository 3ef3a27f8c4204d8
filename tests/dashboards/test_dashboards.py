"""Managers' dashboards: figures checked exactly against cases built by hand."""

import re
from datetime import date, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards import selectors as sel
from ehc import timescales
from ehc.models import Deadline
from ehc.services import case_event_record, timescale_exception_record
from tests.conftest import london

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 2)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(london(2026, 11, 2, 12), tick=False):
        yield


@pytest.fixture
def issue_plan(make_case, caseworker):
    """A case received on `received`, with its final plan issued `weeks` weeks later."""

    def make(received: date, weeks: int, *, excuse=False, **kwargs):
        case = make_case(received_at=london(received.year, received.month, received.day), **kwargs)
        final = received + timedelta(weeks=weeks)
        steps = [
            ("decided_to_assess", received + timedelta(days=30)),
            ("decided_to_issue", final - timedelta(days=30)),
            ("draft_served", final - timedelta(days=20)),
            ("final_plan_issued", final),
        ]
        for kind, on in steps:
            case_event_record(case=case, kind=kind, occurred_on=on, acting_user=caseworker)
        if excuse:
            a13 = case.deadlines.get(kind="A13")
            timescale_exception_record(
                deadline=a13,
                code="EXCEPTIONAL_PERSONAL_CIRCUMSTANCES",
                starts_on=received + timedelta(days=40),
                ends_on=received + timedelta(days=80),
                evidence="Letter",
                reasoning="Bereavement",
                family_told_on=received + timedelta(days=45),
                acting_user=caseworker,
            )
        return case

    return make


def test_twenty_week_figures_with_and_without_exceptions(issue_plan, make_case, caseworker):
    issue_plan(date(2026, 1, 5), 18)  # on time
    issue_plan(date(2026, 1, 12), 20)  # on the last day: on time
    issue_plan(date(2026, 1, 19), 25)  # late
    issue_plan(date(2026, 1, 26), 30, excuse=True)  # late with an exception
    issue_plan(date(2025, 3, 3), 60)  # over a year, issued in 2026
    withdrawn = make_case(received_at=london(2026, 2, 2))
    case_event_record(
        case=withdrawn, kind="withdrawn", occurred_on=date(2026, 3, 1), acting_user=caseworker
    )

    t = sel.timeliness(kind="A13", start=date(2026, 1, 1), end=date(2026, 12, 31), label="2026")
    assert (t.issued, t.within) == (5, 2)
    assert (t.issued_ex, t.within_ex) == (4, 2)
    assert t.share_including_exceptions == 40.0
    assert t.share_excluding_exceptions == 50.0
    assert (t.over_20_weeks_within_year, t.over_year) == (2, 1)
    assert t.average_weeks == round((18 + 20 + 25 + 30 + 60) / 5, 1)
    issued = Deadline.objects.filter(kind="A13", met_on__year=2026)
    assert t.within == sum(timescales.issued_within_20_weeks(d.starts_on, d.met_on) for d in issued)


def test_monthly_trend_and_distribution(issue_plan):
    issue_plan(date(2026, 1, 5), 18)  # issued May
    issue_plan(date(2026, 1, 12), 25)  # issued July, late
    trend = {p.month: p for p in sel.monthly_trend(kind="A13", today=TODAY)}
    assert trend[date(2026, 5, 1)].issued == 1 and trend[date(2026, 5, 1)].share == 100.0
    assert trend[date(2026, 7, 1)].share == 0.0
    assert trend[date(2026, 6, 1)].share is None
    buckets = dict(
        sel.weeks_to_issue_distribution(kind="A13", start=date(2026, 1, 1), end=date(2026, 12, 31))
    )
    assert buckets["0-20 weeks"] == 1 and buckets["21-26 weeks"] == 1


def test_six_week_decision_figures(make_case, caseworker):
    on_time = make_case(received_at=london(2026, 3, 2))
    late = make_case(received_at=london(2026, 3, 9))
    case_event_record(
        case=on_time,
        kind="decided_to_assess",
        occurred_on=date(2026, 4, 13),
        acting_user=caseworker,
    )
    case_event_record(
        case=late,
        kind="decided_not_to_assess",
        occurred_on=date(2026, 4, 30),
        acting_user=caseworker,
    )
    t = sel.timeliness(kind="A2", start=date(2026, 1, 1), end=date(2026, 12, 31), label="2026")
    assert (t.issued, t.within, t.share_excluding_exceptions) == (2, 1, 50.0)


def test_deadlines_at_risk_bands(make_case):
    make_case(received_at=london(2026, 9, 14))  # A2 due 26 Oct: overdue
    make_case(received_at=london(2026, 9, 24))  # A2 due 5 Nov: this week
    make_case(received_at=london(2026, 10, 1))  # A2 due 12 Nov: two weeks
    make_case(received_at=london(2026, 10, 20))  # A2 due 1 Dec: on track
    rows = {r.kind: r for r in sel.deadlines_at_risk(filters=sel.DeadlineFilters(), today=TODAY)}
    assert rows["A2"].counts == {"overdue": 1, "this_week": 1, "two_weeks": 1, "on_track": 1}
    assert rows["A13"].counts["on_track"] == 4


def test_filters_narrow_by_team(make_case, other_team):
    make_case(received_at=london(2026, 9, 14))
    make_case(received_at=london(2026, 9, 14), team=other_team)
    rows = sel.deadlines_at_risk(filters=sel.DeadlineFilters(team_id=other_team.pk), today=TODAY)
    assert {r.kind: r.total for r in rows}["A2"] == 1


def test_workload_counts(make_case, caseworker, team):
    make_case(received_at=london(2026, 10, 1))
    load = sel.workload(today=TODAY)
    assert load.unassigned_cases == 1


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("name", ["at_risk", "timeliness", "workload", "deadlines"])
def test_each_page_runs_a_fixed_number_of_queries(name, client, manager, issue_plan, make_case):
    client.force_login(manager)
    url = reverse(f"dashboards:{name}")
    issue_plan(date(2026, 1, 5), 18)
    few = _queries(client, url)
    for week in range(1, 8):
        issue_plan(date(2026, 1, 5) + timedelta(weeks=week), 15 + week * 2)
        make_case(received_at=london(2026, 10, week))
    assert _queries(client, url) == few


def test_caseworkers_and_parents_cannot_see_dashboards(client, caseworker, parent_user):
    for user in (caseworker, parent_user):
        client.force_login(user)
        assert client.get(reverse("dashboards:at_risk")).status_code == 403


def test_every_table_downloads_as_csv(client, manager, issue_plan):
    issue_plan(date(2026, 1, 5), 18)
    client.force_login(manager)
    pages = {
        "at_risk": ["deadlines_at_risk"],
        "deadlines": ["deadlines"],
        "timeliness": [
            "timeliness_20_weeks",
            "timeliness_6_weeks",
            "monthly_trend",
            "weeks_to_issue",
        ],
        "workload": ["caseload", "advice_overdue", "exceptions_by_reason"],
    }
    for name, tables in pages.items():
        for table in tables:
            response = client.get(reverse(f"dashboards:{name}"), {"format": "csv", "table": table})
            assert response["Content-Type"].startswith("text/csv"), (name, table)
            assert len(response.content.decode().splitlines()) >= 1


def test_timeliness_csv_matches_the_figures(client, manager, issue_plan):
    issue_plan(date(2026, 1, 5), 18)
    issue_plan(date(2026, 1, 12), 25)
    client.force_login(manager)
    response = client.get(
        reverse("dashboards:timeliness"),
        {"format": "csv", "table": "timeliness_20_weeks", "year": "2026"},
    )
    line = response.content.decode().splitlines()[1].split(",")
    assert line[:4] == ["Calendar year 2026", "2", "1", "50.0"]


def test_bad_filter_values_are_ignored_not_errors(client, manager):
    client.force_login(manager)
    response = client.get(
        reverse("dashboards:at_risk"), {"team": "x", "due_from": "31/02/2026", "stage": "nonsense"}
    )
    assert response.status_code == 200


def test_reassign_from_the_drill_down_moves_the_case(client, manager, make_case, team, caseworker):
    team.members.add(manager)
    case = make_case(received_at=london(2026, 9, 14))
    client.force_login(manager)
    url = reverse("workflows:case_reassign", args=[case.pk]) + "?next=https://evil.example/"
    response = client.post(url, {"owner": caseworker.pk})
    assert response.status_code == 302 and "evil" not in response["Location"]
    case.refresh_from_db()
    assert case.assigned_caseworker == caseworker


def test_csv_cells_that_look_like_formulas_are_quoted():
    from ehc.csv_export import safe_cell

    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("-2 days") == "'-2 days"
    assert safe_cell(-2) == "-2"
    assert safe_cell(None) == ""


def test_a_blank_optional_date_is_no_date_and_a_wrong_one_is_an_error():
    from ehc.forms import GovDateField, GovForm

    class F(GovForm):
        on = GovDateField(label="Date", required=False)

    blank = F({"on_0": "", "on_1": "", "on_2": ""})
    assert blank.is_valid() and blank.cleaned_data["on"] is None
    wrong = F({"on_0": "31", "on_1": "2", "on_2": "2026"})
    assert not wrong.is_valid()


def test_the_drill_down_pages_keep_their_filters(client, manager, make_case):
    """51 overdue decisions: the drill-down shows 50, and its next-page link (the shared
    pagination) keeps the kind and band asked for."""
    for _ in range(51):
        make_case(received_at=london(2026, 9, 14))  # A2 due 26 Oct: overdue
    client.force_login(manager)
    first = client.get(reverse("dashboards:deadlines"), {"kind": "A2", "band": "overdue"})
    html = first.content.decode()
    assert html.count('class="govuk-table__row"') - 1 == 50  # less the header row
    next_link = re.search(
        r'<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next"', html
    )
    assert next_link, "no next-page link"
    query = parse_qs(urlsplit(unescape(next_link.group(1))).query)
    assert query == {"kind": ["A2"], "band": ["overdue"], "page": ["2"]}
    second = client.get(reverse("dashboards:deadlines"), query)
    assert second.content.decode().count('class="govuk-table__row"') - 1 == 1
