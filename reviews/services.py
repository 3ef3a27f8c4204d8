"""The only code that changes plans in force and their reviews (spec §2, R1-R27).

Every service is keyword-only, checks its input first (raising ValidationError with a message
from the constants below, so nothing is saved), runs in one transaction, and keeps the plan's
statutory clocks as Deadline rows through ehc.services.deadline_track (source "reviews"). The
first review after a plan is issued is the core's event clock R1 (final plan issued -> annual
review held); every later review is this app's R2, counted from the meeting or the decision as
settings.REVIEWS_LAST_REVIEWED_BASIS says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ehc import timescales
from ehc.models import Case, CaseEvent, EHCPlan, Setting, User
from ehc.services import case_event_record, deadline_track
from ehc.services.common import local_today, save_audited
from reviews import alerts, phases
from reviews.models import (
    SECTION_FIELDS,
    AnnualReview,
    MaintainedPlan,
    PlanVersion,
    Post16Move,
)

SOURCE = "reviews"
K = CaseEvent.Kind

IN_FUTURE = "The date cannot be in the future."
NOT_MAINTAINED = "This plan is no longer maintained by the council."
REVIEW_OPEN = "A review of this plan is already open; finish it before starting another."
REVIEW_TWICE = (
    "A review of this plan for the period ending {due:%d %B %Y} has already been started."
)
REVIEW_CLOSED = "This review is finished; nothing more can be recorded on it."
MEETING_BEFORE_ISSUE = (
    "The review meeting cannot be before the plan was issued ({issued:%d %B %Y})."
)
NOTICE_AFTER_MEETING = "The notice must be sent before the meeting ({meeting:%d %B %Y})."
ADVICE_AFTER_MEETING = "Advice must be circulated before the meeting ({meeting:%d %B %Y})."
HELD_BEFORE_NOTICE = "The meeting cannot be held before its notice was sent ({sent:%d %B %Y})."
ADULTHOOD_NEEDED = (
    "From Year 9 the review must consider preparing for adulthood and independent living "
    "(Reg 21(6)): say what was discussed."
)
REPORT_BEFORE_MEETING = "The report cannot be sent before the meeting ({held:%d %B %Y})."
NO_MEETING = "Record the review meeting first."
DECISION_BEFORE_MEETING = "The decision cannot be before the review meeting ({held:%d %B %Y})."
UNKNOWN_DECISION = "Choose keep, amend or cease."
REASONS_NEEDED = "Give the reasons for the decision; the family must be told them."
PROPOSALS_NEEDED = (
    "Say which sections the council proposes to change and how: the proposed amendments must "
    "go with the decision (Reg 22(2); R (L, M, P) v Devon CC)."
)
EVIDENCE_NEEDED = "List the evidence supporting the proposed amendments (Reg 22(2)(a))."
CONSULTATION_NEEDED = (
    "Before deciding to stop maintaining a plan the council must consult the family and the "
    "head or principal of the school or college (Reg 31(1)): give both dates."
)
CONSULTATION_AFTER_DECISION = "The consultation must come before the decision ({decided:%d %B %Y})."
UNDER_18_CEASE = (
    "For a child under 18 a plan may only stop if it is no longer necessary (Reg 29): say why "
    "in the reasons."
)
NOT_AMENDING = "Only a decision to amend leads to a final amended plan."
BEFORE_FAMILY_DAYS = (
    "The final amended plan cannot be issued until the family's 15 days on the proposed "
    "amendments have ended (on {end:%d %B %Y})."
)
NOT_AMENDED_BEFORE_PROPOSAL = (
    "The date cannot be before the amendments were proposed ({sent:%d %B %Y})."
)
# What the family is told about each decision (reviews.alerts writes the message).
DECISION_EVENTS: dict[str, str] = {
    AnnualReview.Decision.MAINTAIN: K.REVIEW_PLAN_KEPT,
    AnnualReview.Decision.AMEND: K.AMENDMENTS_PROPOSED,
    AnnualReview.Decision.CEASE: K.DECIDED_TO_CEASE,
}
SETTING_OR_TYPE = "Name the school or setting, or give the type of setting."
UNKNOWN_SECTION = "Unknown plan section '{section}'."


def last_reviewed_basis() -> str:
    """'meeting' (most councils) or 'decision': which date starts the next 12 months (R2)."""
    basis = getattr(settings, "REVIEWS_LAST_REVIEWED_BASIS", "meeting")
    return basis if basis in ("meeting", "decision") else "meeting"


def _not_future(field: str, day: date | None, today: date) -> None:
    if day is not None and day > today:
        raise ValidationError({field: IN_FUTURE})


# -- plans in force --------------------------------------------------------------------------


def next_review_due(plan: MaintainedPlan) -> date:
    """R1 from the issue date until the first review, then R2 from the last review."""
    basis = (
        plan.last_review_decided_on
        if last_reviewed_basis() == "decision"
        else plan.last_review_meeting_on
    )
    if basis is None:
        return timescales.first_review_due(plan.first_issued_on)
    return timescales.next_review_due(basis)


def _basis_date(plan: MaintainedPlan) -> date | None:
    if last_reviewed_basis() == "decision":
        return plan.last_review_decided_on
    return plan.last_review_meeting_on


def plan_clocks_refresh(*, plan: MaintainedPlan, today: date | None = None) -> None:
    """Keep the plan's own review clock (R2; R3 for under-5s) in step with its last review."""
    today = today or local_today()
    basis = _basis_date(plan)
    plan.next_review_due = next_review_due(plan)
    if basis is not None:
        deadline_track(
            case=plan.case,
            source=SOURCE,
            kind="R2",
            starts_on=basis,
            due_on=plan.next_review_due,
            needed=plan.is_maintained,
            today=today,
        )
    if phases.age_on_31_august(plan.child.date_of_birth, today.year) < 5:
        # R3 (guidance): every 3-6 months, from the last review or, in the plan's first
        # year before any review, from the day it was issued.
        start = basis or plan.first_issued_on
        deadline_track(
            case=plan.case,
            source=SOURCE,
            kind="R3",
            starts_on=start,
            due_on=timescales.early_years_review_due(start),
            needed=plan.is_maintained,
            guidance=True,
            today=today,
        )


