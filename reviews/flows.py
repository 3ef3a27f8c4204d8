"""A review of a plan in force as a flow (spec §2): arrange the meeting, hold it, send the
report, decide, and (when amending) issue the final amended plan or decide not to amend.

Nodes route; each task's view calls one reviews service, which checks dates and order, records
the facts and keeps the review's clocks. The process's artifact is the Case (so the tasks join
the shared work queue) and its seed the AnnualReview.
"""

from viewflow import this
from viewflow.workflow import act, flow, lock

from reviews import task_views
from reviews.models import AnnualReviewProcess
from workflows.flows import staff_task


class AnnualReviewFlow(flow.Flow):
    process_class = AnnualReviewProcess
    process_title = "EHC plan review"
    process_description = (
        "A review of a plan in force: the meeting, the report, the council's decision within "
        "4 weeks and any amended plan (Regs 18-22)."
    )
    lock_impl = lock.select_for_update_lock

    start = (
        flow.StartHandle(this.start_review)
        .Annotation(title="Review opened")
        .Next(this.arrange_meeting)
    )
    arrange_meeting = staff_task(
        task_views.ArrangeMeetingView.as_view(), "Arrange the review meeting (R4, R5)"
    ).Next(this.check_first)
    check_first = (
        flow.If(act.process.first_review)
        .Annotation(title="First review of the plan?")
        .Then(this.hold_first_meeting)
        .Else(this.hold_meeting)
    )
    hold_first_meeting = staff_task(
        task_views.HoldMeetingView.as_view(), "Hold the first review meeting (R1)"
    ).Next(this.send_report)
    hold_meeting = staff_task(
        task_views.HoldMeetingView.as_view(), "Hold the review meeting (R2)"
    ).Next(this.send_report)
    send_report = staff_task(task_views.ReportView.as_view(), "Send the review report (R7)").Next(
        this.decide
    )
    decide = staff_task(
        task_views.DecideView.as_view(), "Decide: keep, amend or cease (R8, R9)"
    ).Next(this.check_amend)
    check_amend = (
        flow.If(act.process.amending)
        .Annotation(title="Amending the plan?")
        .Then(this.finalise_amendments)
        .Else(this.decided)
    )
    finalise_amendments = staff_task(
        task_views.FinaliseView.as_view(), "Issue the final amended plan (R10-R13)"
    ).Next(this.amended)
    decided = flow.End().Annotation(title="Review decided")
    amended = flow.End().Annotation(title="Amendments finished")

    TASK_DEADLINES = {
        "arrange_meeting": "R4",
        "hold_first_meeting": "R1",
        "hold_meeting": "R2",
        "send_report": "R7",
        "decide": "R8",
        "finalise_amendments": "R11",
    }

    @classmethod
    def deadline_for_task(cls, node_name: str) -> tuple[str, str] | None:
        kind = cls.TASK_DEADLINES.get(node_name)
        return (kind, "") if kind else None

    def start_review(self, activation, review):
        activation.process.artifact = review.plan.case
        activation.process.seed = review
        activation.process.first_review = review.plan.last_review_meeting_on is None
        return activation.process
