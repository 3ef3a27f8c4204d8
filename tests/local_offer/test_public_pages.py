"""The public directory, a record, the shortlist, problem reports, comments and fixed pages,
each driven through the page as shown (no account)."""

from datetime import time

import pytest
from django.core import mail
from django.core.cache import cache

from local_offer.models import Comment, ProblemReport, Service
from local_offer.services import ScheduleDetails
from tests.local_offer.html_forms import page_form, page_forms


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def directory(make_service, other_organisation):
    club = make_service()
    therapy = make_service(
        org=other_organisation,
        details_kw={
            "name": "Speech therapy clinic",
            "description": "Private speech and language therapy for children with autism.",
            "is_free": False,
            "fees_description": "£60 a session",
            "minimum_age": 2,
            "maximum_age": 18,
            "referral_needed": True,
            "schedules": (ScheduleDetails(byday=("MO",), opens_at=time(9), closes_at=time(17)),),
        },
        council_kw={
            "need_types": ("SLCN", "ASD"),
            "schedule2_item": "health",
            "categories": ("health",),
        },
    )
    return club, therapy


def search(client, **values):
    page = client.get("/local-offer/")
    assert page.status_code == 200
    form = page_form(page.content.decode(), "/local-offer/")
    response = client.get("/local-offer/", form.fill(**values))
    assert response.status_code == 200
    return response


def test_search_autism_near_a_postcode_for_a_9_year_old_free_only(client, directory):
    club, therapy = directory
    both = search(client, q="autism", postcode="DB1 1AA", distance="5", age="9").content.decode()
    assert "2 services for &lsquo;autism&rsquo; near DB1 1AA" in both
    assert "0.7 miles away" in both
    free = search(client, q="autism", postcode="DB1 1AA", age="9", free="on").content.decode()
    assert "1 service for" in free
    assert club.name in free and therapy.name not in free


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"postcode": "90210"}, "Enter a UK postcode, like SW1A 1AA."),
        ({"postcode": "ZZ1 1ZZ"}, "We could not find ZZ1 1ZZ"),
        ({"age": "30"}, "Enter an age from 0 to 25, like 9"),
        ({"age": "nine"}, "Enter an age from 0 to 25, like 9"),
        ({"time": "25 o'clock"}, "Enter a time like 09:30 or 16:00"),
    ],
)
def test_bad_search_input_shows_an_error_summary(client, directory, values, message):
    response = search(client, **values)
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert html.count("<title>Error:") == 1


def test_every_filter(client, directory):
    club, therapy = directory

    def found(**values):
        html = search(client, **values).content.decode()
        return {s.name for s in directory if s.name in html}

    assert found(category=["health"]) == {therapy.name}
    assert found(need=["SLCN"]) == {therapy.name}
    assert found(day="SA") == {club.name}
    assert found(day="MO", time="10:00") == {therapy.name}
    assert found(time="8pm") == set()
    assert found(referral="no") == {club.name}
    assert found(referral="yes") == {therapy.name}
    assert found(access=["hearing_loop"]) == {club.name, therapy.name}
    assert found(access=["hoist"]) == set()
    assert found(age="3") == {therapy.name}


def test_record_page_print_and_stale_notice(client, directory):
    club, _ = directory
    html = client.get(f"/local-offer/services/{club.pk}/").content.decode()
    assert "Saturday, 10am to 12pm" in "".join(html.split("\n")) or "Saturday" in html
    assert "Hearing loop" in html and "No referral needed" in html
    assert "Printable version" in html and "Report a problem with this page" in html
    printable = client.get(f"/local-offer/services/{club.pk}/?print=1").content.decode()
    assert club.name in printable and "govuk-header" not in printable
    Service.objects.filter(pk=club.pk).update(review_due_on="2020-01-01")
    stale = client.get(f"/local-offer/services/{club.pk}/").content.decode()
    assert "This information was last checked on 30 November 2026" in stale


def test_unknown_and_inactive_records_are_404(client, directory):
    club, _ = directory
    Service.objects.filter(pk=club.pk).update(status="inactive")
    assert client.get(f"/local-offer/services/{club.pk}/").status_code == 404
    assert client.get("/local-offer/services/not-a-uuid/").status_code == 404


