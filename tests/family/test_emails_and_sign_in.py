"""The confirmation email (no personal data in the subject), the one-time sign-in set-up link,
and signing in to see the case."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.formats import date_format

from ehc import timescales
from ehc.models import Case, User
from family.services import SUBJECT_CONFIRMATION, SUBJECT_FAMILY_TOLD
from tests.conftest import _user_in_role
from tests.family.conftest import default_answers

pytestmark = pytest.mark.django_db

PERSONAL = ["Ada", "Lovelace", "Ann", "ann@example.com", "Oakfield", "Jo Bloggs", "2015"]


def _link(body: str) -> str:
    match = re.search(r"http://testserver(/my-cases/set-up/[^\s]+)", body)
    assert match, body
    return match.group(1)


def _no_personal_data(subject: str, case: Case) -> None:
    for word in [*PERSONAL, case.reference]:
        assert word.lower() not in subject.lower()


def test_confirmation_email(walker):
    walker.complete()
    case = Case.objects.get()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["ann@example.com"]
    assert email.subject == SUBJECT_CONFIRMATION
    _no_personal_data(email.subject, case)
    due = timescales.decision_to_assess_due(case.clock_starts_on)
    assert case.reference in email.body
    assert date_format(due, "j F Y") in email.body
    assert "What happens next" in email.body
    assert "/my-cases/set-up/" in email.body
    assert "Ada" not in email.body  # the child is not named in email


def test_the_set_up_link_works_once_and_signs_the_parent_in(walker, client):
    walker.complete()
    link = _link(mail.outbox[0].body)
    response = client.get(link)
    assert response.status_code == 302  # the token moves out of the URL
    form_url = response["Location"]
    page = client.get(form_url).content.decode()
    assert "Set up your sign-in" in page and "ann@example.com" in page
    response = client.post(
        form_url, {"new_password1": "purple-giraffe-1987", "new_password2": "purple-giraffe-1987"}
    )
    assert response["Location"] == reverse("family:case_list")
    case = Case.objects.get()
    assert case.reference in client.get(reverse("family:case_list")).content.decode()
    # The link cannot be used again.
    client.logout()
    reused = client.get(link, follow=True).content.decode()
    assert "This link has expired or has already been used" in reused
    # And the family signs in with their email address and new password.
    response = client.post(
        reverse("login"), {"username": "ann@example.com", "password": "purple-giraffe-1987"}
    )
    assert response.status_code == 302
    assert client.get(reverse("family:case_detail", args=[case.pk])).status_code == 200


def test_set_up_refuses_weak_or_mismatched_passwords(walker, client):
    walker.complete()
    form_url = client.get(_link(mail.outbox[0].body))["Location"]
    page = client.post(form_url, {"new_password1": "abc", "new_password2": "abc"}).content.decode()
    assert "govuk-error-summary" in page and "too short" in page
    page = client.post(
        form_url, {"new_password1": "purple-giraffe-1987", "new_password2": "purple-giraffe-1988"}
    ).content.decode()
    assert "The passwords do not match" in page
    assert not User.objects.get(email="ann@example.com").has_usable_password()


def test_a_forged_set_up_link_does_nothing(client, parent_user):
    response = client.get(reverse("family:account_setup", args=["MQ", "abc-123"]))
    assert "This link has expired" in response.content.decode()


def test_set_up_links_never_work_for_staff(client, caseworker):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from family.services import account_setup_token

    uid = urlsafe_base64_encode(force_bytes(caseworker.pk))
    token = account_setup_token.make_token(caseworker)
    response = client.get(reverse("family:account_setup", args=[uid, token]), follow=True)
    assert "This link has expired" in response.content.decode()


def test_a_parent_with_an_account_joins_it_only_through_the_emailed_link(
    walker, parent_user, client
):
    answers = default_answers()
    answers["contact-details"]["email"] = "PAT@example.com"
    walker.complete(answers)
    case = Case.objects.get()
    contact = case.child.contacts.get()
    assert contact.user is None  # not on the strength of a typed address
    assert User.objects.filter(email__iexact="pat@example.com").count() == 1
    body = mail.outbox[0].body
    assert "/my-cases/set-up/" not in body  # they already have a password
    link = re.search(r"https?://\S+/my-cases/add-request/\S+/", body).group(0)
    path = link.split("testserver", 1)[-1]
    client.force_login(parent_user)
    assert case.reference not in client.get(reverse("family:case_list")).content.decode()
    page = client.get(path).content.decode()
    assert "Add the request to my account" in page
    assert case.child.first_name not in page  # the link alone shows nobody's child
    response = client.post(path)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.user == parent_user
    assert case.reference in client.get(reverse("family:case_list")).content.decode()
    # A forged or altered link does nothing.
    assert client.get(path[:-3] + "xx/").status_code == 404


def test_a_strangers_request_never_appears_in_another_familys_cases(
    walker, parent_user, client, caseworker
):
    """Someone types pat@example.com into the form: Pat's account does not get the case."""
    answers = default_answers()
    answers["contact-details"]["email"] = "pat@example.com"
    answers["child-or-young-person"]["first_name"] = "Stranger"
    walker.complete(answers)
    case = Case.objects.get()
    client.force_login(parent_user)
    listing = client.get(reverse("family:case_list")).content.decode()
    assert case.reference not in listing and "Stranger" not in listing
    assert client.get(reverse("family:case_detail", args=[case.pk])).status_code == 404
    # Staff see it as usual.
    client.force_login(caseworker)
    assert client.get(reverse("ehc:case_detail", args=[case.pk])).status_code == 200


