"""Cases in the search index: what a caseworker may be told on the phone to find one."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ehc.models import Case
from ehc.search.registry import SearchKind, register

# A UK postcode anywhere in an address (outward and inward parts).
POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", re.IGNORECASE)


def case_documents(ids: Iterable[int] | None) -> Iterator[tuple[int, str, int | None, str]]:
    """Each case's text, team and names (the child's, the family's, the schools'): the words
    a misspelt query word is corrected against."""
    cases = Case.objects.select_related(
        "child", "child__current_setting", "requested_setting"
    ).prefetch_related("child__contacts")
    if ids is not None:
        cases = cases.filter(pk__in=list(ids))
    for case in cases.iterator(chunk_size=2000):
        child = case.child
        born = child.date_of_birth
        words = [
            case.reference,
            child.first_name,
            child.last_name,
            f"{born:%d/%m/%Y} {born:%Y-%m-%d} {born.day} {born:%B} {born.year}",
            child.upn,
            case.requester_name,
        ]
        names = [child.first_name, child.last_name, case.requester_name]
        for setting in (child.current_setting, case.requested_setting):
            if setting is not None:
                words += [setting.name, setting.urn]
                names.append(setting.name)
        for contact in child.contacts.all():
            words.append(contact.full_name)
            names.append(contact.full_name)
            words += ["".join(parts) for parts in POSTCODE.findall(contact.address or "")]
            words += [" ".join(parts) for parts in POSTCODE.findall(contact.address or "")]
        yield (
            case.pk,
            " ".join(w for w in words if w),
            case.team_id,
            " ".join(n for n in names if n),
        )


CASES = register(SearchKind(key="case", model=Case, documents=case_documents))


def case_search_scopes(user) -> list[int] | None:
    """The teams whose cases this user may find (None: every team)."""
    from ehc.models import Team

    if user.is_superuser or user.has_perm("ehc.view_all_cases"):
        return None
    return list(Team.objects.filter(members=user).values_list("pk", flat=True))


def case_search(*, user, query: str, limit: int = 50) -> list[Case]:
    """Cases this user may see that match `query`, best first, each with `next_due_on` (the
    earliest open statutory deadline) and what the results show of the child, team and
    caseworker: one query after the index lookup, whatever the number of results."""
    from django.db.models import OuterRef, Subquery

    from ehc.access import cases_visible_to
    from ehc.models import Deadline
    from ehc.search.service import search

    hits = search(kind="case", query=query, scopes=case_search_scopes(user), limit=limit)
    if not hits:
        return []
    order = {hit.object_id: rank for rank, hit in enumerate(hits)}
    next_due = Deadline.objects.filter(
        case=OuterRef("pk"), is_open=True, is_guidance=False
    ).order_by("due_on")
    cases = (
        cases_visible_to(user)
        .filter(pk__in=list(order))
        .select_related("child", "team", "assigned_caseworker")
        .only(*RESULT_FIELDS)
        .annotate(next_due_on=Subquery(next_due.values("due_on")[:1]))
    )
    return sorted(cases, key=lambda case: order[case.pk])


# What the results page shows of each case.
RESULT_FIELDS = (
    "reference",
    "stage",
    "outcome",
    "child__first_name",
    "child__last_name",
    "child__date_of_birth",
    "team__name",
    "assigned_caseworker__first_name",
    "assigned_caseworker__last_name",
    "assigned_caseworker__username",
)
