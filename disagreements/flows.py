"""The council's side of a disagreement as a flow (spec section 4): mediation and the certificate,
then the Tribunal appeal, then carrying out what was ordered or agreed.

Nodes route; they hold no rule. Each task page (disagreements.task_views) records facts
through disagreements.services, which keeps every clock as a Deadline row. The gateways read
those facts, so the route follows what actually happened:

    start -> mediation -> after_mediation (split)
        -> appeal -> check_decision -> order_duties -> orders_done
                                    -> appeal_ended
        -> agreement_duties -> agreement_done     (a mediation agreement's own clocks, Reg 42)
        -> settled                                 (no appeal, nothing agreed)

process.artifact is the ehc Case (so the tasks share the work queue and task page) and
process.seed is the Disagreement.
"""

from datetime import date

from django.db import transaction
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.models import Process

from disagreements import selectors
from disagreements import services as svc
from disagreements import task_views as views
from disagreements.models import Disagreement
from ehc.models import Case, Notice, User
from workflows.flows import staff_task


def _disagreement(activation) -> Disagreement:
    return Disagreement.objects.get(pk=activation.process.seed_object_id)


class DisagreementFlow(flow.Flow):
    process_class = Process
    process_title = "Disagreement"
    process_description = (
        "Mediation, an appeal to the First-tier Tribunal (SEND), and the orders or agreements "
        "that follow (SEND Regs 2014 Part 6, regs 42, 44 and 45)."
    )
    lock_impl = lock.select_for_update_lock

    start = (
        flow.StartHandle(this.start_disagreement)
        .Annotation(title="Disagreement recorded")
        .Next(this.mediation)
    )
    mediation = staff_task(
        views.MediationTaskView.as_view(), "Mediation and the certificate (M2-M7)"
    ).Next(this.after_mediation)
    after_mediation = (
        flow.Split()
        .Annotation(title="Appeal, agreement, or settled?")
        .Next(this.appeal, case=this.is_appealing)
        .Next(this.agreement_duties, case=this.has_agreement_duties)
        .Next(this.settled, case=this.is_settled)
    )
    appeal = staff_task(views.AppealTaskView.as_view(), "Tribunal appeal (F1-F6)").Next(
        this.check_decision
    )
    check_decision = (
        flow.If(this.has_appeal_duties)
        .Annotation(title="Orders or recommendations to carry out?")
        .Then(this.order_duties)
        .Else(this.appeal_ended)
    )
    order_duties = staff_task(
        views.OrderDutiesTaskView.as_view(),
        "Carry out the Tribunal's decision (Reg 44, Reg 45, recommendations)",
    ).Next(this.orders_done)
    agreement_duties = staff_task(
        views.AgreementDutiesTaskView.as_view(), "Carry out the mediation agreement (Reg 42)"
    ).Next(this.agreement_done)

    settled = flow.End().Annotation(title="Settled or not taken further")
    appeal_ended = flow.End().Annotation(title="Appeal ended, nothing to carry out")
    orders_done = flow.End().Annotation(title="Orders carried out")
    agreement_done = flow.End().Annotation(title="Agreement carried out")

    # The main clock of each task (kind). Ours are per disagreement (the subject names it), so
    # the work queue places each task by disagreements.queue.disagreement_task_places: the
    # nearest open clock of its own disagreement (see docs/disagreements.md).
    TASK_DEADLINES = {
        "mediation": "M5",
        "appeal": "F1",
        "order_duties": "Tb-assess",
        "agreement_duties": "M9",
    }

    @classmethod
    def deadline_for_task(cls, node_name: str) -> tuple[str, str] | None:
        kind = cls.TASK_DEADLINES.get(node_name)
        return (kind, "") if kind else None

    def start_disagreement(self, activation, disagreement):
        activation.process.artifact = disagreement.case
        activation.process.seed = disagreement
        return activation.process

    def is_appealing(self, activation) -> bool:
        return selectors.will_appeal(_disagreement(activation))

    def has_agreement_duties(self, activation) -> bool:
        return selectors.has_agreement_duties(_disagreement(activation))

    def is_settled(self, activation) -> bool:
        return not self.is_appealing(activation) and not self.has_agreement_duties(activation)

    def has_appeal_duties(self, activation) -> bool:
        return selectors.has_appeal_duties(_disagreement(activation))


def disagreement_process_for(disagreement: Disagreement) -> Process | None:
    return (
        Process.objects.filter(flow_class=DisagreementFlow, seed_object_id=disagreement.pk)
        .order_by("-id")
        .first()
    )


@transaction.atomic
def disagreement_start(
    *,
    case: Case,
    opened_on: date,
    acting_user: User,
    notice: Notice | None = None,
    decision: str = "",
    decision_sent_on: date | None = None,
) -> Disagreement:
    """Record a disagreement and start the council's flow for it: the one entry point."""
    disagreement = svc.disagreement_open(
        case=case,
        opened_on=opened_on,
        acting_user=acting_user,
        notice=notice,
        decision=decision,
        decision_sent_on=decision_sent_on,
    )
    DisagreementFlow.start.run(disagreement=disagreement)
    return disagreement
