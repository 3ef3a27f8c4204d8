"""Disagreements: the M1 notice check, mediation, Tribunal appeals, orders, agreements,
recommendations and complaints (spec section 4).

Each service is one transaction, validates its dates against what is already recorded, saves
with the acting user, and then brings the disagreement's clocks up to date through
ehc.services.deadline_track (source "disagreements"). Every due date comes from ehc.timescales.

A fact that starts a clock is also written to the case's timeline as a note (case_event_record),
and the clock's Deadline row points at that event: one case can carry several live clocks, each
linked to the event that started it (spec 1.2, 10.1, 10.3).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.html import strip_tags

from ehc import timescales as ts
from ehc.models import (
    Appeal,
    Case,
    CaseEvent,
    Complaint,
    Deadline,
    Disagreement,
    Mediation,
    Notice,
    Order,
    OrderDuty,
    Recommendation,
    User,
)
from ehc.models.disagreements import GROUNDS, HEALTH_CARE_SECTIONS, PLACEMENT_GROUNDS
from ehc.services.common import local_today, save_audited
from ehc.services.deadlines import deadline_track
from ehc.services.events import case_event_record

CLOCK_SOURCE = "disagreements"

D = Disagreement.Decision
T = Order.Type
S = Order.Source

# -- messages -----------------------------------------------------------------------------------

M1_MISSING = (
    "This notice cannot be sent: the letter is missing {missing}. Every decision the family can "
    "appeal must carry the mediation information (SEND Regs 2014 reg 32; spec M1)."
)
M1_ELEMENT_LABELS = {
    "right": "the right to mediation and to appeal",
    "certificate": "the need for a mediation certificate before appealing",
    "adviser": "the mediation adviser's contact details",
    "timescales": "the time limits (the date to contact the adviser and the date to appeal)",
    "tell_la": "the duty to tell the council whether the family is mediating, the issues and "
    "any health provision sought",
    "la_contact": "the council's contact details",
}
NOT_APPEALABLE = "Only a decision the family can appeal opens a disagreement."
NOT_THIS_CASE = "That letter is not about this case."
ALREADY_OPEN = "A disagreement about this decision is already recorded."
CHOOSE_NOTICE = "Choose the decision the family disagrees with."
DECISION_DATE_NEEDED = "Enter the date the decision was sent."
IN_FUTURE = "The date cannot be in the future."
BEFORE_DECISION = "The date cannot be before the decision was sent ({on:%d %B %Y})."
BEFORE_EARLIER = "The date cannot be before {what} ({on:%d %B %Y})."
NOT_OPEN = "This disagreement is closed; nothing more can be recorded on it."
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
ALREADY_APPEALED = "An appeal is already recorded for this decision."
GROUND_NEEDED = "Choose at least one ground of appeal."
GROUND_UNKNOWN = "'{code}' is not a ground of appeal under CFA 2014 s.51(2)."
GROUND_MISMATCH = (
    "'{ground}' is not a ground of appeal against a {decision}. Choose from: {allowed}."
)
CERTIFICATE_MISSING = (
    "An appeal on these grounds needs a mediation certificate (CFA 2014 s.55). Record the "
    "certificate first; only an appeal solely about the school or setting named needs none."
)
SECTIONS_UNKNOWN = "'{section}' is not a plan section that can be appealed."
RECOMMENDATION_SECTIONS_NEED_EDUCATION_GROUND = (
    "Sections C, D, G and H can only be raised for recommendations alongside an appeal under "
    "s.51(2)(b) to (f) (SI 2017/1306)."
)
CONTENT_SECTIONS_NEED_CONTENT_GROUND = (
    "Sections B, E, F and I are appealed only with a ground about the plan's contents."
)
NO_APPEAL = "Record the appeal first."
APPEAL_DECIDED = "The appeal has already been decided ({outcome})."
RESPONSE_ALREADY = "The council's response is already recorded."
UNOPPOSED_AFTER_RESPONSE = (
    "The council can only decide not to oppose before it sends its response (Reg 45)."
)
ORDER_TYPE_MISMATCH = (
    "{order} does not follow from an appeal against a {decision}. For this decision the "
    "Tribunal (or agreement) can order: {allowed}."
)
ORDERS_NEED_OUTCOME = "Orders follow an appeal that was upheld, partly upheld or dismissed."
UNOPPOSED_USE_FORM = "Record an unopposed appeal with 'The council will not oppose the appeal'."
AGREEMENT_NEEDS_MEDIATION = "A mediation agreement needs a mediation with an agreement."
AGREED_ACTION_ONLY_AGREEMENT = (
    "An action on a matter that cannot be appealed only comes from a mediation agreement."
)
DUTY_UNKNOWN = "That is not one of this order's duties."
DUTY_DONE = "This duty is already recorded as done."
DUTY_EXCLUSIVE = "The other outcome of this assessment is already recorded."
RECOMMENDATION_NEEDS_GROUND = (
    "The Tribunal can only make health or social care recommendations alongside an appeal "
    "under s.51(2)(b) to (f) (SI 2017/1306)."
)
RECOMMENDATION_SECTIONS = "Choose the sections (C, D, G, H1 or H2) the recommendation is about."
RESPONSE_TWICE = "A response is already recorded."
COMPLAINT_OUTCOME_TWICE = "The outcome is already recorded."
ESCALATION_OTHER_CASE = "The earlier complaint must be on the same case."
TEXT_REQUIRED = "Enter {what}."

# -- which orders follow which decisions (spec 4.4) ----------------------------------------------

DECISION_FOR_NOTICE = {
    Notice.Kind.REFUSAL_TO_ASSESS: D.REFUSAL_TO_ASSESS,
    Notice.Kind.NO_PLAN: D.NO_PLAN,
    Notice.Kind.FINAL_PLAN: D.PLAN_CONTENTS,
}
GROUNDS_FOR_DECISION = {
    D.REFUSAL_TO_ASSESS: ("a",),
    D.NO_PLAN: ("b",),
    D.PLAN_CONTENTS: ("c_i", "c_ii", "c_iii", "c_iv"),
    D.REFUSAL_TO_REASSESS: ("d",),
    D.NO_AMENDMENT: ("e",),
    D.CEASE: ("f",),
}
ORDER_TYPES_FOR_DECISION = {
    D.REFUSAL_TO_ASSESS: (T.ASSESS, T.REMIT),
    D.REFUSAL_TO_REASSESS: (T.ASSESS, T.REMIT),
    D.NO_PLAN: (T.MAKE_PLAN, T.REMIT),
    D.PLAN_CONTENTS: (T.AMEND, T.PLACEMENT, T.REMIT),
    D.NO_AMENDMENT: (T.AMEND, T.PLACEMENT, T.REMIT),
    D.CEASE: (T.CEASE, T.CONTINUE, T.AMEND, T.REMIT),
}
# Reg 45: what an unopposed appeal means the council must do (spec U-a to U-c).
UNOPPOSED_TYPES_FOR_DECISION = {
    D.REFUSAL_TO_ASSESS: (T.ASSESS,),
    D.REFUSAL_TO_REASSESS: (T.ASSESS,),
    D.NO_PLAN: (T.MAKE_PLAN,),
    D.PLAN_CONTENTS: (T.AMEND, T.PLACEMENT),
    D.NO_AMENDMENT: (T.AMEND, T.PLACEMENT),
    D.CEASE: (T.AMEND,),
}
# Rule codes each type of order starts (Reg 44: T-a to T-f; Reg 45: U-a to U-c; Reg 42: M9).
REG44_DUTIES = {
    T.ASSESS: ("Tb-assess", "Tb-no-plan", "Tb-final"),
    T.MAKE_PLAN: ("Tc-draft", "Tc-final"),
    T.AMEND: ("Td-amend",),
    T.PLACEMENT: ("Te-placement",),
    T.CONTINUE: ("Tf-continue",),
    T.CEASE: ("Ta-cease",),
    T.REMIT: (),  # spec T-g: no verified timescale
    T.AGREED_ACTION: ("M9",),
}
REG45_DUTIES = {
    T.ASSESS: ("Ua-assess", "Ua-no-plan", "Ua-final"),
    T.MAKE_PLAN: ("Uc-draft", "Uc-final"),
    T.AMEND: ("Ub-amend",),
    T.PLACEMENT: ("Uc-placement",),
}
# A concession without an order: the original request clocks still run (W v Hertfordshire).
CONCESSION_DUTIES = {
    D.REFUSAL_TO_ASSESS: (T.ASSESS, ("A7", "A13")),
    D.NO_PLAN: (T.MAKE_PLAN, ("A13",)),
}
# Duties of which only one can happen: after an ordered assessment, a plan or no plan.
EXCLUSIVE_DUTIES = (
    {"Tb-no-plan", "Tb-final"},
    {"Ua-no-plan", "Ua-final"},
    {"A7", "A13"},
)
DUE: dict[str, Callable[[date], date]] = {
    "Ta-cease": ts.tribunal_order_immediate,
    "Tb-assess": ts.order_assess_notice_due,
    "Tb-no-plan": ts.order_no_plan_due,
    "Tb-final": ts.order_final_plan_due,
    "Tc-draft": ts.order_draft_plan_due,
    "Tc-final": ts.order_make_plan_final_due,
    "Td-amend": ts.order_amend_plan_due,
    "Te-placement": ts.order_change_placement_due,
    "Tf-continue": ts.tribunal_order_immediate,
    "Ua-assess": ts.order_assess_notice_due,
    "Ua-no-plan": ts.order_no_plan_due,
    "Ua-final": ts.order_final_plan_due,
    "Ub-amend": ts.order_amend_plan_due,
    "Uc-placement": ts.order_change_placement_due,
    "Uc-draft": ts.order_draft_plan_due,
    "Uc-final": ts.order_make_plan_final_due,
    "M9": ts.mediation_agreement_due,
    "A7": ts.decision_not_to_issue_due,
    "A13": ts.final_plan_due,
}
# What each duty asks for, in the words a caseworker records it with.
DUTY_TEXT = {
    "Ta-cease": "Stop maintaining the plan",
    "Tb-assess": "Tell the family the council will assess",
    "Tb-no-plan": "If no plan is needed: tell the family, with reasons",
    "Tb-final": "If a plan is needed: issue the final plan",
    "Tc-draft": "Send the draft plan",
    "Tc-final": "Issue the final plan",
    "Td-amend": "Issue the amended plan",
    "Te-placement": "Name the school or setting ordered",
    "Tf-continue": "Continue to maintain the plan",
    "Ua-assess": "Tell the family the council will assess",
    "Ua-no-plan": "If no plan is needed: tell the family, with reasons",
    "Ua-final": "If a plan is needed: issue the final plan",
    "Ub-amend": "Issue the amended plan",
    "Uc-placement": "Name the school or setting",
    "Uc-draft": "Send the draft plan",
    "Uc-final": "Issue the final plan",
    "M9": "Do what was agreed",
    "A7": "If no plan is needed: tell the family, with reasons (original 16 weeks)",
    "A13": "Issue the final plan (original 20 weeks from the request)",
}
CERTIFICATE_KINDS = ("M3", "M6", "M7")


# -- small checks -------------------------------------------------------------------------------


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _require_open(disagreement: Disagreement) -> None:
    if disagreement.status != Disagreement.Status.OPEN:
        raise ValidationError(NOT_OPEN, code="closed")


def _check_day(field: str, day: date, *, after: Iterable[tuple[str, date | None]] = ()) -> None:
    """Refuse a future date, or one before any (label, date) in `after`."""
    if day > local_today():
        raise ValidationError({field: IN_FUTURE})
    for label, earlier in after:
        if earlier is not None and day < earlier:
            raise ValidationError({field: BEFORE_EARLIER.format(what=label, on=earlier)})


def _check_after_decision(field: str, day: date, disagreement: Disagreement) -> None:
    if day > local_today():
        raise ValidationError({field: IN_FUTURE})
    if day < disagreement.decision_sent_on:
        raise ValidationError({field: BEFORE_DECISION.format(on=disagreement.decision_sent_on)})


def _require_text(field: str, text: str, what: str) -> str:
    if not text.strip():
        raise ValidationError({field: TEXT_REQUIRED.format(what=what)})
    return text.strip()


def _note(case: Case, on: date, summary: str, acting_user: User, **details) -> CaseEvent:
    """The fact on the case's timeline; the clocks it starts point at it."""
    return case_event_record(
        case=case,
        kind=CaseEvent.Kind.NOTE,
        occurred_on=on,
        summary=summary,
        details={"disagreement": True, **details},
        acting_user=acting_user,
    )


