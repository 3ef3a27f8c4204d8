"""Staff sign in with a password and a second factor; families with a password only."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ehc.models import User
from ehc.security.second_factor import current_code
from tests.security_support import (
    authenticator_for,
    code_now,
    enrolment_link_from_outbox,
    password_only_login,
)

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    "/staff/",
    "/staff/dashboards/",
    "/staff/conversions/",
    "/admin/",
    "/staff/accounts/",
]


def _sign_in(client: Client, username: str, password: str = "test-password-1"):
    return client.post(reverse("login"), {"username": username, "password": password})


def _inputs(html: str) -> dict[str, str]:
    """name -> value of every input in the page's forms."""

    class Parser(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found = {}

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "input" and attrs.get("name"):
                self.found[attrs["name"]] = attrs.get("value") or ""

    parser = Parser()
    parser.feed(html)
    return parser.found


@pytest.fixture(autouse=True)
def _no_throttle_delay(settings, request):
    """django-otp waits longer after each wrong code; only the throttling test keeps that."""
    if "throttled" not in request.node.name:
        settings.OTP_TOTP_THROTTLE_FACTOR = 0
        settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def admin_user(db) -> User:
    return User.objects.create_superuser("root", "root@example.gov.uk", "test-password-1")


@pytest.mark.parametrize("who", ["caseworker", "manager", "admin_user"])
def test_password_alone_opens_no_staff_page_nor_the_admin(request, client, who):
    user = request.getfixturevalue(who)
    password_only_login(client, user)
    for url in STAFF_PAGES:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/sign-in/set-up-authenticator/"), url
    authenticator_for(user)  # once an app is set up, they are asked for its code instead
    response = client.get("/staff/")
    assert response["Location"].startswith("/sign-in/code/?next=")


def test_the_admin_has_no_sign_in_of_its_own(client, admin_user):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    # A post to the admin's old sign-in address signs nobody in.
    client.post("/admin/login/", {"username": "root", "password": "test-password-1"})
    assert "_auth_user_id" not in client.session


def _open_emailed_link(client: Client, user) -> None:
    """On the set-up page after the password: ask for the link, as the page offers, and open
    the link from the email."""
    page = client.get(reverse("second_factor_enrol")).content.decode()
    assert "Email me a set-up link" in page and "<svg" not in page
    sent = client.post(reverse("second_factor_enrol"), {**_inputs(page), "send_link": "1"})
    assert "We have emailed a set-up link to c•••@example.gov.uk" in sent.content.decode()
    response = client.get(enrolment_link_from_outbox(user))
    assert response.status_code == 302
    assert response["Location"] == reverse("second_factor_enrol")


def test_first_sign_in_sets_up_the_app_then_shows_recovery_codes(client, caseworker):
    caseworker.email = "casey@example.gov.uk"
    caseworker.save()
    response = _sign_in(client, "casey")
    assert response.status_code == 302
    _open_emailed_link(client, caseworker)
    response = client.get(reverse("second_factor_enrol"))
    page = response.content.decode()
    assert "Set up your authenticator app" in page
    assert "<svg" in page  # the QR code, inline
    secret = re.search(r'id="secret-key">([A-Z2-7 ]+)<', page).group(1)
    assert set(_inputs(page)) >= {"token", "next", "csrfmiddlewaretoken"}
    device = TOTPDevice.objects.get(user=caseworker, confirmed=False)
    assert secret.replace(" ", "") in device.config_url

    wrong = client.post(reverse("second_factor_enrol"), {"token": "000000", "next": "/staff/"})
    assert "There is a problem" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=caseworker, confirmed=True).exists()

    done = client.post(
        reverse("second_factor_enrol"), {"token": current_code(device), "next": "/staff/"}
    )
    codes = re.findall(r"<li>([0-9a-f]{6}-[0-9a-f]{6})</li>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/staff/").status_code == 200


