"""Find any record by what a person remembers of it: the core's search service.

One interface, two backends, chosen by the database in use:

- SQLite: FTS5 tables, one with the trigram tokenizer (substrings and, ranked by shared
  trigrams, misspellings), one with the porter stemmer for kinds searched by words;
- PostgreSQL: `pg_trgm` word similarity over a GIN trigram index, and a weighted tsvector GIN
  index for kinds searched by words.

Apps index their own models through the registry (`ehc.search.registry.register`); each indexed
row becomes one `SearchDocument` (its text, a title, and a scope used to keep results to what a
user may see). The services that write indexed rows call `search_index_update`; `manage.py
search_reindex` rebuilds everything; after every `migrate` the index is checked and repaired.
Trigram kinds (cases) are found with `search`; word kinds (a public directory) with
`search_match` and `search_ranked`, which join the app's own filters in SQL. See docs/search.md.
"""

from ehc.search.registry import SearchKind, register
from ehc.search.service import (
    Hit,
    WordMatch,
    normalise,
    search,
    search_index_remove,
    search_index_repair,
    search_index_update,
    search_match,
    search_ranked,
)
from ehc.search.words import WordQuery, parse_words, synonym_sets

__all__ = [
    "Hit",
    "SearchKind",
    "WordMatch",
    "WordQuery",
    "normalise",
    "parse_words",
    "register",
    "search",
    "search_index_remove",
    "search_index_repair",
    "search_index_update",
    "search_match",
    "search_ranked",
    "synonym_sets",
]
