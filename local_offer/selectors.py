"""Reads of the Local Offer: the directory search, a record with everything it shows, the feed.

The directory's query is built once here and used by the public pages and the open data feed:
filters are EXISTS subqueries (no duplicate rows), keyword matches come from the core search
index (ehc.search, through local_offer.search_index),
distance from a postcode is an indexed latitude/longitude box then the haversine distance in SQL.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, time
from typing import Literal

from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt

from ehc.search import WordMatch, search_ranked
from local_offer import vocabulary as v
from local_offer.models import (
    ChangeRequest,
    Comment,
    Organisation,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from local_offer.postcodes import EARTH_RADIUS_M, bounding_box
from local_offer.search_index import service_match


@dataclass(frozen=True)
class Near:
    latitude: float
    longitude: float
    metres: float
    label: str = ""


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    categories: tuple[str, ...] = ()
    need_types: tuple[str, ...] = ()
    term_ids: tuple[uuid.UUID, ...] = ()
    taxonomy_id: uuid.UUID | None = None
    age: int | None = None
    minimum_age: float | None = None
    maximum_age: float | None = None
    near: Near | None = None
    day: str = ""
    at_time: time | None = None
    start_time: time | None = None
    end_time: time | None = None
    free_only: bool = False
    referral: bool | None = None
    access_features: tuple[str, ...] = ()
    schedule2_item: str = ""
    include_inactive: bool = False


@dataclass
class DirectoryPage:
    services: list[Service]
    total: int
    page: int
    per_page: int
    distances: dict[uuid.UUID, float] = field(default_factory=dict)

    @property
    def total_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1


def _has_term(term_ids: list[uuid.UUID]) -> Q:
    """Services linked to any of the terms: an IN over the (term, service) index, which reads
    only the services that have the term (an EXISTS would probe once per service)."""
    through = Service.terms.through
    return Q(pk__in=through.objects.filter(taxonomyterm_id__in=term_ids).values("service_id"))


def _haversine(lat: float, lon: float, location: str = "location") -> object:
    """Metres from a point to `location`'s latitude/longitude, as a SQL expression."""
    lat_r, lon_r = math.radians(lat), math.radians(lon)
    latitude, longitude = F(f"{location}__latitude"), F(f"{location}__longitude")
    dlat = Radians(latitude) - Value(lat_r)
    dlon = Radians(longitude) - Value(lon_r)
    a = Power(Sin(dlat / 2), 2) + Value(math.cos(lat_r)) * Cos(Radians(latitude)) * Power(
        Sin(dlon / 2), 2
    )
    return Value(2.0 * EARTH_RADIUS_M) * ASin(Sqrt(a))


FIND: Literal["find"] = "find"


def directory_queryset(
    filters: DirectoryFilters, *, match: WordMatch | None | Literal["find"] = FIND
) -> QuerySet[Service]:
    """Services matching every filter but distance (no ordering, no keyword ranking; `_nearest`
    measures distance). `match` is the keyword match when the caller has looked it up already."""
    qs = Service.objects.all()
    if not filters.include_inactive:
        qs = qs.exclude(status=Service.Status.INACTIVE)
    if filters.q:
        if match == FIND:
            match = service_match(filters.q, listed_only=not filters.include_inactive)
        if match is not None:
            qs = qs.filter(pk__in=RawSQL(*match.ids_sql()))
    if filters.categories:
        qs = qs.filter(
            _has_term([v.term_uuid(v.TAXONOMY_CATEGORIES, c) for c in filters.categories])
        )
    if filters.need_types:
        qs = qs.filter(
            _has_term([v.term_uuid(v.TAXONOMY_NEED_TYPES, c) for c in filters.need_types])
        )
    for term_id in filters.term_ids:
        if any(term_id == v.term_uuid(v.TAXONOMY_SCHEDULE_2, i.code) for i in v.SCHEDULE_2):
            code = next(
                i.code
                for i in v.SCHEDULE_2
                if term_id == v.term_uuid(v.TAXONOMY_SCHEDULE_2, i.code)
            )
            qs = qs.filter(schedule2_item=code)
        else:
            qs = qs.filter(_has_term([term_id]))
    if filters.taxonomy_id and filters.taxonomy_id != v.taxonomy_uuid(v.TAXONOMY_SCHEDULE_2):
        # Every service answers a Schedule 2 item, so that taxonomy filters nothing out.
        terms = TaxonomyTerm.objects.filter(taxonomy_id=filters.taxonomy_id)
        qs = qs.filter(_has_term(list(terms.values_list("id", flat=True))))
    if filters.age is not None:
        qs = qs.filter(minimum_age__lte=filters.age, maximum_age__gte=filters.age)
    if filters.minimum_age is not None:
        qs = qs.filter(minimum_age__gte=filters.minimum_age)
    if filters.maximum_age is not None:
        qs = qs.filter(maximum_age__lte=filters.maximum_age)
    if filters.free_only:
        qs = qs.filter(is_free=True)
    if filters.referral is not None:
        qs = qs.filter(referral_needed=filters.referral)
    if filters.schedule2_item:
        qs = qs.filter(schedule2_item=filters.schedule2_item)
    if filters.day or filters.at_time or filters.start_time or filters.end_time:
        schedules = Schedule.objects.filter(service_id=OuterRef("pk"))
        if filters.day:
            schedules = schedules.filter(byday__contains=filters.day)
        if filters.at_time:
            schedules = schedules.filter(
                opens_at__lte=filters.at_time, closes_at__gt=filters.at_time
            )
        if filters.start_time:
            schedules = schedules.filter(opens_at__gte=filters.start_time)
        if filters.end_time:
            schedules = schedules.filter(closes_at__lte=filters.end_time)
        qs = qs.filter(Exists(schedules))
    for feature in filters.access_features:
        qs = qs.filter(
            pk__in=ServiceAtLocation.objects.filter(
                location__accessibility__feature=feature
            ).values("service_id")
        )
    return qs


