"""Keeping clocks that belong to no case: SubjectDeadline rows and who answers for them.

An app (the Local Offer: a record's review, a comment's action, the yearly report) computes a
due date with ``ehc.timescales`` and stores it here; the alert engine and the managers'
dashboards read the rows as they read case deadlines. The subject's app registers how to name
it and who owns it in ``ehc.subject_types``; this module never imports an app.

Three verbs: ``subject_deadline_track`` opens a clock or moves it to a new due date (the old row
is kept, superseded, so alerts fire once per due date), ``subject_deadline_stop`` meets it or
closes it as no longer needed, and ``subject_deadlines_refresh_statuses`` marks the ones that
ran out as missed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction

from ehc import subject_types, timescales
from ehc.models import SubjectDeadline, SubjectDeadlineOwner
from ehc.services.common import local_today
from ehc.subject_types import SUBJECT_TYPES, Owner

Status = SubjectDeadline.Status


def _open_row(*, kind: str, subject_type: str, subject_id: str) -> SubjectDeadline | None:
    return (
        SubjectDeadline.objects.select_for_update()
        .filter(kind=kind, subject_type=subject_type, subject_id=subject_id, is_open=True)
        .first()
    )


@transaction.atomic
def subject_deadline_track(
    *,
    source: str,
    kind: str,
    subject_type: str,
    subject_id: str,
    starts_on: date,
    due_on: date,
    owners: Sequence[Owner] | None = None,
    today: date | None = None,
) -> SubjectDeadline:
    """Open the subject's clock for the rule, or move it to ``due_on``.

    The same due date again refreshes the open row (its wording, start and owners). A new due
    date closes the open row as superseded and opens another, so each due date is alerted once.
    ``owners`` None asks the subject's app (ehc.subject_types); a list replaces them.
    """
    if kind not in timescales.RULES:
        raise ValueError(f"{kind!r} is not a rule in ehc.timescales")
    subject_types.subject_type(subject_type)  # refuses a subject no app registered
    if due_on < starts_on:
        raise ValueError(f"{kind} for {subject_type}:{subject_id}: due before it starts")
    rule = timescales.RULES[kind]
    today = today or local_today()
    fields: dict[str, object] = {
        "title": rule.title,
        "legal_basis": rule.legal_basis,
        "explanation": rule.explain_for(starts_on, due_on),
        "starts_on": starts_on,
        "status": Status.BREACHED if due_on < today else Status.RUNNING,
    }
    row = _open_row(kind=kind, subject_type=subject_type, subject_id=subject_id)
    if row is not None and row.source != source:
        raise ValueError(f"{row} is kept by {row.source}, not {source}")
    if row is not None and row.due_on != due_on:
        row.status, row.is_open = Status.SUPERSEDED, False
        row.save(update_fields=["status", "is_open"])
        row = None
    if row is None:
        row = SubjectDeadline.objects.create(
            kind=kind,
            subject_type=subject_type,
            subject_id=subject_id,
            source=source,
            due_on=due_on,
            **fields,
        )
    else:
        changed = [name for name, value in fields.items() if getattr(row, name) != value]
        if changed:
            for name in changed:
                setattr(row, name, fields[name])
            row.save(update_fields=changed)
    if owners is None:
        subject_deadlines_owners_refresh(deadlines=[row])
    else:
        _owners_replace({row.pk: list(owners)}, _existing_owners([row.pk]))
    return row


@transaction.atomic
def subject_deadline_stop(
    *,
    source: str,
    kind: str,
    subject_type: str,
    subject_id: str,
    met_on: date | None = None,
) -> SubjectDeadline | None:
    """Meet the subject's open clock (``met_on``: the day it was done, late or not), or close it
    as no longer needed (the record left the directory, the action was withdrawn). Returns the
    closed row, or None when no clock was open."""
    row = _open_row(kind=kind, subject_type=subject_type, subject_id=subject_id)
    if row is None:
        return None
    if row.source != source:
        raise ValueError(f"{row} is kept by {row.source}, not {source}")
    row.status = Status.MET if met_on is not None else Status.NOT_NEEDED
    row.is_open, row.met_on = False, met_on
    row.save(update_fields=["status", "is_open", "met_on"])
    return row


def subject_deadlines_owners_refresh(*, deadlines: Sequence[SubjectDeadline]) -> None:
    """Bring each clock's owners in step with what its subject's app says now (a provider
    account added, an action handed to someone else). A fixed number of queries however many
    clocks: one to read the owners kept, one call per subject type, one delete, one insert."""
    if not deadlines:
        return
    by_type: dict[str, list[SubjectDeadline]] = {}
    for deadline in deadlines:
        by_type.setdefault(deadline.subject_type, []).append(deadline)
    wanted: dict[int, list[Owner]] = {}
    for type_key, rows in by_type.items():
        registered = SUBJECT_TYPES.get(type_key)
        if registered is None:
            continue  # its app is not installed here: keep what is stored
        found = registered.owners(sorted({row.subject_id for row in rows}))
        for row in rows:
            wanted[row.pk] = found.get(row.subject_id, [])
    _owners_replace(wanted, _existing_owners(list(wanted)))


def _existing_owners(deadline_ids: list[int]) -> dict[int, dict[str, SubjectDeadlineOwner]]:
    kept: dict[int, dict[str, SubjectDeadlineOwner]] = {pk: {} for pk in deadline_ids}
    for owner in SubjectDeadlineOwner.objects.filter(deadline_id__in=deadline_ids):
        kept[owner.deadline_id][owner.key] = owner
    return kept


def _owners_replace(
    wanted: dict[int, list[Owner]], kept: dict[int, dict[str, SubjectDeadlineOwner]]
) -> None:
    """Make each clock's owner rows exactly ``wanted``, touching only what differs."""
    remove: list[int] = []
    add: list[SubjectDeadlineOwner] = []
    for deadline_id, owners in wanted.items():
        by_key = {o.key: o for o in owners if o.user_id is not None or o.email.strip()}
        have = kept.get(deadline_id, {})
        for key, row in have.items():
            new = by_key.get(key)
            if new is None or row.email != new.email.strip():
                remove.append(row.pk)
        for key, owner in by_key.items():
            kept_row = have.get(key)
            if kept_row is None or kept_row.email != owner.email.strip():
                add.append(
                    SubjectDeadlineOwner(
                        deadline_id=deadline_id,
                        user_id=owner.user_id,
                        email=owner.email.strip(),
                        key=key,
                    )
                )
    if remove:
        SubjectDeadlineOwner.objects.filter(pk__in=remove).delete()
    if add:
        SubjectDeadlineOwner.objects.bulk_create(add)


def subject_deadlines_refresh_statuses(*, today: date | None = None) -> int:
    """Mark running clocks whose date passed as missed: one UPDATE on the open-by-due index,
    safe to run any number of times (Celery beat runs it with the case deadlines' pass)."""
    today = today or local_today()
    return SubjectDeadline.objects.filter(
        is_open=True, due_on__lt=today, status=Status.RUNNING
    ).update(status=Status.BREACHED)
