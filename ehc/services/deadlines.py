"""Keeping a case's Deadline rows in step with its events."""

from collections.abc import Callable
from datetime import date

from django.db import transaction

from ehc import deadline_rules, timescales
from ehc.models import Case, Deadline, TimescaleException
from ehc.services.common import local_today

RULE_SET_VERSION = "SEND Regs 2014 as amended (SI 2015/359)"

# Called as hook(case=...) after a case's deadline rows were created or a due date, status or
# open flag changed, inside the same transaction, so copies of a due date elsewhere (the work
# queue's) stay in step. Apps register with on_deadlines_changed; the core names none of them.
DEADLINES_CHANGED_HOOKS: list[Callable[..., None]] = []

# A change to one of these fields is news for the hooks.
_NEWS_FIELDS = frozenset({"due_on", "status", "is_open"})


def on_deadlines_changed(hook: Callable[..., None]) -> None:
    if hook not in DEADLINES_CHANGED_HOOKS:
        DEADLINES_CHANGED_HOOKS.append(hook)


def _tell(case: Case) -> None:
    for hook in DEADLINES_CHANGED_HOOKS:
        hook(case=case)


EVENTS_SOURCE = "events"

# Fields recompute may change on an existing row; others identify the row.
DEADLINE_MUTABLE_FIELDS = (
    "title",
    "legal_basis",
    "rule_version",
    "calendar_version",
    "explanation",
    "starts_on",
    "due_on",
    "met_on",
    "days_taken",
    "status",
    "is_open",
    "is_guidance",
    "is_family_window",
    "started_by_id",
)


def events_as_facts(case: Case) -> list[deadline_rules.EventFact]:
    return [
        deadline_rules.EventFact(kind=k, occurred_on=d, subject_key=s, id=i)
        for i, k, d, s in case.events.values_list("id", "kind", "occurred_on", "subject_key")
    ]


def deadline_row_fields(
    planned: deadline_rules.PlannedDeadline, *, today: date, excused: bool
) -> dict[str, object]:
    """The stored form of one planned deadline: the same for one case or a bulk seed."""
    rule = timescales.RULES[planned.kind]
    status, is_open = deadline_rules.deadline_status(planned, today=today, excused=excused)
    return {
        "kind": planned.kind,
        "subject_key": planned.subject_key,
        "title": deadline_rules.deadline_title(planned, rule.title),
        "legal_basis": rule.legal_basis,
        "rule_version": RULE_SET_VERSION,
        "calendar_version": timescales.CALENDAR_VERSION,
        "explanation": rule.explain_for(planned.starts_on, planned.due_on),
        "starts_on": planned.starts_on,
        "due_on": planned.due_on,
        "met_on": planned.met_on,
        "days_taken": (planned.met_on - planned.starts_on).days if planned.met_on else None,
        "status": status,
        "is_open": is_open,
        "is_guidance": planned.guidance,
        "is_family_window": planned.family_window,
        "started_by_id": planned.started_by,
    }


@transaction.atomic
def case_deadlines_recompute(*, case: Case, today: date | None = None) -> list[Deadline]:
    """Recompute every deadline of the case from its events; save only rows that changed."""
    today = today or local_today()
    planned = deadline_rules.plan_case_deadlines(
        clock_starts_on=case.clock_starts_on,
        events=events_as_facts(case),
        request_clocks=case.route == Case.Route.REQUEST,
    )
    existing = {
        (d.kind, d.subject_key): d
        for d in case.deadlines.filter(source=EVENTS_SOURCE).select_for_update()
    }
    excused_ids = set(
        TimescaleException.objects.filter(deadline__case=case).values_list("deadline_id", flat=True)
    )
    kept = []
    news = False
    for item in planned:
        row = existing.pop((item.kind, item.subject_key), None)
        excused = row is not None and row.pk in excused_ids
        fields = deadline_row_fields(item, today=today, excused=excused)
        saved, changed = _upsert(case, row, fields)
        kept.append(saved)
        news = news or changed
    for orphan in existing.values():  # its starting event was corrected away
        if orphan.is_open or orphan.status != Deadline.Status.NOT_NEEDED:
            orphan.status, orphan.is_open = Deadline.Status.NOT_NEEDED, False
            orphan.save(update_fields=["status", "is_open"])
            news = True
    if news:
        _tell(case)
    return kept