def _with_everything(qs: QuerySet[Service]) -> QuerySet[Service]:
    return qs.select_related("organisation").prefetch_related(
        Prefetch("terms", queryset=TaxonomyTerm.objects.select_related("taxonomy")),
        "schedules",
        "cost_options",
        "languages",
        "service_areas",
        "contacts__phones",
        "phones",
        Prefetch(
            "at_locations",
            queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                "location__accessibility"
            ),
        ),
    )


UNFILTERED = DirectoryFilters(include_inactive=True)


def _nearest(qs: QuerySet[Service], near: Near) -> QuerySet[Service, tuple[uuid.UUID, float, int]]:
    """(pk, distance_m, total) of the services within `near`, nearest first: each service's
    places inside the bounding box joined once and grouped by service alone, the nearest
    place's distance their minimum."""
    min_lat, max_lat, min_lon, max_lon = bounding_box(near.latitude, near.longitude, near.metres)
    return (
        qs.filter(
            at_locations__location__latitude__range=(min_lat, max_lat),
            at_locations__location__longitude__range=(min_lon, max_lon),
        )
        .values("pk")
        .annotate(
            distance_m=Min(
                _haversine(near.latitude, near.longitude, "at_locations__location"),
                output_field=FloatField(),
            )
        )
        .filter(distance_m__lte=near.metres)
        .annotate(total=Window(Count("pk")))
        .order_by("distance_m", "name", "pk")
        .values_list("pk", "distance_m", "total")
    )


def directory_page(
    filters: DirectoryFilters, *, page: int = 1, per_page: int = 20, full: bool = True
) -> DirectoryPage:
    """One page of results: nearest first with a postcode, best match with words, else A-Z."""
    page = max(1, page)
    match = (
        service_match(filters.q, listed_only=not filters.include_inactive) if filters.q else None
    )
    qs = directory_queryset(filters, match=match)
    offset = (page - 1) * per_page
    distances: dict[uuid.UUID, float] = {}
    if filters.near:
        nearest = _nearest(qs, filters.near)
        near_rows = list(nearest[offset : offset + per_page])
        total = near_rows[0][2] if near_rows else nearest.count()
        ids = [pk for pk, _, _ in near_rows]
        distances = {pk: d for pk, d, _ in near_rows}
    elif match is not None:
        # One query: the keyword matches, ranked, within the other filters (the match holds
        # only listed services already; with no other filter, nothing more to ask).
        rest = replace(filters, q="", include_inactive=True)
        within = None if rest == UNFILTERED else directory_queryset(rest)
        ids, total = search_ranked(match, within=within, limit=per_page, offset=offset)
    else:
        # One scan: the page and the count together (COUNT(*) OVER ()).
        rows = list(
            qs.annotate(total=Window(Count("pk")))
            .order_by("name", "pk")
            .values_list("pk", "total")[offset : offset + per_page]
        )
        total = rows[0][1] if rows else qs.count()
        ids = [pk for pk, _ in rows]
    base = Service.objects.filter(pk__in=ids)
    by_id = {
        s.pk: s for s in (_with_everything(base) if full else base.select_related("organisation"))
    }
    services = [by_id[pk] for pk in ids if pk in by_id]
    return DirectoryPage(
        services=services, total=total, page=page, per_page=per_page, distances=distances
    )


def service_get(service_id: uuid.UUID, *, include_inactive: bool = False) -> Service | None:
    qs = _with_everything(Service.objects.all())
    if not include_inactive:
        qs = qs.exclude(status=Service.Status.INACTIVE)
    return qs.filter(pk=service_id).first()


def services_for_provider(user) -> QuerySet[Service]:
    """The services a provider account may see and change: its organisations' only."""
    return Service.objects.filter(organisation__members=user).select_related("organisation")


def provider_service_get(user, service_id: uuid.UUID) -> Service | None:
    """One of the provider's own services, or None (the view answers 404 either way)."""
    return services_for_provider(user).filter(pk=service_id).first()


