"""The family's route and mediation (spec 4.2, M2-M10): opening a disagreement about a decision,
the contact with the mediation adviser, mediation requested, arranged and held, the mediation
certificate, an agreement, and closing the disagreement."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from disagreements.models import PLACEMENT_GROUNDS, Disagreement, Mediation, Order
from disagreements.services.clocks import _certificate_start, _track
from disagreements.services.common import (
    BEFORE_EARLIER,
    DECISION_FOR_NOTICE,
    NOT_THIS_CASE,
    D,
    S,
    _check_after_decision,
    _check_day,
    _locked,
    _note,
    _require_open,
    _require_text,
)
from disagreements.services.orders import _order_create
from ehc import timescales as ts
from ehc.models import Case, Notice, User
from ehc.services.common import save_audited

NOT_APPEALABLE = "Only a decision the family can appeal opens a disagreement."

ALREADY_OPEN = "A disagreement about this decision is already recorded."

CHOOSE_NOTICE = "Choose the decision the family disagrees with."

DECISION_DATE_NEEDED = "Enter the date the decision was sent."

NEEDS_CONTACT = "Record the family's contact with the mediation adviser first."

NOT_NEEDED_ONLY_CONTENTS = (
    "Only an appeal about the school or setting named in a plan needs no certificate; this "
    "decision is not about a plan's contents."
)

NOT_MEDIATING = "The family did not choose mediation, so there is no mediation to record."

ALREADY_MEDIATING = "The family's request for mediation is already recorded."

NEEDS_MEDIATION = "Record that the family asked the council for mediation first."

NO_HEALTH_ISSUES = "No health care issues were raised, so there is nothing to pass on."

ALREADY_ARRANGED = "Mediation has already been arranged."

ALREADY_HELD = "The mediation has already been recorded as held."

NOT_ARRANGED_YET = "Record when the mediation was arranged before recording it as held."

CERTIFICATE_BEFORE_CONTACT = (
    "The certificate cannot be dated before the family contacted the mediation adviser "
    "({on:%d %B %Y}). Check both dates."
)

CERTIFICATE_BEFORE_MEDIATION = (
    "The certificate cannot be dated before the mediation ended ({on:%d %B %Y})."
)

CERTIFICATE_NOT_NEEDED = "The family chose an appeal that needs no certificate."

CERTIFICATE_TWICE = "A certificate is already recorded ({on:%d %B %Y})."

MEDIATION_UNFINISHED = (
    "The mediation has not ended yet: record it as held, or that the council could not arrange "
    "it in 30 days, before the certificate."
)

AGREEMENT_NEEDS_MEDIATION = "A mediation agreement needs a mediation with an agreement."


def mediation_contact_by(disagreement: Disagreement) -> date:
    notice = disagreement.notice
    if notice is not None and notice.mediation_contact_by:
        return notice.mediation_contact_by
    return ts.mediation_contact_deadline(disagreement.decision_sent_on)


def appeal_by(disagreement: Disagreement) -> date:
    """F1-F3: 2 months from the decision, or 1 month from the certificate if later."""
    return ts.appeal_deadline(disagreement.decision_sent_on, disagreement.certificate_issued_on)


def certificate_needed(disagreement: Disagreement) -> bool:
    if disagreement.choice == Disagreement.Choice.NOT_NEEDED:
        return False
    appeal = getattr(disagreement, "appeal", None)
    return not (appeal is not None and set(appeal.grounds) <= PLACEMENT_GROUNDS)


@transaction.atomic
def disagreement_open(
    *,
    case: Case,
    opened_on: date,
    acting_user: User,
    notice: Notice | None = None,
    decision: str = "",
    decision_sent_on: date | None = None,
) -> Disagreement:
    """Start recording a disagreement with one appealable decision: one of the case's appealable
    notices, or (for decisions made outside this service: reassessment, review, ceasing) the
    decision and the day it was sent."""
    if notice is not None:
        if notice.case_id != case.pk:
            raise ValidationError({"notice": NOT_THIS_CASE})
        if not notice.is_appealable:
            raise ValidationError({"notice": NOT_APPEALABLE})
        decision, decision_sent_on = DECISION_FOR_NOTICE[notice.kind], notice.sent_on
        if Disagreement.objects.filter(notice=notice).exists():
            raise ValidationError({"notice": ALREADY_OPEN})
    else:
        if decision not in D.values:
            raise ValidationError({"notice": CHOOSE_NOTICE})
        if decision_sent_on is None:
            raise ValidationError({"decision_sent_on": DECISION_DATE_NEEDED})
        _check_day("decision_sent_on", decision_sent_on, after=[("the request", case.arrived_on)])
        if Disagreement.objects.filter(
            case=case, decision=decision, decision_sent_on=decision_sent_on
        ).exists():
            raise ValidationError({"decision": ALREADY_OPEN})
    _check_day("opened_on", opened_on, after=[("the decision was sent", decision_sent_on)])
    disagreement = Disagreement(
        case=case,
        notice=notice,
        decision=decision,
        decision_sent_on=decision_sent_on,
        opened_on=opened_on,
        created_by=acting_user,
    )
    save_audited(disagreement, acting_user=acting_user)
    return disagreement


@transaction.atomic
def adviser_contact_record(
    *,
    disagreement: Disagreement,
    contacted_on: date,
    choice: str,
    acting_user: User,
    adviser_informed_on: date | None = None,
) -> Disagreement:
    """M2: the family contacted the mediation adviser and said what they want. A contact after
    the 2 months is still recorded (the page says it was late)."""
    disagreement = _locked(disagreement)
    _require_open(disagreement)
    if choice not in Disagreement.Choice.values:
        raise ValidationError({"choice": "Choose what the family told the adviser they want."})
    if choice == Disagreement.Choice.NOT_NEEDED and disagreement.decision != D.PLAN_CONTENTS:
        raise ValidationError({"choice": NOT_NEEDED_ONLY_CONTENTS})
    if hasattr(disagreement, "mediation") and choice != Disagreement.Choice.MEDIATION:
        raise ValidationError({"choice": ALREADY_MEDIATING})
    _check_after_decision("contacted_on", contacted_on, disagreement)
    if disagreement.certificate_issued_on and disagreement.certificate_issued_on < contacted_on:
        raise ValidationError({"contacted_on": CERTIFICATE_BEFORE_CONTACT.format(on=contacted_on)})
    if adviser_informed_on is not None:
        _check_day(
            "adviser_informed_on",
            adviser_informed_on,
            after=[("the family contacted the adviser", contacted_on)],
        )
    disagreement.adviser_contacted_on = contacted_on
    disagreement.choice = choice
    disagreement.adviser_informed_on = (
        (adviser_informed_on or contacted_on) if choice == Disagreement.Choice.CERTIFICATE else None
    )
    save_audited(disagreement, acting_user=acting_user)
    _track(disagreement)
    return disagreement


def contact_was_late(disagreement: Disagreement) -> bool:
    contacted = disagreement.adviser_contacted_on
    return contacted is not None and contacted > mediation_contact_by(disagreement)


@transaction.atomic
def mediation_request_record(
    *,
    disagreement: Disagreement,
    la_informed_on: date,
    issues: str,
    health_issues: str,
    acting_user: User,
    rcb_only: bool = False,
) -> Mediation:
    """The family told the council it wants mediation: M5 (30 days to arrange) and, where health
    care is involved, M4 (3 working days to tell the commissioning body) start."""
    disagreement = _locked(disagreement)
    _require_open(disagreement)
    if disagreement.choice != Disagreement.Choice.MEDIATION:
        raise ValidationError(NOT_MEDIATING if disagreement.choice else NEEDS_CONTACT)
    if hasattr(disagreement, "mediation"):
        raise ValidationError(ALREADY_MEDIATING)
    _check_day(
        "la_informed_on",
        la_informed_on,
        after=[("the family contacted the adviser", disagreement.adviser_contacted_on)],
    )
    issues = _require_text("issues", issues, "the issues the family wants to mediate")
    health_issues = health_issues.strip()
    event = _note(
        disagreement.case,
        la_informed_on,
        "The family asked for mediation: the council must arrange it within 30 days (M5).",
        acting_user,
        mediation_requested=disagreement.pk,
    )
    mediation = Mediation(
        disagreement=disagreement,
        la_informed_on=la_informed_on,
        issues=issues,
        health_issues=health_issues,
        health_body_due_on=ts.working_days_after(la_informed_on, 3) if health_issues else None,
        arrange_by=ts.mediation_arranged_by(la_informed_on),
        rcb_only=rcb_only,
        started_by=event,
    )
    save_audited(mediation, acting_user=acting_user)
    _track(disagreement)
    return mediation


def _mediation(disagreement: Disagreement) -> Mediation:
    mediation = Mediation.objects.select_for_update().filter(disagreement=disagreement).first()
    if mediation is None:
        raise ValidationError(NEEDS_MEDIATION)
    return mediation


@transaction.atomic
def mediation_health_notice_record(
    *, disagreement: Disagreement, told_on: date, acting_user: User
) -> Mediation:
    """M4: the health issues passed to the commissioning body."""
    disagreement = _locked(disagreement)
    _require_open(disagreement)
    mediation = _mediation(disagreement)
    if not mediation.health_issues:
        raise ValidationError(NO_HEALTH_ISSUES)
    _check_day(
        "told_on", told_on, after=[("the family asked for mediation", mediation.la_informed_on)]
    )
    mediation.health_body_told_on = told_on
    save_audited(mediation, acting_user=acting_user)
    return mediation


@transaction.atomic
def mediation_arranged_record(
    *,
    disagreement: Disagreement,
    arranged_on: date,
    meeting_on: date | None,
    acting_user: User,
) -> Mediation:
    """M5: mediation arranged (the meeting may be later; held is recorded separately)."""
    disagreement = _locked(disagreement)
    _require_open(disagreement)
    mediation = _mediation(disagreement)
    if mediation.arranged_on:
        raise ValidationError(ALREADY_ARRANGED)
    _check_day(
        "arranged_on",
        arranged_on,
        after=[("the family asked for mediation", mediation.la_informed_on)],
    )
    if meeting_on is not None and meeting_on < arranged_on:
        raise ValidationError(
            {"meeting_on": BEFORE_EARLIER.format(what="it was arranged", on=arranged_on)}
        )
    mediation.arranged_on, mediation.meeting_on = arranged_on, meeting_on
    save_audited(mediation, acting_user=acting_user)
    _track(disagreement)
    return mediation


@transaction.atomic
def mediation_not_arranged_record(
    *, disagreement: Disagreement, adviser_told_on: date, acting_user: User
) -> Mediation:
    """M6: the council could not arrange mediation in 30 days and told the adviser, who must
    issue a certificate within 3 working days."""
    disagreement = _locked(disagreement)
    _require_open(disagreement)
    mediation = _mediation(disagreement)
    _check_day(
        "adviser_told_on",
        adviser_told_on,
        after=[("the family asked for mediation", mediation.la_informed_on)],
    )
    mediation.not_arranged_adviser_told_on = adviser_told_on
    save_audited(mediation, acting_user=acting_user)
    _note(
        disagreement.case,
        adviser_told_on,
        "Mediation could not be arranged in 30 days; the adviser was told (M6).",
        acting_user,
    )
    _track(disagreement)
    return mediation


@transaction.atomic
def mediation_held_record(
    *,
    disagreement: Disagreement,
    held_on: date,
    outcome: str,
    acting_user: User,
    rcb_told_la_on: date | None = None,
) -> Mediation:
    """The mediation took place (or the family withdrew): M7's 3 working days start."""
    disagreement = _locked(disagreement)
    _require_open(disagreement)
    mediation = _mediation(disagreement)
    if mediation.held_on:
        raise ValidationError(ALREADY_HELD)
    if outcome != Mediation.Outcome.WITHDRAWN and mediation.arranged_on is None:
        raise ValidationError(NOT_ARRANGED_YET)
    if outcome not in Mediation.Outcome.values:
        raise ValidationError({"outcome": "Choose how the mediation ended."})
    _check_day(
        "held_on",
        held_on,
        after=[
            ("the family asked for mediation", mediation.la_informed_on),
            ("the mediation was arranged", mediation.arranged_on),
        ],
    )
    if rcb_told_la_on is not None:
        _check_day("rcb_told_la_on", rcb_told_la_on, after=[("the mediation", held_on)])
    mediation.held_on, mediation.outcome = held_on, outcome
    mediation.rcb_told_la_on = rcb_told_la_on
    save_audited(mediation, acting_user=acting_user)
    _note(
        disagreement.case,
        held_on,
        f"Mediation ended: {mediation.get_outcome_display().lower()}.",
        acting_user,
    )
    _track(disagreement)
    return mediation


