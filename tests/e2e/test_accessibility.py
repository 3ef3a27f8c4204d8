"""axe-core (WCAG 2.0-2.2 A and AA) on every public page and every family page, in the states
people see them in: blank, with errors, and with real case data."""

import pytest
from django.urls import reverse

from ehc.models import Notice
from tests.e2e.conftest import assert_accessible
from tests.family.builders import case_refused, case_with_draft_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/request/",
        "/privacy/",
        "/accessibility/",
        "/sign-in/",
        "/my-cases/sign-in-link/",
        "/request/check-answers/",  # with no journey: "your answers could not be found"
        "/my-cases/set-up/MQ/not-a-token/",  # an expired or used link
    ],
)
def test_public_pages(page, path):
    page.goto(path)
    assert_accessible(page, "public" + path.replace("/", "_"))


def test_public_pages_with_errors(page, db):
    page.goto("/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    assert_accessible(page, "sign-in-error")
    page.goto("/my-cases/sign-in-link/")
    page.get_by_label("Email address").fill("not an email")
    page.get_by_role("button", name="Send me a link").click()
    assert_accessible(page, "sign-in-link-error")
    page.get_by_label("Email address").fill("nobody@example.com")
    page.get_by_role("button", name="Send me a link").click()
    assert_accessible(page, "sign-in-link-sent")


def test_school_and_young_person_pages(page, team):
    page.goto("/request/start/")
    page.get_by_label("A school, college, nursery or other setting").check()
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page, "school-about-you")
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page, "school-about-you-error")
    page.get_by_role("link", name="Back").click()
    page.get_by_label("A young person aged 16 to 25").check()
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page, "young-person-about-you")


def test_the_rate_limited_page(page, db, settings):
    settings.EHC_RATELIMIT_SIGN_IN_IP = "1/15m"
    for _ in range(2):
        page.goto("/sign-in/")
        page.get_by_label("Username or email address").fill("a@example.com")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Sign in").click()
    assert "too many attempts" in page.locator("main").inner_text()
    assert_accessible(page, "rate-limited")


@pytest.fixture
def signed_in_family(page, parent_user, make_case, caseworker):
    """A parent with a draft plan on one case and a refusal on another, signed in."""
    draft = case_with_draft_plan(make_case, caseworker, parent_user)
    refused = case_refused(
        make_case,
        caseworker,
        parent_user,
        first_name="Ben",
        last_name="Lovelace",
        date_of_birth=draft.child.date_of_birth.replace(year=2012),
    )
    page.goto("/sign-in/")
    page.get_by_label("Username or email address").fill("pat@example.com")
    page.get_by_label("Password").fill("test-password-1")
    page.get_by_role("button", name="Sign in").click()
    return draft, refused


def test_family_pages(page, signed_in_family):
    draft, refused = signed_in_family
    assert "Your cases" in page.locator("nav").inner_text()
    page.get_by_role("link", name="Your cases").first.click()
    assert_accessible(page, "family-list")
    page.get_by_role("link", name=draft.child.full_name).click()
    assert_accessible(page, "family-case-draft")
    text = page.locator("main").inner_text()
    assert "Exception we relied on" in text and "Our reason" in text
    page.get_by_role("link", name="Read the draft plan").first.click()
    assert_accessible(page, "family-plan")
    page.goto(reverse("family:disagree", args=[draft.pk]))
    assert_accessible(page, "family-disagree-none")
    notice = draft.notices.get(kind=Notice.Kind.DRAFT_PLAN)
    page.goto(reverse("family:notice", args=[draft.pk, notice.pk]))
    assert_accessible(page, "family-letter-draft")

    page.goto(reverse("family:case_detail", args=[refused.pk]))
    assert_accessible(page, "family-case-refused")
    page.get_by_role("link", name="What you can do if you disagree").click()
    assert_accessible(page, "family-disagree")
    page.get_by_role("link", name="Read the letter").click()
    assert_accessible(page, "family-letter-refusal")


def test_another_familys_case_is_not_found_in_the_browser_either(
    page, signed_in_family, make_case, caseworker, other_parent
):
    theirs = case_refused(make_case, caseworker, other_parent, first_name="Zed", last_name="Other")
    response = page.goto(reverse("family:case_detail", args=[theirs.pk]))
    assert response.status == 404
    assert "Zed" not in page.content()
