"""Importing legacy instruments from CSV: every row checked first, then all imported or none.

The file is read as CSV UTF-8 with a header row. Each bad row is reported by its line number in
the file (the header is line 1) with the reason, and nothing is saved. A row whose reference is
already in the database with the same details is left alone, so importing the same file again
changes nothing; the same reference with different details is an error.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from simple_history.utils import bulk_create_with_history

from conversions import timetable as tt
from conversions.models import LegacyImport, LegacyInstrument, TransferReview
from ehc import csv_import
from ehc.csv_import import NOT_UTF8 as NOT_UTF8
from ehc.csv_import import RowError as RowError
from ehc.models import Child, Setting, User
from ehc.models.people import UPN_VALIDATOR
from ehc.services.common import local_today

REQUIRED_COLUMNS = (
    "reference",
    "instrument_type",
    "first_name",
    "last_name",
    "date_of_birth",
    "made_on",
)
OPTIONAL_COLUMNS = (
    "upn",
    "setting",
    "year_group",
    "year_group_year",
    "expected_transfer_on",
    "expected_transfer_type",
    "ceased_on",
    "notice_given_on",
    "review_started_on",
    "concluded_on",
    "outcome",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
REVIEW_COLUMNS = ("notice_given_on", "review_started_on", "concluded_on", "outcome")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_AGE_YEARS = 25
OUTCOMES = {
    "plan_issued": TransferReview.Outcome.PLAN_ISSUED,
    "no_plan": TransferReview.Outcome.NO_PLAN,
}
TYPE_ALIASES = {
    "statement": tt.STATEMENT,
    "statement of sen": tt.STATEMENT,
    "lda": tt.LDA,
    "learning difficulty assessment": tt.LDA,
    "non_statutory": tt.NON_STATUTORY,
    "non-statutory": tt.NON_STATUTORY,
}

# Messages (the report shows them as written).
HAS_NUL = (
    "Line {line} contains a NUL character, which is not text. Save the file again as CSV "
    "(UTF-8) and upload it again."
)
TOO_BIG = "The file is larger than 5 MB; split it into smaller files."
TOO_MANY = f"The file has more than {MAX_ROWS:,} records; split it into smaller files."
REQUIRED = "Enter the {label}."
NOT_A_DATE = "The {label} '{value}' is not a real date; use YYYY-MM-DD or DD/MM/YYYY."
IN_FUTURE = "The {label} ({value:%d %B %Y}) is in the future."
UNKNOWN_TYPE = "Unknown instrument type '{value}': use STATEMENT, LDA or NON_STATUTORY."
DOB_AFTER_MADE = "The date of birth ({dob:%d %B %Y}) is after the date the instrument was made ({made:%d %B %Y})."
TOO_OLD = "The date of birth makes the young person 25 or over when the instrument was made."
DUPLICATE_IN_DB = (
    "Reference {reference} was already imported with different details ({fields}). "
    "Correct the file, or the existing record, so they agree."
)
TOO_LONG = "The {label} is longer than {max} characters."
BAD_UPN = "The UPN '{value}' is not valid: a letter, 11 digits, then a digit or letter."
BAD_SETTING = "The setting '{value}' is not a URN (6 or 7 digits) or UKPRN (8 digits from 1)."
UNKNOWN_SETTING = "No school or setting has the URN or UKPRN {value}."
AMBIGUOUS_SETTING = "More than one school or setting has the URN or UKPRN {value}."
BAD_YEAR_GROUP = "The year group '{value}' is not one of R (Reception) or 1 to 14."
YEAR_GROUP_YEAR_NEEDED = (
    "Give the school year the year group is for (year_group_year), e.g. 2014/15."
)
BAD_YEAR_GROUP_YEAR = "The school year '{value}' is not like 2014/15."
UNKNOWN_TRANSFER = "Unknown transfer type '{value}': use one of {choices}."
TRANSFER_PAIR = "Give both the expected transfer date and its type, or neither."
BEFORE_MADE = "The {label} ({value:%d %B %Y}) is before the instrument was made ({made:%d %B %Y})."
START_NEEDS_NOTICE = (
    "A Statement's transfer review cannot have started without notice: give notice_given_on."
)
START_TOO_SOON = (
    "The transfer review started on {start:%d %B %Y}, less than 2 weeks after notice was given "
    "({notice:%d %B %Y}); the earliest start was {earliest:%d %B %Y}."
)
NOTICE_AFTER_START = "Notice ({notice:%d %B %Y}) cannot be after the start ({start:%d %B %Y})."
CONCLUDED_NEEDS_START = "A review cannot have concluded without a start date (review_started_on)."
CONCLUDED_BEFORE_START = (
    "The review concluded ({end:%d %B %Y}) before it started ({start:%d %B %Y})."
)
OUTCOME_NEEDS_DATE = "An outcome needs the date the review concluded (concluded_on)."
DATE_NEEDS_OUTCOME = "Give the outcome (plan_issued or no_plan) of the concluded review."
UNKNOWN_OUTCOME = "Unknown outcome '{value}': use plan_issued or no_plan."
RACE = "Another import added some of these references at the same time. Nothing was imported; try again."

LABELS = {
    "reference": "reference",
    "instrument_type": "instrument type",
    "first_name": "first name",
    "last_name": "last name",
    "date_of_birth": "date of birth",
    "made_on": "date the instrument was made",
    "expected_transfer_on": "expected transfer date",
    "ceased_on": "date the instrument ceased",
    "notice_given_on": "date notice of the transfer review was given",
    "review_started_on": "date the transfer review started",
    "concluded_on": "date the transfer review concluded",
}


@dataclass(frozen=True)
class ImportReport(csv_import.ImportReport):
    linked_children: int = 0


@dataclass
class LegacyRow:
    """One valid row, parsed."""

    line: int
    reference: str
    instrument_type: str
    first_name: str
    last_name: str
    date_of_birth: date
    made_on: date
    upn: str = ""
    setting_code: str = ""
    year_group: int | None = None
    year_group_academic_year: int | None = None
    expected_transfer_on: date | None = None
    expected_transfer_type: str = ""
    ceased_on: date | None = None
    notice_given_on: date | None = None
    review_started_on: date | None = None
    concluded_on: date | None = None
    outcome: str = ""
    setting_id: int | None = field(default=None)

    @property
    def has_review(self) -> bool:
        return any(
            getattr(self, c) for c in ("notice_given_on", "review_started_on", "concluded_on")
        )


@transaction.atomic
def legacy_import_csv(
    *, content: bytes, filename: str, acting_user: User | None, today: date | None = None
) -> ImportReport:
    """Check every row of a legacy-instrument CSV; import all of it or none of it."""
    day = today or local_today()
    if len(content) > MAX_BYTES:
        return _file_error(TOO_BIG)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _file_error(NOT_UTF8)
    if "\x00" in text:  # no database column can hold it (PostgreSQL refuses it outright)
        return _file_error(HAS_NUL.format(line=text.count("\n", 0, text.index("\x00")) + 1))
    checked = csv_import.check_csv(
        io.StringIO(text, newline=""),
        columns=csv_import.CsvColumns(REQUIRED_COLUMNS, OPTIONAL_COLUMNS),
        parse=lambda line, values: _parse_row(line, values, day),
        references_ignore_case=True,
        max_rows=MAX_ROWS,
        too_many_rows=TOO_MANY,
    )
    unchanged: set[str] = set()

    def database_errors(rows: list[LegacyRow]) -> list[RowError]:
        errors = _resolve_settings(rows)
        same, db_errors = _compare_with_database(rows)
        unchanged.update(same)
        return errors + db_errors

    def save(rows: list[LegacyRow]) -> ImportReport:
        new_rows = [r for r in rows if r.reference not in unchanged]
        total = checked.records
        linked = _save(new_rows, content, filename, total, len(unchanged), acting_user)
        return ImportReport(
            rows=total, created=len(new_rows), unchanged=len(unchanged), linked_children=linked
        )

    return csv_import.import_all_or_nothing(
        checked,
        save,
        report=ImportReport,
        more_errors=database_errors,
        error_order=_error_order,
        race=RACE,
    )


def _file_error(message: str) -> ImportReport:
    return ImportReport(errors=(csv_import.file_error(message),))


def _error_order(error: RowError) -> tuple[int, int]:
    return (error.line or 0, COLUMNS.index(error.column) if error.column in COLUMNS else -1)


class _Parser:
    """Collects every problem in a row, not just the first."""

    def __init__(self, values: dict[str, str], today: date):
        self.values, self.today = values, today
        self.errors: list[tuple[str, str]] = []

    def error(self, column: str, message: str) -> None:
        self.errors.append((column, message))

    def text(self, column: str, *, required=False, max_length=100) -> str:
        value = self.values.get(column, "")
        if required and not value:
            self.error(column, REQUIRED.format(label=LABELS.get(column, column)))
        elif len(value) > max_length:
            self.error(column, TOO_LONG.format(label=LABELS.get(column, column), max=max_length))
        return value

    def date(self, column: str, *, required=False) -> date | None:
        value, label = self.values.get(column, ""), LABELS.get(column, column)
        if not value:
            if required:
                self.error(column, REQUIRED.format(label=label))
            return None
        parsed = csv_import.parse_date(value)
        if parsed is None:
            self.error(column, NOT_A_DATE.format(label=label, value=value))
            return None
        if parsed > self.today:
            self.error(column, IN_FUTURE.format(label=label, value=parsed))
            return None
        return parsed


def _parse_row(line: int, values: dict[str, str], today: date) -> LegacyRow:
    p = _Parser(values, today)
    reference = p.text("reference", required=True, max_length=40)
    kind = _instrument_type(p)
    first_name = p.text("first_name", required=True)
    last_name = p.text("last_name", required=True)
    dob = p.date("date_of_birth", required=True)
    made = p.date("made_on", required=True)
    if dob and made:
        if dob > made:
            p.error("date_of_birth", DOB_AFTER_MADE.format(dob=dob, made=made))
        elif made >= dob + relativedelta(years=MAX_AGE_YEARS):
            p.error("date_of_birth", TOO_OLD)
    upn = values.get("upn", "").upper()
    if upn:
        try:
            UPN_VALIDATOR(upn)
        except ValidationError:
            p.error("upn", BAD_UPN.format(value=upn))
    setting = values.get("setting", "")
    if setting and not re.fullmatch(r"\d{6,7}|1\d{7}", setting):
        p.error("setting", BAD_SETTING.format(value=setting))
    year_group, academic_year = _year_group(p)
    transfer_on, transfer_type = _transfer(p)
    ceased = p.date("ceased_on")
    if ceased and made and ceased < made:
        p.error("ceased_on", BEFORE_MADE.format(label=LABELS["ceased_on"], value=ceased, made=made))
    notice, started, concluded, outcome = _review(p, kind, made)
    if p.errors:
        raise csv_import.BadRow(p.errors)
    return LegacyRow(
        line=line,
        reference=reference,
        instrument_type=kind,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=dob,
        made_on=made,
        upn=upn,
        setting_code=setting,
        year_group=year_group,
        year_group_academic_year=academic_year,
        expected_transfer_on=transfer_on,
        expected_transfer_type=transfer_type,
        ceased_on=ceased,
        notice_given_on=notice,
        review_started_on=started,
        concluded_on=concluded,
        outcome=outcome,
    )


def _instrument_type(p: _Parser) -> str:
    value = p.values.get("instrument_type", "")
    if not value:
        p.error("instrument_type", REQUIRED.format(label=LABELS["instrument_type"]))
        return ""
    kind = TYPE_ALIASES.get(value.strip().lower())
    if kind is None:
        p.error("instrument_type", UNKNOWN_TYPE.format(value=value))
        return ""
    return kind


def _year_group(p: _Parser) -> tuple[int | None, int | None]:
    value = p.values.get("year_group", "")
    year_text = p.values.get("year_group_year", "")
    if not value:
        return None, None
    match = re.fullmatch(r"(?:y(?:ear)?\s*)?(r|reception|\d{1,2})", value.strip().lower())
    group = None
    if match:
        token = match.group(1)
        group = 0 if token in ("r", "reception") else int(token)
    if group is None or not 0 <= group <= 14:
        p.error("year_group", BAD_YEAR_GROUP.format(value=value))
        return None, None
    if not year_text:
        p.error("year_group_year", YEAR_GROUP_YEAR_NEEDED)
        return None, None
    match = re.fullmatch(r"(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?", year_text)
    if not match or not 2000 <= int(match.group(1)) <= 2030:
        p.error("year_group_year", BAD_YEAR_GROUP_YEAR.format(value=year_text))
        return None, None
    start = int(match.group(1))
    if match.group(2) and int(match.group(2)) % 100 != (start + 1) % 100:
        p.error("year_group_year", BAD_YEAR_GROUP_YEAR.format(value=year_text))
        return None, None
    return group, start


def _transfer(p: _Parser) -> tuple[date | None, str]:
    on_text = p.values.get("expected_transfer_on", "")
    kind = p.values.get("expected_transfer_type", "").strip().lower()
    if bool(on_text) != bool(kind):
        p.error("expected_transfer_type" if on_text else "expected_transfer_on", TRANSFER_PAIR)
        return None, ""
    if not on_text:
        return None, ""
    if kind not in tt.TRANSFER_TYPES:
        p.error(
            "expected_transfer_type",
            UNKNOWN_TRANSFER.format(value=kind, choices=", ".join(tt.TRANSFER_TYPES)),
        )
        kind = ""
    on = csv_import.parse_date(on_text)  # an expected move may be in the future
    if on is None:
        p.error(
            "expected_transfer_on",
            NOT_A_DATE.format(label=LABELS["expected_transfer_on"], value=on_text),
        )
        return None, ""
    return on, kind


def _review(p: _Parser, kind: str, made: date | None):
    """The transfer done before this system: notice, start, conclusion and outcome."""
    notice = p.date("notice_given_on")
    started = p.date("review_started_on")
    concluded = p.date("concluded_on")
    outcome_text = p.values.get("outcome", "").strip().lower()
    outcome = ""
    if outcome_text:
        if outcome_text in OUTCOMES:
            outcome = OUTCOMES[outcome_text]
        else:
            p.error("outcome", UNKNOWN_OUTCOME.format(value=outcome_text))
    for column, value in (("notice_given_on", notice), ("review_started_on", started)):
        if value and made and value < made:
            p.error(column, BEFORE_MADE.format(label=LABELS[column], value=value, made=made))
    if started and kind == tt.STATEMENT:
        if notice is None:
            if not any(c == "notice_given_on" for c, _ in p.errors):
                p.error("review_started_on", START_NEEDS_NOTICE)
        elif notice > started:
            p.error("notice_given_on", NOTICE_AFTER_START.format(notice=notice, start=started))
        elif not tt.notice_is_enough(notice, started):
            earliest = tt.earliest_start_after_notice(notice)
            p.error(
                "review_started_on",
                START_TOO_SOON.format(start=started, notice=notice, earliest=earliest),
            )
    if concluded:
        if started is None:
            p.error("concluded_on", CONCLUDED_NEEDS_START)
        elif concluded < started:
            p.error("concluded_on", CONCLUDED_BEFORE_START.format(end=concluded, start=started))
        if not outcome_text:
            p.error("outcome", DATE_NEEDS_OUTCOME)
    elif outcome_text:
        p.error("outcome", OUTCOME_NEEDS_DATE)
    return notice, started, concluded, outcome


def _resolve_settings(rows: list[LegacyRow]) -> list[RowError]:
    codes = {r.setting_code for r in rows if r.setting_code}
    if not codes:
        return []
    found: dict[str, list[int]] = {}
    for pk, urn, ukprn in Setting.objects.filter(Q(urn__in=codes) | Q(ukprn__in=codes)).values_list(
        "pk", "urn", "ukprn"
    ):
        for code in {urn, ukprn} & codes:
            found.setdefault(code, []).append(pk)
    errors = []
    for row in rows:
        if not row.setting_code:
            continue
        matches = found.get(row.setting_code, [])
        if len(matches) == 1:
            row.setting_id = matches[0]
        else:
            message = AMBIGUOUS_SETTING if matches else UNKNOWN_SETTING
            errors.append(
                RowError(row.line, row.reference, message.format(value=row.setting_code), "setting")
            )
    return errors


# What must match between a row and an instrument already in the database.
_INSTRUMENT_FIELDS = (
    ("instrument_type", "instrument_type", "instrument type"),
    ("made_on", "made_on", "date made"),
    ("setting_id", "current_setting_id", "setting"),
    ("year_group", "year_group", "year group"),
    ("year_group_academic_year", "year_group_academic_year", "school year of the year group"),
    ("expected_transfer_on", "expected_transfer_on", "expected transfer date"),
    ("expected_transfer_type", "expected_transfer_type", "expected transfer type"),
    ("ceased_on", "ceased_on", "date ceased"),
)
_REVIEW_FIELDS = (
    ("notice_given_on", "notice_given_on", "notice date"),
    ("review_started_on", "started_on", "review start"),
    ("concluded_on", "concluded_on", "review conclusion"),
    ("outcome", "outcome", "review outcome"),
)


def _compare_with_database(rows: list[LegacyRow]) -> tuple[set[str], list[RowError]]:
    """References already imported with the same details, and those with different ones.

    References are compared ignoring letter case, as within the file: STMT-1 and stmt-1 are
    taken to be the same instrument.
    """
    by_key = {r.reference.lower(): r for r in rows}
    existing = (
        LegacyInstrument.objects.annotate(reference_key=Lower("reference"))
        .filter(reference_key__in=list(by_key))
        .select_related("child", "transfer_review")
    )
    unchanged, errors = set(), []
    for instrument in existing:
        row = by_key[instrument.reference.lower()]
        if instrument.reference != row.reference:
            differs = [f"stored as {instrument.reference}"]
        else:
            differs = _differences(row, instrument)
        if differs:
            message = DUPLICATE_IN_DB.format(reference=row.reference, fields=", ".join(differs))
            errors.append(RowError(row.line, row.reference, message, "reference"))
        else:
            unchanged.add(row.reference)
    return unchanged, errors


def _same_name(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def _differences(row: LegacyRow, instrument: LegacyInstrument) -> list[str]:
    child = instrument.child
    differs = [
        label
        for row_name, model_name, label in _INSTRUMENT_FIELDS
        if getattr(row, row_name) != getattr(instrument, model_name)
    ]
    if not _same_name(row.first_name, child.first_name):
        differs.append("first name")
    if not _same_name(row.last_name, child.last_name):
        differs.append("last name")
    if row.date_of_birth != child.date_of_birth:
        differs.append("date of birth")
    if row.upn and row.upn != child.upn:
        differs.append("UPN")
    if row.has_review:
        review = getattr(instrument, "transfer_review", None)
        if review is None:
            differs.append("transfer review dates (none recorded)")
        else:
            differs += [
                label
                for row_name, model_name, label in _REVIEW_FIELDS
                if getattr(row, row_name) != getattr(review, model_name)
            ]
    return differs


def _save(rows, content, filename, total, unchanged, acting_user) -> int:
    if not rows:
        return 0
    batch = LegacyImport(
        filename=filename[:200],
        sha256=hashlib.sha256(content).hexdigest(),
        rows=total,
        created=len(rows),
        unchanged=unchanged,
        imported_by=acting_user,
    )
    batch._history_user = acting_user
    batch.save()
    children, linked = _children_for(rows, acting_user)
    instruments = bulk_create_with_history(
        [
            LegacyInstrument(
                reference=r.reference,
                instrument_type=r.instrument_type,
                child=children[r.reference],
                made_on=r.made_on,
                current_setting_id=r.setting_id,
                year_group=r.year_group,
                year_group_academic_year=r.year_group_academic_year,
                expected_transfer_on=r.expected_transfer_on,
                expected_transfer_type=r.expected_transfer_type,
                ceased_on=r.ceased_on,
                imported_by=batch,
            )
            for r in rows
        ],
        LegacyInstrument,
        batch_size=1000,
        default_user=acting_user,
        default_change_reason=f"Imported from {filename[:80]}",
    )
    if instruments and instruments[0].pk is None:  # backends that return no ids from bulk inserts
        instruments = list(LegacyInstrument.objects.filter(imported_by=batch))
    ids = {i.reference: i.pk for i in instruments}
    reviews = [
        TransferReview(
            instrument_id=ids[r.reference],
            source=TransferReview.Source.IMPORT,
            notice_given_on=r.notice_given_on,
            planned_start_on=r.review_started_on,
            started_on=r.review_started_on,
            concluded_on=r.concluded_on,
            outcome=r.outcome,
        )
        for r in rows
        if r.has_review
    ]
    if reviews:
        bulk_create_with_history(
            reviews,
            TransferReview,
            batch_size=1000,
            default_user=acting_user,
            default_change_reason=f"Imported from {filename[:80]}",
        )
    return linked


def _children_for(rows: list[LegacyRow], acting_user) -> tuple[dict[str, Child], int]:
    """A child per row: the one existing child with the same UPN, date of birth and names, or a
    new one. Nothing is linked on names alone, and a doubtful match makes a new record.
    """
    upns = {r.upn for r in rows if r.upn}
    existing: dict[tuple[str, date], list[Child]] = {}
    for child in Child.objects.filter(upn__in=upns) if upns else []:
        existing.setdefault((child.upn, child.date_of_birth), []).append(child)
    children: dict[str, Child] = {}
    new: list[tuple[str, Child]] = []
    linked = 0
    for r in rows:
        matches = [
            c
            for c in (existing.get((r.upn, r.date_of_birth), []) if r.upn else [])
            if _same_name(c.first_name, r.first_name) and _same_name(c.last_name, r.last_name)
        ]
        if len(matches) == 1:
            children[r.reference] = matches[0]
            linked += 1
        else:
            new.append(
                (
                    r.reference,
                    Child(
                        first_name=r.first_name,
                        last_name=r.last_name,
                        date_of_birth=r.date_of_birth,
                        upn=r.upn,
                        current_setting_id=r.setting_id,
                    ),
                )
            )
    created = bulk_create_with_history(
        [c for _, c in new],
        Child,
        batch_size=1000,
        default_user=acting_user,
        default_change_reason="Legacy instrument import",
    )
    if created and created[0].pk is None:
        raise IntegrityError("The database did not return ids for new children.")
    for (reference, _), child in zip(new, created, strict=True):
        children[reference] = child
    return children, linked
