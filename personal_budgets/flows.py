"""A request for a personal budget as a small flow: the caseworker's one task is to prepare the
budget (PB1) or say why none can be identified (PB5).

Why a flow: a request the family makes on their own pages must reach a caseworker's work queue
like every other statutory task, and the flow gives that (the process's artifact is the Case,
so the registry puts its task in the shared queue and on the case page). Everything that happens
after the decision (reductions, stops, reconsiderations, reviews) is a dated record a caseworker
makes when a letter or review comes in, with no routing, so those are plain staff pages.
"""

from datetime import date

from django.db import transaction
from viewflow import this
from viewflow.workflow import act, flow, lock

from ehc.models import Case, User
from personal_budgets import services, task_views
from personal_budgets.models import PersonalBudget, PersonalBudgetProcess
from workflows.flows import staff_task


class PersonalBudgetFlow(flow.Flow):
    process_class = PersonalBudgetProcess
    process_title = "Personal budget request"
    process_description = (
        "A parent's or young person's request for a personal budget: the budget agreed, or the "
        "reasons none could be identified (CFA s.49; PB Regs 2014)."
    )
    lock_impl = lock.select_for_update_lock

    start = (
        flow.StartHandle(this.start_request)
        .Annotation(title="Personal budget requested")
        .Next(this.prepare_budget)
    )
    prepare_budget = staff_task(
        task_views.PrepareBudgetView.as_view(), "Prepare the personal budget (PB1)"
    ).Next(this.check_identified)
    check_identified = (
        flow.If(act.process.identified)
        .Annotation(title="Budget identified?")
        .Then(this.agreed)
        .Else(this.not_identified)
    )
    agreed = flow.End().Annotation(title="Personal budget agreed")
    not_identified = flow.End().Annotation(title="No personal budget could be identified")

    @classmethod
    def deadline_for_task(cls, node_name: str) -> tuple[str, str] | None:
        """PB1 sets no time limit of its own: the work queue places the task by the plan the
        budget belongs in (personal_budgets.queue.budget_task_places)."""
        return None

    def start_request(self, activation, budget):
        activation.process.artifact = budget.case
        activation.process.seed = budget
        return activation.process


@transaction.atomic
def budget_request_submit(
    *,
    case: Case,
    context: str,
    requested_on: date,
    requested_by: str,
    source: str,
    acting_user: User | None,
    context_on: date | None = None,
    requester_name: str = "",
    request_details: str = "",
    preference: str = PersonalBudget.Preference.NOT_SURE,
) -> PersonalBudget:
    """Record a request and start its flow (the caseworker's 'prepare the budget' task): the one
    entry point for a request, from the family's page or a caseworker's."""
    budget = services.budget_request_record(
        case=case,
        context=context,
        requested_on=requested_on,
        requested_by=requested_by,
        source=source,
        acting_user=acting_user,
        context_on=context_on,
        requester_name=requester_name,
        request_details=request_details,
        preference=preference,
    )
    PersonalBudgetFlow.start.run(budget=budget)
    return budget
