"""The full-text backends. For trigram kinds (cases) each returns candidates (record id, text)
for a normalised query, best first, and ehc.search.service scores them the same way for both,
so results agree. For word kinds (a public directory) each gives SQL selecting every match with
its rank, for the app to join to its own filters (ehc.search.service.search_match)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

from django.db import connection

from ehc.search.registry import kind_for, word_kinds
from ehc.search.words import WordQuery, fts5_query, ts_query

if TYPE_CHECKING:
    from ehc.models import SearchDocument

# bm25 weights of the word index's columns (title, text): a word in the name counts ten times.
TITLE_WEIGHT = 10.0


def _placeholders(values: Collection[object]) -> str:
    return ", ".join(["%s"] * len(values)) or "NULL"


def _scope_sql(scopes: Collection[int] | None) -> tuple[str, list]:
    if scopes is None:
        return "", []
    return f" AND d.scope IN ({_placeholders(scopes)})", list(scopes)


def _like_source(
    kind: str, groups: list[list[str]], scopes: Collection[int] | None
) -> tuple[str, list]:
    scope_sql, scope_params = _scope_sql(scopes)
    where = " AND ".join(
        "(" + " OR ".join(["d.text LIKE %s"] * len(group)) + ")" for group in groups
    )
    params = [f"%{w}%" for group in groups for w in group]
    return (
        f"FROM ehc_searchdocument d WHERE d.kind = %s AND {where}{scope_sql}",
        [kind, *params, *scope_params],
    )


class SQLiteBackend:
    """FTS5. Trigram kinds: a table with the trigram tokenizer over each document's text.
    First the query as typed, anywhere in the text (a phrase of trigrams: fast, as each
    trigram's list narrows the next); only if nothing has it, the misspelling search: every
    word must share a trigram with the text, best bm25 first.

    Word kinds: a second table (title, text) with the porter stemmer and prefix indexes, ranked
    by bm25 with the title weighted; misspelt words are read against the kind's word list
    (`SearchWord`)."""

    TABLES = ("ehc_search_fts", "ehc_search_words")

    def contains(self, expression: str) -> str:
        return f"instr({expression}, %s) > 0"

    def as_number(self, condition: str) -> str:
        return f"({condition})"

    def as_real(self, expression: str) -> str:
        return f"CAST({expression} AS REAL)"

    def trigram_source(
        self, *, kind: str, groups: list[list[str]], scopes: Collection[int] | None
    ) -> tuple[str, list]:
        """FROM and WHERE of the documents holding one word of each group: groups of words of
        3 characters or more through the trigram table (a phrase of trigrams each), shorter
        ones checked on those documents' text."""
        indexed = [g for g in groups if all(len(w) >= 3 for w in g)]
        match = " AND ".join("(" + " OR ".join(f'"{w}"' for w in g) + ")" for g in indexed)
        scope_sql, scope_params = _scope_sql(scopes)
        sql = (
            # CROSS JOIN: the full-text match first, then each hit's document by its id (left
            # to itself the planner may run the match once per document of the kind).
            "FROM ehc_search_fts f CROSS JOIN ehc_searchdocument d ON d.id = f.rowid "
            f"WHERE ehc_search_fts MATCH %s AND d.kind = %s{scope_sql}"
        )
        params: list = [match, kind, *scope_params]
        for group in groups:
            if group not in indexed:
                sql += " AND (" + " OR ".join(["instr(d.text, %s) > 0"] * len(group)) + ")"
                params += group
        return sql, params

    # -- word kinds -------------------------------------------------------------------------------

    def word_match_sql(
        self, *, kind: str, query: WordQuery, scopes: Collection[int] | None = None
    ) -> tuple[str, list]:
        key = kind_for(kind).key_column
        scope_sql, scope_params = _scope_sql(scopes)
        sql = (
            f"SELECT d.{key} AS object_id, "
            f"-bm25(ehc_search_words, {TITLE_WEIGHT}, 1.0) AS rank, d.title AS title "
            # CROSS JOIN: the full-text match first, then each hit's document by its id.
            # Left to itself the planner may start from the documents and run the match once
            # per document, a thousand times slower.
            "FROM ehc_search_words w CROSS JOIN ehc_searchdocument d ON d.id = w.rowid "
            f"WHERE ehc_search_words MATCH %s AND d.kind = %s{scope_sql}"
        )
        return sql, [fts5_query(query), kind, *scope_params]

    # -- upkeep -----------------------------------------------------------------------------------

    def write(self, documents: Iterable[SearchDocument]) -> None:
        documents = list(documents)
        words = set(word_kinds())
        self.remove(d.pk for d in documents)
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO ehc_search_fts (rowid, text) VALUES (%s, %s)",
                [(d.pk, d.text) for d in documents if d.kind not in words],
            )
            cursor.executemany(
                "INSERT INTO ehc_search_words (rowid, title, text) VALUES (%s, %s, %s)",
                [(d.pk, d.title, d.text) for d in documents if d.kind in words],
            )

    def remove(self, row_ids: Iterable[int]) -> None:
        rows = [(r,) for r in row_ids]
        with connection.cursor() as cursor:
            for table in self.TABLES:
                cursor.executemany(f"DELETE FROM {table} WHERE rowid = %s", rows)

    def remove_kind(self, kind: str) -> None:
        """Before a kind's documents are deleted: their index rows."""
        with connection.cursor() as cursor:
            for table in self.TABLES:
                cursor.execute(
                    f"DELETE FROM {table} WHERE rowid IN "
                    "(SELECT id FROM ehc_searchdocument WHERE kind = %s)",
                    [kind],
                )

    def fill_kind(self, kind: str) -> None:
        """After a kind's documents are written in bulk: their index rows."""
        self._fill("WHERE d.kind = %s", [kind])

    def _fill(self, where: str, params: list) -> None:
        words = word_kinds()
        is_words = f"d.kind IN ({_placeholders(words)})"
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO ehc_search_fts (rowid, text) SELECT d.id, d.text "
                f"FROM ehc_searchdocument d {where} AND NOT {is_words}",
                [*params, *words],
            )
            cursor.execute(
                "INSERT INTO ehc_search_words (rowid, title, text) "
                f"SELECT d.id, d.title, d.text FROM ehc_searchdocument d {where} AND {is_words}",
                [*params, *words],
            )

    def rebuild(self) -> None:
        with connection.cursor() as cursor:
            for table in self.TABLES:
                cursor.execute(f"DELETE FROM {table}")
        self._fill("WHERE 1 = 1", [])

    def in_step(self) -> bool:
        """Whether the full-text tables exist and hold one row per document they should."""
        words = word_kinds()
        with connection.cursor() as cursor:
            tables = {t.name for t in connection.introspection.get_table_list(cursor)}
            if not set(self.TABLES) <= tables:
                return False
            cursor.execute("SELECT COUNT(*) FROM ehc_searchdocument")
            documents = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT COUNT(*) FROM ehc_searchdocument WHERE kind IN ({_placeholders(words)})",
                words,
            )
            word_documents = cursor.fetchone()[0]
            cursor.execute("SELECT COUNT(*) FROM ehc_search_fts")
            trigram_rows = cursor.fetchone()[0]
            cursor.execute("SELECT COUNT(*) FROM ehc_search_words")
            word_rows = cursor.fetchone()[0]
        return trigram_rows == documents - word_documents and word_rows == word_documents

    def create_tables(self) -> None:
        """The full-text tables, if missing (migrations create them; this repairs)."""
        with connection.cursor() as cursor:
            cursor.execute(SQLITE_TRIGRAM_TABLE)
            cursor.execute(SQLITE_WORDS_TABLE)


