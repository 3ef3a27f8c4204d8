"""Which due dates an alert rule catches on a given day. Pure: dates in, dates out.

Counting is delegated to ehc.timescales (England-and-Wales working days); nothing here adds days
itself. A deadline is "within N working days" of today when at most N working days fall after
today up to and including its due date, which is exactly when its due date comes before the
(N+1)th working day after today. So:

* N = 0 catches a deadline on its due day, and on the last working day before a due date that
  falls on a weekend or bank holiday (statutory dates do not move off non-working days, so the
  caseworker needs telling while they are at work);
* a rule with a smaller lead takes over from a larger one: the 10-day rule covers 6 to 10
  working days, the 5-day rule 1 to 5, so a deadline first seen 3 working days out gets one
  alert, not three.

Windows are half-open: on_or_after <= due_on < before.
"""

from dataclasses import dataclass
from datetime import date

from ehc import timescales


@dataclass(frozen=True)
class DueWindow:
    on_or_after: date | None
    before: date

    def contains(self, due_on: date) -> bool:
        return (self.on_or_after is None or due_on >= self.on_or_after) and due_on < self.before


def first_day_beyond(today: date, lead: int) -> date:
    """The first due date that is more than `lead` working days away."""
    return timescales.working_days_after(today, lead + 1)


def due_soon_window(today: date, lead: int, nearer_lead: int | None = None) -> DueWindow:
    """Due dates within `lead` working days, but not within `nearer_lead` (a sibling rule's)."""
    if nearer_lead is not None and nearer_lead >= lead:
        raise ValueError(f"nearer_lead ({nearer_lead}) must be less than lead ({lead})")
    lower = today if nearer_lead is None else first_day_beyond(today, nearer_lead)
    return DueWindow(on_or_after=lower, before=first_day_beyond(today, lead))


def overdue_window(today: date) -> DueWindow:
    """Due dates already passed: the statutory day itself has ended."""
    return DueWindow(on_or_after=None, before=today)
