"""News for the family that apps add: case events the core's assessment does not know about
(say, a review of a plan in force arranging its meeting or deciding to amend the plan).

An app registers a ``FamilyNews`` per event kind from its AppConfig.ready(). The kind then
becomes a choice on the managers' "update for the family" alert rules, and a notification about
such an event is written from the app's own subject, template and link, so it says what happened
and the dates that matter in the family's words. Delivery, recipients and the unique key that
makes a second call harmless are the engine's, exactly as for the assessment's events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ehc.models import CaseEvent

# Events of the assessment a family is waiting for: a decision, a draft plan, a final plan (or
# news there will be none). Apps add theirs through family_news_register.
CORE_FAMILY_EVENT_KINDS: tuple[str, ...] = (
    CaseEvent.Kind.DECIDED_TO_ASSESS,
    CaseEvent.Kind.DECIDED_NOT_TO_ASSESS,
    CaseEvent.Kind.DRAFT_SERVED,
    CaseEvent.Kind.FINAL_PLAN_ISSUED,
    CaseEvent.Kind.DECIDED_NOT_TO_ISSUE,
)


@dataclass(frozen=True)
class FamilyNews:
    kind: str  # a CaseEvent.Kind value
    subject: str  # no names, no references: it shows on lock screens
    template: str  # body template: the engine's context plus context(event)
    context: Callable[[CaseEvent], dict[str, Any]]
    link: Callable[[CaseEvent], str] | None = None  # where the message points (a path)


FAMILY_NEWS: dict[str, FamilyNews] = {}


def family_news_register(news: FamilyNews) -> None:
    if news.kind not in CaseEvent.Kind.values:
        raise ValueError(f"{news.kind!r} is not a case event kind")
    FAMILY_NEWS[news.kind] = news


def family_news_for(kind: str) -> FamilyNews | None:
    return FAMILY_NEWS.get(kind)


def family_event_kinds() -> list[str]:
    """Every event a family can be told about, the assessment's first."""
    return list(CORE_FAMILY_EVENT_KINDS) + [
        k for k in FAMILY_NEWS if k not in CORE_FAMILY_EVENT_KINDS
    ]


def family_event_kind_choices() -> list[tuple[str, str]]:
    return [(kind, CaseEvent.Kind(kind).label) for kind in family_event_kinds()]
