"""The sign-in backend's permission check: the user's own and their groups' permissions, read
in one query, exactly as Django's ModelBackend reads them in two."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

from ehc import roles
from ehc.auth_backends import EmailOrUsernameBackend
from ehc.models import User

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # no permission cache from earlier checks


def _permission(codename: str) -> Permission:
    return Permission.objects.get(codename=codename)


def test_own_and_group_permissions_are_both_read_in_one_query(django_assert_num_queries):
    user = User.objects.create_user("both", password="x")
    team = Group.objects.create(name="a group of its own")
    team.permissions.add(_permission(roles.PROGRESS_CASE.split(".")[1]))
    user.groups.add(team)
    user.user_permissions.add(_permission(roles.VIEW_ALL_CASES.split(".")[1]))
    fresh = _fresh(user)
    with django_assert_num_queries(1):
        perms = EmailOrUsernameBackend().get_all_permissions(fresh)
    assert perms == ModelBackend().get_all_permissions(_fresh(user))
    assert {roles.PROGRESS_CASE, roles.VIEW_ALL_CASES} <= perms
    assert _fresh(user).has_perm(roles.PROGRESS_CASE) and _fresh(user).has_perm(
        roles.VIEW_ALL_CASES
    )


def test_a_permission_in_two_groups_is_counted_once_and_others_are_not_granted():
    user = User.objects.create_user("twice", password="x")
    progress = _permission(roles.PROGRESS_CASE.split(".")[1])
    for name in ("first group", "second group"):
        group = Group.objects.create(name=name)
        group.permissions.add(progress)
        user.groups.add(group)
    perms = EmailOrUsernameBackend().get_all_permissions(_fresh(user))
    assert perms == {roles.PROGRESS_CASE}
    assert not _fresh(user).has_perm(roles.VIEW_ALL_CASES)


def test_inactive_users_have_none_and_superusers_have_all():
    user = User.objects.create_user("gone", password="x", is_active=False)
    user.user_permissions.add(_permission(roles.PROGRESS_CASE.split(".")[1]))
    assert EmailOrUsernameBackend().get_all_permissions(_fresh(user)) == set()
    assert not _fresh(user).has_perm(roles.PROGRESS_CASE)
    boss = User.objects.create_superuser("boss", password="x")
    assert len(EmailOrUsernameBackend().get_all_permissions(_fresh(boss))) == (
        Permission.objects.count()
    )