def _locked(disagreement: Disagreement) -> Disagreement:
    return Disagreement.objects.select_for_update().select_related("case").get(pk=disagreement.pk)


# -- M1: the mediation information on every appealable notice ---------------------------------


def _rights_text(notice: Notice) -> str:
    """The rights section exactly as the letter prints it, as plain lower-case text."""
    html = render_to_string(
        "ehc/notices/_rights.html",
        {
            "notice": notice,
            "mediation_adviser": settings.MEDIATION_ADVISER_CONTACT,
            "drs_contact": settings.DISAGREEMENT_RESOLUTION_CONTACT,
            "iass_contact": settings.IASS_CONTACT,
            "send_team": settings.LA_SEND_TEAM_CONTACT,
        },
    )
    return re.sub(r"\s+", " ", strip_tags(html)).lower()


def notice_m1_missing(notice: Notice) -> list[str]:
    """The M1 elements (spec 4.2) an appealable notice's letter lacks; [] when complete."""
    if not notice.is_appealable:
        return []
    text = _rights_text(notice)
    adviser = settings.MEDIATION_ADVISER_CONTACT.strip()
    la_contact = settings.LA_SEND_TEAM_CONTACT.strip()
    dates = [notice.mediation_contact_by, notice.appeal_by]
    present = {
        "right": "mediation" in text and "appeal" in text,
        "certificate": "certificate" in text,
        "adviser": bool(adviser) and adviser.lower() in text,
        "timescales": all(dates) and all(date_format(d, "j F Y").lower() in text for d in dates),
        "tell_la": "tell us" in text and "mediat" in text and "health" in text,
        "la_contact": bool(la_contact) and la_contact.lower() in text,
    }
    return [code for code, ok in present.items() if not ok]


