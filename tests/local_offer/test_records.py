"""Service records: ages, schedules, taxonomies, history and search text."""

from datetime import time

import pytest
from django.core.exceptions import ValidationError

from local_offer import services
from local_offer import vocabulary as v
from local_offer.models import Service, Synonym, Taxonomy, TaxonomyTerm
from local_offer.search_index import parse_query
from local_offer.services import ScheduleDetails
from tests.local_offer.conftest import TODAY, council, details


def test_taxonomies_are_seeded_with_fixed_ids(db):
    assert Taxonomy.objects.count() == 3
    asd = TaxonomyTerm.objects.get(code="ASD")
    assert asd.id == v.term_uuid(v.TAXONOMY_NEED_TYPES, "ASD")
    assert TaxonomyTerm.objects.filter(taxonomy__code=v.TAXONOMY_SCHEDULE_2).count() == len(
        v.SCHEDULE_2
    )


def test_service_create_keeps_everything(make_service):
    service = make_service()
    assert service.terms.count() == 2
    assert service.schedules.get().byday == "SA"
    location = service.at_locations.get().location
    assert location.postcode == "DB12AB"
    assert location.latitude == pytest.approx(51.5045)  # found from the imported postcode
    assert sorted(location.accessibility.values_list("feature", flat=True)) == [
        "hearing_loop",
        "step_free",
    ]
    assert "Autistic spectrum disorder" in service.search_text
    assert service.history.earliest().history_user.email == "officer@council.example"


@pytest.mark.parametrize(
    ("minimum", "maximum", "field", "message"),
    [
        (12, 5, "minimum_age", services.MIN_ABOVE_MAX),
        (0, 26, "maximum_age", services.AGE_OUT_OF_RANGE),
        (-1, 10, "minimum_age", services.AGE_OUT_OF_RANGE),
    ],
)
def test_ages_must_be_0_to_25_and_in_order(make_service, minimum, maximum, field, message):
    with pytest.raises(ValidationError) as error:
        make_service(details_kw={"minimum_age": minimum, "maximum_age": maximum})
    assert error.value.message_dict[field] == [message]
    assert not Service.objects.exists()


def test_schedule_must_close_after_it_opens(make_service):
    bad = (ScheduleDetails(byday=("MO",), opens_at=time(12), closes_at=time(9)),)
    with pytest.raises(ValidationError) as error:
        make_service(details_kw={"schedules": bad})
    assert error.value.message_dict["schedules"] == [services.CLOSES_BEFORE_OPENS]
    assert not Service.objects.exists()


def test_unknown_need_type_is_refused(make_service):
    with pytest.raises(ValidationError):
        make_service(council_kw={"need_types": ("XYZ",)})
    assert not Service.objects.exists()


def test_synonyms_join_phrases_into_groups(db):
    parsed = parse_query("speech and language therapy for my ASD son")
    flat = [set(group) for group in parsed.groups]
    assert ("salt",) in flat[0]
    assert ("autism",) in flat[1]
    assert ("son",) in flat[2]


def test_search_finds_synonyms_and_prefixes(make_service, other_organisation):
    club = make_service()
    salt = make_service(
        org=other_organisation,
        details_kw={
            "name": "Speech and language therapy drop-in",
            "description": "Advice on talking and understanding.",
            "eligibility": "Any child with speech worries.",
        },
        council_kw={"need_types": ("SLCN",), "schedule2_item": "health"},
    )
    from local_offer.selectors import DirectoryFilters, directory_page

    def names(q):
        return [s.name for s in directory_page(DirectoryFilters(q=q)).services]

    assert names("ASD") == [club.name]  # the record says "autistic"/"Autistic spectrum disorder"
    assert names("SALT") == [salt.name]
    assert names("therap") == [salt.name]  # prefix
    assert names("zebra") == []
    assert names('"; DROP TABLE x; --') == []  # punctuation never reaches SQL


def test_staff_synonym_edit_changes_search(make_service):
    make_service(details_kw={"name": "Holiday play scheme", "description": "Summer fun."})
    from local_offer.selectors import DirectoryFilters, directory_page

    assert directory_page(DirectoryFilters(q="jollies")).total == 0
    Synonym.objects.create(words="jollies, play scheme")
    assert directory_page(DirectoryFilters(q="jollies")).total == 1


def test_service_update_is_a_check_and_keeps_history(make_service, officer):
    service = make_service()
    services.service_update(
        service=service, details=details(name="Saturday club"), acting_user=officer, today=TODAY
    )
    service.refresh_from_db()
    assert service.name == "Saturday club"
    assert service.last_checked_by == officer
    assert service.history.count() >= 2
    assert service.history.first().history_user == officer


def test_council_details_schedule2_required(make_service):
    with pytest.raises(ValidationError):
        make_service(council_kw={"schedule2_item": "nonsense"})


def test_council_records_default(make_service):
    service = make_service(council_kw={"review_due_on": None})
    assert service.review_due_on == TODAY.replace(year=2027)
    assert council().schedule2_item == "leisure"
