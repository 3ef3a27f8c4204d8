"""Search and index upkeep, the same for every backend."""

from __future__ import annotations

import difflib
import re
import unicodedata
import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from ehc.models import SearchDocument
from ehc.search.backends import backend
from ehc.search.registry import SearchKind, kind_for, kinds
from ehc.search.words import STOPWORDS, Phrase, WordQuery, fold, parse_words

MAX_QUERY_CHARS = 100  # longer queries are cut: no one remembers more of a case than this
MIN_QUERY_CHARS = 3  # a trigram; shorter queries match too much to mean anything
MIN_SCORE = 0.45  # share of the query's trigrams a document must contain
NOT_TEXT = re.compile(r"[^0-9a-z]+")
TITLE_CHARS = 300
# Word kinds: a misspelt word (4 letters or more) is read as the title words this alike
# (difflib's ratio: 'autsim' and 'autism' are 0.83), at most a few of them.
CORRECTION_MIN_RATIO = 0.8
CORRECTIONS_PER_WORD = 3


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


def _key(search_kind: SearchKind, value: object) -> object:
    """A record id as the model has it (SQLite hands UUIDs back as hex strings)."""
    if search_kind.uuid_keys and not isinstance(value, uuid.UUID):
        return uuid.UUID(str(value))
    return value


@dataclass(frozen=True)
class Hit:
    object_id: object
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
    search_kind = kind_for(kind)
    candidates = backend().candidates(kind=kind, query=wanted, scopes=scopes)
    hits = [Hit(_key(search_kind, key), score(wanted, text)) for key, text in candidates]
    hits = [hit for hit in hits if hit.score >= MIN_SCORE]
    hits.sort(key=lambda hit: str(hit.object_id).zfill(40), reverse=True)  # newest id first
    hits.sort(key=lambda hit: -hit.score)
    return hits[:limit]


# -- word kinds -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WordMatch:
    """Every record of a word kind matching a query: `sql` selects (object_id, rank, title),
    higher rank better, for the app to join to its own filters."""

    kind: str
    query: WordQuery
    sql: str
    params: list
    corrected: bool = False

    def ids_sql(self) -> tuple[str, list]:
        """SQL selecting the matching record ids (for `pk__in=RawSQL(...)`)."""
        return f"SELECT m.object_id FROM ({self.sql}) m", list(self.params)


def _any_row(sql: str, params: list) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM ({sql}) m LIMIT 1", params)
        return cursor.fetchone() is not None


def _corrections(kind: str, query: WordQuery) -> WordQuery:
    """The query with, beside each word of 4 letters or more, the title words most like it."""
    words = [p[0] for group in query.groups for p in group if len(p) == 1 and len(p[0]) >= 4]
    if not words:
        return query
    title_words = {
        word
        for title in backend().title_candidates(kind=kind, words=words)
        for word in title.split()
        if len(word) >= 3 and word not in STOPWORDS
    }
    groups = []
    for group in query.groups:
        extra: list[Phrase] = []
        for phrase in group:
            if len(phrase) != 1 or len(phrase[0]) < 4:
                continue
            alike = sorted(
                (
                    (difflib.SequenceMatcher(None, phrase[0], word).ratio(), word)
                    for word in title_words
                    if word != phrase[0]
                ),
                reverse=True,
            )
            extra += [
                (word,)
                for ratio, word in alike[:CORRECTIONS_PER_WORD]
                if ratio >= CORRECTION_MIN_RATIO
            ]
        groups.append(group + tuple(p for p in dict.fromkeys(extra) if p not in group))
    return WordQuery(groups=tuple(groups))


def search_match(
    *,
    kind: str,
    query: str | WordQuery,
    synonyms: Sequence[Sequence[Phrase]] = (),
    scopes: Collection[int] | None = None,
) -> WordMatch | None:
    """Every record of a word kind matching the query (None when it has no words to look
    for), limited to documents in `scopes` (None: all). When no record has the words, misspelt words are read as the title words most like
    them ('autsim' as 'autism'): one statement to check, one to look them up."""
    parsed = query if isinstance(query, WordQuery) else parse_words(query, synonyms)
    if parsed.empty:
        return None
    search_backend = backend()
    sql, params = search_backend.word_match_sql(kind=kind, query=parsed, scopes=scopes)
    if _any_row(sql, params):
        return WordMatch(kind=kind, query=parsed, sql=sql, params=params)
    corrected = _corrections(kind, parsed)
    if corrected == parsed:
        return WordMatch(kind=kind, query=parsed, sql=sql, params=params)
    sql, params = search_backend.word_match_sql(kind=kind, query=corrected, scopes=scopes)
    return WordMatch(kind=kind, query=corrected, sql=sql, params=params, corrected=True)


