"""Word search: how kinds registered with `words=True` read a query.

A query is parsed once into groups of alternatives: each word (or a phrase on the caller's
synonyms list) becomes a group holding it and its synonyms; a record matches when it matches
every group. Each backend turns the groups into its own query language from words reduced to
letters and digits, so nothing a person types reaches SQL as syntax. Any alphabet is kept
(accents are folded), unlike the trigram kinds' ASCII folding.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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
MAX_GROUPS = 8  # more words than this add nothing but cost
MAX_WORDS = 50
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

Phrase = tuple[str, ...]


def fold(text: str) -> str:
    """Lower case, accents removed, any alphabet kept: 'Zoë's CAFÉ' -> "zoe s cafe"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", bare).lower()))


def words_of(text: str) -> list[str]:
    return fold(text).split()


@dataclass(frozen=True)
class WordQuery:
    """Groups of alternatives; each alternative is a tuple of words (a phrase)."""

    groups: tuple[tuple[Phrase, ...], ...]

    @property
    def empty(self) -> bool:
        return not self.groups

    @property
    def text(self) -> str:
        """The words as typed (first alternative of each group), for misspelling matches."""
        return " ".join(" ".join(group[0]) for group in self.groups)


def synonym_sets(lines: Iterable[str]) -> list[list[Phrase]]:
    """Comma-separated lists of words that mean the same ('ASD, autism') as lists of phrases."""
    sets = []
    for line in lines:
        phrases = [tuple(words_of(w)) for w in line.split(",")]
        phrases = [p for p in phrases if p]
        if len(phrases) > 1:
            sets.append(phrases)
    return sets


def parse_words(text: str, synonyms: Sequence[Sequence[Phrase]] = ()) -> WordQuery:
    """Split a person's words into groups, joining phrases on the synonyms list."""
    words = words_of(text)[:MAX_WORDS]
    phrase_to_set: dict[Phrase, Sequence[Phrase]] = {}
    for phrases in synonyms:
        for phrase in phrases:
            phrase_to_set.setdefault(phrase, phrases)
    longest = max((len(p) for p in phrase_to_set), default=1)
    groups: list[tuple[Phrase, ...]] = []
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
    return WordQuery(groups=tuple(groups))


def fts5_query(query: WordQuery) -> str:
    """SQLite FTS5: every group, any of its phrases; a single word also as a prefix."""
    parts = []
    for group in query.groups:
        alternatives = []
        for phrase in group:
            quoted = '"' + " ".join(phrase) + '"'
            if len(phrase) == 1 and len(phrase[0]) >= 3:
                quoted += "*"  # "therap" finds therapy, therapist
            alternatives.append(quoted)
        parts.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(parts)


def ts_query(query: WordQuery) -> str:
    """PostgreSQL to_tsquery: the same groups, prefixes as `word:*`, phrases with `<->`."""
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
