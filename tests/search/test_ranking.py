"""The search ranks every match in the database, the same way on SQLite and PostgreSQL: what
it returns is what scoring every document one by one (`ehc.search.service.score`) would give,
however many documents match, and misspelt words are corrected against the indexed names."""

from datetime import date

import pytest

from ehc.models import SearchDocument, SearchWord, Setting
from ehc.search import normalise, search, search_index_update
from ehc.search.cases import case_search
from ehc.search.service import MIN_SCORE, edits, score

pytestmark = pytest.mark.django_db

NAMES = [
    "Hillside Primary School",
    "Hillsides Academy",
    "Hill Side Nursery",
    "Oakfield Primary School",
    "Oak Field Infants",
    "St Mary's Catholic Primary",
    "Marylebone Sixth Form",
    "Ashdown 16 Plus",
    "Riverside Special School",
    "Brook Hill College",
]


@pytest.fixture
def register():
    Setting.objects.bulk_create(
        [
            Setting(name=name, kind=Setting.Kind.SCHOOL, postcode=f"LS{i} {i}AB")
            for i, name in enumerate(NAMES, start=1)
        ]
    )
    search_index_update(kind="setting")


def _by_hand(query: str) -> list[tuple[int, float]]:
    """Every setting document scored in Python: those holding every word of the query, at
    least MIN_SCORE, best first then newest."""
    wanted = normalise(query)
    scored = [
        (document.object_id, score(wanted, document.text))
        for document in SearchDocument.objects.filter(kind="setting")
        if all(word in document.text for word in wanted.split())
    ]
    scored = [pair for pair in scored if pair[1] >= MIN_SCORE]
    return sorted(scored, key=lambda pair: (-pair[1], -pair[0]))


@pytest.mark.parametrize(
    "query", ["hill", "Hillside", "hill side", "primary school", "oak", "mary", "16 plus", "ls1"]
)
def test_the_database_ranks_as_scoring_each_document_would(register, query):
    hits = search(kind="setting", query=query)
    expected = _by_hand(query)
    assert [hit.object_id for hit in hits] == [pk for pk, _ in expected]
    assert [hit.score for hit in hits] == pytest.approx([found for _, found in expected])
    assert hits


def test_more_matches_than_a_page_give_the_best_page(register):
    Setting.objects.bulk_create(
        [Setting(name=f"Hillside Annexe {i}", kind=Setting.Kind.SCHOOL) for i in range(400)]
    )
    search_index_update(kind="setting")
    substring_only = Setting.objects.get(name="Hillsides Academy").pk
    hits = search(kind="setting", query="hillside", limit=50)
    whole_word = sorted(
        Setting.objects.filter(name__startswith="Hillside ").values_list("pk", flat=True),
        reverse=True,
    )
    assert [hit.object_id for hit in hits] == whole_word[:50]
    everything = search(kind="setting", query="hillside", limit=1000)
    assert [hit.object_id for hit in everything][-1] == substring_only
    assert len(everything) == len(whole_word) + 1


@pytest.mark.parametrize("query", ["Hillsdie", "Okafield primary", "Riversdie"])
def test_a_misspelt_word_is_read_as_the_names_like_it(register, query):
    hits = search(kind="setting", query=query)
    assert hits
    best = Setting.objects.get(pk=hits[0].object_id)
    assert best.name.split()[0].lower()[:4] == normalise(query)[:4].replace("okaf", "oakf")


def test_edits_count_a_swapped_pair_as_one():
    assert edits("okfaor", "okafor") == 1
    assert edits("kahn", "khan") == 1
    assert edits("okafr", "okafor") == 1
    assert edits("smith", "smyth") == 1
    assert edits("hughes", "hughes") == 0
    assert edits("abc", "") == 3


def test_a_new_name_is_corrected_to_at_once(make_case, manager):
    case = make_case(first_name="Ksenia", last_name="Wojciechowska", date_of_birth=date(2015, 2, 1))
    assert SearchWord.objects.filter(kind="case", word="wojciechowska").exists()
    assert [c.pk for c in case_search(user=manager, query="Ksenia Wojceichowska")] == [case.pk]


def test_a_reference_number_is_not_a_name_to_correct_to(make_case):
    case = make_case()
    for part in normalise(case.reference).split():
        if part.isalpha() and part != "ehc":
            assert not SearchWord.objects.filter(kind="case", word=part).exists()
