"""Back-fill (or bring in step) the Local Offer's clocks: each record's review date, each
comment action and the next 'you said, we did', as the core's deadlines without a case."""

from django.core.management.base import BaseCommand
from django.db import transaction

from local_offer.clocks import clocks_sync


class Command(BaseCommand):
    help = "Keep the Local Offer's review, action and reg 56 clocks as deadlines (safe to re-run)."

    def handle(self, *args, **options):
        with transaction.atomic():
            counts = clocks_sync()
        self.stdout.write(
            f"Clocks kept: {counts['records']} record reviews, {counts['actions']} actions, "
            f"{counts['report']} reporting clock."
        )
