from ehc.models.cases import Case, CaseEvent, new_case_reference
from ehc.models.deadlines import Deadline, TimescaleException
from ehc.models.people import Child, Contact, Setting, Team, User

__all__ = [
    "Case",
    "CaseEvent",
    "Child",
    "Contact",
    "Deadline",
    "Setting",
    "Team",
    "TimescaleException",
    "User",
    "new_case_reference",
]
