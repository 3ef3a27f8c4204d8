"""Providers keep their own records: list, propose a change (waits for approval), confirm a
record is still right. Every service is fetched through the provider's organisations, so another
organisation's record answers 404, the same as one that does not exist."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ehc.services.common import local_today
from local_offer import roles, services
from local_offer.forms import ServiceChangeForm
from local_offer.models import ChangeRequest, Service
from local_offer.selectors import change_diff, provider_service_get, services_for_provider
from local_offer.services import ServiceDetails

PROVIDER_PERMISSION = roles.EDIT_OWN_SERVICES


def _own_service(request: HttpRequest, service_id: uuid.UUID) -> Service:
    service = provider_service_get(request.user, service_id)
    if service is None:
        raise Http404("No such service")
    return service


@login_required
@permission_required(PROVIDER_PERMISSION, raise_exception=True)
def provider_services(request: HttpRequest) -> HttpResponse:
    own = list(services_for_provider(request.user).order_by("name"))
    pending = {
        c.service_id: c
        for c in ChangeRequest.objects.filter(service__in=own, status=ChangeRequest.Status.PENDING)
    }
    latest_decided = {}
    for c in (
        ChangeRequest.objects.filter(service__in=own)
        .exclude(status=ChangeRequest.Status.PENDING)
        .order_by("decided_at")
    ):
        latest_decided[c.service_id] = c
    rows = [(s, pending.get(s.pk), latest_decided.get(s.pk)) for s in own]
    return render(
        request,
        "local_offer/provider/services.html",
        {"rows": rows, "today": local_today()},
    )


@login_required
@permission_required(PROVIDER_PERMISSION, raise_exception=True)
def provider_service_change(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = _own_service(request, service_id)
    current = ServiceDetails.of(service)
    pending = service.change_requests.filter(status=ChangeRequest.Status.PENDING).first()
    form = ServiceChangeForm(request.POST or None, initial=ServiceChangeForm.initial_for(current))
    if request.method == "POST" and pending is None and form.is_valid():
        try:
            services.change_request_submit(
                service=service, details=form.details(current), acting_user=request.user
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, f"Your change to {service.name} has been sent to the council for approval"
            )
            return redirect("local_offer_provider:services")
    return render(
        request,
        "local_offer/provider/change.html",
        {
            "service": service,
            "form": form,
            "pending": pending,
            "pending_diff": change_diff(pending) if pending else [],
        },
    )


@login_required
@permission_required(PROVIDER_PERMISSION, raise_exception=True)
@require_POST
def provider_service_confirm(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    service = _own_service(request, service_id)
    services.service_review_confirm(service=service, acting_user=request.user)
    messages.success(request, f"Thank you: {service.name} is marked as checked today")
    return redirect("local_offer_provider:services")
