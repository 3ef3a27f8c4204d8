"""The Local Offer's three clocks, kept as the core's deadlines without a case.

* LO2, each listed record's review date: stale after it; its owners are the service's and the
  organisation's addresses and its provider accounts, or the council's officers if it has none.
* LO3, each action promised in answer to a comment: due on the date the officer set; its owner
  is the action's owner.
* LO1, the next "you said, we did" (reg 56): a year after the last one; before the first, a year
  after the Local Offer began (the day its first record or comment was recorded). Its owners
  are the council's officers.

The dates come from ``ehc.timescales`` (LO1-LO3); the rows are ``ehc.SubjectDeadline``, stored by
``ehc.services.subject_deadlines``; the alert engine (notifications, audience "owners") and the
managers' dashboard read them like any other deadline. Only local_offer.services calls the
``*_clock_*`` functions here, inside its own transactions; ``clocks_sync`` back-fills them.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from ehc import timescales
from ehc.models import SubjectDeadline, User
from ehc.services.common import local_today
from ehc.services.subject_deadlines import subject_deadline_stop, subject_deadline_track
from ehc.subject_types import Owner, SubjectInfo, SubjectType, subject_type_register
from local_offer.models import Comment, Organisation, Publication, Service
from local_offer.roles import OFFICER_GROUP

SOURCE = "local_offer"
SERVICE = "local_offer.service"
COMMENT = "local_offer.comment"
OFFER = "local_offer.offer"
OFFER_ID = "reg56"  # the council has one Local Offer, so one reporting clock

REVIEW = "LO2"
ACTION = "LO3"
REPORT = "LO1"


# -- who and what (the core asks through ehc.subject_types) ---------------------------------------


def _officers() -> list[Owner]:
    rows = User.objects.filter(groups__name=OFFICER_GROUP, is_active=True).values_list(
        "pk", "email"
    )
    return [Owner(user_id=pk, email=email) for pk, email in rows.order_by("pk")]


def service_owners(ids: list[str]) -> dict[str, list[Owner]]:
    """Each record's owners: its own and its organisation's addresses and its provider
    accounts; the council's officers for a record with none. Three queries for any number."""
    services = list(
        Service.objects.filter(pk__in=ids).values_list(
            "pk", "email", "organisation_id", "organisation__email"
        )
    )
    members: dict[object, list[Owner]] = {}
    through = Organisation.members.through
    for org_id, user_id, email in through.objects.filter(
        organisation_id__in={s[2] for s in services}, user__is_active=True
    ).values_list("organisation_id", "user_id", "user__email"):
        members.setdefault(org_id, []).append(Owner(user_id=user_id, email=email))
    officers: list[Owner] | None = None
    found: dict[str, list[Owner]] = {}
    for pk, email, org_id, org_email in services:
        owners = [Owner(email=e) for e in dict.fromkeys([email, org_email]) if e]
        owners += members.get(org_id, [])
        if not owners:
            officers = _officers() if officers is None else officers
            owners = officers
        found[str(pk)] = owners
    return found


def service_describe(ids: list[str]) -> dict[str, SubjectInfo]:
    rows = Service.objects.filter(pk__in=ids).values_list("pk", "name")
    return {
        str(pk): SubjectInfo(title=name, url=reverse("local_offer:service", args=[pk]))
        for pk, name in rows
    }


def comment_owners(ids: list[str]) -> dict[str, list[Owner]]:
    rows = Comment.objects.filter(pk__in=_ints(ids), action_owner__isnull=False).values_list(
        "pk", "action_owner_id", "action_owner__email"
    )
    return {str(pk): [Owner(user_id=user_id, email=email)] for pk, user_id, email in rows}


def comment_describe(ids: list[str]) -> dict[str, SubjectInfo]:
    rows = Comment.objects.filter(pk__in=_ints(ids)).values_list("pk", "action")
    return {
        str(pk): SubjectInfo(
            title=f"Comment {pk}: {_short(action)}",
            url=reverse("local_offer_staff:comment", args=[pk]),
        )
        for pk, action in rows
    }


def offer_owners(ids: list[str]) -> dict[str, list[Owner]]:
    officers = _officers()
    return {subject_id: officers for subject_id in ids if subject_id == OFFER_ID}


def offer_describe(ids: list[str]) -> dict[str, SubjectInfo]:
    info = SubjectInfo(
        title="The Local Offer\u2019s \u2018you said, we did\u2019",
        url=reverse("local_offer_staff:publish"),
    )
    return {subject_id: info for subject_id in ids if subject_id == OFFER_ID}


def _ints(ids: list[str]) -> list[int]:
    return [int(i) for i in ids if i.isascii() and i.isdigit()]


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def subject_types_register() -> None:
    """From LocalOfferConfig.ready: what the core may ask about the Local Offer's clocks."""
    subject_type_register(
        SubjectType(
            key=SERVICE,
            label="Local Offer record",
            describe=service_describe,
            owners=service_owners,
            alert_subjects={
                "due_soon": "A Local Offer record is due to be checked",
                "overdue": "A Local Offer record needs checking",
            },
        )
    )
    subject_type_register(
        SubjectType(
            key=COMMENT,
            label="Local Offer action",
            describe=comment_describe,
            owners=comment_owners,
            alert_subjects={
                "due_soon": "A Local Offer action needs your attention",
                "overdue": "A Local Offer action is overdue",
            },
        )
    )
    subject_type_register(
        SubjectType(
            key=OFFER,
            label="Local Offer report",
            describe=offer_describe,
            owners=offer_owners,
            alert_subjects={
                "due_soon": "\u2018You said, we did\u2019 is due to be published",
                "overdue": "\u2018You said, we did\u2019 is overdue",
            },
        )
    )


