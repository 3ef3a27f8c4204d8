"""Settings in the search index: what a caseworker knows of a school (name, town, postcode,
URN, UKPRN, local authority)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ehc.models import Setting
from ehc.search.registry import SearchKind, register

# Each entry's scope: confirmed register entries, and those a caseworker added that wait for a
# manager (so "is this the same as one already in the register?" can leave them out).
IN_REGISTER, TO_CONFIRM = 1, 2


def setting_documents(ids: Iterable[int] | None) -> Iterator[tuple[int, str, int | None]]:
    rows = Setting.objects.all()
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    fields = (
        "pk",
        "name",
        "town",
        "locality",
        "postcode",
        "urn",
        "ukprn",
        "local_authority",
        "needs_confirming",
    )
    for pk, name, town, locality, postcode, urn, ukprn, la, flagged in rows.values_list(
        *fields
    ).iterator(chunk_size=5000):
        words = [name, locality, town, postcode, postcode.replace(" ", ""), urn, ukprn, la]
        yield pk, " ".join(w for w in words if w), TO_CONFIRM if flagged else IN_REGISTER


SETTINGS = register(SearchKind(key="setting", model=Setting, documents=setting_documents))