def appealable_notice_check(notice: Notice) -> None:
    """Refuse to send an appealable notice whose letter lacks any M1 element (Reg 32)."""
    missing = notice_m1_missing(notice)
    if missing:
        words = "; ".join(M1_ELEMENT_LABELS[m] for m in missing)
        raise ValidationError(M1_MISSING.format(missing=words), code="m1")


# -- the family's route -------------------------------------------------------------------------


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


# -- mediation (M4-M10) ------------------------------------------------------------------------


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


# -- the Tribunal (F1-F6, Reg 44, Reg 45, 4.5) -------------------------------------------------


def _check_grounds(disagreement: Disagreement, grounds: list[str], sections: list[str]) -> None:
    if not grounds:
        raise ValidationError({"grounds": GROUND_NEEDED})
    allowed = GROUNDS_FOR_DECISION[disagreement.decision]
    for code in grounds:
        if code not in GROUNDS:
            raise ValidationError({"grounds": GROUND_UNKNOWN.format(code=code)})
        if code not in allowed:
            raise ValidationError(
                {
                    "grounds": GROUND_MISMATCH.format(
                        ground=GROUNDS[code][0],
                        decision=disagreement.get_decision_display().lower(),
                        allowed="; ".join(GROUNDS[g][0] for g in allowed),
                    )
                }
            )
    for section in sections:
        if section not in ("B", "E", "F", "I", *HEALTH_CARE_SECTIONS):
            raise ValidationError({"sections": SECTIONS_UNKNOWN.format(section=section)})
    if any(s in HEALTH_CARE_SECTIONS for s in sections) and set(grounds) <= {"a"}:
        raise ValidationError({"sections": RECOMMENDATION_SECTIONS_NEED_EDUCATION_GROUND})
    content = any(g.startswith("c_") for g in grounds) or "e" in grounds or "f" in grounds
    if any(s in ("B", "E", "F", "I") for s in sections) and not content:
        raise ValidationError({"sections": CONTENT_SECTIONS_NEED_CONTENT_GROUND})


