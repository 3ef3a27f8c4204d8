"""Search and index upkeep, the same for every backend."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.db import transaction

from ehc.models import SearchDocument
from ehc.search.backends import backend
from ehc.search.registry import kind_for, kinds

MAX_QUERY_CHARS = 100  # longer queries are cut: no one remembers more of a case than this
MIN_QUERY_CHARS = 3  # a trigram; shorter queries match too much to mean anything
MIN_SCORE = 0.45  # share of the query's trigrams a document must contain
NOT_TEXT = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    """Lower case ASCII letters and digits, single spaces: 'Zoë O'Brien' -> 'zoe o brien'."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return " ".join(NOT_TEXT.sub(" ", folded).split())


def _trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after."""
    grams: set[str] = set()
    for word in text.split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def score(query: str, text: str) -> float:
    """How much of the query the text contains: 1 or more for the query as typed, else the
    share of the query's trigrams found among the text's."""
    if f" {query} " in f" {text} ":
        return 2.0
    if query in text:
        return 1.5
    wanted = _trigrams(query)
    if not wanted:
        return 0.0
    return len(wanted & _trigrams(text)) / len(wanted)


@dataclass(frozen=True)
class Hit:
    object_id: int
    score: float


def search(
    *, kind: str, query: str, scopes: Collection[int] | None = None, limit: int = 50
) -> list[Hit]:
    """Records of `kind` matching `query` best first; `scopes` (None: all) limits them."""
    wanted = normalise(query[: MAX_QUERY_CHARS * 4])[:MAX_QUERY_CHARS].strip()
    if len(wanted.replace(" ", "")) < MIN_QUERY_CHARS:
        return []
    if scopes is not None and not scopes:
        return []
    candidates = backend().candidates(kind=kind, query=wanted, scopes=scopes)
    hits = [Hit(object_id, score(wanted, text)) for object_id, text in candidates]
    hits = [hit for hit in hits if hit.score >= MIN_SCORE]
    hits.sort(key=lambda hit: (-hit.score, -hit.object_id))
    return hits[:limit]


def search_index_update(*, kind: str, ids: Iterable[int] | None = None) -> int:
    """(Re)write the index rows of these records (all records of the kind when ids is None)."""
    search_kind = kind_for(kind)
    ids = None if ids is None else list(ids)
    documents = list(search_kind.documents(ids))
    with transaction.atomic():
        if ids is None:
            SearchDocument.objects.filter(kind=kind).delete()
        else:
            old = SearchDocument.objects.filter(kind=kind, object_id__in=ids)
            backend().remove(list(old.values_list("pk", flat=True)))
            old.delete()
        rows = SearchDocument.objects.bulk_create(
            [
                SearchDocument(kind=kind, object_id=pk, text=normalise(text), scope=scope)
                for pk, text, scope in documents
            ],
            batch_size=2000,
        )
        if ids is None or not all(r.pk for r in rows):
            backend().rebuild()
        else:
            backend().write((r.pk, r.text) for r in rows)
    return len(rows)


def search_index_remove(*, kind: str, ids: Iterable[int]) -> None:
    with transaction.atomic():
        rows = SearchDocument.objects.filter(kind=kind, object_id__in=list(ids))
        backend().remove(list(rows.values_list("pk", flat=True)))
        rows.delete()


def search_reindex_all() -> dict[str, int]:
    return {k.key: search_index_update(kind=k.key) for k in kinds()}
