"""Templates ask the roles catalogue by name (`can.<name>`), never for a codename."""

import re
from pathlib import Path

import pytest

from ehc import roles
from ehc.context_processors import Capabilities

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = [p for p in ROOT.glob("*/templates/**/*.html") if "node_modules" not in p.parts]


def test_no_template_names_a_permission_codename():
    offenders = [str(p.relative_to(ROOT)) for p in TEMPLATES if "perms." in p.read_text()]
    assert offenders == []


def test_every_capability_a_template_asks_for_is_in_the_catalogue():
    asked = {name for p in TEMPLATES for name in re.findall(r"\bcan\.([a-z_]+)", p.read_text())}
    assert asked and asked <= set(roles.CAPABILITIES), asked - set(roles.CAPABILITIES)


@pytest.mark.django_db
def test_can_answers_from_the_role_s_permissions(caseworker, manager, parent_user):
    assert Capabilities(caseworker).progress_case and not Capabilities(caseworker).reassign_case
    assert Capabilities(manager).reassign_case and Capabilities(manager)["view_dashboards"]
    assert Capabilities(parent_user).view_own_case and not Capabilities(parent_user).progress_case
    with pytest.raises(AttributeError):
        Capabilities(manager).no_such_thing  # noqa: B018


def test_an_app_s_role_joins_the_catalogue():
    assert roles.CAPABILITIES["approve_change"] == "local_offer.approve_change"
    assert "local_offer.approve_change" in roles.ROLE_PERMISSIONS["local_offer_officer"]
    with pytest.raises(ValueError, match="already names"):
        roles.role_register("x", [], capabilities={"progress_case": "ehc.view_case"})
