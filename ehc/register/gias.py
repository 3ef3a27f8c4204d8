"""Import the DfE's "Get Information about Schools" (GIAS) establishments file.

A council downloads it from https://get-information-schools.service.gov.uk/Downloads
("Establishment fields", all establishments): a CSV, Windows-1252 encoded, one row per
establishment, with columns such as ``URN``, ``EstablishmentName``, ``TypeOfEstablishment (name)``
and ``PhaseOfEducation (name)``. Every row is checked before anything is written; one bad row and
nothing is imported, each bad row listed by its line number. Importing a newer file updates the
entries in place by URN (history keeps what they were) and adds the new ones.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from ehc.csv_import import RowError
from ehc.models import Setting, User
from ehc.models.people import UKPRN_VALIDATOR, URN_VALIDATOR

URN = "URN"
NAME = "EstablishmentName"
REQUIRED_COLUMNS = (URN, NAME, "EstablishmentStatus (name)")
NO_NAME = "EstablishmentName is blank"
BAD_URN = "URN must be 6 or 7 digits"
BAD_UKPRN = "UKPRN must be 8 digits starting with 1"
BAD_STATUS = "EstablishmentStatus (name) is not one GIAS uses"
DUPLICATE_URN = "URN {urn} is also on line {line}"
TOO_LONG = "{column} is longer than {limit} characters"
NOT_CSV = "This is not a GIAS establishments CSV file: it has no {columns} column"
EMPTY = "The file has no establishments in it"

STATUSES = {
    "open": Setting.Status.OPEN,
    "open, but proposed to close": Setting.Status.CLOSING,
    "proposed to open": Setting.Status.PROPOSED,
    "closed": Setting.Status.CLOSED,
}
PHASES = {
    "nursery": Setting.Phase.NURSERY,
    "primary": Setting.Phase.PRIMARY,
    "middle deemed primary": Setting.Phase.MIDDLE,
    "middle deemed secondary": Setting.Phase.MIDDLE,
    "secondary": Setting.Phase.SECONDARY,
    "16 plus": Setting.Phase.POST16,
    "all-through": Setting.Phase.ALL_THROUGH,
    "not applicable": Setting.Phase.NOT_APPLICABLE,
    "": Setting.Phase.NOT_APPLICABLE,
}
# TypeOfEstablishment (name) values that are post-16 institutions or early-years settings;
# every other type is a school.
POST16_TYPES = {
    "further education",
    "sixth form centres",
    "special post 16 institution",
    "free schools 16 to 19",
    "academy 16-19 converter",
    "academy 16 to 19 sponsor led",
    "higher education institutions",
}
EARLY_YEARS_TYPES = {"local authority nursery school"}
# The columns written to the register, with the field each fills and its length limit.
TEXT_COLUMNS = {
    NAME: ("name", 200),
    "TypeOfEstablishment (name)": ("establishment_type", 100),
    "LA (name)": ("local_authority", 100),
    "Street": ("street", 200),
    "Locality": ("locality", 200),
    "Town": ("town", 100),
    "Postcode": ("postcode", 10),
}
WRITTEN_FIELDS = [
    "name",
    "kind",
    "phase",
    "ukprn",
    "establishment_type",
    "local_authority",
    "street",
    "locality",
    "town",
    "postcode",
    "status",
]


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def decode(content: bytes) -> str:
    """GIAS files are Windows-1252; a file saved again as UTF-8 (with or without a byte order
    mark) reads as UTF-8. Bytes Windows-1252 leaves undefined read as Latin-1."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        return content.decode("latin-1")


def _kind(type_name: str) -> str:
    lowered = type_name.lower()
    if lowered in POST16_TYPES:
        return Setting.Kind.POST16
    if lowered in EARLY_YEARS_TYPES:
        return Setting.Kind.EARLY_YEARS
    return Setting.Kind.SCHOOL


def _phase(phase_name: str, type_name: str) -> str | None:
    phase = PHASES.get(phase_name.lower())
    if phase == Setting.Phase.NOT_APPLICABLE and "special" in type_name.lower():
        return Setting.Phase.SPECIAL
    return phase


