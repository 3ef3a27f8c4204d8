"""The signed-in family pages: their own cases only, in plain English, with every statutory date,
exceptions and reasons, letters, the draft plan and the routes if they disagree."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from ehc import timescales
from ehc.models import EHCPlan, Notice, RequestDocument
from tests.family.builders import EXCEPTION_REASON, case_refused, case_with_draft_plan
from tests.family.conftest import PDF_BYTES

pytestmark = pytest.mark.django_db


def fmt(day) -> str:
    return date_format(day, "j F Y")


@pytest.fixture
def own_case(make_case, caseworker, parent_user):
    return case_with_draft_plan(make_case, caseworker, parent_user)


@pytest.fixture
def others_case(make_case, caseworker, other_parent):
    return case_refused(make_case, caseworker, other_parent, first_name="Zed", last_name="Other")


def _document(case) -> RequestDocument:
    document = RequestDocument(
        case=case,
        original_name="report.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        uploaded_at=timezone.now(),
    )
    document.file.save(f"request-documents/test/{case.pk}.pdf", ContentFile(PDF_BYTES), save=False)
    document.save()
    return document


def _case_urls(case, notice=None, document=None) -> dict[str, str]:
    notice = notice or case.notices.exclude(kind=Notice.Kind.CONSIDERING).first()
    document = document or _document(case)
    return {
        "case": reverse("family:case_detail", args=[case.pk]),
        "plan": reverse("family:plan", args=[case.pk]),
        "disagree": reverse("family:disagree", args=[case.pk]),
        "notice": reverse("family:notice", args=[case.pk, notice.pk]),
        "notice_pdf": reverse("family:notice", args=[case.pk, notice.pk]) + "?format=pdf",
        "document": reverse("family:document", args=[case.pk, document.pk]),
    }


def test_the_list_shows_only_their_own_cases(client, parent_user, own_case, others_case):
    client.force_login(parent_user)
    page = client.get(reverse("family:case_list")).content.decode()
    assert own_case.reference in page and "Ada Lovelace" in page
    assert others_case.reference not in page and "Zed Other" not in page


def test_case_page_in_plain_english_with_dates_exceptions_and_letters(
    client, parent_user, own_case, caseworker
):
    client.force_login(parent_user)
    response = client.get(reverse("family:case_detail", args=[own_case.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "We have sent the draft EHC plan" in page
    assert caseworker.display_name() in page
    # Every statutory date, with whether it was met.
    a2 = own_case.deadlines.get(kind="A2")
    assert fmt(a2.due_on) in page and f"Done on {fmt(a2.met_on)}" in page
    a13 = own_case.deadlines.get(kind="A13")
    assert fmt(a13.due_on) in page  # the legal date is still shown
    # The exception relied on, with its reason and when the family was told.
    assert "Exceptional personal circumstances" in page
    assert EXCEPTION_REASON.replace("'", "&#x27;") in page
    assert "We told you on" in page
    assert "The final EHC plan must be issued as soon as we can" in page  # excused, not a date
    assert "Hospital letter" not in page  # the evidence itself stays with the council
    # What happens next: the family's 15 days on the draft.
    window = timescales.draft_representations_end(
        EHCPlan.objects.get(case=own_case).draft_served_on
    )
    assert f"by <strong>{fmt(window)}</strong>" in page
    # Letters, but not the notice to professionals.
    assert "Decision to carry out an assessment" in page and "Draft EHC plan" in page
    assert "Assessment being considered" not in page


def test_plan_page_shows_sections_and_the_15_day_window(client, parent_user, own_case):
    client.force_login(parent_user)
    page = client.get(reverse("family:plan", args=[own_case.pk])).content.decode()
    window = timescales.draft_representations_end(
        EHCPlan.objects.get(case=own_case).draft_served_on
    )
    assert fmt(window) in page
    assert "Section A: Views, interests and aspirations" in page
    assert "Ada loves maths" in page
    assert "ask for a particular school" in page


def test_a_draft_not_yet_sent_is_not_shown(client, parent_user, make_case, caseworker):
    from ehc.services.assessment import (
        assessment_decision_record,
        plan_decision_record,
        plan_draft_save,
    )

    today = timezone.localdate()
    case = make_case(received_on=today - timedelta(days=40), parent=parent_user)
    assessment_decision_record(
        case=case,
        decided_on=today - timedelta(days=30),
        assess=True,
        reasons="",
        acting_user=caseworker,
    )
    plan_decision_record(
        case=case,
        decided_on=today - timedelta(days=5),
        issue=True,
        reasons="",
        acting_user=caseworker,
    )
    plan_draft_save(case=case, sections={"section_a": "Work in progress"}, acting_user=caseworker)
    client.force_login(parent_user)
    assert client.get(reverse("family:plan", args=[case.pk])).status_code == 404
    assert (
        "Work in progress"
        not in client.get(reverse("family:case_detail", args=[case.pk])).content.decode()
    )


def test_disagree_page_gives_mediation_and_appeal_dates_from_the_notice(
    client, other_parent, others_case, settings
):
    client.force_login(other_parent)
    notice = others_case.notices.get(kind=Notice.Kind.REFUSAL_TO_ASSESS)
    page = client.get(reverse("family:disagree", args=[others_case.pk])).content.decode()
    assert fmt(notice.mediation_contact_by) in page
    assert fmt(notice.appeal_by) in page
    assert notice.mediation_contact_by == timescales.mediation_contact_deadline(notice.sent_on)
    assert notice.appeal_by == timescales.appeal_deadline(notice.sent_on)
    assert settings.IASS_CONTACT in page
    assert settings.MEDIATION_ADVISER_CONTACT in page
    case_page = client.get(reverse("family:case_detail", args=[others_case.pk])).content.decode()
    assert "decided not to carry out an EHC needs assessment" in case_page
    assert fmt(notice.appeal_by) in case_page


def test_disagree_page_before_any_appealable_decision(client, parent_user, make_case):
    case = make_case(parent=parent_user)
    client.force_login(parent_user)
    page = client.get(reverse("family:disagree", args=[case.pk])).content.decode()
    assert "not made a decision you can appeal against yet" in page


def test_a_letter_is_shown_in_the_public_layout(client, parent_user, own_case):
    client.force_login(parent_user)
    notice = own_case.notices.get(kind=Notice.Kind.DRAFT_PLAN)
    response = client.get(reverse("family:notice", args=[own_case.pk, notice.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Draft EHC plan" in page
    assert reverse("family:case_detail", args=[own_case.pk]) in page
    assert "/staff/" not in page and "moj-frontend" not in page


def test_a_letter_as_pdf(client, parent_user, own_case):
    client.force_login(parent_user)
    notice = own_case.notices.get(kind=Notice.Kind.DECISION_TO_ASSESS)
    response = client.get(reverse("family:notice", args=[own_case.pk, notice.pk]) + "?format=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_the_notice_to_professionals_is_not_a_family_letter(
    client, parent_user, own_case, caseworker
):
    from ehc.services.assessment import considering_notified_record

    notice_event = considering_notified_record(
        case=own_case,
        notified_on=own_case.clock_starts_on,
        recipients="Oakfield Primary",
        acting_user=caseworker,
    )
    notice = own_case.notices.get(event=notice_event)
    client.force_login(parent_user)
    assert client.get(reverse("family:notice", args=[own_case.pk, notice.pk])).status_code == 404


def test_documents_download_to_the_family_and_staff_only(
    client, parent_user, own_case, caseworker, other_caseworker
):
    document = _document(own_case)
    url = reverse("family:document", args=[own_case.pk, document.pk])
    client.force_login(parent_user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    client.force_login(caseworker)
    assert client.get(url).status_code == 200
    client.force_login(other_caseworker)  # another team's caseworker
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


PAGES = ["case", "plan", "disagree", "notice", "notice_pdf", "document"]


@pytest.mark.parametrize("name", PAGES)
def test_another_familys_case_id_gives_404_on_every_page(
    client, parent_user, own_case, others_case, name
):
    """Changing the case id (or the letter or document id) in the URL never reaches another
    family's case: every page is 404, as if it did not exist."""
    theirs = _case_urls(others_case)
    client.force_login(parent_user)
    assert client.get(theirs[name]).status_code == 404
    # Their letter or document under our own case id is 404 too.
    if name in ("notice", "notice_pdf", "document"):
        mixed = theirs[name].replace(f"/my-cases/{others_case.pk}/", f"/my-cases/{own_case.pk}/")
        assert client.get(mixed).status_code == 404
    # And our own page works, so the 404 is the access check, not a broken page.
    mine = _case_urls(own_case)
    assert client.get(mine[name]).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_a_case_id_that_does_not_exist_gives_404(client, parent_user, own_case, name):
    urls = _case_urls(own_case)
    client.force_login(parent_user)
    missing = urls[name].replace(f"/my-cases/{own_case.pk}/", "/my-cases/999999/")
    assert client.get(missing).status_code == 404


@pytest.mark.parametrize("name", [*PAGES, "list"])
def test_signed_out_people_are_sent_to_sign_in(client, own_case, name):
    urls = {**_case_urls(own_case), "list": reverse("family:case_list")}
    response = client.get(urls[name])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["case", "plan", "disagree", "notice"])
def test_staff_use_the_staff_pages_not_the_family_ones(client, caseworker, own_case, name):
    client.force_login(caseworker)
    assert client.get(_case_urls(own_case)[name]).status_code == 403


def test_parents_see_a_your_cases_link(client, parent_user):
    client.force_login(parent_user)
    page = client.get(reverse("home")).content.decode()
    assert reverse("family:case_list") in page and "Your cases" in page


def test_the_home_page_starts_the_request(client, db):
    page = client.get(reverse("home")).content.decode()
    assert reverse("request:start") in page


def test_staff_signing_in_land_on_their_work_queue(client, caseworker):
    client.force_login(caseworker)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("workflows:queue")