def _version_fields(sections: dict[str, str]) -> dict[str, str]:
    unknown = set(sections) - set(SECTION_FIELDS)
    if unknown:
        raise ValidationError(UNKNOWN_SECTION.format(section=sorted(unknown)[0]))
    return {field: sections.get(field, "") for field in SECTION_FIELDS}


@transaction.atomic
def plan_register(
    *,
    case: Case,
    origin: str,
    issued_on: date,
    sections: dict[str, str],
    named_setting: Setting | None,
    setting_type: str,
    acting_user: User | None,
    primary_need: str = "",
) -> MaintainedPlan:
    """A final plan the council now maintains: the plan, its version 1 and its review clock."""
    existing = MaintainedPlan.objects.filter(case=case).first()
    if existing is not None:
        return existing
    plan = MaintainedPlan(
        case=case,
        child=case.child,
        origin=origin,
        first_issued_on=issued_on,
        current_setting=named_setting,
        setting_type=setting_type,
        primary_need=primary_need,
        next_review_due=timescales.first_review_due(issued_on),
    )
    save_audited(plan, acting_user=acting_user)
    PlanVersion.objects.create(
        plan=plan,
        number=1,
        issued_on=issued_on,
        reason=PlanVersion.Reason.ISSUED,
        named_setting=named_setting,
        created_by=acting_user,
        **_version_fields(sections),
    )
    plan_clocks_refresh(plan=plan)
    plan.save(update_fields=["next_review_due"])
    return plan


def on_final_plan_issued(*, plan: EHCPlan, acting_user: User | None) -> None:
    """ehc.plan_hooks hook: every final plan the core issues becomes a plan in force."""
    case = plan.case
    origin = (
        MaintainedPlan.Origin.TRANSFER_REVIEW
        if case.route == Case.Route.TRANSFER_REVIEW
        else MaintainedPlan.Origin.ASSESSMENT
    )
    plan_register(
        case=case,
        origin=origin,
        issued_on=plan.issued_on,
        sections={field: getattr(plan, field) for field in SECTION_FIELDS},
        named_setting=plan.named_setting,
        setting_type=plan.setting_type,
        acting_user=acting_user,
    )


def _locked_plan(plan: MaintainedPlan) -> MaintainedPlan:
    return (
        MaintainedPlan.objects.select_for_update().select_related("case", "child").get(pk=plan.pk)
    )