def _valid(validator: RegexValidator, value: str) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def parse_row(row: dict[str, str], line: int) -> tuple[dict[str, str], list[RowError]]:
    """One CSV row as the register's field values, or the reasons it cannot be."""
    errors: list[RowError] = []
    cell = {key: (value or "").strip() for key, value in row.items() if key is not None}
    values: dict[str, str] = {"urn": cell.get(URN, "")}
    if not _valid(URN_VALIDATOR, values["urn"]):
        errors.append(RowError(line, "", BAD_URN))
    for column, (name, limit) in TEXT_COLUMNS.items():
        values[name] = " ".join(cell.get(column, "").split())
        if len(values[name]) > limit:
            errors.append(RowError(line, "", TOO_LONG.format(column=column, limit=limit)))
    values["postcode"] = values["postcode"].upper()
    if not values["name"]:
        errors.append(RowError(line, "", NO_NAME))
    values["ukprn"] = cell.get("UKPRN", "")
    if values["ukprn"] and not _valid(UKPRN_VALIDATOR, values["ukprn"]):
        errors.append(RowError(line, "", BAD_UKPRN))
    status = STATUSES.get(cell.get("EstablishmentStatus (name)", "").lower())
    if status is None:
        errors.append(RowError(line, "", BAD_STATUS))
    else:
        values["status"] = status
    type_name = values["establishment_type"]
    phase = _phase(cell.get("PhaseOfEducation (name)", ""), type_name)
    if phase is None:
        errors.append(
            RowError(
                line,
                "",
                f"PhaseOfEducation (name) '{cell['PhaseOfEducation (name)'][:40]}' "
                "is not one GIAS uses",
            )
        )
    else:
        values["phase"] = phase
    values["kind"] = _kind(type_name)
    return values, errors


def parse(content: bytes) -> tuple[list[dict[str, str]], list[RowError]]:
    """Every row of the file as field values, and every problem found (all rows are read)."""
    text = decode(content)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        return [], [RowError(0, "", f"The file cannot be read as CSV: {exc}")]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        return [], [RowError(0, "", NOT_CSV.format(columns=", ".join(missing)))]
    rows: list[dict[str, str]] = []
    errors: list[RowError] = []
    first_line: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            values, row_errors = parse_row(row, line)
            urn = values["urn"]
            if urn and urn in first_line:
                row_errors.append(
                    RowError(line, "", DUPLICATE_URN.format(urn=urn, line=first_line[urn]))
                )
            elif urn:
                first_line[urn] = line
            errors += row_errors
            if not row_errors:
                rows.append(values)
    except csv.Error as exc:
        errors.append(RowError(reader.line_num, "", f"The file cannot be read as CSV: {exc}"))
    if not rows and not errors:
        errors.append(RowError(0, "", EMPTY))
    return rows, errors


def gias_import(*, content: bytes, acting_user: User | None) -> ImportReport:
    """Check every row, then (only if all are good) add or update the register by URN, in one
    transaction; the search index is brought up to date in the same transaction."""
    from ehc.search import search_index_update

    rows, errors = parse(content)
    report = ImportReport(errors=errors)
    if errors:
        return report
    now = timezone.now()
    with transaction.atomic():
        existing = {
            s.urn: s
            for s in Setting.objects.select_for_update().filter(urn__in=[r["urn"] for r in rows])
        }
        new: list[Setting] = []
        changed: list[Setting] = []
        for values in rows:
            setting = existing.get(values["urn"])
            if setting is None:
                new.append(Setting(**values, source=Setting.Source.GIAS, imported_at=now))
                continue
            differs = any(getattr(setting, name) != values[name] for name in WRITTEN_FIELDS)
            if not differs and setting.source == Setting.Source.GIAS:
                report.unchanged += 1
                continue
            for name in WRITTEN_FIELDS:
                setattr(setting, name, values[name])
            # The DfE's own record of it: it no longer waits for a manager to confirm it.
            if setting.needs_confirming:
                setting.needs_confirming = False
                setting.confirmed_at = now
            setting.source = Setting.Source.GIAS
            setting.imported_at = now
            changed.append(setting)
        if new:
            new = bulk_create_with_history(new, Setting, batch_size=1000, default_user=acting_user)
        if changed:
            bulk_update_with_history(
                changed,
                Setting,
                [*WRITTEN_FIELDS, "needs_confirming", "confirmed_at", "source", "imported_at"],
                batch_size=1000,
                default_user=acting_user,
            )
        report.created, report.updated = len(new), len(changed)
        touched = [s.pk for s in changed]
        if new and any(s.pk is None for s in new):  # databases that do not return new ids
            new_ids = list(
                Setting.objects.filter(urn__in=[s.urn for s in new]).values_list("pk", flat=True)
            )
        else:
            new_ids = [s.pk for s in new]
        if len(new_ids) + len(touched) > 5000:
            search_index_update(kind="setting")
        elif new_ids or touched:
            search_index_update(kind="setting", ids=[*new_ids, *touched])
    return report
