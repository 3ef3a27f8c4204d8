"""The transfer review of a Statement (or the transfer of an LDA): each step one transaction.

The assessment itself is an EHC needs assessment on an ehc Case, recorded through ehc's own
services, so the plan lands in the same EHCPlan model as a new request and the case page, alerts
and dashboards see it. The transfer-review timescale (spec T8-T10, dated by the start) is kept on
the case through ehc.services.deadline_track with source "conversions".
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from conversions import timetable as tt
from conversions.models import LegacyInstrument, TransferReview
from conversions.queue import review_queue_refresh
from ehc.models import Case, CaseEvent, Deadline, Notice, Setting, Team, User
from ehc.services import assessment as ehc_assessment
from ehc.services import case_assign, case_create_from_request, case_event_record, deadline_track
from ehc.services.common import local_today, save_audited

SOURCE = "conversions"
MEETING_SUBJECT = "transfer_review_meeting"

NOT_TRANSFERABLE = (
    "A non-statutory plan is not transferred under the transitional order. If the child needs "
    "an EHC plan, register a request for an EHC needs assessment instead."
)
ALREADY_REVIEWED = "This instrument already has a transfer review."
CEASED = "This instrument ceased on {on:%d %B %Y}; there is nothing to transfer."
NO_TEAM = "Choose the team that will carry out the transfer review."
IN_FUTURE = "The date cannot be in the future."
BEFORE_MADE = "The date cannot be before the {kind} was made ({made:%d %B %Y})."
START_TOO_SOON = (
    "The transfer review cannot start on {start:%d %B %Y}. The family must have at least "
    "2 weeks' notice of the start: with notice given on {notice:%d %B %Y}, the earliest start is "
    "{earliest:%d %B %Y}."
)
NOTICE_NOT_GIVEN = "Record the notice of the transfer review before it starts."
ALREADY_STARTED = "The transfer review has already started."
NOT_STARTED = "The transfer review has not started yet."
BEFORE_START = "The date cannot be before the transfer review started ({start:%d %B %Y})."
ADVISERS_REQUIRED = "Choose whose advice was received."
RECEIVED_BEFORE_REQUESTED = "Advice cannot arrive before it was asked for ({asked:%d %B %Y})."
ALREADY_CONCLUDED = "The transfer review has already concluded."


def _refuse(field: str | None, message: str):
    raise ValidationError({field: message} if field else message)


def _not_future(value: date, field: str, today: date) -> None:
    if value > today:
        _refuse(field, IN_FUTURE)


def _locked(review: TransferReview) -> TransferReview:
    return (
        # Lock only the review row: PostgreSQL cannot lock the nullable side of an outer join.
        TransferReview.objects.select_for_update(of=("self",))
        .select_related("instrument", "instrument__child", "case", "team", "caseworker")
        .get(pk=review.pk)
    )


@transaction.atomic
def transfer_review_open(
    *, instrument: LegacyInstrument, team: Team | None, acting_user: User
) -> TransferReview:
    """Record that the transfer review of an instrument is opened (its flow is started by
    conversions.flows.transfer_review_begin, the one entry point)."""
    instrument = LegacyInstrument.objects.select_for_update().get(pk=instrument.pk)
    if instrument.instrument_type == LegacyInstrument.Type.NON_STATUTORY:
        _refuse(None, NOT_TRANSFERABLE)
    if TransferReview.objects.filter(instrument=instrument).exists():
        _refuse(None, ALREADY_REVIEWED)
    if instrument.ceased_on is not None:
        _refuse(None, CEASED.format(on=instrument.ceased_on))
    if team is None:
        _refuse("team", NO_TEAM)
    review = TransferReview(
        instrument=instrument,
        team=team,
        caseworker=acting_user,
        source=TransferReview.Source.FLOW,
    )
    save_audited(review, acting_user=acting_user)
    return review


@transaction.atomic
def transfer_notice_record(
    *,
    review: TransferReview,
    notice_given_on: date,
    planned_start_on: date,
    acting_user: User,
    today: date | None = None,
) -> TransferReview:
    """T7: notice of the transfer review to the family (and the head teacher), at least 2 weeks
    before its start. A start sooner than that is refused and nothing is saved."""
    today = today or local_today()
    review = _locked(review)
    instrument = review.instrument
    if review.started_on is not None:
        _refuse(None, ALREADY_STARTED)
    _not_future(notice_given_on, "notice_given_on", today)
    if notice_given_on < instrument.made_on:
        _refuse("notice_given_on", _before_made(instrument))
    _check_notice(notice_given_on, planned_start_on, "planned_start_on")
    review.notice_given_on, review.planned_start_on = notice_given_on, planned_start_on
    save_audited(review, acting_user=acting_user)
    review_queue_refresh(review)
    return review


def _before_made(instrument: LegacyInstrument) -> str:
    return BEFORE_MADE.format(
        kind=instrument.get_instrument_type_display(), made=instrument.made_on
    )


def _check_notice(notice_given_on: date, start: date, field: str) -> None:
    if not tt.notice_is_enough(notice_given_on, start):
        earliest = tt.earliest_start_after_notice(notice_given_on)
        _refuse(
            field, START_TOO_SOON.format(start=start, notice=notice_given_on, earliest=earliest)
        )


@transaction.atomic
def transfer_review_start(
    *, review: TransferReview, started_on: date, acting_user: User, today: date | None = None
) -> Case:
    """The transfer review starts: it is an EHC needs assessment, so it becomes a case (the
    council is responsible for the child: s.24), the assessment is decided, and the dated
    transfer-review timescale is put on the case."""
    today = today or local_today()
    review = _locked(review)
    instrument = review.instrument
    if review.started_on is not None:
        _refuse(None, ALREADY_STARTED)
    _not_future(started_on, "started_on", today)
    if started_on < instrument.made_on:
        _refuse("started_on", _before_made(instrument))
    if tt.needs_notice(instrument.instrument_type):
        if review.notice_given_on is None:
            _refuse(None, NOTICE_NOT_GIVEN)
        _check_notice(review.notice_given_on, started_on, "started_on")
    case = case_create_from_request(
        child=instrument.child,
        team=review.team,
        requester_type=Case.RequesterType.OTHER,
        requester_name=f"Transfer review of {instrument}"[:200],
        request_channel=Case.Channel.COUNCIL,
        brought_to_attention_on=started_on,
        # A Statement runs on the transfer-review timescale; an LDA transfer is a new request.
        route=(
            Case.Route.TRANSFER_REVIEW
            if tt.needs_notice(instrument.instrument_type)
            else Case.Route.REQUEST
        ),
        acting_user=acting_user,
    )
    if review.caseworker is not None:
        case_assign(case=case, caseworker=review.caseworker, acting_user=acting_user)
    event = case_event_record(
        case=case,
        kind=CaseEvent.Kind.DECIDED_TO_ASSESS,
        occurred_on=started_on,
        summary=(
            f"Transfer review of {instrument} started: the council must carry out an EHC needs "
            "assessment (SI 2014/2270)."
        ),
        acting_user=acting_user,
    )
    review.case, review.started_on = case, started_on
    review.planned_start_on = review.planned_start_on or started_on
    save_audited(review, acting_user=acting_user)
    _track_plan_deadline(review, started_by_id=event.pk)
    return case


def plan_deadline(review: TransferReview) -> Deadline | None:
    """The transfer-review timescale row on the review's case (Statements), or None."""
    if review.case_id is None:
        return None
    kind = tt.plan_rule(review.instrument.instrument_type, review.started_on)
    source = SOURCE if tt.needs_notice(review.instrument.instrument_type) else "events"
    return review.case.deadlines.filter(kind=kind, source=source).first()


