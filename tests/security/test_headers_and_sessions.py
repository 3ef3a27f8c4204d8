"""Headers on pages with personal data; session lifetimes; passwords; signing out everywhere."""

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ehc.security.sessions import LAST_SEEN, SIGNED_IN_AT

pytestmark = pytest.mark.django_db


def test_a_case_page_has_csp_with_a_nonce_and_no_store(client, caseworker, make_case):
    case = make_case()
    client.force_login(caseworker)
    response = client.get(reverse("ehc:case_detail", args=[case.pk]))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert "no-store" in response["Cache-Control"]
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    # No inline script at all: every <script> has a src.
    page = response.content.decode()
    assert "<script>" not in page and '<script type="module">' not in page


def test_csv_downloads_are_not_stored(client, manager, make_case):
    make_case()
    client.force_login(manager)
    response = client.get(reverse("dashboards:deadlines") + "?format=csv&table=deadlines")
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]


def test_public_pages_too(client, db):
    response = client.get(reverse("request:start"))
    assert "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response


def test_production_settings_turn_on_hsts_and_https(settings):
    import os
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE)"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"},
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "ehc.example.gov.uk",
    }
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        cwd=str(settings.BASE_DIR),
        timeout=120,
    )
    assert out.stdout.split()[-5:] == ["False", "True", "31536000", "True", "True"], out.stderr


def test_passwords_need_twelve_characters_and_not_a_common_one():
    with pytest.raises(ValidationError):
        validate_password("short-pw-1")
    with pytest.raises(ValidationError):
        validate_password("password1234")  # common
    validate_password("violet-harbour-lamp")


def _age_session(client: Client, *, idle: int = 0, since_sign_in: int = 0) -> None:
    session = client.session
    now = int(time.time())
    session[LAST_SEEN] = now - idle
    session[SIGNED_IN_AT] = now - since_sign_in
    session.save()


def test_staff_are_signed_out_after_30_minutes_idle(client, caseworker):
    client.force_login(caseworker)
    _age_session(client, idle=29 * 60, since_sign_in=29 * 60)
    assert client.get("/staff/").status_code == 200
    _age_session(client, idle=31 * 60, since_sign_in=60 * 60)
    response = client.get("/staff/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_staff_are_signed_out_12_hours_after_signing_in_however_busy(client, caseworker):
    client.force_login(caseworker)
    _age_session(client, idle=10, since_sign_in=12 * 3600 + 60)
    response = client.get("/staff/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_families_have_a_longer_idle_time(client, parent_user, settings):
    client.force_login(parent_user)
    _age_session(client, idle=2 * 3600, since_sign_in=13 * 3600)
    assert client.get(reverse("family:case_list")).status_code == 200
    _age_session(client, idle=settings.EHC_FAMILY_SESSION_IDLE_SECONDS + 60)
    assert client.get(reverse("family:case_list")).status_code == 302


def test_the_session_expiry_follows_the_idle_time(client, caseworker, settings):
    client.force_login(caseworker)
    _age_session(client, idle=60)
    client.get("/staff/")
    assert client.session.get_expiry_age() == settings.EHC_STAFF_SESSION_IDLE_SECONDS


def test_changing_the_password_signs_out_every_other_session(parent_user):
    laptop, phone = Client(), Client()
    for c in (laptop, phone):
        assert (
            c.post(
                reverse("login"), {"username": "pat@example.com", "password": "test-password-1"}
            ).status_code
            == 302
        )
        assert c.get(reverse("family:case_list")).status_code == 200
    parent_user.set_password("a-new-long-password-2026")
    parent_user.save()
    assert phone.get(reverse("family:case_list")).status_code == 302
    assert laptop.get(reverse("family:case_list")).status_code == 302
