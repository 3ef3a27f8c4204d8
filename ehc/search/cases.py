"""Cases in the search index: what a caseworker may be told on the phone to find one."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ehc.models import Case
from ehc.search.registry import SearchKind, register

# A UK postcode anywhere in an address (outward and inward parts).
POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", re.IGNORECASE)


def case_documents(ids: Iterable[int] | None) -> Iterator[tuple[int, str, int | None]]:
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
        for setting in (child.current_setting, case.requested_setting):
            if setting is not None:
                words += [setting.name, setting.urn]
        for contact in child.contacts.all():
            words.append(contact.full_name)
            words += ["".join(parts) for parts in POSTCODE.findall(contact.address or "")]
            words += [" ".join(parts) for parts in POSTCODE.findall(contact.address or "")]
        yield case.pk, " ".join(w for w in words if w), case.team_id


CASES = register(SearchKind(key="case", model=Case, documents=case_documents))


def case_search_scopes(user) -> list[int] | None:
    """The teams whose cases this user may find (None: every team)."""
    from ehc.models import Team

    if user.is_superuser or user.has_perm("ehc.view_all_cases"):
        return None
    return list(Team.objects.filter(members=user).values_list("pk", flat=True))


def case_search(*, user, query: str, limit: int = 50) -> list[Case]:
    """Cases this user may see that match `query`, best first, each with `next_due_on` (the
    earliest open statutory deadline) and the child, team and caseworker loaded: two queries
    after the index lookup, whatever the number of results."""
    from django.db.models import Min, Q

    from ehc.access import cases_visible_to
    from ehc.search.service import search

    hits = search(kind="case", query=query, scopes=case_search_scopes(user), limit=limit)
    order = {hit.object_id: rank for rank, hit in enumerate(hits)}
    cases = (
        cases_visible_to(user)
        .filter(pk__in=list(order))
        .select_related("child", "team", "assigned_caseworker")
        .annotate(
            next_due_on=Min(
                "deadlines__due_on",
                filter=Q(deadlines__is_open=True, deadlines__is_guidance=False),
            )
        )
    )
    return sorted(cases, key=lambda case: order[case.pk])
