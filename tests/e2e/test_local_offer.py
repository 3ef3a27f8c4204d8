"""The Local Offer in the browser, as the issue's "done when" walk: a parent without an account
searches "autism" near a postcode for a 9-year-old, keeps free services, opens one, prints it,
shortlists two and comments; a provider changes opening times and sees the change wait; an
officer approves it, answers the comment and publishes "you said, we did"; the changed service's
/openreferral/services/{id} validates against the standard. axe-core checks each public page
(WCAG 2.2 A and AA), on a phone-sized screen too, and the search works without JavaScript."""

from datetime import time

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from ehc import roles
from ehc.models import User
from local_offer import services
from local_offer.models import ChangeRequest, Comment, Publication, Service
from local_offer.postcodes import postcodes_import
from local_offer.roles import OFFICER_GROUP, PROVIDER_GROUP
from local_offer.services import ScheduleDetails
from tests.e2e.conftest import assert_accessible
from tests.local_offer.conftest import FIXTURES, council, details
from tests.local_offer.oruk_schema import validate
from tests.security_support import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "test-password-1"


def sign_in(page, username: str) -> None:
    # Providers and officers are not family accounts: they pass the second factor too.
    browser_sign_in(page, username, PASSWORD)


@pytest.fixture
def offer(db):
    postcodes_import(path=FIXTURES / "onspd_sample.csv")
    officer = User.objects.create_user(
        username="officer", password=PASSWORD, email="officer@council.example", first_name="Olu"
    )
    officer.groups.add(Group.objects.get(name=roles.MANAGER), Group.objects.get(name=OFFICER_GROUP))
    provider = User.objects.create_user(
        username="provider@riverside.example", password=PASSWORD, email="provider@riverside.example"
    )
    provider.groups.add(Group.objects.get(name=PROVIDER_GROUP))
    riverside = services.organisation_create(
        name="Riverside Autism Trust",
        description="A parent-led charity.",
        acting_user=officer,
        email="hello@riverside.example",
    )
    riverside.members.add(provider)
    hillside = services.organisation_create(
        name="Hillside Centre", description="Community centre.", acting_user=officer
    )
    club = services.service_create(
        organisation=riverside, details=details(), council=council(), acting_user=officer
    )
    swim = services.service_create(
        organisation=hillside,
        details=details(
            name="Autism-friendly swimming",
            description="Quiet swimming sessions for autistic children.",
            minimum_age=4,
            maximum_age=16,
            schedules=(ScheduleDetails(byday=("SU",), opens_at=time(9), closes_at=time(10)),),
        ),
        council=council(),
        acting_user=officer,
    )
    paid = services.service_create(
        organisation=hillside,
        details=details(
            name="Autism social skills course",
            description="A paid course for autistic children.",
            is_free=False,
            fees_description="£80 for six weeks",
        ),
        council=council(),
        acting_user=officer,
    )
    return {"club": club, "swim": swim, "paid": paid, "officer": officer, "provider": provider}


