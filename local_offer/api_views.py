"""The Open Referral UK 3.0 feed at /openreferral/: anonymous, read-only JSON for anyone.

Every response carries `Access-Control-Allow-Origin: *` so other services (the DfE's Family Hubs
service, a neighbouring council's directory) can read it from a browser. Bad parameters get a 400
with a message, an unknown id a 404, both as JSON.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import time
from functools import wraps

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from local_offer import oruk
from local_offer import vocabulary as v
from local_offer.models import Taxonomy, TaxonomyTerm
from local_offer.postcodes import postcode_locate
from local_offer.selectors import (
    DirectoryFilters,
    Near,
    directory_page,
    service_at_locations_page,
    service_get,
)

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/uk-profile/main/openapi30.json"


class BadParameter(Exception):
    pass


def _json(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def feed_view(fn: Callable[..., dict]) -> Callable[..., JsonResponse]:
    @require_GET
    @wraps(fn)
    def view(request: HttpRequest, *args, **kwargs) -> JsonResponse:
        try:
            return _json(fn(request, *args, **kwargs))
        except BadParameter as error:
            return _json({"error": str(error)}, status=400)
        except LookupError as error:
            return _json({"error": str(error) or "Not found."}, status=404)
        except ValidationError as error:
            return _json({"error": " ".join(error.messages)}, status=400)

    return view


def _int(request: HttpRequest, name: str, default: int, low: int, high: int) -> int:
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as error:
        raise BadParameter(f"{name} must be a whole number.") from error
    if not low <= value <= high:
        raise BadParameter(f"{name} must be from {low} to {high}.")
    return value


def _number(request: HttpRequest, name: str) -> float | None:
    raw = request.GET.get(name, "")
    if raw == "":
        return None
    try:
        return float(raw)
    except ValueError as error:
        raise BadParameter(f"{name} must be a number.") from error


def _uuid(raw: str, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError as error:
        raise BadParameter(f"{name} must be a UUID.") from error


def _time(request: HttpRequest, name: str) -> time | None:
    raw = request.GET.get(name, "")
    if raw == "":
        return None
    try:
        return time.fromisoformat(raw)
    except ValueError as error:
        raise BadParameter(f"{name} must be a time like 09:30.") from error


def _paging(request: HttpRequest) -> tuple[int, int]:
    return (
        _int(request, "page", 1, 1, 1_000_000),
        _int(request, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
    )


@feed_view
def api_root(request: HttpRequest) -> dict:
    return {
        "version": oruk.HSDS_VERSION,
        "profile": oruk.PROFILE_URL,
        "openapi_url": OPENAPI_URL,
    }


@feed_view
def services_list(request: HttpRequest) -> dict:
    page, per_page = _paging(request)
    day = request.GET.get("day", "").strip().upper()[:2]
    if day and day not in v.DAY_LABELS:
        raise BadParameter("day must be one of MO, TU, WE, TH, FR, SA, SU.")
    term = request.GET.get("taxonomy_term_id", "")
    taxonomy = request.GET.get("taxonomy_id", "")
    filters = DirectoryFilters(
        q=request.GET.get("search", "")[:200],
        term_ids=(_uuid(term, "taxonomy_term_id"),) if term else (),
        taxonomy_id=_uuid(taxonomy, "taxonomy_id") if taxonomy else None,
        minimum_age=_number(request, "minimum_age"),
        maximum_age=_number(request, "maximum_age"),
        day=day,
        start_time=_time(request, "start_time"),
        end_time=_time(request, "end_time"),
    )
    result = directory_page(filters, page=page, per_page=per_page, full=False)
    return oruk.page_json(
        [oruk.service_list_json(s) for s in result.services],
        total=result.total,
        page=page,
        per_page=per_page,
    )


@feed_view
def service_detail(request: HttpRequest, service_id: str) -> dict:
    try:
        pk = uuid.UUID(service_id)
    except ValueError as error:
        raise LookupError("No service has that id.") from error
    service = service_get(pk)
    if service is None:
        raise LookupError("No service has that id.")
    return oruk.service_json(service)


@feed_view
def taxonomies_list(request: HttpRequest) -> dict:
    page, per_page = _paging(request)
    qs = Taxonomy.objects.order_by("name")
    total = qs.count()
    rows = qs[(page - 1) * per_page : page * per_page]
    return oruk.page_json(
        [oruk.taxonomy_json(t) for t in rows], total=total, page=page, per_page=per_page
    )


@feed_view
def taxonomy_detail(request: HttpRequest, taxonomy_id: str) -> dict:
    try:
        return oruk.taxonomy_json(Taxonomy.objects.get(pk=uuid.UUID(taxonomy_id)))
    except (ValueError, Taxonomy.DoesNotExist) as error:
        raise LookupError("No taxonomy has that id.") from error


@feed_view
def taxonomy_terms_list(request: HttpRequest) -> dict:
    page, per_page = _paging(request)
    qs = TaxonomyTerm.objects.select_related("taxonomy").order_by("taxonomy__name", "name")
    taxonomy = request.GET.get("taxonomy_id", "")
    if taxonomy:
        qs = qs.filter(taxonomy_id=_uuid(taxonomy, "taxonomy_id"))
    total = qs.count()
    rows = qs[(page - 1) * per_page : page * per_page]
    return oruk.page_json(
        [oruk.term_json(t) for t in rows], total=total, page=page, per_page=per_page
    )


@feed_view
def taxonomy_term_detail(request: HttpRequest, term_id: str) -> dict:
    try:
        term = TaxonomyTerm.objects.select_related("taxonomy").get(pk=uuid.UUID(term_id))
    except (ValueError, TaxonomyTerm.DoesNotExist) as error:
        raise LookupError("No taxonomy term has that id.") from error
    return oruk.term_json(term)


@feed_view
def service_at_locations_list(request: HttpRequest) -> dict:
    page, per_page = _paging(request)
    postcode = request.GET.get("postcode", "").strip()
    near = None
    if postcode:
        found = postcode_locate(postcode)
        metres = _number(request, "proximity") or 5000.0
        if not 0 < metres <= 200_000:
            raise BadParameter("proximity must be from 1 to 200000 metres.")
        near = Near(latitude=found.latitude, longitude=found.longitude, metres=metres)
    elif request.GET.get("proximity"):
        raise BadParameter("proximity needs a postcode.")
    rows, total, _ = service_at_locations_page(near=near, page=page, per_page=per_page)
    contents = [
        oruk.service_at_location_json(sal) | {"service": oruk.service_list_json(sal.service)}
        for sal in rows
    ]
    return oruk.page_json(contents, total=total, page=page, per_page=per_page)


@feed_view
def service_at_location_detail(request: HttpRequest, sal_id: str) -> dict:
    from local_offer.models import ServiceAtLocation

    try:
        sal = ServiceAtLocation.objects.select_related("location", "service").get(
            pk=uuid.UUID(sal_id)
        )
    except (ValueError, ServiceAtLocation.DoesNotExist) as error:
        raise LookupError("No service at location has that id.") from error
    service = service_get(sal.service_id)
    if service is None:
        raise LookupError("No service at location has that id.")
    # The standard answers this path with the fully nested service.
    return oruk.service_json(service)


def api_url(name: str, *args: object) -> str:
    return reverse(f"openreferral:{name}", args=args)
