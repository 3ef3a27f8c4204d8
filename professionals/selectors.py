"""Reads for organisations and their inboxes, and the one access rule for professionals.

A professional sees a request only through ``access_advice_request``: the request must belong
to an organisation they are an active member of (neither they nor it suspended). Any other id
answers 404, the same as one that does not exist. A request that has closed (advice sent, or
the case closed) shows only what the organisation sent.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from ehc.models import Case, User
from ehc.services.common import local_today
from professionals.models import AdviceRequest, Membership, Organisation, SchoolRequest


def active_memberships(user: User) -> QuerySet[Membership]:
    if not user.is_authenticated or not user.is_active:
        return Membership.objects.none()
    return Membership.objects.filter(
        user=user, removed_at=None, suspended_at=None, organisation__suspended_at=None
    ).select_related("organisation")


def is_professional(user: User) -> bool:
    cached = getattr(user, "_professional_memberships", None)
    if cached is None:
        cached = list(active_memberships(user))
        user.__dict__["_professional_memberships"] = cached  # kept for this request's user
    return bool(cached)


def membership_for(user: User, organisation_pk: object) -> Membership:
    try:
        return active_memberships(user).get(organisation_id=int(str(organisation_pk)))
    except (Membership.DoesNotExist, ValueError) as exc:
        raise Http404("No such organisation.") from exc


def advice_requests_for(user: User) -> QuerySet[AdviceRequest]:
    orgs = active_memberships(user).values("organisation_id")
    return AdviceRequest.objects.filter(organisation_id__in=orgs).select_related(
        "organisation", "assigned_to", "case"
    )


def access_advice_request(user: User, pk: object) -> AdviceRequest:
    try:
        return advice_requests_for(user).get(pk=int(str(pk)))
    except (AdviceRequest.DoesNotExist, ValueError) as exc:
        raise Http404("No such request.") from exc


def request_is_open(advice: AdviceRequest) -> bool:
    """Open to its organisation: waiting or accepted, on a case still open."""
    return advice.is_open and advice.case.is_open


def inbox(user: User, *, which: str = "open") -> QuerySet[AdviceRequest]:
    rows = advice_requests_for(user)
    if which == "open":
        return rows.filter(status__in=AdviceRequest.OPEN_STATUSES).order_by("due_on", "id")
    return rows.exclude(status__in=AdviceRequest.OPEN_STATUSES).order_by("-sent_on", "-id")


def colleagues(advice: AdviceRequest) -> QuerySet[User]:
    return User.objects.filter(
        memberships__organisation_id=advice.organisation_id,
        memberships__removed_at=None,
        memberships__suspended_at=None,
    ).order_by("first_name", "last_name", "username")


def organisations_for_adviser(adviser: str) -> QuerySet[Organisation]:
    from professionals.services import ADVISER_KINDS

    return Organisation.objects.filter(
        kind__in=ADVISER_KINDS.get(adviser, ()), suspended_at=None
    ).order_by("name")


def case_advice_requests(case: Case) -> QuerySet[AdviceRequest]:
    return (
        AdviceRequest.objects.filter(case=case)
        .select_related("organisation", "submitted_by", "assigned_to")
        .prefetch_related("messages", "documents")
        .order_by("sent_on", "id")
    )


def case_school_request(case: Case) -> SchoolRequest | None:
    return SchoolRequest.objects.filter(case=case).select_related("organisation").first()


def school_requests_for(user: User) -> QuerySet[SchoolRequest]:
    orgs = active_memberships(user).values("organisation_id")
    return SchoolRequest.objects.filter(organisation_id__in=orgs).select_related("case")


# -- figures -----------------------------------------------------------------------------------

KIND_GROUPS = {
    "psychological": "Educational psychology",
    "medical": "Health",
    "social_care": "Social care",
    "educational": "Education (school or setting)",
    "adulthood": "Preparation for adulthood",
    "other": "Other",
}


@dataclass(frozen=True)
class TimelinessRow:
    label: str
    requests: int
    advice_in: int
    median_days: float | None
    within_6_weeks_pct: float | None
    overdue_now: int


def _row(label: str, items: list[tuple], today: date) -> TimelinessRow:
    done = [(sub - sent).days for sent, sub, due, status in items if sub is not None]
    within = [1 for sent, sub, due, status in items if sub is not None and sub <= due]
    overdue = sum(
        1
        for sent, sub, due, status in items
        if status in AdviceRequest.OPEN_STATUSES and due < today
    )
    return TimelinessRow(
        label=label,
        requests=len(items),
        advice_in=len(done),
        median_days=statistics.median(done) if done else None,
        within_6_weeks_pct=round(100 * len(within) / len(done), 1) if done else None,
        overdue_now=overdue,
    )


def advice_timeliness(
    *, since: date | None = None, today: date | None = None
) -> dict[str, list[TimelinessRow]]:
    """Advice timeliness by organisation and by kind of advice, in one query: requests sent,
    advice in, median days from request to advice, the share of advice in within the 6 weeks,
    and requests overdue now (still open after their due date)."""
    today = today or local_today()
    rows = AdviceRequest.objects.exclude(status=AdviceRequest.Status.CLOSED)
    if since is not None:
        rows = rows.filter(Q(sent_on__gte=since))
    data = list(
        rows.values_list(
            "organisation__name", "adviser", "sent_on", "submitted_on", "due_on", "status"
        ).order_by("organisation__name")
    )
    by_org: dict[str, list[tuple]] = {}
    by_kind: dict[str, list[tuple]] = {}
    for org, adviser, sent, sub, due, status in data:
        by_org.setdefault(org, []).append((sent, sub, due, status))
        by_kind.setdefault(KIND_GROUPS.get(adviser, adviser), []).append((sent, sub, due, status))
    everything = [item for items in by_org.values() for item in items]
    return {
        "by_organisation": [_row(label, items, today) for label, items in by_org.items()],
        "by_kind": [
            _row(label, by_kind[label], today) for label in KIND_GROUPS.values() if label in by_kind
        ],
        "total": [_row("All organisations", everything, today)],
    }


def review_contributions_for(user: User):
    from professionals.models import ReviewContribution

    orgs = active_memberships(user).values("organisation_id")
    return ReviewContribution.objects.filter(organisation_id__in=orgs).select_related(
        "organisation", "review", "review__plan"
    )


def access_review_contribution(user: User, pk: object):
    from professionals.models import ReviewContribution

    try:
        return review_contributions_for(user).get(pk=int(str(pk)))
    except (ReviewContribution.DoesNotExist, ValueError) as exc:
        raise Http404("No such request.") from exc


def case_open_review(case: Case):
    """The open annual review of the case's plan in force, if any."""
    from reviews.models import AnnualReview

    return (
        AnnualReview.objects.filter(plan__case=case, outcome=AnnualReview.Outcome.OPEN)
        .order_by("-due_on")
        .first()
    )


def case_review_contributions(case: Case):
    from professionals.models import ReviewContribution

    return ReviewContribution.objects.filter(review__plan__case=case).select_related(
        "organisation", "review", "submitted_by"
    )