@transaction.atomic
def appeal_register(
    *,
    disagreement: Disagreement,
    registered_on: date,
    grounds: list[str],
    sections: list[str],
    acting_user: User,
    tribunal_reference: str = "",
    response_due_on: date | None = None,
) -> Appeal:
    """The Tribunal registered an appeal. One received after the deadline is still recorded
    (the Tribunal may admit it, F6) and flagged as late."""
    disagreement = _locked(disagreement)
    _require_open(disagreement)
    if Appeal.objects.filter(disagreement=disagreement).exists():
        raise ValidationError(ALREADY_APPEALED)
    _check_grounds(disagreement, grounds, sections)
    _check_after_decision("registered_on", registered_on, disagreement)
    needs_certificate = not set(grounds) <= PLACEMENT_GROUNDS
    if needs_certificate and disagreement.certificate_issued_on is None:
        raise ValidationError({"grounds": CERTIFICATE_MISSING})
    if disagreement.certificate_issued_on and registered_on < disagreement.certificate_issued_on:
        raise ValidationError(
            {
                "registered_on": BEFORE_EARLIER.format(
                    what="the mediation certificate", on=disagreement.certificate_issued_on
                )
            }
        )
    if response_due_on is not None and response_due_on < registered_on:
        raise ValidationError(
            {
                "response_due_on": BEFORE_EARLIER.format(
                    what="the appeal was registered", on=registered_on
                )
            }
        )
    deadline = appeal_by(disagreement)
    late = registered_on > deadline
    summary = f"Appeal registered by the Tribunal{' (after the deadline)' if late else ''}."
    event = _note(disagreement.case, registered_on, summary, acting_user)
    appeal = Appeal(
        disagreement=disagreement,
        registered_on=registered_on,
        tribunal_reference=tribunal_reference.strip(),
        grounds=list(grounds),
        sections=list(sections),
        deadline_on=deadline,
        is_late=late,
        response_due_on=response_due_on,
        started_by=event,
    )
    save_audited(appeal, acting_user=acting_user)
    return appeal


