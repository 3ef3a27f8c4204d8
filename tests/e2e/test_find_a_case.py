"""Finding a case in the browser: a caseworker finds a closed case from a misspelt name typed in
the search box on every staff page, and through the case list's filters. Each page is checked
with axe-core (WCAG 2.2 A and AA)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ehc.models import CaseEvent
from ehc.services.assessment import case_close
from tests.e2e.conftest import assert_accessible
from tests.security_support import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_caseworker_finds_a_closed_case_by_a_misspelt_name(page, make_case, caseworker):
    today = timezone.localdate()
    closed = make_case(
        first_name="Amelia", last_name="Okonkwo", received_on=today - timedelta(days=40)
    )
    case_close(
        case=closed,
        kind=CaseEvent.Kind.WITHDRAWN,
        closed_on=today - timedelta(days=2),
        reason="The family moved the request to next year.",
        acting_user=caseworker,
    )
    make_case(first_name="Theo", last_name="Hughes")
    make_case(first_name="Zara", last_name="Begum")

    browser_sign_in(page, "casey", "test-password-1")
    page.goto(reverse("workflows:queue"))
    page.get_by_label("Find a case").fill("Amelia Okonkow")
    page.get_by_role("button", name="Search").click()
    main = page.locator("main")
    assert "matching ‘Amelia Okonkow’" in main.inner_text()
    row = main.locator("tbody tr", has_text="Amelia Okonkwo")
    assert "Withdrawn by the family" in row.inner_text()
    assert main.locator("tbody tr").count() == 1
    assert_accessible(page, "search-closed-case")
    row.get_by_role("link", name="Amelia Okonkwo").click()
    assert closed.reference in page.locator("main").inner_text()

    # The case list shows open cases until asked for closed ones.
    page.get_by_role("link", name="Cases", exact=True).click()
    assert "Okonkwo" not in page.locator("main").inner_text()
    page.get_by_label("Open or closed").select_option("closed")
    page.get_by_role("button", name="Apply filters").click()
    rows = page.locator("main tbody tr")
    assert rows.count() == 1 and "Amelia Okonkwo" in rows.inner_text()
    assert_accessible(page, "case-list-closed")
