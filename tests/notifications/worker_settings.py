"""Settings for the real Celery worker the integration tests start: the project's, plus
a mail directory the test can count, and a short broker visibility timeout so a message whose
worker was killed is handed out again within seconds rather than the production hour."""

from config.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.notifications.mail_backends.MailDirBackend"
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
