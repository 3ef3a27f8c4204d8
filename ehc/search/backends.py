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
    """FTS5 with the trigram tokenizer: any document sharing a trigram with the query is a
    candidate, ranked by bm25 (more, rarer shared trigrams first)."""

    def candidates(
        self, *, kind: str, query: str, scopes: Collection[int] | None
    ) -> list[tuple[int, str]]:
        pieces = word_trigrams(query)
        if not pieces:
            return []
        match = " OR ".join(f'"{piece}"' for piece in pieces)
        sql = (
            "SELECT d.object_id, d.text FROM ehc_search_fts f "
            "JOIN ehc_searchdocument d ON d.id = f.rowid "
            "WHERE ehc_search_fts MATCH %s AND d.kind = %s"
        )
        params: list = [match, kind]
        if scopes is not None:
            sql += f" AND d.scope IN ({', '.join(['%s'] * len(scopes)) or 'NULL'})"
            params += list(scopes)
        sql += f" ORDER BY f.rank LIMIT {CANDIDATES}"
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
        sql = "SELECT object_id, text FROM ehc_searchdocument WHERE kind = %s AND %s <% text"
        params: list = [kind, query]
        if scopes is not None:
            sql += " AND scope = ANY(%s)"
            params.append(list(scopes))
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
