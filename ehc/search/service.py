"""Search and index upkeep, the same for every backend."""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from ehc.models import SearchDocument, SearchWord
from ehc.search.backends import SearchBackend, backend
from ehc.search.registry import SearchKind, kind_for, kinds
from ehc.search.words import STOPWORDS, Phrase, WordQuery, fold, parse_words

MAX_QUERY_CHARS = 100  # longer queries are cut: no one remembers more of a case than this
MIN_QUERY_CHARS = 3  # a trigram; shorter queries match too much to mean anything
MIN_SCORE = 0.45  # share of the query's trigrams a document must contain
NOT_TEXT = re.compile(r"[^0-9a-z]+")
TITLE_CHARS = 300
# A misspelt word (4 letters or more) is read as at most this many indexed words like it.
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


def _pattern(trigram: str) -> str:
    """What a trigram is found as in a text padded with one space each side: a word's first
    letter ('  a') as ' a'; the others as they are (' am' starts a word, 'ia ' ends one)."""
    return trigram[1:] if trigram.startswith("  ") else trigram


def _score_sql(search_backend: SearchBackend, query: str) -> tuple[str, list]:
    """`score(query, d.text)` as one SQL expression, the same number on every database: the
    query as typed in whole words (2), anywhere (1.5), else the share of its trigrams found."""
    padded = "(' ' || d.text || ' ')"
    wanted = sorted(_trigrams(query))
    found = " + ".join(search_backend.as_number(search_backend.contains(padded)) for _ in wanted)
    sql = (
        f"CASE WHEN {search_backend.contains(padded)} THEN 2.0 "
        f"WHEN {search_backend.contains('d.text')} THEN 1.5 "
        f"ELSE {search_backend.as_real(f'({found})')} / {len(wanted)} END"
    )
    return sql, [f" {query} ", query, *[_pattern(g) for g in wanted]]


def _statement(
    kind: str, query: str, groups: list[list[str]], scopes: Collection[int] | None, limit: int
) -> tuple[str, list]:
    """Every document of `kind` in `scopes` holding, for each group, one of its words (as a
    substring), scored in SQL, at least MIN_SCORE, best first then newest: one statement."""
    search_backend = backend()
    key = kind_for(kind).key_column
    score_sql, score_params = _score_sql(search_backend, query)
    source, source_params = search_backend.trigram_source(kind=kind, groups=groups, scopes=scopes)
    sql = (
        f"WITH found AS MATERIALIZED (SELECT d.{key} AS object_id, {score_sql} AS score "
        f"{source}) SELECT object_id, score FROM found WHERE score >= %s "
        "ORDER BY score DESC, object_id DESC LIMIT %s"
    )
    return sql, [*score_params, *source_params, MIN_SCORE, limit]


def search_statements(
    *, kind: str, query: str, scopes: Collection[int] | None = None, limit: int = 50
) -> Iterator[tuple[str, list]]:
    """The statements `search` runs in turn until one finds something: every word of the
    query in the text; then, with each misspelt word also read as the indexed words most like
    it ('okfaor' as 'okafor'), the same. Nothing for a query too short to mean anything."""
    wanted = normalise(query[: MAX_QUERY_CHARS * 4])[:MAX_QUERY_CHARS].strip()
    if len(wanted.replace(" ", "")) < MIN_QUERY_CHARS:
        return
    if scopes is not None and not scopes:
        return
    words = list(dict.fromkeys(wanted.split()))
    long_words = [w for w in words if len(w) >= 3]
    # Every word present; a query of only short words ('ab cd'), as typed.
    groups = [[w] for w in words] if long_words else [[wanted]]
    yield _statement(kind, wanted, groups, scopes, limit)
    alternatives = _alternatives(kind, long_words)
    if any(alternatives.values()):
        groups = [[w, *alternatives.get(w, [])] for w in long_words]
        yield _statement(kind, wanted, groups, scopes, limit)