def _locked_review(review: AnnualReview) -> AnnualReview:
    locked = (
        AnnualReview.objects.select_for_update()
        .select_related("plan", "plan__case", "plan__child")
        .get(pk=review.pk)
    )
    if not locked.is_open:
        raise ValidationError(REVIEW_CLOSED)
    return locked


# -- opening a review ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewPlan:
    """What a review opened today would be: its kind, period and any phase transfer."""

    kind: str
    due_on: date
    transfer: phases.PhaseTransfer | None
    target_meeting: date  # the last day the meeting can be and still meet every deadline
    needs_adulthood: bool = False  # Year 9 or above at the meeting (R6)


def review_plan_for(plan: MaintainedPlan, today: date) -> ReviewPlan:
    setting = plan.current_setting
    return review_shape(
        next_review_due=plan.next_review_due,
        date_of_birth=plan.child.date_of_birth,
        setting_phase=setting.phase if setting else "",
        setting_kind=setting.kind if setting else "",
        origin=plan.origin,
        reviewed_before=plan.last_review_meeting_on is not None,
        today=today,
    )


def review_shape(
    *,
    next_review_due: date,
    date_of_birth: date,
    setting_phase: str,
    setting_kind: str,
    origin: str,
    reviewed_before: bool,
    today: date,
) -> ReviewPlan:
    """review_plan_for from plain values (the nightly pass reads rows, not objects)."""
    due = next_review_due
    transfer = phases.next_phase_transfer_for(date_of_birth, setting_phase, setting_kind, today)
    # Reg 18 applies once the child is within 12 months of the transfer (spec R14).
    if transfer is not None and today >= date(transfer.year - 1, 9, 1):
        kind: str = AnnualReview.Kind.PHASE_TRANSFER
        target = min(due, transfer.latest_safe_meeting)
    else:
        transfer = None
        target = due
        if phases.age_on_31_august(date_of_birth, today.year) < 5:
            kind = AnnualReview.Kind.EARLY_YEARS
        elif origin == MaintainedPlan.Origin.NEW_LA and not reviewed_before:
            kind = AnnualReview.Kind.NEW_LA
        else:
            kind = AnnualReview.Kind.ANNUAL
    return ReviewPlan(
        kind=kind,
        due_on=due,
        transfer=transfer,
        target_meeting=target,
        needs_adulthood=phases.year_group(date_of_birth, target) >= 9,
    )


@transaction.atomic
def review_open(
    *, plan: MaintainedPlan, acting_user: User | None, today: date | None = None
) -> AnnualReview:
    """Start the review for the plan's current period; one per plan and period (DB constraint)."""
    from reviews.flows import AnnualReviewFlow

    today = today or local_today()
    plan = _locked_plan(plan)
    if not plan.is_maintained:
        raise ValidationError(NOT_MAINTAINED)
    if plan.reviews.filter(outcome=AnnualReview.Outcome.OPEN).exists():
        raise ValidationError(REVIEW_OPEN, code="open")
    shape = review_plan_for(plan, today)
    review = AnnualReview(
        plan=plan,
        kind=shape.kind,
        due_on=shape.due_on,
        opened_on=today,
        transfer_year=shape.transfer.year if shape.transfer else None,
        transfer_post16=bool(shape.transfer and shape.transfer.post16),
        transfer_due_on=shape.transfer.deadline if shape.transfer else None,
        needs_adulthood=shape.needs_adulthood,
    )
    try:
        with transaction.atomic():
            save_audited(review, acting_user=acting_user, validate=False)
    except IntegrityError as error:
        raise ValidationError(REVIEW_TWICE.format(due=shape.due_on), code="twice") from error
    _review_clocks(review, today=today, target_meeting=shape.target_meeting)
    AnnualReviewFlow.start.run(review=review)
    return review


def _track(review: AnnualReview, kind: str, starts_on: date, due_on: date, **kwargs) -> None:
    met_on = kwargs.get("met_on")
    if met_on is not None and met_on < starts_on:
        starts_on = met_on  # done before the review was opened here (e.g. notice already sent)
    deadline_track(
        case=review.plan.case,
        source=SOURCE,
        kind=kind,
        starts_on=starts_on,
        due_on=due_on,
        **kwargs,
    )


