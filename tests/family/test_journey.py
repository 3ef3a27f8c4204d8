"""The request journey end to end with the test client: one case per request, kept answers,
an expired session handled, and the case started in its flow."""

import uuid
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from ehc import timescales
from ehc.models import Case, CaseEvent, Child, Contact, OnlineRequestSubmission, Team, User
from ehc.services import ChildDetails, ContactDetails
from tests.family.conftest import date_parts, default_answers, step_url
from workflows.services import assessment_process_for

pytestmark = pytest.mark.django_db


def _only_case() -> Case:
    assert Case.objects.count() == 1
    return Case.objects.get()


def test_start_page_is_public_and_links_to_the_first_question(client):
    response = client.get(reverse("request:start"))
    assert response.status_code == 200
    assert "Ask for an EHC needs assessment" in response.content.decode()
    assert reverse("request:begin") in response.content.decode()
    first = client.get(reverse("request:begin"))
    assert first["Location"] == step_url("who-is-asking")


def test_a_parent_request_makes_one_case_with_its_flow_and_answers(walker, client, team):
    before = timezone.now()
    response = walker.complete()
    assert response.status_code == 302
    assert response["Location"] == reverse("request:confirmation")

    case = _only_case()
    assert case.team == team
    assert case.requester_type == Case.RequesterType.PARENT
    assert case.requester_name == "Ann Lovelace"
    assert case.request_channel == Case.Channel.ONLINE_FORM
    assert timezone.is_aware(case.received_at)
    assert before <= case.received_at <= timezone.now()
    assert case.clock_starts_on == timezone.localdate()
    assert case.child.full_name == "Ada Lovelace"
    assert assessment_process_for(case) is not None  # the flow started: it is in the queue

    contact = case.child.contacts.get()
    assert contact.relationship == Contact.Relationship.PARENT
    assert contact.email == "ann@example.com"
    assert contact.preferred_contact_method == "email"
    assert contact.user is not None and contact.user.email == "ann@example.com"
    assert contact.user.groups.filter(name="parent").exists()
    assert not contact.user.has_usable_password()

    event = case.events.get(kind=CaseEvent.Kind.REQUEST_RECEIVED)
    assert event.details["needs"] == "Reading, writing and noisy rooms."
    assert event.details["support_so_far"].startswith("Small-group reading")
    assert event.details["section_a"]["aspirations"] == "To be an engineer."
    assert event.details["current_setting"] == {"name": "Oakfield Primary", "urn": "123456"}
    assert OnlineRequestSubmission.objects.filter(case=case).exists()


def test_confirmation_page_shows_the_reference_and_decision_date(walker, client):
    walker.complete()
    case = _only_case()
    page = client.get(reverse("request:confirmation")).content.decode()
    due = timescales.decision_to_assess_due(case.clock_starts_on)
    assert case.reference in page
    assert date_format(due, "j F Y") in page
    assert "ann@example.com" in page
    # A refresh shows the same confirmation; the answers are gone from the session.
    assert case.reference in client.get(reverse("request:confirmation")).content.decode()
    assert "ehc_request" not in client.session


def test_double_submit_refresh_and_resubmit_make_one_case(walker, client):
    walker.answer_all(default_answers())
    key = walker.key
    first = walker.submit(key)
    second = walker.submit(key)  # double click / refresh re-POSTs the same key
    assert first.status_code == second.status_code == 302
    assert second["Location"] == reverse("request:confirmation")
    # The back button to check answers, then send again: still one case.
    back = client.get(reverse("request:check"))
    assert back.status_code == 302 and back["Location"] == reverse("request:confirmation")
    walker.submit(key)
    assert Case.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_submit_that_loses_the_race_returns_the_first_case(walker, monkeypatch):
    """Two submits at once: the unique key refuses the second insert and we return the first."""
    from family import services

    walker.answer_all(default_answers())
    key = walker.key
    walker.submit(key)
    case = _only_case()
    real = services.case_for_key
    calls = {"n": 0}

    def miss_once(k):
        calls["n"] += 1
        return None if calls["n"] == 1 else real(k)

    monkeypatch.setattr(services, "case_for_key", miss_once)
    submitted = services.online_request_submit(
        key=uuid.UUID(key),
        request=services.OnlineRequest(
            requester_type="parent",
            child=ChildDetails(
                first_name="Ada", last_name="Lovelace", date_of_birth=date(2015, 5, 1)
            ),
            contacts=[ContactDetails(full_name="Ann Lovelace", relationship="parent")],
            needs="x",
            support="y",
        ),
        received_at=timezone.now(),
    )
    assert submitted.created is False and submitted.case == case
    assert Case.objects.count() == 1 and Child.objects.count() == 1


def test_a_child_with_an_open_case_is_accepted_and_flagged(walker, make_case):
    existing = make_case(first_name="Ada", last_name="Lovelace", date_of_birth=date(2015, 5, 1))
    walker.complete()
    new = Case.objects.exclude(pk=existing.pk).get()
    assert new.possible_duplicate_of == existing


def test_requests_go_to_the_team_named_in_settings(walker, settings, team, other_team):
    settings.EHC_PUBLIC_REQUEST_TEAM = other_team.name
    walker.complete()
    assert _only_case().team == other_team


def test_with_no_team_nothing_is_saved_and_the_answers_are_kept(client, db):
    from tests.family.conftest import Walker

    assert not Team.objects.exists()
    walker = Walker(client)
    response = walker.complete()
    assert response.status_code == 503
    assert "problem with the service" in response.content.decode()
    assert not Case.objects.exists() and not Child.objects.exists()
    assert client.session["ehc_request"]["answers"]["child"]["first_name"] == "Ada"


