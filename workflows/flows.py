"""The EHC needs assessment as a flow: one node per statutory step (spec §1.2).

Nodes route; they hold no rule. Each human task's view calls an ehc service, which checks dates
and order, records the event and recomputes the deadlines. Advice is gathered in parallel, one
branch per adviser the regulations name (Reg 6(1)), joined under a row lock.
"""

from dateutil.relativedelta import relativedelta
from viewflow import this
from viewflow.workflow import act, flow, lock

from ehc import roles
from workflows import task_views as views
from workflows.models import EHCAssessmentProcess

PROGRESS = roles.PROGRESS_CASE


def _case_caseworker(activation):
    """New tasks go straight to the case's caseworker; otherwise to the team's queue."""
    case = activation.process.artifact
    return case.assigned_caseworker if case is not None else None


def staff_task(view, title: str, *, owner=_case_caseworker) -> flow.View:
    """A caseworker's task: in the team's queue, or straight to `owner(activation)` when that
    gives someone (by default the case's caseworker). Every flow builds its human tasks so."""
    return flow.View(view).Annotation(title=title).Permission(PROGRESS).Assign(owner)


def _advice_task(adviser: str, title: str) -> flow.View:
    return staff_task(views.AdviceTaskView.as_view(adviser=adviser), title)


class EHCNeedsAssessmentFlow(flow.Flow):
    process_class = EHCAssessmentProcess
    process_title = "EHC needs assessment"
    process_description = "From the request to a final EHC plan, or a decision not to proceed."
    lock_impl = lock.select_for_update_lock

    start = (
        flow.StartHandle(this.start_assessment)
        .Annotation(title="Request registered")
        .Next(this.notify_considering)
    )
    notify_considering = staff_task(
        views.NotifyConsideringView.as_view(), "Tell the relevant people (A4)"
    ).Next(this.decide_to_assess)
    decide_to_assess = staff_task(
        views.DecideToAssessView.as_view(), "Decide whether to assess (A2)"
    ).Next(this.check_decided_to_assess)
    check_decided_to_assess = (
        flow.If(act.process.decided_to_assess)
        .Annotation(title="Assessing?")
        .Then(this.gather_advice)
        .Else(this.not_assessed)
    )
    gather_advice = (
        flow.Split()
        .Annotation(title="Ask for advice (A5, A6)")
        .Next(this.advice_parent)
        .Next(this.advice_educational)
        .Next(this.advice_medical)
        .Next(this.advice_psychological)
        .Next(this.advice_social_care)
        .Next(this.advice_adulthood, case=act.process.needs_adulthood_advice)
        .Next(this.advice_other, case=act.process.other_advice_requested)
    )
    advice_parent = _advice_task("parent", "Advice from the family").Next(this.advice_gathered)
    advice_educational = _advice_task("educational", "Educational advice").Next(
        this.advice_gathered
    )
    advice_medical = _advice_task("medical", "Medical advice").Next(this.advice_gathered)
    advice_psychological = _advice_task("psychological", "Psychological advice").Next(
        this.advice_gathered
    )
    advice_social_care = _advice_task("social_care", "Social care advice").Next(
        this.advice_gathered
    )
    advice_adulthood = _advice_task("adulthood", "Preparation for adulthood advice").Next(
        this.advice_gathered
    )
    advice_other = _advice_task("other", "Other advice the family asked for").Next(
        this.advice_gathered
    )
    advice_gathered = flow.Join().Annotation(title="All advice in").Next(this.decide_to_issue)
    decide_to_issue = staff_task(
        views.DecideToIssueView.as_view(), "Decide whether to issue a plan (A7)"
    ).Next(this.check_issue_plan)
    check_issue_plan = (
        flow.If(act.process.issue_plan)
        .Annotation(title="Issuing a plan?")
        .Then(this.draft_plan)
        .Else(this.no_plan)
    )
    draft_plan = staff_task(views.DraftPlanView.as_view(), "Draft the plan (sections A-K)").Next(
        this.serve_draft
    )
    serve_draft = staff_task(
        views.ServeDraftView.as_view(), "Send the draft to the family (A10)"
    ).Next(this.consult_settings)
    consult_settings = staff_task(
        views.ConsultSettingsView.as_view(), "Family's views and setting consultations (A12)"
    ).Next(this.issue_final_plan)
    issue_final_plan = staff_task(
        views.IssueFinalPlanView.as_view(), "Issue the final plan (A13)"
    ).Next(this.plan_issued)

    not_assessed = flow.End().Annotation(title="Decided not to assess")
    no_plan = flow.End().Annotation(title="Decided not to issue a plan")
    plan_issued = flow.End().Annotation(title="Final plan issued")

    # The statutory clock each task works towards (spec §1.2); orders the work queue.
    TASK_DEADLINES = {
        "notify_considering": "A2",
        "decide_to_assess": "A2",
        "decide_to_issue": "A7",
        "draft_plan": "A13",
        "serve_draft": "A13",
        "consult_settings": "A13",
        "issue_final_plan": "A13",
    }

    @classmethod
    def deadline_for_task(cls, node_name: str) -> tuple[str, str] | None:
        if node_name.startswith("advice_"):
            return "A5", node_name.removeprefix("advice_")
        kind = cls.TASK_DEADLINES.get(node_name)
        return (kind, "") if kind else None

    def start_assessment(self, activation, case):
        activation.process.artifact = case
        activation.process.needs_adulthood_advice = _in_year_9_or_above(case)
        return activation.process


def _in_year_9_or_above(case) -> bool:
    """Year 9 starts in the September after the 13th birthday (age on 31 August)."""

    received = case.clock_starts_on
    school_year_start = received.replace(month=9, day=1)
    if received.month < 9:
        school_year_start = school_year_start.replace(year=received.year - 1)
    age_on_31_aug = relativedelta(
        school_year_start.replace(month=8, day=31), case.child.date_of_birth
    ).years
    return age_on_31_aug >= 13
