"""Keyword search over the directory: one interface, two backends (SQLite FTS5, PostgreSQL).

A query is parsed once into groups of alternatives: each word (or a phrase on the synonyms list)
becomes a group holding it and its synonyms; a service matches when it matches every group.
Each backend turns the groups into its own query language from words reduced to letters and
digits, so nothing a visitor types reaches SQL as syntax. PostgreSQL also falls back to trigram
similarity on the service name when the words find nothing (typos: "autsim").

The index is kept by the database: FTS5 triggers on SQLite, an expression GIN index on
PostgreSQL (migration 0003), over `name` and `search_text`, which local_offer.services keeps.

If the core gains a shared search backend, this module is the one place to switch over.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.db import connection

from local_offer.models import Synonym

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "near",
        "my",
        "our",
        "who",
    ]
)
MAX_GROUPS = 8
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words_of(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


@dataclass(frozen=True)
class ParsedQuery:
    """Groups of alternatives; each alternative is a tuple of words (a phrase)."""

    groups: tuple[tuple[tuple[str, ...], ...], ...]

    @property
    def empty(self) -> bool:
        return not self.groups


def synonym_sets() -> list[list[tuple[str, ...]]]:
    """The staff-kept synonyms as lists of phrases (each a tuple of words)."""
    sets = []
    for words in Synonym.objects.values_list("words", flat=True):
        phrases = [tuple(words_of(w)) for w in words.split(",")]
        phrases = [p for p in phrases if p]
        if len(phrases) > 1:
            sets.append(phrases)
    return sets


def parse_query(text: str, synonyms: list[list[tuple[str, ...]]] | None = None) -> ParsedQuery:
    """Split the visitor's words into groups, joining phrases on the synonyms list."""
    if synonyms is None:
        synonyms = synonym_sets()
    words = words_of(text)[:50]
    phrase_to_set: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for phrases in synonyms:
        for phrase in phrases:
            phrase_to_set.setdefault(phrase, phrases)
    longest = max((len(p) for p in phrase_to_set), default=1)
    groups: list[tuple[tuple[str, ...], ...]] = []
    i = 0
    while i < len(words) and len(groups) < MAX_GROUPS:
        for size in range(min(longest, len(words) - i), 0, -1):
            phrase = tuple(words[i : i + size])
            if phrase in phrase_to_set:
                alternatives = (phrase,) + tuple(p for p in phrase_to_set[phrase] if p != phrase)
                groups.append(alternatives)
                i += size
                break
        else:
            if words[i] not in STOPWORDS:
                groups.append(((words[i],),))
            i += 1
    return ParsedQuery(groups=tuple(groups))


class SearchBackend:
    """Matches services by keywords: SQL selecting matching ids, and their ranks."""

    def match_sql(self, query: ParsedQuery) -> tuple[str, list]:
        raise NotImplementedError

    def ranks(self, query: ParsedQuery) -> dict[uuid.UUID, float]:
        """Every matching service's id with its rank (higher is better)."""
        sql, params = self.rank_sql(query)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {_as_uuid(row[0]): float(row[2]) for row in cursor.fetchall()}

    def rank_sql(self, query: ParsedQuery) -> tuple[str, list]:
        """SQL selecting (id, name, rank) of every matching service."""
        raise NotImplementedError

    def ranked_within(
        self,
        query: ParsedQuery,
        within_sql: str,
        within_params: list,
        *,
        limit: int,
        offset: int = 0,
    ) -> tuple[list[uuid.UUID], int]:
        """One page of the matches that are also in `within` (SQL selecting service ids), best
        first, and how many there are in all: one query."""
        sql, params = self.rank_sql(query)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT m.id, COUNT(*) OVER () FROM ({sql}) m WHERE m.id IN ({within_sql}) "
                "ORDER BY m.rank DESC, m.name, m.id LIMIT %s OFFSET %s",
                [*params, *within_params, limit, offset],
            )
            rows = cursor.fetchall()
        if not rows and offset:
            return [], len(self.ranked_within(query, within_sql, within_params, limit=10**9)[0])
        return [_as_uuid(row[0]) for row in rows], (rows[0][1] if rows else 0)