# -- keeping the clocks (called by local_offer.services, inside their transactions) ---------------


def service_clock_track(
    *, service: Service, owners: list[Owner] | None = None, today: date | None = None
) -> SubjectDeadline | None:
    """The record's review clock: due on its review date (a new date moves it); closed while
    the record is not listed (inactive)."""
    if service.status == Service.Status.INACTIVE:
        return subject_deadline_stop(
            source=SOURCE, kind=REVIEW, subject_type=SERVICE, subject_id=str(service.pk)
        )
    checked = service.last_checked_on or service.review_due_on
    return subject_deadline_track(
        source=SOURCE,
        kind=REVIEW,
        subject_type=SERVICE,
        subject_id=str(service.pk),
        starts_on=min(checked, service.review_due_on),
        due_on=service.review_due_on,
        owners=owners,
        today=today,
    )


def service_clock_checked(*, service: Service, today: date) -> SubjectDeadline | None:
    """Someone checked the record today: its review clock is met (late, if it was stale) and
    the next one opens at its new review date. (Taken out of the directory, it has none.)"""
    if service.status == Service.Status.INACTIVE:
        return service_clock_track(service=service, today=today)
    subject_deadline_stop(
        source=SOURCE, kind=REVIEW, subject_type=SERVICE, subject_id=str(service.pk), met_on=today
    )
    return service_clock_track(service=service, today=today)


def comment_clock_track(*, comment: Comment, today: date | None = None) -> SubjectDeadline | None:
    """The action's clock: open while the action is, moved if it is re-dated, met the day it
    is done, closed if the answer no longer promises one."""
    subject_id = str(comment.pk)
    if comment.action_done_on is not None:
        return subject_deadline_stop(
            source=SOURCE,
            kind=ACTION,
            subject_type=COMMENT,
            subject_id=subject_id,
            met_on=comment.action_done_on,
        )
    if comment.status != Comment.Status.ACTION_OPEN or comment.action_due_on is None:
        return subject_deadline_stop(
            source=SOURCE, kind=ACTION, subject_type=COMMENT, subject_id=subject_id
        )
    today = today or local_today()
    current = SubjectDeadline.objects.filter(
        kind=ACTION, subject_type=COMMENT, subject_id=subject_id, is_open=True
    ).first()
    due_on = timescales.offer_action_due(comment.action_due_on)
    return subject_deadline_track(
        source=SOURCE,
        kind=ACTION,
        subject_type=COMMENT,
        subject_id=subject_id,
        starts_on=min(current.starts_on if current else today, due_on),
        due_on=due_on,
        today=today,
    )


def offer_began_on() -> date | None:
    """The day the Local Offer began: its first record or first comment, whichever is first."""
    first_service = Service.objects.aggregate(first=Min("created_at"))["first"]
    first_comment = Comment.objects.aggregate(first=Min("received_at"))["first"]
    days = [timezone.localdate(d) for d in (first_service, first_comment) if d is not None]
    return min(days, default=None)


def report_clock_track(*, today: date | None = None) -> SubjectDeadline | None:
    """The next "you said, we did": a year after the last publication, or a year after the
    Local Offer began if none was ever published. None while the offer is empty."""
    last = Publication.objects.order_by("-published_on", "-pk").first()
    starts_on = last.published_on if last else offer_began_on()
    if starts_on is None:
        return None
    return subject_deadline_track(
        source=SOURCE,
        kind=REPORT,
        subject_type=OFFER,
        subject_id=OFFER_ID,
        starts_on=starts_on,
        due_on=timescales.offer_report_due(starts_on),
        today=today,
    )


def report_clock_published(*, today: date) -> SubjectDeadline | None:
    """A report was published today: the reporting clock is met and the next year's opens."""
    subject_deadline_stop(
        source=SOURCE, kind=REPORT, subject_type=OFFER, subject_id=OFFER_ID, met_on=today
    )
    return report_clock_track(today=today)


def report_clock_ensure(*, today: date | None = None) -> None:
    """Open the reporting clock the first time the offer has something in it (one query after)."""
    if not SubjectDeadline.objects.filter(
        kind=REPORT, subject_type=OFFER, subject_id=OFFER_ID, is_open=True
    ).exists():
        report_clock_track(today=today)


def clocks_sync(*, today: date | None = None) -> dict[str, int]:
    """Back-fill and refresh every Local Offer clock from the records (safe to run again): each
    listed record's review, each open action, the next report. For existing data and the
    demo; the services keep the clocks in step after that."""
    today = today or local_today()
    counts = {"records": 0, "actions": 0, "report": 0}
    ids = [str(pk) for pk in Service.objects.values_list("pk", flat=True)]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        owners = service_owners(chunk)
        for service in Service.objects.filter(pk__in=chunk).order_by("pk"):
            if service_clock_track(
                service=service, owners=owners.get(str(service.pk)), today=today
            ):
                counts["records"] += 1
    for comment in Comment.objects.filter(status=Comment.Status.ACTION_OPEN).order_by("pk"):
        if comment_clock_track(comment=comment, today=today):
            counts["actions"] += 1
    counts["report"] = 1 if report_clock_track(today=today) else 0
    return counts
