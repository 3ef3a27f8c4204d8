"""The public Local Offer: the directory, a record, the shortlist, reports, comments, and the
fixed statutory pages. No sign-in anywhere; everything works without JavaScript."""

from __future__ import annotations

import uuid
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from ehc.services.common import local_today
from local_offer import services
from local_offer import vocabulary as v
from local_offer.forms import (
    CommentForm,
    DirectorySearchForm,
    ProblemReportForm,
    ShortlistEmailForm,
)
from local_offer.models import Publication, Service
from local_offer.selectors import DirectoryFilters, directory_page, service_get

SHORTLIST_KEY = "local_offer_shortlist"
SHORTLIST_MAX = 30
PER_PAGE = 20
STATUTORY_PAGES = {item.page: item for item in v.SCHEDULE_2 if item.page}


def rate_limited(setting: str, default: str):
    """Count POSTs per address; over the limit the visitor sees a 429 page, nothing is saved."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "POST" and is_ratelimited(
                request,
                group=f"local-offer:{setting}",
                key="ip",
                rate=getattr(settings, setting, default),
                method=ALL,
                increment=True,
            ):
                response = render(request, "local_offer/rate_limited.html", status=429)
                response["Retry-After"] = "3600"
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _shortlist(request: HttpRequest) -> list[str]:
    return list(request.session.get(SHORTLIST_KEY, []))


def _service_or_404(service_id: uuid.UUID) -> Service:
    service = service_get(service_id)
    if service is None:
        raise Http404("No such service")
    return service


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    result = None
    searched = bool(request.GET)
    if form.is_bound and form.is_valid():
        try:
            page = max(1, int(request.GET.get("page", "1")))
        except ValueError:
            page = 1
        result = directory_page(form.filters(), page=page, per_page=PER_PAGE, full=False)
    elif not form.is_bound:
        result = directory_page(DirectoryFilters(), page=1, per_page=PER_PAGE, full=False)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "local_offer/directory.html",
        {
            "form": form,
            "result": result,
            "searched": searched,
            "query_string": query.urlencode(),
            "shortlist": _shortlist(request),
            "today": local_today(),
            "statutory_pages": list(STATUTORY_PAGES.values()),
        },
    )


def service_detail(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = _service_or_404(service_id)
    template = (
        "local_offer/service_print.html" if request.GET.get("print") else "local_offer/service.html"
    )
    return render(
        request,
        template,
        {
            "service": service,
            "today": local_today(),
            "stale": service.is_stale(local_today()),
            "in_shortlist": str(service.pk) in _shortlist(request),
            "schedule2": v.SCHEDULE_2_BY_CODE[service.schedule2_item],
        },
    )


@require_POST
def shortlist_toggle(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = _service_or_404(service_id)
    shortlist = _shortlist(request)
    key = str(service.pk)
    if key in shortlist:
        shortlist.remove(key)
        messages.success(request, f"{service.name} removed from your shortlist")
    elif len(shortlist) >= SHORTLIST_MAX:
        messages.info(request, f"Your shortlist can hold {SHORTLIST_MAX} services")
    else:
        shortlist.append(key)
        messages.success(request, f"{service.name} added to your shortlist")
    request.session[SHORTLIST_KEY] = shortlist
    back = request.POST.get("next", "")
    if back.startswith("/local-offer/") and "//" not in back:
        return redirect(back)
    return redirect("local_offer:service", service_id=service.pk)


def _shortlisted(request: HttpRequest) -> list[Service]:
    ids = []
    for raw in _shortlist(request):
        try:
            ids.append(uuid.UUID(raw))
        except ValueError:
            continue
    found = {s.pk: s for s in Service.objects.filter(pk__in=ids).exclude(status="inactive")}
    return [found[i] for i in ids if i in found]


@rate_limited("EHC_RATELIMIT_LOCAL_OFFER_EMAIL", "10/h")
def shortlist(request: HttpRequest) -> HttpResponse:
    chosen = _shortlisted(request)
    form = ShortlistEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.shortlist_email_send(
                email=form.cleaned_data["email"],
                services=chosen,
                base_url=settings.SITE_URL.rstrip("/"),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "We have emailed your shortlist to you")
            return redirect("local_offer:shortlist")
    return render(request, "local_offer/shortlist.html", {"services": chosen, "form": form})


@rate_limited("EHC_RATELIMIT_LOCAL_OFFER_REPORT", "10/h")
def problem_report(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = _service_or_404(service_id)
    form = ProblemReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.problem_report_submit(service=service, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, "Thank you. We have sent your report to the people who keep this page"
            )
            return redirect("local_offer:service", service_id=service.pk)
    return render(request, "local_offer/report.html", {"service": service, "form": form})


@rate_limited("EHC_RATELIMIT_LOCAL_OFFER_COMMENT", "10/h")
def comment(request: HttpRequest) -> HttpResponse:
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_submit(**form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect("local_offer:comment_sent")
    return render(request, "local_offer/comment.html", {"form": form})


def comment_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "local_offer/comment_sent.html")


def you_said_we_did(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "local_offer/you_said_we_did.html",
        {"publications": Publication.objects.order_by("-published_on")[:10]},
    )


def statutory_page(request: HttpRequest, slug: str) -> HttpResponse:
    item = STATUTORY_PAGES.get(slug)
    if item is None:
        raise Http404("No such page")
    related = directory_page(DirectoryFilters(schedule2_item=item.code), per_page=50, full=False)
    return render(
        request,
        f"local_offer/statutory/{slug}.html",
        {"item": item, "related": related.services, "request_url": reverse("request:start")},
    )
