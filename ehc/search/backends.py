"""The two full-text backends. Each returns candidates (object id, text) for a normalised query,
best first; ehc.search.service scores them the same way for both, so results agree."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.db import connection, transaction

CANDIDATES = 300


def word_trigrams(query: str) -> list[str]:
    """The 3-character pieces of each word of a normalised query (FTS5's trigram tokens)."""
    pieces: list[str] = []
    for word in query.split():
        pieces += [word[i : i + 3] for i in range(len(word) - 2)]
    return list(dict.fromkeys(pieces))


class SQLiteBackend:
    """FTS5 with the trigram tokenizer. First the query as typed, anywhere in the text (a
    phrase of trigrams: fast, as each trigram's list narrows the next); only if nothing has it,
    the misspelling search: every word must share a trigram with the text, best bm25 first."""

    def candidates(
        self, *, kind: str, query: str, scopes: Collection[int] | None
    ) -> list[tuple[int, str]]:
        words = [w for w in query.split() if len(w) >= 3]
        if not words:
            return []
        exact = " AND ".join(f'"{word}"' for word in words)
        found = self._match(exact, kind, scopes, ranked=False)
        if found:
            return found
        fuzzy = " AND ".join(
            "(" + " OR ".join(f'"{piece}"' for piece in word_trigrams(word)) + ")" for word in words
        )
        return self._match(fuzzy, kind, scopes, ranked=True)

    def _match(
        self, match: str, kind: str, scopes: Collection[int] | None, *, ranked: bool
    ) -> list[tuple[int, str]]:
        sql = (
            "SELECT d.object_id, d.text FROM ehc_search_fts f "
            "JOIN ehc_searchdocument d ON d.id = f.rowid "
            "WHERE ehc_search_fts MATCH %s AND d.kind = %s"
        )
        params: list = [match, kind]
        if scopes is not None:
            sql += f" AND d.scope IN ({', '.join(['%s'] * len(scopes)) or 'NULL'})"
            params += list(scopes)
        if ranked:
            sql += " ORDER BY f.rank"
        sql += f" LIMIT {CANDIDATES}"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    def write(self, rows: Iterable[tuple[int, str]]) -> None:
        rows = list(rows)
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM ehc_search_fts WHERE rowid = %s", [(r,) for r, _ in rows]
            )
            cursor.executemany("INSERT INTO ehc_search_fts (rowid, text) VALUES (%s, %s)", rows)

    def remove(self, row_ids: Iterable[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM ehc_search_fts WHERE rowid = %s", [(r,) for r in row_ids]
            )

    def rebuild(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM ehc_search_fts")
            cursor.execute(
                "INSERT INTO ehc_search_fts (rowid, text) SELECT id, text FROM ehc_searchdocument"
            )


class PostgresBackend:
    """pg_trgm: documents whose words are similar to the query (`<%`), over a GIN index."""

    THRESHOLD = "0.3"

    def candidates(
        self, *, kind: str, query: str, scopes: Collection[int] | None
    ) -> list[tuple[int, str]]:
        words = [w for w in query.split() if len(w) >= 3]
        if not words:
            return []
        scope_sql = " AND scope = ANY(%s)" if scopes is not None else ""
        scope_params = [list(scopes)] if scopes is not None else []
        exact = " AND ".join(["text LIKE %s"] * len(words))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT object_id, text FROM ehc_searchdocument WHERE kind = %s AND {exact}"
                f"{scope_sql} LIMIT {CANDIDATES}",
                [kind, *[f"%{w}%" for w in words], *scope_params],
            )
            found = list(cursor.fetchall())
        if found:
            return found
        sql = "SELECT object_id, text FROM ehc_searchdocument WHERE kind = %s AND %s <%% text"
        params: list = [kind, query, *scope_params]
        sql += scope_sql
        sql += f" ORDER BY word_similarity(%s, text) DESC LIMIT {CANDIDATES}"
        params.append(query)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                [self.THRESHOLD],
            )
            cursor.execute(sql, params)
            return list(cursor.fetchall())

    def write(self, rows: Iterable[tuple[int, str]]) -> None:
        """The GIN index on the table keeps itself up to date."""

    def remove(self, row_ids: Iterable[int]) -> None:
        """Nothing beside the table to remove."""

    def rebuild(self) -> None:
        """Nothing beside the table to rebuild."""


class NoFullTextBackend:
    """Other databases: a substring match on the table, without typo tolerance."""

    def candidates(
        self, *, kind: str, query: str, scopes: Collection[int] | None
    ) -> list[tuple[int, str]]:
        from ehc.models import SearchDocument

        rows = SearchDocument.objects.filter(kind=kind, text__contains=query)
        if scopes is not None:
            rows = rows.filter(scope__in=scopes)
        return list(rows.values_list("object_id", "text")[:CANDIDATES])

    def write(self, rows: Iterable[tuple[int, str]]) -> None: ...

    def remove(self, row_ids: Iterable[int]) -> None: ...

    def rebuild(self) -> None: ...


def backend() -> SQLiteBackend | PostgresBackend | NoFullTextBackend:
    if connection.vendor == "sqlite":
        return SQLiteBackend()
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return NoFullTextBackend()
