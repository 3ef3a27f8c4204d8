"""Selectors filter tasks by the text viewflow stores; it must keep naming the real flow."""

from viewflow.workflow.fields import get_flow_ref, get_task_ref

from personal_budgets.flow_refs import PERSONAL_BUDGET_FLOW, PREPARE_BUDGET
from personal_budgets.flows import PersonalBudgetFlow


def test_the_stored_names_are_the_flow_s_own():
    assert get_flow_ref(PersonalBudgetFlow) == PERSONAL_BUDGET_FLOW
    assert get_task_ref(PersonalBudgetFlow.prepare_budget) == PREPARE_BUDGET
