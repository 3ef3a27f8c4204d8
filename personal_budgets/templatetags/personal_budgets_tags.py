"""Template tags for the one-line includes on the shared case pages."""

from django import template

from personal_budgets import rendering, selectors

register = template.Library()


@register.simple_tag
def staff_budget_panel(case):
    """The personal budget panel on the staff case page (a few queries, whatever the case)."""
    return selectors.staff_panel(case)


@register.simple_tag
def family_budget_summary(case):
    return selectors.family_budget_page(case)


@register.filter
def money(amount) -> str:
    return rendering.money(amount) if amount is not None else ""
