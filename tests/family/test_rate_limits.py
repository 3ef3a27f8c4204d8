"""Rate limits on signing in, sending a request, uploading and asking for sign-in links."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ehc.models import Case
from tests.family.conftest import PDF_BYTES, default_answers

pytestmark = pytest.mark.django_db


def _sign_in(client, username, password="wrong-password"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_sign_in_locks_the_account_and_address_pair(client, parent_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        assert _sign_in(client, "pat@example.com").status_code == 200  # wrong password page
    response = _sign_in(client, "PAT@example.com ")  # same account, however it is typed
    assert response.status_code == 429
    assert "too many attempts" in response.content.decode()
    assert response["Retry-After"]
    # Even the right password is refused from this address while locked: no guessing through.
    assert _sign_in(client, "pat@example.com", "test-password-1").status_code == 429
    # Another account from the same address is not affected.
    assert _sign_in(client, "someone@example.com").status_code == 200
    # The owner, from another address, still signs in: nobody can lock them out by their name.
    response = client.post(
        reverse("login"),
        {"username": "pat@example.com", "password": "test-password-1"},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302


def test_sign_in_is_limited_per_address(client, db, settings):
    settings.EHC_RATELIMIT_SIGN_IN_IP = "2/15m"
    assert _sign_in(client, "a@example.com").status_code == 200
    assert _sign_in(client, "b@example.com").status_code == 200
    assert _sign_in(client, "c@example.com").status_code == 429


def test_viewing_the_sign_in_page_is_not_counted(client, db, settings):
    settings.EHC_RATELIMIT_SIGN_IN_IP = "1/15m"
    for _ in range(5):
        assert client.get(reverse("login")).status_code == 200


def test_sign_in_still_works_under_the_limit(client, parent_user):
    response = _sign_in(client, "pat@example.com", "test-password-1")
    assert response.status_code == 302


def test_sending_requests_is_limited(walker, client, settings):
    settings.EHC_RATELIMIT_REQUEST_SUBMIT = "2/h"
    walker.complete()
    walker.complete()  # a second child
    assert Case.objects.count() == 2
    walker.answer_all(default_answers())
    response = walker.submit()
    assert response.status_code == 429
    assert "too many attempts" in response.content.decode()
    assert Case.objects.count() == 2
    assert "ehc_request" in client.session  # the answers are kept for later


def test_uploads_are_limited(walker, client, settings):
    settings.EHC_RATELIMIT_REQUEST_UPLOAD = "2/h"
    walker.answer_all(default_answers(), stop_before="documents")
    url = reverse("request:documents")
    for n in range(2):
        upload = SimpleUploadedFile(f"{n}.pdf", PDF_BYTES)
        assert client.post(url, {"upload": "", "document": upload}).status_code == 302
    upload = SimpleUploadedFile("3.pdf", PDF_BYTES)
    assert client.post(url, {"upload": "", "document": upload}).status_code == 429
    assert len(client.session["ehc_request"]["documents"]) == 2


def test_sign_in_link_requests_are_limited(client, db, settings):
    settings.EHC_RATELIMIT_SIGN_IN_LINK = "1/h"
    url = reverse("family:sign_in_link")
    assert client.post(url, {"email": "a@example.com"}).status_code == 200
    assert client.post(url, {"email": "b@example.com"}).status_code == 429