def _review_clocks(
    review: AnnualReview, *, today: date, target_meeting: date | None = None
) -> None:
    """The review's live clocks. Before a meeting date is set, R4/R5 count back from the last
    day the meeting can be held (the period's end, or the latest safe date for a transfer)."""
    opened = review.opened_on
    meeting = review.meeting_on or target_meeting or review.due_on
    held = review.held_on
    _track(
        review,
        "R4",
        opened,
        timescales.review_notice_latest(meeting),
        met_on=review.notice_sent_on,
        today=today,
    )
    _track(
        review,
        "R5",
        opened,
        timescales.review_advice_latest(meeting),
        met_on=review.advice_circulated_on,
        today=today,
    )
    if review.transfer_due_on is not None:
        _track(
            review,
            "R15" if review.transfer_post16 else "R14",
            opened,
            review.transfer_due_on,
            met_on=review.final_issued_on
            or review.not_amended_on
            or (review.decided_on if review.decision == AnnualReview.Decision.MAINTAIN else None),
            today=today,
        )
    if held is None:
        return
    _track(
        review,
        "R7",
        held,
        timescales.review_report_due(held),
        met_on=review.report_sent_on,
        today=today,
    )
    _track(
        review,
        "R8",
        held,
        timescales.review_decision_due(held),
        met_on=review.decided_on,
        today=today,
    )
    sent = review.decided_on if review.decision == AnnualReview.Decision.AMEND else None
    if sent is None:
        return
    _track(
        review,
        "R10",
        sent,
        timescales.amendment_representations_end(sent),
        family_window=True,
        today=today,
    )
    done = review.final_issued_on or review.not_amended_on
    _track(
        review,
        "R11",
        sent,
        timescales.amended_plan_due(sent),
        met_on=done,
        needed=review.not_amended_on is None,
        today=today,
    )
    _track(
        review,
        "R13",
        held,
        timescales.amended_plan_latest(held),
        met_on=done,
        needed=review.not_amended_on is None,
        today=today,
    )
    if review.not_amended_on is not None:
        _track(
            review,
            "R12",
            sent,
            timescales.not_amending_notice_due(sent),
            met_on=review.not_amended_on,
            today=today,
        )


# -- the meeting -----------------------------------------------------------------------------


@transaction.atomic
def review_meeting_arrange(
    *,
    review: AnnualReview,
    meeting_on: date,
    notice_sent_on: date,
    advice_circulated_on: date | None,
    acting_user: User | None,
) -> AnnualReview:
    """R4, R5: the meeting date, its notice and the advice circulated before it."""
    today = local_today()
    review = _locked_review(review)
    _not_future("notice_sent_on", notice_sent_on, today)
    _not_future("advice_circulated_on", advice_circulated_on, today)
    issued = review.plan.first_issued_on
    if meeting_on < issued:
        raise ValidationError({"meeting_on": MEETING_BEFORE_ISSUE.format(issued=issued)})
    if notice_sent_on > meeting_on:
        raise ValidationError({"notice_sent_on": NOTICE_AFTER_MEETING.format(meeting=meeting_on)})
    if advice_circulated_on is not None and advice_circulated_on > meeting_on:
        raise ValidationError(
            {"advice_circulated_on": ADVICE_AFTER_MEETING.format(meeting=meeting_on)}
        )
    review.meeting_on, review.notice_sent_on = meeting_on, notice_sent_on
    review.advice_circulated_on = advice_circulated_on
    review.needs_adulthood = phases.year_group(review.plan.child.date_of_birth, meeting_on) >= 9
    review.stage = AnnualReview.Stage.MEETING_ARRANGED
    save_audited(review, acting_user=acting_user, validate=False)
    _review_clocks(review, today=today)
    alerts.review_event_record(
        plan=review.plan,
        kind=K.REVIEW_MEETING_ARRANGED,
        occurred_on=notice_sent_on,
        step_key=f"review:{review.pk}:{meeting_on.isoformat()}",
        details={
            "review": review.pk,
            "meeting_on": meeting_on.isoformat(),
            "needs_adulthood": review.needs_adulthood,
            "advice_circulated_on": advice_circulated_on.isoformat()
            if advice_circulated_on
            else "",
        },
        acting_user=acting_user,
    )
    return review


