"""Rendering records as Open Referral UK 3.0 JSON (the UK profile of HSDS 3.0).

Optional fields are omitted when empty, never sent as null; every id is a UUID. Attributes
(links from a service to a taxonomy term) have ids derived from the two ids they link, so they
are stable between requests. The standard's files, used by the contract tests, are in the
shared standards folder (Creative Commons Attribution-ShareAlike 4.0, the Open Referral project).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from local_offer import vocabulary as v
from local_offer.models import (
    Location,
    Organisation,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

HSDS_VERSION = "3.0"
PROFILE_URL = "https://openreferraluk.org/"
DAY_ORDER = [code for code, _ in v.DAYS]


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Drop optional fields that have no value (the standard wants them omitted, not null)."""
    return {k: val for k, val in data.items() if val not in (None, "", [], {})}


def _number(value: Decimal | float | int | None) -> float | int | None:
    if value is None:
        return None
    f = float(value)
    return int(f) if f.is_integer() else f


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def organisation_json(org: Organisation) -> dict[str, Any]:
    return _clean(
        {
            "id": str(org.id),
            "name": org.name,
            "description": org.description,
            "email": org.email,
            "website": org.website,
        }
    ) | {"description": org.description}


def taxonomy_json(taxonomy: Taxonomy) -> dict[str, Any]:
    return _clean(
        {
            "id": str(taxonomy.id),
            "name": taxonomy.name,
            "description": taxonomy.description,
            "uri": taxonomy.uri,
            "version": taxonomy.version,
        }
    ) | {"description": taxonomy.description}


def term_json(term: TaxonomyTerm, taxonomy: Taxonomy | None = None) -> dict[str, Any]:
    taxonomy = taxonomy or term.taxonomy
    return _clean(
        {
            "id": str(term.id),
            "name": term.name,
            "description": term.description or term.name,
            "code": term.code,
            "parent_id": str(term.parent_id) if term.parent_id else None,
            "taxonomy": taxonomy.name,
            "taxonomy_id": str(taxonomy.id),
            "term": term.code,
        }
    )


def _schedule2_term(service: Service) -> dict[str, Any]:
    item = v.SCHEDULE_2_BY_CODE[service.schedule2_item]
    return {
        "id": str(v.term_uuid(v.TAXONOMY_SCHEDULE_2, item.code)),
        "name": item.title,
        "description": item.detail,
        "code": item.code,
        "taxonomy": v.TAXONOMIES[v.TAXONOMY_SCHEDULE_2][0],
        "taxonomy_id": str(v.taxonomy_uuid(v.TAXONOMY_SCHEDULE_2)),
        "term": item.code,
    }


def _attribute(link_id: uuid.UUID, term: dict[str, Any], link_type: str) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid5(link_id, term["id"])),
        "link_id": str(link_id),
        "link_type": link_type,
        "link_entity": link_type,
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
    }


def service_attributes(service: Service) -> list[dict[str, Any]]:
    terms = [term_json(t) for t in service.terms.all()] + [_schedule2_term(service)]
    return [_attribute(service.id, t, "service") for t in terms]


def _schedules(service: Service) -> list[dict[str, Any]]:
    rows = []
    for s in service.schedules.all():
        days = sorted(s.days(), key=DAY_ORDER.index)
        rows.append(
            _clean(
                {
                    "id": str(s.id),
                    "service_id": str(service.id),
                    "freq": "WEEKLY",
                    "interval": 1,
                    "byday": ",".join(days),
                    "opens_at": s.opens_at.strftime("%H:%M"),
                    "closes_at": s.closes_at.strftime("%H:%M"),
                    "valid_from": s.valid_from.isoformat() if s.valid_from else None,
                    "valid_to": s.valid_to.isoformat() if s.valid_to else None,
                    "description": s.description,
                    "attending_type": "in person",
                }
            )
        )
    return rows


