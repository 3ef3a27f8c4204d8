"""Audiences apps add to the alert rules: people the core's audiences do not know (say, the
administrators of the organisation an advice request was sent to).

An app registers an ``AppAudience`` from its AppConfig.ready(). A rule whose audience is its
key reaches the people ``people(source)`` yields: the source rows (Deadline rows) annotated
with ``n_user``, ``n_email`` and ``n_key`` (as in notifications.recipients), still one
set-based INSERT ... SELECT. The message is written from the audience's own template, subject
and link, so the app says what is needed and by when in its users' words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class AppAudience:
    key: str  # stored in AlertRule.audience (max 20 characters)
    label: str  # shown to managers choosing who a rule tells
    reason: str  # stored in Notification.reason (max 20 characters)
    reason_label: str
    people: Callable[[QuerySet], list[QuerySet]]
    subjects: dict[str, str] = field(default_factory=dict)  # trigger -> subject (no names)
    template: str = ""  # body template; the core's context plus extra_context(notification)
    extra_context: Callable[[Any], dict] | None = None
    link: Callable[[Any], str] | None = None  # where the message points (a path)


AUDIENCES: dict[str, AppAudience] = {}


def audience_register(audience: AppAudience) -> None:
    if len(audience.key) > 20 or len(audience.reason) > 20:
        raise ValueError("an audience key and its reason are at most 20 characters")
    AUDIENCES[audience.key] = audience


def audience_for_reason(reason: str) -> AppAudience | None:
    return next((a for a in AUDIENCES.values() if a.reason == reason), None)


def audience_choices() -> list[tuple[str, str]]:
    from notifications.models import AlertRule

    return list(AlertRule.Audience.choices) + [(a.key, a.label) for a in AUDIENCES.values()]


def reason_choices() -> list[tuple[str, str]]:
    from notifications.models import Notification

    return list(Notification.Reason.choices) + [
        (a.reason, a.reason_label) for a in AUDIENCES.values()
    ]
