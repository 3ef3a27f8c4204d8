"""Print a one-time link with which a staff account sets up its authenticator app: for the first
administrator of a new installation, or when email is not working. Whoever can run commands on
the server is trusted with this; the link is otherwise emailed (ehc/security/second_factor.py)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ehc.security.second_factor import enrolment_link_issue, has_authenticator


class Command(BaseCommand):
    help = "Print a one-time link with which a staff account sets up its authenticator app."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active account {username!r}.")
        if has_authenticator(user):
            raise CommandError(f"{username} already has an authenticator app; reset it first.")
        try:
            path = enrolment_link_issue(user=user)
        except PermissionError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(settings.SITE_URL.rstrip("/") + path)
        self.stdout.write(
            f"Sign in as {username}, then open the link within "
            f"{settings.EHC_ENROLMENT_LINK_HOURS} hours. It works once.",
            self.style.NOTICE,
        )
