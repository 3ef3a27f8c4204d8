"""The same form sent twice is recorded once: the page's submission token is claimed in the same
transaction as the write, and a second arrival goes where the first one went."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from ehc.models import Deadline, FormSubmission, TimescaleException

from .walker import fill, read_page


def _exception_page(client, case):
    deadline = Deadline.objects.filter(case=case, is_open=True).order_by("due_on").first()
    url = f"/staff/cases/{case.pk}/deadlines/{deadline.pk}/exception/"
    page = read_page(url, client.get(url).content.decode())
    form = next(f for f in page.forms if "evidence" in f.names)
    data = fill(form)
    received = case.received_at
    data.update(
        {"starts_on_0": received.day, "starts_on_1": received.month, "starts_on_2": received.year}
    )
    return url, form, data, deadline


def _ten_parallel_posts(user, url: str, data: dict) -> list[int]:
    """The same form sent by ten clients at once, each on its own connection: their statuses."""
    codes: list[int] = []

    def send() -> None:
        other = Client()
        other.force_login(user)
        codes.append(other.post(url, data).status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


@pytest.mark.django_db
def test_the_same_exception_sent_twice_is_recorded_once(client, caseworker, make_case):
    case = make_case(received_on=timezone.localdate() - timedelta(days=20))
    client.force_login(caseworker)
    url, form, data, deadline = _exception_page(client, case)
    assert "submission_token" in form.names
    first = client.post(url, data)
    again = client.post(url, data)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"]
    assert TimescaleException.objects.filter(deadline=deadline).count() == 1
    assert FormSubmission.objects.count() == 1


@pytest.mark.django_db
def test_a_refused_submission_can_be_corrected_and_sent_with_the_same_token(
    client, caseworker, make_case
):
    case = make_case(received_on=timezone.localdate() - timedelta(days=20))
    client.force_login(caseworker)
    url, form, data, deadline = _exception_page(client, case)
    refused = client.post(url, {**data, "evidence": ""})
    assert refused.status_code == 200 and "govuk-error-summary" in refused.content.decode()
    assert not FormSubmission.objects.exists()
    assert client.post(url, data).status_code == 302
    assert TimescaleException.objects.filter(deadline=deadline).count() == 1


@pytest.mark.django_db(transaction=True)
def test_ten_parallel_sends_of_one_exception_record_one_row(caseworker, make_case):
    if connection.vendor != "postgresql":
        pytest.skip("parallel requests need a database server (CI runs this on PostgreSQL)")
    case = make_case(received_on=timezone.localdate() - timedelta(days=20))
    client = Client()
    client.force_login(caseworker)
    url, form, data, deadline = _exception_page(client, case)
    assert _ten_parallel_posts(caseworker, url, data) == [302] * 10
    assert TimescaleException.objects.filter(deadline=deadline).count() == 1


@pytest.mark.django_db(transaction=True)
def test_ten_parallel_sends_of_one_complaint_record_one_row(caseworker, make_case):
    if connection.vendor != "postgresql":
        pytest.skip("parallel requests need a database server (CI runs this on PostgreSQL)")
    from disagreements.models import Complaint

    case = make_case(received_on=timezone.localdate() - timedelta(days=20))
    client = Client()
    client.force_login(caseworker)
    url = f"/staff/cases/{case.pk}/disagreements/complaints/new/"
    page = read_page(url, client.get(url).content.decode())
    form = next(f for f in page.forms if "about" in f.names)
    data = fill(form)
    today = timezone.localdate()
    data.update({"made_on_0": today.day, "made_on_1": today.month, "made_on_2": today.year})
    assert _ten_parallel_posts(caseworker, url, data) == [302] * 10
    assert Complaint.objects.filter(case=case).count() == 1


def test_a_form_whose_fields_are_all_added_in_init_carries_the_token():
    """crispy renders a form with an empty layout by another route; it must still be tokened."""
    from django import forms
    from django.template import Context, Template

    from ehc.forms import GovForm

    class Late(GovForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["about"] = forms.CharField(label="What it is about")

    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(
        Context({"form": Late()})
    )
    assert 'name="submission_token"' in html and 'name="about"' in html
