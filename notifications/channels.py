"""Sending one rendered message: Django's email backend, GOV.UK Notify, or the in-app list."""

import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from notifications.content import Message
from notifications.models import Notification

# Notify answers 400 when the request itself is wrong (a bad address, a missing placeholder):
# sending it again will not help.
NOTIFY_PERMANENT_STATUS = 400


class PermanentDeliveryError(Exception):
    """Retrying will not help: the address or the request was refused outright."""


@dataclass(frozen=True)
class Receipt:
    provider: str
    reference: str = ""


def send(notification: Notification, message: Message) -> Receipt:
    if notification.channel == Notification.Channel.IN_APP:
        return Receipt(provider="in_app")  # the inbox page reads the row itself
    if settings.GOVUK_NOTIFY_API_KEY:
        return _send_with_notify(notification, message)
    return _send_with_django(notification, message)


def client_reference(notification: Notification) -> str:
    """Stable per notification, so a provider or mail client can recognise a repeat."""
    return f"ehc-notification-{notification.pk}"


def _send_with_django(notification: Notification, message: Message) -> Receipt:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient_email],
        headers={"Message-ID": f"<{client_reference(notification)}@{domain}>"},
    )
    try:
        email.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        # 5xx is a final no (no such mailbox); 4xx (greylisting, mailbox full) may pass later.
        if all(code >= 500 for code, _ in exc.recipients.values()):
            raise PermanentDeliveryError(f"The mail server refused the address: {exc}") from exc
        raise
    return Receipt(provider="email")


def _send_with_notify(notification: Notification, message: Message) -> Receipt:
    client = NotificationsAPIClient(settings.GOVUK_NOTIFY_API_KEY)
    try:
        response = client.send_email_notification(
            email_address=notification.recipient_email,
            template_id=settings.GOVUK_NOTIFY_TEMPLATE_IDS[notification.trigger],
            personalisation={"subject": message.subject, "body": message.body},
            reference=client_reference(notification),
        )
    except HTTPError as exc:
        if exc.status_code == NOTIFY_PERMANENT_STATUS:
            raise PermanentDeliveryError(f"GOV.UK Notify refused the message: {exc}") from exc
        raise
    return Receipt(provider="govuk_notify", reference=str(response.get("id", "")))
