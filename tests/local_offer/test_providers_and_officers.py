"""Providers propose changes; officers see exactly what changed and approve; comments are
answered and published anonymised; Schedule 2 gaps are named. (The review, action and reg 56
clocks and their alerts: test_clocks.py.)"""

from datetime import date, time

import pytest

from local_offer import services
from local_offer.models import ChangeRequest, Comment, Publication, Service
from local_offer.services import ScheduleDetails, ServiceDetails
from tests.local_offer.conftest import TODAY
from tests.local_offer.html_forms import page_form


@pytest.fixture
def club(make_service):
    return make_service()


@pytest.fixture
def provider_client(client, provider):
    client.force_login(provider)
    return client


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def propose_new_times(client, service):
    url = f"/local-offer/provider/services/{service.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page_form(page.content.decode())
    data = form.fill(days_1=["SA", "SU"], opens_1="09:30", closes_1="12:30")
    return client.post(url, data)


def test_provider_changes_opening_times_and_it_waits_for_approval(provider_client, club):
    response = propose_new_times(provider_client, club)
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert change.status == ChangeRequest.Status.PENDING
    club.refresh_from_db()
    assert club.schedules.get().byday == "SA"  # unchanged until approved
    listing = provider_client.get("/local-offer/provider/").content.decode()
    assert "Waiting for approval" in listing
    again = provider_client.get(f"/local-offer/provider/services/{club.pk}/change/")
    assert "waiting for the council" in again.content.decode()


def test_provider_cannot_open_another_organisations_record(
    provider_client, make_service, other_organisation
):
    theirs = make_service(org=other_organisation, details_kw={"name": "Not yours"})
    assert (
        provider_client.get(f"/local-offer/provider/services/{theirs.pk}/change/").status_code
        == 404
    )
    assert (
        provider_client.post(f"/local-offer/provider/services/{theirs.pk}/confirm/").status_code
        == 404
    )
    assert not ChangeRequest.objects.exists()


def test_families_and_staff_without_the_role_cannot_use_provider_pages(client, club, caseworker):
    assert client.get("/local-offer/provider/").status_code == 302  # sign in first
    client.force_login(caseworker)
    assert client.get("/local-offer/provider/").status_code == 403


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"minimum_age": "14", "maximum_age": "10"}, services.MIN_ABOVE_MAX),
        ({"maximum_age": "30"}, "Enter an age from 0 to 25"),
        (
            {"days_1": ["MO"], "opens_1": "17:00", "closes_1": "09:00"},
            "The closing time must be after the opening time",
        ),
        ({"opens_1": "whenever"}, "Enter a time like 09:30 or 16:00"),
    ],
)
def test_provider_bad_input_is_explained_and_nothing_is_saved(
    provider_client, club, values, message
):
    url = f"/local-offer/provider/services/{club.pk}/change/"
    form = page_form(provider_client.get(url).content.decode())
    response = provider_client.post(url, form.fill(**values))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert not ChangeRequest.objects.exists()


def test_unchanged_form_says_nothing_changed(provider_client, club):
    url = f"/local-offer/provider/services/{club.pk}/change/"
    form = page_form(provider_client.get(url).content.decode())
    response = provider_client.post(url, form.fill())
    assert services.NOTHING_CHANGED in response.content.decode()


def test_officer_sees_the_diff_and_approves(provider_client, club, officer, client):
    propose_new_times(provider_client, club)
    change = ChangeRequest.objects.get()
    client.force_login(officer)
    overview = client.get("/staff/local-offer/").content.decode()
    assert club.name in overview
    page = client.get(f"/staff/local-offer/changes/{change.pk}/").content.decode()
    assert "Opening times" in page
    assert "Saturday: 10:00 to 12:00" in page and "Saturday, Sunday: 09:30 to 12:30" in page
    assert "Youngest age" not in page  # only what changed
    form = page_form(page)
    response = client.post(
        f"/staff/local-offer/changes/{change.pk}/", form.fill(decision="approve")
    )
    assert response.status_code == 302
    club.refresh_from_db()
    assert [(s.byday, s.opens_at) for s in club.schedules.all()] == [("SA,SU", time(9, 30))]
    assert club.history.first().history_user == officer
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.APPROVED


def test_reject_needs_a_reason(provider_client, club, officer, client):
    propose_new_times(provider_client, club)
    change = ChangeRequest.objects.get()
    client.force_login(officer)
    url = f"/staff/local-offer/changes/{change.pk}/"
    form = page_form(client.get(url).content.decode())
    response = client.post(url, form.fill(decision="reject"))
    assert "Tell the provider why" in response.content.decode()
    client.post(url, form.fill(decision="reject", note="Please add the new venue too."))
    change.refresh_from_db()
    assert change.status == ChangeRequest.Status.REJECTED


