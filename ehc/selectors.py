"""Reads of the core domain: the case page and deadline presentation."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, prefetch_related_objects

from ehc import timescales
from ehc.models import Case, CaseEvent, Deadline, Notice, TimescaleException

AMBER_WITHIN_DAYS = 10  # calendar days; a fortnight's warning before a statutory date


@dataclass(frozen=True)
class DeadlineBadge:
    colour: str  # "red", "amber", "green", "grey"
    label: str
    days_left: int | None


def deadline_badge(deadline: Deadline, today: date) -> DeadlineBadge:
    """Red/amber/green for a deadline on a given day, with words, never colour alone."""
    if not deadline.is_open:
        return DeadlineBadge("grey", deadline.get_status_display(), None)
    days_left = (deadline.due_on - today).days
    if deadline.status == Deadline.Status.DISAPPLIED:
        return DeadlineBadge("grey", "Time limit disapplied", days_left)
    if days_left < 0:
        return DeadlineBadge("red", f"{_days(-days_left)} overdue", days_left)
    if days_left == 0:
        return DeadlineBadge("amber", "Due today", days_left)
    if days_left <= AMBER_WITHIN_DAYS:
        return DeadlineBadge("amber", f"Due in {_days(days_left)}", days_left)
    return DeadlineBadge("green", f"{_days(days_left)} left", days_left)


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


@dataclass
class CasePage:
    case: Case
    deadlines: list[tuple[Deadline, DeadlineBadge]]
    advice: list[Deadline]
    events: list[CaseEvent]
    notices: list[Notice]
    history: list[object]
    exception_codes: dict[str, str]


# What the case page shows of the case itself, fetched with it by the access check.
CASE_PAGE_RELATED = (
    "child",
    "child__current_setting",
    "team",
    "assigned_caseworker",
    "requested_setting",
    "possible_duplicate_of",
    "plan",
)


def case_page(case: Case, today: date) -> CasePage:
    """Everything the case page shows, in a fixed number of queries. `case` comes from
    `access_case_by_id(..., related=CASE_PAGE_RELATED)`; its contacts, events, notices and
    request documents are fetched onto it here, so the panels that read them ask no more."""
    prefetch_related_objects(
        [case],
        "child__contacts",
        "request_documents",
        Prefetch(
            "events",
            queryset=CaseEvent.objects.select_related("recorded_by").order_by(
                "-occurred_on", "-id"
            ),
        ),
        Prefetch("notices", queryset=Notice.objects.order_by("sent_on", "id")),
    )
    deadlines = list(
        case.deadlines.select_related("started_by")
        .prefetch_related(
            Prefetch("exceptions", queryset=TimescaleException.objects.order_by("starts_on"))
        )
        .order_by("due_on", "kind")
    )
    history = list(
        case.history.select_related("history_user", "assigned_caseworker").order_by(
            "-history_date"
        )[:50]
    )
    return CasePage(
        case=case,
        deadlines=[(d, deadline_badge(d, today)) for d in deadlines],
        advice=[d for d in deadlines if d.kind == "A5"],
        events=list(case.events.all()),
        notices=list(case.notices.all()),
        history=history,
        exception_codes=timescales.EXCEPTION_CODES,
    )
