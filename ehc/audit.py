"""Recording reads of a child's data (ehc.models.audit.ReadAudit), in one place.

``ReadAuditMiddleware`` opens a list of the cases and children a request has read. Every fetch of
a case from an id in a URL goes through ``ehc.access.access_case_by_id`` (or
``access_case_by_reference``), which notes the case here; a Django admin page about one record
notes the case or child that record belongs to (``admin_record_note``, found through the model's
foreign keys). When the response is a page or a file actually sent (2xx), the middleware appends
one row per case or child read: who, which page (its URL name), which object, when and from which
address; a download (an attachment, a streamed file or a PDF) is recorded as such. A new page that
loads its case the only allowed way is therefore audited without anyone adding it; a refused or
redirected request records nothing, since it showed nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models
from django.http import HttpRequest, HttpResponseBase

from ehc.models import Case, Child
from ehc.models.audit import ReadAudit

logger = logging.getLogger(__name__)


@dataclass
class _Reads:
    cases: dict[int, Case] = field(default_factory=dict)
    children: set[int] = field(default_factory=set)


_current: ContextVar[_Reads | None] = ContextVar("ehc_read_audit", default=None)


def case_read_note(case: Case) -> None:
    """This request is reading this case (called by the access checks; nothing outside a
    request)."""
    reads = _current.get()
    if reads is not None:
        reads.cases.setdefault(case.pk, case)


def child_read_note(child_id: int) -> None:
    """This request is reading this child's record, not through one of its cases."""
    reads = _current.get()
    if reads is not None:
        reads.children.add(child_id)


def _role(user) -> str:
    from ehc.security.second_factor import needs_second_factor

    return "staff" if needs_second_factor(user) else "family"


def _is_download(response: HttpResponseBase) -> bool:
    return (
        getattr(response, "streaming", False)
        or "attachment" in response.get("Content-Disposition", "")
        or response.get("Content-Type", "").startswith(("application/pdf", "text/csv"))
    )


def _object_id(request: HttpRequest) -> str:
    match = request.resolver_match
    if match is None:
        return ""
    values = [v for k, v in match.kwargs.items() if k != "case_pk"]
    return str(values[0]) if values else ""


def read_record(
    *,
    request: HttpRequest,
    case: Case | None,
    child_id: int | None = None,
    what: str,
    object_id: object = "",
    action: str = ReadAudit.Action.VIEWED,
) -> ReadAudit | None:
    """Append one row: this signed-in user viewed or downloaded ``what`` of a child's record.
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
            child_id=case.child_id if case is not None else child_id,
            action=action,
            what=what[:60],
            object_id=str(object_id)[:40],
            path=request.get_full_path()[:500],
            ip_address=request.META.get("REMOTE_ADDR") or None,
        )
    except Exception:
        logger.exception("Could not record a read of case %s child %s", case, child_id)
        return None


class ReadAuditMiddleware:
    """Records, after a successful response, every case and child the request read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        reads = _Reads()
        token = _current.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if (reads.cases or reads.children) and 200 <= response.status_code < 300:
            match = request.resolver_match
            what = match.view_name if match else request.path
            action = (
                ReadAudit.Action.DOWNLOADED if _is_download(response) else ReadAudit.Action.VIEWED
            )
            object_id = _object_id(request)
            for case in reads.cases.values():
                read_record(
                    request=request, case=case, what=what, object_id=object_id, action=action
                )
            shown = {case.child_id for case in reads.cases.values()}
            for child_id in reads.children - shown:
                read_record(
                    request=request,
                    case=None,
                    child_id=child_id,
                    what=what,
                    object_id=object_id,
                    action=action,
                )
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        """A Django admin page about one record reads the case or child it belongs to."""
        model_admin = getattr(view_func, "model_admin", None)
        object_id = view_kwargs.get("object_id")
        if model_admin is None or object_id is None:
            return
        try:
            obj = model_admin.get_object(request, object_id)
        except Exception:  # a malformed id: the admin answers it; nothing was read
            return
        if obj is not None:
            admin_record_note(obj)


def admin_record_note(obj: models.Model) -> None:
    """Note the case or child ``obj`` belongs to, found through its foreign keys (a case, a
    child, or a record holding one of them, up to three links away)."""
    case, child_id = _owner_of(obj, depth=3)
    if case is not None:
        case_read_note(case)
    elif child_id is not None:
        child_read_note(child_id)


def _owner_of(obj: models.Model, *, depth: int) -> tuple[Case | None, int | None]:
    if isinstance(obj, Case):
        return obj, obj.child_id
    if isinstance(obj, Child):
        return None, obj.pk
    if depth == 0:
        return None, None
    related = [
        f
        for f in obj._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and f.related_model is not None
    ]
    # Straight to a case or a child first; then through the records that hold one.
    related.sort(key=lambda f: f.related_model not in (Case, Child))
    user_model = get_user_model()
    for f in related:
        if f.related_model is user_model:
            continue
        try:
            target = getattr(obj, f.name)
        except Exception:
            continue
        if target is None:
            continue
        found = _owner_of(target, depth=depth - 1)
        if found != (None, None):
            return found
    return None, None


def reads_of_child(child_id: int):
    """Who has looked at this child's record, newest first (managers' page and CSV)."""
    return ReadAudit.objects.filter(child_id=child_id).select_related("case").order_by("-at", "-id")
