"""The staff case list: every case a user may see, filtered and sorted, a page at a time.

Reads only (a selector). The page is a fixed number of queries whatever the number of cases:
the count, the page's rows (each with its child, team, caseworker and next statutory date), and
the two lists the filters offer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from ehc import roles
from ehc.access import cases_visible_to, user_teams
from ehc.models import Case, Deadline, Team, User

PAGE_SIZE = 50

OPEN, CLOSED, ANY = "open", "closed", "any"
STATUSES = {OPEN: "Open cases", CLOSED: "Closed cases", ANY: "Open and closed"}
UNASSIGNED = "none"

#: key -> (label, ordering). Cases with no open statutory date sort after those with one.
SORTS: dict[str, tuple[str, tuple]] = {
    "due": ("Next statutory date, soonest first", (F("next_due_on").asc(nulls_last=True), "-pk")),
    "received": ("Received, newest first", ("-clock_starts_on", "-pk")),
    "received_oldest": ("Received, oldest first", ("clock_starts_on", "pk")),
    "name": ("Child's surname, A to Z", ("child__last_name", "child__first_name", "pk")),
    "reference": ("Reference", ("reference",)),
}
DEFAULT_SORT = "due"


@dataclass(frozen=True)
class CaseFilters:
    """What the list is narrowed to; None means any."""

    team_id: int | None = None
    caseworker: int | str | None = None  # a user id, or UNASSIGNED
    stage: str | None = None
    route: str | None = None
    overdue: bool = False
    status: str = OPEN
    sort: str = DEFAULT_SORT


def _next_due() -> Subquery:
    """The case's earliest open statutory (not guidance) date."""
    return Subquery(
        Deadline.objects.filter(case=OuterRef("pk"), is_open=True, is_guidance=False)
        .order_by("due_on")
        .values("due_on")[:1]
    )


def case_list(*, user: User, filters: CaseFilters, today: date) -> QuerySet[Case]:
    """The cases this user may see that pass `filters`, in the chosen order, each annotated
    with `next_due_on`, with child, team and caseworker loaded."""
    cases = cases_visible_to(user)
    if filters.status == OPEN:
        cases = cases.filter(outcome=Case.Outcome.OPEN)
    elif filters.status == CLOSED:
        cases = cases.exclude(outcome=Case.Outcome.OPEN)
    if filters.team_id is not None:
        cases = cases.filter(team_id=filters.team_id)
    if filters.caseworker == UNASSIGNED:
        cases = cases.filter(assigned_caseworker__isnull=True)
    elif filters.caseworker is not None:
        cases = cases.filter(assigned_caseworker_id=int(filters.caseworker))
    if filters.stage:
        cases = cases.filter(stage=filters.stage)
    if filters.route:
        cases = cases.filter(route=filters.route)
    if filters.overdue:
        # Past its date and still owed: not excused by an exception, not the family's window.
        late = Deadline.objects.filter(
            is_open=True,
            is_guidance=False,
            is_family_window=False,
            due_on__lt=today,
            status__in=[Deadline.Status.RUNNING, Deadline.Status.BREACHED],
        )
        cases = cases.filter(pk__in=late.values("case_id"))
    _label, ordering = SORTS.get(filters.sort, SORTS[DEFAULT_SORT])
    cases = cases.select_related("child", "team", "assigned_caseworker")
    if filters.sort == DEFAULT_SORT or filters.sort not in SORTS:
        cases = cases.annotate(next_due_on=_next_due())
    return cases.order_by(*ordering)


def case_list_page(
    *, user: User, filters: CaseFilters, today: date, page_number: int | str | None
) -> tuple[Page, list[Case]]:
    """One page of the list (two queries: the count and the rows; one more for the next dates
    when the list is not sorted by them)."""
    cases = case_list(user=user, filters=filters, today=today)
    page = Paginator(cases, PAGE_SIZE).get_page(page_number)
    rows = list(page.object_list)
    _with_next_due(rows)
    return page, rows


def _with_next_due(rows: list[Case]) -> None:
    """Give each case its `next_due_on`, in one query, where the ordering did not already."""
    missing = [case for case in rows if not hasattr(case, "next_due_on")]
    if not missing:
        return
    soonest: dict[int, date] = {}
    for case_id, due_on in (
        Deadline.objects.filter(
            case_id__in=[c.pk for c in missing], is_open=True, is_guidance=False
        )
        .order_by("case_id", "due_on")
        .values_list("case_id", "due_on")
    ):
        soonest.setdefault(case_id, due_on)
    for case in missing:
        # Not a model field: the same attribute the ordering's annotation gives.
        cast(Any, case).next_due_on = soonest.get(case.pk)


def case_list_rows(*, user: User, filters: CaseFilters, today: date) -> Iterator[list]:
    """Every case of the list as CSV cells, read in chunks (a fixed number of queries per
    thousand cases)."""
    cases = case_list(user=user, filters=filters, today=today)
    chunk: list[Case] = []
    for case in cases.iterator(chunk_size=1000):
        chunk.append(case)
        if len(chunk) == 1000:
            yield from _csv_cells(chunk)
            chunk = []
    yield from _csv_cells(chunk)


CSV_HEADER = [
    "Reference",
    "Child or young person",
    "Date of birth",
    "Team",
    "Caseworker",
    "Route",
    "Stage",
    "Outcome",
    "Received",
    "Next statutory date",
]


def _csv_cells(cases: list[Case]) -> Iterator[list]:
    _with_next_due(cases)
    for case in cases:
        next_due_on: date | None = getattr(case, "next_due_on", None)
        yield [
            case.reference,
            case.child.full_name,
            case.child.date_of_birth.isoformat(),
            case.team.name,
            case.assigned_caseworker.display_name() if case.assigned_caseworker else "",
            case.get_route_display(),
            case.get_stage_display(),
            case.get_outcome_display(),
            case.clock_starts_on.isoformat(),
            next_due_on.isoformat() if next_due_on else "",
        ]


def filter_teams(user: User) -> QuerySet[Team]:
    """The teams the team filter offers: every team for those who see every case, else the
    user's own."""
    teams = Team.objects.order_by("name")
    if user.is_superuser or user.has_perm(roles.VIEW_ALL_CASES):
        return teams
    return teams.filter(pk__in=user_teams(user))


def filter_caseworkers(user: User) -> QuerySet[User]:
    """The people the caseworker filter offers: members of the teams this user may see."""
    teams = filter_teams(user).values("pk")
    return (
        User.objects.filter(Q(teams__in=teams) | Q(pk=user.pk), is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
