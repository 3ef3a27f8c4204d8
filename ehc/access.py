"""Fetching cases for a user. A case id from a URL is never trusted: every fetch comes here."""

from django.db.models import Q, QuerySet
from django.http import Http404

from ehc.models import Case, Contact, Team


def team_filter(user, *, team: str, person: str | None = None) -> Q | None:
    """The one team-scoping rule, for any model that belongs to a team: None means everything
    (managers, administrators); otherwise a filter: a caseworker's teams' rows (``team`` is the
    lookup to the row's team) and those assigned to them (``person``); nothing for anyone else."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser or user.has_perm("ehc.view_all_cases"):
        return None
    if user.has_perm("ehc.progress_case"):
        # A subquery, not a join through team members, so each row appears once.
        teams = Team.objects.filter(members=user).values("pk")
        scope = Q(**{f"{team}__in": teams})
        if person:
            scope |= Q(**{person: user})
        return scope
    return Q(pk__in=[])


def cases_visible_to(user) -> QuerySet[Case]:
    """Managers see every case; caseworkers their teams' and their own; families their own."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    if user.is_superuser or user.has_perm("ehc.view_all_cases"):
        return Case.objects.all()
    if user.has_perm("ehc.progress_case"):
        return Case.objects.filter(team_filter(user, team="team", person="assigned_caseworker"))
    if user.has_perm("ehc.view_own_case"):
        children = Contact.objects.filter(user=user).values("child_id")
        return Case.objects.filter(child_id__in=children)
    return Case.objects.none()


def access_case_by_id(user, case_id) -> Case:
    """The case, or 404 when it does not exist or this user may not see it (no existence leak)."""
    try:
        return cases_visible_to(user).distinct().get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such case.") from exc


def access_case_by_reference(user, reference: str) -> Case:
    try:
        return cases_visible_to(user).distinct().get(reference=reference)
    except Case.DoesNotExist as exc:
        raise Http404("No such case.") from exc
