from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from conversions import demo


class Command(BaseCommand):
    help = (
        "Create N synthetic legacy instruments (Statements, LDAs) with a plausible transfer "
        "history, written as CSV and imported through the same service as a council's file. "
        "Running it again with the same arguments changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, default=demo.DEMO_RECORDS)
        parser.add_argument("--seed", type=int, default=2014)
        parser.add_argument("--prefix", default="DEMO-", help="Reference prefix.")
        parser.add_argument("--csv", type=Path, help="Also write the demo CSV to this path.")
        parser.add_argument(
            "--force", action="store_true", help="Allow synthetic records when DEBUG is off."
        )

    def handle(self, *args, records, seed, prefix, csv, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to create synthetic records with DEBUG off; pass --force.")
        if records < 1:
            raise CommandError("--records must be 1 or more.")
        if csv is not None:
            import random

            from ehc import demo as ehc_demo

            codes = sorted({s.urn for s in ehc_demo.ensure_settings(random.Random(seed)) if s.urn})
            csv.write_text(
                demo.demo_csv(
                    records,
                    seed=seed,
                    prefix=prefix,
                    setting_codes=codes,
                    today=timezone.localdate(),
                ),
                encoding="utf-8",
            )
        report = demo.seed_legacy_records(records, seed=seed, prefix=prefix)
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.created} legacy records imported, {report.unchanged} already there."
            )
        )