def test_a_password_alone_cannot_set_up_the_app(client, caseworker):
    """Someone who knows only the password sees no key and cannot confirm one they made up."""
    _sign_in(client, "casey")
    page = client.get(reverse("second_factor_enrol")).content.decode()
    assert "<svg" not in page and "secret-key" not in page
    device = TOTPDevice.objects.create(user=caseworker, name="Guess", confirmed=False)
    response = client.post(
        reverse("second_factor_enrol"), {"token": current_code(device), "next": "/staff/"}
    )
    assert response.status_code == 403
    assert not TOTPDevice.objects.filter(user=caseworker, confirmed=True).exists()
    assert client.get("/staff/")["Location"].startswith("/sign-in/set-up-authenticator/")


def test_a_set_up_link_works_once_only_for_its_owner_and_not_after_expiry(
    client, caseworker, other_caseworker, settings
):
    import time_machine
    from django.utils import timezone

    from ehc.security.second_factor import enrolment_link_issue

    path = enrolment_link_issue(user=caseworker)
    password_only_login(client, other_caseworker)
    assert client.get(path).status_code == 404  # someone else's link
    assert "second_factor_enrol" not in str(client.session.items())

    casey = Client()
    password_only_login(casey, caseworker)
    assert casey.get(path).status_code == 302
    again = Client()
    password_only_login(again, caseworker)
    assert again.get(path).status_code == 404  # used up
    assert "set-up link does not work" in again.get(path).content.decode()

    later = enrolment_link_issue(user=caseworker)
    with time_machine.travel(timezone.now() + timezone.timedelta(hours=25)):
        tomorrow = Client()
        password_only_login(tomorrow, caseworker)
        assert tomorrow.get(later).status_code == 404  # expired
    newest = enrolment_link_issue(user=caseworker)
    assert again.get(later).status_code == 404  # a newer link replaces it
    assert again.get(newest).status_code == 302
    # Signed out, the link first asks for the password, then works.
    anonymous = Client()
    response = anonymous.get(enrolment_link_issue(user=caseworker))
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_asking_again_within_minutes_sends_no_second_email(client, caseworker, mailoutbox):
    caseworker.email = "casey@example.gov.uk"
    caseworker.save()
    password_only_login(client, caseworker)
    client.post(reverse("second_factor_enrol"), {"send_link": "1"})
    page = client.post(reverse("second_factor_enrol"), {"send_link": "1"}).content.decode()
    assert "No new link was sent" in page
    assert len(mailoutbox) == 1
    assert "casey" not in mailoutbox[0].subject


def test_a_manager_emails_a_set_up_link_and_a_command_prints_one(
    client, manager, caseworker, mailoutbox
):
    from io import StringIO

    from django.core.management import call_command

    caseworker.email = "casey@example.gov.uk"
    caseworker.save()
    client.force_login(manager)
    page = client.get(reverse("second_factor_accounts")).content.decode()
    url = reverse("second_factor_send_link", args=[caseworker.pk])
    assert url in page
    assert client.post(url).status_code == 302
    assert mailoutbox[-1].to == ["casey@example.gov.uk"]
    assert client.post(reverse("second_factor_send_link", args=[manager.pk])).status_code == 403

    out = StringIO()
    call_command("enrolment_link", "casey", stdout=out)
    path = re.search(r"(/sign-in/set-up-authenticator/\S+/)", out.getvalue())[1]
    casey = Client()
    password_only_login(casey, caseworker)
    assert casey.get(path).status_code == 302
    assert "<svg" in casey.get(reverse("second_factor_enrol")).content.decode()


def test_sign_in_asks_for_the_code_and_refuses_a_wrong_one(client, caseworker):
    authenticator_for(caseworker)
    response = _sign_in(client, "casey")
    response = client.get(response["Location"])
    assert response["Location"].startswith("/sign-in/code/")
    page = client.get(response["Location"]).content.decode()
    assert "Enter your code" in page
    fields = _inputs(page)
    wrong = client.post(reverse("second_factor_verify"), {**fields, "token": "123456"})
    assert wrong.status_code == 200 and "There is a problem" in wrong.content.decode()
    empty = client.post(reverse("second_factor_verify"), {**fields, "token": ""})
    assert "Enter the code from your authenticator app" in empty.content.decode()
    assert client.get("/staff/").status_code == 302
    ok = client.post(reverse("second_factor_verify"), {**fields, "token": code_now(caseworker)})
    assert ok.status_code == 302
    assert client.get("/staff/").status_code == 200


