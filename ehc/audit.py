"""Recording reads of a child's data (ehc.models.audit.ReadAudit). Apps call ``read_record``
from the views that show or send a child's record, letters, plans or documents; every page that
loads a case through CaseAccessMixin records itself."""

import logging

from django.http import HttpRequest

from ehc.models import Case
from ehc.models.audit import ReadAudit

logger = logging.getLogger(__name__)


def _role(user) -> str:
    from ehc.security.second_factor import needs_second_factor

    return "staff" if needs_second_factor(user) else "family"


def read_record(
    *,
    request: HttpRequest,
    case: Case,
    what: str,
    object_id: object = "",
    action: str = ReadAudit.Action.VIEWED,
) -> ReadAudit | None:
    """Append one row: this signed-in user viewed or downloaded ``what`` of this case's child.
    Never stops the page: a failure to record is logged as an error."""
    user = request.user
    if not user.is_authenticated:
        return None
    try:
        return ReadAudit.objects.create(
            user=user,
            username=user.get_username()[:150],
            role=_role(user),
            case=case,
            child_id=case.child_id,
            action=action,
            what=what[:60],
            object_id=str(object_id)[:40],
            path=request.get_full_path()[:500],
            ip_address=request.META.get("REMOTE_ADDR") or None,
        )
    except Exception:
        logger.exception("Could not record a read of case %s", case.pk)
        return None


def reads_of_child(child_id: int):
    """Who has looked at this child's record, newest first (managers' page and CSV)."""
    return ReadAudit.objects.filter(child_id=child_id).select_related("case").order_by("-at", "-id")
