"""python manage.py sen2_export --year 2027 --output sen2.xml [--final]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sen2.checks import run_checks
from sen2.collection import CollectionNotConfigured, collection_for
from sen2.export import export_to_path


class Command(BaseCommand):
    help = (
        "Write the SEN2 return for a collection year as XML. A draft can always be made; "
        "--final refuses while any check reports an error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="collection year, e.g. 2027")
        parser.add_argument("--output", required=True, help="file to write")
        parser.add_argument("--final", action="store_true", help="refuse while errors remain")

    def handle(self, *args, year: int, output: str, final: bool, **options) -> None:
        try:
            collection = collection_for(year)
            collection.require_census()
        except CollectionNotConfigured as error:
            raise CommandError(str(error)) from error
        report = run_checks(collection)
        for result in report.flagged:
            self.stdout.write(
                f"{result.rule.severity:7} {result.rule.id} {result.count:6}  {result.rule.message}"
            )
        if final and report.errors:
            raise CommandError(
                f"Not written: {report.errors} errors remain. Fix them, or leave out --final "
                "for a draft."
            )
        path = Path(output)
        if not path.parent.exists():
            raise CommandError(f"The folder {path.parent} does not exist.")
        counts = export_to_path(path, collection)
        kind = "Final" if final else "Draft"
        self.stdout.write(
            self.style.SUCCESS(
                f"{kind} SEN2 {year} return written to {path}: {counts.people} people, "
                f"{counts.requests} requests, {counts.assessments} assessments, "
                f"{counts.named_plans} named plans, {counts.active_plans} active plans "
                f"({report.errors} errors, {report.warnings} warnings)."
            )
        )
