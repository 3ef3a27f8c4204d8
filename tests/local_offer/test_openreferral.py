"""The Open Referral UK 3.0 feed: every endpoint validated offline against the standard."""

import uuid
from datetime import time

import pytest
from jsonschema import ValidationError as SchemaError

from local_offer import vocabulary as v
from local_offer.models import Service, TaxonomyTerm
from local_offer.services import ScheduleDetails
from tests.local_offer.oruk_schema import nulls, validate


def get(client, url, **params):
    response = client.get(url, params)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"] == "application/json"
    return response


@pytest.fixture
def directory(make_service, other_organisation):
    club = make_service()
    therapy = make_service(
        org=other_organisation,
        details_kw={
            "name": "Speech therapy clinic",
            "description": "Private speech and language therapy.",
            "is_free": False,
            "fees_description": "£60 a session",
            "minimum_age": 2,
            "maximum_age": 18,
            "schedules": (
                ScheduleDetails(byday=("MO", "WE"), opens_at=time(9), closes_at=time(17)),
            ),
        },
        council_kw={"need_types": ("SLCN",), "schedule2_item": "health", "in_area": False},
    )
    return club, therapy


def test_root(client, db):
    body = get(client, "/openreferral/").json()
    validate("/", body)
    assert body["version"] == "3.0"


def test_services_list_validates_and_pages(client, directory):
    response = get(client, "/openreferral/services", per_page=1)
    body = response.json()
    validate("/services", body)
    assert body["total_items"] == 2 and body["total_pages"] == 2 and body["size"] == 1
    assert body["first_page"] and not body["last_page"] and not body["empty"]
    assert nulls(body) == []
    second = get(client, "/openreferral/services", per_page=1, page=2).json()
    assert second["last_page"] and second["page_number"] == 2
    assert {body["contents"][0]["id"], second["contents"][0]["id"]} == {
        str(s.id) for s in directory
    }


def test_services_filters(client, directory):
    club, therapy = directory
    asd = v.term_uuid(v.TAXONOMY_NEED_TYPES, "ASD")
    by_term = get(client, "/openreferral/services", taxonomy_term_id=str(asd)).json()
    assert [s["id"] for s in by_term["contents"]] == [str(club.id)]
    health = v.term_uuid(v.TAXONOMY_SCHEDULE_2, "health")
    by_sched = get(client, "/openreferral/services", taxonomy_term_id=str(health)).json()
    assert [s["id"] for s in by_sched["contents"]] == [str(therapy.id)]
    assert get(client, "/openreferral/services", search="speech").json()["total_items"] == 1
    assert get(client, "/openreferral/services", day="SA").json()["total_items"] == 1
    mornings = get(client, "/openreferral/services", day="MO", start_time="09:00", end_time="17:00")
    assert [s["id"] for s in mornings.json()["contents"]] == [str(therapy.id)]
    # The standard: minimum_age at least the value asked, maximum_age at most the value asked.
    within = get(client, "/openreferral/services", minimum_age=3, maximum_age=12).json()
    assert [s["id"] for s in within["contents"]] == [str(club.id)]
    empty = get(client, "/openreferral/services", search="nothingmatches").json()
    validate("/services", empty)
    assert empty["empty"] and empty["total_items"] == 0


