"""The ONS Postcode Directory import and distance ranking."""

import pytest
from django.core.management import CommandError, call_command

from local_offer.models import Postcode
from local_offer.postcodes import (
    bounding_box,
    haversine_m,
    is_uk_postcode,
    postcode_locate,
)
from local_offer.selectors import DirectoryFilters, Near, directory_page
from tests.local_offer.conftest import FIXTURES


@pytest.mark.parametrize("text", ["SW1A 1AA", "sw1a1aa", "M1 1AE", "B33 8TH", "CR2 6XH", "GIR 0AA"])
def test_uk_postcodes(text):
    assert is_uk_postcode(text)


@pytest.mark.parametrize("text", ["", "12345", "SW1A", "90210-1234", "ABC 123", "SW1A 1AA X"])
def test_not_uk_postcodes(text):
    assert not is_uk_postcode(text)


def test_import_command(db, capsys):
    call_command("import_postcodes", str(FIXTURES / "onspd_sample.csv"))
    assert "Imported 4 postcodes (1 without a grid reference skipped)" in capsys.readouterr().out
    assert Postcode.objects.get(postcode="DB11AA").display == "DB1 1AA"
    # Importing again changes nothing and duplicates nothing.
    call_command("import_postcodes", str(FIXTURES / "onspd_sample.csv"))
    assert Postcode.objects.count() == 4


def test_import_is_all_or_nothing_and_names_each_bad_line(db, capsys):
    with pytest.raises(CommandError, match="Nothing imported: 2 row"):
        call_command("import_postcodes", str(FIXTURES / "onspd_bad.csv"))
    err = capsys.readouterr().err
    assert "Line 3: 'NOT A POSTCODE' is not a UK postcode." in err
    assert "Line 4: DB1 2AB has no readable latitude and longitude." in err
    assert not Postcode.objects.exists()


def test_import_refuses_a_file_without_the_columns(db, tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("postcode,x,y\nDB1 1AA,1,2\n")
    with pytest.raises(CommandError):
        call_command("import_postcodes", str(other))
    assert not Postcode.objects.exists()


def test_locate_messages(postcodes):
    from django.core.exceptions import ValidationError

    assert postcode_locate("db1 1aa").latitude == pytest.approx(51.5)
    with pytest.raises(ValidationError, match="Enter a UK postcode"):
        postcode_locate("90210")
    with pytest.raises(ValidationError, match="could not find ZZ1 1ZZ"):
        postcode_locate("zz11zz")


def test_bounding_box_holds_the_circle():
    lat, lon = 51.5, -0.12
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, 5000)
    assert haversine_m(lat, lon, max_lat, lon) == pytest.approx(5000, rel=1e-3)
    assert haversine_m(lat, lon, lat, max_lon) == pytest.approx(5000, rel=1e-3)
    assert min_lat < lat < max_lat and min_lon < lon < max_lon


def test_directory_ranks_by_distance_in_sql(make_service, other_organisation):
    from local_offer.services import LocationDetails

    near = make_service(details_kw={"name": "Near club"})
    far = make_service(
        details_kw={"name": "Far club"},
        council_kw={"locations": (LocationDetails(name="East hall", postcode="DB2 3CD"),)},
    )
    point = postcode_locate("DB1 1AA")
    result = directory_page(
        DirectoryFilters(
            near=Near(latitude=point.latitude, longitude=point.longitude, metres=10_000)
        )
    )
    assert [s.name for s in result.services] == ["Near club", "Far club"]
    assert result.distances[near.pk] == pytest.approx(
        haversine_m(51.5, -0.12, 51.5045, -0.105), rel=1e-6
    )
    assert result.distances[far.pk] > result.distances[near.pk]
    within_2km = directory_page(
        DirectoryFilters(near=Near(latitude=point.latitude, longitude=point.longitude, metres=2000))
    )
    assert [s.name for s in within_2km.services] == ["Near club"]
