"""Seed the demo Local Offer: a directory of services, a provider login, changes and comments."""

from django.core.management.base import BaseCommand

from local_offer.clocks import clocks_sync
from local_offer.demo import DEMO_PASSWORD, DEMO_PROVIDER, seed_directory, seed_people_and_activity
from local_offer.models import Service


class Command(BaseCommand):
    help = "Seed a demo Local Offer directory (invented postcodes in the DM area)."

    def add_arguments(self, parser):
        parser.add_argument("--services", type=int, default=300)
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if any service exists."
        )

    def handle(self, *args, services: int, if_empty: bool, **options):
        if if_empty and Service.objects.exists():
            # Clocks added since the directory was seeded are back-filled (idempotent).
            clocks_sync()
            self.stdout.write("The Local Offer already has services: nothing seeded.")
            return
        figures = seed_directory(services)
        seed_people_and_activity()
        clocks_sync()  # the bulk-inserted records' review dates as deadlines
        self.stdout.write(
            f"Seeded {figures['services']} services from {figures['organisations']} organisations. "
            f"Provider login: {DEMO_PROVIDER} / {DEMO_PASSWORD}; officers: the 'manager' login."
        )
