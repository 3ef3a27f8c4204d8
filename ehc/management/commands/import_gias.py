from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ehc.register.gias import gias_import


class Command(BaseCommand):
    help = (
        "Import the DfE 'Get Information about Schools' establishments CSV into the register of "
        "settings. Every row is checked first; if any is wrong nothing is imported and each bad "
        "row is listed by line number. Importing a newer file updates entries in place by URN."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The edubasealldata CSV file from GIAS.")
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
        report = gias_import(content=content, acting_user=acting_user)
        if not report.ok:
            for error in report.errors[:200]:
                self.stderr.write(str(error))
            if len(report.errors) > 200:
                self.stderr.write(f"... and {len(report.errors) - 200} more.")
            lines = len({e.line for e in report.errors if e.line})
            raise CommandError(
                f"Nothing imported: {len(report.errors)} problem(s) in {lines} line(s)."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.created} settings added, {report.updated} updated, "
                f"{report.unchanged} unchanged."
            )
        )
