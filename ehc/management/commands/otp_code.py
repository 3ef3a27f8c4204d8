"""Print the current code of a demo login's authenticator, so a person trying the demo can sign
in as staff without an app. Refused outside development and for real authenticators."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from ehc.security.second_factor import DEMO_DEVICE_NAME, current_code


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo staff login (development only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        if not settings.DEBUG:
            raise CommandError("otp_code works only in development (DJANGO_DEBUG=1).")
        device = TOTPDevice.objects.filter(
            user__username=username, name=DEMO_DEVICE_NAME, confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"{username} has no demo authenticator (run seed_demo first).")
        self.stdout.write(current_code(device))
        self.stdout.write(
            f"Or add this key to an authenticator app: {device.config_url}", self.style.NOTICE
        )
