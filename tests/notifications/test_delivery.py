"""notifications.services.notification_deliver and the delivery task: once, or not at all.

Email goes through Django's email backend (the locmem outbox here), or GOV.UK Notify when an API
key is set; in-app messages are simply marked sent for the notifications page.
"""

from datetime import date

import pytest
from notifications_python_client.errors import HTTPError

from ehc.models import CaseEvent
from ehc.services import case_event_record
from notifications import channels, tasks
from notifications.models import Notification
from notifications.services import deadlines_sweep, notification_deliver
from notifications.services.delivery import DEADLINE_CLOSED, RULE_SWITCHED_OFF
from tests.conftest import london
from tests.notifications.conftest import morning

pytestmark = pytest.mark.django_db

Status = Notification.Status
SWEEP_DAY = date(2026, 3, 26)  # 10 working days before the case's A2 (13 April 2026)
BROKEN = "tests.notifications.mail_backends.BrokenBackend"
REFUSING = "tests.notifications.mail_backends.RefusingBackend"


@pytest.fixture
def swept(frozen, assigned_case, make_rule):
    """A case whose A2 alert has just been recorded (email and in-app), not yet delivered."""
    make_rule(working_days_before=10)
    frozen(london(2026, 3, 2, 12))
    case = assigned_case(
        received_at=london(2026, 3, 2, 10), first_name="Zebedee", last_name="Quill"
    )
    frozen(morning(SWEEP_DAY))
    deadlines_sweep()
    return case


def email_row() -> Notification:
    return Notification.objects.get(channel=Notification.Channel.EMAIL)


def deliver(notification: Notification) -> Notification:
    notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    return notification


def test_an_email_alert_is_delivered_once_however_often_its_task_runs(swept, outbox):
    row = email_row()

    deliver(row)
    deliver(row)
    tasks.notification_deliver.apply(args=[row.pk])

    row.refresh_from_db()
    assert len(outbox) == 1
    assert outbox[0].to == ["casey@example.gov.uk"]
    assert (row.status, row.attempts, row.provider) == (Status.SENT, 1, "email")
    assert row.sent_at == morning(SWEEP_DAY)
    assert (row.subject, row.body) == (outbox[0].subject, outbox[0].body)
    assert outbox[0].extra_headers["Message-ID"] == f"<ehc-notification-{row.pk}@example.gov.uk>"


def test_no_personal_data_in_the_subject_and_no_name_in_the_body(swept, caseworker, outbox):
    deliver(email_row())

    [message] = outbox
    assert message.subject == "A deadline is coming up on one of your cases"
    for personal in ("Zebedee", "Quill", swept.reference, "Casey", "Okafor"):
        assert personal not in message.subject
    assert "Zebedee" not in message.body and "Quill" not in message.body
    assert swept.reference in message.body  # the body says which case, by reference
    assert "Monday 13 April 2026" in message.body


def test_every_subject_is_free_of_personal_data():
    from notifications.content import FALLBACK_SUBJECT, SUBJECTS

    for subject in [*SUBJECTS.values(), FALLBACK_SUBJECT]:
        assert "EHC-" not in subject and "{" not in subject


def test_an_in_app_alert_is_marked_sent_without_any_email(swept, outbox):
    row = deliver(Notification.objects.get(channel=Notification.Channel.IN_APP))

    assert (row.status, row.provider, outbox) == (Status.SENT, "in_app", [])
    assert row.subject == "A deadline is coming up on one of your cases"


def test_a_deadline_met_after_the_sweep_is_cancelled_not_sent(swept, caseworker, frozen, outbox):
    case_event_record(
        case=swept,
        kind=CaseEvent.Kind.DECIDED_TO_ASSESS,
        occurred_on=SWEEP_DAY,
        acting_user=caseworker,
    )

    row = deliver(email_row())

    assert (row.status, row.status_detail, outbox) == (Status.CANCELLED, DEADLINE_CLOSED, [])


def test_a_rule_switched_off_after_the_sweep_cancels_its_alerts(swept, outbox):
    row = email_row()
    row.rule.is_active = False
    row.rule.save()

    assert deliver(row).status_detail == RULE_SWITCHED_OFF
    assert outbox == []