def test_service_detail_is_fully_nested_and_valid(client, directory):
    club, therapy = directory
    for service in directory:
        body = get(client, f"/openreferral/services/{service.id}").json()
        validate("/services/{id}", body)
        assert nulls(body) == []
    body = get(client, f"/openreferral/services/{club.id}").json()
    assert body["schedules"][0]["byday"] == "SA"
    assert body["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "DB12AB"
    features = [
        a["description"] for a in body["service_at_locations"][0]["location"]["accessibility"]
    ]
    assert "Hearing loop" in features
    assert {a["taxonomy_term"]["name"] for a in body["attributes"]} >= {
        "Autistic spectrum disorder",
        "Leisure activities",
    }
    assert body["assured_date"] == "2026-11-30"
    paid = get(client, f"/openreferral/services/{therapy.id}").json()
    assert paid["cost_options"][0]["option"] == "£60 a session"


def test_service_detail_unknown_or_inactive_is_404(client, directory):
    assert get(client, f"/openreferral/services/{uuid.uuid4()}").status_code == 404
    assert get(client, "/openreferral/services/not-a-uuid").status_code == 404
    club, _ = directory
    Service.objects.filter(pk=club.pk).update(status=Service.Status.INACTIVE)
    assert get(client, f"/openreferral/services/{club.id}").status_code == 404


def test_taxonomies_and_terms_validate(client, db):
    body = get(client, "/openreferral/taxonomies").json()
    validate("/taxonomies", body)
    assert body["total_items"] == 3
    one = get(client, f"/openreferral/taxonomies/{body['contents'][0]['id']}").json()
    validate("/taxonomies/{id}", one)
    terms = get(client, "/openreferral/taxonomy_terms", per_page=100).json()
    validate("/taxonomy_terms", terms)
    assert terms["total_items"] == TaxonomyTerm.objects.count()
    term = get(client, f"/openreferral/taxonomy_terms/{terms['contents'][0]['id']}").json()
    validate("/taxonomy_terms/{id}", term)
    need = v.taxonomy_uuid(v.TAXONOMY_NEED_TYPES)
    needs = get(client, "/openreferral/taxonomy_terms", taxonomy_id=str(need), per_page=100).json()
    assert needs["total_items"] == len(v.NEED_TYPES)


def test_service_at_locations_by_postcode_and_proximity(client, directory):
    everything = get(client, "/openreferral/service_at_locations").json()
    validate("/service_at_locations", everything)
    assert everything["total_items"] == 2
    near = get(
        client, "/openreferral/service_at_locations", postcode="db1 1aa", proximity="2000"
    ).json()
    validate("/service_at_locations", near)
    assert near["total_items"] == 2  # both at DB1 2AB, about 1.1 km away
    too_close = get(
        client, "/openreferral/service_at_locations", postcode="DB1 1AA", proximity="500"
    ).json()
    assert too_close["total_items"] == 0
    far = get(client, "/openreferral/service_at_locations", postcode="DB9 9ZZ", proximity="1000")
    assert far.json()["total_items"] == 0
    one = near["contents"][0]
    detail = get(client, f"/openreferral/service_at_locations/{one['id']}").json()
    validate("/service_at_locations/{id}", detail)


@pytest.mark.parametrize(
    "params",
    [
        {"page": "x"},
        {"per_page": "0"},
        {"per_page": "100000"},
        {"taxonomy_term_id": "nope"},
        {"minimum_age": "old"},
        {"start_time": "25:99"},
        {"day": "XX"},
    ],
)
def test_bad_parameters_are_400_with_a_message(client, db, params):
    response = get(client, "/openreferral/services", **params)
    assert response.status_code == 400
    assert response.json()["error"]


@pytest.mark.parametrize(
    "params", [{"postcode": "NOT A POSTCODE"}, {"postcode": "ZZ1 1ZZ"}, {"proximity": "100"}]
)
def test_bad_postcodes_are_400(client, db, params):
    response = get(client, "/openreferral/service_at_locations", **params)
    assert response.status_code == 400
    assert response.json()["error"]


def test_the_validator_catches_a_broken_response(client, directory):
    """The contract test can fail: a service with a null or a bad status is refused."""
    body = get(client, f"/openreferral/services/{directory[0].id}").json()
    with pytest.raises(SchemaError):
        validate("/services/{id}", body | {"status": "open"})
    with pytest.raises(SchemaError):
        validate("/services/{id}", body | {"id": "123"})
    with pytest.raises(SchemaError):
        validate("/services", {"total_items": "many", "contents": []})
    assert nulls(body | {"email": None}) == ["$.email"]


def test_feed_needs_no_sign_in_and_is_read_only(client, directory):
    assert client.post("/openreferral/services").status_code == 405
