"""What can be searched: each kind names a model and how to write its rows' text."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet, UUIDField

# documents(ids) yields (id, text, scope) or (id, text, scope, title).
Document = tuple[object, str, int | None] | tuple[object, str, int | None, str]


@dataclass(frozen=True)
class SearchKind:
    """`documents(ids)` yields (id, text, scope[, title]) for the given ids (every row when ids
    is None); every row of the model has one document.

    `scope` is an integer the searcher filters on (for cases, the team id), or None.

    `words` chooses how the kind is found. False (cases): by trigrams, substrings and
    misspellings anywhere in the text, the way staff find a case from what a caller remembers.
    True (a public directory): by whole words, stemmed and as prefixes, with synonyms, the
    title weighted above the text, and misspellings matched against the title only when no
    word matches (`ehc.search.words`).
    """

    key: str
    model: type[Model]
    # Takes the kind's own keys (ints or UUIDs), or None for every record.
    documents: Callable[[Any], Iterable[Document]]
    words: bool = False

    @property
    def uuid_keys(self) -> bool:
        return isinstance(self.model._meta.pk, UUIDField)

    @property
    def key_column(self) -> str:
        """The SearchDocument column holding this kind's record ids."""
        return "object_uuid" if self.uuid_keys else "object_id"

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


def word_kinds() -> list[str]:
    return [kind.key for kind in _KINDS.values() if kind.words]
