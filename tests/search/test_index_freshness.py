"""The case search index follows every change to what it is made of: the child, the contacts, the
settings named on the case, and the case itself (its team decides who may find it)."""

from datetime import date

import pytest

from ehc.models import Contact, SearchDocument, Setting
from ehc.search.cases import case_search
from ehc.services import ContactDetails, case_assign
from ehc.services.common import save_audited

pytestmark = pytest.mark.django_db


def _found(user, query) -> list[str]:
    return [case.child.first_name for case in case_search(user=user, query=query)]


@pytest.fixture
def amelia(make_case):
    return make_case(
        first_name="Amelia",
        last_name="Brennan",
        date_of_birth=date(2016, 5, 17),
        contacts=[
            ContactDetails(
                full_name="Grace Adeyemi",
                relationship=Contact.Relationship.PARENT,
                email="grace@example.com",
            )
        ],
    )


def test_a_new_case_is_found_at_once(caseworker, amelia):
    assert _found(caseworker, "Brennan") == ["Amelia"]
    assert _found(caseworker, "Grace") == ["Amelia"]


def test_renaming_the_child_moves_the_case_to_the_new_name(caseworker, amelia):
    child = amelia.child
    child.last_name = "Whitfield"
    save_audited(child, acting_user=caseworker)
    assert _found(caseworker, "Whitfield") == ["Amelia"]
    assert _found(caseworker, "Brennan") == []
    assert _found(caseworker, "Grace Adeyemi") == ["Amelia"]  # the parent's name is unchanged


def test_a_corrected_date_of_birth_and_upn_are_found(caseworker, amelia):
    child = amelia.child
    child.date_of_birth = date(2016, 6, 18)
    child.upn = "B987654321098"
    child.save()
    assert _found(caseworker, "18/06/2016") == ["Amelia"]
    assert _found(caseworker, "B987654321098") == ["Amelia"]


def test_a_parent_added_renamed_or_removed(caseworker, amelia):
    contact = Contact.objects.create(
        child=amelia.child,
        full_name="Daniel Mensah",
        relationship=Contact.Relationship.PARENT,
        address="12 Park Road, Leeds LS6 3QE",
    )
    assert _found(caseworker, "Daniel Mensah") == ["Amelia"]
    assert _found(caseworker, "LS6 3QE") == ["Amelia"]
    contact.full_name = "Dan Asante"
    contact.save()
    assert _found(caseworker, "Asante") == ["Amelia"]
    assert _found(caseworker, "Mensah") == []
    contact.delete()
    assert _found(caseworker, "Asante") == []


def test_the_childs_setting_named_and_renamed(caseworker, amelia):
    school = Setting.objects.create(
        name="Oakfield Primary School", kind=Setting.Kind.SCHOOL, phase=Setting.Phase.PRIMARY
    )
    child = amelia.child
    child.current_setting = school
    child.save()
    assert _found(caseworker, "Oakfield") == ["Amelia"]
    school.name = "Beech Hill Academy"
    school.save()
    assert _found(caseworker, "Beech Hill") == ["Amelia"]
    assert _found(caseworker, "Oakfield") == []


def test_moving_the_case_to_another_team_changes_who_finds_it(
    caseworker, other_caseworker, other_team, amelia
):
    assert _found(other_caseworker, "Brennan") == []
    amelia.team = other_team
    amelia.save()
    assert _found(other_caseworker, "Brennan") == ["Amelia"]
    assert SearchDocument.objects.get(kind="case", object_id=amelia.pk).scope == other_team.pk


def test_changes_the_search_text_is_not_made_of_rewrite_nothing(caseworker, amelia):
    row = SearchDocument.objects.get(kind="case", object_id=amelia.pk)
    case_assign(case=amelia, caseworker=caseworker, acting_user=caseworker)
    contact = Contact.objects.get(child=amelia.child)
    contact.phone = "0113 496 0000"
    contact.save()
    assert SearchDocument.objects.get(kind="case", object_id=amelia.pk).pk == row.pk


def test_imported_plans_are_found_and_follow_a_reimport(caseworker):
    """Legacy plans are bulk inserted (no save signals): the import indexes them itself."""
    from ehc.models import Setting as S
    from tests.reviews.conftest import import_rows

    S.objects.create(name="Primary", urn="123456", kind=S.Kind.SCHOOL, phase=S.Phase.PRIMARY)
    import_rows("LEG-1,Ada,Lovelace,2014-03-05,2022-06-01,2025-10-02,2025-10-20,123456,ASD,casey")
    assert _found(caseworker, "Lovlace") == ["Ada"]
    import_rows("LEG-1,Ada,Byron,2014-03-05,2022-06-01,2025-10-02,2025-10-20,123456,ASD,casey")
    assert _found(caseworker, "Byron") == ["Ada"]
