"""A final EHC plan and an open personal budget request (PB16, issue 13 item 5).

Registered with the core's ehc.plan_hooks: a request the council is still preparing stops the
final plan, named in the refusal, unless the caseworker says why the plan goes without it. Then
the request stays open (its task and its clock carry on) and section J says the plan was issued
without it, why, and that the budget will come by amending the plan.
"""

from __future__ import annotations

from ehc.models import Case, EHCPlan, User
from ehc.plan_hooks import OpenMatter, OpenMatterCheck, on_final_plan_check
from ehc.services.common import save_audited
from personal_budgets.models import PersonalBudget

SECTION_J_WITHOUT = (
    "A personal budget was requested on {on} and the council is still preparing it. This plan "
    "was issued without it because: {reason} The personal budget will be added to this section "
    "by amending the plan once it is agreed."
)


def _on(value) -> str:
    return f"{value.day} {value:%B %Y}"


def open_budget_requests(*, case: Case) -> list[OpenMatter]:
    requests = case.personal_budgets.filter(status=PersonalBudget.Status.REQUESTED).order_by(
        "requested_on", "pk"
    )
    return [
        OpenMatter(
            key=f"personal_budget:{budget.pk}",
            description=f"the personal budget request made on {_on(budget.requested_on)}",
        )
        for budget in requests
    ]


def plan_issued_without_budget(
    *,
    case: Case,
    plan: EHCPlan,
    matters: list[OpenMatter],
    reason: str,
    acting_user: User,
) -> None:
    ids = [int(m.key.split(":", 1)[1]) for m in matters]
    budgets = PersonalBudget.objects.filter(pk__in=ids).order_by("requested_on", "pk")
    reason = reason.strip()
    if reason and reason[-1] not in ".!?":
        reason += "."
    plan.section_j = "\n\n".join(
        SECTION_J_WITHOUT.format(on=_on(budget.requested_on), reason=reason) for budget in budgets
    )
    save_audited(plan, acting_user=acting_user)


def register() -> None:
    on_final_plan_check(
        OpenMatterCheck(
            open_matters=open_budget_requests, issued_without=plan_issued_without_budget
        )
    )