def _appeal(disagreement: Disagreement) -> Appeal:
    appeal = Appeal.objects.select_for_update().filter(disagreement=disagreement).first()
    if appeal is None:
        raise ValidationError(NO_APPEAL)
    return appeal


def _require_undecided(appeal: Appeal) -> None:
    if appeal.outcome:
        raise ValidationError(APPEAL_DECIDED.format(outcome=appeal.get_outcome_display().lower()))


@transaction.atomic
def appeal_response_record(
    *,
    disagreement: Disagreement,
    sent_on: date,
    acting_user: User,
    response_due_on: date | None = None,
) -> Appeal:
    """F4: the council's response to the appeal (due as the Tribunal's directions say)."""
    disagreement = _locked(disagreement)
    appeal = _appeal(disagreement)
    _require_undecided(appeal)
    if appeal.response_sent_on:
        raise ValidationError(RESPONSE_ALREADY)
    _check_day("sent_on", sent_on, after=[("the appeal was registered", appeal.registered_on)])
    appeal.response_sent_on = sent_on
    if response_due_on is not None:
        appeal.response_due_on = response_due_on
    save_audited(appeal, acting_user=acting_user)
    return appeal


@transaction.atomic
def appeal_hearing_record(
    *, disagreement: Disagreement, hearing_on: date, acting_user: User
) -> Appeal:
    """The hearing date (it may be in the future)."""
    disagreement = _locked(disagreement)
    appeal = _appeal(disagreement)
    _require_undecided(appeal)
    if hearing_on < appeal.registered_on:
        raise ValidationError(
            {
                "hearing_on": BEFORE_EARLIER.format(
                    what="the appeal was registered", on=appeal.registered_on
                )
            }
        )
    appeal.hearing_on = hearing_on
    save_audited(appeal, acting_user=acting_user)
    return appeal


@transaction.atomic
def appeal_unopposed_record(
    *,
    disagreement: Disagreement,
    notified_on: date,
    order_types: list[str],
    acting_user: User,
) -> list[Order]:
    """Reg 45: the council told the Tribunal, before its response, that it will not oppose.
    The appeal is treated as decided for the family; the U-a to U-c clocks run from that day."""
    disagreement = _locked(disagreement)
    _require_open(disagreement)
    appeal = _appeal(disagreement)
    _require_undecided(appeal)
    if appeal.response_sent_on:
        raise ValidationError(UNOPPOSED_AFTER_RESPONSE)
    _check_day(
        "notified_on", notified_on, after=[("the appeal was registered", appeal.registered_on)]
    )
    if not order_types:
        raise ValidationError({"order_types": "Choose what the council must now do."})
    allowed = UNOPPOSED_TYPES_FOR_DECISION[disagreement.decision]
    for order_type in order_types:
        _check_order_type(disagreement, order_type, allowed, "order_types")
    appeal.outcome, appeal.decided_on = Appeal.Outcome.UNOPPOSED, notified_on
    save_audited(appeal, acting_user=acting_user)
    return [
        _order_create(disagreement, appeal, S.UNOPPOSED, t, notified_on, "", "", acting_user)
        for t in order_types
    ]


