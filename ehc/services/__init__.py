"""The only code that changes case state. Each service is one transaction and records who acted."""

from ehc.services.cases import (
    ChildDetails,
    ContactDetails,
    case_assign,
    case_create_from_request,
    child_find_matches,
    validate_request_dates,
)
from ehc.services.deadlines import (
    case_deadlines_recompute,
    deadline_track,
    deadlines_refresh_statuses,
)
from ehc.services.events import case_event_record
from ehc.services.exceptions import timescale_exception_record

__all__ = [
    "ChildDetails",
    "ContactDetails",
    "case_assign",
    "case_create_from_request",
    "case_deadlines_recompute",
    "case_event_record",
    "deadline_track",
    "child_find_matches",
    "deadlines_refresh_statuses",
    "timescale_exception_record",
    "validate_request_dates",
]
