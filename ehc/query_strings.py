"""Filters and searches read from the query string never carry a NUL character.

A NUL (``%00``) is never typed by a person, and PostgreSQL refuses it in any text it is given,
so a filter box reading ``request.GET`` would answer a server error. Forms refuse NUL themselves
with a clear message; this removes it from the query string before any view reads it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict


def _without_nul(query: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True)
    for key, values in query.lists():
        cleaned.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
    cleaned._mutable = False
    return cleaned


class NulFreeQueryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("QUERY_STRING", "")
        if "%00" in raw or "\x00" in raw:
            request.GET = _without_nul(request.GET)  # type: ignore[assignment]  # made immutable
        return self.get_response(request)
