"""Template helpers for the disagreement sections that the case pages include."""

from django import template

from disagreements.selectors import (
    appealable_notices_without_disagreement,
    case_disagreements,
    family_routes,
)
from ehc import timescales
from ehc.services.common import local_today

register = template.Library()


@register.filter
def allows_exceptions(deadline) -> bool:
    rule = timescales.RULES.get(deadline.kind)
    return bool(rule and rule.allowed_exceptions)


@register.simple_tag
def family_disagreement_routes(case):
    """Each decision the family can disagree with, where it stands and what is due by when."""
    return family_routes(case, local_today())


@register.simple_tag
def staff_disagreement_summary(case):
    """The case's disagreements and complaints, for the staff case page."""
    disagreements = list(case_disagreements(case))
    return {
        "disagreements": disagreements,
        "complaints": case.complaints.count(),
        "unopened": appealable_notices_without_disagreement(case, disagreements),
    }
