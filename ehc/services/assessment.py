"""The statutory steps from request to final plan (spec §1.2, rows A2-A15).

Each step records its dated event through case_event_record (which checks order and dates and
recomputes deadlines) and the notice or plan change that goes with it, in one transaction.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from ehc import plan_hooks, timescales
from ehc.models import Case, CaseEvent, EHCPlan, Notice, Setting, User
from ehc.services.common import save_audited
from ehc.services.events import case_event_record
from ehc.services.notices import appealable_notice_check

K = CaseEvent.Kind

ADVISERS = {
    "parent": "Parent or young person",
    "educational": "Educational advice (school or setting)",
    "medical": "Medical advice (health professional)",
    "psychological": "Psychological advice (educational psychologist)",
    "social_care": "Social care advice",
    "adulthood": "Preparation for adulthood (Year 9 and above)",
    "other": "Other advice the family reasonably asked for",
}
UNKNOWN_ADVISER = "Choose who the advice is from."
REASONS_REQUIRED = "Give the reasons for the decision; the family must be told them."
SECTION_I_IN_DRAFT = (
    "Section I must be left blank in the draft plan: the draft may not name a school or type "
    "of school (Children and Families Act 2014 s.38(5))."
)
NO_DRAFT = "Save a draft plan before sending it to the family."
PLACEMENT_REQUIRED = "Name the school or setting, or give the type of setting if none is named."
OPEN_MATTERS = (
    "{matters} is still open. Settle it before issuing the final plan, or say why the plan goes "
    "without it."
)
NOT_ASSESSING = "Advice can only be asked for once the council has decided to assess."


def _notice(
    case: Case,
    kind: str,
    sent_on: date,
    event: CaseEvent,
    acting_user: User | None,
    reasons: str = "",
    recipients: str = "",
) -> Notice:
    notice = Notice(
        case=case,
        kind=kind,
        sent_on=sent_on,
        event=event,
        reasons=reasons,
        recipients=recipients,
        created_by=acting_user,
    )
    if kind in Notice.APPEALABLE:
        notice.mediation_contact_by = timescales.mediation_contact_deadline(sent_on)
        notice.appeal_by = timescales.appeal_deadline(sent_on)
        appealable_notice_check(notice)  # spec M1: the letter carries the mediation information
    save_audited(notice, acting_user=acting_user)
    return notice


@transaction.atomic
def considering_notified_record(
    *, case: Case, notified_on: date, recipients: str, acting_user: User
) -> CaseEvent:
    """A4: the health body, social care and the school are told an assessment is considered."""
    event = case_event_record(
        case=case,
        kind=K.CONSIDERING_NOTIFIED,
        occurred_on=notified_on,
        summary=recipients,
        acting_user=acting_user,
    )
    _notice(case, Notice.Kind.CONSIDERING, notified_on, event, acting_user, recipients=recipients)
    return event


@transaction.atomic
def assessment_decision_record(
    *, case: Case, decided_on: date, assess: bool, reasons: str, acting_user: User
) -> Notice:
    """A2: the decision whether to assess, and the notice to the family (A3 rights if refused)."""
    if not assess and not reasons.strip():
        raise ValidationError({"reasons": REASONS_REQUIRED})
    kind = K.DECIDED_TO_ASSESS if assess else K.DECIDED_NOT_TO_ASSESS
    event = case_event_record(
        case=case, kind=kind, occurred_on=decided_on, summary=reasons, acting_user=acting_user
    )
    notice_kind = Notice.Kind.DECISION_TO_ASSESS if assess else Notice.Kind.REFUSAL_TO_ASSESS
    return _notice(case, notice_kind, decided_on, event, acting_user, reasons=reasons)


def _check_adviser(adviser: str) -> None:
    if adviser not in ADVISERS:
        raise ValidationError({"adviser": UNKNOWN_ADVISER})


@transaction.atomic
def advice_request_record(
    *, case: Case, adviser: str, asked_on: date, adviser_name: str, acting_user: User
) -> CaseEvent:
    """A5/A6: advice asked for; that adviser's 6 weeks run from the day they received it."""
    _check_adviser(adviser)
    return case_event_record(
        case=case,
        kind=K.ADVICE_REQUESTED,
        occurred_on=asked_on,
        subject_key=adviser,
        summary=adviser_name,
        acting_user=acting_user,
    )


@transaction.atomic
def advice_receipt_record(
    *, case: Case, adviser: str, received_on: date, summary: str, acting_user: User
) -> CaseEvent:
    _check_adviser(adviser)
    return case_event_record(
        case=case,
        kind=K.ADVICE_RECEIVED,
        occurred_on=received_on,
        subject_key=adviser,
        summary=summary,
        acting_user=acting_user,
    )


@transaction.atomic
def advice_chase_record(
    *, case: Case, adviser: str, chased_on: date, note: str, acting_user: User
) -> CaseEvent:
    _check_adviser(adviser)
    return case_event_record(
        case=case,
        kind=K.NOTE,
        occurred_on=chased_on,
        subject_key=adviser,
        summary=f"Chased {ADVISERS[adviser].lower()}: {note}".strip(": "),
        acting_user=acting_user,
    )


@transaction.atomic
def plan_decision_record(
    *, case: Case, decided_on: date, issue: bool, reasons: str, acting_user: User
) -> Notice | None:
    """A7: whether to issue a plan; a decision not to comes with a notice of rights (A8)."""
    if not issue and not reasons.strip():
        raise ValidationError({"reasons": REASONS_REQUIRED})
    kind = K.DECIDED_TO_ISSUE if issue else K.DECIDED_NOT_TO_ISSUE
    event = case_event_record(
        case=case, kind=kind, occurred_on=decided_on, summary=reasons, acting_user=acting_user
    )
    if issue:
        return None
    return _notice(case, Notice.Kind.NO_PLAN, decided_on, event, acting_user, reasons=reasons)