def test_a_failure_is_recorded_and_raised_for_the_task_to_retry(swept, settings):
    settings.EMAIL_BACKEND = BROKEN
    row = email_row()

    with pytest.raises(Exception, match="Connection unexpectedly closed"):
        notification_deliver(notification_id=row.pk)

    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert row.status_detail == "SMTPServerDisconnected: Connection unexpectedly closed"


def test_the_task_retries_then_marks_the_alert_failed(swept, settings, eager_celery, outbox):
    settings.EMAIL_BACKEND = BROKEN
    row = email_row()

    result = tasks.notification_deliver.apply(args=[row.pk])

    row.refresh_from_db()
    assert result.failed()
    assert row.status == Status.FAILED
    assert row.attempts == tasks.MAX_DELIVERY_RETRIES + 1
    assert "SMTPServerDisconnected" in row.status_detail


def test_a_refused_address_fails_at_once_without_retrying(swept, settings, eager_celery):
    settings.EMAIL_BACKEND = REFUSING
    row = email_row()

    tasks.notification_deliver.apply(args=[row.pk])

    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 1)


def test_a_temporary_refusal_is_retried(swept, settings):
    settings.EMAIL_BACKEND = "tests.notifications.mail_backends.GreylistingBackend"
    row = email_row()

    with pytest.raises(Exception, match="Greylisted"):
        notification_deliver(notification_id=row.pk)

    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 1)


def test_a_retry_after_the_mail_server_recovers_delivers_once(swept, settings, outbox):
    row = email_row()
    settings.EMAIL_BACKEND = BROKEN
    with pytest.raises(Exception):  # noqa: B017 (whatever the mail server raised)
        notification_deliver(notification_id=row.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    row = deliver(row)

    assert (row.status, row.attempts, row.status_detail, len(outbox)) == (Status.SENT, 2, "", 1)


def test_a_deleted_alert_is_nothing_to_do(swept):
    row = email_row()
    row.delete()

    assert notification_deliver(notification_id=row.pk) is None


class FakeNotify:
    """Stands in for notifications_python_client's NotificationsAPIClient."""

    sent: list[dict] = []
    error: Exception | None = None

    def __init__(self, api_key):
        self.api_key = api_key

    def send_email_notification(self, **kwargs):
        if self.error:
            raise self.error
        self.sent.append({"api_key": self.api_key, **kwargs})
        return {"id": "6f1c2f2e-notify-id"}


@pytest.fixture
def notify(settings, monkeypatch):
    settings.GOVUK_NOTIFY_API_KEY = "test-key"
    settings.GOVUK_NOTIFY_TEMPLATE_IDS = {
        "due_soon": "tmpl-due",
        "overdue": "tmpl-over",
        "family_event": "tmpl-family",
    }
    FakeNotify.sent, FakeNotify.error = [], None
    monkeypatch.setattr(channels, "NotificationsAPIClient", FakeNotify)
    return FakeNotify


def test_gov_uk_notify_is_used_when_an_api_key_is_set(swept, notify, outbox):
    row = deliver(email_row())

    [call] = notify.sent
    assert call["api_key"] == "test-key"
    assert call["template_id"] == "tmpl-due"
    assert call["email_address"] == "casey@example.gov.uk"
    assert call["reference"] == f"ehc-notification-{row.pk}"
    assert call["personalisation"] == {"subject": row.subject, "body": row.body}
    assert (row.status, row.provider, row.provider_reference) == (
        Status.SENT,
        "govuk_notify",
        "6f1c2f2e-notify-id",
    )
    assert outbox == []


class _Response:
    def __init__(self, status_code):
        self.status_code = status_code

    def json(self):
        return {
            "errors": [
                {"error": "BadRequestError", "message": "email_address Not a valid email address"}
            ]
        }


def test_notify_refusing_the_request_fails_at_once(swept, notify, eager_celery):
    notify.error = HTTPError(_Response(400))
    row = email_row()

    tasks.notification_deliver.apply(args=[row.pk])

    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 1)
    assert "Not a valid email address" in row.status_detail


def test_notify_being_down_is_retried(swept, notify):
    notify.error = HTTPError(_Response(503))
    row = email_row()

    with pytest.raises(HTTPError):
        notification_deliver(notification_id=row.pk)

    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 1)
