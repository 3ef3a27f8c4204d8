"""Directory services in the core search index (`ehc.search`), found by words.

Each service is one search document: its name as the title (weighted above the rest) and the
text local_offer.services keeps in `Service.search_text` (organisation, description,
eligibility, need types, categories, Schedule 2 item). The services that write a service
reindex it; the demo seeder reindexes after its bulk inserts. Queries are read with the
synonyms staff keep (`Synonym`), so 'ASD' also finds autism and 'SALT' speech and language
therapy.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator

from ehc.search import (
    SearchKind,
    WordMatch,
    WordQuery,
    parse_words,
    register,
    search_index_update,
    search_match,
    synonym_sets,
)
from local_offer.models import Service, Synonym

KIND = "local_offer.service"


# Each document's scope: whether the service is listed (not inactive), so the public search
# leaves unlisted services out in the index itself, without asking the service table.
LISTED, UNLISTED = 1, 0


def service_documents(ids: Iterable[object] | None) -> Iterator[tuple[uuid.UUID, str, int, str]]:
    rows = Service.objects.all() if ids is None else Service.objects.filter(pk__in=list(ids))
    fields = ("pk", "name", "search_text", "status")
    for pk, name, text, status in rows.values_list(*fields).iterator(chunk_size=2000):
        yield pk, text, UNLISTED if status == Service.Status.INACTIVE else LISTED, name


SERVICES = register(SearchKind(key=KIND, model=Service, documents=service_documents, words=True))


def parse_query(text: str) -> WordQuery:
    """The visitor's words in groups, phrases on the staff-kept synonyms list joined."""
    return parse_words(text, synonym_sets(Synonym.objects.values_list("words", flat=True)))


def service_match(query: str | WordQuery, *, listed_only: bool = True) -> WordMatch | None:
    """Every service matching the words (None when the query has none to look for); only
    listed ones unless `listed_only` is False."""
    return search_match(
        kind=KIND,
        query=query if isinstance(query, WordQuery) else parse_query(query),
        scopes=[LISTED] if listed_only else None,
    )


def services_reindex(ids: Iterable[uuid.UUID] | None = None) -> int:
    return search_index_update(kind=KIND, ids=ids)
