"""The GIAS establishments import: a good file, bad rows, a newer file, the encoding."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ehc.models import Setting
from ehc.register.gias import decode, gias_import
from ehc.search import search

pytestmark = pytest.mark.django_db
HERE = Path(__file__).parent
SAMPLE = HERE / "gias_sample.csv"
UPDATE = HERE / "gias_update.csv"
BAD = HERE / "gias_bad.csv"


def _import(path: Path) -> str:
    out = StringIO()
    call_command("import_gias", str(path), stdout=out)
    return out.getvalue()


def test_a_good_file_fills_the_register():
    assert "8 settings added, 0 updated, 0 unchanged" in _import(SAMPLE)

    oak = Setting.objects.get(urn="990001")
    assert oak.name == "Oakfield Primary School"
    assert (oak.kind, oak.phase, oak.status) == ("school", "primary", "open")
    assert oak.establishment_type == "Community school"
    assert oak.local_authority == "Barsetshire"
    assert oak.ukprn == "10079001"
    assert oak.address == "Oak Lane, Barchester, BA1 2CD"
    assert oak.source == Setting.Source.GIAS and oak.imported_at is not None
    assert not oak.needs_confirming
    by_urn = {s.urn: s for s in Setting.objects.all()}
    assert by_urn["990004"].phase == Setting.Phase.SPECIAL  # special school, phase "n/a"
    assert by_urn["990005"].kind == Setting.Kind.EARLY_YEARS
    assert by_urn["990006"].kind == Setting.Kind.POST16
    assert by_urn["990006"].phase == Setting.Phase.POST16
    assert by_urn["990007"].status == Setting.Status.CLOSED
    assert by_urn["990008"].status == Setting.Status.CLOSING
    assert by_urn["990008"].phase == Setting.Phase.MIDDLE
    assert oak.history.count() == 1


def test_windows_1252_names_are_read_as_written():
    _import(SAMPLE)
    assert Setting.objects.get(urn="990002").name == "St Thérèse’s Catholic Primary School"
    assert Setting.objects.get(urn="990006").name == "Barchester College – Sixth Form"


def test_the_same_file_saved_as_utf8_reads_the_same():
    text = SAMPLE.read_bytes().decode("cp1252")
    assert decode(text.encode("utf-8-sig")) == decode(SAMPLE.read_bytes()) == text
    report = gias_import(content=text.encode("utf-8"), acting_user=None)
    assert report.ok and report.created == 8
    assert Setting.objects.get(urn="990002").name == "St Thérèse’s Catholic Primary School"


def test_bad_rows_are_listed_by_line_and_nothing_is_imported():
    err = StringIO()
    with pytest.raises(CommandError, match=r"Nothing imported: 3 problem\(s\) in 3 line\(s\)"):
        call_command("import_gias", str(BAD), stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "line 3: EstablishmentName is blank",
        "line 4: URN must be 6 or 7 digits",
        "line 5: EstablishmentStatus (name) is not one GIAS uses",
    ]
    assert not Setting.objects.exists()


def test_a_repeated_urn_is_a_bad_row():
    text = SAMPLE.read_bytes().decode("cp1252")
    lines = text.split("\r\n")
    report = gias_import(
        content="\r\n".join([*lines[:3], lines[1]]).encode("cp1252"), acting_user=None
    )
    assert [str(e) for e in report.errors] == ["line 4: URN 990001 is also on line 2"]
    assert not Setting.objects.exists()


def test_a_file_that_is_not_from_gias_is_refused_whole():
    report = gias_import(content=b"name,town\nOak,Barchester\n", acting_user=None)
    assert [str(e) for e in report.errors] == [
        "This is not a GIAS establishments CSV file: it has no URN, EstablishmentName, "
        "EstablishmentStatus (name) column"
    ]
    assert gias_import(content=b"", acting_user=None).errors


def test_a_newer_file_updates_in_place_by_urn():
    _import(SAMPLE)
    oak = Setting.objects.get(urn="990001")
    assert "1 settings added, 2 updated, 6 unchanged" in _import(UPDATE)

    oak.refresh_from_db()
    assert oak.name == "Oakfield Primary Academy"
    assert oak.establishment_type == "Academy converter"
    assert Setting.objects.get(urn="990008").status == Setting.Status.CLOSED
    assert Setting.objects.filter(urn="990009").exists()
    assert Setting.objects.count() == 9
    assert oak.history.count() == 2  # what it was is kept
    assert oak.history.earliest().name == "Oakfield Primary School"
    # and once more: nothing changes
    assert "0 settings added, 0 updated, 9 unchanged" in _import(UPDATE)


def test_a_caseworker_added_setting_with_the_same_urn_becomes_the_gias_entry(caseworker):
    added = Setting.objects.create(
        name="Oakfield school",
        kind="school",
        urn="990001",
        source=Setting.Source.CASEWORKER,
        needs_confirming=True,
        added_by=caseworker,
    )
    _import(SAMPLE)
    added.refresh_from_db()
    assert added.name == "Oakfield Primary School"
    assert added.source == Setting.Source.GIAS
    assert not added.needs_confirming
    assert Setting.objects.filter(urn="990001").count() == 1


def test_imported_settings_are_found_by_name_postcode_and_urn():
    _import(SAMPLE)
    oak = Setting.objects.get(urn="990001")
    for query in ("oakfeild primary", "BA1 2CD", "ba12cd", "990001"):
        hits = search(kind="setting", query=query)
        assert hits and hits[0].object_id == oak.pk, query
    _import(UPDATE)
    assert search(kind="setting", query="oakfield primary academy")[0].object_id == oak.pk
