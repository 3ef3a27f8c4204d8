"""The forms that could never be submitted: each page is rendered as the caseworker who uses it,
filled with only what the page shows, and sent."""

from datetime import datetime, timedelta

import pytest
from django import forms
from django.utils import timezone

from ehc.forms import GovForm
from ehc.models import Case, Deadline, TimescaleException
from tests.personal_budgets import conftest as pb

from .walker import fill, read_page

pytestmark = pytest.mark.django_db


def _only_form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = read_page(url, response.content.decode())
    posts = [f for f in page.forms if f.method == "post" and "csrfmiddlewaretoken" in f.names]
    return page, posts


def test_register_a_request_shows_its_team_field_and_registers(client, caseworker):
    client.force_login(caseworker)
    page, posts = _only_form(client, "/staff/cases/new/")
    form = next(f for f in posts if "first_name" in f.names)
    assert "team" in form.names
    response = client.post("/staff/cases/new/", fill(form))
    assert response.status_code == 302
    assert Case.objects.count() == 1


def test_record_an_exception_shows_its_reason_radios_and_records(client, caseworker, make_case):
    case = make_case(received_on=timezone.localdate() - timedelta(days=20))
    deadline = Deadline.objects.filter(case=case, is_open=True).order_by("due_on").first()
    client.force_login(caseworker)
    url = f"/staff/cases/{case.pk}/deadlines/{deadline.pk}/exception/"
    page, posts = _only_form(client, url)
    form = next(f for f in posts if "evidence" in f.names)
    assert "code" in form.names
    data = fill(form)
    data.update(
        {
            "starts_on_0": str(case.received_at.day),
            "starts_on_1": str(case.received_at.month),
            "starts_on_2": str(case.received_at.year),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert TimescaleException.objects.filter(deadline=deadline).count() == 1


def test_refuse_direct_payments_page_opens(client, make_case, caseworker):
    budget = pb.ask(pb.drafting_case(make_case, caseworker), caseworker)
    client.force_login(caseworker)
    url = f"/staff/cases/{budget.case_id}/personal-budget/{budget.pk}/direct-payments/refuse/"
    response = client.get(url)
    assert response.status_code == 200
    assert "Refuse direct payments" in response.content.decode()


def test_a_field_added_after_the_helper_is_built_is_rendered():
    class Late(GovForm):
        early = forms.CharField(label="Early")

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["late"] = forms.CharField(label="Late")
            self.order_fields(["late"])

    from crispy_forms.utils import render_crispy_form

    html = render_crispy_form(Late())
    assert 'name="late"' in html and 'name="early"' in html
    assert html.index('name="late"') < html.index('name="early"')


def test_a_request_registered_before_nine_today_without_a_time_is_accepted(client, caseworker):
    import time_machine

    eight_five = datetime(2026, 11, 30, 8, 5, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(eight_five, tick=False):
        client.force_login(caseworker)
        page, posts = _only_form(client, "/staff/cases/new/")
        form = next(f for f in posts if "first_name" in f.names)
        data = {
            **fill(form),
            "received_on_0": "30",
            "received_on_1": "11",
            "received_on_2": "2026",
            "received_time": "",
        }
        response = client.post("/staff/cases/new/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Case.objects.get().received_at == eight_five


def test_register_a_request_names_the_school_from_the_register(client, caseworker):
    from ehc.models import Setting

    school = Setting.objects.create(name="Oakfield Primary", kind="school", urn="990001")
    client.force_login(caseworker)
    page, posts = _only_form(client, "/staff/cases/new/")
    form = next(f for f in posts if "first_name" in f.names)
    assert "current_setting" in form.names  # the register's search box, on the page
    response = client.post("/staff/cases/new/", {**fill(form), "current_setting": "990001"})
    assert response.status_code == 302
    assert Case.objects.get().child.current_setting == school


def test_register_a_request_with_an_unknown_school_saves_nothing(client, caseworker):
    client.force_login(caseworker)
    page, posts = _only_form(client, "/staff/cases/new/")
    form = next(f for f in posts if "first_name" in f.names)
    response = client.post("/staff/cases/new/", {**fill(form), "current_setting": "Nowhere High"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert "No setting in the register matches" in response.content.decode()
    assert not Case.objects.exists()


def test_register_a_request_chooses_the_caseworker_s_only_team(client, caseworker):
    from ehc.models import Team

    client.force_login(caseworker)
    assert Team.objects.filter(members=caseworker).count() == 1
    page, posts = _only_form(client, "/staff/cases/new/")
    team = next(c for f in posts for c in f.controls if c.name == "team")
    chosen = [value for value, selected in team.options if selected]
    assert chosen == [str(Team.objects.get(members=caseworker).pk)]
