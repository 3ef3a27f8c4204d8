import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from config import bench


class Command(BaseCommand):
    help = "Seed N cases into a scratch database and print performance figures."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=10_000)
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument(
            "--only", default="", help="Run only the benchmarks whose name contains this."
        )

    def handle(self, *args, cases, only, **options):
        if cases < 1:
            raise CommandError("--cases must be at least 1.")
        figures = bench.run(cases, only=only)
        if options["json"]:
            self.stdout.write(_dumps(figures))
        else:
            for key, value in figures.items():
                self.stdout.write(f"{key:>24}  {value}")


def _dumps(figures: dict) -> str:
    return jsonlib.dumps(figures)
