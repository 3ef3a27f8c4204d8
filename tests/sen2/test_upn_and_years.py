"""The UPN check letter and the year definitions (data files, not code)."""

from datetime import date

import pytest

from sen2.collection import CollectionNotConfigured, available_years, collection_for
from sen2.upn import check_letter, upn_problem, with_check_letter


def test_check_letter_matches_the_dfe_worked_example():
    # The DfE's guidance uses H801200001001 as a valid UPN.
    assert check_letter("801200001001") == "H"
    assert upn_problem("H801200001001") is None


def test_a_wrong_check_letter_is_reported_with_the_right_one():
    assert upn_problem("A801200001001") == "has check letter A, but its digits give H"


def test_a_temporary_upn_ending_in_a_letter_has_a_check_letter_too():
    upn = with_check_letter("80120000100A")
    assert upn_problem(upn) is None
    assert upn_problem(upn[:-1] + "I") is not None  # I is not in the UPN alphabet


@pytest.mark.parametrize(
    "bad", ["", "H80120000100", "h801200001001", "H8012000010011", "H80120000X001"]
)
def test_a_upn_of_the_wrong_shape_is_reported(bad):
    assert upn_problem(bad) == "is not a letter, 11 digits, then a digit or letter"


def test_each_year_is_a_data_file_with_its_dates_and_code_lists():
    assert {2026, 2027} <= set(available_years())
    y2026, y2027 = collection_for(2026), collection_for(2027)
    assert y2026.census_date == date(2026, 1, 15) and y2026.deadline == date(2026, 3, 12)
    assert y2027.census_date == date(2027, 1, 21) and y2027.deadline == date(2027, 3, 11)
    assert (y2027.period_start, y2027.period_end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert list(y2027.codes["CeaseReason"]) == [str(n) for n in range(1, 10)]
    assert set(y2027.codes["SENsetting"]) == {
        "OLA",
        "OPA",
        "EHE",
        "EYP",
        "OTH",
        "NEET",
        "NIEC",
        "NIEO",
    }
    assert "DS" in y2027.codes["SENtype"] and len(y2027.codes["SENtype"]) == 13
    for name in ("Sex", "Ethnicity", "UPNunknown", "RequestSource"):
        assert y2027.codes[name]
    assert y2027.modules["SENneed"] == ["SENtype", "SENtypeRank"]


def test_a_year_with_no_file_or_no_census_date_is_a_clear_error(tmp_path, settings):
    settings.SEN2_YEARS_DIR = tmp_path
    with pytest.raises(CollectionNotConfigured, match="no sen2/years/2031"):
        collection_for(2031)
    (tmp_path / "2031").mkdir()
    (tmp_path / "2031" / "collection.toml").write_text("year = 2031\n")
    collection = collection_for(2031)
    assert collection.problems == ["The SEN2 collection 2031 has no census date configured."]
    with pytest.raises(CollectionNotConfigured, match="no census date"):
        collection.require_census()
    (tmp_path / "2031" / "collection.toml").write_text("census_date = not-a-date\n")
    with pytest.raises(CollectionNotConfigured, match="cannot be read"):
        collection_for(2031)
