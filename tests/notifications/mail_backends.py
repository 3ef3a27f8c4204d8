"""Email backends for the tests. The integration tests' worker loads these by dotted path."""

import os
import smtplib
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend

MAIL_DIR_ENV = "EHC_TEST_MAIL_DIR"
SLOW_SECONDS_ENV = "EHC_TEST_MAIL_SLOW_SECONDS"
SENDING_MARKER = "sending.marker"


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses the address for good."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"x@example.com": (550, b"No such user")})


class GreylistingBackend(BaseEmailBackend):
    """A mail server that asks us to try again later."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused({"x@example.com": (450, b"Greylisted, try later")})


class MailDirBackend(FileBackend):
    """Django's file backend writing to $EHC_TEST_MAIL_DIR, one file per message.

    With $EHC_TEST_MAIL_SLOW_SECONDS set it first drops a marker file and then waits, so a test
    can kill the worker while a delivery is under way.
    """

    def __init__(self, *args, **kwargs):
        kwargs["file_path"] = os.environ[MAIL_DIR_ENV]
        super().__init__(*args, **kwargs)

    def send_messages(self, email_messages):
        slow = float(os.environ.get(SLOW_SECONDS_ENV) or 0)
        if slow:
            (Path(self.file_path) / SENDING_MARKER).write_text(str(os.getpid()))
            time.sleep(slow)
        return super().send_messages(email_messages)


def delivered_messages(mail_dir: Path) -> list[str]:
    """Every message in the directory (a file may hold several, separated by a rule)."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        text = path.read_text()
        messages.extend(part for part in text.split("-" * 79) if part.strip())
    return messages
