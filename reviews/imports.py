"""Bringing a council's existing plans in from CSV (issue 14, "Bring the caseload in").

All or nothing: every row is checked first and each bad row is reported by its line number (the
header is line 1) with the reason; if any row is bad nothing is saved. A row whose reference was
imported before updates that plan in place. New plans are created in bulk (batches of
BATCH_SIZE, the file read as a stream), each with its child, its case, version 1 of the plan, the
"final plan issued" and "annual review held" events and its review clocks, so an overdue review
shows at once.

Columns (header row, any order): reference, first_name, last_name, date_of_birth, plan_issued_on
(required); upn, last_review_meeting_on, last_review_decided_on, setting_urn (URN or UKPRN),
setting_type, primary_need (SEN2 code), caseworker (username or email), team.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import IO

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ehc import csv_import
from ehc import deadline_rules as dr
from ehc.csv_import import EMPTY as EMPTY
from ehc.csv_import import NOT_UTF8 as NOT_UTF8
from ehc.csv_import import ImportReport
from ehc.models import Case, CaseEvent, Child, Deadline, Setting, Team, User
from ehc.models.cases import new_case_reference
from ehc.models.people import UPN_VALIDATOR
from ehc.search import search_index_update
from ehc.services.common import local_today
from ehc.services.deadlines import deadline_row_fields
from reviews import phases, services
from reviews.bulk import (
    DEADLINE_FIELDS,
    allocate_ids,
    insert_history,
    insert_plain,
    with_defaults,
)
from reviews.models import SECTION_FIELDS, MaintainedPlan, PlanVersion, PrimaryNeed

BATCH_SIZE = 5000
REQUIRED = ("reference", "first_name", "last_name", "date_of_birth", "plan_issued_on")
OPTIONAL = (
    "upn",
    "last_review_meeting_on",
    "last_review_decided_on",
    "setting_urn",
    "setting_type",
    "primary_need",
    "caseworker",
    "team",
)
COLUMNS = REQUIRED + OPTIONAL
MAX_AGE = 25
LABELS = {
    "reference": "reference",
    "first_name": "first name",
    "last_name": "last name",
    "date_of_birth": "date of birth",
    "plan_issued_on": "date the plan was issued",
    "last_review_meeting_on": "date of the last review meeting",
    "last_review_decided_on": "date of the last review decision",
}

NO_ROWS = "The file has a header row but no plans."
REQUIRED_CELL = "Enter the {label}."
TOO_LONG = "The {label} is longer than {max} characters."
NOT_A_DATE = "The {label} '{value}' is not a real date; use YYYY-MM-DD or DD/MM/YYYY."
IN_FUTURE = "The {label} ({value:%d %B %Y}) is in the future."
BORN_AFTER_ISSUE = (
    "The date of birth ({dob:%d %B %Y}) is after the plan was issued ({issued:%d %B %Y})."
)
TOO_OLD = "The young person is 25 or over: a plan cannot be maintained past the 25th birthday."
MEETING_BEFORE_ISSUE = (
    "The last review meeting ({meeting:%d %B %Y}) is before the plan was issued "
    "({issued:%d %B %Y})."
)
DECISION_BEFORE_MEETING = (
    "The last review decision ({decided:%d %B %Y}) is before the review meeting "
    "({meeting:%d %B %Y})."
)
DECISION_WITHOUT_MEETING = (
    "A review decision needs the date of its meeting (last_review_meeting_on)."
)
UNKNOWN_SETTING = "No school or setting has the URN or UKPRN {value}. Add the setting first."
AMBIGUOUS_SETTING = "More than one school or setting has the URN or UKPRN {value}."
BAD_NEED = "Unknown primary need '{value}': use one of {codes}."
BAD_UPN = "The UPN '{value}' is not valid: a letter, 11 digits, then a digit or letter."
UNKNOWN_CASEWORKER = "No caseworker has the username or email '{value}'."
UNKNOWN_TEAM = "No team is called '{value}'."
NO_TEAM = "There is no team to put the plans in; add a team first."
HISTORY_REASON = "Imported from the previous system"


@dataclass(slots=True)
class PlanRow:
    line: int
    reference: str
    first_name: str
    last_name: str
    date_of_birth: date
    plan_issued_on: date
    upn: str
    meeting_on: date | None
    decided_on: date | None
    setting_id: int | None
    setting_type: str
    primary_need: str
    caseworker_id: int | None
    team_id: int


class _Lookups:
    """Settings, caseworkers and teams, loaded once (three queries) for the whole file."""

    def __init__(self) -> None:
        self.settings: dict[str, list[int]] = {}
        for pk, urn, ukprn in Setting.objects.values_list("pk", "urn", "ukprn"):
            for code in (urn, ukprn):
                if code:
                    self.settings.setdefault(code, []).append(pk)
        self.users: dict[str, int] = {}
        for pk, username, email in User.objects.values_list("pk", "username", "email"):
            self.users[username.lower()] = pk
            if email:
                self.users.setdefault(email.lower(), pk)
        self.teams = {name.lower(): pk for pk, name in Team.objects.values_list("pk", "name")}
        self.default_team = min(self.teams.values()) if self.teams else None


def _check_row(line: int, cells: dict[str, str], look: _Lookups, today: date) -> PlanRow:
    problems: list[str] = []

    def text(column: str, max_length: int = 100, required: bool = False) -> str:
        value = cells.get(column, "").strip()
        if required and not value:
            problems.append(REQUIRED_CELL.format(label=LABELS.get(column, column)))
        if len(value) > max_length:
            problems.append(TOO_LONG.format(label=LABELS.get(column, column), max=max_length))
        return value

    def day(column: str, required: bool = False) -> date | None:
        value = cells.get(column, "").strip()
        if not value:
            if required:
                problems.append(REQUIRED_CELL.format(label=LABELS[column]))
            return None
        parsed = csv_import.parse_date(value)
        if parsed is None:
            problems.append(NOT_A_DATE.format(label=LABELS[column], value=value))
        elif parsed > today:
            problems.append(IN_FUTURE.format(label=LABELS[column], value=parsed))
            return None
        return parsed

    reference = text("reference", 40, required=True)
    first_name = text("first_name", required=True)
    last_name = text("last_name", required=True)
    dob = day("date_of_birth", required=True)
    issued = day("plan_issued_on", required=True)
    meeting = day("last_review_meeting_on")
    decided = day("last_review_decided_on")
    upn = text("upn", 13).upper()
    if upn:
        try:
            UPN_VALIDATOR(upn)
        except Exception:
            problems.append(BAD_UPN.format(value=upn))
    if dob and issued and dob > issued:
        problems.append(BORN_AFTER_ISSUE.format(dob=dob, issued=issued))
    if dob and dob + relativedelta(years=MAX_AGE) <= today:
        problems.append(TOO_OLD)
    if meeting and issued and meeting < issued:
        problems.append(MEETING_BEFORE_ISSUE.format(meeting=meeting, issued=issued))
    if decided and not meeting:
        problems.append(DECISION_WITHOUT_MEETING)
    if decided and meeting and decided < meeting:
        problems.append(DECISION_BEFORE_MEETING.format(decided=decided, meeting=meeting))
    setting_id = None
    code = text("setting_urn", 8)
    if code:
        found = look.settings.get(code, [])
        if not found:
            problems.append(UNKNOWN_SETTING.format(value=code))
        elif len(found) > 1:
            problems.append(AMBIGUOUS_SETTING.format(value=code))
        else:
            setting_id = found[0]
    need = text("primary_need", 4).upper()
    if need and need not in PrimaryNeed.values:
        problems.append(BAD_NEED.format(value=need, codes=", ".join(PrimaryNeed.values)))
    caseworker_id = None
    worker = text("caseworker", 150).lower()
    if worker:
        caseworker_id = look.users.get(worker)
        if caseworker_id is None:
            problems.append(UNKNOWN_CASEWORKER.format(value=worker))
    team_name = text("team")
    team_id = look.teams.get(team_name.lower()) if team_name else look.default_team
    if team_name and team_id is None:
        problems.append(UNKNOWN_TEAM.format(value=team_name))
    elif team_id is None:
        problems.append(NO_TEAM)
    if problems:
        raise csv_import.BadRow(problems)
    return PlanRow(
        line=line,
        reference=reference,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=dob,
        plan_issued_on=issued,
        upn=upn,
        meeting_on=meeting,
        decided_on=decided,
        setting_id=setting_id,
        setting_type=text("setting_type", 200),
        primary_need=need,
        caseworker_id=caseworker_id,
        team_id=team_id,
    )


def plans_check_csv(*, stream: IO[bytes], today: date) -> csv_import.CheckedFile[PlanRow]:
    """Read and check every row; nothing is written."""
    look = _Lookups()
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        return csv_import.check_csv(
            text,
            columns=csv_import.CsvColumns(REQUIRED, OPTIONAL),
            parse=lambda line, cells: _check_row(line, cells, look, today),
            cells_problem=csv_import.refuse_other_cell_counts,
            no_rows=NO_ROWS,
        )
    finally:
        text.detach()  # leave the caller's stream open


def plans_import_csv(
    *, stream: IO[bytes], acting_user: User | None, today: date | None = None
) -> ImportReport:
    """Check the whole file, then create or update every plan in it, or nothing."""
    today = today or local_today()
    checked = plans_check_csv(stream=stream, today=today)
    if checked.errors:
        return ImportReport(rows=checked.records, errors=tuple(checked.errors))
    rows = checked.rows
    with transaction.atomic():
        existing = (
            dict(
                MaintainedPlan.objects.filter(
                    import_reference__in=[r.reference for r in rows]
                ).values_list("import_reference", "pk")
            )
            if len(rows) <= 50_000
            else _existing_in_batches(rows)
        )
        new = [r for r in rows if r.reference not in existing]
        old = [r for r in rows if r.reference in existing]
        for start in range(0, len(new), BATCH_SIZE):
            _create_batch(new[start : start + BATCH_SIZE], acting_user, today)
        _update(old, existing, acting_user, today)
    return ImportReport(rows=len(rows), created=len(new), updated=len(old))


def _existing_in_batches(rows: list[PlanRow]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(rows), 20_000):
        refs = [r.reference for r in rows[start : start + 20_000]]
        found.update(
            MaintainedPlan.objects.filter(import_reference__in=refs).values_list(
                "import_reference", "pk"
            )
        )
    return found


def _basis(row: PlanRow) -> date | None:
    return row.decided_on if services.last_reviewed_basis() == "decision" else row.meeting_on


def _next_review_due(row: PlanRow) -> date:
    from ehc import timescales

    basis = _basis(row)
    if basis is None:
        return timescales.first_review_due(row.plan_issued_on)
    return timescales.next_review_due(basis)


def _create_batch(batch: list[PlanRow], acting_user: User | None, today: date) -> None:
    """Children, cases, plans, their version 1, events, clocks and history rows for one batch:
    ids reserved up front, so each table takes one COPY or prepared INSERT and no row is read
    back."""
    n = len(batch)
    user_id = acting_user.pk if acting_user else None
    now = timezone.now()
    child_ids = allocate_ids(Child, n)
    case_ids = allocate_ids(Case, n)
    plan_ids = allocate_ids(MaintainedPlan, n)
    columns, defaults = with_defaults(
        Child, ["id", "first_name", "last_name", "date_of_birth", "upn", "current_setting_id"]
    )
    insert_plain(
        Child,
        columns,
        (
            (pk, r.first_name, r.last_name, r.date_of_birth, r.upn, r.setting_id, *defaults)
            for pk, r in zip(child_ids, batch, strict=True)
        ),
    )
    references = _new_case_references(n)
    columns, defaults = with_defaults(
        Case,
        [
            "id",
            "reference",
            "route",
            "child_id",
            "team_id",
            "assigned_caseworker_id",
            "requester_type",
            "request_channel",
            "clock_starts_on",
            "stage",
            "outcome",
            "created_at",
        ],
    )
    insert_plain(
        Case,
        columns,
        (
            (
                pk,
                ref,
                Case.Route.IMPORTED,
                child_id,
                r.team_id,
                r.caseworker_id,
                Case.RequesterType.OTHER,
                Case.Channel.COUNCIL,
                r.plan_issued_on,
                Case.Stage.PLAN_ISSUED,
                Case.Outcome.PLAN_ISSUED,
                now,
                *defaults,
            )
            for pk, ref, child_id, r in zip(case_ids, references, child_ids, batch, strict=True)
        ),
    )
    due = [_next_review_due(r) for r in batch]
    columns, defaults = with_defaults(
        MaintainedPlan,
        [
            "id",
            "case_id",
            "child_id",
            "origin",
            "import_reference",
            "first_issued_on",
            "current_setting_id",
            "setting_type",
            "primary_need",
            "last_review_meeting_on",
            "last_review_decided_on",
            "next_review_due",
            "created_at",
        ],
    )
    insert_plain(
        MaintainedPlan,
        columns,
        (
            (
                pk,
                case_id,
                child_id,
                MaintainedPlan.Origin.IMPORT,
                r.reference,
                r.plan_issued_on,
                r.setting_id,
                r.setting_type,
                r.primary_need,
                r.meeting_on,
                r.decided_on,
                next_due,
                now,
                *defaults,
            )
            for pk, case_id, child_id, r, next_due in zip(
                plan_ids, case_ids, child_ids, batch, due, strict=True
            )
        ),
    )
    for model, ids in ((Child, child_ids), (Case, case_ids), (MaintainedPlan, plan_ids)):
        insert_history(model, ids, when=now, user_id=user_id, reason=HISTORY_REASON)
    insert_plain(
        PlanVersion,
        [
            "plan_id",
            "number",
            "issued_on",
            "reason",
            *SECTION_FIELDS,
            "named_setting_id",
            "created_by_id",
            "created_at",
        ],
        (
            (
                plan_id,
                1,
                r.plan_issued_on,
                PlanVersion.Reason.IMPORTED,
                *(r.setting_type if f == "section_i" else "" for f in SECTION_FIELDS),
                r.setting_id,
                user_id,
                now,
            )
            for r, plan_id in zip(batch, plan_ids, strict=True)
        ),
    )
    events = []
    for r, case_id in zip(batch, case_ids, strict=True):
        events.append((case_id, CaseEvent.Kind.FINAL_PLAN_ISSUED, r.plan_issued_on))
        if r.meeting_on:
            events.append((case_id, CaseEvent.Kind.ANNUAL_REVIEW_HELD, r.meeting_on))
    insert_plain(
        CaseEvent,
        [
            "case_id",
            "kind",
            "occurred_on",
            "subject_key",
            "summary",
            "details",
            "recorded_by_id",
            "recorded_at",
        ],
        ((case_id, kind, on, "", "Imported", {}, user_id, now) for case_id, kind, on in events),
    )
    facts: dict[int, list[dr.EventFact]] = {}
    for case_id, kind, on in events:
        facts.setdefault(case_id, []).append(dr.EventFact(kind=kind, occurred_on=on))
    insert_plain(
        Deadline,
        ["case_id", "source", *DEADLINE_FIELDS],
        _deadline_rows(batch, case_ids, due, facts, today),
    )
    # Bulk inserts send no save signals: index the new cases for staff search here.
    search_index_update(kind="case", ids=case_ids)


def _new_case_references(count: int) -> list[str]:
    """`count` case references, unique among themselves and unused (one query)."""
    chosen: set[str] = set()
    while len(chosen) < count:
        chosen.update(new_case_reference() for _ in range(count - len(chosen)))
        chosen -= set(Case.objects.filter(reference__in=chosen).values_list("reference", flat=True))
    return list(chosen)


def _deadline_rows(
    batch: list[PlanRow],
    case_ids: list[int],
    due: list[date],
    facts: dict[int, list[dr.EventFact]],
    today: date,
) -> Iterable[tuple]:
    from ehc import timescales

    def row(case_id: int, source: str, planned: dr.PlannedDeadline) -> tuple:
        fields = deadline_row_fields(planned, today=today, excused=False)
        return (case_id, source, *(fields[f] for f in DEADLINE_FIELDS))

    for r, case_id, next_due in zip(batch, case_ids, due, strict=True):
        for planned in dr.plan_case_deadlines(
            clock_starts_on=r.plan_issued_on, events=facts[case_id], request_clocks=False
        ):
            yield row(case_id, "events", planned)
        basis = _basis(r)
        if basis is not None:
            yield row(
                case_id,
                services.SOURCE,
                dr.PlannedDeadline(
                    kind="R2",
                    subject_key="",
                    starts_on=basis,
                    due_on=next_due,
                    met_on=None,
                    needed=True,
                    started_by=None,
                ),
            )
        if phases.age_on_31_august(r.date_of_birth, today.year) < 5:
            start = basis or r.plan_issued_on  # R3: from the issue until the first review
            yield row(
                case_id,
                services.SOURCE,
                dr.PlannedDeadline(
                    kind="R3",
                    subject_key="",
                    starts_on=start,
                    due_on=timescales.early_years_review_due(start),
                    met_on=None,
                    needed=True,
                    started_by=None,
                    guidance=True,
                ),
            )


def _update(
    rows: list[PlanRow], existing: dict[str, int], acting_user: User | None, today: date
) -> None:
    """Re-imported references: the plan and child are updated in place, their clocks recomputed."""
    from ehc.services.deadlines import case_deadlines_recompute

    if not rows:
        return
    plans = MaintainedPlan.objects.select_related("case", "child").in_bulk(
        [existing[r.reference] for r in rows]
    )
    for r in rows:
        plan = plans[existing[r.reference]]
        child = plan.child
        child.first_name, child.last_name = r.first_name, r.last_name
        child.date_of_birth, child.upn = r.date_of_birth, r.upn or child.upn
        child.current_setting_id = r.setting_id
        child.save()
        plan.first_issued_on = r.plan_issued_on
        plan.current_setting_id, plan.setting_type = r.setting_id, r.setting_type
        plan.primary_need = r.primary_need
        plan.last_review_meeting_on, plan.last_review_decided_on = r.meeting_on, r.decided_on
        plan._history_user = acting_user
        case = plan.case
        case.assigned_caseworker_id = r.caseworker_id or case.assigned_caseworker_id
        case.team_id = r.team_id
        case.save(update_fields=["assigned_caseworker", "team"])
        events = case.events.filter(
            Q(kind=CaseEvent.Kind.ANNUAL_REVIEW_HELD) | Q(kind=CaseEvent.Kind.FINAL_PLAN_ISSUED)
        )
        if (
            r.meeting_on
            and not events.filter(
                kind=CaseEvent.Kind.ANNUAL_REVIEW_HELD, occurred_on=r.meeting_on
            ).exists()
        ):
            CaseEvent.objects.create(
                case=case,
                kind=CaseEvent.Kind.ANNUAL_REVIEW_HELD,
                occurred_on=r.meeting_on,
                summary="Imported",
                recorded_by=acting_user,
            )
        events.filter(kind=CaseEvent.Kind.FINAL_PLAN_ISSUED).update(occurred_on=r.plan_issued_on)
        case_deadlines_recompute(case=case, today=today)
        services.plan_clocks_refresh(plan=plan, today=today)
        plan.save()
