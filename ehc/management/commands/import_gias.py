from pathlib import Path
from typing import Any

from ehc.management.csv_import_command import CsvImportCommand
from ehc.models import User
from ehc.register.gias import ImportReport, gias_import


class Command(CsvImportCommand):
    help = (
        "Import the DfE 'Get Information about Schools' establishments CSV into the register of "
        "settings. Every row is checked first; if any is wrong nothing is imported and each bad "
        "row is listed by line number. Importing a newer file updates entries in place by URN."
    )
    path_help = "The edubasealldata CSV file from GIAS."

    def run_import(self, *, content: bytes, path: Path, acting_user: User | None) -> Any:
        return gias_import(content=content, acting_user=acting_user)

    def summary(self, report: ImportReport) -> str:
        return (
            f"{report.created} settings added, {report.updated} updated, "
            f"{report.unchanged} unchanged."
        )