@transaction.atomic
def review_meeting_record(
    *,
    review: AnnualReview,
    held_on: date,
    adulthood_discussed: str,
    acting_user: User | None,
) -> AnnualReview:
    """The meeting was held (R6 from Year 9). Meets the review-due clock (R1 via the core's
    event, R2 here) and starts R7 and R8."""
    today = local_today()
    review = _locked_review(review)
    plan = _locked_plan(review.plan)
    _not_future("held_on", held_on, today)
    if held_on < plan.first_issued_on:
        raise ValidationError({"held_on": MEETING_BEFORE_ISSUE.format(issued=plan.first_issued_on)})
    if review.notice_sent_on and held_on < review.notice_sent_on:
        raise ValidationError({"held_on": HELD_BEFORE_NOTICE.format(sent=review.notice_sent_on)})
    review.needs_adulthood = phases.year_group(plan.child.date_of_birth, held_on) >= 9
    if review.needs_adulthood and not adulthood_discussed.strip():
        raise ValidationError({"adulthood_discussed": ADULTHOOD_NEEDED})
    first = plan.last_review_meeting_on is None
    case_event_record(
        case=plan.case,
        kind=K.ANNUAL_REVIEW_HELD,
        occurred_on=held_on,
        acting_user=acting_user,
        summary=f"{review.get_kind_display()} meeting held",
    )
    review.held_on, review.adulthood_discussed = held_on, adulthood_discussed.strip()
    review.meeting_on = review.meeting_on or held_on
    review.stage = AnnualReview.Stage.MEETING_HELD
    save_audited(review, acting_user=acting_user, validate=False)
    plan.last_review_meeting_on = held_on
    if last_reviewed_basis() == "meeting" or first and plan.last_review_decided_on is None:
        _review_due_met(plan, held_on, today)
    plan_clocks_refresh(plan=plan, today=today)
    save_audited(plan, acting_user=acting_user, validate=False)
    _review_clocks(review, today=today)
    return review


def _review_due_met(plan: MaintainedPlan, held_on: date, today: date) -> None:
    """Close the running R2 clock of the period this meeting answers."""
    row = plan.case.deadlines.filter(kind="R2", source=SOURCE).first()
    if row is not None and row.met_on is None:
        deadline_track(
            case=plan.case,
            source=SOURCE,
            kind="R2",
            starts_on=row.starts_on,
            due_on=row.due_on,
            met_on=held_on,
            today=today,
        )


@transaction.atomic
def review_report_record(
    *, review: AnnualReview, sent_on: date, recommendations: str, acting_user: User | None
) -> AnnualReview:
    """R7: the report, with its recommendations, sent to everyone invited."""
    today = local_today()
    review = _locked_review(review)
    if review.held_on is None:
        raise ValidationError(NO_MEETING)
    _not_future("sent_on", sent_on, today)
    if sent_on < review.held_on:
        raise ValidationError({"sent_on": REPORT_BEFORE_MEETING.format(held=review.held_on)})
    review.report_sent_on, review.recommendations = sent_on, recommendations.strip()
    save_audited(review, acting_user=acting_user, validate=False)
    _review_clocks(review, today=today)
    return review


@dataclass(frozen=True)
class ReviewDecision:
    decision: str
    decided_on: date
    reasons: str
    proposed_sections: dict[str, str]
    evidence: str = ""
    consulted_family_on: date | None = None
    consulted_setting_on: date | None = None


