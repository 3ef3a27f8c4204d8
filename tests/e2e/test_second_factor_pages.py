"""A caseworker's first sign-in in a real browser: password, the set-up link emailed to them, set
up the app from the key on the page, save the recovery codes, reach the work queue; the next
sign-in asks for a code."""

import pytest

from tests.e2e.conftest import assert_accessible
from tests.security_support import code_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_sign_in_then_a_code(page, new_page, caseworker, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong code below would delay the right one
    from tests.security_support import _code_from_key_on_page, enrolment_link_from_outbox

    caseworker.email = "casey@example.gov.uk"
    caseworker.save()
    page.goto("/sign-in/")
    page.get_by_label("Username or email address").fill("casey")
    page.get_by_label("Password").fill("test-password-1")
    page.get_by_role("button", name="Sign in").click()
    assert "/sign-in/set-up-authenticator/" in page.url
    # The password alone does not set up the app: the link emailed to the work address does.
    assert page.locator(".ehc-qr-code svg").count() == 0
    assert_accessible(page, "second-factor-link-needed")
    page.get_by_role("button", name="Email me a set-up link").click()
    assert "We have emailed a set-up link to c•••@example.gov.uk" in page.inner_text("main")
    page.goto(enrolment_link_from_outbox(caseworker))
    assert "/sign-in/set-up-authenticator/" in page.url
    assert page.locator(".ehc-qr-code svg").count() == 1
    assert_accessible(page, "second-factor-enrol")
    page.get_by_text("I cannot scan the QR code").click()
    page.get_by_label("Code from the app").fill("000000")
    page.get_by_role("button", name="Set up").click()
    assert "There is a problem" in page.locator("main").inner_text()
    page.get_by_label("Code from the app").fill(_code_from_key_on_page(page))
    page.get_by_role("button", name="Set up").click()
    assert page.locator("#recovery-codes li").count() == 10
    assert_accessible(page, "second-factor-recovery-codes")
    page.get_by_role("link", name="I have saved my codes, continue").click()
    assert "Work queue" in page.get_by_role("navigation", name="Menu").inner_text()

    other = new_page()
    other.goto("/staff/")
    other.get_by_label("Username or email address").fill("casey")
    other.get_by_label("Password").fill("test-password-1")
    other.get_by_role("button", name="Sign in").click()
    assert "/sign-in/code/" in other.url
    assert_accessible(other, "second-factor-code")
    other.get_by_label("Code", exact=True).fill(code_now(caseworker))
    other.get_by_role("button", name="Continue").click()
    assert other.url.endswith("/staff/")
