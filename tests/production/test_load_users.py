"""The load benchmark's logins: one authenticator each, codes computed as the locust users do,
held open tasks shared out; and `bench --existing` measures a database as it stands."""

import json
import os
import stat
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ehc import demo
from ehc.models import User
from workflows.models import QueueEntry

pytestmark = pytest.mark.django_db


def _locust_code(login: dict) -> str:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    from load_codes import totp_code

    return totp_code(login, time.time())


def test_each_load_login_signs_in_with_its_own_code(tmp_path, client, settings):
    demo.seed_cases(30, seed=5)
    out = tmp_path / "logins.json"
    call_command(
        "seed_load_users", "--caseworkers", "4", "--managers", "2", "--out", str(out), "--force"
    )
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    logins = json.loads(out.read_text())
    assert [login["role"] for login in logins] == ["caseworker"] * 4 + ["manager"] * 2
    keys = {login["key"] for login in logins}
    assert len(keys) == 6  # a device of its own each
    for login in logins:
        user = User.objects.get(username=login["username"])
        assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    # Held open tasks went to the load caseworkers of the same team.
    held = QueueEntry.objects.filter(is_open=True, owner__isnull=False)
    assert held.exists()
    assert set(held.values_list("owner__username", flat=True)) <= {
        login["username"] for login in logins if login["role"] == "caseworker"
    }
    # Sign in through the pages as the locust user does: password, then the computed code.
    login = logins[0]
    response = client.post(
        reverse("login"), {"username": login["username"], "password": login["password"]}
    )
    assert response.status_code == 302
    response = client.post(reverse("second_factor_verify"), {"token": _locust_code(login)})
    assert response.status_code == 302
    assert client.get(reverse("workflows:queue")).status_code == 200


def test_bench_existing_measures_the_database_as_it_is_and_keeps_nothing(capsys):
    demo.seed_cases(20, seed=6)
    before = QueueEntry.objects.count()
    call_command("bench", "--existing", "--only", "workflows", "--json")
    figures = json.loads(capsys.readouterr().out)
    assert figures["cases"] == 20 and figures["existing"] is True
    assert figures["queue_queries"] > 0 and len(figures["load_average"]) == 3
    assert QueueEntry.objects.count() == before
