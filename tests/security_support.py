"""Test support for the staff second factor (ehc/security/second_factor.py).

Tests sign staff in with ``client.force_login(user)``; tests/conftest.py makes that also pass
the second factor (as a real sign-in followed by a code would), so a test about casework need
not know about it. Tests about the second factor itself use ``password_only_login``, which
signs in exactly as a password alone does. Browser tests sign in through the pages and call
``complete_second_factor(page, user)`` for the code step.
"""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from ehc.security.second_factor import current_code, needs_second_factor

_original_force_login = Client.force_login
TEST_DEVICE_NAME = "Test authenticator"


def authenticator_for(user) -> TOTPDevice:
    """The user's confirmed authenticator, made if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TEST_DEVICE_NAME, confirmed=True)
    return device


def mark_verified(client: Client, user) -> None:
    """Record in the client's session that this user passed the second factor."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
    session.save()


def force_login_verified(client: Client, user, backend=None) -> None:
    _original_force_login(client, user, backend)
    if needs_second_factor(user):
        mark_verified(client, user)


def password_only_login(client: Client, user, backend=None) -> None:
    """Signed in with the password, without the second factor."""
    _original_force_login(client, user, backend)


def code_now(user) -> str:
    """The code the user's authenticator app would show now (reuse of a code is refused, so
    the device forgets the last code it accepted first)."""
    device = authenticator_for(user)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return current_code(device)


def enrolment_link_from_outbox(user) -> str:
    """The path of the newest set-up link emailed to this user."""
    import re

    from django.core import mail

    sent = [m for m in mail.outbox if user.email in m.to and "authenticator" in m.subject]
    assert sent, f"no set-up link was emailed to {user.email}"
    return re.search(r"https?://[^/\s]+(/sign-in/set-up-authenticator/\S+/)", sent[-1].body)[1]


def open_enrolment_link(page, user) -> None:
    """On the "you need a set-up link" page: have it emailed and open it as its owner (an
    account with no email address gets one issued, as a manager would)."""
    from ehc.security.second_factor import enrolment_link_issue

    if user.email:
        page.get_by_role("button", name="Email me a set-up link").click()
        page.goto(enrolment_link_from_outbox(user))
    else:
        page.goto(enrolment_link_issue(user=user))


def _code_from_key_on_page(page) -> str:
    """The code an authenticator app would show after scanning the enrolment page's key."""
    import base64
    import re
    import time

    from django_otp.oath import TOTP

    secret = re.sub(r"\s", "", page.locator("#secret-key").text_content())
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key)
    totp.time = time.time()
    return f"{totp.token():06d}"


def complete_second_factor(page, user) -> None:
    """In a Playwright page just past the password: enter the code (setting up the app first,
    from the key the page shows, if this user has none)."""
    if "/sign-in/set-up-authenticator/" in page.url:
        if page.get_by_role("button", name="Email me a set-up link").count():
            open_enrolment_link(page, user)
        page.get_by_text("I cannot scan the QR code").click()
        page.get_by_label("Code from the app").fill(_code_from_key_on_page(page))
        page.get_by_role("button", name="Set up").click()
        with page.expect_navigation():
            page.get_by_role("link", name="I have saved my codes, continue").click()
        return
    page.get_by_label("Code", exact=True).fill(code_now(user))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


def browser_sign_in(page, username: str, password: str = "test-password-1") -> None:
    """Sign in through the pages as a person would, second factor included for staff."""
    from ehc.models import User

    page.goto("/sign-in/")
    page.get_by_label("Username or email address").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if "/sign-in/code/" in page.url or "/sign-in/set-up-authenticator/" in page.url:
        user = User.objects.get(username=username)
        complete_second_factor(page, user)