@transaction.atomic
def certificate_record(
    *, disagreement: Disagreement, issued_on: date, acting_user: User
) -> Disagreement:
    """The mediation adviser's certificate (M3, M6, M7). The appeal deadline becomes 1 month
    from it if that is later (F1)."""
    disagreement = _locked(disagreement)
    _require_open(disagreement)
    contacted = disagreement.adviser_contacted_on
    if contacted is None:
        raise ValidationError(NEEDS_CONTACT)
    if disagreement.choice == Disagreement.Choice.NOT_NEEDED:
        raise ValidationError(CERTIFICATE_NOT_NEEDED)
    if disagreement.certificate_issued_on:
        raise ValidationError(CERTIFICATE_TWICE.format(on=disagreement.certificate_issued_on))
    if issued_on < contacted:
        raise ValidationError({"issued_on": CERTIFICATE_BEFORE_CONTACT.format(on=contacted)})
    _check_after_decision("issued_on", issued_on, disagreement)
    start = _certificate_start(disagreement)
    if start is None:
        raise ValidationError(MEDIATION_UNFINISHED)
    if start[0] == "M7" and issued_on < start[1]:
        raise ValidationError({"issued_on": CERTIFICATE_BEFORE_MEDIATION.format(on=start[1])})
    disagreement.certificate_issued_on = issued_on
    save_audited(disagreement, acting_user=acting_user)
    _note(
        disagreement.case,
        issued_on,
        f"Mediation certificate issued: appeal by {appeal_by(disagreement):%d %B %Y}.",
        acting_user,
    )
    _track(disagreement)
    return disagreement


