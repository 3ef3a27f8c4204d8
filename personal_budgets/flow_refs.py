"""The names the personal budget flow and its tasks are stored under, for reads that must not
import the flow.

viewflow keeps a process's flow as `app_label/module.Class` and a task as
`app_label/module.Class.node` text; selectors filter on that text so that they stay below
`flows.py` (which imports the task pages, which read the selectors).
tests/personal_budgets/test_flow_refs.py checks these still name the flow's own nodes.
"""

PERSONAL_BUDGET_FLOW = "personal_budgets/flows.PersonalBudgetFlow"
PREPARE_BUDGET = f"{PERSONAL_BUDGET_FLOW}.prepare_budget"
