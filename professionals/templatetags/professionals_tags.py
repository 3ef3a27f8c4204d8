from django import template

from ehc.models import Case
from professionals import selectors

register = template.Library()


@register.simple_tag
def case_advice_panel(case: Case) -> dict:
    return {
        "requests": list(selectors.case_advice_requests(case)),
        "school_request": selectors.case_school_request(case),
        "open_review": selectors.case_open_review(case),
        "contributions": list(selectors.case_review_contributions(case)),
        "can_ask": case.stage in (Case.Stage.ASSESSING, Case.Stage.DECIDING_TO_ASSESS)
        and case.is_open,
    }
