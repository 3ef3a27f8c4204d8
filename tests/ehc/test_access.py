"""ehc.access: who may fetch which case. Anything not visible is a 404, never a hint it exists."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.http import Http404

from ehc import roles
from ehc.access import access_case_by_id, access_case_by_reference, cases_visible_to
from ehc.models import User
from ehc.services import case_assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def our_case(make_case, team):
    return make_case(team=team, last_name="Okafor")


@pytest.fixture
def their_case(make_case, other_team, other_caseworker):
    return make_case(team=other_team, last_name="Nowak", acting_user=other_caseworker)


def ids(queryset):
    return list(queryset.values_list("id", flat=True))


# ---------------------------------------------------------------------------
# Caseworkers
# ---------------------------------------------------------------------------


def test_caseworker_gets_their_own_teams_case(caseworker, our_case):
    assert access_case_by_id(caseworker, our_case.pk) == our_case
    assert access_case_by_reference(caseworker, our_case.reference) == our_case


def test_caseworker_gets_404_for_another_teams_case(caseworker, their_case):
    with pytest.raises(Http404):
        access_case_by_id(caseworker, their_case.pk)
    with pytest.raises(Http404):
        access_case_by_reference(caseworker, their_case.reference)


def test_caseworker_sees_only_their_teams_cases(caseworker, other_caseworker, our_case, their_case):
    assert ids(cases_visible_to(caseworker)) == [our_case.pk]
    assert ids(cases_visible_to(other_caseworker)) == [their_case.pk]


def test_caseworker_sees_a_case_assigned_to_them_in_another_team(caseworker, manager, their_case):
    case_assign(case=their_case, caseworker=caseworker, acting_user=manager)

    assert access_case_by_id(caseworker, their_case.pk) == their_case


def test_visible_cases_have_no_duplicates(
    caseworker, other_caseworker, manager, team, other_team, make_case
):
    # A case can match twice: through several team memberships and through assignment.
    colleagues = [User.objects.create_user(f"colleague{i}") for i in range(3)]
    for colleague in colleagues:
        team.members.add(colleague)
        other_team.members.add(colleague)
    other_team.members.add(caseworker)
    ours = make_case(team=team, last_name="Okafor")
    theirs = make_case(team=other_team, last_name="Nowak")
    case_assign(case=ours, caseworker=caseworker, acting_user=manager)
    case_assign(case=theirs, caseworker=caseworker, acting_user=manager)
    assigned_elsewhere = make_case(team=other_team, last_name="Begum")
    other_team.members.remove(caseworker)
    case_assign(case=assigned_elsewhere, caseworker=caseworker, acting_user=manager)

    visible = ids(cases_visible_to(caseworker))

    assert sorted(visible) == sorted({ours.pk, theirs.pk, assigned_elsewhere.pk})
    assert cases_visible_to(caseworker).count() == 3


def test_caseworker_in_two_teams_sees_both_teams_cases(
    caseworker, other_team, our_case, their_case
):
    other_team.members.add(caseworker)
    assert sorted(ids(cases_visible_to(caseworker))) == sorted([our_case.pk, their_case.pk])


# ---------------------------------------------------------------------------
# Managers
# ---------------------------------------------------------------------------


def test_manager_sees_every_teams_cases(manager, our_case, their_case):
    assert access_case_by_id(manager, our_case.pk) == our_case
    assert access_case_by_id(manager, their_case.pk) == their_case
    assert sorted(ids(cases_visible_to(manager))) == sorted([our_case.pk, their_case.pk])


# ---------------------------------------------------------------------------
# Families
# ---------------------------------------------------------------------------


def test_parent_sees_a_case_where_they_are_a_contact(parent_user, make_case):
    case = make_case(parent=parent_user)
    assert access_case_by_id(parent_user, case.pk) == case


def test_parent_gets_404_for_a_case_where_they_are_not_a_contact(parent_user, make_case):
    make_case(parent=parent_user, last_name="Okafor")
    other = make_case(last_name="Nowak")

    with pytest.raises(Http404):
        access_case_by_id(parent_user, other.pk)


def test_parent_sees_only_their_own_cases(parent_user, make_case):
    mine = make_case(parent=parent_user, last_name="Okafor")
    make_case(last_name="Nowak")
    make_case(last_name="Begum")

    assert ids(cases_visible_to(parent_user)) == [mine.pk]


def test_parent_sees_every_request_for_their_child(parent_user, make_case):
    first = make_case(parent=parent_user)
    second = make_case(child=first.child)

    assert sorted(ids(cases_visible_to(parent_user))) == sorted([first.pk, second.pk])


# ---------------------------------------------------------------------------
# Everyone else
# ---------------------------------------------------------------------------


def test_anonymous_user_gets_404(our_case):
    with pytest.raises(Http404):
        access_case_by_id(AnonymousUser(), our_case.pk)
    assert not cases_visible_to(AnonymousUser()).exists()


def test_inactive_caseworker_gets_404(caseworker, our_case):
    caseworker.is_active = False
    caseworker.save()
    with pytest.raises(Http404):
        access_case_by_id(caseworker, our_case.pk)


def test_user_with_no_role_sees_nothing_even_as_a_team_member(team, our_case):
    stranger = User.objects.create_user("stranger")
    team.members.add(stranger)
    with pytest.raises(Http404):
        access_case_by_id(stranger, our_case.pk)


def test_parent_role_does_not_see_team_cases_through_membership(parent_user, team, our_case):
    team.members.add(parent_user)
    with pytest.raises(Http404):
        access_case_by_id(parent_user, our_case.pk)


@pytest.mark.parametrize("bad_id", ["abc", "1 OR 1=1", "", None, 10**12])
def test_malformed_or_unknown_id_gets_404(caseworker, our_case, bad_id):
    with pytest.raises(Http404):
        access_case_by_id(caseworker, bad_id)


def test_role_groups_hold_the_catalogue_permissions():
    for role, perms in roles.ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(perms)
