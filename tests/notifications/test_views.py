"""The notifications page (everyone signed in), the outbox and the alert rules (managers)."""

from datetime import date

import pytest
from django.urls import reverse

from notifications.models import AlertRule, Notification
from notifications.services import deadlines_sweep, notification_deliver
from tests.conftest import london
from tests.notifications.conftest import morning

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")
OUTBOX = reverse("notifications:outbox")
RULES = reverse("notifications:rules")


@pytest.fixture
def delivered(frozen, assigned_case, make_rule):
    """Two cases' A2 alerts swept and delivered to the caseworker (email and in-app)."""
    make_rule(name="Ten days", working_days_before=10)
    frozen(london(2026, 3, 2, 12))
    cases = [assigned_case(received_at=london(2026, 3, 2, 10)) for _ in range(2)]
    frozen(morning(date(2026, 3, 26)))
    deadlines_sweep()
    for pk in Notification.objects.values_list("pk", flat=True):
        notification_deliver(notification_id=pk)
    return cases


def in_app(user):
    return Notification.objects.filter(recipient_user=user, channel="in_app")


# ---------------------------------------------------------------------------
# The notifications page
# ---------------------------------------------------------------------------


def test_the_notifications_page_lists_only_my_own_in_app_messages(
    client, delivered, caseworker, manager
):
    client.force_login(caseworker)
    page = client.get(INBOX)
    assert page.status_code == 200
    assert list(page.context["notifications"]) == list(
        in_app(caseworker).order_by("-created_at", "-id")
    )
    assert page.context["unread"] == 2
    assert "You have 2 unread notifications." in page.content.decode()

    client.force_login(manager)
    assert list(client.get(INBOX).context["notifications"]) == []


def test_marking_a_message_read(client, delivered, caseworker):
    first = in_app(caseworker).first()
    client.force_login(caseworker)

    response = client.post(reverse("notifications:mark_read", args=[first.pk]))

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    assert client.get(INBOX).context["unread"] == 1


def test_nobody_can_mark_someone_elses_message(client, delivered, caseworker, manager):
    theirs = in_app(caseworker).first()
    client.force_login(manager)

    assert client.post(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_everything_read(client, delivered, caseworker):
    client.force_login(caseworker)

    client.post(reverse("notifications:mark_all_read"))

    assert not in_app(caseworker).filter(read_at__isnull=True).exists()


def test_signing_in_is_needed_to_see_notifications(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and reverse("login") in response["Location"]


# ---------------------------------------------------------------------------
# The outbox
# ---------------------------------------------------------------------------


def test_managers_see_the_outbox_with_what_was_sent_to_whom(client, delivered, manager):
    client.force_login(manager)

    page = client.get(OUTBOX)

    html = page.content.decode()
    assert page.status_code == 200
    assert page.context["page_obj"].paginator.count == 4
    assert "casey@example.gov.uk" in html
    assert delivered[0].reference in html
    assert "A deadline is coming up on one of your cases" in html


def test_the_outbox_filters_by_status(client, delivered, manager):
    failed = Notification.objects.filter(channel="email").first()
    Notification.objects.filter(pk=failed.pk).update(
        status="failed", status_detail="Mail server down"
    )
    client.force_login(manager)

    page = client.get(OUTBOX, {"status": "failed"})

    assert list(page.context["notifications"]) == [failed]
    assert "Mail server down" in page.content.decode()


def test_the_outbox_is_paginated(client, delivered, manager, monkeypatch):
    from notifications import views

    monkeypatch.setattr(views.OutboxView, "paginate_by", 3)
    client.force_login(manager)

    second = client.get(OUTBOX, {"page": 2})

    assert len(second.context["notifications"]) == 1
    body = second.content.decode()
    assert 'aria-label="Page 2" aria-current="page">2</a>' in body
    assert 'aria-label="Page 1">1</a>' in body


def test_the_outbox_costs_the_same_queries_for_any_page_size(
    client, delivered, manager, django_assert_max_num_queries
):
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        client.get(OUTBOX)


def test_caseworkers_and_families_cannot_see_the_outbox_or_rules(client, caseworker, parent_user):
    for user in (caseworker, parent_user):
        client.force_login(user)
        assert client.get(OUTBOX).status_code == 403
        assert client.get(RULES).status_code == 403


# ---------------------------------------------------------------------------
# Alert rules
# ---------------------------------------------------------------------------


def valid_rule_form(**overrides) -> dict:
    form = {
        "name": "Advice chase",
        "trigger": "due_soon",
        "audience": "caseworker",
        "working_days_before": "3",
        "deadline_kinds": ["A5"],
        "send_email": "on",
        "show_in_app": "on",
        "is_active": "on",
    }
    return {**form, **overrides}


def test_managers_see_the_rules(client, manager, make_rule):
    make_rule(name="Ten days out", working_days_before=10)
    client.force_login(manager)

    html = client.get(RULES).content.decode()

    assert "Ten days out" in html and "10 working days before" in html


def test_a_manager_adds_a_rule_and_the_change_is_recorded(client, manager, make_rule):
    client.force_login(manager)

    response = client.post(
        reverse("notifications:rule_new"), valid_rule_form(deadline_kinds=["A12", "A5", "A2"])
    )

    assert response.status_code == 302
    rule = AlertRule.objects.get(name="Advice chase")
    assert (rule.working_days_before, rule.deadline_kinds) == (3, ["A2", "A5", "A12"])
    assert rule.history.get().history_user == manager


def test_a_rule_coming_up_needs_a_number_of_days(client, manager, make_rule):
    client.force_login(manager)

    response = client.post(
        reverse("notifications:rule_new"), valid_rule_form(working_days_before="")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Say how many working days before the deadline" in html
    assert not AlertRule.objects.filter(name="Advice chase").exists()


def test_family_news_must_go_to_the_family(client, manager, make_rule):
    client.force_login(manager)

    response = client.post(
        reverse("notifications:rule_new"),
        valid_rule_form(
            trigger="family_event",
            working_days_before="",
            deadline_kinds=[],
            event_kinds=["draft_served"],
        ),
    )

    assert "An update for the family can only be sent to the family." in response.content.decode()


def test_a_manager_switches_a_rule_off(client, manager, make_rule):
    rule = make_rule(name="Ten days", working_days_before=10)
    client.force_login(manager)

    form = valid_rule_form(name="Ten days", working_days_before="10", deadline_kinds=["A2"])
    del form["is_active"]
    client.post(reverse("notifications:rule_edit", args=[rule.pk]), form)

    rule.refresh_from_db()
    assert rule.is_active is False


@pytest.mark.django_db
def test_a_caseworker_cannot_learn_whether_a_rule_exists(client, caseworker):
    """The role is checked before the rule is fetched: 403 for any id, never 404."""
    client.force_login(caseworker)
    for pk in (1, 999_999):
        assert client.get(reverse("notifications:rule_edit", args=[pk])).status_code == 403
