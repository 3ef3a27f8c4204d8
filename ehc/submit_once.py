"""A form submission is recorded once, however many times it arrives.

Every GOV.UK form that posts carries a fresh `submission_token` (rendered by
`ehc.forms.GovFormHelper`). The middleware claims the token (a unique row) in the same
transaction as the view's writes:

- the first request claims it, runs the view and, if the view redirected (the submission was
  accepted), keeps the claim and where it went; if the view refused (re-rendered the form with
  errors), it releases the claim so the corrected form can be sent;
- a request carrying a token already claimed waits for the first to commit (the unique index
  blocks it) and is then sent where the first one went, changing nothing.

Posts without a token (API-style clients, tests posting directly) are not affected.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url

from ehc.models import FormSubmission

FIELD = "submission_token"
ALREADY_SENT = "That form had already been sent; it was recorded once."


def submission_token(request: HttpRequest) -> uuid.UUID | None:
    if request.method != "POST":
        return None
    raw = request.POST.get(FIELD, "")
    try:
        return uuid.UUID(raw) if 0 < len(raw) <= 36 else None
    except ValueError:
        return None


def _to_sign_in(location: str) -> bool:
    """A redirect to sign in is a refusal (signed out, or not allowed), not an accepted form:
    it keeps no claim, so nobody signed out can fill the table."""
    path = urlsplit(location).path
    return path in (resolve_url(settings.LOGIN_URL), "/admin/login/")


class SubmitOnceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = submission_token(request)
        if token is None:
            return self.get_response(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = FormSubmission.objects.create(token=token, path=request.path[:500])
            except IntegrityError:
                first = FormSubmission.objects.filter(token=token).first()
                messages.info(request, ALREADY_SENT)
                return HttpResponseRedirect((first and first.location) or request.path)
            response = self.get_response(request)
            if (
                300 <= response.status_code < 400
                and response.has_header("Location")
                and not _to_sign_in(response["Location"])
            ):
                claim.location = response["Location"][:2000]
                claim.save(update_fields=["location"])
            else:
                claim.delete()
            return response
