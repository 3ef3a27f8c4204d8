"""The register's pages, as the people who use them: each page is fetched as its role, filled
with only what it renders, sent, and its effect (or its refusal, changing nothing) checked."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from ehc.models import CaseEvent, Child, Contact, Setting
from ehc.register.selectors import setting_label
from ehc.services import ContactDetails
from tests.pages.walker import fill, fingerprint, read_page

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).parent / "gias_sample.csv"


@pytest.fixture
def register(db):
    call_command("import_gias", str(SAMPLE), stdout=StringIO())


def _form(client, url: str, must_have: str):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    page = read_page(url, response.content.decode())
    form = next(f for f in page.forms if f.method == "post" and must_have in f.names)
    return page, form


def _errors(response) -> str:
    body = response.content.decode()
    assert "govuk-error-summary" in body
    start = body.index("govuk-error-summary")
    return body[start : body.index("</ul>", start)]


# -- adding a setting that is not in the register ----------------------------------------------


def test_a_caseworker_adds_a_missing_setting_and_it_waits_for_a_manager(client, caseworker):
    client.force_login(caseworker)
    page, form = _form(client, "/staff/settings/add/?next=/staff/", "name")
    assert {"name", "kind", "phase", "town", "postcode", "urn"} <= form.names
    data = fill(form)
    data.update(name="Riverside Tuition Centre", postcode="ba1 9rt", urn="")
    response = client.post("/staff/settings/add/", data)
    assert response.status_code == 302 and response["Location"] == "/staff/"
    added = Setting.objects.get(name="Riverside Tuition Centre")
    assert added.needs_confirming and added.added_by == caseworker
    assert added.source == Setting.Source.CASEWORKER and added.postcode == "BA1 9RT"
    # at once findable by the search box
    found = client.get("/staff/settings/?format=json&q=riverside tuition").json()["results"]
    assert found[0]["label"] == setting_label(added)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"name": ""}, "Enter the name of the setting"),
        ({"postcode": "NOT PC1"}, "Enter a real postcode"),
        ({"urn": "12ab"}, "A URN is 6 or 7 digits"),
        ({"urn": "990001"}, "URN 990001 is already in the register: Oakfield Primary School"),
        (
            {"name": "oakfield primary school", "postcode": "BA1 2CD"},
            "Oakfield Primary School at BA1 2CD is already in the register",
        ),
    ],
)
def test_adding_a_setting_refuses_bad_input_and_saves_nothing(
    client, caseworker, register, values, message
):
    client.force_login(caseworker)
    page, form = _form(client, "/staff/settings/add/", "name")
    data = {**fill(form), "name": "New Setting", "postcode": "", "urn": "", **values}
    before = fingerprint()
    response = client.post("/staff/settings/add/", data)
    assert response.status_code == 200
    assert message in _errors(response).replace("&#x27;", "'")
    assert fingerprint() == before


def test_the_next_address_must_be_this_site(client, caseworker):
    client.force_login(caseworker)
    page, form = _form(client, "/staff/settings/add/?next=https://evil.example/", "name")
    data = {**fill(form), "name": "Hill Farm Nursery", "postcode": "", "urn": ""}
    response = client.post("/staff/settings/add/", {**data, "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/settings/")


# -- searching the register ----------------------------------------------------------------------


def test_the_register_page_searches_by_misspelt_name_postcode_and_urn(client, caseworker, register):
    client.force_login(caseworker)
    response = client.get("/staff/settings/")
    page = read_page("/staff/settings/", response.content.decode())
    search = next(f for f in page.forms if f.action == "/staff/settings/" and "q" in f.names)
    for query in ("barchestre academy", "BA3 4GH", "990003"):
        body = client.get(search.action, {"q": query}).content.decode()
        assert "Barchester Academy" in body, query
    assert (
        "No setting in the register matches"
        in client.get("/staff/settings/", {"q": "zzzzqqqq"}).content.decode()
    )
    # what the search box's script asks for: labels ending with the URN
    found = client.get("/staff/settings/", {"format": "json", "q": "willow"}).json()
    assert found["results"][0]["label"] == "Willow Bank School, Plumstead (URN 990004)"
    assert "Community special school" in found["results"][0]["hint"]
    assert client.get("/staff/settings/", {"format": "json", "q": "x" * 5000}).status_code == 200


def test_the_register_is_for_staff_only(client, parent_user, register):
    client.force_login(parent_user)
    assert client.get("/staff/settings/?format=json&q=oak").status_code == 403
    assert client.get("/staff/settings/add/").status_code == 403


# -- managers confirm or merge --------------------------------------------------------------------


@pytest.fixture
def flagged(caseworker) -> Setting:
    from ehc.register.services import SettingDetails, setting_add

    return setting_add(
        details=SettingDetails(name="Oakfeld Primary", kind="school", town="Barchester"),
        acting_user=caseworker,
    )


def test_a_manager_confirms_a_caseworkers_setting(client, manager, register, flagged):
    client.force_login(manager)
    listing = client.get("/staff/settings/").content.decode()
    assert "Oakfeld Primary" in listing and "waiting for a manager" in listing
    detail = client.get(f"/staff/settings/{flagged.pk}/").content.decode()
    assert f"/staff/settings/{flagged.pk}/confirm/" in detail
    url = f"/staff/settings/{flagged.pk}/confirm/"
    page, form = _form(client, url, "decision")
    data = fill(form)  # the first answer: confirm it as a setting of its own
    assert data["decision"] == "confirm"
    assert client.post(url, data).status_code == 302
    flagged.refresh_from_db()
    assert not flagged.needs_confirming and flagged.confirmed_by == manager


def test_a_manager_merges_a_duplicate_and_what_named_it_moves_over(
    client, manager, caseworker, make_case, register, flagged
):
    case = make_case()
    Child.objects.filter(pk=case.child_id).update(current_setting=flagged)
    case.requested_setting = flagged
    case.save()
    client.force_login(manager)
    url = f"/staff/settings/{flagged.pk}/confirm/"
    page, form = _form(client, url, "decision")
    oak = Setting.objects.get(urn="990001")
    into = next(c for c in form.controls if c.name == "into")
    assert into.value == setting_label(oak)  # the likeliest entry is offered
    data = {**fill(form), "decision": "merge"}
    assert client.post(url, data).status_code == 302
    assert not Setting.objects.filter(pk=flagged.pk).exists()
    case.refresh_from_db()
    case.child.refresh_from_db()
    assert case.requested_setting == oak and case.child.current_setting == oak


def test_merging_without_a_target_is_refused(client, manager, register, flagged):
    client.force_login(manager)
    url = f"/staff/settings/{flagged.pk}/confirm/"
    page, form = _form(client, url, "decision")
    before = fingerprint()
    response = client.post(url, {**fill(form), "decision": "merge", "into": "no such place"})
    assert "No setting in the register matches" in _errors(response)
    response = client.post(url, {**fill(form), "decision": "merge", "into": setting_label(flagged)})
    assert "Choose a different setting" in _errors(response)
    assert fingerprint() == before


def test_caseworkers_cannot_confirm(client, caseworker, flagged):
    client.force_login(caseworker)
    assert client.get(f"/staff/settings/{flagged.pk}/confirm/").status_code == 403


# -- the school the family named -----------------------------------------------------------------


def _named(case, name: str, urn: str = "") -> None:
    """As the public request form stores what the family typed."""
    event = case.events.get(kind=CaseEvent.Kind.REQUEST_RECEIVED)
    event.details = {**(event.details or {}), "current_setting": {"name": name, "urn": urn}}
    event.save()


def test_the_case_page_suggests_the_school_and_the_caseworker_confirms_it(
    client, caseworker, make_case, register
):
    case = make_case(
        contacts=[
            ContactDetails(
                full_name="Pat Okafor",
                relationship=Contact.Relationship.PARENT,
                address="4 Mill Lane, Barchester BA1 3XY",
            )
        ]
    )
    _named(case, "oakfield primary")
    client.force_login(caseworker)
    url = f"/staff/cases/{case.pk}/"
    body = client.get(url).content.decode()
    assert "School the family named" in body and "None recorded" in body
    page = read_page(url, body)
    form = next(f for f in page.forms if "choice" in f.names)
    oak = Setting.objects.get(urn="990001")
    first = next(c for c in form.controls if c.name == "choice")
    assert first.value == str(oak.pk)  # same name, same postcode district: first
    response = client.post(form.action, fill(form))
    assert response.status_code == 302
    case.child.refresh_from_db()
    assert case.child.current_setting == oak
    body = client.get(url).content.decode()
    assert "School the family named" not in body and "None recorded" not in body
    assert "Oakfield Primary School" in body


def test_another_setting_is_found_by_search_without_javascript(
    client, caseworker, make_case, register
):
    case = make_case()
    _named(case, "St Theresa")
    client.force_login(caseworker)
    url = f"/staff/cases/{case.pk}/current-setting/"
    page, form = _form(client, url, "other")
    before = fingerprint()
    # "barchester" names an academy, a college and a nursery: the page asks which
    response = client.post(url, {**fill(form), "choice": "another", "other": "barchester"})
    assert "More than one setting matches" in _errors(response)
    assert fingerprint() == before
    page = read_page(url, response.content.decode())
    form = next(f for f in page.forms if "other_pick" in f.names)
    picks = [c.value for c in form.controls if c.name == "other_pick"]
    college = Setting.objects.get(urn="990006")
    assert str(college.pk) in picks
    data = {**fill(form), "choice": "another", "other_pick": str(college.pk)}
    assert client.post(url, data).status_code == 302
    case.child.refresh_from_db()
    assert case.child.current_setting == college


def test_a_urn_typed_in_the_box_is_that_setting(client, caseworker, make_case, register):
    case = make_case()
    client.force_login(caseworker)
    url = f"/staff/cases/{case.pk}/current-setting/"
    page, form = _form(client, url, "other")
    assert "choice" not in form.names  # nothing named, nothing to suggest
    assert client.post(url, {**fill(form), "other": "990004"}).status_code == 302
    case.child.refresh_from_db()
    assert case.child.current_setting.urn == "990004"


@pytest.mark.parametrize("typed", ["\x00", "oak\x00field", "990004\x00"])
def test_a_nul_typed_in_the_box_is_refused_or_ignored_never_an_error(
    client, caseworker, make_case, register, typed
):
    """PostgreSQL refuses NUL in any text; the register's box must never pass one on."""
    case = make_case()
    client.force_login(caseworker)
    url = f"/staff/cases/{case.pk}/current-setting/"
    page, form = _form(client, url, "other")
    response = client.post(url, {**fill(form), "other": typed})
    assert response.status_code in (200, 302)
