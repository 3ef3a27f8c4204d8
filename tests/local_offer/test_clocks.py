"""The Local Offer's clocks are the core's deadlines without a case (LO1-LO3): opened, moved and
met by the Local Offer's services, alerted once by the notifications sweep to whoever keeps the
record, back-filled for existing records."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from ehc import timescales
from ehc.models import SubjectDeadline, User
from ehc.services.common import local_today
from ehc.services.subject_deadlines import subject_deadlines_refresh_statuses
from local_offer import clocks, services
from local_offer.models import Comment, Publication, Service
from local_offer.services import ServiceDetails
from notifications.models import Notification
from notifications.services import notification_deliver
from tests.conftest import london
from tests.local_offer.conftest import TODAY
from tests.local_offer.html_forms import page_form

pytestmark = pytest.mark.django_db

REVIEW_DUE = date(2026, 12, 10)  # a Thursday


def open_clock(kind: str, subject_id: object) -> SubjectDeadline:
    return SubjectDeadline.objects.get(kind=kind, subject_id=str(subject_id), is_open=True)


def clocks_of(kind: str, subject_id: object) -> list[tuple]:
    rows = SubjectDeadline.objects.filter(kind=kind, subject_id=str(subject_id)).order_by("pk")
    return list(rows.values_list("due_on", "status", "is_open", "met_on"))


def answer(comment: Comment, officer: User, due: date | None, *, owner=None, action="Ask clubs"):
    return services.comment_answer(
        comment=comment,
        summary="More clubs were asked for.",
        response="We agree.",
        action=action,
        action_owner=owner or officer,
        action_due_on=due,
        anonymised_confirmed=True,
        acting_user=officer,
        today=TODAY,
    )


# -- the services keep the clocks ---------------------------------------------------------------


def test_a_new_record_opens_its_review_clock_with_its_owners(make_service, provider):
    club = make_service()
    row = open_clock("LO2", club.pk)
    assert (row.due_on, row.status, row.source) == (date(2027, 6, 1), "running", "local_offer")
    assert (row.subject_type, row.title) == ("local_offer.service", timescales.RULES["LO2"].title)
    assert {o.key for o in row.owners.all()} == {
        "email:hello@riverside.example",
        f"user:{provider.pk}",
    }


def test_a_record_with_no_addresses_is_owned_by_the_councils_officers(
    make_service, other_organisation, officer
):
    club = make_service(org=other_organisation)  # no email, no provider accounts
    assert [o.key for o in open_clock("LO2", club.pk).owners.all()] == [f"user:{officer.pk}"]


def test_a_provider_checking_a_stale_record_meets_its_clock_and_opens_the_next(
    make_service, provider, client
):
    club = make_service(council_kw={"review_due_on": date(2026, 1, 5)})  # stale already
    client.force_login(provider)
    page = client.get("/local-offer/provider/").content.decode()
    form = page_form(page, f"/local-offer/provider/services/{club.pk}/confirm/")
    client.post(form.action, form.fill())

    today = local_today()
    next_due = timescales.offer_record_review_due(today)
    assert clocks_of("LO2", club.pk) == [
        (date(2026, 1, 5), "met", False, today),
        (next_due, "running", True, None),
    ]
    assert SubjectDeadline.objects.get(kind="LO2", is_open=False).met_late


def test_taking_a_record_out_of_the_directory_closes_its_clock(make_service, officer):
    club = make_service()
    closed = replace(ServiceDetails.of(club), status=Service.Status.INACTIVE)
    services.service_update(service=club, details=closed, acting_user=officer, today=TODAY)
    assert clocks_of("LO2", club.pk) == [(date(2027, 6, 1), "not_needed", False, None)]

    listed = replace(closed, status=Service.Status.ACTIVE)
    club = services.service_update(service=club, details=listed, acting_user=officer, today=TODAY)
    assert open_clock("LO2", club.pk).due_on == club.review_due_on


def test_an_action_opens_its_clock_moves_with_its_date_and_is_met_when_done(officer, db):
    comment = services.comment_submit(about="content", text="More clubs please.")
    answer(comment, officer, TODAY + timedelta(days=20))
    row = open_clock("LO3", comment.pk)
    assert (row.starts_on, row.due_on) == (TODAY, TODAY + timedelta(days=20))
    assert [o.key for o in row.owners.all()] == [f"user:{officer.pk}"]

    answer(comment, officer, TODAY + timedelta(days=40))  # re-dated: the old date is superseded
    done_on = TODAY + timedelta(days=30)
    services.comment_action_done(comment=comment, acting_user=officer, today=done_on)

    assert clocks_of("LO3", comment.pk) == [
        (TODAY + timedelta(days=20), "superseded", False, None),
        (TODAY + timedelta(days=40), "met", False, done_on),
    ]
    with pytest.raises(ValidationError, match=services.ACTION_NOT_OPEN):
        services.comment_action_done(comment=comment, acting_user=officer, today=done_on)


def test_an_action_handed_to_someone_else_changes_its_owner(officer, db):
    other = User.objects.create_user("sam", email="sam@council.example", password="pw-pw-pw-1")
    comment = services.comment_submit(about="content", text="More clubs please.")
    answer(comment, officer, TODAY + timedelta(days=20))
    answer(comment, officer, TODAY + timedelta(days=20), owner=other)
    assert [o.key for o in open_clock("LO3", comment.pk).owners.all()] == [f"user:{other.pk}"]
    assert len(clocks_of("LO3", comment.pk)) == 1  # same date: the same clock


def test_an_answer_that_drops_the_action_closes_its_clock(officer, db):
    comment = services.comment_submit(about="content", text="More clubs please.")
    answer(comment, officer, TODAY + timedelta(days=20))
    answer(comment, officer, None, action="")
    assert clocks_of("LO3", comment.pk) == [(TODAY + timedelta(days=20), "not_needed", False, None)]


def test_an_action_due_in_the_past_is_refused_on_the_page_and_opens_no_clock(client, officer, db):
    comment = services.comment_submit(about="content", text="More clubs please.")
    client.force_login(officer)
    url = f"/staff/local-offer/comments/{comment.pk}/"
    form = page_form(client.get(url).content.decode())
    yesterday = local_today() - timedelta(days=1)
    response = client.post(
        url,
        form.fill(
            summary="More clubs were asked for.",
            response="We agree.",
            action="Ask clubs to join",
            action_owner=str(officer.pk),
            action_due_on=yesterday.isoformat(),
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "The action&#x27;s due date must be today or later." in html
    assert not SubjectDeadline.objects.filter(kind="LO3").exists()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.NEW


def test_the_first_report_is_due_a_year_after_the_offer_began(frozen, db):
    frozen(london(2026, 11, 30, 12))
    services.comment_submit(about="content", text="The first comment.")
    row = open_clock("LO1", clocks.OFFER_ID)
    assert (row.starts_on, row.due_on, row.kind) == (TODAY, date(2027, 11, 30), "LO1")
    services.comment_submit(about="content", text="A second comment opens nothing new.")
    assert SubjectDeadline.objects.filter(kind="LO1").count() == 1


def test_publishing_meets_the_report_clock_and_sets_the_next_a_year_on(client, officer, frozen):
    frozen(london(2026, 11, 30, 12))
    comment = services.comment_submit(about="content", text="More clubs please.")
    answer(comment, officer, TODAY + timedelta(days=20))
    frozen(london(2027, 1, 15, 12))
    client.force_login(officer)
    page = client.get("/staff/local-offer/you-said-we-did/").content.decode()
    client.post("/staff/local-offer/you-said-we-did/", page_form(page).fill(confirm="on"))

    publication = Publication.objects.get()
    assert clocks_of("LO1", clocks.OFFER_ID) == [
        (date(2027, 11, 30), "met", False, date(2027, 1, 15)),
        (date(2028, 1, 15), "running", True, None),
    ]
    assert publication.next_due_on == date(2028, 1, 15)
    overview = client.get("/staff/local-offer/").content.decode()
    assert "is due by 15 January 2028" in overview


def test_the_nightly_pass_marks_a_passed_review_date_missed(make_service, db):
    club = make_service(council_kw={"review_due_on": REVIEW_DUE})
    assert subject_deadlines_refresh_statuses(today=REVIEW_DUE) == 0
    assert subject_deadlines_refresh_statuses(today=REVIEW_DUE + timedelta(days=1)) == 1
    assert subject_deadlines_refresh_statuses(today=REVIEW_DUE + timedelta(days=1)) == 0
    assert open_clock("LO2", club.pk).status == "breached"


# -- alerts come from the notifications sweep, once ----------------------------------------------


def test_a_stale_records_owners_are_alerted_once_through_the_outbox(
    make_service, provider, sweep_on, eager_celery, outbox
):
    club = make_service(council_kw={"review_due_on": REVIEW_DUE})
    assert sweep_on(REVIEW_DUE).created == 0  # due today: not stale yet
    first = sweep_on(REVIEW_DUE + timedelta(days=1))
    again = sweep_on(REVIEW_DUE + timedelta(days=2))

    rows = Notification.objects.filter(subject_deadline__kind="LO2")
    assert {(n.channel, n.recipient_key, n.status) for n in rows} == {
        ("email", "email:hello@riverside.example", "sent"),
        ("email", f"user:{provider.pk}", "sent"),
        ("in_app", f"user:{provider.pk}", "sent"),
    }
    assert (first.created, again.created) == (3, 0)
    assert all(n.case_id is None and n.reason == "owner" for n in rows)
    assert sorted(m.to for m in outbox) == [["hello@riverside.example"], [provider.email]]
    message = outbox[0]
    assert message.subject == "A Local Offer record needs checking"
    assert club.name not in message.subject
    assert club.name in message.body and f"/local-offer/services/{club.pk}/" in message.body
    assert "10 December 2026" in message.body


def test_a_record_checked_after_its_alert_is_alerted_again_only_after_its_next_date(
    make_service, officer, sweep_on, eager_celery, outbox
):
    club = make_service(council_kw={"review_due_on": REVIEW_DUE})
    sweep_on(REVIEW_DUE + timedelta(days=1))
    services.service_review_confirm(
        service=club, acting_user=officer, today=REVIEW_DUE + timedelta(days=3)
    )
    assert sweep_on(REVIEW_DUE + timedelta(days=4)).created == 0
    next_due = timescales.offer_record_review_due(REVIEW_DUE + timedelta(days=3))
    sweep_on(next_due + timedelta(days=1))
    stale_alerts = Notification.objects.filter(subject_deadline__kind="LO2")
    assert sorted(stale_alerts.values_list("subject_deadline__due_on", flat=True)) == [
        REVIEW_DUE,
        next_due,
    ]  # once for each review date, to the organisation's address
    assert [m.subject for m in outbox].count("A Local Offer record needs checking") == 2


def test_a_record_checked_before_delivery_is_not_alerted(make_service, officer, sweep_on, queued):
    club = make_service(council_kw={"review_due_on": REVIEW_DUE})
    sweep_on(REVIEW_DUE + timedelta(days=1))
    [pending] = queued
    services.service_review_confirm(
        service=club, acting_user=officer, today=REVIEW_DUE + timedelta(days=1)
    )
    row = notification_deliver(notification_id=pending)
    assert (row.status, row.status_detail) == ("cancelled", notification_closed_reason())


def notification_closed_reason() -> str:
    from notifications.services.delivery import DEADLINE_CLOSED

    return DEADLINE_CLOSED


def test_a_provider_added_after_the_clock_opened_is_alerted_too(
    make_service, provider, sweep_on, queued
):
    club = make_service(council_kw={"review_due_on": REVIEW_DUE})
    late = User.objects.create_user("late", email="late@riverside.example", password="pw-pw-pw-1")
    club.organisation.members.add(late)
    sweep_on(REVIEW_DUE + timedelta(days=1))
    keys = set(Notification.objects.values_list("recipient_key", flat=True))
    assert f"user:{late.pk}" in keys


def test_an_action_owner_is_reminded_before_and_after_its_date_once_each(
    officer, sweep_on, eager_celery, outbox
):
    comment = services.comment_submit(about="content", text="More clubs please.")
    due = date(2026, 12, 18)  # a Friday
    answer(comment, officer, due)

    seen = [
        sweep_on(day).created
        for day in (
            date(2026, 12, 10),  # 6 working days before: nothing yet
            date(2026, 12, 11),  # 5 working days before
            date(2026, 12, 14),
            date(2026, 12, 18),  # due today: not overdue
            date(2026, 12, 21),  # overdue
            date(2026, 12, 22),
        )
    ]
    assert seen == [0, 2, 0, 0, 2, 0]  # email and in-app, each time
    assert [m.subject for m in outbox] == [
        "A Local Offer action needs your attention",
        "A Local Offer action is overdue",
    ]
    assert all(m.to == [officer.email] for m in outbox)
    assert f"/staff/local-offer/comments/{comment.pk}/" in outbox[0].body


def test_an_action_done_before_its_date_is_never_chased(officer, sweep_on, eager_celery, outbox):
    comment = services.comment_submit(about="content", text="More clubs please.")
    answer(comment, officer, date(2026, 12, 18))
    services.comment_action_done(comment=comment, acting_user=officer, today=TODAY)
    for day in (date(2026, 12, 11), date(2026, 12, 21)):
        assert sweep_on(day).created == 0
    assert outbox == []


def test_a_re_dated_action_is_reminded_again_for_its_new_date(officer, sweep_on, queued):
    comment = services.comment_submit(about="content", text="More clubs please.")
    answer(comment, officer, date(2026, 12, 18))
    assert sweep_on(date(2026, 12, 11)).created == 2
    answer(comment, officer, date(2027, 1, 15))
    assert sweep_on(date(2027, 1, 8)).created == 2


def test_the_sweep_costs_the_same_queries_for_5_or_50_stale_records(
    make_service, frozen, django_capture_on_commit_callbacks, queued
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.services import deadlines_sweep
    from tests.notifications.conftest import morning

    def stale(count: int) -> None:
        for n in range(count):
            make_service(details_kw={"name": f"Club {n}"}, council_kw={"review_due_on": REVIEW_DUE})

    def sweep() -> tuple[int, int]:
        Notification.objects.all().delete()
        frozen(morning(REVIEW_DUE + timedelta(days=1)))
        with CaptureQueriesContext(connection) as queries:
            created = deadlines_sweep().created
        return len(queries), created

    stale(5)
    few = sweep()
    stale(45)
    many = sweep()
    assert (few[1], many[1]) == (5, 50)  # the organisation's address for each
    assert few[0] == many[0]


# -- back-fill --------------------------------------------------------------------------------


def test_the_command_back_fills_clocks_for_records_made_without_the_services(
    make_service, officer, capsys
):
    club = make_service()
    SubjectDeadline.objects.all().delete()  # as before this release
    comment = services.comment_submit(about="content", text="More clubs please.")
    answer(comment, officer, TODAY + timedelta(days=20))
    SubjectDeadline.objects.all().delete()

    call_command("local_offer_clocks")
    assert "1 record reviews, 1 actions, 1 reporting clock" in capsys.readouterr().out
    assert open_clock("LO2", club.pk).due_on == club.review_due_on
    assert open_clock("LO3", comment.pk).due_on == TODAY + timedelta(days=20)
    assert open_clock("LO1", clocks.OFFER_ID).due_on == timescales.offer_report_due(TODAY)

    before = list(SubjectDeadline.objects.values_list("pk", "due_on", "status"))
    call_command("local_offer_clocks")
    assert list(SubjectDeadline.objects.values_list("pk", "due_on", "status")) == before