def test_approving_an_out_of_date_change_is_refused(club, provider, officer):
    current = ServiceDetails.of(club)
    change = services.change_request_submit(
        service=club,
        details=ServiceDetails(**{**current.__dict__, "name": "New name"}),
        acting_user=provider,
    )
    services.service_update(
        service=club,
        details=ServiceDetails(**{**current.__dict__, "alert": "Closed in August"}),
        acting_user=officer,
    )
    with pytest.raises(Exception, match="has changed since"):
        services.change_request_approve(change=change, acting_user=officer)
    club.refresh_from_db()
    assert club.name != "New name"


def test_provider_confirms_a_record_is_still_right(provider_client, club):
    Service.objects.filter(pk=club.pk).update(review_due_on=date(2020, 1, 1))
    page = provider_client.get("/local-offer/provider/").content.decode()
    assert "Overdue" in page
    form = page_form(page, f"/local-offer/provider/services/{club.pk}/confirm/")
    provider_client.post(form.action, form.fill())
    club.refresh_from_db()
    assert club.review_due_on > TODAY


def test_schedule2_completeness_names_the_gaps(officer_client, make_service):
    make_service(council_kw={"schedule2_item": "schools", "in_area": True})
    html = officer_client.get("/staff/local-offer/schedule-2/").content.decode()
    assert "No out-of-area provision listed" in html
    assert "nothing in the Local Offer answers &#x27;Travel and transport&#x27;" in html


def test_comment_answered_with_action_then_published_anonymised(client, officer, db):
    services.comment_submit(about="content", text="My son Jamie at Oak School needs more clubs.")
    comment = Comment.objects.get()
    client.force_login(officer)
    url = f"/staff/local-offer/comments/{comment.pk}/"
    form = page_form(client.get(url).content.decode())
    missing_owner = client.post(
        url,
        form.fill(
            summary="A parent asked for more clubs.", response="We agree.", action="Add clubs"
        ),
    )
    assert services.ACTION_NEEDS_OWNER_AND_DATE in missing_owner.content.decode()
    client.post(
        url,
        form.fill(
            summary="A parent asked for more after-school clubs.",
            response="We agree and are asking providers.",
            action="Add five clubs to the directory",
            action_owner=str(officer.pk),
            action_due_on="2027-03-31",
        ),
    )
    comment.refresh_from_db()
    assert comment.status == Comment.Status.ACTION_OPEN and comment.action_owner == officer
    publish = client.get("/staff/local-offer/you-said-we-did/").content.decode()
    assert "Nothing is ready to publish" in publish  # not yet confirmed anonymised
    form = page_form(client.get(url).content.decode())
    client.post(url, form.fill(anonymised_confirmed="on"))
    page = client.get("/staff/local-offer/you-said-we-did/").content.decode()
    form = page_form(page)
    response = client.post("/staff/local-offer/you-said-we-did/", form.fill(confirm="on"))
    assert response.status_code == 302
    publication = Publication.objects.get()
    assert publication.next_due_on.year == publication.published_on.year + 1
    public = client.get("/local-offer/you-said-we-did/").content.decode()
    assert "more after-school clubs" in public
    assert "Jamie" not in public and "Oak School" not in public
    overview = client.get("/staff/local-offer/").content.decode()
    assert "The next &#x27;you said, we did&#x27; is due by" in overview or "is due by" in overview


def test_publishing_nothing_is_refused(officer_client, db):
    form = page_form(officer_client.get("/staff/local-offer/you-said-we-did/").content.decode())
    response = officer_client.post("/staff/local-offer/you-said-we-did/", form.fill(confirm="on"))
    assert services.PUBLISH_NOTHING in response.content.decode()
    assert not Publication.objects.exists()


def test_staff_pages_need_the_officer_role(client, caseworker, db):
    client.force_login(caseworker)
    assert client.get("/staff/local-offer/").status_code == 403
    assert client.get("/staff/local-offer/schedule-2/").status_code == 403


def test_schedule_details_round_trip():
    s = ScheduleDetails(byday=("MO", "TU"), opens_at=time(9), closes_at=time(17))
    assert ScheduleDetails.from_json(s.as_json()) == s


def test_officer_edits_synonyms_and_search_follows(officer_client, make_service):
    from local_offer.models import Synonym
    from local_offer.selectors import DirectoryFilters, directory_page

    make_service(details_kw={"name": "Holiday play scheme", "description": "Summer fun."})
    page = officer_client.get("/staff/local-offer/synonyms/").content.decode()
    form = page_form(page)
    one = officer_client.post("/staff/local-offer/synonyms/", form.fill(words="jollies"))
    assert services.SYNONYM_NEEDS_TWO in one.content.decode()
    officer_client.post("/staff/local-offer/synonyms/", form.fill(words="jollies, play scheme"))
    assert directory_page(DirectoryFilters(q="jollies")).total == 1
    synonym = Synonym.objects.get(words="jollies, play scheme")
    page = officer_client.get("/staff/local-offer/synonyms/").content.decode()
    delete = page_form(page, "/staff/local-offer/synonyms/")
    officer_client.post("/staff/local-offer/synonyms/", {**delete.fill(), "delete": synonym.pk})
    assert not Synonym.objects.filter(pk=synonym.pk).exists()
    assert directory_page(DirectoryFilters(q="jollies")).total == 0
