"""What can be searched: each kind names a model and how to write its rows' text."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class SearchKind:
    """`documents(ids)` yields (id, text, scope) for the given ids (all rows when ids is None).

    `scope` is an integer the searcher filters on (for cases, the team id), or None.
    """

    key: str
    model: type[Model]
    documents: Callable[[Iterable[int] | None], Iterable[tuple[int, str, int | None]]]

    def all_ids(self) -> QuerySet:
        return self.model._default_manager.values_list("pk", flat=True)


_KINDS: dict[str, SearchKind] = {}


def register(kind: SearchKind) -> SearchKind:
    _KINDS[kind.key] = kind
    return kind


def kind_for(key: str) -> SearchKind:
    return _KINDS[key]


def kinds() -> list[SearchKind]:
    return list(_KINDS.values())
