from pathlib import Path
from typing import Any

from conversions.services import legacy_import_csv
from ehc.csv_import import ImportReport
from ehc.management.csv_import_command import CsvImportCommand
from ehc.models import User


class Command(CsvImportCommand):
    help = (
        "Import Statements of SEN and LDAs from a CSV file. Every row is checked first; if any "
        "is wrong nothing is imported and each bad row is listed by line number. Importing the "
        "same file again changes nothing."
    )

    def run_import(self, *, content: bytes, path: Path, acting_user: User | None) -> ImportReport:
        return legacy_import_csv(content=content, filename=path.name, acting_user=acting_user)

    def summary(self, report: Any) -> str:  # the legacy report adds linked_children
        return (
            f"{report.created} imported, {report.unchanged} already imported and unchanged"
            f" ({report.linked_children} linked to children already on record)."
        )
