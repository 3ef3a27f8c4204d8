"""Complaints (spec 4.6): recorded with their outcome; no statutory clock."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from disagreements.models import Complaint, Disagreement
from disagreements.services.common import BEFORE_EARLIER, NOT_THIS_CASE, _check_day, _require_text
from ehc.models import Case, User
from ehc.services.common import save_audited

COMPLAINT_OUTCOME_TWICE = "The outcome is already recorded."

ESCALATION_OTHER_CASE = "The earlier complaint must be on the same case."


@transaction.atomic
def complaint_record(
    *,
    case: Case,
    kind: str,
    made_on: date,
    about: str,
    acting_user: User,
    disagreement: Disagreement | None = None,
    escalated_from: Complaint | None = None,
) -> Complaint:
    """A complaint or Ombudsman referral, dated, against the case."""
    if kind not in Complaint.Kind.values:
        raise ValidationError({"kind": "Choose where the complaint was made."})
    _check_day("made_on", made_on, after=[("the request", case.arrived_on)])
    if disagreement is not None and disagreement.case_id != case.pk:
        raise ValidationError({"disagreement": NOT_THIS_CASE})
    if escalated_from is not None:
        if escalated_from.case_id != case.pk:
            raise ValidationError({"escalated_from": ESCALATION_OTHER_CASE})
        if made_on < escalated_from.made_on:
            raise ValidationError(
                {
                    "made_on": BEFORE_EARLIER.format(
                        what="the complaint it follows", on=escalated_from.made_on
                    )
                }
            )
    complaint = Complaint(
        case=case,
        kind=kind,
        made_on=made_on,
        about=_require_text("about", about, "what the complaint is about"),
        disagreement=disagreement,
        escalated_from=escalated_from,
        recorded_by=acting_user,
    )
    save_audited(complaint, acting_user=acting_user)
    return complaint


@transaction.atomic
def complaint_outcome_record(
    *, complaint: Complaint, outcome_on: date, outcome: str, acting_user: User
) -> Complaint:
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.outcome_on:
        raise ValidationError(COMPLAINT_OUTCOME_TWICE)
    _check_day("outcome_on", outcome_on, after=[("the complaint", complaint.made_on)])
    complaint.outcome_on = outcome_on
    complaint.outcome = _require_text("outcome", outcome, "the outcome")
    save_audited(complaint, acting_user=acting_user)
    return complaint