def pending_changes() -> QuerySet[ChangeRequest]:
    return (
        ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING)
        .select_related("service__organisation", "submitted_by")
        .order_by("submitted_at")
    )


def stale_services(today: date) -> QuerySet[Service]:
    return (
        Service.objects.exclude(status=Service.Status.INACTIVE)
        .filter(review_due_on__lt=today)
        .select_related("organisation")
        .order_by("review_due_on")
    )


@dataclass
class Schedule2Row:
    item: v.Schedule2Item
    in_area: int
    out_of_area: int
    examples: list[Service]
    gaps: list[str]


def schedule2_completeness() -> list[Schedule2Row]:
    """Each Schedule 2 item with the records answering it, and the gaps named."""

    counts = {
        (row["schedule2_item"], row["in_area"]): row["n"]
        for row in Service.objects.exclude(status=Service.Status.INACTIVE)
        .values("schedule2_item", "in_area")
        .annotate(n=Count("pk"))
    }
    rows = []
    for item in v.SCHEDULE_2:
        in_area = counts.get((item.code, True), 0)
        out = counts.get((item.code, False), 0)
        gaps = []
        if in_area + out == 0 and not item.page:
            gaps.append(f"No records: nothing in the Local Offer answers '{item.title}'.")
        elif in_area + out == 0:
            gaps.append("No service records; only the fixed page answers it.")
        if item.code in ("schools", "post16") and out == 0:
            gaps.append(
                "No out-of-area provision listed (Schedule 2 asks for provision outside "
                "the area too)."
            )
        examples = list(
            Service.objects.exclude(status=Service.Status.INACTIVE)
            .filter(schedule2_item=item.code)
            .order_by("name")[:5]
        )
        rows.append(
            Schedule2Row(item=item, in_area=in_area, out_of_area=out, examples=examples, gaps=gaps)
        )
    return rows


def comments_to_triage() -> QuerySet[Comment]:
    return Comment.objects.exclude(status=Comment.Status.CLOSED).order_by("received_at")


def organisations_for(user) -> QuerySet[Organisation]:
    return Organisation.objects.filter(members=user)


def service_at_locations_page(
    *, near: Near | None, page: int, per_page: int
) -> tuple[list[ServiceAtLocation], int, dict[uuid.UUID, float]]:
    """Services at places: nearest first within `near`, or all in a stable order."""
    qs = ServiceAtLocation.objects.exclude(service__status=Service.Status.INACTIVE)
    offset = (max(1, page) - 1) * per_page
    distances: dict[uuid.UUID, float] = {}
    if near:
        min_lat, max_lat, min_lon, max_lon = bounding_box(
            near.latitude, near.longitude, near.metres
        )
        qs = (
            qs.filter(
                location__latitude__range=(min_lat, max_lat),
                location__longitude__range=(min_lon, max_lon),
            )
            .annotate(metres=_haversine(near.latitude, near.longitude))
            .filter(metres__lte=near.metres)
        )
        total = qs.count()
        rows = list(
            qs.order_by("metres", "pk").values_list("pk", "metres")[offset : offset + per_page]
        )
        ids = [pk for pk, _ in rows]
        distances = dict(rows)
    else:
        total = qs.count()
        ids = list(qs.order_by("pk").values_list("pk", flat=True)[offset : offset + per_page])
    by_id = {
        sal.pk: sal
        for sal in ServiceAtLocation.objects.filter(pk__in=ids)
        .select_related("service__organisation", "location")
        .prefetch_related("location__accessibility")
    }
    return [by_id[pk] for pk in ids if pk in by_id], total, distances


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


CHANGE_LABELS = {
    "name": "Name",
    "description": "What the service does",
    "eligibility": "Who it is for",
    "minimum_age": "Youngest age",
    "maximum_age": "Oldest age",
    "how_to_apply": "How to apply",
    "referral_needed": "Referral needed",
    "how_decisions_made": "How decisions are made",
    "is_free": "Free",
    "fees_description": "What it costs",
    "url": "Website",
    "email": "Email address",
    "status": "Status",
    "alert": "Notice for families",
    "schedules": "Opening times",
}


def _shown(key: str, value: object) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if key == "schedules":
        lines = []
        for s in value or []:
            days = ", ".join(v.DAY_LABELS.get(d, d) for d in s["byday"].split(",") if d)
            lines.append(f"{days}: {s['opens_at']} to {s['closes_at']}")
        return "\n".join(lines) or "None"
    if key == "status":
        return Service.Status(value).label if value in Service.Status.values else str(value)
    return "" if value is None else str(value)


def change_diff(change: ChangeRequest) -> list[FieldChange]:
    """Exactly what a proposed change alters, field by field, in the order of the form."""
    rows = []
    for key, label in CHANGE_LABELS.items():
        before, after = change.before.get(key), change.proposed.get(key)
        if before != after:
            rows.append(
                FieldChange(label=label, before=_shown(key, before), after=_shown(key, after))
            )
    return rows
