"""Rate limits (django-ratelimit) for the public pages and signing in.

Counts live in the default cache: Redis when EHC_CACHE=redis (shared by every web worker),
otherwise per process. Rates are settings, read on every request, e.g. "10/h" or "5/15m".
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited


def too_many_requests(request):
    context = {"send_team_contact": settings.LA_SEND_TEAM_CONTACT}
    response = render(request, "family/rate_limited.html", context, status=429)
    response["Retry-After"] = "900"
    return response


def rate_limited(view, *, group: str, limits: list[tuple[object, str]], methods=("POST",)):
    """Wrap a view so that each (key, rate setting name) in ``limits`` is counted on the given
    methods; over any of them, the person sees a 429 page and the view does not run."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method in methods:
            limited = False
            for key, rate_setting in limits:
                limited |= is_ratelimited(
                    request,
                    group=f"{group}:{rate_setting}",
                    key=key,
                    rate=getattr(settings, rate_setting),
                    method=ALL,
                    increment=True,
                )
            if limited:
                return too_many_requests(request)
        return view(request, *args, **kwargs)

    return wrapped


# Per address over every username. Failures per (username, address) pair are django-axes'
# (settings.AXES_*): an account is never locked for everyone by someone who knows its name.
sign_in_view = rate_limited(
    auth_views.LoginView.as_view(),
    group="sign-in",
    limits=[("ip", "EHC_RATELIMIT_SIGN_IN_IP")],
)