def location_json(location: Location) -> dict[str, Any]:
    address = None
    if location.postcode:  # the standard's address requires a postal code
        address = _clean(
            {
                "id": str(uuid.uuid5(location.id, "address")),
                "location_id": str(location.id),
                "address_1": location.address_1 or location.name,
                "city": location.city or "-",
                "state_province": "England",
                "postal_code": location.postcode,
                "country": "GB",
                "address_type": "physical",
            }
        )
    return _clean(
        {
            "id": str(location.id),
            "location_type": location.location_type,
            "name": location.name,
            "description": location.description,
            "latitude": location.latitude,
            "longitude": location.longitude,
            "addresses": [address] if address else [],
            "accessibility": [
                _clean(
                    {
                        "id": str(a.id),
                        "location_id": str(location.id),
                        "description": a.get_feature_display(),
                        "details": a.details,
                    }
                )
                for a in location.accessibility.all()
            ],
        }
    )


def service_at_location_json(sal: ServiceAtLocation) -> dict[str, Any]:
    return {
        "id": str(sal.id),
        "service_id": str(sal.service_id),
        "location_id": str(sal.location_id),
        "location": location_json(sal.location),
    }


def _service_core(service: Service) -> dict[str, Any]:
    return _clean(
        {
            "id": str(service.id),
            "organization_id": str(service.organisation_id),
            "name": service.name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "fees_description": service.fees_description,
            "eligibility_description": service.eligibility,
            "application_process": service.how_to_apply,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": service.last_checked_on.isoformat()
            if service.last_checked_on
            else None,
            "assurer_email": service.assurer_email,
            "alert": service.alert,
            "last_modified": _iso(service.last_modified),
        }
    ) | {"minimum_age": service.minimum_age, "maximum_age": service.maximum_age}


def service_list_json(service: Service) -> dict[str, Any]:
    """A service in a page of the list: its one-to-one fields and its organisation."""
    return _service_core(service) | {"organization": organisation_json(service.organisation)}


def service_json(service: Service) -> dict[str, Any]:
    """A fully nested service (GET /services/{id})."""
    data = service_list_json(service)
    sid = str(service.id)
    data |= _clean(
        {
            "schedules": _schedules(service),
            "service_areas": [
                _clean(
                    {
                        "id": str(a.id),
                        "service_id": sid,
                        "name": a.name,
                        "description": a.description,
                    }
                )
                for a in service.service_areas.all()
            ],
            "service_at_locations": [
                service_at_location_json(sal) for sal in service.at_locations.all()
            ],
            "languages": [
                _clean(
                    {"id": str(lang.id), "service_id": sid, "name": lang.name, "code": lang.code}
                )
                for lang in service.languages.all()
            ],
            "cost_options": [
                _clean(
                    {
                        "id": str(c.id),
                        "service_id": sid,
                        "option": c.option,
                        "amount": _number(c.amount),
                        "currency": "GBP" if c.amount is not None else None,
                        "amount_description": c.amount_description,
                    }
                )
                for c in service.cost_options.all()
            ],
            "contacts": [
                _clean(
                    {
                        "id": str(c.id),
                        "service_id": sid,
                        "name": c.name,
                        "title": c.title,
                        "email": c.email,
                        "phones": [
                            _clean(
                                {
                                    "id": str(p.id),
                                    "contact_id": str(c.id),
                                    "number": p.number,
                                    "description": p.description,
                                }
                            )
                            for p in c.phones.all()
                        ],
                    }
                )
                for c in service.contacts.all()
            ],
            "phones": [
                _clean(
                    {
                        "id": str(p.id),
                        "service_id": sid,
                        "number": p.number,
                        "description": p.description,
                    }
                )
                for p in service.phones.all()
            ],
            "attributes": service_attributes(service),
        }
    )
    return data


def page_json(
    contents: list[dict[str, Any]], *, total: int, page: int, per_page: int
) -> dict[str, Any]:
    """The standard's paging envelope (openapi30.json, components.schemas.Page)."""
    total_pages = max(1, -(-total // per_page)) if per_page else 1
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }
