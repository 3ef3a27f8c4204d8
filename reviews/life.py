"""The rest of a plan's life (spec §2): reassessment (R21-R23), moves between councils
(R18-R20), ceasing once the appeal window has passed (R24-R27) and moves between post-16
institutions at other times (R16).

Services, like reviews.services: keyword-only, checked first (nothing saved on a
ValidationError), one transaction, clocks as Deadline rows through deadline_track. Each
appealable decision here (refusing to reassess, ceasing) is one the family can take to the
existing mediation and appeal routes: the disagreement pages offer it by its decision kind and
date (disagreements.services.disagreement_open).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from disagreements.models import Disagreement
from ehc import timescales
from ehc.models import CaseEvent, Setting, User
from ehc.services import case_event_record, deadline_track
from ehc.services.common import local_today, save_audited
from reviews import alerts, phases, services
from reviews.models import MaintainedPlan, PlanMove, PlanVersion, Post16Move, Reassessment
from reviews.services import IN_FUTURE, NOT_MAINTAINED, SOURCE, plan_clocks_refresh

BEFORE_REQUEST = "The decision cannot be before the request was received ({received:%d %B %Y})."
ALREADY_DECIDED = "This request has already been decided."
UNKNOWN_DECISION = "Choose whether the council will reassess."
REFUSAL_REASONS = "Give the reasons for refusing; the family must be told them and may appeal."
NOT_REASSESSING = "The council decided not to reassess; there is no new plan to record."
PLAN_BEFORE_DECISION = "The plan cannot be issued before the decision to reassess ({on:%d %B %Y})."
LEARNT_AFTER_MOVE_OK = "The day the council learnt of the move cannot be in the future."
TRANSFER_BEFORE_LEARNT = (
    "The plan cannot be passed on before the council knew of the move ({on:%d %B %Y})."
)
ALREADY_TRANSFERRED = "This plan has already been passed on."
NOT_CEASING = "Only a plan the council has decided to stop maintaining can cease."
APPEAL_WINDOW_OPEN = (
    "The plan must be maintained until the time to appeal has passed (on {by:%d %B %Y}) "
    "(Children and Families Act 2014 s.45)."
)
APPEAL_OPEN = (
    "The family has an open disagreement or appeal about stopping the plan; it must be "
    "maintained until that is decided (s.45)."
)
COUNCIL_NEEDED = "Give the other council's name."
POST16_MOVE_NOT_AHEAD = "The planned move must be after today."
POST16_TOO_YOUNG = (
    "Only a young person past Year 11 moves between post-16 institutions at other times; a "
    "child's move to the next phase is a phase-transfer review (14 February or 30 March)."
)
POST16_WHERE = "Choose the new college or institution, or give its name."


def _not_future(field: str, day: date | None) -> None:
    if day is not None and day > local_today():
        raise ValidationError({field: IN_FUTURE})


def _maintained(plan: MaintainedPlan) -> MaintainedPlan:
    plan = (
        MaintainedPlan.objects.select_for_update().select_related("case", "child").get(pk=plan.pk)
    )
    if not plan.is_maintained:
        raise ValidationError(NOT_MAINTAINED)
    return plan


# -- reassessment (R21-R23) ---------------------------------------------------------------------


@transaction.atomic
def reassessment_request_record(
    *, plan: MaintainedPlan, requested_by: str, received_on: date, acting_user: User | None
) -> Reassessment:
    """R21: a request to reassess; the council must answer within 15 days."""
    plan = _maintained(plan)
    _not_future("received_on", received_on)
    if not requested_by.strip():
        raise ValidationError({"requested_by": "Say who asked for the reassessment."})
    request = Reassessment(
        plan=plan,
        requested_by=requested_by.strip(),
        received_on=received_on,
        recorded_by=acting_user,
    )
    save_audited(request, acting_user=acting_user)
    _reassessment_clocks(request)
    return request


def _reassessment_clocks(request: Reassessment) -> None:
    case = request.plan.case
    key = f"reassessment:{request.pk}"
    deadline_track(
        case=case,
        source=SOURCE,
        kind="R21",
        subject_key=key,
        starts_on=request.received_on,
        due_on=timescales.reassessment_decision_due(request.received_on),
        met_on=request.decided_on,
    )
    if request.decision == Reassessment.Decision.REASSESS:
        deadline_track(
            case=case,
            source=SOURCE,
            kind="R22",
            subject_key=key,
            starts_on=request.decided_on,
            due_on=timescales.reassessment_plan_due(request.decided_on),
            met_on=request.plan_issued_on,
        )


@transaction.atomic
def reassessment_decision_record(
    *,
    reassessment: Reassessment,
    decision: str,
    decided_on: date,
    reasons: str,
    acting_user: User | None,
) -> Reassessment:
    """R21: reassess (R22's 14 weeks start) or refuse (appealable: CFA s.51(2)(d))."""
    request = (
        Reassessment.objects.select_for_update()
        .select_related("plan__case")
        .get(pk=reassessment.pk)
    )
    if request.decision:
        raise ValidationError(ALREADY_DECIDED)
    if decision not in Reassessment.Decision.values:
        raise ValidationError({"decision": UNKNOWN_DECISION})
    _not_future("decided_on", decided_on)
    if decided_on < request.received_on:
        raise ValidationError({"decided_on": BEFORE_REQUEST.format(received=request.received_on)})
    if decision == Reassessment.Decision.REFUSE and not reasons.strip():
        raise ValidationError({"reasons": REFUSAL_REASONS})
    request.decision, request.decided_on, request.reasons = decision, decided_on, reasons.strip()
    save_audited(request, acting_user=acting_user)
    _reassessment_clocks(request)
    return request


@transaction.atomic
def reassessment_plan_record(
    *, reassessment: Reassessment, issued_on: date, acting_user: User | None
) -> PlanVersion:
    """R22: the amended or replacement plan after reassessment: a new version of the plan."""
    request = (
        Reassessment.objects.select_for_update().select_related("plan").get(pk=reassessment.pk)
    )
    if request.decision != Reassessment.Decision.REASSESS:
        raise ValidationError(NOT_REASSESSING)
    _not_future("issued_on", issued_on)
    if issued_on < request.decided_on:
        raise ValidationError({"issued_on": PLAN_BEFORE_DECISION.format(on=request.decided_on)})
    plan = _maintained(request.plan)
    current = plan.versions.order_by("-number").first()
    version = PlanVersion.objects.create(
        plan=plan,
        number=current.number + 1 if current else 1,
        issued_on=issued_on,
        reason=PlanVersion.Reason.AMENDED_REASSESSMENT,
        named_setting=current.named_setting if current else None,
        created_by=acting_user,
        **(current.sections() if current else {}),
    )
    request.plan_issued_on = issued_on
    save_audited(request, acting_user=acting_user)
    _reassessment_clocks(request)
    return version


# -- moves between councils (R18-R20) ----------------------------------------------------------


@transaction.atomic
def plan_move_out_record(
    *,
    plan: MaintainedPlan,
    other_council: str,
    move_on: date,
    learnt_on: date,
    acting_user: User | None,
) -> PlanMove:
    """R18: pass the plan on the day of the move, or within 15 working days of learning of it."""
    plan = _maintained(plan)
    _not_future("learnt_on", learnt_on)
    if not other_council.strip():
        raise ValidationError({"other_council": COUNCIL_NEEDED})
    move = PlanMove(
        plan=plan,
        direction=PlanMove.Direction.OUT,
        other_council=other_council.strip(),
        move_on=move_on,
        learnt_on=learnt_on,
        recorded_by=acting_user,
    )
    save_audited(move, acting_user=acting_user)
    _move_clock(move)
    return move


def _move_clock(move: PlanMove) -> None:
    key = f"move:{move.pk}"
    if move.direction == PlanMove.Direction.OUT:
        deadline_track(
            case=move.plan.case,
            source=SOURCE,
            kind="R18",
            subject_key=key,
            starts_on=move.learnt_on,
            due_on=timescales.plan_transfer_due(move.move_on, move.learnt_on),
            met_on=move.transferred_on,
        )
    else:
        deadline_track(
            case=move.plan.case,
            source=SOURCE,
            kind="R19",
            subject_key=key,
            starts_on=move.transferred_on,
            due_on=timescales.new_la_notice_due(move.transferred_on),
            met_on=move.family_told_on,
        )


@transaction.atomic
def plan_move_out_transferred(
    *, move: PlanMove, transferred_on: date, acting_user: User | None
) -> PlanMove:
    """The plan was passed to the new council: this council stops maintaining it."""
    move = PlanMove.objects.select_for_update().select_related("plan__case").get(pk=move.pk)
    if move.transferred_on:
        raise ValidationError(ALREADY_TRANSFERRED)
    _not_future("transferred_on", transferred_on)
    if transferred_on < move.learnt_on:
        raise ValidationError({"transferred_on": TRANSFER_BEFORE_LEARNT.format(on=move.learnt_on)})
    move.transferred_on = transferred_on
    save_audited(move, acting_user=acting_user)
    _move_clock(move)
    plan = move.plan
    plan.status = MaintainedPlan.Status.TRANSFERRED_OUT
    save_audited(plan, acting_user=acting_user, validate=False)
    _close_plan_clocks(plan)
    case_event_record(
        case=plan.case,
        kind=CaseEvent.Kind.MOVED_LA,
        occurred_on=transferred_on,
        acting_user=acting_user,
        summary=f"Plan passed to {move.other_council}",
    )
    return move


@transaction.atomic
def plan_move_in_record(
    *,
    plan: MaintainedPlan,
    other_council: str,
    transferred_on: date,
    last_reviewed_on: date | None,
    acting_user: User | None,
) -> PlanMove:
    """R19, R20: a plan another council passed to us (already registered, e.g. by import):
    tell the family within 6 weeks; review by the later of 12 months from the last review and
    3 months from the transfer."""
    plan = _maintained(plan)
    _not_future("transferred_on", transferred_on)
    if not other_council.strip():
        raise ValidationError({"other_council": COUNCIL_NEEDED})
    move = PlanMove(
        plan=plan,
        direction=PlanMove.Direction.IN,
        other_council=other_council.strip(),
        move_on=transferred_on,
        learnt_on=transferred_on,
        transferred_on=transferred_on,
        recorded_by=acting_user,
    )
    save_audited(move, acting_user=acting_user)
    _move_clock(move)
    plan.origin = MaintainedPlan.Origin.NEW_LA
    plan.next_review_due = timescales.new_la_review_due(
        last_reviewed_on or plan.first_issued_on, transferred_on
    )
    save_audited(plan, acting_user=acting_user, validate=False)
    deadline_track(
        case=plan.case,
        source=SOURCE,
        kind="R20",
        subject_key=f"move:{move.pk}",
        starts_on=transferred_on,
        due_on=plan.next_review_due,
    )
    return move


@transaction.atomic
def plan_move_in_family_told(
    *, move: PlanMove, told_on: date, will_reassess: bool, acting_user: User | None
) -> PlanMove:
    move = PlanMove.objects.select_for_update().select_related("plan__case").get(pk=move.pk)
    _not_future("told_on", told_on)
    if told_on < move.transferred_on:
        raise ValidationError({"told_on": TRANSFER_BEFORE_LEARNT.format(on=move.transferred_on)})
    move.family_told_on, move.will_reassess = told_on, will_reassess
    save_audited(move, acting_user=acting_user)
    _move_clock(move)
    return move


# -- ceasing (R24-R27) ---------------------------------------------------------------------------


def cease_appeal_by(plan: MaintainedPlan) -> date | None:
    """The last day to appeal the decision to cease (2 months from the decision: F1)."""
    review = plan.reviews.filter(decision="cease").order_by("-decided_on").first()
    return timescales.appeal_deadline(review.decided_on) if review else None


@transaction.atomic
def plan_cease(
    *, plan: MaintainedPlan, ceased_on: date, acting_user: User | None
) -> MaintainedPlan:
    """R26: stop maintaining the plan, only once the appeal window has passed with no
    disagreement or appeal about it still open."""
    plan = MaintainedPlan.objects.select_for_update().select_related("case").get(pk=plan.pk)
    if plan.status != MaintainedPlan.Status.CEASING:
        raise ValidationError(NOT_CEASING)
    _not_future("ceased_on", ceased_on)
    appeal_by = cease_appeal_by(plan)
    if appeal_by is not None and ceased_on <= appeal_by:
        raise ValidationError({"ceased_on": APPEAL_WINDOW_OPEN.format(by=appeal_by)})
    if Disagreement.objects.filter(
        case=plan.case, decision=Disagreement.Decision.CEASE, status=Disagreement.Status.OPEN
    ).exists():
        raise ValidationError(APPEAL_OPEN)
    plan.status, plan.ceased_on = MaintainedPlan.Status.CEASED, ceased_on
    save_audited(plan, acting_user=acting_user, validate=False)
    _close_plan_clocks(plan)
    alerts.review_event_record(
        plan=plan,
        kind=CaseEvent.Kind.PLAN_CEASED,
        occurred_on=ceased_on,
        step_key=f"plan:{plan.pk}",
        details={"ceased_on": ceased_on.isoformat()},
        acting_user=acting_user,
    )
    return plan


def _close_plan_clocks(plan: MaintainedPlan) -> None:
    """A plan no longer maintained needs no more reviews."""
    plan_clocks_refresh(plan=plan)
    plan.case.deadlines.filter(
        source=SOURCE, is_open=True, kind__in=["R4", "R5", "R7", "R8"]
    ).update(status="not_needed", is_open=False)


# -- post-16 moves at other times (R16) ----------------------------------------------------------


@transaction.atomic
def post16_move_record(
    *,
    plan: MaintainedPlan,
    move_on: date,
    new_setting: Setting | None,
    new_setting_name: str,
    acting_user: User | None,
) -> Post16Move:
    """R16: a young person moving between post-16 institutions other than in September; the
    plan must be reviewed and amended at least 5 months before the move."""
    plan = _maintained(plan)
    today = local_today()
    if move_on <= today:
        raise ValidationError({"move_on": POST16_MOVE_NOT_AHEAD})
    dob = plan.child.date_of_birth
    if phases.age_on_31_august(dob, phases.school_year_start(today)) < phases.POST16_AGE:
        raise ValidationError({"move_on": POST16_TOO_YOUNG})
    if new_setting is None and not new_setting_name.strip():
        raise ValidationError({"new_setting": POST16_WHERE})
    move = Post16Move(
        plan=plan,
        move_on=move_on,
        new_setting=new_setting,
        new_setting_name="" if new_setting else new_setting_name.strip(),
        recorded_on=today,
        recorded_by=acting_user,
    )
    save_audited(move, acting_user=acting_user)
    deadline_track(
        case=plan.case,
        source=SOURCE,
        kind="R16",
        subject_key=f"post16:{move.pk}",
        starts_on=today,
        due_on=timescales.post16_transfer_review_due(move_on),
        today=today,
    )
    # The plan may already name the new institution: amended before the move was recorded
    # here (at a review, or in the previous system). Then R16 was met on the day that plan was
    # issued (late if after the day 5 months before the move), not left running.
    current = plan.versions.select_related("named_setting").order_by("-number").first()
    if current is not None:
        services.post16_moves_meet(
            plan=plan,
            version=current,
            setting_name=(
                current.named_setting.name if current.named_setting else plan.setting_type
            ),
            issued_on=current.issued_on,
            today=today,
        )
    return move


__all__ = [
    "post16_move_record",
    "cease_appeal_by",
    "plan_cease",
    "plan_move_in_family_told",
    "plan_move_in_record",
    "plan_move_out_record",
    "plan_move_out_transferred",
    "reassessment_decision_record",
    "reassessment_plan_record",
    "reassessment_request_record",
]
