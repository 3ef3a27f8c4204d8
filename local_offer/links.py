"""The Local Offer answers the core's offer links (ehc.offer_links): each topic resolves to the
directory record that answers it (the council's own first), else to the fixed statutory page."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from ehc.offer_links import (
    EHC_ASSESSMENT,
    INFORMATION_ADVICE,
    MEDIATION,
    PERSONAL_BUDGETS,
    SCHOOLS,
    SETTING,
    OfferLink,
)
from local_offer import vocabulary as v
from local_offer.models import Service

SCHEDULE_2_FOR_TOPIC = {
    INFORMATION_ADVICE: "information_advice",
    MEDIATION: "mediation",
    PERSONAL_BUDGETS: "personal_budgets",
    EHC_ASSESSMENT: "ehc_assessment",
}
SETTING_ITEMS = ("early_years", "schools", "post16")


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _record(service: Service) -> OfferLink:
    return OfferLink(
        title=f"{service.name} in our Local Offer",
        url=_absolute(reverse("local_offer:service", args=[service.pk])),
    )


def resolve(topic: str, subject: str) -> OfferLink | None:
    listed = Service.objects.exclude(status=Service.Status.INACTIVE)
    if topic in SCHEDULE_2_FOR_TOPIC:
        item = v.SCHEDULE_2_BY_CODE[SCHEDULE_2_FOR_TOPIC[topic]]
        service = (
            listed.filter(schedule2_item=item.code)
            .order_by("-organisation__is_council", "name")
            .first()
        )
        if service is not None:
            return _record(service)
        return OfferLink(
            title=f"{item.title} in our Local Offer",
            url=_absolute(reverse("local_offer:statutory", args=[item.page])),
        )
    if topic == SCHOOLS:
        query = "&".join(f"category={c}" for c in ("education",))
        return OfferLink(
            title="Schools and colleges in our Local Offer",
            url=_absolute(reverse("local_offer:directory") + "?" + query),
        )
    if topic == SETTING and subject.strip():
        service = (
            listed.filter(schedule2_item__in=SETTING_ITEMS, name__iexact=subject.strip())
            .order_by("name")
            .first()
        )
        return _record(service) if service else None
    return None