def _track_plan_deadline(
    review: TransferReview, *, met_on: date | None = None, started_by_id: int | None = None
) -> Deadline | None:
    """T8-T10 for a Statement. An LDA transfer is a new request: the case's own A13 applies."""
    instrument = review.instrument
    if not tt.needs_notice(instrument.instrument_type):
        return None
    kind = tt.plan_rule(instrument.instrument_type, review.started_on)
    if started_by_id is None:
        existing = review.case.deadlines.filter(kind=kind, source=SOURCE).first()
        started_by_id = existing.started_by_id if existing else None
    return deadline_track(
        case=review.case,
        source=SOURCE,
        kind=kind,
        starts_on=tt.plan_rule_starts_on(
            instrument.instrument_type, review.started_on, review.notice_given_on
        ),
        due_on=tt.plan_due(instrument.instrument_type, review.started_on, review.notice_given_on),
        met_on=met_on,
        started_by_id=started_by_id,
    )


def _started(review: TransferReview) -> TransferReview:
    review = _locked(review)
    if review.started_on is None or review.case is None:
        _refuse(None, NOT_STARTED)
    if review.concluded_on is not None:
        _refuse(None, ALREADY_CONCLUDED)
    return review


@transaction.atomic
def transfer_meeting_record(
    *, review: TransferReview, met_on: date, notes: str, acting_user: User, today=None
) -> CaseEvent:
    """T11: the meeting between the family and an LA SEN officer to discuss the child's needs."""
    today = today or local_today()
    review = _started(review)
    _not_future(met_on, "met_on", today)
    if met_on < review.started_on:
        _refuse("met_on", BEFORE_START.format(start=review.started_on))
    event = case_event_record(
        case=review.case,
        kind=CaseEvent.Kind.NOTE,
        occurred_on=met_on,
        subject_key=MEETING_SUBJECT,
        summary=f"Transfer review meeting with the family (T11). {notes}".strip(),
        acting_user=acting_user,
    )
    review.meeting_on = met_on
    save_audited(review, acting_user=acting_user)
    return event


