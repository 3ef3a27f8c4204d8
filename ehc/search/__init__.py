"""Find any record by what a person remembers of it: the core's search service.

One interface, two backends, chosen by the database in use:

- SQLite: an FTS5 table with the trigram tokenizer (substrings and, ranked by shared trigrams,
  misspellings);
- PostgreSQL: `pg_trgm` word similarity over a GIN trigram index.

Apps index their own models through the registry (`ehc.search.registry.register`); each indexed
row becomes one `SearchDocument` (its text, and a scope used to keep results to what a user
may see). The services that write indexed rows call `search_index_update`; `manage.py
search_reindex` rebuilds everything. See docs/search.md.
"""

from ehc.search.registry import SearchKind, register
from ehc.search.service import Hit, normalise, search, search_index_remove, search_index_update

__all__ = [
    "Hit",
    "SearchKind",
    "normalise",
    "register",
    "search",
    "search_index_remove",
    "search_index_update",
]