def search_ranked(
    match: WordMatch, *, within: QuerySet | None = None, limit: int = 20, offset: int = 0
) -> tuple[list, int]:
    """One page of the matches (best first, then by title) that are also in `within` (a
    queryset of the kind's model: its filters), and how many there are in all: one statement.

    `within` is asked once per match (a correlated EXISTS on the primary key), so a selective
    keyword never scans the whole table for the filters; filters every document carries are
    cheaper as scopes (`search_match(scopes=...)`)."""
    search_kind = kind_for(match.kind)
    sql, params = match.sql, list(match.params)
    where, where_params = "", []
    if within is not None:
        correlated = within.order_by().filter(pk=RawSQL("m.object_id", ())).values("pk")
        within_sql, within_params = correlated.query.sql_with_params()
        where, where_params = f" WHERE EXISTS ({within_sql})", list(within_params)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT m.object_id, COUNT(*) OVER () FROM ({sql}) m{where} "
            "ORDER BY m.rank DESC, m.title, m.object_id LIMIT %s OFFSET %s",
            [*params, *where_params, limit, offset],
        )
        rows = cursor.fetchall()
        if rows:
            total = rows[0][1]
        elif offset:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) m{where}", [*params, *where_params])
            total = cursor.fetchone()[0]
        else:
            total = 0
    return [_key(search_kind, row[0]) for row in rows], total


# -- upkeep ---------------------------------------------------------------------------------------


def _document(search_kind: SearchKind, row: tuple) -> SearchDocument:
    pk, text, scope, *rest = row
    title = rest[0] if rest else ""
    if search_kind.words:
        text, title = fold(text), fold(title)[:TITLE_CHARS] or fold(text)[:TITLE_CHARS] or "-"
    else:
        text, title = normalise(text), normalise(title)[:TITLE_CHARS]
    return SearchDocument(
        kind=search_kind.key, **{search_kind.key_column: pk}, text=text, scope=scope, title=title
    )


def search_index_update(*, kind: str, ids: Iterable[object] | None = None) -> int:
    """(Re)write the index rows of these records (all records of the kind when ids is None)."""
    search_kind = kind_for(kind)
    ids = None if ids is None else list(ids)
    documents = [_document(search_kind, row) for row in search_kind.documents(ids)]
    search_backend = backend()
    with transaction.atomic():
        if ids is None:
            search_backend.remove_kind(kind)
            SearchDocument.objects.filter(kind=kind).delete()
        else:
            old = SearchDocument.objects.filter(kind=kind, **{f"{search_kind.key_column}__in": ids})
            search_backend.remove(list(old.values_list("pk", flat=True)))
            old.delete()
        rows = SearchDocument.objects.bulk_create(documents, batch_size=2000)
        if ids is None:
            search_backend.fill_kind(kind)
        elif not all(r.pk for r in rows):
            search_backend.rebuild()
        else:
            search_backend.write(rows)
    return len(rows)


def search_index_remove(*, kind: str, ids: Iterable[object]) -> None:
    search_kind = kind_for(kind)
    with transaction.atomic():
        rows = SearchDocument.objects.filter(
            kind=kind, **{f"{search_kind.key_column}__in": list(ids)}
        )
        backend().remove(list(rows.values_list("pk", flat=True)))
        rows.delete()


def search_reindex_all() -> dict[str, int]:
    return {k.key: search_index_update(kind=k.key) for k in kinds()}


def search_index_repair() -> list[str]:
    """Put the index back in step with the records if anything moved it out: a kind whose
    document count differs from its table's is reindexed; full-text tables that are missing or
    hold the wrong number of rows are rebuilt. Runs after every `migrate` (a migration that
    remakes a table, or a restored backup, can leave the index behind). Returns what it did."""
    tables = set(connection.introspection.table_names())
    if SearchDocument._meta.db_table not in tables:
        return []
    repaired = []
    # The full-text tables first: reindexing a kind writes to them.
    search_backend = backend()
    if not search_backend.in_step():
        with transaction.atomic():
            search_backend.create_tables()
            search_backend.rebuild()
        repaired.append("full-text tables")
    for search_kind in kinds():
        if search_kind.model._meta.db_table not in tables:
            continue
        indexed = SearchDocument.objects.filter(kind=search_kind.key).count()
        if indexed != search_kind.model._default_manager.count():
            search_index_update(kind=search_kind.key)
            repaired.append(search_kind.key)
    return repaired
