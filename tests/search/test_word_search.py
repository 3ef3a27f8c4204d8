"""One suite for word search (kinds registered with words=True), run on whichever database the
tests use (SQLite by default, PostgreSQL with DATABASE_URL): the same queries must find the same
records on both backends. Two throwaway kinds: schools (integer keys) and organisations (UUID
keys)."""

import uuid

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehc.models import SearchDocument, Setting
from ehc.search import (
    SearchKind,
    parse_words,
    register,
    search_index_remove,
    search_index_repair,
    search_index_update,
    search_match,
    search_ranked,
    synonym_sets,
)
from ehc.search.registry import _KINDS
from ehc.search.upkeep import search_index_check
from local_offer.models import Organisation

pytestmark = pytest.mark.django_db

SYNONYMS = synonym_sets(["ASD, autism, autistic", "SALT, speech and language therapy"])


def _school_documents(ids):
    rows = Setting.objects.all() if ids is None else Setting.objects.filter(pk__in=ids)
    for school in rows:
        yield school.pk, f"{school.local_authority} {school.get_phase_display()}", None, school.name


def _organisation_documents(ids):
    rows = Organisation.objects.all() if ids is None else Organisation.objects.filter(pk__in=ids)
    for org in rows:
        yield org.pk, org.description, None, org.name


@pytest.fixture
def kinds():
    register(SearchKind(key="test.school", model=Setting, documents=_school_documents, words=True))
    register(
        SearchKind(
            key="test.organisation",
            model=Organisation,
            documents=_organisation_documents,
            words=True,
        )
    )
    yield
    _KINDS.pop("test.school")
    _KINDS.pop("test.organisation")


@pytest.fixture
def schools(kinds):
    made = {}
    for key, name, phase, authority in [
        ("oak", "Oakfield Primary School", "primary", "Leeds"),
        ("birch", "Birchwood Secondary", "secondary", "Leeds"),
        ("elm", "Elm Tree Special School", "all_through", "Bradford"),
        ("ysgol", "Ysgol Gymraeg Llanrhos", "primary", "Conwy"),
        ("cafe", "Café Zoë nursery", "nursery", "Leeds"),
    ]:
        made[key] = Setting.objects.create(
            name=name, kind=Setting.Kind.SCHOOL, phase=phase, local_authority=authority
        )
    search_index_update(kind="test.school")
    return made


@pytest.fixture
def organisations(kinds):
    made = {}
    for key, name, description in [
        ("autism", "Riverside Autism Trust", "A parent-led charity for autistic children."),
        ("speech", "Hillside Speech and Language Therapy", "Private clinic for talking."),
        ("swim", "Aqua swimming club", "Lessons for autistic swimmers and others."),
    ]:
        made[key] = Organisation.objects.create(name=name, description=description)
    search_index_update(kind="test.organisation")
    return made


def _found(kind, query, *, within=None, synonyms=SYNONYMS, limit=20, offset=0):
    match = search_match(kind=kind, query=query, synonyms=synonyms)
    if match is None:
        return []
    return search_ranked(match, within=within, limit=limit, offset=offset)[0]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("oakfield", ["oak"]),
        ("oak", ["oak"]),  # a prefix
        ("schools", ["elm", "oak"]),  # stemmed: schools, school
        ("Leeds primary", ["oak"]),  # every word, title or text
        ("Oakfeild", ["oak"]),  # a misspelling, read as the title word most like it
        ("ysgol", ["ysgol"]),
        ("zoe", ["cafe"]),  # accents folded
        ("CAFÉ", ["cafe"]),
        ("zebra", []),
        ('"; DROP TABLE ehc_searchdocument; --', []),  # punctuation never reaches SQL
        ("the and of", []),  # only stopwords: nothing to look for
    ],
)
def test_finds_records_by_their_words(schools, query, expected):
    found = _found("test.school", query)
    assert sorted(found) == sorted(schools[k].pk for k in expected)


def test_title_counts_above_text(schools):
    Setting.objects.filter(pk=schools["birch"].pk).update(local_authority="Oakfield ward")
    search_index_update(kind="test.school", ids=[schools["birch"].pk])
    assert _found("test.school", "oakfield") == [schools["oak"].pk, schools["birch"].pk]


def test_uuid_keys_synonyms_and_phrases(organisations):
    autism, speech, swim = (organisations[k].pk for k in ("autism", "speech", "swim"))
    assert all(isinstance(pk, uuid.UUID) for pk in _found("test.organisation", "ASD"))
    assert set(_found("test.organisation", "ASD")) == {autism, swim}
    assert _found("test.organisation", "SALT") == [speech]
    assert _found("test.organisation", "SALT", synonyms=()) == []
    assert _found("test.organisation", "autism swimming") == [swim]
    assert _found("test.organisation", "swiming") == [swim]  # misspelt


def test_ranked_within_filters_pages_and_counts(schools):
    leeds = Setting.objects.filter(local_authority="Leeds")
    match = search_match(kind="test.school", query="school")
    assert search_ranked(match, within=leeds) == ([schools["oak"].pk], 1)
    match = search_match(kind="test.school", query="leeds")
    first, total = search_ranked(match, limit=2)
    second, _ = search_ranked(match, limit=2, offset=2)
    assert total == 3 and len(first) == 2 and len(second) == 1
    assert set(first + second) == {schools[k].pk for k in ("oak", "birch", "cafe")}
    assert search_ranked(match, limit=2, offset=10) == ([], 3)


def test_parse_joins_synonym_phrases():
    parsed = parse_words("speech and language therapy for my ASD son", SYNONYMS)
    flat = [set(group) for group in parsed.groups]
    assert ("salt",) in flat[0]
    assert ("autism",) in flat[1]
    assert flat[2] == {("son",)}


def test_update_and_remove_keep_the_index_in_step(schools):
    oak = schools["oak"]
    Setting.objects.filter(pk=oak.pk).update(name="Acorn Primary")
    search_index_update(kind="test.school", ids=[oak.pk])
    assert _found("test.school", "oakfield") == []
    assert _found("test.school", "acorn") == [oak.pk]
    search_index_remove(kind="test.school", ids=[oak.pk])
    assert _found("test.school", "acorn") == []
    assert SearchDocument.objects.filter(kind="test.school").count() == 4


def test_repair_reindexes_a_kind_left_behind(schools):
    SearchDocument.objects.filter(kind="test.school").delete()  # e.g. a restored backup
    assert _found("test.school", "oakfield") == []
    assert "test.school" in search_index_repair()
    assert _found("test.school", "oakfield") == [schools["oak"].pk]
    assert search_index_repair() == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps FTS5 tables")
def test_repair_rebuilds_lost_full_text_tables(schools):
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE ehc_search_words")
    search_index_check(sender=None)  # what runs after every migrate
    assert _found("test.school", "oakfield") == [schools["oak"].pk]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM ehc_search_fts")
    search_index_check(sender=None)
    assert _found("test.school", "Oakfeild") == [schools["oak"].pk]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=80))
def test_any_text_is_a_safe_query(schools, query):
    match = search_match(kind="test.school", query=query, synonyms=SYNONYMS)
    if match is not None:
        ids, total = search_ranked(match)
        assert total >= len(ids)
