"""The SEN2 pages as the people who use them: each capture form is read from the rendered page,
filled with only the fields and options it shows, submitted, and its effect checked; bad input
gets the GOV.UK error summary and saves nothing. The manager's page shows the checks and the
summary, downloads each table as CSV and the draft file, and refuses the final file."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.urls import reverse

from ehc.register.selectors import setting_label
from sen2.models import NeedType, PersonProfile, Placement, PlanDetail, RequestDetail
from tests.sen2.conftest import date_values, error_summary, rendered_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_case(issue_plan):
    return issue_plan(date(2026, 1, 5), 18, first_name="Ada", last_name="Byron")


def submit(client, url, values):
    form = rendered_form(client.get(url))
    return client.post(url, form.fill(values))


def test_the_case_page_links_to_the_sen2_items(client, caseworker, plan_case):
    client.force_login(caseworker)
    page = client.get(reverse("ehc:case_detail", args=[plan_case.pk])).content.decode()
    assert reverse("sen2:case", args=[plan_case.pk]) in page
    items = client.get(reverse("sen2:case", args=[plan_case.pk])).content.decode()
    for link in ("person", "request", "needs", "placement_new", "plan"):
        assert reverse(f"sen2:{link}", args=[plan_case.pk]) in items


def test_person_form(client, caseworker, plan_case):
    client.force_login(caseworker)
    url = reverse("sen2:person", args=[plan_case.pk])
    response = submit(
        client,
        url,
        {
            "sex": "F",
            "ethnicity": "WBRI",
            "postcode": "ne1 4st",
            "upn": "h801200001001",
            "uln": "",
            "upn_unknown": "",
        },
    )
    assert response.status_code == 302, error_summary(response)
    profile = PersonProfile.objects.get(child=plan_case.child)
    assert (profile.sex, profile.ethnicity, profile.postcode) == ("F", "WBRI", "NE1 4ST")
    plan_case.child.refresh_from_db()
    assert plan_case.child.upn == "H801200001001"
    # The page shows what was saved.
    assert "H801200001001" in client.get(response["Location"]).content.decode()


def test_person_form_bad_upn_shows_the_error_and_saves_nothing(client, caseworker, plan_case):
    client.force_login(caseworker)
    url = reverse("sen2:person", args=[plan_case.pk])
    response = submit(
        client, url, {"sex": "M", "ethnicity": "WBRI", "upn": "A801200001001", "uln": "12"}
    )
    assert response.status_code == 200
    summary = error_summary(response)
    assert "check letter A, but its digits give H" in summary
    assert "10 digits" in summary
    assert not PersonProfile.objects.filter(child=plan_case.child).exists()


def test_request_form(client, caseworker, plan_case):
    client.force_login(caseworker)
    url = reverse("sen2:request", args=[plan_case.pk])
    response = submit(client, url, {"request_source": "SC", "rya": True, "request_tribunal": True})
    assert response.status_code == 302, error_summary(response)
    detail = RequestDetail.objects.get(case=plan_case)
    assert (
        detail.request_source,
        detail.rya,
        detail.request_tribunal,
        detail.request_mediation,
    ) == (
        "SC",
        True,
        True,
        False,
    )
    response = client.post(url, {})
    assert "Who made the request" in error_summary(response) or "required" in error_summary(
        response
    )


def test_needs_form(client, caseworker, plan_case):
    client.force_login(caseworker)
    url = reverse("sen2:needs", args=[plan_case.pk])
    response = submit(client, url, {"primary": "ASD", "second": "SLCN", "third": ""})
    assert response.status_code == 302, error_summary(response)
    assert list(NeedType.objects.filter(case=plan_case).values_list("sen_type", "rank")) == [
        ("ASD", 1),
        ("SLCN", 2),
    ]
    response = submit(client, url, {"primary": "ASD", "second": "ASD", "third": ""})
    assert "Each need can be chosen once" in error_summary(response)
    response = submit(client, url, {"primary": "ASD", "second": "", "third": "HI"})
    assert "Choose a second need before a third" in error_summary(response)
    assert NeedType.objects.filter(case=plan_case).count() == 2


def test_placement_forms(client, caseworker, plan_case, school):
    client.force_login(caseworker)
    url = reverse("sen2:placement_new", args=[plan_case.pk])
    values = {
        "setting": setting_label(school),
        "sen_setting": "",
        "rank": "1",
        **date_values("entry_date", date(2026, 5, 12)),
    }
    response = submit(client, url, values)
    assert response.status_code == 302, error_summary(response)
    placement = Placement.objects.get(case=plan_case)
    assert (placement.setting, placement.entry_date) == (school, date(2026, 5, 12))
    # Bad input: neither a setting nor a code; both; an overlapping second main placement.
    response = submit(
        client,
        url,
        {
            "setting": "",
            "sen_setting": "",
            "rank": "1",
            **date_values("entry_date", date(2026, 9, 1)),
        },
    )
    assert "Choose a setting from the register, or a SENsetting code" in error_summary(response)
    response = submit(
        client,
        url,
        {
            "setting": setting_label(school),
            "sen_setting": "OLA",
            "rank": "1",
            **date_values("entry_date", date(2026, 9, 1)),
        },
    )
    assert "not both" in error_summary(response)
    response = submit(
        client,
        url,
        {
            "setting": "",
            "sen_setting": "OLA",
            "rank": "1",
            **date_values("entry_date", date(2026, 9, 1)),
        },
    )
    assert "overlaps the placement ranked 1" in error_summary(response)
    assert Placement.objects.filter(case=plan_case).count() == 1
    # Change it: it ended, then the code placement can follow.
    edit = reverse("sen2:placement_edit", args=[plan_case.pk, placement.pk])
    response = submit(
        client,
        edit,
        {
            "setting": setting_label(school),
            "sen_setting": "",
            "rank": "1",
            **date_values("entry_date", date(2026, 5, 12)),
            **date_values("leaving_date", date(2026, 8, 31)),
            "residential": True,
        },
    )
    assert response.status_code == 302, error_summary(response)
    response = submit(
        client,
        url,
        {
            "setting": "",
            "sen_setting": "OLA",
            "rank": "1",
            **date_values("entry_date", date(2026, 9, 1)),
        },
    )
    assert response.status_code == 302, error_summary(response)
    assert Placement.objects.filter(case=plan_case).count() == 2


def test_a_placement_of_another_case_is_not_found(
    client, caseworker, plan_case, issue_plan, school
):
    other = issue_plan(date(2026, 2, 2), 18, first_name="Bo")
    theirs = Placement.objects.create(case=other, setting=school, rank=1)
    client.force_login(caseworker)
    assert (
        client.get(reverse("sen2:placement_edit", args=[plan_case.pk, theirs.pk])).status_code
        == 404
    )


def test_plan_form(client, caseworker, plan_case):
    client.force_login(caseworker)
    url = reverse("sen2:plan", args=[plan_case.pk])
    response = submit(
        client,
        url,
        {
            "personal_budget": True,
            "direct_payments": True,
            **date_values("review_meeting_on", date(2026, 10, 1)),
            **date_values("review_decided_on", date(2026, 10, 20)),
            "cease_reason": "",
        },
    )
    assert response.status_code == 302, error_summary(response)
    plan = PlanDetail.objects.get(case=plan_case)
    assert (plan.personal_budget, plan.direct_payments, plan.review_decided_on) == (
        True,
        True,
        date(2026, 10, 20),
    )
    response = submit(
        client, url, {**date_values("cease_date", date(2026, 10, 30)), "cease_reason": ""}
    )
    assert "Choose why the plan ceased" in error_summary(response)
    response = submit(
        client,
        url,
        {
            **date_values("review_meeting_on", date(2026, 10, 1)),
            **date_values("review_decided_on", date(2026, 9, 1)),
            "cease_reason": "",
        },
    )
    assert "on or after the meeting" in error_summary(response)
    plan.refresh_from_db()
    assert plan.cease_date is None and plan.review_decided_on == date(2026, 10, 20)


def test_other_teams_and_families_cannot_open_the_capture_pages(
    client, other_caseworker, parent_user, plan_case
):
    url = reverse("sen2:person", args=[plan_case.pk])
    client.force_login(other_caseworker)
    assert client.get(url).status_code == 404
    client.force_login(parent_user)
    assert client.get(url).status_code == 403


def test_the_managers_page(client, manager, caseworker, plan_case):
    client.force_login(manager)
    url = reverse("sen2:return")
    page = client.get(url, {"year": "2027"}).content.decode()
    assert "Census day Thursday 21 January 2027" in page
    assert "SEN2 2026" in page and "SEN2 2027" in page  # beside last year's
    assert "R01" in page and reverse("sen2:person", args=[plan_case.pk]) in page
    rule = client.get(reverse("sen2:rule", args=[2027, "R01"])).content.decode()
    assert "Ada Byron" in rule and "Missing: Sex, Ethnicity" in rule
    for table in ("overview", "needs", "settings", "ceased"):
        response = client.get(url, {"year": "2027", "format": "csv", "table": table})
        assert response["Content-Type"].startswith("text/csv")
        assert response.content.decode().startswith(",SEN2 2027,SEN2 2026")
    overview = client.get(
        url, {"year": "2027", "format": "csv", "table": "overview"}
    ).content.decode()
    assert "Plans issued in the year,1,0" in overview


def test_download_a_draft_and_the_final_file_refused_while_errors_remain(
    client, manager, plan_case
):
    client.force_login(manager)
    page = client.get(reverse("sen2:return"), {"year": "2027"})
    form = rendered_form(page)
    assert form.action == reverse("sen2:download", args=[2027])
    assert form.fields["kind"].options == ["draft", "final"]
    draft = client.post(form.action, form.fill({"kind": "draft"}))
    assert draft.status_code == 200 and "draft" in draft["Content-Disposition"]
    root = ET.fromstring(b"".join(draft.streaming_content))
    assert root.findtext("Persons/Person/Forename") == "Ada"
    final = client.post(form.action, form.fill({"kind": "final"}), follow=True)
    assert "The final file cannot be made while" in final.content.decode()


def test_a_year_with_no_census_date_on_the_managers_page(client, manager, tmp_path, settings):
    settings.SEN2_YEARS_DIR = tmp_path
    (tmp_path / "2031").mkdir()
    (tmp_path / "2031" / "collection.toml").write_text("year = 2031\n")
    client.force_login(manager)
    page = client.get(reverse("sen2:return"), {"year": "2031"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "has no census date configured" in text and "Y01" in text
    response = client.post(reverse("sen2:download", args=[2031]), {"kind": "draft"}, follow=True)
    assert "has no census date configured" in response.content.decode()
    assert client.get(reverse("sen2:return"), {"year": "2040"}).status_code == 200


def test_caseworkers_and_families_cannot_see_the_managers_page(client, caseworker, parent_user):
    for user in (caseworker, parent_user):
        client.force_login(user)
        assert client.get(reverse("sen2:return")).status_code == 403
        assert (
            client.post(reverse("sen2:download", args=[2027]), {"kind": "draft"}).status_code == 403
        )


def test_request_source_is_asked_when_a_request_is_registered(client, caseworker, team):
    client.force_login(caseworker)
    url = reverse("workflows:register")
    form = rendered_form(client.get(url))
    assert "sen2_request_source" in form.fields and "sen2_rya" in form.fields
    values = {
        "first_name": "Ada",
        "last_name": "Byron",
        **date_values("date_of_birth", date(2015, 3, 1)),
        "requester_type": "school",
        "channel": "email",
        **date_values("received_on", date(2026, 10, 30)),
        "received_time": "",
        "contact_name": "Pat Byron",
        "contact_relationship": "parent",
        "contact_email": "pat@example.com",
        "contact_phone": "",
        "team": str(team.pk),
        "sen2_request_source": "SC",
    }
    response = client.post(url, form.fill(values))
    assert response.status_code == 302, error_summary(response)
    detail = RequestDetail.objects.get(case__child__last_name="Byron")
    assert (detail.request_source, detail.rya) == ("SC", False)
    # Left blank, the request registers and the SEN2 check reports it later.
    values["first_name"] = "Bo"
    del values["sen2_request_source"]  # no radio chosen: nothing sent
    response = client.post(url, form.fill(values))
    assert response.status_code == 302, error_summary(response)
    assert not RequestDetail.objects.filter(case__child__first_name="Bo").exists()


def test_the_year_chooser(client, manager, plan_case):
    client.force_login(manager)
    url = reverse("sen2:return")
    chooser = rendered_form(client.get(url), with_field="year")
    assert chooser.fields["year"].options == ["2026", "2027"]
    page = client.get(url, chooser.fill({"year": "2026"})).content.decode()
    assert "SEN2 return 2026" in page and "Census day Thursday 15 January 2026" in page