def _as_uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


class SqliteFts5Backend(SearchBackend):
    """FTS5 with bm25 (name weighted ten times the rest), porter stemming and prefix terms."""

    @staticmethod
    def fts_query(query: ParsedQuery) -> str:
        parts = []
        for group in query.groups:
            alternatives = []
            for phrase in group:
                quoted = '"' + " ".join(phrase) + '"'
                # A single word also matches as a prefix ("therap" finds therapy, therapist).
                if len(phrase) == 1 and len(phrase[0]) >= 3:
                    quoted += "*"
                alternatives.append(quoted)
            parts.append("(" + " OR ".join(alternatives) + ")")
        return " AND ".join(parts)

    def match_sql(self, query: ParsedQuery) -> tuple[str, list]:
        sql = (
            "SELECT s.id FROM local_offer_service_fts f "
            "JOIN local_offer_service s ON s.rowid = f.rowid "
            "WHERE local_offer_service_fts MATCH %s"
        )
        return sql, [self.fts_query(query)]

    def rank_sql(self, query: ParsedQuery) -> tuple[str, list]:
        sql = (
            "SELECT s.id AS id, s.name AS name, -bm25(local_offer_service_fts, 10.0, 1.0) AS rank "
            "FROM local_offer_service_fts f "
            "JOIN local_offer_service s ON s.rowid = f.rowid "
            "WHERE local_offer_service_fts MATCH %s"
        )
        return sql, [self.fts_query(query)]


POSTGRES_VECTOR = (
    "(setweight(to_tsvector('english', name), 'A') "
    "|| setweight(to_tsvector('english', search_text), 'B'))"
)


class PostgresBackend(SearchBackend):
    """A weighted tsvector (GIN index), prefix matching, and trigram similarity for typos."""

    TRIGRAM_THRESHOLD = 0.3

    @staticmethod
    def ts_query(query: ParsedQuery) -> str:
        parts = []
        for group in query.groups:
            alternatives = []
            for phrase in group:
                if len(phrase) == 1:
                    alternatives.append(f"{phrase[0]}:*" if len(phrase[0]) >= 3 else phrase[0])
                else:
                    alternatives.append("(" + " <-> ".join(phrase) + ")")
            parts.append("(" + " | ".join(alternatives) + ")")
        return " & ".join(parts)

    def _text(self, query: ParsedQuery) -> str:
        return " ".join(group[0][0] for group in query.groups)

    def match_sql(self, query: ParsedQuery) -> tuple[str, list]:
        sql = (
            f"SELECT id FROM local_offer_service WHERE {POSTGRES_VECTOR} "
            "@@ to_tsquery('english', %s) "
            "OR (lower(name) %% %s AND similarity(lower(name), %s) >= %s)"
        )
        text = " ".join(" ".join(g[0]) for g in query.groups)
        return sql, [self.ts_query(query), text, text, self.TRIGRAM_THRESHOLD]

    def rank_sql(self, query: ParsedQuery) -> tuple[str, list]:
        text = " ".join(" ".join(g[0]) for g in query.groups)
        sql = (
            f"SELECT id, name, ts_rank({POSTGRES_VECTOR}, to_tsquery('english', %s)) "
            "+ similarity(lower(name), %s) AS rank "
            f"FROM local_offer_service WHERE {POSTGRES_VECTOR} @@ to_tsquery('english', %s) "
            "OR (lower(name) %% %s AND similarity(lower(name), %s) >= %s)"
        )
        tsq = self.ts_query(query)
        return sql, [tsq, text, tsq, text, text, self.TRIGRAM_THRESHOLD]


def backend() -> SearchBackend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SqliteFts5Backend()
