"""The only code that changes legacy instruments and their transfer reviews."""

from conversions.services.imports import ImportReport, RowError, legacy_import_csv
from conversions.services.reviews import (
    transfer_advice_record,
    transfer_decision_record,
    transfer_meeting_record,
    transfer_notice_record,
    transfer_plan_finalise,
    transfer_review_open,
    transfer_review_start,
)

__all__ = [
    "ImportReport",
    "RowError",
    "legacy_import_csv",
    "transfer_advice_record",
    "transfer_decision_record",
    "transfer_meeting_record",
    "transfer_notice_record",
    "transfer_plan_finalise",
    "transfer_review_open",
    "transfer_review_start",
]