def _upsert(case: Case, row: Deadline | None, fields: dict[str, object]) -> tuple[Deadline, bool]:
    """The saved row, and whether it is new or its due date, status or open flag changed."""
    if row is None:
        return Deadline.objects.create(case=case, **fields), True
    changed = [f for f in DEADLINE_MUTABLE_FIELDS if getattr(row, f) != fields[f]]
    if changed:
        for f in changed:
            setattr(row, f, fields[f])
        row.save(update_fields=changed)
    return row, not _NEWS_FIELDS.isdisjoint(changed)


@transaction.atomic
def deadline_track(
    *,
    case: Case,
    source: str,
    kind: str,
    starts_on: date,
    due_on: date,
    subject_key: str = "",
    met_on: date | None = None,
    needed: bool = True,
    family_window: bool = False,
    guidance: bool = False,
    started_by_id: int | None = None,
    today: date | None = None,
) -> Deadline:
    """Store a deadline that an app keeps itself (a clock not planned from the case's events:
    a personal budget review, a transfer review, a tribunal order). The app computes due_on with
    ehc.timescales; this stores it the same way as every other deadline, so alerts, the case page
    and dashboards see it. Calling it again with new facts updates the row."""
    if source == EVENTS_SOURCE:
        raise ValueError("Deadlines planned from events are kept by case_deadlines_recompute.")
    planned = deadline_rules.PlannedDeadline(
        kind=kind,
        subject_key=subject_key,
        starts_on=starts_on,
        due_on=due_on,
        met_on=met_on,
        needed=needed,
        started_by=started_by_id,
        family_window=family_window,
        guidance=guidance,
    )
    row = case.deadlines.select_for_update().filter(kind=kind, subject_key=subject_key).first()
    if row is not None and row.source != source:
        raise ValueError(f"{kind}/{subject_key} on {case} is kept by {row.source}, not {source}.")
    excused = row is not None and row.exceptions.exists()
    fields = deadline_row_fields(planned, today=today or local_today(), excused=excused)
    if row is None:
        row, news = Deadline.objects.create(case=case, source=source, **fields), True
    else:
        row, news = _upsert(case, row, fields)
    if news:
        _tell(case)
    return row


def deadline_refresh(*, deadline: Deadline, today: date | None = None) -> Deadline:
    """Bring one row's status up to date after an exception is recorded against it."""
    if deadline.source == EVENTS_SOURCE:
        case_deadlines_recompute(case=deadline.case, today=today)
        deadline.refresh_from_db()
        return deadline
    return deadline_track(
        case=deadline.case,
        source=deadline.source,
        kind=deadline.kind,
        subject_key=deadline.subject_key,
        starts_on=deadline.starts_on,
        due_on=deadline.due_on,
        met_on=deadline.met_on,
        needed=deadline.status != Deadline.Status.NOT_NEEDED,
        family_window=deadline.is_family_window,
        guidance=deadline.is_guidance,
        started_by_id=deadline.started_by_id,
        today=today,
    )


def deadlines_refresh_statuses(*, today: date | None = None) -> int:
    """Mark open deadlines that ran out as missed, and close family windows that ended.

    Set-based (two UPDATEs on the open-deadline index), so it costs the same for 100 or 100,000
    cases and is safe to run any number of times.
    """
    today = today or local_today()
    open_past_due = Deadline.objects.filter(is_open=True, due_on__lt=today)
    windows = open_past_due.filter(is_family_window=True).update(
        status=Deadline.Status.MET, is_open=False
    )
    missed = open_past_due.filter(is_family_window=False, status=Deadline.Status.RUNNING).update(
        status=Deadline.Status.BREACHED
    )
    return windows + missed
