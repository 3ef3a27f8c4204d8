"""Template helpers for the disagreement sections that the case pages include."""

from django import template

from ehc import timescales

register = template.Library()


@register.filter
def allows_exceptions(deadline) -> bool:
    rule = timescales.RULES.get(deadline.kind)
    return bool(rule and rule.allowed_exceptions)


@register.simple_tag
def family_disagreement_routes(case):
    """Each decision the family can disagree with, where it stands and what is due by when."""
    from ehc.disagreements.selectors import family_routes
    from ehc.services.common import local_today

    return family_routes(case, local_today())


@register.simple_tag
def staff_disagreement_summary(case):
    """The case's disagreements and complaints, for the staff case page."""
    from ehc.disagreements.selectors import (
        appealable_notices_without_disagreement,
        case_disagreements,
    )

    return {
        "disagreements": list(case_disagreements(case)),
        "complaints": case.complaints.count(),
        "unopened": list(appealable_notices_without_disagreement(case)),
    }
