"""The staff case list: filters, sorting, pages, CSV, team scoping and a fixed query count."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from ehc.models import Case, CaseEvent, Deadline
from ehc.services import case_assign
from ehc.services.assessment import case_close
from tests.pages.walker import fill, read_page

pytestmark = pytest.mark.django_db

URL = "/staff/cases/"


@pytest.fixture
def cases(make_case, other_team, caseworker, other_caseworker):
    today = timezone.localdate()
    amelia = make_case(first_name="Amelia", last_name="Okafor", received_on=today - timedelta(1))
    theo = make_case(first_name="Theo", last_name="Hughes", received_on=today - timedelta(30))
    case_assign(case=theo, caseworker=caseworker, acting_user=caseworker)
    zara = make_case(
        first_name="Zara",
        last_name="Begum",
        team=other_team,
        received_on=today - timedelta(3),
        acting_user=other_caseworker,
    )
    gone = make_case(first_name="Ivy", last_name="Adams", received_on=today - timedelta(5))
    case_close(
        case=gone,
        kind=CaseEvent.Kind.WITHDRAWN,
        closed_on=today,
        reason="The family withdrew the request.",
        acting_user=caseworker,
    )
    return {"amelia": amelia, "theo": theo, "zara": zara, "gone": gone}


def _names(response) -> list[str]:
    return [case.child.first_name for case in response.context["rows"]]


def test_caseworker_sees_their_teams_open_cases_with_stage_caseworker_and_next_date(
    client, caseworker, cases
):
    client.force_login(caseworker)
    response = client.get(URL)
    assert response.status_code == 200
    assert sorted(_names(response)) == ["Amelia", "Theo"]  # not Zara (other team), not Ivy
    body = response.content.decode()
    theo = cases["theo"]
    first_due = Deadline.objects.filter(case=theo, is_open=True).order_by("due_on").first()
    assert f"{first_due.due_on:%-d %b %Y}" in body
    assert "Casey Worker" in body and "Not assigned" in body
    assert theo.get_stage_display() in body


def test_the_case_list_is_in_the_staff_navigation(client, caseworker, cases):
    client.force_login(caseworker)
    page = read_page("/staff/", client.get("/staff/").content.decode())
    assert URL in page.links


def test_manager_sees_every_team_and_filters_by_team(client, manager, cases, other_team):
    client.force_login(manager)
    assert sorted(_names(client.get(URL))) == ["Amelia", "Theo", "Zara"]
    assert _names(client.get(URL, {"team": other_team.pk})) == ["Zara"]


def test_filters_by_caseworker_stage_route_and_closed(client, caseworker, cases):
    client.force_login(caseworker)
    assert _names(client.get(URL, {"caseworker": caseworker.pk})) == ["Theo"]
    assert sorted(_names(client.get(URL, {"caseworker": "none"}))) == ["Amelia"]
    assert _names(client.get(URL, {"status": "closed"})) == ["Ivy"]
    assert sorted(_names(client.get(URL, {"status": "any"}))) == ["Amelia", "Ivy", "Theo"]
    stage = cases["amelia"].stage
    assert "Amelia" in _names(client.get(URL, {"stage": stage}))
    assert _names(client.get(URL, {"stage": Case.Stage.DRAFTING})) == []
    assert _names(client.get(URL, {"route": Case.Route.TRANSFER_REVIEW})) == []
    assert sorted(_names(client.get(URL, {"route": Case.Route.REQUEST}))) == ["Amelia", "Theo"]


def test_overdue_filter_keeps_cases_past_an_open_statutory_date(client, caseworker, cases):
    client.force_login(caseworker)
    assert _names(client.get(URL, {"overdue": "on"})) == []
    Deadline.objects.filter(case=cases["theo"], is_open=True, is_guidance=False).update(
        due_on=timezone.localdate() - timedelta(days=2)
    )
    response = client.get(URL, {"overdue": "on"})
    assert _names(response) == ["Theo"]
    assert "Overdue" in response.content.decode()
    # Excused by an exception: no longer overdue.
    Deadline.objects.filter(case=cases["theo"]).update(status=Deadline.Status.DISAPPLIED)
    assert _names(client.get(URL, {"overdue": "on"})) == []


def test_sorts(client, caseworker, cases):
    client.force_login(caseworker)
    assert _names(client.get(URL, {"sort": "received"})) == ["Amelia", "Theo"]
    assert _names(client.get(URL, {"sort": "received_oldest"})) == ["Theo", "Amelia"]
    assert _names(client.get(URL, {"sort": "name"})) == ["Theo", "Amelia"]  # Hughes, Okafor
    # Soonest statutory date first: Theo's request is a month older.
    assert _names(client.get(URL)) == ["Theo", "Amelia"]


def test_the_filter_form_as_shown_narrows_the_list(client, caseworker, cases):
    """Every option the page offers is accepted; then a person leaves the other filters as
    they are and picks a caseworker."""
    client.force_login(caseworker)
    page = read_page(URL, client.get(URL).content.decode())
    form = next(f for f in page.forms if "caseworker" in f.names)
    assert form.method == "get"
    response = client.get(URL, fill(form))
    assert "govuk-error-summary" not in response.content.decode()
    as_shown = {
        c.name: next((v for v, selected in c.options if selected), c.options[0][0])
        for c in form.controls
        if c.tag == "select"
    }
    offered = next(c for c in form.controls if c.name == "caseworker").options
    assert str(caseworker.pk) in [value for value, _ in offered]
    response = client.get(URL, {**as_shown, "caseworker": str(caseworker.pk)})
    assert _names(response) == ["Theo"]


@pytest.mark.parametrize(
    "query",
    [
        {"team": "99999999999999999999999"},
        {"caseworker": "9" * 40},
        {"stage": "assessing\x00x"},  # the NUL is dropped; "assessingx" is still no stage
        {"route": "ضعيف" * 200},
        {"sort": "-pk; DROP TABLE ehc_case"},
        {"page": "99999999999999999999"},
        {"status": "\u202eclosed"},
    ],
)
def test_bad_filter_values_are_reported_and_left_off(client, caseworker, cases, query):
    client.force_login(caseworker)
    response = client.get(URL, query)
    assert response.status_code == 200
    if "page" not in query:
        assert "govuk-error-summary" in response.content.decode()
    assert sorted(_names(response)) == ["Amelia", "Theo"]


def test_other_teams_ids_are_not_offered_or_obeyed(client, caseworker, cases, other_team):
    client.force_login(caseworker)
    response = client.get(URL, {"team": other_team.pk})
    assert "govuk-error-summary" in response.content.decode()
    assert "Zara" not in _names(response)


def test_pages_of_fifty_with_govuk_pagination(client, caseworker, make_case, monkeypatch):
    from ehc import case_list

    monkeypatch.setattr(case_list, "PAGE_SIZE", 2)
    for n in range(5):
        make_case(first_name=f"Child{n}", last_name="Page")
    client.force_login(caseworker)
    first = client.get(URL, {"sort": "name"})
    body = first.content.decode()
    assert 'aria-current="page">1</a>' in body
    assert "?sort=name&amp;page=2" in body  # the filters are kept from page to page
    third = client.get(URL, {"sort": "name", "page": 3})
    assert len(third.context["rows"]) == 1


def test_csv_has_the_filtered_list(client, caseworker, cases):
    client.force_login(caseworker)
    response = client.get(URL, {"caseworker": "none", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Reference"
    assert [row[1] for row in rows[1:]] == ["Amelia Okafor"]
    amelia = cases["amelia"]
    due = Deadline.objects.filter(case=amelia, is_open=True, is_guidance=False).order_by("due_on")
    assert rows[1][-1] == due.first().due_on.isoformat()
    # The page links to the download of what it shows.
    page = client.get(URL, {"caseworker": "none"}).content.decode()
    assert "?caseworker=none&amp;format=csv" in page


def test_csv_quotes_cells_a_spreadsheet_would_run(client, caseworker, make_case):
    make_case(first_name="=HYPERLINK(1)", last_name="X")
    client.force_login(caseworker)
    response = client.get(URL, {"format": "csv"})
    assert "'=HYPERLINK(1) X" in response.content.decode()


@pytest.mark.parametrize("sort", ["due", "received", "name"])
def test_a_fixed_number_of_queries_whatever_the_number_of_cases(
    client, manager, make_case, django_assert_max_num_queries, sort
):
    client.force_login(manager)
    for n in range(3):
        make_case(first_name=f"A{n}", last_name="Few", date_of_birth=date(2015, 1, 1))
    with django_assert_max_num_queries(12) as few:
        client.get(URL, {"sort": sort})
    for n in range(30):
        make_case(first_name=f"B{n}", last_name="Many", date_of_birth=date(2015, 1, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL, {"sort": sort})
    assert len(response.context["rows"]) == 33


def test_families_cannot_open_the_case_list(client, parent_user):
    client.force_login(parent_user)
    assert client.get(URL).status_code == 403