@transaction.atomic
def appeal_decision_record(
    *,
    disagreement: Disagreement,
    decided_on: date,
    outcome: str,
    acting_user: User,
    orders: Iterable[tuple[str, bool, str]] = (),
) -> Appeal:
    """The Tribunal's decision, with any orders: (order type, by consent, details) each.

    A concession without an order does not reset the original clocks (W v Hertfordshire): the
    20 weeks from the request run on, as a clock of their own linked to the concession.
    """
    disagreement = _locked(disagreement)
    _require_open(disagreement)
    appeal = _appeal(disagreement)
    _require_undecided(appeal)
    if outcome not in Appeal.Outcome.values:
        raise ValidationError({"outcome": "Choose the outcome."})
    if outcome == Appeal.Outcome.UNOPPOSED:
        raise ValidationError({"outcome": UNOPPOSED_USE_FORM})
    _check_day(
        "decided_on", decided_on, after=[("the appeal was registered", appeal.registered_on)]
    )
    orders = list(orders)
    if orders and outcome not in (
        Appeal.Outcome.UPHELD,
        Appeal.Outcome.PARTLY_UPHELD,
        Appeal.Outcome.DISMISSED,
    ):
        raise ValidationError({"order_type": ORDERS_NEED_OUTCOME})
    allowed = ORDER_TYPES_FOR_DECISION[disagreement.decision]
    for order_type, _consent, _details in orders:
        _check_order_type(disagreement, order_type, allowed, "order_type")
    appeal.outcome, appeal.decided_on = outcome, decided_on
    save_audited(appeal, acting_user=acting_user)
    for order_type, consent, details in orders:
        source = S.CONSENT if consent else S.TRIBUNAL
        _order_create(
            disagreement, appeal, source, order_type, decided_on, details, "", acting_user
        )
    if outcome == Appeal.Outcome.CONCEDED and disagreement.decision in CONCESSION_DUTIES:
        order_type, kinds = CONCESSION_DUTIES[disagreement.decision]
        event = _note(
            disagreement.case,
            decided_on,
            "The council conceded the appeal without an order: the original time limits from "
            "the request still apply (R (W) v Hertfordshire CC [2023] EWHC 3138 (Admin)).",
            acting_user,
        )
        order = Order(
            disagreement=disagreement,
            appeal=appeal,
            source=S.CONCESSION,
            order_type=order_type,
            made_on=decided_on,
            started_by=event,
            recorded_by=acting_user,
        )
        save_audited(order, acting_user=acting_user)
        for kind in kinds:
            save_audited(OrderDuty(order=order, kind=kind), acting_user=acting_user)
    _track(disagreement)
    return appeal


def _check_order_type(disagreement, order_type, allowed, field) -> None:
    if order_type == T.AGREED_ACTION:
        raise ValidationError({field: AGREED_ACTION_ONLY_AGREEMENT})
    if order_type not in T.values or order_type not in allowed:
        label = T(order_type).label if order_type in T.values else repr(order_type)
        raise ValidationError(
            {
                field: ORDER_TYPE_MISMATCH.format(
                    order=label,
                    decision=disagreement.get_decision_display().lower(),
                    allowed="; ".join(_lower_first(T(t).label) for t in allowed),
                )
            }
        )


def _order_create(
    disagreement, appeal, source, order_type, made_on, details, other_timescale, acting_user
) -> Order:
    if source == S.AGREEMENT:
        allowed = (*ORDER_TYPES_FOR_DECISION[disagreement.decision], T.AGREED_ACTION)
        if order_type not in allowed:
            _check_order_type(disagreement, order_type, allowed, "order_type")
        duties = REG44_DUTIES[order_type]
    elif source == S.UNOPPOSED:
        duties = REG45_DUTIES[order_type]
    else:
        duties = REG44_DUTIES[order_type]
    label = f"{S(source).label}: {_lower_first(T(order_type).label)}"
    event = _note(disagreement.case, made_on, label + ".", acting_user, order_type=order_type)
    order = Order(
        disagreement=disagreement,
        appeal=appeal,
        source=source,
        order_type=order_type,
        made_on=made_on,
        details=details.strip(),
        other_timescale=other_timescale.strip(),
        started_by=event,
        recorded_by=acting_user,
    )
    save_audited(order, acting_user=acting_user)
    for kind in duties:
        save_audited(OrderDuty(order=order, kind=kind), acting_user=acting_user)
    _track(disagreement)
    return order


