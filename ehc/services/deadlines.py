"""Keeping a case's Deadline rows in step with its events."""

from datetime import date

from django.db import transaction

from ehc import deadline_rules, timescales
from ehc.models import Case, Deadline, TimescaleException
from ehc.services.common import local_today

RULE_SET_VERSION = "SEND Regs 2014 as amended (SI 2015/359)"

# Fields recompute may change on an existing row; others identify the row.
_MUTABLE_FIELDS = (
    "title",
    "legal_basis",
    "rule_version",
    "calendar_version",
    "explanation",
    "starts_on",
    "due_on",
    "met_on",
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
) -> dict:
    """The stored form of one planned deadline: the same for one case or a bulk seed."""
    rule = timescales.RULES[planned.kind]
    status, is_open = deadline_rules.deadline_status(planned, today=today, excused=excused)
    return {
        "kind": planned.kind,
        "subject_key": planned.subject_key,
        "title": rule.title,
        "legal_basis": rule.legal_basis,
        "rule_version": RULE_SET_VERSION,
        "calendar_version": timescales.CALENDAR_VERSION,
        "explanation": rule.explain_for(planned.starts_on, planned.due_on),
        "starts_on": planned.starts_on,
        "due_on": planned.due_on,
        "met_on": planned.met_on,
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
        clock_starts_on=case.clock_starts_on, events=events_as_facts(case)
    )
    existing = {(d.kind, d.subject_key): d for d in case.deadlines.select_for_update()}
    excused_ids = set(
        TimescaleException.objects.filter(deadline__case=case).values_list("deadline_id", flat=True)
    )
    kept = []
    for item in planned:
        row = existing.pop((item.kind, item.subject_key), None)
        excused = row is not None and row.pk in excused_ids
        fields = deadline_row_fields(item, today=today, excused=excused)
        kept.append(_upsert(case, row, fields))
    for orphan in existing.values():  # its starting event was corrected away
        if orphan.is_open or orphan.status != Deadline.Status.NOT_NEEDED:
            orphan.status, orphan.is_open = Deadline.Status.NOT_NEEDED, False
            orphan.save(update_fields=["status", "is_open"])
    return kept


def _upsert(case: Case, row: Deadline | None, fields: dict) -> Deadline:
    if row is None:
        return Deadline.objects.create(case=case, **fields)
    changed = [f for f in _MUTABLE_FIELDS if getattr(row, f) != fields[f]]
    if changed:
        for f in changed:
            setattr(row, f, fields[f])
        row.save(update_fields=changed)
    return row


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