@transaction.atomic
def agreement_record(
    *,
    disagreement: Disagreement,
    agreed_on: date,
    order_type: str,
    details: str,
    acting_user: User,
    other_timescale: str = "",
) -> Order:
    """A mediation agreement. On appealable matters the council complies within the Reg 44
    periods as if it were a Tribunal order (M8); on other matters within 2 weeks (M9); unless
    another timescale was agreed in writing (Reg 42(5))."""
    disagreement = _locked(disagreement)
    _require_open(disagreement)
    mediation = _mediation(disagreement)
    if mediation.outcome not in (Mediation.Outcome.AGREEMENT, Mediation.Outcome.PARTIAL):
        raise ValidationError(AGREEMENT_NEEDS_MEDIATION)
    _check_day("agreed_on", agreed_on, after=[("the mediation", mediation.held_on)])
    return _order_create(
        disagreement,
        None,
        S.AGREEMENT,
        order_type,
        agreed_on,
        details,
        other_timescale,
        acting_user,
    )


@transaction.atomic
def disagreement_close(
    *, disagreement: Disagreement, closed_on: date, settled: bool, reason: str, acting_user: User
) -> Disagreement:
    """The family is not taking it further, or it was settled. Clocks already started keep
    running: a duty the council took on does not end because the disagreement did."""
    disagreement = _locked(disagreement)
    _require_open(disagreement)
    _check_after_decision("closed_on", closed_on, disagreement)
    disagreement.status = Disagreement.Status.SETTLED if settled else Disagreement.Status.CLOSED
    disagreement.closed_on = closed_on
    disagreement.close_reason = _require_text("reason", reason, "the reason")
    save_audited(disagreement, acting_user=acting_user)
    return disagreement
