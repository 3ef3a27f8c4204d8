"""Reads over the register of settings: search, resolving what a person typed, and matching the
school a family named on its request to the register."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import QuerySet

from ehc.models import Case, CaseEvent, Setting
from ehc.register.search import IN_REGISTER
from ehc.search import normalise, search
from ehc.search.cases import POSTCODE

# What a chosen entry is written as in a search box: "Oak School, Barchester (URN 123456)".
LABEL_TAIL = re.compile(
    r"\((?:URN (?P<urn>\d{6,7})|UKPRN (?P<ukprn>1\d{7})|register number (?P<pk>\d{1,12}))\)"
    r"(?: \(closed\))?\s*$",
    re.IGNORECASE,
)
URN_ONLY = re.compile(r"^\s*(?:urn\s*)?(?P<urn>\d{6,7})\s*$", re.IGNORECASE)
UKPRN_ONLY = re.compile(r"^\s*(?:ukprn\s*)?(?P<ukprn>1\d{7})\s*$", re.IGNORECASE)


def setting_label(setting: Setting) -> str:
    """The entry as a person reads it, and as a search box holds it once chosen."""
    place = f", {setting.town}" if setting.town else ""
    closed = " (closed)" if setting.is_closed else ""
    return f"{setting.name}{place} ({setting.register_number}){closed}"


def settings_search(*, query: str, limit: int = 10, confirmed_only: bool = False) -> list[Setting]:
    """Register entries matching `query` (name, town, postcode, URN, UKPRN), best first; open
    ones before closed ones of the same standing. `confirmed_only` leaves out the entries
    caseworkers added that wait for a manager."""
    scopes = [IN_REGISTER] if confirmed_only else None
    hits = search(kind="setting", query=query, limit=limit * 2, scopes=scopes)
    rank = {hit.object_id: (i, hit.score) for i, hit in enumerate(hits)}
    found = list(Setting.objects.filter(pk__in=list(rank)))
    found.sort(key=lambda s: (-rank[s.pk][1], s.is_closed, rank[s.pk][0]))
    return found[:limit]


@dataclass
class Resolution:
    """What a typed value names: one entry, or the entries it might mean (none: no match)."""

    setting: Setting | None = None
    candidates: list[Setting] = field(default_factory=list)


def setting_resolve(text: str) -> Resolution:
    """The register entry a person means by `text`: a label chosen from the search (ends with
    its URN, UKPRN or register number), a bare URN or UKPRN, or a name that matches exactly one
    entry as typed. Anything else gives the candidates to choose from."""
    text = (text or "").replace("\x00", "").strip()[:300]  # PostgreSQL refuses NUL in text
    if not text:
        return Resolution()
    exact = LABEL_TAIL.search(text) or URN_ONLY.match(text) or UKPRN_ONLY.match(text)
    if exact:
        found = _by_identifier(exact.groupdict())
        if found is not None:
            return Resolution(setting=found)
    typed = LABEL_TAIL.sub("", text).strip()
    candidates = settings_search(query=typed)
    if not candidates:  # an entry not (yet) in the search index: added in the admin, say
        candidates = list(Setting.objects.filter(name__icontains=typed).order_by("name")[:10])
    wanted = normalise(typed)
    same_name = [s for s in candidates if normalise(s.name) == wanted]
    if len(same_name) == 1:
        return Resolution(setting=same_name[0])
    return Resolution(candidates=candidates)


def _by_identifier(parts: dict[str, str | None]) -> Setting | None:
    if parts.get("urn"):
        return Setting.objects.filter(urn=parts["urn"]).first()
    if parts.get("ukprn"):
        return Setting.objects.filter(ukprn=parts["ukprn"]).order_by("pk").first()
    if pk := parts.get("pk"):
        return Setting.objects.filter(pk=int(pk)).first()
    return None


def settings_to_confirm() -> QuerySet[Setting]:
    return Setting.objects.filter(needs_confirming=True).select_related("added_by")


# -- the school the family named ---------------------------------------------------------------


@dataclass(frozen=True)
class TypedSchool:
    name: str
    urn: str


@dataclass(frozen=True)
class Suggestion:
    setting: Setting
    why: str


def typed_school(case: Case) -> TypedSchool | None:
    """The school or setting the request named, as the family (or referrer) typed it."""
    event = case.events.filter(kind=CaseEvent.Kind.REQUEST_RECEIVED).order_by("occurred_on").first()
    named = (event.details or {}).get("current_setting") if event else None
    if not isinstance(named, dict):
        return None
    name, urn = str(named.get("name") or "").strip(), str(named.get("urn") or "").strip()
    if not name and not urn:
        return None
    return TypedSchool(name=name[:200], urn=urn[:20])


def _outward(postcode: str) -> str:
    match = POSTCODE.search(postcode or "")
    return match.group(1).upper() if match else ""


def setting_suggestions(*, case: Case, limit: int = 3) -> list[Suggestion]:
    """Register entries that may be the school the family named, best first, each with why.

    A URN the family gave that the register holds comes first. Then entries found by name,
    ranked by how much of the name matches, then by sharing the postcode district of the
    family's address, then by being in the child's local authority; open before closed."""
    typed = typed_school(case)
    if typed is None:
        return []
    first: list[Suggestion] = []
    urn_match = URN_ONLY.match(typed.urn) if typed.urn else None
    if urn_match:
        by_urn = Setting.objects.filter(urn=urn_match["urn"]).first()
        if by_urn is not None:
            first.append(Suggestion(by_urn, f"it has the URN the family gave ({typed.urn})"))
    by_name: list[tuple[float, Suggestion]] = []
    if typed.name:
        hits = {hit.object_id: hit.score for hit in search(kind="setting", query=typed.name)}
        districts = {_outward(c.address) for c in case.child.contacts.all() if _outward(c.address)}
        home_la = normalise(case.child.home_local_authority)
        for setting in Setting.objects.filter(pk__in=list(hits)).exclude(
            pk__in=[s.setting.pk for s in first]
        ):
            same_district = bool(districts) and _outward(setting.postcode) in districts
            same_la = bool(home_la) and normalise(setting.local_authority) == home_la
            rank = hits[setting.pk] + 0.3 * same_district + 0.15 * same_la - 0.5 * setting.is_closed
            reasons = ["its name is like the one the family typed"]
            if same_district:
                reasons.append("it is in the same postcode district as the family")
            elif same_la:
                reasons.append("it is in the child's local authority")
            by_name.append((rank, Suggestion(setting, " and ".join(reasons))))
    by_name.sort(key=lambda pair: (-pair[0], pair[1].setting.pk))
    return (first + [suggestion for _, suggestion in by_name])[:limit]