@transaction.atomic
def order_duty_done_record(
    *, disagreement: Disagreement, duty_id: int, done_on: date, acting_user: User
) -> OrderDuty:
    """The council did one thing an order, agreement or concession required."""
    disagreement = _locked(disagreement)
    duty = (
        OrderDuty.objects.select_for_update()
        .select_related("order")
        .filter(pk=duty_id, order__disagreement=disagreement)
        .first()
    )
    if duty is None:
        raise ValidationError({"duty": DUTY_UNKNOWN})
    if duty.done_on or duty.not_needed:
        raise ValidationError({"duty": DUTY_DONE})
    _check_day("done_on", done_on, after=[("the order", duty.order.made_on)])
    duty.done_on = done_on
    save_audited(duty, acting_user=acting_user)
    for group in EXCLUSIVE_DUTIES:
        if duty.kind in group:
            for other in duty.order.duties.filter(kind__in=group - {duty.kind}):
                if other.done_on:
                    raise ValidationError({"duty": DUTY_EXCLUSIVE})
                other.not_needed = True
                save_audited(other, acting_user=acting_user)
    _track(disagreement)
    return duty


@transaction.atomic
def recommendation_record(
    *,
    disagreement: Disagreement,
    made_on: date,
    body: str,
    sections: list[str],
    text: str,
    acting_user: User,
) -> Recommendation:
    """A Tribunal recommendation on health or social care: a written response is due from the
    health body or the council within 5 weeks (spec 4.5)."""
    disagreement = _locked(disagreement)
    appeal = _appeal(disagreement)
    if set(appeal.grounds) <= {"a"}:
        raise ValidationError(RECOMMENDATION_NEEDS_GROUND)
    if body not in Recommendation.Body.values:
        raise ValidationError({"body": "Choose who the recommendation is for."})
    if not sections or any(s not in HEALTH_CARE_SECTIONS for s in sections):
        raise ValidationError({"sections": RECOMMENDATION_SECTIONS})
    _check_day("made_on", made_on, after=[("the appeal was registered", appeal.registered_on)])
    text = _require_text("text", text, "what the Tribunal recommended")
    event = _note(
        disagreement.case,
        made_on,
        "Tribunal recommendation on health or social care: response due in 5 weeks.",
        acting_user,
    )
    recommendation = Recommendation(
        appeal=appeal,
        made_on=made_on,
        body=body,
        sections=list(sections),
        text=text,
        started_by=event,
    )
    save_audited(recommendation, acting_user=acting_user)
    _track(disagreement)
    return recommendation


@transaction.atomic
def recommendation_response_record(
    *,
    disagreement: Disagreement,
    recommendation_id: int,
    responded_on: date,
    response: str,
    acting_user: User,
) -> Recommendation:
    disagreement = _locked(disagreement)
    recommendation = (
        Recommendation.objects.select_for_update()
        .filter(pk=recommendation_id, appeal__disagreement=disagreement)
        .first()
    )
    if recommendation is None:
        raise ValidationError({"recommendation": "Choose a recommendation on this appeal."})
    if recommendation.responded_on:
        raise ValidationError({"recommendation": RESPONSE_TWICE})
    _check_day("responded_on", responded_on, after=[("the recommendation", recommendation.made_on)])
    recommendation.responded_on = responded_on
    recommendation.response = _require_text("response", response, "the response")
    save_audited(recommendation, acting_user=acting_user)
    _track(disagreement)
    return recommendation


# -- complaints (spec 4.6) ---------------------------------------------------------------------


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


# -- the clocks ---------------------------------------------------------------------------------


def duty_due_on(duty: OrderDuty) -> date | None:
    """The statutory date for one duty (None where another timescale was agreed in writing)."""
    order = duty.order
    if order.other_timescale:
        return None
    start = order.disagreement.case.clock_starts_on if duty.kind in ("A7", "A13") else order.made_on
    return DUE[duty.kind](start)


def _clock(case, kind, subject, start, *, met_on=None, needed=True, event_id=None, due=None):
    deadline_track(
        case=case,
        source=CLOCK_SOURCE,
        kind=kind,
        subject_key=subject,
        starts_on=start,
        due_on=due or DUE[kind](start),
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