def search(
    *, kind: str, query: str, scopes: Collection[int] | None = None, limit: int = 50
) -> list[Hit]:
    """Records of `kind` matching `query` best first (`score`, then newest); `scopes` (None:
    all) limits them. Scored and cut to `limit` in the database."""
    search_kind = kind_for(kind)
    for sql, params in search_statements(kind=kind, query=query, scopes=scopes, limit=limit):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if rows:
            return [Hit(_key(search_kind, key), float(found)) for key, found in rows]
    return []


def edits(a: str, b: str) -> int:
    """Letters to add, remove, change or swap with a neighbour to make `a` into `b`
    (optimal string alignment distance): 'okfaor' -> 'okafor' is 1."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def _alternatives(kind: str, words: list[str]) -> dict[str, list[str]]:
    """For each word of 4 letters or more: the other indexed words within one edit of it (two
    from 7 letters), closest first, at most a few. One statement: the indexed words of a like
    length that share its first letter or two letters together."""
    typed = [w for w in words if len(w) >= 4 and w.isalpha()]
    if not typed:
        return {}
    clauses: list[str] = []
    params: list[int | str] = []
    for word in typed:
        pieces = list(dict.fromkeys(word[i : i + 2] for i in range(len(word) - 1)))
        clauses.append(
            "(length(word) BETWEEN %s AND %s AND (word LIKE %s"
            + " OR word LIKE %s" * len(pieces)
            + "))"
        )
        params += [len(word) - 2, len(word) + 2, f"{word[0]}%", *[f"%{p}%" for p in pieces]]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT word FROM ehc_searchword WHERE kind = %s AND ({' OR '.join(clauses)})",
            [kind, *params],
        )
        known = {row[0] for row in cursor.fetchall()}
    found: dict[str, list[str]] = {}
    for word in typed:
        most = 1 if len(word) < 7 else 2
        close = sorted((edits(word, other), other) for other in known if other != word)
        found[word] = [other for distance, other in close if distance <= most][
            :CORRECTIONS_PER_WORD
        ]
    return found


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
    """The query with, beside each word of 4 letters or more, the indexed title words within an
    edit or two of it ('autsim' beside 'autism'): one statement over the kind's word list."""
    alternatives = _alternatives(
        kind, [p[0] for group in query.groups for p in group if len(p) == 1]
    )
    if not any(alternatives.values()):
        return query
    groups = []
    for group in query.groups:
        extra = [
            (word,)
            for phrase in group
            if len(phrase) == 1
            for word in alternatives.get(phrase[0], [])
            if word not in STOPWORDS
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
    for), limited to documents in `scopes` (None: all). When no record has the words, misspelt
    words are read as the title words like them ('autsim' as 'autism'): one statement to check,
    one to look them up."""
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
            SearchWord.objects.filter(kind=kind).delete()
        _words_add(kind, documents)
        if ids is None:
            search_backend.fill_kind(kind)
        elif not all(r.pk for r in rows):
            search_backend.rebuild()
        else:
            search_backend.write(rows)
    return len(rows)


MAX_WORD_CHARS = 40


def _words_add(kind: str, documents: list[SearchDocument]) -> None:
    """The words misspellings are corrected against: the letters-only words of 3 letters or
    more of each document's title (its names), or of its text when it has none."""
    words = {
        word
        for document in documents
        for word in (document.title or document.text).split()
        if 3 <= len(word) <= MAX_WORD_CHARS and word.isalpha()
    }
    SearchWord.objects.bulk_create(
        [SearchWord(kind=kind, word=word) for word in sorted(words)],
        batch_size=2000,
        ignore_conflicts=True,
    )


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
        no_words = (
            SearchWord._meta.db_table in tables
            and indexed
            and not SearchWord.objects.filter(kind=search_kind.key).exists()
        )
        if no_words or indexed != search_kind.model._default_manager.count():
            search_index_update(kind=search_kind.key)
            repaired.append(search_kind.key)
    return repaired
