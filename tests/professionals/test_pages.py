"""Every professionals form, rendered as the role that uses it, filled with only what the page
shows, submitted, and its effect checked; and the bad input the issue lists."""

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from ehc.models import Case, CaseEvent, Deadline
from ehc.models.audit import ReadAudit
from professionals import services
from professionals.models import (
    AdviceDocument,
    AdviceMessage,
    AdviceRequest,
    Invitation,
    Membership,
    Organisation,
    SchoolRequest,
)
from tests.pages.walker import PDF, fill, read_page
from workflows.flows import EHCNeedsAssessmentFlow
from workflows.services import case_close_with_flow

pytestmark = pytest.mark.django_db


def _form(client, url, *, has: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, response.content[:2000]
    page = read_page(url, _text(response))
    forms = [f for f in page.forms if f.method == "post" and has in f.names]
    assert forms, f"no form with {has} on {url}"
    return forms[0], _text(response)


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _errors(response) -> str:
    body = _text(response)
    start = body.find("govuk-error-summary")
    return body[start : start + 1500] if start >= 0 else ""


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


# -- organisations and members -----------------------------------------------------------------


def test_a_manager_creates_a_school_organisation_from_the_settings_register(
    client, manager, school_setting
):
    client.force_login(manager)
    url = reverse("professionals_staff:organisations")
    form, _ = _form(client, url, has="kind")
    data = fill(form)
    data.update(kind="school", setting=str(school_setting.pk), name="")
    response = client.post(url, data)
    assert response.status_code == 302, _errors(response)
    organisation = Organisation.objects.get()
    assert organisation.setting == school_setting and organisation.name == "Meadow Primary School"


def test_a_school_without_its_register_entry_is_refused_and_nothing_saved(client, manager):
    client.force_login(manager)
    url = reverse("professionals_staff:organisations")
    form, _ = _form(client, url, has="kind")
    data = {**fill(form), "kind": "school", "setting": "", "name": "Some school"}
    response = client.post(url, data)
    assert response.status_code == 200 and services.SETTING_NEEDED in _errors(response)
    assert not Organisation.objects.exists()


def test_caseworkers_and_professionals_cannot_manage_organisations(client, caseworker, ep_admin):
    for user in (caseworker, ep_admin):
        client.force_login(user)
        assert client.get(reverse("professionals_staff:organisations")).status_code == 403


def test_the_administrator_invites_a_colleague_who_joins_once_by_the_link(
    client, ep_admin, django_capture_on_commit_callbacks
):
    client.force_login(ep_admin)
    org = Membership.objects.get(user=ep_admin).organisation
    url = reverse("professionals:members", args=[org.pk])
    form, _ = _form(client, url, has="email")
    data = {**fill(form), "email": "new.person@eps.example.org", "full_name": "New Person"}
    data.pop("is_admin", None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, _errors(response)
    invitation = Invitation.objects.get()
    assert mail.outbox[-1].to == ["new.person@eps.example.org"]
    assert services.invitation_token(invitation) in mail.outbox[-1].body
    assert not invitation.is_admin
    # The email carries the link (sent on commit; the test client commits).
    link = services.invitation_token(invitation)
    join_url = reverse("professionals_public:invitation", args=[link])
    client.logout()
    form, body = _form(client, join_url, has="password")
    assert org.name in body
    response = client.post(join_url, {**fill(form), "password": "a-very-long-password-2026"})
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="new.person@eps.example.org")
    assert membership.organisation == org and membership.is_active
    assert membership.user.groups.filter(name="professional").exists()
    # Reused: a clear message, nothing changes.
    response = client.get(join_url)
    assert response.status_code == 410 and services.INVITATION_USED in _text(response)
    response = client.post(join_url, {"password": "another-long-password-2026"})
    assert response.status_code == 410
    assert Membership.objects.filter(organisation=org).count() == 2


def test_an_expired_or_altered_invitation_link_is_refused_with_a_message(client, ep_admin):
    org = Membership.objects.get(user=ep_admin).organisation
    sent = services.invitation_create(
        organisation=org,
        email="late@eps.example.org",
        full_name="Late Comer",
        is_admin=False,
        is_senco=False,
        acting_user=ep_admin,
        now=timezone.now() - timedelta(days=8),
    )
    token = services.invitation_token(sent.invitation)
    response = client.get(reverse("professionals_public:invitation", args=[token]))
    assert response.status_code == 410 and services.INVITATION_EXPIRED in _text(response)
    response = client.post(
        reverse("professionals_public:invitation", args=[token[:-3] + "abc"]),
        {"password": "a-very-long-password-2026"},
    )
    assert response.status_code == 410 and services.INVITATION_INVALID in _text(response)
    assert not Membership.objects.filter(user__username="late@eps.example.org").exists()


def test_the_administrator_removes_a_member_whose_next_request_is_refused(
    client, ep_admin, ep_colleague
):
    colleague_client = client.__class__()
    colleague_client.force_login(ep_colleague)
    assert colleague_client.get(reverse("professionals:inbox")).status_code == 200
    client.force_login(ep_admin)
    membership = Membership.objects.get(user=ep_colleague)
    url = reverse("professionals:members", args=[membership.organisation_id])
    response = client.get(url)
    page = read_page(url, _text(response))
    remove = next(f for f in page.forms if "remove" in f.names)
    button = next(b for b in remove.buttons() if b and b.value == str(membership.pk))
    response = client.post(url, fill(remove, button=button))
    assert response.status_code == 302
    assert colleague_client.get(reverse("professionals:inbox")).status_code == 403


def test_the_council_suspends_an_organisation_and_a_member_at_once(
    client, manager, ep_admin, ep_colleague, ep_service
):
    member_client = client.__class__()
    member_client.force_login(ep_colleague)
    client.force_login(manager)
    url = reverse("professionals_staff:organisation", args=[ep_service.pk])
    form, _ = _form(client, url, has="suspend-reason")
    response = client.post(url, {**fill(form), "action": "suspend"})
    assert response.status_code == 302
    ep_service.refresh_from_db()
    assert ep_service.is_suspended
    assert member_client.get(reverse("professionals:inbox")).status_code == 403
    services.organisation_reinstate(organisation=ep_service, acting_user=manager)
    assert member_client.get(reverse("professionals:inbox")).status_code == 200
    membership = Membership.objects.get(user=ep_colleague)
    response = client.post(url, {"action": "suspend_member", "membership": membership.pk})
    assert response.status_code == 302
    assert member_client.get(reverse("professionals:inbox")).status_code == 403


def test_a_professional_passes_the_same_second_factor_as_staff(client, ep_admin):
    from tests.security_support import password_only_login

    password_only_login(client, ep_admin)
    response = client.get(reverse("professionals:inbox"))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


# -- advice requests ---------------------------------------------------------------------------


def test_the_caseworker_asks_an_organisation_and_its_inbox_gets_only_the_chosen_details(
    client, caseworker, assessing_case, ep_service, ep_admin
):
    case = assessing_case()
    client.force_login(caseworker)
    case_page = client.get(reverse("ehc:case_detail", args=[case.pk])).content.decode()
    url = reverse("professionals_case:send", args=[case.pk])
    assert url in case_page
    form, _ = _form(client, url, has="organisation")
    data = fill(form)
    data.update(
        adviser="psychological", organisation=str(ep_service.pk), details=["name", "date_of_birth"]
    )
    response = client.post(url, data)
    assert response.status_code == 302, _errors(response)
    advice = AdviceRequest.objects.get()
    assert advice.organisation == ep_service and set(advice.child_details) == {
        "name",
        "date_of_birth",
    }
    assert case.events.filter(
        kind=CaseEvent.Kind.ADVICE_REQUESTED, subject_key="psychological"
    ).exists()
    assert set(
        Deadline.objects.filter(case=case, source="professionals").values_list("kind", flat=True)
    ) == {"PA1", "PA2"}
    a5 = Deadline.objects.get(case=case, kind="A5", subject_key="psychological")
    assert advice.due_on == a5.due_on
    client.force_login(ep_admin)
    inbox = client.get(reverse("professionals:inbox")).content.decode()
    assert f"Request {advice.pk}" in inbox
    body = client.get(reverse("professionals:request", args=[advice.pk])).content.decode()
    assert "Ada Lovelace" in body and advice.why in body and advice.questions in body
    assert "Ann Lovelace" not in body  # the contact was not chosen


def test_asking_a_suspended_or_wrong_kind_of_organisation_is_refused(
    client, caseworker, assessing_case, health_trust
):
    case = assessing_case()
    client.force_login(caseworker)
    url = reverse("professionals_case:send", args=[case.pk])
    form, _ = _form(client, url, has="organisation")
    data = {**fill(form), "adviser": "psychological", "organisation": str(health_trust.pk)}
    response = client.post(url, data)
    assert response.status_code == 200 and "is not an organisation that gives" in _errors(response)
    assert not AdviceRequest.objects.exists()
    assert not case.events.filter(kind=CaseEvent.Kind.ADVICE_REQUESTED).exists()


def _request_page(client, advice):
    url = reverse("professionals:request", args=[advice.pk])
    response = client.get(url)
    assert response.status_code == 200
    return url, read_page(url, _text(response))


def _post_form(client, page_url, page, has, **overrides):
    form = next(f for f in page.forms if has in f.names)
    data = {**fill(form), **overrides}
    target = form.action or page_url
    return client.post(target, data)


def test_accept_assign_ask_upload_write_and_send_records_advice_received(
    client, advice_request, ep_admin, ep_colleague, caseworker
):
    advice = advice_request()
    client.force_login(ep_admin)
    url, page = _request_page(client, advice)
    accept = next(f for f in page.forms if f.action.endswith("/accept/"))
    assert client.post(accept.action, fill(accept)).status_code == 302
    advice.refresh_from_db()
    assert advice.status == "accepted" and advice.assigned_to == ep_admin
    assert Deadline.objects.get(case=advice.case, kind="PA1").met_on == timezone.localdate()

    url, page = _request_page(client, advice)
    response = _post_form(
        client, url, page, "assign-assignee", **{"assign-assignee": str(ep_colleague.pk)}
    )
    assert response.status_code == 302
    advice.refresh_from_db()
    assert advice.assigned_to == ep_colleague

    client.force_login(ep_colleague)
    url, page = _request_page(client, advice)
    assert (
        _post_form(
            client,
            url,
            page,
            "question-text",
            **{"question-text": "Is there a recent hearing test?"},
        ).status_code
        == 302
    )
    assert AdviceMessage.objects.filter(request=advice, from_council=False).count() == 1
    url, page = _request_page(client, advice)
    upload = next(f for f in page.forms if "upload-document" in f.names)
    response = client.post(
        upload.action,
        {
            **fill(upload),
            "upload-document": SimpleUploadedFile("report.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302, _errors(response)
    assert AdviceDocument.objects.get(request=advice).original_name == "report.pdf"
    url, page = _request_page(client, advice)
    assert _post_form(client, url, page, "advice-needs").status_code == 302
    url, page = _request_page(client, advice)
    submit = next(f for f in page.forms if f.action.endswith("/submit/"))
    assert client.post(submit.action, fill(submit)).status_code == 302

    advice.refresh_from_db()
    assert advice.status == "submitted" and advice.submitted_by == ep_colleague
    received = advice.case.events.get(
        kind=CaseEvent.Kind.ADVICE_RECEIVED, subject_key="psychological"
    )
    assert received.occurred_on == timezone.localdate() and "Colin Psych" in received.summary
    a5 = Deadline.objects.get(case=advice.case, kind="A5", subject_key="psychological")
    assert a5.status == Deadline.Status.MET and a5.met_on == timezone.localdate()
    task = Task.objects.get(
        process__artifact_object_id=advice.case.pk,
        flow_task=EHCNeedsAssessmentFlow.advice_psychological,
    )
    assert task.status == STATUS.DONE
    # The caseworker sees it on the case page, with the date and who sent it.
    client.force_login(caseworker)
    body = client.get(
        reverse("professionals_case:request", args=[advice.case.pk, advice.pk])
    ).content.decode()
    assert "Colin Psych" in body and timezone.localdate().strftime("%-d %B %Y") in body


def test_wrong_type_and_oversize_uploads_are_refused_with_the_limit_and_nothing_kept(
    client, advice_request, ep_admin, settings
):
    settings.EHC_ADVICE_MAX_FILE_MB = 1
    advice = advice_request()
    client.force_login(ep_admin)
    target = reverse("professionals:request_action", args=[advice.pk, "upload"])
    response = client.post(
        target,
        {"upload-document": SimpleUploadedFile("x.exe", b"MZ\x90\x00" * 100, "application/pdf")},
    )
    assert response.status_code == 200 and services.WRONG_TYPE in _errors(response)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")
    response = client.post(target, {"upload-document": big})
    assert response.status_code == 200 and "smaller than 1MB" in _errors(response)
    assert not AdviceDocument.objects.exists()


def test_the_default_upload_limit_is_25mb_and_the_page_says_so(client, advice_request, ep_admin):
    advice = advice_request()
    client.force_login(ep_admin)
    body = client.get(reverse("professionals:request", args=[advice.pk])).content.decode()
    assert "up to 25MB" in body


def test_advice_sent_twice_is_recorded_once_with_a_clear_message(client, advice_request, ep_admin):
    advice = advice_request()
    services.advice_request_accept(advice=advice, acting_user=ep_admin)
    services.advice_draft_save(
        advice=advice,
        needs="Needs.",
        outcomes="",
        provision="Help.",
        other_comments="",
        acting_user=ep_admin,
    )
    client.force_login(ep_admin)
    target = reverse("professionals:request_action", args=[advice.pk, "submit"])
    assert client.post(target).status_code == 302
    response = client.post(target)
    assert response.status_code == 200
    assert "It cannot be sent again" in _text(response)
    assert advice.case.events.filter(kind=CaseEvent.Kind.ADVICE_RECEIVED).count() == 1


def test_empty_advice_is_not_sent(client, advice_request, ep_admin):
    advice = advice_request()
    services.advice_request_accept(advice=advice, acting_user=ep_admin)
    client.force_login(ep_admin)
    response = client.post(reverse("professionals:request_action", args=[advice.pk, "submit"]))
    assert response.status_code == 200 and services.ADVICE_EMPTY in _text(response)
    assert not advice.case.events.filter(kind=CaseEvent.Kind.ADVICE_RECEIVED).exists()


def test_another_organisations_request_answers_404_like_a_missing_one(
    client, advice_request, health_member
):
    advice = advice_request()
    client.force_login(health_member)
    for url in (
        reverse("professionals:request", args=[advice.pk]),
        reverse("professionals:request_action", args=[advice.pk, "accept"]),
        reverse("professionals:request", args=[advice.pk + 1000]),
    ):
        method = client.post if url.endswith("/accept/") else client.get
        assert method(url).status_code == 404
    advice.refresh_from_db()
    assert advice.status == "sent"


def test_advice_after_the_case_closed_is_refused_and_the_draft_kept(
    client, advice_request, ep_admin, caseworker
):
    advice = advice_request()
    services.advice_request_accept(advice=advice, acting_user=ep_admin)
    services.advice_draft_save(
        advice=advice,
        needs="Draft needs.",
        outcomes="",
        provision="",
        other_comments="",
        acting_user=ep_admin,
    )
    case_close_with_flow(
        case=advice.case,
        kind=CaseEvent.Kind.WITHDRAWN,
        closed_on=timezone.localdate(),
        reason="The family withdrew.",
        acting_user=caseworker,
    )
    client.force_login(ep_admin)
    response = client.post(reverse("professionals:request_action", args=[advice.pk, "submit"]))
    assert response.status_code == 200 and "The case was closed on" in _text(response)
    advice.refresh_from_db()
    assert advice.status == "closed" and advice.needs == "Draft needs."
    assert not advice.case.events.filter(kind=CaseEvent.Kind.ADVICE_RECEIVED).exists()


def test_a_closed_request_shows_only_what_the_organisation_sent_and_every_view_is_audited(
    client, advice_request, ep_admin
):
    advice = advice_request()
    client.force_login(ep_admin)
    client.get(reverse("professionals:request", args=[advice.pk]))
    assert ReadAudit.objects.filter(
        case=advice.case, user=ep_admin, what="professionals:request"
    ).exists()
    services.advice_request_accept(advice=advice, acting_user=ep_admin)
    services.advice_draft_save(
        advice=advice,
        needs="What we found.",
        outcomes="",
        provision="",
        other_comments="",
        acting_user=ep_admin,
    )
    services.advice_submit(advice=advice, acting_user=ep_admin)
    body = client.get(reverse("professionals:request", args=[advice.pk])).content.decode()
    assert "What we found." in body
    assert "Ada Lovelace" not in body and advice.questions not in body
    assert ReadAudit.objects.filter(
        case=advice.case, what="professionals:request_sent_only"
    ).exists()


def test_the_caseworker_answers_a_question_from_the_case(
    client, advice_request, ep_admin, caseworker
):
    advice = advice_request()
    services.advice_question_ask(advice=advice, text="Which school?", acting_user=ep_admin)
    client.force_login(caseworker)
    url = reverse("professionals_case:request", args=[advice.case.pk, advice.pk])
    form, body = _form(client, url, has="text")
    assert "Which school?" in body
    response = client.post(url, {**fill(form), "text": "Meadow Primary."})
    assert response.status_code == 302
    assert AdviceMessage.objects.filter(request=advice, from_council=True).count() == 1


# -- schools -----------------------------------------------------------------------------------


def test_a_senco_requests_an_assessment_and_the_parent_is_asked_for_their_views(
    client, senco, team, django_capture_on_commit_callbacks
):
    client.force_login(senco)
    url = reverse("professionals:school_request")
    form, _ = _form(client, url, has="reasons")
    data = fill(form)
    data.update(parent_email="parent.of.pupil@example.com", first_name="Pip", last_name="Pupil")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, _errors(response)
    school_request = SchoolRequest.objects.get()
    case = school_request.case
    assert case.requester_type == Case.RequesterType.SCHOOL
    assert case.child.current_setting == school_request.organisation.setting
    told = [m for m in mail.outbox if "parent.of.pupil@example.com" in m.to]
    assert told and "Pip" not in told[0].subject
    link = services.views_token(school_request)
    assert link in told[0].body
    client.logout()
    views_url = reverse("professionals_public:parent_views", args=[link])
    form, body = _form(client, views_url, has="views")
    assert school_request.organisation.name in body
    response = client.post(views_url, {**fill(form), "views": "We agree; reading is hard for Pip."})
    assert response.status_code == 200 and "Thank you" in _text(response)
    school_request.refresh_from_db()
    assert school_request.parent_views.startswith("We agree")
    response = client.post(views_url, {"views": "Again"})
    assert "Your views were sent on" in _text(response)


def test_only_a_senco_of_a_school_may_request_an_assessment(client, ep_admin):
    client.force_login(ep_admin)
    assert client.get(reverse("professionals:school_request")).status_code == 403