def test_going_back_shows_the_answers_given(walker, client):
    walker.answer_all(default_answers(), stop_before="school-or-setting")
    page = client.get(step_url("child-or-young-person")).content.decode()
    assert 'value="Ada"' in page and 'value="Lovelace"' in page and 'value="2015"' in page
    assert reverse("request:step", args=["who-is-asking"]) in page  # its back link


def test_a_validation_error_keeps_what_was_typed_and_saves_nothing(walker, client):
    walker.answer_all(default_answers(), stop_before="child-or-young-person")
    response = walker.answer(
        "child-or-young-person",
        {
            "first_name": "Ada",
            "last_name": "",
            **date_parts("date_of_birth", timezone.localdate() + timedelta(days=1)),
        },
        expect_redirect=False,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and 'value="Ada"' in page
    assert "<title>Error:" in page
    assert "child" not in client.session["ehc_request"]["answers"]
    assert not Child.objects.exists()


def test_pages_cannot_be_skipped(walker, client):
    walker.begin()
    response = client.get(step_url("support-so-far"))
    assert response["Location"] == step_url("who-is-asking")
    response = client.get(reverse("request:check"))
    assert response["Location"] == step_url("who-is-asking")


def test_change_from_check_answers_returns_there(walker, client):
    walker.answer_all(default_answers())
    page = client.get(reverse("request:check")).content.decode()
    assert "Oakfield Primary" in page and "?change=1" in page
    response = walker.answer(
        "school-or-setting", {"setting_name": "Elm Academy", "setting_urn": ""}, change=True
    )
    assert response["Location"] == reverse("request:check")
    assert "Elm Academy" in client.get(reverse("request:check")).content.decode()


def test_changing_to_yes_for_another_carer_asks_for_them_before_check_answers(walker, client):
    walker.answer_all(default_answers())
    response = walker.answer("another-parent-or-carer", {"another": "yes"}, change=True)
    assert response["Location"] == step_url("another-parent-or-carer-details") + "?change=1"
    response = walker.answer(
        "another-parent-or-carer-details",
        {
            "full_name": "Bob Lovelace",
            "relationship": "carer",
            "preferred_contact_method": "phone",
            "phone": "07700 900 982",
        },
        change=True,
    )
    assert response["Location"] == reverse("request:check")
    walker.submit()
    names = sorted(_only_case().child.contacts.values_list("full_name", flat=True))
    assert names == ["Ann Lovelace", "Bob Lovelace"]


@pytest.mark.parametrize(
    "method",
    [
        lambda c: c.get(step_url("child-or-young-person")),
        lambda c: c.post(step_url("support-so-far"), {"support": "x"}),
        lambda c: c.get(reverse("request:check")),
        lambda c: c.post(
            reverse("request:submit"), {"key": "8f1c1d9e-3c1b-4a55-9b4f-0d6c1e2a3b4c"}
        ),
        lambda c: c.post(reverse("request:document_remove", args=["abc"])),
    ],
)
def test_an_expired_session_says_so_and_starts_again(client, db, method):
    response = method(client)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your answers could not be found" in page
    assert reverse("request:begin") in page
    assert not Case.objects.exists()


def test_the_session_expiring_mid_journey_is_handled(walker, client):
    walker.answer_all(default_answers(), stop_before="support-so-far")
    client.cookies.clear()  # the browser loses its session cookie
    response = walker.answer("support-so-far", {"support": "Some"}, expect_redirect=False)
    assert "Your answers could not be found" in response.content.decode()


def test_a_young_person_asks_for_themselves(walker, client):
    walker.complete(requester="young_person")
    case = _only_case()
    assert case.requester_type == Case.RequesterType.YOUNG_PERSON
    contact = case.child.contacts.get()
    assert contact.relationship == Contact.Relationship.YOUNG_PERSON
    assert contact.user.email == "sam@example.com"


def test_a_school_asks_with_the_familys_knowledge(walker, client):
    walker.complete(requester="school")
    case = _only_case()
    assert case.requester_type == Case.RequesterType.SCHOOL
    assert case.requester_name == "Jo Bloggs, SENCO, Oakfield Primary"
    event = case.events.get(kind=CaseEvent.Kind.REQUEST_RECEIVED)
    assert event.details["referrer"]["email"] == "senco@oakfield.example.sch.uk"
    # The school is not a contact and gets no sign-in; the family does.
    assert not case.child.contacts.filter(email__icontains="oakfield").exists()
    assert not User.objects.filter(email__icontains="oakfield").exists()
    assert case.child.contacts.get().user.email == "ann@example.com"


def test_a_date_the_service_refuses_is_shown_on_check_answers(walker, client, monkeypatch):
    from django.core.exceptions import ValidationError

    from ehc.services.cases import TOO_OLD
    from family import services

    def refuse(**kwargs):
        raise ValidationError({"date_of_birth": TOO_OLD})

    monkeypatch.setattr(services, "online_request_submit", refuse)
    walker.answer_all(default_answers())
    response = walker.submit()
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "25 or over" in page
    assert "<title>Error:" in page
    assert step_url("child-or-young-person") + "?change=1" in page
    assert not Case.objects.exists()
    assert "ehc_request" in client.session


def test_a_urn_we_know_names_the_current_setting(walker):
    from ehc.models import Setting

    setting = Setting.objects.create(name="Oakfield Primary School", kind="school", urn="123456")
    walker.complete()
    assert _only_case().child.current_setting == setting


def test_an_unknown_urn_stays_as_text(walker):
    walker.complete()
    assert _only_case().child.current_setting is None