@transaction.atomic
def review_decision_record(
    *, review: AnnualReview, details: ReviewDecision, acting_user: User | None
) -> AnnualReview:
    """R8 (4 weeks from the meeting): keep, amend (with the proposals and evidence, R9) or cease
    (after consulting the family and the setting, R24; the notice carries the appeal rights)."""
    today = local_today()
    review = _locked_review(review)
    d = details
    if review.held_on is None:
        raise ValidationError(NO_MEETING)
    if d.decision not in AnnualReview.Decision.values:
        raise ValidationError({"decision": UNKNOWN_DECISION})
    _not_future("decided_on", d.decided_on, today)
    if d.decided_on < review.held_on:
        raise ValidationError({"decided_on": DECISION_BEFORE_MEETING.format(held=review.held_on)})
    if d.decision != AnnualReview.Decision.MAINTAIN and not d.reasons.strip():
        raise ValidationError({"reasons": REASONS_NEEDED})
    proposed = {k: v for k, v in d.proposed_sections.items() if v.strip()}
    if d.decision == AnnualReview.Decision.AMEND:
        _version_fields(proposed)
        if not proposed:
            raise ValidationError({"proposed_sections": PROPOSALS_NEEDED})
        if not d.evidence.strip():
            raise ValidationError({"evidence": EVIDENCE_NEEDED})
    if d.decision == AnnualReview.Decision.CEASE:
        _check_cease(review, d)
    review.decision, review.decided_on, review.reasons = d.decision, d.decided_on, d.reasons
    review.proposed_sections = proposed if d.decision == AnnualReview.Decision.AMEND else {}
    review.evidence = d.evidence.strip()
    review.consulted_family_on = d.consulted_family_on
    review.consulted_setting_on = d.consulted_setting_on
    plan = _locked_plan(review.plan)
    plan.last_review_decided_on = d.decided_on
    if d.decision == AnnualReview.Decision.AMEND:
        review.stage = AnnualReview.Stage.AMENDMENTS_PROPOSED
    else:
        review.stage = AnnualReview.Stage.COMPLETED
        review.outcome = (
            AnnualReview.Outcome.MAINTAINED
            if d.decision == AnnualReview.Decision.MAINTAIN
            else AnnualReview.Outcome.CEASE
        )
    if d.decision == AnnualReview.Decision.CEASE:
        plan.status = MaintainedPlan.Status.CEASING  # R26: kept until the appeal window ends
    save_audited(review, acting_user=acting_user, validate=False)
    if last_reviewed_basis() == "decision":
        _review_due_met(plan, d.decided_on, today)
    plan_clocks_refresh(plan=plan, today=today)
    save_audited(plan, acting_user=acting_user, validate=False)
    _review_clocks(review, today=today)
    alerts.review_event_record(
        plan=plan,
        kind=DECISION_EVENTS[d.decision],
        occurred_on=d.decided_on,
        step_key=f"review:{review.pk}",
        details={
            "review": review.pk,
            "decided_on": d.decided_on.isoformat(),
            "held_on": review.held_on.isoformat(),
        },
        acting_user=acting_user,
    )
    return review


def _check_cease(review: AnnualReview, d: ReviewDecision) -> None:
    if d.consulted_family_on is None or d.consulted_setting_on is None:
        raise ValidationError({"consulted_family_on": CONSULTATION_NEEDED})
    for field, day in (
        ("consulted_family_on", d.consulted_family_on),
        ("consulted_setting_on", d.consulted_setting_on),
    ):
        if day > d.decided_on:
            raise ValidationError({field: CONSULTATION_AFTER_DECISION.format(decided=d.decided_on)})
    age = relativedelta(d.decided_on, review.plan.child.date_of_birth).years
    if age < 18 and "necessary" not in d.reasons.lower():
        raise ValidationError({"reasons": UNDER_18_CEASE})


def representations_end(review: AnnualReview) -> date | None:
    if review.decision != AnnualReview.Decision.AMEND or review.decided_on is None:
        return None
    return timescales.amendment_representations_end(review.decided_on)