def test_a_staff_account_with_the_same_email_is_never_linked(walker, db):
    staff = _user_in_role("casey2", "caseworker", email="ann@example.com")
    walker.complete()
    contact = Case.objects.get().child.contacts.get()
    assert contact.user is None
    assert staff.contacts.count() == 0
    assert "/my-cases/set-up/" not in mail.outbox[0].body


def test_without_an_email_address_no_account_and_no_email(walker, client):
    answers = default_answers()
    answers["contact-details"].update(
        email="", preferred_contact_method="phone", phone="07700 900 982"
    )
    walker.complete(answers)
    assert Case.objects.get().child.contacts.get().user is None
    assert mail.outbox == []
    page = client.get(reverse("request:confirmation")).content.decode()
    assert "Write down your reference number" in page


def test_a_school_gets_a_confirmation_and_the_family_a_sign_in_link(walker):
    walker.complete(requester="school")
    case = Case.objects.get()
    to = {tuple(m.to): m for m in mail.outbox}
    school = to[("senco@oakfield.example.sch.uk",)]
    family = to[("ann@example.com",)]
    assert school.subject == SUBJECT_CONFIRMATION and family.subject == SUBJECT_FAMILY_TOLD
    for email in (school, family):
        _no_personal_data(email.subject, case)
        assert case.reference in email.body
    assert "/my-cases/set-up/" not in school.body
    assert "/my-cases/set-up/" in family.body


def test_an_email_failure_does_not_lose_the_request(walker, client, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("family.services.send_mail", broken)
    response = walker.complete()
    assert response["Location"] == reverse("request:confirmation")
    assert Case.objects.count() == 1
    page = client.get(reverse("request:confirmation")).content.decode()
    assert "Write down your reference number" in page


def test_ask_for_a_new_sign_in_link(client, parent_user):
    response = client.post(reverse("family:sign_in_link"), {"email": "PAT@example.com"})
    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["pat@example.com"]
    assert "/my-cases/set-up/" in mail.outbox[0].body
    _no_personal_data(mail.outbox[0].subject, Case(reference="EHC-XXXX-XXXX"))


def test_a_new_link_is_not_sent_to_unknown_or_staff_addresses(client, caseworker):
    caseworker.email = "casey@example.gov.uk"
    caseworker.save()
    for email in ("nobody@example.com", "casey@example.gov.uk"):
        response = client.post(reverse("family:sign_in_link"), {"email": email})
        assert "Check your email" in response.content.decode()  # the same answer either way
    assert mail.outbox == []


def test_sign_in_link_form_validates(client, db):
    page = client.post(reverse("family:sign_in_link"), {"email": "nope"}).content.decode()
    assert "Enter an email address in the correct format" in page
