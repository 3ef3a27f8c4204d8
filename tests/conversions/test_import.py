"""Importing legacy instruments: every row checked, all or nothing, line numbers, idempotent."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from conversions.models import LegacyImport, LegacyInstrument, TransferReview
from conversions.services import legacy_import_csv
from ehc.models import Child, Setting
from tests.conversions.conftest import csv_bytes, row

pytestmark = pytest.mark.django_db


def errors_by_line(report):
    found = {}
    for error in report.errors:
        found.setdefault(error.line, []).append((error.column, error.message))
    return found


def test_a_good_file_imports_every_row_with_history(import_rows, manager):
    setting = Setting.objects.create(name="Hill School", kind="school", urn="123456")
    report = import_rows(
        [
            row(
                reference="ST-1",
                setting="123456",
                expected_transfer_on="2016-09-05",
                expected_transfer_type="primary_to_secondary",
                year_group="5",
            ),
            row(
                reference="LDA-1",
                instrument_type="lda",
                date_of_birth="15/01/1997",
                made_on="01/09/2013",
                year_group="",
                year_group_year="",
            ),
        ]
    )
    assert report.ok, report.errors
    assert (report.rows, report.created, report.unchanged) == (2, 2, 0)
    st = LegacyInstrument.objects.get(reference="ST-1")
    assert st.instrument_type == "statement" and st.current_setting == setting
    assert st.cohort.code == "PHASE_2016"
    assert (st.year_group, st.year_group_academic_year) == (5, 2014)
    lda = LegacyInstrument.objects.get(reference="LDA-1")
    assert lda.child.date_of_birth == date(1997, 1, 15) and lda.made_on == date(2013, 9, 1)
    assert st.history.get().history_user == manager
    assert Child.objects.count() == 2
    batch = LegacyImport.objects.get()
    assert (batch.rows, batch.created, batch.imported_by) == (2, 2, manager)


def test_one_bad_row_means_nothing_is_imported_and_every_bad_row_is_listed(import_rows):
    report = import_rows(
        [
            row(reference="OK-1"),
            row(reference="BAD-1", date_of_birth=""),
            row(reference="OK-2"),
            row(reference="BAD-2", instrument_type="SEN statement", made_on="2010-02-30"),
        ]
    )
    assert not report.ok
    found = errors_by_line(report)
    assert set(found) == {3, 5}  # the header is line 1
    assert found[3] == [("date_of_birth", "Enter the date of birth.")]
    assert (
        "instrument_type",
        "Unknown instrument type 'SEN statement': use STATEMENT, LDA or NON_STATUTORY.",
    ) in found[5]
    assert any(col == "made_on" and "not a real date" in msg for col, msg in found[5])
    assert report.bad_lines == [3, 5]
    assert not LegacyInstrument.objects.exists() and not Child.objects.exists()
    assert not LegacyImport.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "column", "text"),
    [
        ({"date_of_birth": ""}, "date_of_birth", "Enter the date of birth"),
        ({"date_of_birth": "31/02/2005"}, "date_of_birth", "is not a real date"),
        ({"date_of_birth": "2005-13-01"}, "date_of_birth", "is not a real date"),
        ({"date_of_birth": "yesterday"}, "date_of_birth", "is not a real date"),
        ({"date_of_birth": "2030-01-01"}, "date_of_birth", "is in the future"),
        (
            {"date_of_birth": "2011-01-01"},
            "date_of_birth",
            "after the date the instrument was made",
        ),
        ({"date_of_birth": "1980-01-01"}, "date_of_birth", "25 or over"),
        ({"instrument_type": "EHCP"}, "instrument_type", "Unknown instrument type 'EHCP'"),
        ({"instrument_type": ""}, "instrument_type", "Enter the instrument type"),
        ({"reference": ""}, "reference", "Enter the reference"),
        ({"reference": "X" * 41}, "reference", "longer than 40"),
        ({"first_name": ""}, "first_name", "Enter the first name"),
        ({"made_on": ""}, "made_on", "Enter the date the instrument was made"),
        ({"upn": "123"}, "upn", "is not valid"),
        ({"setting": "abc"}, "setting", "is not a URN"),
        ({"setting": "999999"}, "setting", "No school or setting has the URN or UKPRN 999999"),
        ({"year_group": "15"}, "year_group", "not one of R"),
        ({"year_group": "7", "year_group_year": ""}, "year_group_year", "Give the school year"),
        ({"year_group_year": "2014/16"}, "year_group_year", "is not like 2014/15"),
        ({"expected_transfer_on": "2016-09-01"}, "expected_transfer_type", "both"),
        (
            {"expected_transfer_on": "2016-09-01", "expected_transfer_type": "uni"},
            "expected_transfer_type",
            "Unknown transfer type",
        ),
        ({"ceased_on": "2009-01-01"}, "ceased_on", "before the instrument was made"),
        ({"review_started_on": "2015-03-02"}, "review_started_on", "without notice"),
        (
            {"notice_given_on": "2015-02-20", "review_started_on": "2015-03-02"},
            "review_started_on",
            "less than 2 weeks after notice",
        ),
        (
            {"notice_given_on": "2015-03-05", "review_started_on": "2015-03-02"},
            "notice_given_on",
            "cannot be after the start",
        ),
        (
            {"concluded_on": "2015-06-01", "outcome": "plan_issued"},
            "concluded_on",
            "without a start",
        ),
        (
            {
                "notice_given_on": "2015-02-02",
                "review_started_on": "2015-03-02",
                "concluded_on": "2015-02-01",
                "outcome": "plan_issued",
            },
            "concluded_on",
            "before it started",
        ),
        (
            {
                "notice_given_on": "2015-02-02",
                "review_started_on": "2015-03-02",
                "concluded_on": "2015-06-01",
            },
            "outcome",
            "Give the outcome",
        ),
        ({"outcome": "plan_issued"}, "outcome", "needs the date"),
        (
            {
                "notice_given_on": "2015-02-02",
                "review_started_on": "2015-03-02",
                "concluded_on": "2015-06-01",
                "outcome": "done",
            },
            "outcome",
            "Unknown outcome",
        ),
    ],
)
def test_each_bad_input_is_refused_with_its_reason(import_rows, overrides, column, text):
    report = import_rows([row(reference="GOOD-1"), row(**{"reference": "BAD-1", **overrides})])
    assert not report.ok
    assert any(e.line == 3 and e.column == column for e in report.errors), report.errors
    messages = " | ".join(e.message for e in report.errors if e.line == 3)
    assert text in messages
    assert all(e.line == 3 for e in report.errors)  # the good row is not blamed
    assert not LegacyInstrument.objects.exists()


def test_duplicate_reference_within_the_file_names_the_first_line(import_rows):
    report = import_rows([row(reference="ST-1"), row(reference="ST-2"), row(reference="st-1")])
    (error,) = report.errors
    assert (error.line, error.column) == (4, "reference")
    assert error.message == "Reference st-1 is also on line 2."


def test_reimporting_the_same_file_changes_nothing(import_rows):
    rows = [row(reference=f"ST-{i}") for i in range(3)]
    first = import_rows(rows)
    assert first.created == 3
    children = list(Child.objects.order_by("id").values_list("id", flat=True))
    history = LegacyInstrument.history.count()
    again = import_rows(rows)
    assert again.ok and (again.created, again.unchanged) == (0, 3)
    assert list(Child.objects.order_by("id").values_list("id", flat=True)) == children
    assert LegacyInstrument.history.count() == history
    assert LegacyImport.objects.count() == 1


def test_reimport_adds_only_new_references(import_rows):
    import_rows([row(reference="ST-1")])
    report = import_rows([row(reference="ST-1"), row(reference="ST-2")])
    assert (report.created, report.unchanged) == (1, 1)
    assert LegacyInstrument.objects.count() == 2


def test_a_reference_already_imported_with_other_details_is_refused(import_rows):
    import_rows([row(reference="ST-1")])
    report = import_rows(
        [
            row(reference="ST-2"),
            row(reference="ST-1", date_of_birth="2005-03-15"),
            row(reference="st-1x"),
        ]
    )
    found = errors_by_line(report)
    assert set(found) == {3}
    assert "already imported with different details (date of birth)" in found[3][0][1]
    other_case = import_rows([row(reference="st-1")])
    assert "stored as ST-1" in other_case.errors[0].message
    assert LegacyInstrument.objects.count() == 1


def test_header_problems_are_reported_for_the_whole_file(manager):
    def run(content: bytes):
        return legacy_import_csv(
            content=content, filename="x.csv", acting_user=manager, today=date(2026, 1, 1)
        )

    missing = run(csv_bytes([row()], columns=["reference", "first_name"]))
    assert (
        "missing the column(s): instrument_type, last_name, date_of_birth, made_on"
        in missing.errors[0].message
    )
    unknown = run(b"reference,instrument_type,first_name,last_name,date_of_brith,made_on\n")
    assert any("Unknown column(s) date_of_brith" in e.message for e in unknown.errors)
    assert "not CSV UTF-8" in run("reference\nÉ".encode("cp1252")).errors[0].message
    assert "no header row" in run(b"\n\n").errors[0].message
    assert "no records" in run(csv_bytes([])).errors[0].message
    extra = run(
        b"reference,instrument_type,first_name,last_name,date_of_birth,made_on\n"
        b"ST-1,STATEMENT,Ada,Lovelace,2005-03-14,2010-06-01,surprise\n"
    )
    assert extra.errors[0].line == 2 and "more cells" in extra.errors[0].message
    assert not LegacyInstrument.objects.exists()


def test_headers_are_matched_loosely_and_blank_lines_are_skipped(manager):
    content = (
        b"\xef\xbb\xbfReference,Instrument Type,First name,Last name,Date of birth,Made on\n"
        b"\nST-9,Statement,Ada,Lovelace,2005-03-14,2010-06-01\n"
    )
    report = legacy_import_csv(content=content, filename="x.csv", acting_user=manager)
    assert report.ok and report.created == 1


def test_line_numbers_count_physical_lines_with_quoted_newlines(import_rows, manager):
    content = csv_bytes(
        [row(reference="ST-1", last_name="Love\nlace"), row(reference="ST-2", made_on="")]
    )
    report = legacy_import_csv(content=content, filename="x.csv", acting_user=manager)
    assert [e.line for e in report.errors] == [4]


def test_historic_transfers_are_imported_as_reviews(import_rows):
    report = import_rows(
        [
            row(
                reference="ST-1",
                notice_given_on="2015-02-02",
                review_started_on="2015-02-16",
                concluded_on="2015-05-11",
                outcome="plan_issued",
            ),
            row(
                reference="LDA-1",
                instrument_type="LDA",
                date_of_birth="1997-01-01",
                made_on="2013-01-01",
                review_started_on="2015-09-01",
            ),
            row(reference="ST-2", notice_given_on="2018-01-01"),
        ]
    )
    assert report.ok, report.errors
    st = TransferReview.objects.get(instrument__reference="ST-1")
    assert st.source == "import" and st.case is None and st.outcome == "plan_issued"
    assert st.plan_due_on == date(2015, 5, 11)  # T8: 14 weeks from the notice
    lda = TransferReview.objects.get(instrument__reference="LDA-1")
    assert lda.concluded_on is None and lda.notice_given_on is None
    assert TransferReview.objects.count() == 3
    assert (
        import_rows(
            [
                row(
                    reference="ST-1",
                    notice_given_on="2015-02-02",
                    review_started_on="2015-02-16",
                    concluded_on="2015-05-11",
                    outcome="plan_issued",
                )
            ]
        ).unchanged
        == 1
    )


def test_a_child_is_linked_only_on_an_exact_upn_date_of_birth_and_name_match(import_rows):
    existing = Child.objects.create(
        first_name="Ada", last_name="Lovelace", date_of_birth=date(2005, 3, 14), upn="A12345678901B"
    )
    report = import_rows(
        [
            row(reference="ST-1", upn="a12345678901b"),
            row(reference="ST-2", upn="A12345678901B", first_name="Adeline"),
        ]
    )
    assert report.ok and report.linked_children == 1
    assert LegacyInstrument.objects.get(reference="ST-1").child == existing
    assert LegacyInstrument.objects.get(reference="ST-2").child != existing


def test_management_command_imports_and_reports_bad_lines(tmp_path, manager):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes([row(reference="ST-1")]))
    out = StringIO()
    call_command("import_legacy", str(good), "--user", manager.username, stdout=out)
    assert "1 imported, 0 already imported" in out.getvalue()
    call_command("import_legacy", str(good), stdout=out)
    assert "0 imported, 1 already imported" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([row(reference="ST-2"), row(reference="ST-3", date_of_birth="")]))
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing imported: 1 problem"):
        call_command("import_legacy", str(bad), stderr=err)
    assert "line 3 [date_of_birth]: Enter the date of birth." in err.getvalue()
    assert LegacyInstrument.objects.count() == 1
