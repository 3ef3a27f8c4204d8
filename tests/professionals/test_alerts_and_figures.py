"""Chasing requests through the alert engine, and the managers' advice-timeliness figures."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from notifications.services.delivery import notification_deliver
from notifications.services.sweep import deadlines_sweep
from professionals import selectors, services
from professionals.models import AdviceRequest
from tests.conftest import LONDON

pytestmark = pytest.mark.django_db


def _sweep_on(day) -> list[Notification]:
    deadlines_sweep(now=datetime.combine(day, time(9, 0), tzinfo=LONDON))
    for notification in Notification.objects.filter(status=Notification.Status.PENDING):
        notification_deliver(notification_id=notification.pk)
    return list(Notification.objects.select_related("recipient_user").all())


def test_a_request_nobody_accepts_is_chased_and_escalated_without_the_childs_name(
    advice_request, ep_admin, ep_colleague, caseworker
):
    advice = advice_request()
    day_after = advice.accept_by + timedelta(days=1)
    sent = _sweep_on(day_after)
    about_pa1 = [n for n in sent if n.deadline and n.deadline.kind == "PA1"]
    to_admins = [n for n in about_pa1 if n.reason == "org_admin"]
    to_caseworker = [n for n in about_pa1 if n.reason == "assigned"]
    assert {n.recipient_user for n in to_admins} == {ep_admin}  # not the colleague
    assert {n.recipient_user for n in to_caseworker} == {caseworker}
    for notification in to_admins + to_caseworker:
        assert notification.status == Notification.Status.SENT
        text = notification.subject + notification.body
        assert "Ada" not in text and "Lovelace" not in text
        assert advice.accept_by.strftime("%-d %B %Y") in notification.body
    admin_mail = to_admins[0]
    assert "accept the request" in admin_mail.body
    assert reverse("professionals:request", args=[advice.pk]) in admin_mail.body


def test_members_hear_before_the_week_is_up_and_nobody_hears_once_it_is_accepted(
    advice_request, ep_admin, ep_colleague
):
    advice = advice_request()
    services.advice_request_accept(advice=advice, acting_user=ep_admin)
    sent = _sweep_on(advice.accept_by + timedelta(days=1))
    assert not [n for n in sent if n.deadline and n.deadline.kind == "PA1"]


def test_advice_not_in_by_its_date_is_escalated_to_the_administrators(
    advice_request, ep_admin, health_member
):
    advice = advice_request()
    services.advice_request_accept(advice=advice, acting_user=ep_admin)
    sent = _sweep_on(advice.due_on + timedelta(days=1))
    pa2 = [n for n in sent if n.deadline and n.deadline.kind == "PA2" and n.reason == "org_admin"]
    assert {n.recipient_user for n in pa2} == {ep_admin}
    assert "What is needed: the advice" in pa2[0].body
    assert advice.due_on.strftime("%-d %B %Y") in pa2[0].body


def test_a_suspended_organisation_is_not_told(advice_request, ep_admin, ep_service, manager):
    advice = advice_request()
    services.organisation_suspend(organisation=ep_service, reason="Audit", acting_user=manager)
    sent = _sweep_on(advice.accept_by + timedelta(days=1))
    assert not [n for n in sent if n.reason in ("org_admin", "org_member")]


def test_timeliness_counts_requests_median_share_and_overdue_by_organisation_and_kind(
    client, manager, advice_request, assessing_case, ep_admin, health_trust, health_member
):
    on_time = advice_request()
    services.advice_request_accept(advice=on_time, acting_user=ep_admin)
    services.advice_draft_save(
        advice=on_time,
        needs="N",
        outcomes="",
        provision="",
        other_comments="",
        acting_user=ep_admin,
    )
    services.advice_submit(advice=on_time, acting_user=ep_admin)
    overdue = advice_request(
        case=assessing_case(first_name="Bo"), organisation=health_trust, adviser="medical"
    )
    AdviceRequest.objects.filter(pk=overdue.pk).update(
        sent_on=timezone.localdate() - timedelta(days=50),
        due_on=timezone.localdate() - timedelta(days=8),
    )
    figures = selectors.advice_timeliness()
    by_org = {r.label: r for r in figures["by_organisation"]}
    eps = by_org["North Educational Psychology Service"]
    assert (
        eps.requests,
        eps.advice_in,
        eps.median_days,
        eps.within_6_weeks_pct,
        eps.overdue_now,
    ) == (1, 1, 0, 100.0, 0)
    trust = by_org["Riverside NHS Trust"]
    assert (trust.requests, trust.advice_in, trust.median_days, trust.overdue_now) == (
        1,
        0,
        None,
        1,
    )
    by_kind = {r.label: r for r in figures["by_kind"]}
    assert by_kind["Educational psychology"].advice_in == 1 and by_kind["Health"].overdue_now == 1

    client.force_login(manager)
    url = reverse("professionals_staff:timeliness")
    body = client.get(url).content.decode()
    assert "North Educational Psychology Service" in body and "Advice timeliness" in body
    csv = client.get(url, {"format": "csv", "table": "by_kind"})
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("Kind of advice,Requests,Advice in,Median days")
    assert any(line.startswith("Educational psychology,1,1,0,100.0,0") for line in lines)


def test_the_timeliness_tab_is_on_the_managers_dashboards_and_not_for_caseworkers(
    client, manager, caseworker
):
    client.force_login(manager)
    body = client.get("/staff/dashboards/").content.decode()
    assert reverse("professionals_staff:timeliness") in body
    client.force_login(caseworker)
    assert client.get(reverse("professionals_staff:timeliness")).status_code == 403
