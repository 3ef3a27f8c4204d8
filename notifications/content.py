"""What a notification says. Subjects carry no personal data: no name, no case reference.

Email subjects show in lock screens, previews and mail server logs, so they say only what kind
of thing happened. Bodies name the case by its reference (never the child) and point to the
service, where the reader signs in to see the rest.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from ehc import timescales
from ehc.models import CaseEvent
from ehc.subject_types import SUBJECT_TYPES, describe_subjects
from notifications.audiences import audience_for_reason
from notifications.family_news import FamilyNews, family_news_for
from notifications.models import AlertRule, Notification

Trigger = AlertRule.Trigger
Reason = Notification.Reason

SUBJECTS: dict[tuple[str, str], str] = {
    (Trigger.DUE_SOON, Reason.ASSIGNED): "A deadline is coming up on one of your cases",
    (Trigger.DUE_SOON, Reason.UNASSIGNED): "A deadline is coming up on a case with no caseworker",
    (Trigger.DUE_SOON, Reason.TEAM_MANAGER): "A deadline is coming up on a case in your team",
    (Trigger.DUE_SOON, Reason.FAMILY): "A date in your EHC needs assessment is coming up",
    (Trigger.OVERDUE, Reason.ASSIGNED): "A deadline has passed on one of your cases",
    (Trigger.OVERDUE, Reason.UNASSIGNED): "A deadline has passed on a case with no caseworker",
    (Trigger.OVERDUE, Reason.TEAM_MANAGER): "A deadline has passed on a case in your team",
    (Trigger.OVERDUE, Reason.FAMILY): "A date in your EHC needs assessment has passed",
    (Trigger.FAMILY_EVENT, Reason.FAMILY): "There is news about your EHC needs assessment request",
}
FALLBACK_SUBJECT = "You have a new notification"
# A deadline without a case, when its subject's app gave no words of its own.
SUBJECT_DEADLINE_SUBJECTS: dict[str, str] = {
    Trigger.DUE_SOON: "A date for one of your records is coming up",
    Trigger.OVERDUE: "A date for one of your records has passed",
}

Event = CaseEvent.Kind
# What each event means for the family, in their words rather than the case record's.
FAMILY_NEWS: dict[str, str] = {
    Event.DECIDED_TO_ASSESS: "The council has decided to carry out an EHC needs assessment.",
    Event.DECIDED_NOT_TO_ASSESS: "The council has decided not to carry out an EHC needs assessment.",
    Event.DRAFT_SERVED: (
        "A draft EHC plan has been sent to you. You have 15 days to comment on it and to ask "
        "for a particular school or college."
    ),
    Event.FINAL_PLAN_ISSUED: "The final EHC plan has been issued.",
    Event.DECIDED_NOT_TO_ISSUE: "The council has decided not to issue an EHC plan.",
}


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def subject_for(notification: Notification) -> str:
    if notification.subject_deadline is not None:
        registered = SUBJECT_TYPES.get(notification.subject_deadline.subject_type)
        words = registered.alert_subjects if registered is not None else {}
        return words.get(notification.trigger) or SUBJECT_DEADLINE_SUBJECTS.get(
            notification.trigger, FALLBACK_SUBJECT
        )
    app_audience = audience_for_reason(notification.reason)
    if app_audience is not None:
        return app_audience.subjects.get(notification.trigger, FALLBACK_SUBJECT)
    app_news = _app_news(notification)
    if app_news is not None:
        return app_news.subject
    return SUBJECTS.get((notification.trigger, notification.reason), FALLBACK_SUBJECT)


def render(notification: Notification) -> Message:
    if notification.subject_deadline_id is not None:
        return _render_subject_deadline(notification)
    context = {
        "notification": notification,
        "reference": notification.case.reference,
        "local_authority_name": settings.LOCAL_AUTHORITY_NAME,
        "notifications_url": _absolute(reverse("notifications:inbox")),
        "case_url": _case_url(notification),
    }
    if notification.deadline_id:
        deadline = notification.deadline
        context["deadline"] = deadline
        context["legal_basis"] = timescales.RULES[deadline.kind].legal_basis
    else:
        event = notification.event
        context["event"] = event
        context["news"] = FAMILY_NEWS.get(event.kind, event.get_kind_display())
    template = f"notifications/messages/{notification.trigger}.txt"
    app_news = _app_news(notification)
    if app_news is not None and notification.event is not None:
        context.update(app_news.context(notification.event))
        if app_news.link is not None:
            context["case_url"] = _absolute(app_news.link(notification.event))
        template = app_news.template
    app_audience = audience_for_reason(notification.reason)
    if app_audience is not None:
        if app_audience.extra_context is not None:
            context.update(app_audience.extra_context(notification))
        if app_audience.link is not None:
            context["case_url"] = _absolute(app_audience.link(notification))
        template = app_audience.template or template
    body = render_to_string(template, context)
    return Message(subject=subject_for(notification), body=body.strip() + "\n")


def _render_subject_deadline(notification: Notification) -> Message:
    """A clock without a case: what it is about and where to act, in the subject's app's words
    (ehc.subject_types); the body may name the record, the subject line never does."""
    deadline = notification.subject_deadline
    key = (deadline.subject_type, deadline.subject_id)
    info = describe_subjects([key]).get(key)
    registered = SUBJECT_TYPES.get(deadline.subject_type)
    context = {
        "notification": notification,
        "deadline": deadline,
        "subject_label": registered.label if registered else "record",
        "subject_title": info.title if info else "",
        "subject_url": _absolute(info.url) if info else _absolute(reverse("notifications:inbox")),
        "local_authority_name": settings.LOCAL_AUTHORITY_NAME,
    }
    template = f"notifications/messages/subject_{notification.trigger}.txt"
    body = render_to_string(template, context)
    return Message(subject=subject_for(notification), body=body.strip() + "\n")


def _app_news(notification: Notification) -> FamilyNews | None:
    """The app's own words for an event it registered news for (notifications.family_news)."""
    if notification.event_id is None:
        return None
    return family_news_for(notification.event.kind)


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _case_url(notification: Notification) -> str:
    """Staff go straight to the case page; families (and staff, if there is no case page
    in this deployment) to their notifications page."""
    if notification.reason != Reason.FAMILY:
        try:
            return _absolute(reverse("ehc:case_detail", kwargs={"case_pk": notification.case_id}))
        except NoReverseMatch:
            pass
    return _absolute(reverse("notifications:inbox"))