def test_a_recovery_code_works_once(client, caseworker):
    from ehc.security.second_factor import recovery_codes_issue

    authenticator_for(caseworker)
    codes = recovery_codes_issue(user=caseworker)
    _sign_in(client, "casey")
    assert client.post(reverse("second_factor_verify"), {"token": codes[0]}).status_code == 302
    assert client.get("/staff/").status_code == 200
    other = Client()
    _sign_in(other, "casey")
    again = other.post(reverse("second_factor_verify"), {"token": codes[0]})
    assert again.status_code == 200  # used
    assert StaticDevice.objects.get(user=caseworker).token_set.count() == 9


def test_wrong_codes_are_throttled(client, caseworker, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = authenticator_for(caseworker)
    _sign_in(client, "casey")
    client.post(reverse("second_factor_verify"), {"token": "000000"})
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Now even the right code is refused until the delay has passed.
    totp = TOTP(device.bin_key)
    right = f"{totp.token():06d}"
    assert client.post(reverse("second_factor_verify"), {"token": right}).status_code == 200


def test_families_sign_in_with_a_password_only(client, parent_user):
    response = _sign_in(client, "pat@example.com")
    assert response.status_code == 302
    assert client.get(reverse("family:case_list")).status_code == 200


def test_a_manager_resets_a_caseworkers_authenticator(client, manager, caseworker, mailoutbox):
    caseworker.email = "casey@example.gov.uk"
    caseworker.save()
    authenticator_for(caseworker)
    casey = Client()
    casey.force_login(caseworker)
    assert casey.get("/staff/").status_code == 200
    client.force_login(manager)
    page = client.get(reverse("second_factor_accounts")).content.decode()
    assert "casey" in page
    reset_url = reverse("second_factor_reset", args=[caseworker.pk])
    assert reset_url in page
    assert client.post(reset_url).status_code == 302
    assert not TOTPDevice.objects.filter(user=caseworker).exists()
    # Their session loses its second factor at once; they set up a new app to go on, with the
    # set-up link the reset emailed them.
    response = casey.get("/staff/")
    assert response["Location"].startswith("/sign-in/set-up-authenticator/")
    assert casey.get(enrolment_link_from_outbox(caseworker)).status_code == 302
    assert "<svg" in casey.get(reverse("second_factor_enrol")).content.decode()


def test_nobody_resets_their_own_and_managers_not_an_admins(client, manager, admin_user):
    client.force_login(manager)
    assert client.post(reverse("second_factor_reset", args=[manager.pk])).status_code == 403
    assert client.post(reverse("second_factor_reset", args=[admin_user.pk])).status_code == 403
    admin = Client()
    admin.force_login(admin_user)
    assert admin.post(reverse("second_factor_reset", args=[manager.pk])).status_code == 302


def test_caseworkers_cannot_reset(client, caseworker, other_caseworker):
    client.force_login(caseworker)
    assert (
        client.post(reverse("second_factor_reset", args=[other_caseworker.pk])).status_code == 403
    )
    assert client.get(reverse("second_factor_accounts")).status_code == 403


def test_demo_logins_get_an_authenticator_whose_code_a_command_prints(settings):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from ehc import demo

    demo.ensure_demo_users()
    caseworker = User.objects.get(username="caseworker")
    settings.DEBUG = True
    out = StringIO()
    call_command("otp_code", "caseworker", stdout=out)
    code = out.getvalue().split()[0]
    client = Client()
    _sign_in(client, "caseworker", demo.DEMO_PASSWORD)
    assert client.post(reverse("second_factor_verify"), {"token": code}).status_code == 302
    assert client.get("/staff/").status_code == 200
    assert TOTPDevice.objects.filter(user__username="admin").exists()
    assert not TOTPDevice.objects.filter(user__username="parent@example.com").exists()
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("otp_code", "caseworker", stdout=StringIO())
    assert caseworker.pk
