"""The shape every CSV import command shares: read the file, find the `--user` recorded as the
importer, run the app's all-or-nothing import, and either list each problem by line (nothing
imported) or say what changed."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ehc.models import User

LISTED = 200  # problems printed; the count says how many more there were


class CsvImportCommand(BaseCommand):
    path_help = "The CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help=self.path_help)
        parser.add_argument("--user", help="Username recorded as the importer in the history.")

    def handle(self, *args: Any, path: Path, user: str | None, **options: Any) -> None:
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        acting_user = None
        if user:
            acting_user = get_user_model().objects.filter(username=user).first()
            if acting_user is None:
                raise CommandError(f"No user called {user}.")
        report = self.run_import(content=content, path=path, acting_user=acting_user)
        if not report.ok:
            for error in report.errors[:LISTED]:
                self.stderr.write(str(error))
            if len(report.errors) > LISTED:
                self.stderr.write(f"... and {len(report.errors) - LISTED} more.")
            lines = len({e.line for e in report.errors if e.line})
            raise CommandError(
                f"Nothing imported: {len(report.errors)} problem(s) in {lines} line(s)."
            )
        self.stdout.write(self.style.SUCCESS(self.summary(report)))

    def run_import(self, *, content: bytes, path: Path, acting_user: User | None) -> Any:
        raise NotImplementedError

    def summary(self, report: Any) -> str:
        raise NotImplementedError
