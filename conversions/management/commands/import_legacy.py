from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from conversions.services import legacy_import_csv


class Command(BaseCommand):
    help = (
        "Import Statements of SEN and LDAs from a CSV file. Every row is checked first; if any "
        "is wrong nothing is imported and each bad row is listed by line number. Importing the "
        "same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", help="Username recorded as the importer in the history.")

    def handle(self, *args, path, user, **options):
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        acting_user = None
        if user:
            acting_user = get_user_model().objects.filter(username=user).first()
            if acting_user is None:
                raise CommandError(f"No user called {user}.")
        report = legacy_import_csv(content=content, filename=path.name, acting_user=acting_user)
        if not report.ok:
            for error in report.errors:
                where = f"line {error.line}" if error.line else "file"
                column = f" [{error.column}]" if error.column else ""
                self.stderr.write(f"{where}{column}: {error.message}")
            raise CommandError(
                f"Nothing imported: {len(report.errors)} problem(s) in {len(report.bad_lines)} "
                "line(s)."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.created} imported, {report.unchanged} already imported and unchanged"
                f" ({report.linked_children} linked to children already on record)."
            )
        )
