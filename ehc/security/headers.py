"""Headers on every response: Permissions-Policy, and ``Cache-Control: no-store`` on every
page and download.

Content-Security-Policy comes from django-csp (settings.CONTENT_SECURITY_POLICY); HSTS,
Referrer-Policy, nosniff and the SSL redirect from Django's SecurityMiddleware.

Nearly every page here carries a child's personal data (case pages, letters, plans, documents,
managers' CSVs) or the session that holds a request being written, so no-store is the rule for
every response Django makes; only the static files (CSS, JavaScript, fonts) stay cacheable.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

CACHEABLE_PREFIXES = ("/assets/",)


def _cacheable(path: str) -> bool:
    static = "/" + settings.STATIC_URL.lstrip("/")
    return path.startswith(static) or path.startswith(CACHEABLE_PREFIXES)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.EHC_PERMISSIONS_POLICY)
        if not _cacheable(request.path):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate
            patch_cache_control(response, private=True)
        return response
