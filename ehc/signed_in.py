"""The signed-in user of a request, typed.

Django types ``request.user`` as "a user or the anonymous user". Views that only signed-in users
reach (``LoginRequiredMixin`` or an explicit ``is_authenticated`` check in ``dispatch``) read it
through ``signed_in_user`` so the services they call get a ``User``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from ehc.models import User


def signed_in_user(request: HttpRequest) -> User:
    """The request's user; refused (403) if nobody is signed in, which the view's own checks
    have already ruled out."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
