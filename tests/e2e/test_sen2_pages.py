"""The SEN2 return in the browser: a manager sees a missing item flagged on the SEN2 page,
follows the flag's link, records the item, and sees the error gone. Each page passes axe-core
(WCAG 2.2 A and AA), the form with and without an error."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ehc.models import Setting
from ehc.services import case_event_record
from sen2 import services
from tests.conftest import london
from tests.e2e.conftest import assert_accessible
from tests.security_support import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username: str, password: str = "test-password-1") -> None:
    browser_sign_in(page, username, password)


def test_a_manager_fixes_a_flagged_record(page, manager, caseworker, make_case):
    received = date(2026, 1, 5)
    case = make_case(received_at=london(2026, 1, 5), first_name="Ada", last_name="Byron")
    for kind, on in [
        ("decided_to_assess", received + timedelta(days=30)),
        ("decided_to_issue", received + timedelta(days=100)),
        ("draft_served", received + timedelta(days=110)),
        ("final_plan_issued", received + timedelta(days=126)),
    ]:
        case_event_record(case=case, kind=kind, occurred_on=on, acting_user=caseworker)
    school = Setting.objects.create(name="Oak School", kind="school", phase="special", urn="123456")
    services.request_detail_save(
        case=case, items=services.RequestItems(request_source="PA"), acting_user=caseworker
    )
    services.need_types_save(case=case, ranked=["ASD"], acting_user=caseworker)
    services.placement_save(
        case=case,
        items=services.PlacementItems(
            setting=school, sen_setting="", rank=1, entry_date=received + timedelta(days=130)
        ),
        acting_user=caseworker,
    )

    sign_in(page, "morgan")
    page.get_by_role("link", name="SEN2 return").click()
    page.goto(reverse("sen2:return") + "?year=2027")
    assert "R01" in page.locator("main").inner_text()
    assert_accessible(page, "sen2-return")
    page.locator("#rule-R01 + ul a").first.click()
    expect(page.get_by_role("heading", name="The child or young person's details")).to_be_visible()
    assert_accessible(page, "sen2-person")
    page.get_by_label("Unique pupil number (UPN)").fill("A801200001001")
    page.get_by_role("button", name="Save the person's details").click()
    assert "There is a problem" in page.locator("main").inner_text()
    assert_accessible(page, "sen2-person-error")
    page.get_by_label("F: Female").check()
    page.get_by_label("Ethnicity").select_option("WBRI")
    page.get_by_label("Unique pupil number (UPN)").fill("H801200001001")
    page.get_by_role("button", name="Save the person's details").click()
    assert "The person's details are saved." in page.locator("main").inner_text()
    assert_accessible(page, "sen2-case")
    page.goto(reverse("sen2:return") + "?year=2027")
    assert 'id="rule-R01"' not in page.content()
