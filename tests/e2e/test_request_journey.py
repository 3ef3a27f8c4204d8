"""The whole request journey in real headless Chromium, with and without JavaScript, checked
with axe-core on every page; then the caseworker finds the case in the team queue, and the
family signs in and sees it move."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from ehc.models import Case, RequestDocument
from tests.e2e.conftest import assert_accessible, snap
from tests.family.conftest import PDF_BYTES
from tests.security_support import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _continue(page):
    page.get_by_role("button", name="Continue").click()


def fill_journey(page, tmp_path, *, check=True, first_name="Ada", with_errors=True, send=True):
    """Answer every page like a person would, by the labels they read. With `check`, run axe
    on each page, and with `with_errors` also on a page showing the error summary."""

    def look(name):
        if check:
            assert_accessible(page, name)
        else:
            snap(page, name)

    page.goto("/")
    look("home")
    page.get_by_role("button", name="Ask for an assessment").click()
    look("start")
    page.get_by_role("button", name="Start now").click()

    look("who")
    if with_errors:
        _continue(page)
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        look("who-error")
    page.get_by_label("A parent or carer").check()
    _continue(page)

    look("child")
    page.get_by_label("First name").fill(first_name)
    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("5")
    page.get_by_label("Year").fill("2099" if with_errors else "2015")
    _continue(page)
    if with_errors:
        assert (
            "Date of birth must be today or in the past"
            in page.locator(".govuk-error-summary").inner_text()
        )
        look("child-error")
        assert page.get_by_label("First name").input_value() == first_name  # kept
        page.get_by_label("Year").fill("2015")
        _continue(page)

    look("contact")
    page.get_by_label("Full name").fill("Ann Lovelace")
    page.get_by_label("Parent", exact=True).check()
    page.get_by_label("Email", exact=True).check()
    if with_errors:
        _continue(page)
        look("contact-error")
    page.get_by_label("Email address").fill("ann@example.com")
    page.get_by_label("Communication needs (optional)").fill("Please email rather than phone.")
    _continue(page)

    look("another")
    page.get_by_label("No").check()
    _continue(page)

    look("setting")
    page.get_by_label("Name of the school").fill("Oakfield Primary")
    _continue(page)

    look("needs")
    page.get_by_label(f"What does {first_name} find difficult?").fill("Reading and noisy rooms.")
    _continue(page)
    look("support")
    page.get_by_label(f"What help has {first_name} had so far?").fill(
        "Reading group with the SENCO."
    )
    _continue(page)

    look("views")
    if with_errors:
        _continue(page)
        look("views-error")
    page.get_by_label(f"What does {first_name} enjoy").fill("Maths and swimming.")
    page.get_by_label(f"What are {first_name}'s hopes").fill("To be an engineer.")
    _continue(page)

    look("documents")
    if with_errors:
        fake = tmp_path / "report.pdf"
        fake.write_bytes(b"plain text, not a PDF")
        page.get_by_label("Upload a file").set_input_files(str(fake))
        page.get_by_role("button", name="Upload file").click()
        assert (
            "must be a PDF, JPEG, PNG or Word document"
            in page.locator(".govuk-error-summary").inner_text()
        )
        look("documents-error")
    real = tmp_path / "school-report.pdf"
    real.write_bytes(PDF_BYTES)
    page.get_by_label("Upload a file").set_input_files(str(real))
    page.get_by_role("button", name="Upload file").click()
    assert "school-report.pdf" in page.locator("main").inner_text()
    look("documents-added")
    _continue(page)

    look("consent")
    if with_errors:
        _continue(page)
        look("consent-error")
    page.get_by_label("I have read the privacy notice").check()
    _continue(page)

    look("check-answers")
    assert "Oakfield Primary" in page.locator("main").inner_text()
    assert "school-report.pdf" in page.locator("main").inner_text()
    if not send:
        return ""
    page.get_by_role("button", name="Accept and send request").click()

    look("confirmation")
    return page.locator(".govuk-panel__body strong").inner_text()


def test_the_whole_journey_then_the_caseworker_finds_it_and_the_family_follows_it(
    page, new_page, tmp_path, caseworker
):
    reference = fill_journey(page, tmp_path)
    case = Case.objects.get()
    assert reference == case.reference
    assert case.request_channel == "online_form"
    assert RequestDocument.objects.get(case=case).original_name == "school-report.pdf"
    assert re.search(r"by \d{1,2} \w+ \d{4}", page.locator("main").inner_text())

    # The caseworker finds it in the team's queue.
    staff = new_page()
    browser_sign_in(staff, "casey")
    staff.goto("/staff/?scope=team")
    snap(staff, "staff-queue")
    queue = staff.locator("main").inner_text()
    assert reference in queue and "Ada Lovelace" in queue

    # The family sets up their sign-in from the email and sees the case.
    link = re.search(r"https?://[^\s]+/my-cases/set-up/[^\s]+", mail.outbox[0].body).group(0)
    page.goto(link)
    assert_accessible(page, "account-setup")
    page.get_by_label("Create a password").fill("purple-giraffe-1987")
    page.get_by_label("Type the password again").fill("purple-giraffe-1987")
    page.get_by_role("button", name="Save password and sign in").click()
    assert_accessible(page, "family-case-list")
    page.get_by_role("link", name="Ada Lovelace").click()
    assert_accessible(page, "family-case-new")
    assert "Not named yet" in page.locator("main").inner_text()

    # The caseworker takes the first task; the family sees who their caseworker is.
    staff.get_by_role("button", name=re.compile(rf"Take .* for {reference}")).click()
    page.reload()
    assert "Casey Worker" in page.locator("main").inner_text()
    snap(page, "family-case-with-caseworker")


def test_the_journey_works_without_javascript(nojs_page, tmp_path, team):
    reference = fill_journey(nojs_page, tmp_path, check=False, first_name="Noah")
    case = Case.objects.get()
    assert reference == case.reference
    assert case.child.first_name == "Noah"
    assert RequestDocument.objects.filter(case=case).count() == 1


def test_back_links_keep_the_answers(page, team):
    page.goto("/request/start/")
    page.get_by_label("A young person aged 16 to 25").check()
    _continue(page)
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Last name").fill("Taylor")
    page.get_by_label("Day").fill("10")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2007")
    _continue(page)
    assert_accessible(page, "young-person-contact")
    page.get_by_role("link", name="Back").click()
    assert page.get_by_label("First name").input_value() == "Sam"
    page.get_by_role("link", name="Back").click()
    assert page.get_by_label("A young person aged 16 to 25").is_checked()


def test_double_click_on_send_makes_one_case(page, tmp_path, team):
    """Two fast clicks (and, without JavaScript's double-click guard, two POSTs) make one case."""
    # (Pages are sent with Cache-Control: no-store, so the browser's Back button fetches the
    # check-answers page again rather than showing a stored copy.)
    fill_journey(page, tmp_path, check=False, with_errors=False, send=False)
    page.get_by_role("button", name="Accept and send request").dblclick()
    page.wait_for_url("**/request/confirmation/")
    assert Case.objects.count() == 1
