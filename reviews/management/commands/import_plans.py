"""manage.py import_plans FILE: bring existing plans in from a CSV, all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from reviews.imports import COLUMNS, plans_import_csv


class Command(BaseCommand):
    help = (
        "Import plans in force from a CSV UTF-8 file (all or nothing; every bad row is listed). "
        f"Columns: {', '.join(COLUMNS)}."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")

    def handle(self, *args, **options) -> None:
        try:
            with open(options["file"], "rb") as stream:
                report = plans_import_csv(stream=stream, acting_user=None)
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}") from error
        if not report.ok:
            for error in report.errors:
                where = f"line {error.line}" if error.line else "file"
                ref = f" ({error.reference})" if error.reference else ""
                self.stderr.write(f"{where}{ref}: {error.message}")
            raise CommandError(f"Nothing imported: {len(report.errors)} problem(s) found.")
        self.stdout.write(
            f"Imported {report.created} new plan(s) and updated {report.updated} from "
            f"{report.rows} row(s)."
        )
