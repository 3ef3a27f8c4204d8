"""Production settings refuse to start without secrets; the demo and bench commands work."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from ehc.models import Case

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _check(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS")}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = _check({"DJANGO_DEBUG": "0", "ALLOWED_HOSTS": "ehc.example.gov.uk"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DJANGO_DEBUG=0" in result.stderr


def test_production_mode_refuses_to_start_without_allowed_hosts():
    result = _check({"DJANGO_DEBUG": "0", "SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_mode_starts_with_both():
    result = _check(
        {"DJANGO_DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "ehc.example.gov.uk"}
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_seed_demo_if_empty_does_nothing_the_second_time():
    call_command("seed_demo", cases=20, force=True, stdout=StringIO())
    count = Case.objects.count()
    out = StringIO()
    call_command("seed_demo", cases=20, if_empty=True, force=True, stdout=out)
    assert Case.objects.count() == count and "nothing to do" in out.getvalue()


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_seed_demo_refuses_known_passwords_in_production():
    with pytest.raises(CommandError):
        call_command("seed_demo", cases=1, stdout=StringIO())


def test_bench_prints_one_json_object_of_figures():
    """Run as the README says, in its own process: it makes and drops its own scratch database."""
    result = subprocess.run(
        [sys.executable, "manage.py", "bench", "--cases", "60", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    for key in [
        "cases",
        "deadline_rows",
        "seed_s",
        "peak_rss_mb",
        "queue_s",
        "dashboard_s",
        "dashboard_sql_floor_s",
        "sweep_s",
    ]:
        assert key in figures, key
    assert figures["cases"] == 60 and figures["deadline_rows"] > 60
