from ehc.models.audit import ReadAudit
from ehc.models.cases import Case, CaseEvent, new_case_reference
from ehc.models.deadlines import Deadline, TimescaleException
from ehc.models.people import Child, Contact, Setting, Team, User
from ehc.models.plans import PLAN_SECTIONS, EHCPlan, Notice
from ehc.models.requests import OnlineRequestSubmission, RequestDocument
from ehc.models.search import SearchDocument, SearchWord
from ehc.models.security import EnrolmentLink
from ehc.models.subject_deadlines import SubjectDeadline, SubjectDeadlineOwner
from ehc.models.submissions import FormSubmission

__all__ = [
    "Case",
    "CaseEvent",
    "Child",
    "Contact",
    "Deadline",
    "EHCPlan",
    "EnrolmentLink",
    "FormSubmission",
    "Mediation",
    "Notice",
    "OnlineRequestSubmission",
    "PLAN_SECTIONS",
    "Recommendation",
    "ReadAudit",
    "RequestDocument",
    "SearchDocument",
    "SearchWord",
    "Setting",
    "SubjectDeadline",
    "SubjectDeadlineOwner",
    "Team",
    "TimescaleException",
    "User",
    "new_case_reference",
]
