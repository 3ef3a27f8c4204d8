"""The all-or-nothing CSV import that every bulk upload shares.

An app declares its columns and a row parser; `check_csv` reads the file (CSV UTF-8 with a header
row), checks the header, parses every record and finds references repeated in the file, collecting
every problem with its line number (the header is line 1) instead of stopping at the first. The
app adds its own database checks, then `import_all_or_nothing` saves everything in one transaction
or nothing at all. Used by the legacy-instrument import (`conversions/services/imports.py`) and the
existing-plans import (`reviews/imports.py`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, TypeVar

from django.db import IntegrityError, transaction

# Messages shared by every import (an app may pass its own wording where it differs).
NOT_UTF8 = "The file is not CSV UTF-8. In a spreadsheet, save it as 'CSV UTF-8 (comma delimited)'."
EMPTY = "The file has no header row."
NO_ROWS = "The file has a header row but no records."
MISSING_COLUMNS = "The header row is missing the column(s): {columns}."
UNKNOWN_COLUMNS = "Unknown column(s) {columns}. The columns are: {expected}."
DUPLICATE_COLUMNS = "The column(s) {columns} appear more than once in the header row."
CSV_BROKEN = "The file could not be read as CSV: {error}."
DUPLICATE_IN_FILE = "Reference {reference} is also on line {line}."
EXTRA_CELLS = "This row has more cells than the header row has columns."
CELL_COUNT = "This row has {found} cells but the header row has {expected} columns."

RowT = TypeVar("RowT")
ReportT = TypeVar("ReportT", bound="ImportReport")


@dataclass(frozen=True)
class RowError:
    """One problem: the line it is on (None: the whole file), the row's reference and the reason."""

    line: int | None
    reference: str
    message: str
    column: str = ""

    def __str__(self) -> str:
        """As an import lists it: "line 3 [date_of_birth]: ...", or the message alone for the
        whole file."""
        if not self.line:
            return self.message
        column = f" [{self.column}]" if self.column else ""
        return f"line {self.line}{column}: {self.message}"


@dataclass(frozen=True)
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: tuple[RowError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors if e.line is not None})


class BadRow(Exception):
    """Raised by a row parser with every problem in the row: a message, or (column, message)."""

    def __init__(self, problems: Sequence[str | tuple[str, str]]) -> None:
        super().__init__(problems)
        self.problems: list[tuple[str, str]] = [
            ("", p) if isinstance(p, str) else p for p in problems
        ]


@dataclass(frozen=True)
class CsvColumns:
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        return self.required + self.optional


@dataclass
class CheckedFile(Generic[RowT]):
    """The parsed good rows, every problem found, and how many records the file had."""

    rows: list[RowT] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    records: int = 0


def file_error(message: str) -> RowError:
    return RowError(None, "", message)


def normal_column(name: str) -> str:
    """`Date of birth`, `date-of-birth` and ` DATE_OF_BIRTH ` all name `date_of_birth`."""
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def parse_date(value: str) -> date | None:
    """YYYY-MM-DD or DD/MM/YYYY from 1900 on; None when it is not a real date."""
    try:
        if "/" in value:
            day, month, year = (int(part) for part in value.split("/"))
            parsed = date(year, month, day)
        else:
            year, month, day = (int(part) for part in value.split("-"))
            parsed = date(year, month, day)
    except ValueError:
        return None
    return parsed if parsed.year >= 1900 else None


def refuse_extra_cells(cells: list[str], columns: int) -> str | None:
    """Short rows are read as blank cells; cells beyond the header are refused unless blank."""
    if len(cells) > columns and any(c.strip() for c in cells[columns:]):
        return EXTRA_CELLS
    return None


def refuse_other_cell_counts(cells: list[str], columns: int) -> str | None:
    """Every row must have exactly as many cells as the header row has columns."""
    if len(cells) != columns:
        return CELL_COUNT.format(found=len(cells), expected=columns)
    return None


