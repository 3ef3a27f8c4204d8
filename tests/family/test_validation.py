"""Every question answers bad input with a message next to the field and in the error summary,
and saves nothing."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from ehc.models import Case, Child, Contact
from tests.family.conftest import date_parts, default_answers

pytestmark = pytest.mark.django_db


def _error_page(walker, slug, data, *, requester="parent"):
    """Answer every page before `slug`, then post `data` to it; return the page text."""
    walker.answer_all(default_answers(requester), stop_before=slug)
    before = dict(walker.client.session["ehc_request"]["answers"])
    response = walker.answer(slug, data, expect_redirect=False)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert "govuk-form-group--error" in page or "govuk-error-message" in page
    assert walker.client.session["ehc_request"]["answers"] == before  # nothing kept
    assert not Case.objects.exists() and not Child.objects.exists()
    return page


def _child(**dob):
    return {"first_name": "Ada", "last_name": "Lovelace", **dob}


def test_who_is_asking_is_required(walker):
    page = _error_page(walker, "who-is-asking", {})
    assert "Select who is asking for the assessment" in page


def test_date_of_birth_in_the_future_is_refused(walker):
    tomorrow = timezone.localdate() + timedelta(days=1)
    page = _error_page(
        walker, "child-or-young-person", _child(**date_parts("date_of_birth", tomorrow))
    )
    assert "Date of birth must be today or in the past" in page


def test_a_young_person_of_25_or_over_is_refused(walker):
    born = timezone.localdate() - relativedelta(years=25)
    page = _error_page(walker, "child-or-young-person", _child(**date_parts("date_of_birth", born)))
    assert "must be under 25" in page


def test_the_day_before_the_25th_birthday_is_accepted(walker):
    born = timezone.localdate() - relativedelta(years=25) + timedelta(days=1)
    walker.answer_all(default_answers(), stop_before="child-or-young-person")
    walker.answer("child-or-young-person", _child(**date_parts("date_of_birth", born)))


def test_a_young_person_asking_for_themselves_must_be_16(walker):
    born = timezone.localdate() - relativedelta(years=15)
    page = _error_page(
        walker,
        "child-or-young-person",
        _child(**date_parts("date_of_birth", born)),
        requester="young_person",
    )
    assert "You must be 16 or over to ask for yourself" in page


@pytest.mark.parametrize(
    "parts, message",
    [
        (
            {"date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "2015"},
            "Date of birth must be a real date",
        ),
        (
            {"date_of_birth_0": "1", "date_of_birth_1": "", "date_of_birth_2": "2015"},
            "Date of birth must include a month",
        ),
        (
            {"date_of_birth_0": "", "date_of_birth_1": "", "date_of_birth_2": "2015"},
            "Date of birth must include a day and a month",
        ),
        (
            {"date_of_birth_0": "1", "date_of_birth_1": "5", "date_of_birth_2": "15"},
            "Date of birth year must include 4 numbers",
        ),
        ({}, "Enter date of birth"),
        (
            {"date_of_birth_0": "a", "date_of_birth_1": "b", "date_of_birth_2": "c"},
            "Date of birth must be a real date",
        ),
    ],
)
def test_dates_that_cannot_be_true(walker, parts, message):
    page = _error_page(walker, "child-or-young-person", _child(**parts))
    assert message in page


def test_names_are_required(walker):
    page = _error_page(
        walker,
        "child-or-young-person",
        {"first_name": "", "last_name": " ", **date_parts("date_of_birth", date(2015, 5, 1))},
    )
    assert "Enter the child or young person&#x27;s first name" in page
    assert "Enter the child or young person&#x27;s last name" in page


@pytest.mark.parametrize(
    "change, message",
    [
        ({"full_name": ""}, "Enter your full name"),
        ({"relationship": ""}, "Select the relationship"),
        ({"preferred_contact_method": ""}, "Select how we should contact you"),
        ({"email": ""}, "Enter an email address, or choose another way for us to contact you"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"preferred_contact_method": "phone"}, "Enter a phone number, or choose another way"),
        ({"preferred_contact_method": "text"}, "Enter a mobile phone number"),
        ({"preferred_contact_method": "post"}, "Enter a postal address"),
        ({"phone": "call me"}, "Enter a phone number, like 01632 960 001"),
        ({"communication_needs": "x" * 5001}, "must be 5,000 characters or fewer"),
    ],
)
def test_contact_details(walker, change, message):
    data = {**default_answers()["contact-details"], **change}
    page = _error_page(walker, "contact-details", data)
    assert message in page
    assert not Contact.objects.exists()


def test_another_contact_question_is_required(walker):
    page = _error_page(walker, "another-parent-or-carer", {})
    assert "Select yes if there is another parent or carer to contact" in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"setting_name": "Oakfield", "setting_urn": "12ab"}, "A URN is 6 or 7 digits"),
        ({"setting_name": "", "setting_urn": "123456"}, "Enter the name of the school or setting"),
    ],
)
def test_setting(walker, data, message):
    assert message in _error_page(walker, "school-or-setting", data)


def test_a_setting_is_optional(walker):
    walker.answer_all(default_answers(), stop_before="school-or-setting")
    walker.answer("school-or-setting", {"setting_name": "", "setting_urn": ""})


def test_what_they_find_difficult_is_required(walker):
    page = _error_page(walker, "what-they-find-difficult", {"needs": "   "})
    assert "Tell us what Ada finds difficult" in page


def test_support_so_far_is_required(walker):
    page = _error_page(walker, "support-so-far", {"support": ""})
    assert "Tell us what help Ada has had so far" in page


def test_at_least_one_view_interest_or_hope(walker):
    empty = {"views": "", "interests": "", "aspirations": "", "family_views": ""}
    page = _error_page(walker, "views-interests-and-hopes", empty)
    assert "Answer at least one question about Ada&#x27;s views, interests and hopes" in page


def test_consent_is_required(walker):
    page = _error_page(walker, "privacy-and-consent", {})
    assert "Confirm you have read the privacy notice" in page


def test_a_school_must_confirm_the_family_knows(walker):
    data = {**default_answers("school")["about-you"]}
    data.pop("family_knows")
    page = _error_page(walker, "about-you", data, requester="school")
    assert "Confirm the family knows you are asking for this assessment" in page


def test_a_school_must_give_a_work_email(walker):
    data = {**default_answers("school")["about-you"], "email": ""}
    page = _error_page(walker, "about-you", data, requester="school")
    assert "Enter your work email address" in page


def test_answers_that_no_longer_fit_are_asked_again(walker, client):
    """A child's answers given, then 'who is asking' changed to a young person for themselves:
    the child page is shown again with its error before anything can be sent."""
    walker.answer_all(default_answers())
    walker.answer("who-is-asking", {"requester_type": "young_person"}, change=True)
    response = client.get("/request/check-answers/")
    assert response["Location"].startswith("/request/child-or-young-person/")
    page = client.get("/request/child-or-young-person/").content.decode()
    assert "You must be 16 or over to ask for yourself" in page
    response = walker.submit()
    assert response.status_code == 302 and "child-or-young-person" in response["Location"]
    assert not Case.objects.exists()


def test_a_forged_submit_for_an_incomplete_journey_saves_nothing(walker, client):
    walker.answer_all(default_answers(), stop_before="support-so-far")
    response = walker.submit()
    assert response["Location"] == "/request/support-so-far/"
    assert not Case.objects.exists()


def test_csrf_is_enforced_on_the_public_form(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.get("/request/start/")
    response = strict.post("/request/who-is-asking/", {"requester_type": "parent"})
    assert response.status_code == 403
