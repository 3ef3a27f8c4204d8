import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from config import bench


class Command(BaseCommand):
    help = "Seed N cases into a scratch database and print performance figures."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=10_000)
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument(
            "--only",
            default="",
            help="Comma-separated app or benchmark names (e.g. sen2,search): run just those.",
        )
        parser.add_argument(
            "--existing",
            action="store_true",
            help="Measure the configured database as it is (no seeding; all rolled back).",
        )

    def handle(self, *args, cases, only, existing, **options):
        if cases < 1:
            raise CommandError("--cases must be at least 1.")
        names = {name.strip() for name in only.split(",") if name.strip()}
        try:
            figures = bench.run_existing(names) if existing else bench.run(cases, only=names)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(_dumps(figures))
        else:
            for key, value in figures.items():
                self.stdout.write(f"{key:>24}  {value}")


def _dumps(figures: dict) -> str:
    return jsonlib.dumps(figures)
