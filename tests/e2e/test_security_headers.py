"""With the Content-Security-Policy enforced, GOV.UK Frontend still starts and nothing is
blocked."""

import pytest

from tests.security_support import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_work_under_the_policy(new_page, caseworker, make_case):
    case = make_case()
    page = new_page(bypass_csp=False)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto("/request/")
    classes = page.locator("body").get_attribute("class")
    assert "js-enabled" in classes and "govuk-frontend-supported" in classes
    browser_sign_in(page, "casey")
    page.goto(f"/staff/cases/{case.pk}/")
    # GOV.UK Frontend's JavaScript ran (initAll marks the header's menu button).
    page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")
    assert not [p for p in problems if "Content Security Policy" in p], problems