def test_done_when_walk(offer, page, new_page, live_server):
    # A parent, no account: search, filter, open, print, shortlist two, comment.
    page.set_viewport_size({"width": 375, "height": 812})  # a phone
    page.goto("/local-offer/")
    assert_accessible(page, "local-offer-directory")
    page.get_by_label("Search", exact=True).fill("autism")
    page.get_by_label("Postcode").fill("DB1 1AA")
    page.get_by_label("Age of the child or young person").fill("9")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("3 services for")).to_be_visible()
    page.get_by_label("Free services only").check()
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("2 services for")).to_be_visible()
    assert page.get_by_role("link", name="Autism social skills course").count() == 0
    assert_accessible(page, "local-offer-results")
    page.get_by_role("link", name="Saturday autism club").click()
    assert_accessible(page, "local-offer-record")
    page.get_by_role("button", name="Add to shortlist").click()
    expect(page.get_by_text("added to your shortlist")).to_be_visible()
    page.get_by_role("link", name="Printable version").click()
    expect(page.get_by_role("heading", name="Saturday autism club")).to_be_visible()
    page.goto(f"/local-offer/services/{offer['swim'].pk}/")
    page.get_by_role("button", name="Add to shortlist").click()
    page.get_by_role("link", name="View your shortlist").click()
    expect(page.get_by_role("link", name="Saturday autism club")).to_be_visible()
    expect(page.get_by_role("link", name="Autism-friendly swimming")).to_be_visible()
    assert_accessible(page, "local-offer-shortlist")
    page.goto("/local-offer/comment/")
    assert_accessible(page, "local-offer-comment")
    page.get_by_label("What is in the Local Offer").check()
    page.get_by_label("Your comment").fill("Please list more clubs for autistic teenagers.")
    page.get_by_role("button", name="Send comment").click()
    expect(page.get_by_role("heading", name="Comment sent")).to_be_visible()
    assert Comment.objects.count() == 1

    # A provider changes the club's opening times; it waits for approval.
    provider = new_page()
    sign_in(provider, "provider@riverside.example")
    provider.goto("/local-offer/provider/")
    provider.get_by_role("link", name="Change Saturday autism club").click()
    provider.locator('[name="days_1"][value="SU"]').check()
    provider.locator('[name="opens_1"]').fill("09:30")
    provider.locator('[name="closes_1"]').fill("12:30")
    provider.get_by_role("button", name="Send for approval").click()
    expect(provider.get_by_text("Waiting for approval")).to_be_visible()
    assert Service.objects.get(pk=offer["club"].pk).schedules.get().byday == "SA"

    # An officer approves it, answers the comment and publishes "you said, we did".
    officer = new_page()
    sign_in(officer, "officer")
    officer.goto("/staff/local-offer/")
    officer.get_by_role("link", name="Saturday autism club").first.click()
    expect(officer.get_by_text("Saturday, Sunday: 09:30 to 12:30")).to_be_visible()
    officer.get_by_label("Approve and publish the change").check()
    officer.get_by_role("button", name="Save decision").click()
    assert ChangeRequest.objects.get().status == ChangeRequest.Status.APPROVED
    officer.get_by_role("link", name="Please list more clubs").click()
    officer.get_by_label("The comment as it will be published").fill(
        "A parent asked for more clubs for autistic teenagers."
    )
    officer.get_by_label("Our response (you said, we did)").fill("We are asking clubs to join.")
    officer.get_by_label("I have checked the published comment identifies nobody").check()
    officer.get_by_role("button", name="Save answer").click()
    officer.goto("/staff/local-offer/you-said-we-did/")
    officer.get_by_label("Publish the answered comments listed above").check()
    officer.get_by_role("button", name="Publish 'you said, we did'").click()
    expect(officer.get_by_text("more clubs for autistic teenagers")).to_be_visible()
    assert Publication.objects.count() == 1
    assert_accessible(officer, "local-offer-you-said-we-did")

    # The changed service in the open data feed.
    response = page.request.get(f"{live_server.url}/openreferral/services/{offer['club'].pk}")
    body = response.json()
    validate("/services/{id}", body)
    assert body["schedules"][0]["byday"] == "SA,SU"
    assert response.headers["access-control-allow-origin"] == "*"


def test_search_without_javascript(offer, nojs_page):
    nojs_page.goto("/local-offer/")
    nojs_page.get_by_label("Search", exact=True).fill("swimming")
    nojs_page.get_by_label("Postcode").fill("not a postcode")
    nojs_page.get_by_role("button", name="Search").click()
    expect(nojs_page.get_by_text("There is a problem")).to_be_visible()
    nojs_page.get_by_label("Postcode").fill("DB1 1AA")
    nojs_page.get_by_role("button", name="Search").click()
    expect(nojs_page.get_by_role("link", name="Autism-friendly swimming")).to_be_visible()


def test_search_error_is_accessible(offer, page):
    page.goto("/local-offer/?postcode=90210&age=40")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page, "local-offer-search-error")


@pytest.mark.parametrize(
    "path",
    [
        "ehc-needs-assessment",
        "personal-budgets",
        "mediation-and-appeals",
        "information-advice",
        "complaints",
        "you-said-we-did",
    ],
)
def test_fixed_pages_are_accessible(offer, page, path):
    page.goto(f"/local-offer/{path}/")
    assert_accessible(page, f"local-offer-{path}")


def test_a_manager_finds_stale_records_and_the_next_report_on_the_dashboard(offer, page):
    """The Local Offer's clocks on the managers' dashboard, followed to the record."""
    from datetime import timedelta

    from ehc.models import SubjectDeadline
    from ehc.services.common import local_today
    from local_offer import clocks

    stale = Service.objects.get(pk=offer["swim"].pk)
    stale.review_due_on = local_today() - timedelta(days=3)
    stale.save()
    clocks.service_clock_track(service=stale)  # as the back-fill would: its new review date
    sign_in(page, "officer")
    page.goto("/staff/dashboards/")
    page.get_by_role("link", name="Deadlines without a case").click()
    assert_accessible(page, "dashboards-without-a-case")
    report = SubjectDeadline.objects.get(kind="LO1", is_open=True)
    expect(page.get_by_role("row", name="You said, we did")).to_contain_text(
        f"{report.due_on.day} {report.due_on:%b %Y}"
    )
    page.get_by_role("link", name="Local Offer record checked overdue").click()
    assert_accessible(page, "dashboards-without-a-case-list")
    row = page.get_by_role("row", name="Autism-friendly swimming")
    expect(row).to_contain_text("3")  # days late
    expect(row).to_contain_text("Olu")  # the council's officer: Hillside has no address
    row.get_by_role("link", name="Autism-friendly swimming").click()
    expect(page.get_by_role("heading", name="Autism-friendly swimming")).to_be_visible()