def test_shortlist_two_and_email_it(client, directory):
    for service in directory:
        page = client.get(f"/local-offer/services/{service.pk}/").content.decode()
        form = page_form(page, f"/local-offer/services/{service.pk}/shortlist/")
        response = client.post(form.action, form.fill())
        assert response.status_code == 302
    listing = client.get("/local-offer/shortlist/").content.decode()
    assert all(s.name in listing for s in directory)
    form = next(f for f in page_forms(listing) if "email" in f.text)
    bad = client.post("/local-offer/shortlist/", form.fill(email="not an email"))
    assert "Enter an email address in the correct format" in bad.content.decode()
    assert not mail.outbox
    client.post("/local-offer/shortlist/", form.fill(email="family@example.com"))
    assert len(mail.outbox) == 1
    assert all(s.name in mail.outbox[0].body for s in directory)
    assert mail.outbox[0].to == ["family@example.com"]


def test_report_a_problem_goes_to_the_owner(client, directory, django_capture_on_commit_callbacks):
    club, _ = directory
    page = client.get(f"/local-offer/services/{club.pk}/report/").content.decode()
    form = page_form(page)
    empty = client.post(f"/local-offer/services/{club.pk}/report/", form.fill())
    assert "Select what the problem is" in empty.content.decode()
    assert not ProblemReport.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/local-offer/services/{club.pk}/report/",
            form.fill(kind="out_of_date", details="The club now meets on Sundays."),
        )
    assert response.status_code == 302
    report = ProblemReport.objects.get()
    assert "hello@riverside.example" in report.sent_to
    assert mail.outbox[0].to[0] == "hello@riverside.example"
    assert club.name not in mail.outbox[0].subject


@pytest.mark.parametrize(
    "text",
    [
        "Please list more holiday clubs.",
        "العربية 中文 Cymraeg: ŵ ŷ — emoji 🙂 and <script>alert(1)</script>",
        "x" * 10_000,
    ],
)
def test_anyone_can_comment_in_any_language_and_length(client, db, text):
    page = client.get("/local-offer/comment/").content.decode()
    form = page_form(page)
    response = client.post("/local-offer/comment/", form.fill(about="content", text=text))
    assert response.status_code == 302
    assert Comment.objects.get().text == text.strip()


def test_comment_too_long_or_empty_is_refused_with_a_message(client, db):
    form = page_form(client.get("/local-offer/comment/").content.decode())
    long = client.post("/local-offer/comment/", form.fill(about="content", text="x" * 10_001))
    assert "10,000 characters or fewer" in long.content.decode()
    empty = client.post("/local-offer/comment/", form.fill(about="content", text="   "))
    assert "Enter your comment" in empty.content.decode()
    assert not Comment.objects.exists()


def test_comment_nul_characters_are_dropped_not_500(client, db):
    form = page_form(client.get("/local-offer/comment/").content.decode())
    response = client.post("/local-offer/comment/", form.fill(about="content", text="a\x00b"))
    assert response.status_code in (200, 302)


def test_comments_are_rate_limited(client, db, settings):
    settings.EHC_RATELIMIT_LOCAL_OFFER_COMMENT = "2/h"
    form = page_form(client.get("/local-offer/comment/").content.decode())
    for _ in range(2):
        assert (
            client.post("/local-offer/comment/", form.fill(about="content", text="hi")).status_code
            == 302
        )
    third = client.post("/local-offer/comment/", form.fill(about="content", text="hi"))
    assert third.status_code == 429
    assert Comment.objects.count() == 2


@pytest.mark.parametrize(
    "slug",
    [
        "ehc-needs-assessment",
        "personal-budgets",
        "mediation-and-appeals",
        "information-advice",
        "complaints",
    ],
)
def test_statutory_pages(client, directory, slug):
    response = client.get(f"/local-offer/{slug}/")
    assert response.status_code == 200
    if slug == "ehc-needs-assessment":
        assert 'href="/request/"' in response.content.decode()


def test_unknown_fixed_page_is_404(client, db):
    assert client.get("/local-offer/no-such-page/").status_code == 404