SQLITE_TRIGRAM_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS ehc_search_fts USING fts5(text, tokenize='trigram')"
)
SQLITE_WORDS_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS ehc_search_words USING fts5(title, text, "
    "tokenize='porter unicode61 remove_diacritics 2', prefix='2 3')"
)

# PostgreSQL: the weighted vector of a word kind's document, a stored generated column that
# Django does not know (migration ehc 0011), with a GIN index; documents of trigram kinds have no
# title and no vector.
POSTGRES_VECTOR = "d.words"


class PostgresBackend:
    """pg_trgm for trigram kinds: documents whose words are similar to the query (`<%`), over a
    GIN index. For word kinds, a weighted tsvector (GIN expression index) with prefix matching;
    misspelt words are read against the kind's word list (`SearchWord`)."""

    def contains(self, expression: str) -> str:
        return f"strpos({expression}, %s) > 0"

    def as_number(self, condition: str) -> str:
        return f"({condition})::int"

    def as_real(self, expression: str) -> str:
        return f"({expression})::float8"

    def trigram_source(
        self, *, kind: str, groups: list[list[str]], scopes: Collection[int] | None
    ) -> tuple[str, list]:
        """FROM and WHERE of the documents holding one word of each group (`LIKE`, which the
        trigram GIN index answers for words of 3 characters or more)."""
        return _like_source(kind, groups, scopes)

    def word_match_sql(
        self, *, kind: str, query: WordQuery, scopes: Collection[int] | None = None
    ) -> tuple[str, list]:
        key = kind_for(kind).key_column
        scope_sql, scope_params = _scope_sql(scopes)
        tsq = ts_query(query)
        sql = (
            f"SELECT d.{key} AS object_id, "
            f"ts_rank({POSTGRES_VECTOR}, to_tsquery('english', %s)) "
            "AS rank, d.title AS title FROM ehc_searchdocument d "
            f"WHERE d.title <> '' AND {POSTGRES_VECTOR} @@ to_tsquery('english', %s) "
            f"AND d.kind = %s{scope_sql}"
        )
        return sql, [tsq, tsq, kind, *scope_params]

    def write(self, documents: Iterable[SearchDocument]) -> None:
        """The GIN indexes on the table keep themselves up to date."""

    def remove(self, row_ids: Iterable[int]) -> None:
        """Nothing beside the table to remove."""

    def remove_kind(self, kind: str) -> None: ...

    def fill_kind(self, kind: str) -> None: ...

    def rebuild(self) -> None:
        """Nothing beside the table to rebuild."""

    def in_step(self) -> bool:
        return True

    def create_tables(self) -> None: ...


