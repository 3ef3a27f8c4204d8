"""One suite for the search service, run on whichever database the tests use (SQLite locally,
PostgreSQL in CI): the same queries must find the same cases on both backends."""

from datetime import date

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehc.models import Contact, Setting
from ehc.search import normalise, search
from ehc.search.cases import case_search
from ehc.services import ContactDetails
from tests.pages.walker import read_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(make_case, other_team):
    school = Setting.objects.create(
        name="Oakfield Primary School", kind=Setting.Kind.SCHOOL, phase=Setting.Phase.PRIMARY
    )
    amelia = make_case(
        first_name="Amelia",
        last_name="Okafor",
        date_of_birth=date(2016, 5, 17),
        contacts=[
            ContactDetails(
                full_name="Grace Okafor",
                relationship=Contact.Relationship.PARENT,
                email="grace@example.com",
            )
        ],
    )
    child = amelia.child
    child.upn = "A123456789012"
    child.current_setting = school
    child.save()
    Contact.objects.filter(child=child).update(address="4 Mill Lane, Leeds LS6 2AB")
    from ehc.search import search_index_update

    search_index_update(kind="case", ids=[amelia.pk])
    theo = make_case(first_name="Theo", last_name="Hughes", date_of_birth=date(2012, 1, 3))
    zara = make_case(
        first_name="Zara", last_name="Begum", date_of_birth=date(2010, 9, 30), team=other_team
    )
    return {"amelia": amelia, "theo": theo, "zara": zara}


def _found(query, **kwargs):
    return [hit.object_id for hit in search(kind="case", query=query, **kwargs)]


@pytest.mark.parametrize(
    "query",
    [
        "Amelia Okafor",
        "amelia",
        "Amelai Okafr",  # typos
        "Amel",  # partial
        "melia okaf",  # partial, inside words
        "17/05/2016",
        "2016-05-17",
        "Grace Okafor",  # parent
        "LS6 2AB",
        "ls62ab",
        "Oakfield",  # school
        "A123456789012",  # UPN
    ],
)
def test_finds_a_case_by_what_a_caller_remembers(cases, query):
    assert _found(query)[:1] == [cases["amelia"].pk]


def test_finds_by_reference(cases):
    assert _found(cases["theo"].reference)[:1] == [cases["theo"].pk]


def test_an_unrelated_query_finds_nothing(cases):
    assert _found("Wellington Boulevard") == []


def test_a_caseworker_finds_only_their_teams_cases(cases, caseworker, manager):
    assert [c.pk for c in case_search(user=caseworker, query="Zara Begum")] == []
    assert [c.pk for c in case_search(user=manager, query="Zara Begum")] == [cases["zara"].pk]


def test_results_carry_stage_caseworker_and_next_deadline_in_fixed_queries(
    cases, caseworker, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        (found,) = case_search(user=caseworker, query="Theo Hughes")
        assert found.child.first_name == "Theo" and found.team.name
        assert found.next_due_on is not None
        found.get_stage_display()


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=st.text(max_size=3000))
def test_any_query_is_safe(cases, query):
    hits = search(kind="case", query=query)
    assert len(hits) <= 50


@pytest.mark.parametrize(
    "query", ['"', "' OR 1=1 --", "NEAR(a b)", "a*", "\x00abc", "ﷺ" * 500, "1" * 10_000]
)
def test_hostile_queries_are_safe(cases, query):
    search(kind="case", query=query)


def test_normalise_folds_accents_and_punctuation():
    assert normalise("Zoë O'Brien-Smith") == "zoe o brien smith"


def test_the_search_box_is_on_staff_pages_and_opens_the_case(client, caseworker, cases):
    client.force_login(caseworker)
    page = read_page("/staff/", client.get("/staff/").content.decode())
    box = next(f for f in page.forms if "q" in f.names)
    assert box.method == "get"
    response = client.get(box.action, {"q": "amelai okafor"})
    assert response.status_code == 200
    found = read_page(box.action, response.content.decode())
    assert f"/staff/cases/{cases['amelia'].pk}/" in found.links


def test_a_short_query_asks_for_more(client, caseworker, cases):
    client.force_login(caseworker)
    response = client.get("/staff/search/", {"q": "ab"})
    assert "Type at least 3" in response.content.decode()


def test_runs_on_the_database_in_use():
    assert connection.vendor in ("sqlite", "postgresql")