@transaction.atomic
def transfer_advice_record(
    *,
    review: TransferReview,
    advisers: list[str],
    requested_on: date,
    received_on: date,
    summary: str,
    acting_user: User,
) -> list[CaseEvent]:
    """The assessment's advice, simplified to one step: who was asked, when, and that it came."""
    review = _started(review)
    if not advisers:
        _refuse("advisers", ADVISERS_REQUIRED)
    if received_on < requested_on:
        _refuse("received_on", RECEIVED_BEFORE_REQUESTED.format(asked=requested_on))
    events = []
    for adviser in advisers:
        ehc_assessment.advice_request_record(
            case=review.case,
            adviser=adviser,
            asked_on=requested_on,
            adviser_name=ehc_assessment.ADVISERS.get(adviser, adviser),
            acting_user=acting_user,
        )
        events.append(
            ehc_assessment.advice_receipt_record(
                case=review.case,
                adviser=adviser,
                received_on=received_on,
                summary=summary,
                acting_user=acting_user,
            )
        )
    return events


@transaction.atomic
def transfer_decision_record(
    *, review: TransferReview, decided_on: date, issue: bool, reasons: str, acting_user: User
) -> Notice | None:
    """Whether to issue a plan. "No" concludes the transfer review, with the rights notice."""
    review = _started(review)
    notice = ehc_assessment.plan_decision_record(
        case=review.case,
        decided_on=decided_on,
        issue=issue,
        reasons=reasons,
        acting_user=acting_user,
    )
    if not issue:
        _conclude(review, decided_on, TransferReview.Outcome.NO_PLAN, acting_user)
    return notice


@transaction.atomic
def transfer_plan_finalise(
    *,
    review: TransferReview,
    issued_on: date,
    named_setting: Setting | None,
    setting_type: str,
    acting_user: User,
    without_reason: str = "",
) -> Notice:
    """The final EHC plan, into the same plan model as a new assessment's; the review concludes."""
    review = _started(review)
    notice = ehc_assessment.plan_finalise(
        case=review.case,
        issued_on=issued_on,
        named_setting=named_setting,
        setting_type=setting_type,
        acting_user=acting_user,
        without_reason=without_reason,
    )
    _conclude(review, issued_on, TransferReview.Outcome.PLAN_ISSUED, acting_user)
    return notice


def _conclude(review: TransferReview, on: date, outcome: str, acting_user: User) -> None:
    review.concluded_on, review.outcome = on, outcome
    save_audited(review, acting_user=acting_user)
    _track_plan_deadline(review, met_on=on)
