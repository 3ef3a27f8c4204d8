"""The transfer review as a flow: one node per step of the transitional order (spec section 3).

Nodes route; they hold no rule. Each human task's page calls a conversions service, which checks
the dates (at least 2 weeks' notice, T7), records the assessment on an ehc case through ehc's
services, and keeps the dated transfer-review timescale (T8-T10) on that case.

A Statement gets notice first; an LDA transfer is treated as a new request, so it starts at once.
"""

from django.db import transaction
from viewflow import this
from viewflow.workflow import act, flow, lock

from conversions import services
from conversions import task_views as views
from conversions import timetable as tt
from conversions.models import LegacyInstrument, TransferReview, TransferReviewProcess
from ehc.models import Team, User
from workflows.flows import staff_task


def _review_caseworker(activation):
    """Tasks go straight to the caseworker who opened the review; otherwise to the queue."""
    review = activation.process.artifact
    return review.caseworker if review is not None else None


def _task(view, title: str) -> flow.View:
    return staff_task(view, title, owner=_review_caseworker)


class TransferReviewFlow(flow.Flow):
    process_class = TransferReviewProcess
    process_title = "Transfer review"
    process_description = (
        "A Statement of SEN or an LDA transferred to an EHC plan, or a decision that none is "
        "needed (SI 2014/2270)."
    )
    lock_impl = lock.select_for_update_lock

    start = (
        flow.StartHandle(this.start_review_process)
        .Annotation(title="Transfer review opened")
        .Next(this.check_needs_notice)
    )
    check_needs_notice = (
        flow.If(act.process.needs_notice)
        .Annotation(title="A Statement (notice needed)?")
        .Then(this.give_notice)
        .Else(this.start_review)
    )
    give_notice = _task(
        views.GiveNoticeView.as_view(), "Give notice of the transfer review (T7)"
    ).Next(this.start_review)
    start_review = _task(views.StartReviewView.as_view(), "Start the transfer review").Next(
        this.family_meeting
    )
    family_meeting = _task(views.FamilyMeetingView.as_view(), "Meet the family (T11)").Next(
        this.record_advice
    )
    record_advice = _task(views.AdviceView.as_view(), "Record the advice received").Next(
        this.decide_to_issue
    )
    decide_to_issue = _task(
        views.DecideToIssueView.as_view(), "Decide whether to issue an EHC plan"
    ).Next(this.check_issue_plan)
    check_issue_plan = (
        flow.If(act.process.issue_plan)
        .Annotation(title="Issuing a plan?")
        .Then(this.draft_plan)
        .Else(this.no_plan)
    )
    draft_plan = _task(views.DraftPlanView.as_view(), "Draft the plan (sections A-K)").Next(
        this.serve_draft
    )
    serve_draft = _task(views.ServeDraftView.as_view(), "Send the draft to the family (A10)").Next(
        this.issue_final_plan
    )
    issue_final_plan = _task(views.IssueFinalPlanView.as_view(), "Issue the final EHC plan").Next(
        this.plan_issued
    )

    no_plan = flow.End().Annotation(title="No EHC plan needed")
    plan_issued = flow.End().Annotation(title="Final EHC plan issued")

    def start_review_process(self, activation, review):
        activation.process.artifact = review
        activation.process.needs_notice = tt.needs_notice(review.instrument.instrument_type)
        return activation.process


def cancel_review_of_closed_case(case) -> None:
    """When a transfer review's case is withdrawn or moves away, its open tasks are cancelled."""
    from viewflow.workflow.status import PROCESS

    review = getattr(case, "transfer_review", None)
    if review is None:
        return
    open_processes = TransferReviewProcess.objects.filter(
        artifact_object_id=review.pk, flow_class=TransferReviewFlow, status=PROCESS.NEW
    )
    for process in open_processes:
        TransferReviewFlow.instance.cancel(process)


@transaction.atomic
def transfer_review_begin(
    *, instrument: LegacyInstrument, team: Team | None, acting_user: User
) -> TransferReview:
    """Open the transfer review of an instrument and start its flow (the first task is the
    notice, or the start for an LDA): the one entry point."""
    review = services.transfer_review_open(
        instrument=instrument, team=team, acting_user=acting_user
    )
    TransferReviewFlow.start.run(review=review)
    return review
