"""Session lifetimes: staff are signed out after EHC_STAFF_SESSION_IDLE_SECONDS without a
request and EHC_STAFF_SESSION_ABSOLUTE_SECONDS after signing in; families (and anyone part-way
through the public form) after EHC_FAMILY_SESSION_IDLE_SECONDS idle.

The session's own expiry is set to the idle time on every request, so the cookie and the
stored session (removed by the `retention-sessions-clear` beat job) end when it does.
Changing a password signs the account out everywhere else: Django checks each session's
password hash (get_session_auth_hash) on every request.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from ehc.security.second_factor import needs_second_factor

SIGNED_IN_AT = "ehc_signed_in_at"
LAST_SEEN = "ehc_last_seen"
# Write the last-seen time at most this often (seconds), not on every request.
TOUCH_EVERY = 30


@receiver(user_logged_in)
def _remember_sign_in(sender, request: HttpRequest, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN] = now


def session_expired(session, *, staff: bool, now: int) -> bool:
    idle = (
        settings.EHC_STAFF_SESSION_IDLE_SECONDS
        if staff
        else settings.EHC_FAMILY_SESSION_IDLE_SECONDS
    )
    last_seen = session.get(LAST_SEEN)
    if last_seen is not None and now - last_seen > idle:
        return True
    signed_in_at = session.get(SIGNED_IN_AT)
    return bool(
        staff
        and signed_in_at is not None
        and now - signed_in_at > settings.EHC_STAFF_SESSION_ABSOLUTE_SECONDS
    )


class SessionTimeoutMiddleware:
    """After AuthenticationMiddleware. An expired session is signed out before the view runs,
    so the page then asks the person to sign in again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            staff = needs_second_factor(user)
            now = int(time.time())
            session = request.session
            if session_expired(session, staff=staff, now=now):
                logout(request)
            else:
                session.setdefault(SIGNED_IN_AT, now)
                if now - session.get(LAST_SEEN, 0) >= TOUCH_EVERY:
                    session[LAST_SEEN] = now
                    session.set_expiry(
                        settings.EHC_STAFF_SESSION_IDLE_SECONDS
                        if staff
                        else settings.EHC_FAMILY_SESSION_IDLE_SECONDS
                    )
        return self.get_response(request)
