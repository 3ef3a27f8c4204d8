"""Import the ONS Postcode Directory CSV (Open Government Licence v3.0) for distance search."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from local_offer.postcodes import PostcodeImportError, postcodes_import


class Command(BaseCommand):
    help = (
        "Import postcode centroids from the ONS Postcode Directory CSV (columns pcds, lat, long). "
        "Every row is checked first; nothing is imported if any row is bad. Contains OS data, "
        "Royal Mail data and National Statistics data, Crown copyright and database right, "
        "under the Open Government Licence v3.0."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.exists():
            raise CommandError(f"{file} does not exist.")
        try:
            result = postcodes_import(path=file)
        except PostcodeImportError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"Nothing imported: {len(error.problems)} row(s) need correcting."
            ) from error
        self.stdout.write(
            f"Imported {result.imported} postcodes "
            f"({result.skipped_no_location} without a grid reference skipped)."
        )