def header_problems(header: list[str], columns: CsvColumns) -> list[str]:
    problems = []
    missing = [c for c in columns.required if c not in header]
    if missing:
        problems.append(MISSING_COLUMNS.format(columns=", ".join(missing)))
    unknown = [c for c in header if c and c not in columns.all]
    if unknown:
        problems.append(
            UNKNOWN_COLUMNS.format(columns=", ".join(unknown), expected=", ".join(columns.all))
        )
    repeated = sorted({c for c in header if c and header.count(c) > 1})
    if repeated:
        problems.append(DUPLICATE_COLUMNS.format(columns=", ".join(repeated)))
    return problems


def _records(lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank record with the line it starts on (a quoted cell may span lines)."""
    reader = csv.reader(lines)
    last_line = 0
    for cells in reader:
        start, last_line = last_line + 1, reader.line_num
        if any(c.strip() for c in cells):
            yield start, cells


def check_csv(
    lines: Iterable[str],
    *,
    columns: CsvColumns,
    parse: Callable[[int, dict[str, str]], RowT],
    cells_problem: Callable[[list[str], int], str | None] = refuse_extra_cells,
    references_ignore_case: bool = False,
    max_rows: int | None = None,
    too_many_rows: str = "",
    no_rows: str = NO_ROWS,
) -> CheckedFile[RowT]:
    """Read and check every record; nothing is written.

    `lines` is the file as text (an `io.TextIOWrapper` over the upload streams it; open it with
    newline=""). `parse(line, values)` returns the parsed row or raises `BadRow`. A reference seen
    on an earlier line is reported with that line. More than `max_rows` records is refused whole.
    """
    checked: CheckedFile[RowT] = CheckedFile()
    first_line: dict[str, int] = {}
    try:
        records = _records(lines)
        first = next(records, None)
        if first is None:
            checked.errors.append(file_error(EMPTY))
            return checked
        header = [normal_column(c) for c in first[1]]
        problems = header_problems(header, columns)
        if problems:
            checked.errors.extend(RowError(1, "", p) for p in problems)
            return checked
        for line, cells in records:
            checked.records += 1
            if max_rows is not None and checked.records > max_rows:
                return CheckedFile(errors=[file_error(too_many_rows)], records=checked.records)
            values = {
                name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)
            }
            reference = values.get("reference", "")
            shape = cells_problem(cells, len(header))
            if shape:
                checked.errors.append(RowError(line, reference, shape))
                continue
            try:
                row: RowT | None = parse(line, values)
            except BadRow as bad:
                checked.errors.extend(RowError(line, reference, m, c) for c, m in bad.problems)
                row = None
            if reference:
                key = reference.lower() if references_ignore_case else reference
                if key in first_line:
                    message = DUPLICATE_IN_FILE.format(reference=reference, line=first_line[key])
                    checked.errors.append(RowError(line, reference, message, "reference"))
                    continue
                first_line[key] = line
            if row is not None:
                checked.rows.append(row)
    except UnicodeDecodeError:
        return CheckedFile(errors=[file_error(NOT_UTF8)])
    except csv.Error as error:
        return CheckedFile(errors=[file_error(CSV_BROKEN.format(error=error))])
    if not checked.records:
        checked.errors.append(file_error(no_rows))
    return checked


def import_all_or_nothing(
    checked: CheckedFile[RowT],
    save: Callable[[list[RowT]], ReportT],
    *,
    report: type[ReportT],
    more_errors: Callable[[list[RowT]], list[RowError]] | None = None,
    error_order: Callable[[RowError], tuple[int, int]] | None = None,
    race: str = "",
) -> ReportT:
    """Save every row or none: any problem (the file's, or `more_errors`' from the database) stops it.

    `more_errors` checks the good rows against the database even when other rows were bad, so the
    report lists every problem at once.
    `save` runs in one transaction and returns the report (`report` is its class, which an app
    may extend with its own counts); when `race` is given, a unique constraint broken by another
    import at the same moment rolls everything back and is reported with that message.
    """
    errors = list(checked.errors)
    if checked.records and more_errors is not None:
        errors += more_errors(checked.rows)
    if errors:
        if error_order is not None:
            errors.sort(key=error_order)
        return report(rows=checked.records, errors=tuple(errors))
    try:
        with transaction.atomic():
            return save(checked.rows)
    except IntegrityError:
        if not race:
            raise
        return report(rows=checked.records, errors=(file_error(race),))
