"""Fetching cases for a user. A case id from a URL is never trusted: every fetch comes here."""

from collections.abc import Iterable
from typing import TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from ehc import roles
from ehc.audit import case_read_note
from ehc.models import Case, Contact, Team

M = TypeVar("M", bound=Model)


def user_teams(user) -> QuerySet[Team]:
    """The teams this user belongs to (as a subquery, so callers never join through members)."""
    return Team.objects.filter(members=user).values("pk")


def team_scoped(
    queryset: QuerySet[M], user, *, team: str = "team", owner: str = "assigned_caseworker"
) -> QuerySet[M]:
    """The one team-visibility rule, for every list of staff work: managers see every row;
    caseworkers the rows of their teams and those they own; anyone else none. `team` and
    `owner` name the row's team and owning user."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser or user.has_perm(roles.VIEW_ALL_CASES):
        return queryset
    if user.has_perm(roles.PROGRESS_CASE):
        # A subquery, not a join through team members, so each row appears once.
        return queryset.filter(Q(**{f"{team}__in": user_teams(user)}) | Q(**{owner: user}))
    return queryset.none()


def cases_visible_to(user) -> QuerySet[Case]:
    """Managers see every case; caseworkers their teams' and their own; families their own.
    Each rule filters through a subquery, never a join, so no case appears twice."""
    if user.is_authenticated and user.is_active and not user.is_superuser:
        staff = user.has_perm(roles.PROGRESS_CASE) or user.has_perm(roles.VIEW_ALL_CASES)
        if user.has_perm(roles.VIEW_OWN_CASE) and not staff:
            children = Contact.objects.filter(user=user).values("child_id")
            return Case.objects.filter(child_id__in=children)
    return team_scoped(Case.objects.all(), user)


def access_case_by_id(user, case_id, *, related: Iterable[str] = ()) -> Case:
    """The case, or 404 when it does not exist or this user may not see it (no existence leak).
    Inside a request, the read is recorded in the read audit if the page is shown (ehc.audit).
    `related` names the relations a page shows, fetched in the same query."""
    cases = cases_visible_to(user)
    if related:
        cases = cases.select_related(*related)
    try:
        case = cases.get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such case.") from exc
    case_read_note(case)
    return case


def access_case_by_reference(user, reference: str) -> Case:
    try:
        case = cases_visible_to(user).get(reference=reference)
    except Case.DoesNotExist as exc:
        raise Http404("No such case.") from exc
    case_read_note(case)
    return case
