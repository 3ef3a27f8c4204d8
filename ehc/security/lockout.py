"""django-axes hooks: how failed sign-ins are counted and what a locked-out person sees.

A (username, address) pair is locked, never an account alone (settings.AXES_LOCKOUT_PARAMETERS),
for a cool-off that doubles with each lockout of the same pair in the last day
(EHC_LOCKOUT_COOLOFF_MINUTES, 2x, 4x... up to a day), then it may try again.
"""

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

MAX_COOL_OFF = timedelta(days=1)


def username_from(request: HttpRequest, credentials: dict | None = None) -> str:
    """One account however its name is typed (case, spaces)."""
    name = ""
    if credentials:
        name = credentials.get("username", "") or ""
    if not name:
        name = request.POST.get("username", "") if request.method == "POST" else ""
    return name.strip().lower()


def _previous_lockouts(request: HttpRequest) -> int:
    from axes.models import AccessFailureLog

    username = username_from(request)
    if not username:
        return 0
    since = timezone.now() - MAX_COOL_OFF
    lockouts = AccessFailureLog.objects.filter(
        username=username,
        ip_address=request.META.get("REMOTE_ADDR", ""),
        attempt_time__gte=since,
        locked_out=True,
    ).count()
    return max(lockouts - 1, 0)  # the lockout being timed is one of them


def cool_off(request: HttpRequest) -> timedelta:
    """EHC_LOCKOUT_COOLOFF_MINUTES, doubled for each earlier lockout of this pair today."""
    base = timedelta(minutes=settings.EHC_LOCKOUT_COOLOFF_MINUTES)
    try:
        earlier = _previous_lockouts(request)
    except Exception:  # the failure log is optional; never let it break signing in
        earlier = 0
    return min(base * (2 ** min(earlier, 10)), MAX_COOL_OFF)


def locked_out(
    request: HttpRequest, credentials: dict | None = None, *args, **kwargs
) -> HttpResponse:
    context = {"send_team_contact": settings.LA_SEND_TEAM_CONTACT}
    response = render(request, "family/rate_limited.html", context, status=429)
    response["Retry-After"] = str(int(cool_off(request).total_seconds()))
    return response
