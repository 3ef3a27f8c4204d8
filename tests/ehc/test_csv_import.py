"""The shared all-or-nothing CSV import: reading, row problems, duplicates and the race."""

import io
from datetime import date

import pytest
from django.db import IntegrityError

from ehc import csv_import
from ehc.csv_import import BadRow, CsvColumns, ImportReport, RowError

COLUMNS = CsvColumns(("reference", "born"), ("note",))


def parse(line: int, values: dict[str, str]) -> tuple[str, date]:
    born = csv_import.parse_date(values["born"])
    problems: list[str | tuple[str, str]] = []
    if not values["reference"]:
        problems.append("Enter the reference.")
    if born is None:
        problems.append(("born", f"'{values['born']}' is not a date."))
    if problems:
        raise BadRow(problems)
    assert born is not None
    return values["reference"], born


def check(text: str, **kwargs) -> csv_import.CheckedFile[tuple[str, date]]:
    return csv_import.check_csv(
        io.StringIO(text, newline=""), columns=COLUMNS, parse=parse, **kwargs
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2014-03-05", date(2014, 3, 5)),
        ("05/03/2014", date(2014, 3, 5)),
        ("2014-02-30", None),
        ("31/02/2014", None),
        ("1899-12-31", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_dates_are_iso_or_day_first_and_real(text, expected):
    assert csv_import.parse_date(text) == expected


def test_every_bad_row_is_listed_with_its_line_and_column():
    checked = check('Reference, Born\nA-1,2014-03-05\n,2014-13-01\n\n"B\n2",2014-01-01\nC,x\n')
    assert [r[0] for r in checked.rows] == ["A-1", "B\n2"]
    assert checked.records == 4
    assert [(e.line, e.column, e.message) for e in checked.errors] == [
        (3, "", "Enter the reference."),
        (3, "born", "'2014-13-01' is not a date."),
        (7, "born", "'x' is not a date."),
    ]


def test_a_repeated_reference_names_the_first_line_with_or_without_case():
    text = "reference,born\nA,2014-03-05\na,2014-03-05\nA,2014-03-05\n"
    assert [(e.line, e.message) for e in check(text).errors] == [
        (4, "Reference A is also on line 2.")
    ]
    folded = check(text, references_ignore_case=True)
    assert [e.line for e in folded.errors] == [3, 4]
    assert folded.errors[0].column == "reference"


def test_header_problems_stop_before_any_row():
    checked = check("reference,colour,colour\nA,2014-03-05\n")
    assert [e.line for e in checked.errors] == [1, 1, 1]
    assert checked.errors[0].message == "The header row is missing the column(s): born."
    assert "colour" in checked.errors[2].message and not checked.rows


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", csv_import.EMPTY),
        ("\n \n", csv_import.EMPTY),
        ("reference,born\n", csv_import.NO_ROWS),
    ],
)
def test_empty_files(text, message):
    assert [(e.line, e.message) for e in check(text).errors] == [(None, message)]


def test_cells_beyond_the_header_and_other_cell_counts():
    text = "reference,born\nA,2014-03-05,,\nB,2014-03-05,extra\nC\n"
    assert [(e.line, e.reference, e.message) for e in check(text).errors] == [
        (3, "B", csv_import.EXTRA_CELLS),
        (4, "C", "'' is not a date."),
    ]
    strict = check(text, cells_problem=csv_import.refuse_other_cell_counts)
    assert [e.line for e in strict.errors] == [2, 3, 4]
    assert strict.errors[0].message == "This row has 4 cells but the header row has 2 columns."


def test_too_many_rows_is_refused_whole():
    checked = check("reference,born\n" + "A,x\n" * 4, max_rows=3, too_many_rows="Too many.")
    assert [e.message for e in checked.errors] == ["Too many."] and not checked.rows


def test_text_that_is_not_utf8_is_refused():
    stream = io.TextIOWrapper(io.BytesIO("reference,born\nré,x\n".encode("latin-1")), "utf-8")
    checked = csv_import.check_csv(stream, columns=COLUMNS, parse=parse)
    assert [e.message for e in checked.errors] == [csv_import.NOT_UTF8]


@pytest.mark.django_db
def test_nothing_is_saved_when_any_row_or_the_database_check_fails():
    saved: list[object] = []

    def save(rows):
        saved.extend(rows)
        return ImportReport(rows=len(rows), created=len(rows))

    bad = check("reference,born\nA,2014-03-05\nB,x\n")
    report = csv_import.import_all_or_nothing(
        bad,
        save,
        report=ImportReport,
        more_errors=lambda rows: [RowError(2, "A", "Already there.")],
        error_order=lambda e: (e.line or 0, 0),
    )
    assert report.bad_lines == [2, 3] and report.rows == 2 and not saved
    good = check("reference,born\nA,2014-03-05\n")
    assert csv_import.import_all_or_nothing(good, save, report=ImportReport).created == 1
    assert saved == [("A", date(2014, 3, 5))]


@pytest.mark.django_db
def test_a_unique_clash_at_save_is_reported_when_a_race_message_is_given():
    def save(rows):
        raise IntegrityError("duplicate key")

    good = check("reference,born\nA,2014-03-05\n")
    report = csv_import.import_all_or_nothing(good, save, report=ImportReport, race="Try again.")
    assert [(e.line, e.message) for e in report.errors] == [(None, "Try again.")]
    with pytest.raises(IntegrityError):
        csv_import.import_all_or_nothing(good, save, report=ImportReport)
