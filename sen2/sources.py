"""Where the return reads items another part of the system may come to own.

The reviews app (annual reviews and ceasing) will hold review meeting and decision dates and the
cease date and reason; until it does they are captured on sen2.PlanDetail. Switching the source
is a change to these two functions (and the query that loads their rows), nothing else."""

from datetime import date

from sen2.models import PlanDetail


def review_dates(plan: PlanDetail) -> tuple[date | None, date | None]:
    """(last annual review meeting, the decision after it)."""
    return plan.review_meeting_on, plan.review_decided_on


def cease(plan: PlanDetail) -> tuple[date | None, str]:
    """(the day the plan ceased, the CeaseReason code)."""
    return plan.cease_date, plan.cease_reason