@transaction.atomic
def amended_plan_issue(
    *,
    review: AnnualReview,
    issued_on: date,
    named_setting: Setting | None,
    setting_type: str,
    family_views: str,
    acting_user: User | None,
) -> PlanVersion:
    """R11/R13: the final amended plan, a new version of the plan, after the family's 15 days."""
    today = local_today()
    review = _locked_review(review)
    if review.decision != AnnualReview.Decision.AMEND:
        raise ValidationError(NOT_AMENDING)
    _not_future("issued_on", issued_on, today)
    end = representations_end(review)
    if end is not None and issued_on <= end:
        raise ValidationError({"issued_on": BEFORE_FAMILY_DAYS.format(end=end)})
    if named_setting is None and not setting_type.strip():
        raise ValidationError({"named_setting": SETTING_OR_TYPE})
    plan = _locked_plan(review.plan)
    current = plan.versions.order_by("-number").first()
    fields = current.sections() if current else {f: "" for f in SECTION_FIELDS}
    fields.update(review.proposed_sections)
    placement = named_setting.name if named_setting else setting_type.strip()
    if named_setting is not None or setting_type.strip():
        kind = setting_type.strip() or named_setting.get_kind_display()
        fields["section_i"] = f"{placement} ({kind})" if named_setting else placement
    version = PlanVersion.objects.create(
        plan=plan,
        number=(current.number + 1) if current else 1,
        issued_on=issued_on,
        reason=(
            PlanVersion.Reason.AMENDED_PHASE
            if review.kind == AnnualReview.Kind.PHASE_TRANSFER
            else PlanVersion.Reason.AMENDED_REVIEW
        ),
        named_setting=named_setting,
        created_by=acting_user,
        **fields,
    )
    plan.current_setting = named_setting or plan.current_setting
    plan.setting_type = setting_type.strip()
    save_audited(plan, acting_user=acting_user, validate=False)
    post16_moves_meet(
        plan=plan, version=version, setting_name=placement, issued_on=issued_on, today=today
    )
    review.final_issued_on, review.family_views = issued_on, family_views.strip()
    review.amended_version = version
    review.stage, review.outcome = AnnualReview.Stage.COMPLETED, AnnualReview.Outcome.AMENDED
    save_audited(review, acting_user=acting_user, validate=False)
    _review_clocks(review, today=today)
    alerts.review_event_record(
        plan=plan,
        kind=K.AMENDED_PLAN_ISSUED,
        occurred_on=issued_on,
        step_key=f"review:{review.pk}",
        details={
            "review": review.pk,
            "issued_on": issued_on.isoformat(),
            "version": version.number,
        },
        acting_user=acting_user,
    )
    return version


def post16_moves_meet(
    *,
    plan: MaintainedPlan,
    version: PlanVersion,
    setting_name: str,
    issued_on: date,
    today: date,
) -> list[Post16Move]:
    """R16: an amended plan issued before a planned post-16 move, naming the institution the
    young person moves to, meets that move's clock (late if after its day). A plan naming
    somewhere else leaves the clock running. Returns the moves whose clock this met."""
    met = []
    moves = plan.post16_moves.filter(move_on__gt=issued_on).select_related("new_setting")
    for move in moves:
        if not _names_destination(move, version.named_setting_id, setting_name):
            continue
        key = f"post16:{move.pk}"
        row = plan.case.deadlines.filter(kind="R16", source=SOURCE, subject_key=key).first()
        if row is None or row.met_on is not None:
            continue
        deadline_track(
            case=plan.case,
            source=SOURCE,
            kind="R16",
            subject_key=key,
            starts_on=min(row.starts_on, issued_on),
            due_on=row.due_on,
            met_on=issued_on,
            today=today,
        )
        met.append(move)
    return met


def _names_destination(move: Post16Move, named_setting_id: int | None, setting_name: str) -> bool:
    if move.new_setting_id is not None:
        return named_setting_id == move.new_setting_id
    wanted = " ".join(move.new_setting_name.lower().split())
    return bool(wanted) and " ".join(setting_name.lower().split()) == wanted


@transaction.atomic
def amendment_withdraw(
    *, review: AnnualReview, decided_on: date, reasons: str, acting_user: User | None
) -> AnnualReview:
    """R12: after proposing amendments the council decides not to amend after all."""
    today = local_today()
    review = _locked_review(review)
    if review.decision != AnnualReview.Decision.AMEND:
        raise ValidationError(NOT_AMENDING)
    _not_future("decided_on", decided_on, today)
    if decided_on < review.decided_on:
        raise ValidationError(
            {"decided_on": NOT_AMENDED_BEFORE_PROPOSAL.format(sent=review.decided_on)}
        )
    if not reasons.strip():
        raise ValidationError({"reasons": REASONS_NEEDED})
    review.not_amended_on = decided_on
    review.family_views = (review.family_views + "\n" + reasons.strip()).strip()
    review.stage, review.outcome = AnnualReview.Stage.COMPLETED, AnnualReview.Outcome.NOT_AMENDED
    save_audited(review, acting_user=acting_user, validate=False)
    _review_clocks(review, today=today)
    alerts.review_event_record(
        plan=review.plan,
        kind=K.DECIDED_NOT_TO_AMEND,
        occurred_on=decided_on,
        step_key=f"review:{review.pk}",
        details={"review": review.pk, "decided_on": decided_on.isoformat()},
        acting_user=acting_user,
    )
    return review
