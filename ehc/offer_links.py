"""Links from the EHC pages to the council's published offer (the Local Offer).

Decision notices, the family's case pages and the request journey name things the family can
look up: the information, advice and support service, the mediation service, the personal budget
policy, how to ask for an assessment, the schools and colleges available, the named setting's
own offer. The core does not know where those are published: an app registers a resolver
(`register_offer_resolver`), and templates ask `{% offer_link "topic" as link %}`. With no
resolver, or nothing found, the link is None and the page shows its text without a link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# Topics the core's pages ask about.
INFORMATION_ADVICE = "information_advice"
MEDIATION = "mediation"
PERSONAL_BUDGETS = "personal_budgets"
EHC_ASSESSMENT = "ehc_assessment"
SCHOOLS = "schools"
SETTING = "setting"  # with subject = the setting's name
TOPICS = (INFORMATION_ADVICE, MEDIATION, PERSONAL_BUDGETS, EHC_ASSESSMENT, SCHOOLS, SETTING)


@dataclass(frozen=True)
class OfferLink:
    title: str
    url: str  # absolute, so it works in a printed or emailed letter


Resolver = Callable[[str, str], "OfferLink | None"]
_RESOLVERS: list[Resolver] = []


def register_offer_resolver(resolver: Resolver) -> Resolver:
    """Called once from an app's AppConfig.ready()."""
    if resolver not in _RESOLVERS:
        _RESOLVERS.append(resolver)
    return resolver


def offer_link(topic: str, subject: str = "") -> OfferLink | None:
    """The published page for a topic, from the first resolver that knows one."""
    if topic not in TOPICS:
        raise ValueError(f"Unknown offer topic {topic!r}")
    for resolver in _RESOLVERS:
        link = resolver(topic, subject)
        if link is not None:
            return link
    return None