class NoFullTextBackend:
    """Other databases: a substring match on the table, without typo tolerance."""

    def contains(self, expression: str) -> str:
        return f"instr({expression}, %s) > 0"

    def as_number(self, condition: str) -> str:
        return f"CASE WHEN {condition} THEN 1 ELSE 0 END"

    def as_real(self, expression: str) -> str:
        return f"({expression}) * 1.0"

    def trigram_source(
        self, *, kind: str, groups: list[list[str]], scopes: Collection[int] | None
    ) -> tuple[str, list]:
        return _like_source(kind, groups, scopes)

    def word_match_sql(
        self, *, kind: str, query: WordQuery, scopes: Collection[int] | None = None
    ) -> tuple[str, list]:
        key = kind_for(kind).key_column
        scope_sql, scope_params = _scope_sql(scopes)
        clauses, params = [], []
        for group in query.groups:
            clauses.append(
                "(" + " OR ".join(["d.text LIKE %s OR d.title LIKE %s"] * len(group)) + ")"
            )
            for phrase in group:
                params += [f"%{' '.join(phrase)}%"] * 2
        sql = (
            f"SELECT d.{key} AS object_id, 1.0 AS rank, d.title AS title "
            f"FROM ehc_searchdocument d WHERE d.kind = %s AND {' AND '.join(clauses)}{scope_sql}"
        )
        return sql, [kind, *params, *scope_params]

    def write(self, documents: Iterable[SearchDocument]) -> None: ...

    def remove(self, row_ids: Iterable[int]) -> None: ...

    def remove_kind(self, kind: str) -> None: ...

    def fill_kind(self, kind: str) -> None: ...

    def rebuild(self) -> None: ...

    def in_step(self) -> bool:
        return True

    def create_tables(self) -> None: ...


SearchBackend = SQLiteBackend | PostgresBackend | NoFullTextBackend


def backend() -> SearchBackend:
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return NoFullTextBackend()
