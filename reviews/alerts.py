"""What the family is told after each step of a review of their plan, through the alert engine.

The services record a dated case event for each step the family must hear of (the meeting
arranged, the decision to keep, amend or cease, the final amended plan, the decision not to amend
after all, the plan ceased). The engine's "update for the family" rules turn each event into one
notification per contact and channel (email, the notifications page), at once as the event is
recorded. This module writes those messages: every date in them comes from ehc.timescales,
worked out from the dates the event carries, so a message says what was true when it was sent.

`review_event_record` is the one way the services record such an event: it records a step once
(a second save of the same step, or a double submission, records nothing more), so the family is
told once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.urls import reverse

from ehc import timescales
from ehc.models import CaseEvent, User
from ehc.services import case_event_record
from notifications.family_news import FamilyNews, family_news_register
from reviews.models import MaintainedPlan

K = CaseEvent.Kind
REVIEW_EVENT_KINDS: tuple[str, ...] = (
    K.REVIEW_MEETING_ARRANGED,
    K.REVIEW_PLAN_KEPT,
    K.AMENDMENTS_PROPOSED,
    K.AMENDED_PLAN_ISSUED,
    K.DECIDED_NOT_TO_AMEND,
    K.DECIDED_TO_CEASE,
    K.PLAN_CEASED,
)
SUBJECTS: dict[str, str] = {
    K.REVIEW_MEETING_ARRANGED: "The review meeting for your EHC plan has been arranged",
    K.REVIEW_PLAN_KEPT: "The council has decided what happens after your EHC plan's review",
    K.AMENDMENTS_PROPOSED: "Changes to your EHC plan have been proposed",
    K.AMENDED_PLAN_ISSUED: "Your final amended EHC plan has been issued",
    K.DECIDED_NOT_TO_AMEND: "The council has decided not to change your EHC plan",
    K.DECIDED_TO_CEASE: "The council has decided to stop maintaining your EHC plan",
    K.PLAN_CEASED: "Your EHC plan has stopped",
}
TEMPLATE = "reviews/messages/family_news.txt"


def review_event_record(
    *,
    plan: MaintainedPlan,
    kind: str,
    occurred_on: date,
    step_key: str,
    details: dict[str, object],
    acting_user: User | None,
) -> CaseEvent | None:
    """Record the step on the plan's case (which tells the family), unless it is recorded
    already. `step_key` names the step (say 'review:12' or 'review:12:2026-11-17'): the same
    kind and key twice is the same news, so the second call records nothing and returns None.
    The caller holds the review's or plan's row lock, so two submissions at once queue here."""
    case = plan.case
    if CaseEvent.objects.filter(case=case, kind=kind, subject_key=step_key).exists():
        return None
    return case_event_record(
        case=case,
        kind=kind,
        occurred_on=occurred_on,
        acting_user=acting_user,
        subject_key=step_key,
        summary=CaseEvent.Kind(kind).label,
        details=details,
    )


# -- the messages ----------------------------------------------------------------------------


def _day(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _appeal_rights(sent_on: date) -> list[str]:
    """How to disagree with an appealable decision, with its two statutory dates (M2, F1)."""
    return [
        "If you disagree, you can appeal to the First-tier Tribunal (Special Educational Needs "
        f"and Disability) until {_long(timescales.appeal_deadline(sent_on))}. Before you appeal "
        "you must contact a mediation adviser (unless the appeal is only about the school or "
        f"college named): do this by {_long(timescales.mediation_contact_deadline(sent_on))}. "
        "You can also ask us to talk it through, or use the disagreement resolution service. "
        "Our letter gives the contact details."
    ]


def _meeting_arranged(details: dict[str, Any]) -> list[str]:
    meeting = _day(details.get("meeting_on"))
    assert meeting is not None
    lines = [
        f"The review meeting for the EHC plan is on {_long(meeting)}.",
        "At the meeting you will be asked for your views, and the child's or young person's, "
        "on how the plan is working: the progress towards its outcomes, what has changed, and "
        "whether the plan should be kept as it is, changed, or stopped.",
    ]
    if details.get("needs_adulthood"):
        lines.append(
            "From Year 9 the meeting also considers preparing for adulthood: further "
            "education or training, work, independent living, friendships and health."
        )
    circulated = _day(details.get("advice_circulated_on"))
    if circulated is not None:
        lines.append(
            "The advice and information gathered for the meeting was sent to you on "
            f"{_long(circulated)}."
        )
    else:
        lines.append(
            "We will send you the advice and information gathered for the meeting by "
            f"{_long(timescales.review_advice_latest(meeting))}, at least 2 weeks before it. "
            "Send us anything you want the meeting to consider before then."
        )
    lines += [
        "After the meeting we must tell you our decision by "
        f"{_long(timescales.review_decision_due(meeting))}.",
    ]
    return lines


def _plan_kept(details: dict[str, Any]) -> list[str]:
    decided = _day(details.get("decided_on"))
    assert decided is not None
    return [
        f"On {_long(decided)} the council decided to keep the EHC plan as it is after its review.",
        *_appeal_rights(decided),
    ]


def _amendments_proposed(details: dict[str, Any]) -> list[str]:
    sent = _day(details.get("decided_on"))
    held = _day(details.get("held_on"))
    assert sent is not None
    final_due = timescales.amended_plan_due(sent)
    if held is not None:
        final_due = min(final_due, timescales.amended_plan_latest(held))
    return [
        f"On {_long(sent)} the council decided to amend the EHC plan and sent you the changes "
        "it proposes, with the evidence for them.",
        "You have 15 days to tell us your views, ask for a meeting about them, or ask for a "
        "particular school or college to be named in the plan. Your 15 days end on "
        f"{_long(timescales.amendment_representations_end(sent))}.",
        f"The final amended plan must then be issued by {_long(final_due)}. If you still "
        "disagree with it, you can appeal once it is issued.",
    ]


def _amended_plan_issued(details: dict[str, Any]) -> list[str]:
    issued = _day(details.get("issued_on"))
    assert issued is not None
    return [
        f"The final amended EHC plan was issued on {_long(issued)}. Sign in to see what changed.",
        *_appeal_rights(issued),
    ]


def _not_amended(details: dict[str, Any]) -> list[str]:
    decided = _day(details.get("decided_on"))
    assert decided is not None
    return [
        f"On {_long(decided)} the council decided not to make the changes it proposed after "
        "all: the EHC plan stays as it is.",
        *_appeal_rights(decided),
    ]


def _cease(details: dict[str, Any]) -> list[str]:
    decided = _day(details.get("decided_on"))
    assert decided is not None
    return [
        f"On {_long(decided)} the council decided to stop maintaining the EHC plan, after "
        "consulting you and the school or college.",
        "The plan stays in place until at least "
        f"{_long(timescales.appeal_deadline(decided))}, and until any appeal is decided.",
        *_appeal_rights(decided),
    ]


def _ceased(details: dict[str, Any]) -> list[str]:
    ceased = _day(details.get("ceased_on"))
    assert ceased is not None
    return [
        f"The council stopped maintaining the EHC plan on {_long(ceased)}, the time to appeal "
        "the decision having passed.",
        "If things change, you can ask for a new EHC needs assessment at any time.",
    ]


WRITERS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    K.REVIEW_MEETING_ARRANGED: _meeting_arranged,
    K.REVIEW_PLAN_KEPT: _plan_kept,
    K.AMENDMENTS_PROPOSED: _amendments_proposed,
    K.AMENDED_PLAN_ISSUED: _amended_plan_issued,
    K.DECIDED_NOT_TO_AMEND: _not_amended,
    K.DECIDED_TO_CEASE: _cease,
    K.PLAN_CEASED: _ceased,
}


def family_message_lines(event: CaseEvent) -> list[str]:
    """The paragraphs of the family's message about this review step."""
    return WRITERS[event.kind](event.details or {})


def _context(event: CaseEvent) -> dict[str, Any]:
    return {"paragraphs": family_message_lines(event)}


def _link(event: CaseEvent) -> str:
    return reverse("reviews_family:plan", args=[event.case_id])


def register_family_news() -> None:
    """Called from ReviewsConfig.ready(): each review step becomes news the engine can send."""
    for kind in REVIEW_EVENT_KINDS:
        family_news_register(
            FamilyNews(
                kind=kind, subject=SUBJECTS[kind], template=TEMPLATE, context=_context, link=_link
            )
        )