@transaction.atomic
def plan_draft_save(*, case: Case, sections: dict[str, str], acting_user: User) -> EHCPlan:
    """Save the draft's sections. Section I stays blank in a draft (s.38(5))."""
    if sections.get("section_i", "").strip():
        raise ValidationError({"section_i": SECTION_I_IN_DRAFT})
    plan, _ = EHCPlan.objects.select_for_update().get_or_create(case=case)
    if plan.status == EHCPlan.Status.FINAL:
        raise ValidationError("The final plan has been issued; amend it through a review.")
    for field, text in sections.items():
        setattr(plan, field, text)
    save_audited(plan, acting_user=acting_user)
    return plan


@transaction.atomic
def plan_draft_serve(*, case: Case, served_on: date, acting_user: User) -> Notice:
    """A9-A11: the draft goes to the family with their 15 days to comment and ask for a setting."""
    plan = EHCPlan.objects.select_for_update().filter(case=case).first()
    if plan is None:
        raise ValidationError(NO_DRAFT)
    event = case_event_record(
        case=case, kind=K.DRAFT_SERVED, occurred_on=served_on, acting_user=acting_user
    )
    plan.draft_served_on = served_on
    save_audited(plan, acting_user=acting_user)
    return _notice(case, Notice.Kind.DRAFT_PLAN, served_on, event, acting_user)


@transaction.atomic
def representations_record(
    *,
    case: Case,
    received_on: date,
    summary: str,
    requested_setting: Setting | None,
    meeting_requested: bool,
    acting_user: User,
) -> CaseEvent:
    event = case_event_record(
        case=case,
        kind=K.REPRESENTATIONS_RECEIVED,
        occurred_on=received_on,
        summary=summary,
        details={
            "meeting_requested": meeting_requested,
            "requested_setting_id": requested_setting.pk if requested_setting else None,
        },
        acting_user=acting_user,
    )
    if requested_setting is not None:
        case.requested_setting = requested_setting
        save_audited(case, acting_user=acting_user, validate=False)
    return event


def setting_subject(setting: Setting) -> str:
    return f"setting:{setting.pk}"


@transaction.atomic
def setting_consultation_record(
    *, case: Case, setting: Setting, consulted_on: date, acting_user: User
) -> CaseEvent:
    """A12: consult a setting; the 15-day reply date is guidance (CoP 9.83), not law."""
    return case_event_record(
        case=case,
        kind=K.SETTING_CONSULTED,
        occurred_on=consulted_on,
        subject_key=setting_subject(setting),
        summary=setting.name,
        acting_user=acting_user,
    )


@transaction.atomic
def setting_reply_record(
    *, case: Case, setting: Setting, replied_on: date, summary: str, acting_user: User
) -> CaseEvent:
    return case_event_record(
        case=case,
        kind=K.SETTING_REPLIED,
        occurred_on=replied_on,
        subject_key=setting_subject(setting),
        summary=summary,
        acting_user=acting_user,
    )


@transaction.atomic
def plan_finalise(
    *,
    case: Case,
    issued_on: date,
    named_setting: Setting | None,
    setting_type: str,
    acting_user: User,
    without_reason: str = "",
) -> Notice:
    """A13-A15: the final plan names the setting (or type) and goes out with the rights notice.

    Something the apps find still open on the case (ehc.plan_hooks: a personal budget request
    being prepared) stops it, named in the refusal, unless `without_reason` says why the plan
    goes without it; the reason is kept on the event and the matter stays open."""
    if named_setting is None and not setting_type.strip():
        raise ValidationError({"named_setting": PLACEMENT_REQUIRED})
    open_matters = plan_hooks.final_plan_open_matters(case=case)
    matters = [m for _, found in open_matters for m in found]
    without_reason = without_reason.strip()
    if matters and not without_reason:
        described = "; ".join(m.description for m in matters)
        raise ValidationError(
            {"without_reason": OPEN_MATTERS.format(matters=described[:1].upper() + described[1:])}
        )
    plan = EHCPlan.objects.select_for_update().get(case=case)
    event = case_event_record(
        case=case,
        kind=K.FINAL_PLAN_ISSUED,
        occurred_on=issued_on,
        acting_user=acting_user,
        details={
            "issued_without": [{"key": m.key, "description": m.description} for m in matters],
            "issued_without_reason": without_reason,
        }
        if matters
        else None,
    )
    placement = named_setting.name if named_setting else ""
    kind_text = setting_type.strip() or (named_setting.get_kind_display() if named_setting else "")
    plan.named_setting, plan.setting_type = named_setting, setting_type.strip()
    plan.section_i = f"{placement} ({kind_text})" if placement else kind_text
    plan.status, plan.issued_on = EHCPlan.Status.FINAL, issued_on
    save_audited(plan, acting_user=acting_user)
    for check, found in open_matters:
        check.issued_without(
            case=case, plan=plan, matters=found, reason=without_reason, acting_user=acting_user
        )
    notice = _notice(case, Notice.Kind.FINAL_PLAN, issued_on, event, acting_user)
    plan_hooks.final_plan_issued(plan=plan, acting_user=acting_user)
    return notice


@transaction.atomic
def case_close(
    *, case: Case, kind: str, closed_on: date, reason: str, acting_user: User
) -> CaseEvent:
    """Withdrawal by the family, or the child moving to another LA."""
    if kind not in (K.WITHDRAWN, K.MOVED_LA):
        raise ValueError(f"{kind} does not close a case")
    return case_event_record(
        case=case, kind=kind, occurred_on=closed_on, summary=reason, acting_user=acting_user
    )
