"""Helpers: legacy instruments are made through the CSV import service, as a council's would be."""

import csv
import io
from datetime import date

import pytest

from conversions.services import legacy_import_csv
from conversions.services.imports import COLUMNS

BASE_ROW = {
    "reference": "ST-0001",
    "instrument_type": "STATEMENT",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "date_of_birth": "2005-03-14",
    "made_on": "2010-06-01",
    "year_group": "9",
    "year_group_year": "2014/15",
}


def csv_bytes(rows: list[dict], columns=COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode()


def row(**overrides) -> dict:
    return {**BASE_ROW, **overrides}


def date_fields(name: str, value: date) -> dict:
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


@pytest.fixture
def import_rows(db, manager):
    """Import rows (dicts of CSV columns) through the service; returns the report."""

    def run(rows: list[dict], *, today: date = date(2026, 11, 2), filename="legacy.csv"):
        return legacy_import_csv(
            content=csv_bytes(rows), filename=filename, acting_user=manager, today=today
        )

    return run
