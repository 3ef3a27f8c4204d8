"""What the core knows about the subjects of clocks that belong to no case.

An app that keeps ``SubjectDeadline`` rows registers each kind of subject once, from its
AppConfig.ready(): how to name it and link to it for staff (``describe``), who answers for it
(``owners``) and the words of its alerts' subjects. The core and the alert engine call these
with many ids at once, so an app answers a page or a sweep in a fixed number of queries. The
core names no app: it only knows the keys apps registered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Owner:
    """Someone who answers for a clock: a user, or an address without a login."""

    user_id: int | None = None
    email: str = ""

    @property
    def key(self) -> str:
        if self.user_id is not None:
            return f"user:{self.user_id}"
        return f"email:{self.email.strip().lower()}"


@dataclass(frozen=True)
class SubjectInfo:
    title: str  # shown to staff (may name a service; never shown in an email subject)
    url: str  # a path on this site where staff see and act on the subject


@dataclass(frozen=True)
class SubjectType:
    key: str  # stored in SubjectDeadline.subject_type (at most 60 characters)
    label: str  # "Local Offer record"
    describe: Callable[[list[str]], dict[str, SubjectInfo]]
    owners: Callable[[list[str]], dict[str, list[Owner]]]
    # Email subjects by alert ("due_soon", "overdue"): no names, no personal data.
    alert_subjects: dict[str, str] = field(default_factory=dict)


SUBJECT_TYPES: dict[str, SubjectType] = {}


def subject_type_register(subject_type: SubjectType) -> None:
    if len(subject_type.key) > 60:
        raise ValueError("a subject type's key is at most 60 characters")
    SUBJECT_TYPES[subject_type.key] = subject_type


def subject_type(key: str) -> SubjectType:
    try:
        return SUBJECT_TYPES[key]
    except KeyError:
        raise ValueError(f"no app registered the subject type {key!r}") from None


def describe_subjects(pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], SubjectInfo]:
    """(subject_type, subject_id) -> what to call it and where it is, one call per type."""
    by_type: dict[str, list[str]] = {}
    for type_key, subject_id in pairs:
        by_type.setdefault(type_key, []).append(subject_id)
    found: dict[tuple[str, str], SubjectInfo] = {}
    for type_key, ids in by_type.items():
        registered = SUBJECT_TYPES.get(type_key)
        if registered is None:
            continue
        for subject_id, info in registered.describe(sorted(set(ids))).items():
            found[(type_key, subject_id)] = info
    return found
