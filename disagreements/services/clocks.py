"""The statutory clocks of a disagreement and when each is due.

`_track` brings every clock of a disagreement in line with what is recorded, through
ehc.services.deadline_track (source "disagreements"): the mediation (M5), the certificate (M3,
M6, M7), each duty of an order (Reg 44 T-codes, Reg 45 U-codes, M9, and the original A7/A13
after a concession) and each Tribunal recommendation. Each date comes from the clock's rule,
`ehc.timescales.RULES[kind]`, which carries its own due-date function. Every service of the
other stages calls `_track` last.
"""

from __future__ import annotations

from datetime import date

from disagreements.models import Appeal, Disagreement, Mediation, Order, OrderDuty
from disagreements.services.common import CLOCK_SOURCE
from ehc import timescales as ts
from ehc.models import Case, Deadline
from ehc.services.deadlines import deadline_track


def rule_due_on(kind: str, start: date) -> date:
    """The statutory date of a clock of this kind: the timescale rule computes it."""
    return ts.RULES[kind].due_on(start)


CERTIFICATE_KINDS = ("M3", "M6", "M7")


def _certificate_start(disagreement: Disagreement) -> tuple[str, date] | None:
    """Which certificate clock applies now (M3, M6 or M7) and the day it runs from."""
    mediation = getattr(disagreement, "mediation", None)
    if disagreement.choice == Disagreement.Choice.CERTIFICATE and disagreement.adviser_informed_on:
        return "M3", disagreement.adviser_informed_on
    if mediation is not None and mediation.held_on:
        return "M7", mediation.held_on
    if mediation is not None and mediation.not_arranged_adviser_told_on:
        return "M6", mediation.not_arranged_adviser_told_on
    return None


def duty_due_on(duty: OrderDuty) -> date | None:
    """The statutory date for one duty (None where another timescale was agreed in writing)."""
    order = duty.order
    if order.other_timescale:
        return None
    start = order.disagreement.case.clock_starts_on if duty.kind in ("A7", "A13") else order.made_on
    return rule_due_on(duty.kind, start)


def _clock(
    case: Case,
    kind: str,
    subject: str,
    start: date,
    *,
    met_on: date | None = None,
    needed: bool = True,
    event_id: int | None = None,
    due: date | None = None,
) -> None:
    deadline_track(
        case=case,
        source=CLOCK_SOURCE,
        kind=kind,
        subject_key=subject,
        starts_on=start,
        due_on=due or rule_due_on(kind, start),
        met_on=met_on,
        needed=needed,
        started_by_id=event_id,
    )


def _track(disagreement: Disagreement) -> None:
    """Bring every clock of this disagreement in line with what is recorded. Safe to repeat."""
    disagreement = Disagreement.objects.select_related("case").get(pk=disagreement.pk)
    case = disagreement.case
    mediation = Mediation.objects.filter(disagreement=disagreement).first()
    if mediation is not None:
        unneeded = mediation.outcome == Mediation.Outcome.WITHDRAWN and not mediation.arranged_on
        _clock(
            case,
            "M5",
            mediation.subject,
            mediation.la_informed_on,
            due=mediation.arrange_by,
            met_on=mediation.arranged_on,
            needed=not unneeded,
            event_id=mediation.started_by_id,
        )
    start = _certificate_start(disagreement)
    existing = set(
        Deadline.objects.filter(
            case=case,
            source=CLOCK_SOURCE,
            subject_key=disagreement.subject,
            kind__in=CERTIFICATE_KINDS,
        ).values_list("kind", flat=True)
    )
    if start is not None:
        _clock(
            case,
            start[0],
            disagreement.subject,
            start[1],
            due=ts.mediation_certificate_due(start[1]),
            met_on=disagreement.certificate_issued_on,
        )
    for kind in existing - ({start[0]} if start else set()):
        row = Deadline.objects.get(case=case, kind=kind, subject_key=disagreement.subject)
        _clock(case, kind, disagreement.subject, row.starts_on, due=row.due_on, needed=False)
    for order in Order.objects.filter(disagreement=disagreement).prefetch_related("duties"):
        if order.other_timescale:
            continue
        for duty in order.duties.all():
            start_on = case.clock_starts_on if duty.kind in ("A7", "A13") else order.made_on
            _clock(
                case,
                duty.kind,
                order.subject,
                start_on,
                due=duty_due_on(duty),
                met_on=duty.done_on,
                needed=not duty.not_needed,
                event_id=order.started_by_id,
            )
    appeal = Appeal.objects.filter(disagreement=disagreement).first()
    if appeal is None:
        return
    for rec in appeal.recommendations.all():
        _clock(
            case,
            "Rec-response",
            rec.subject,
            rec.made_on,
            due=ts.recommendation_response_due(rec.made_on),
            met_on=rec.responded_on,
            event_id=rec.started_by_id,
        )
