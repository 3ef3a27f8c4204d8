"""Chasing advice requests through the alert engine (notifications/): the requests' clocks are
Deadline rows (PA1 accepted within a week, PA2 advice in by the A5 date); alert rules (seeded
by this app's migration, edited by managers like any other) tell the organisation's members
and administrators, and the caseworker, what is needed and by when. Messages never name the
child: they give the request's number and what is asked."""

from __future__ import annotations

from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse

from ehc.models import Case
from ehc.services.assessment import ADVISERS
from notifications.audiences import AppAudience
from professionals.models import AdviceRequest

LINKS = ("advice_requests_to_accept", "advice_requests_due")


def _members(source: QuerySet, *, admins_only: bool) -> list[QuerySet]:
    parts = []
    for link in LINKS:
        member = f"{link}__organisation__memberships"
        conditions = {
            f"{link}__status__in": AdviceRequest.OPEN_STATUSES,
            f"{link}__organisation__suspended_at": None,
            f"{member}__removed_at": None,
            f"{member}__suspended_at": None,
            f"{member}__user__is_active": True,
        }
        if admins_only:
            conditions[f"{member}__is_admin"] = True
        # One filter() call, so every condition applies to the same member.
        rows = source.filter(**conditions).annotate(
            n_user=F(f"{member}__user_id"),
            n_email=F(f"{member}__user__email"),
            n_key=Concat(
                Value("user:"), Cast(F(f"{member}__user_id"), CharField()), output_field=CharField()
            ),
        )
        parts.append(rows)
    return parts


def _request_of(notification) -> AdviceRequest | None:
    key = notification.deadline.subject_key if notification.deadline_id else ""
    pk = key.removeprefix("advice_request:")
    if not pk.isdigit():
        return None
    return AdviceRequest.objects.select_related("organisation").filter(pk=int(pk)).first()


def _context(notification) -> dict:
    advice = _request_of(notification)
    if advice is None:
        return {}
    return {
        "advice": advice,
        "advice_label": ADVISERS.get(advice.adviser, advice.adviser).lower(),
        "accepting": notification.deadline.kind == "PA1",
    }


def _link(notification) -> str:
    advice = _request_of(notification)
    if advice is None:
        return reverse("professionals:inbox")
    return reverse("professionals:request", args=[advice.pk])


SUBJECTS = {
    "due_soon": "A request for advice needs action soon",
    "overdue": "A request for advice is overdue",
}

ORGANISATION_MEMBERS = AppAudience(
    key="org_members",
    label="Every member of the organisation asked for advice",
    reason="org_member",
    reason_label="Member of the organisation asked",
    people=lambda source: _members(source, admins_only=False),
    subjects=SUBJECTS,
    template="professionals/messages/advice.txt",
    extra_context=_context,
    link=_link,
)
ORGANISATION_ADMINS = AppAudience(
    key="org_admins",
    label="The administrators of the organisation asked for advice",
    reason="org_admin",
    reason_label="Administrator of the organisation asked",
    people=lambda source: _members(source, admins_only=True),
    subjects=SUBJECTS,
    template="professionals/messages/advice.txt",
    extra_context=_context,
    link=_link,
)


def case_closed(case: Case) -> None:
    """The case was withdrawn or moved away: its open requests close (hook from workflows)."""
    from professionals.services import advice_requests_close_for_case

    advice_requests_close_for_case(case=case)
