"""The staff second factor (django-otp): who needs it, the middleware that enforces it, and the
services that enrol, verify and reset it.

Every account that is not purely a family account (staff flag, superuser, or any group other
than "parent") must have verified a TOTP code, or one of its recovery codes, in this session
before any page but signing in, the second-factor pages, sign-out and the static pages. The
Django admin sits behind the same check (its login page sends people to ours, ehc/admin.py), so
a new staff URL is covered without anyone remembering to add it.
"""

import hashlib
import logging
import secrets
from collections.abc import Callable
from datetime import timedelta
from io import BytesIO
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ehc import roles
from ehc.models import EnrolmentLink, User
from ehc.signed_in import signed_in_user

logger = logging.getLogger(__name__)

TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
DEMO_DEVICE_NAME = "Demo authenticator"

# Pages an unverified staff member may still open.
EXEMPT_URL_NAMES = {
    "second_factor_enrol_link",
    "login",
    "logout",
    "privacy",
    "accessibility",
    "second_factor_verify",
    "second_factor_enrol",
}


def needs_second_factor(user: AbstractBaseUser) -> bool:
    """Staff, managers, administrators: anyone signed in who is not only a family member."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_ehc_needs_second_factor", None)
    if cached is None:
        cached = bool(
            user.is_staff
            or user.is_superuser
            or user.groups.exclude(name=roles.PARENT).exists()
            or user.user_permissions.exists()
        )
        user._ehc_needs_second_factor = cached
    return cached


def has_authenticator(user: AbstractBaseUser) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _exempt(request: HttpRequest) -> bool:
    path = request.path_info
    static = "/" + settings.STATIC_URL.lstrip("/")
    if path.startswith(static) or path.startswith("/assets/"):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.url_name in EXEMPT_URL_NAMES and not match.namespace


def _with_next(url: str, request: HttpRequest) -> str:
    if request.method == "GET":
        return f"{url}?{urlencode({'next': request.get_full_path()})}"
    return url


class SecondFactorRequiredMiddleware:
    """After AuthenticationMiddleware and django-otp's OTPMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and needs_second_factor(user)
            and not user.is_verified()
            and not _exempt(request)
        ):
            name = "second_factor_verify" if has_authenticator(user) else "second_factor_enrol"
            return HttpResponseRedirect(_with_next(reverse(name), request))
        return self.get_response(request)


# -- services ----------------------------------------------------------------------------------


def authenticator_pending(*, user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed authenticator this user is setting up (made on first call)."""
    device = (
        TOTPDevice.objects.filter(user=user, confirmed=False, name=TOTP_DEVICE_NAME)
        .order_by("id")
        .first()
    )
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32, in groups of four."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// link as an inline SVG QR code (no external request, no inline script)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    return svg[svg.index("<svg") :]  # drop the XML declaration


def recovery_codes_issue(*, user: AbstractBaseUser) -> list[str]:
    """Replace the user's recovery codes with EHC_RECOVERY_CODES new one-off codes."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        codes = []
        for _ in range(settings.EHC_RECOVERY_CODES):
            code = "-".join(secrets.token_hex(3) for _ in range(2))  # e.g. 3fa1c2-90be7d
            StaticToken.objects.create(device=device, token=code)
            codes.append(code)
    return codes


def authenticator_confirm(
    *, request: HttpRequest, device: TOTPDevice, token: str
) -> list[str] | None:
    """Confirm the pending authenticator with a code from the app. On success the session is
    verified, other pending devices are removed, and new recovery codes are returned (shown
    once). None if the code is wrong."""
    if not device.verify_token(token):
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        codes = recovery_codes_issue(user=device.user)
    request.session.cycle_key()
    request.session.pop(ENROLMENT_GRANT_KEY, None)
    otp_login(request, device)
    logger.info("User %s set up an authenticator app", device.user.pk)
    return codes


def second_factor_verify(*, request: HttpRequest, token: str) -> bool:
    """Check an authenticator code or a recovery code (used once) for the signed-in user.
    Each device throttles wrong codes with a growing delay (django-otp)."""
    token = "".join(token.split()).lower()
    user = request.user
    devices: list = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if "-" in token or len(token) != 6:
        devices = list(StaticDevice.objects.filter(user=user, confirmed=True))
    for device in devices:
        allowed, _ = device.verify_is_allowed()
        if allowed and device.verify_token(token):
            request.session.cycle_key()
            otp_login(request, device)
            logger.info("User %s passed the second factor with %s", user.pk, device.name)
            return True
    logger.warning("User %s gave a wrong second-factor code", user.pk)
    return False


def may_reset(*, acting_user: AbstractBaseUser, user: AbstractBaseUser) -> bool:
    """Managers reset caseworkers' and managers' authenticators; administrators anyone's;
    nobody their own (that would let a stolen password replace the second factor)."""
    if acting_user.pk == user.pk or not needs_second_factor(user):
        return False
    if acting_user.is_superuser:
        return True
    if user.is_superuser or user.is_staff:
        return False
    return acting_user.has_perm(roles.REASSIGN_CASE)


def second_factor_reset(*, user: User, acting_user: User) -> bool:
    """Remove the user's authenticator and recovery codes and email them a set-up link: with
    it, at their next sign-in, they set up a new one. Their signed-in sessions lose their
    verification at once. Returns whether the link could be emailed."""
    if not may_reset(acting_user=acting_user, user=user):
        raise PermissionError("You cannot reset this account's second factor.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    logger.warning("User %s reset the second factor of user %s", acting_user.pk, user.pk)
    return enrolment_link_send(user=user, issued_by=acting_user)


# -- the one-time link that lets a staff member set up their first authenticator -------------

ENROLMENT_GRANT_KEY = "ehc_enrolment_grant"
ENROLMENT_RESEND_MINUTES = 5


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def enrolment_link_issue(*, user: User, issued_by: User | None = None) -> str:
    """A new one-time set-up link for this staff member (its path). Earlier unused links of
    theirs stop working. A manager or administrator issuing it must be allowed to reset the
    account's second factor."""
    if issued_by is not None and not may_reset(acting_user=issued_by, user=user):
        raise PermissionError("You cannot issue a set-up link for this account.")
    if not needs_second_factor(user):
        raise PermissionError("Only staff accounts set up an authenticator app.")
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        EnrolmentLink.objects.filter(user=user, used_at=None).update(expires_at=now)
        EnrolmentLink.objects.create(
            user=user,
            token_hash=_token_hash(token),
            expires_at=now + timedelta(hours=settings.EHC_ENROLMENT_LINK_HOURS),
            issued_by=issued_by,
        )
    logger.info("Set-up link issued for user %s by %s", user.pk, getattr(issued_by, "pk", "them"))
    return reverse("second_factor_enrol_link", args=[token])


def enrolment_link_send(*, user: User, issued_by: User | None = None) -> bool:
    """Email a new set-up link to the address held for this staff member. A staff member asking
    for their own is sent at most one every few minutes. False if there is no address, it was
    sent too recently, or the email failed."""
    if not user.email:
        return False
    if (
        issued_by is None
        and EnrolmentLink.objects.filter(
            user=user,
            issued_by=None,
            created_at__gt=timezone.now() - timedelta(minutes=ENROLMENT_RESEND_MINUTES),
        ).exists()
    ):
        return False
    path = enrolment_link_issue(user=user, issued_by=issued_by)
    body = render_to_string(
        "security/email/enrolment_link.txt",
        {
            "link": settings.SITE_URL.rstrip("/") + path,
            "hours": settings.EHC_ENROLMENT_LINK_HOURS,
            "la_name": settings.LOCAL_AUTHORITY_NAME,
        },
    )
    try:
        send_mail("Set up your authenticator app", body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except Exception:
        logger.exception("Could not email a set-up link to user %s", user.pk)
        return False
    return True


def enrolment_link_use(*, request: HttpRequest, token: str) -> bool:
    """Open a set-up link as the signed-in staff member it was issued to: it is used up, and
    this session may set up an authenticator for a short while. False for a link that is
    unknown, used, expired or someone else's."""
    now = timezone.now()
    with transaction.atomic():
        link = (
            EnrolmentLink.objects.select_for_update()
            .filter(token_hash=_token_hash(token), user=signed_in_user(request), used_at=None)
            .filter(expires_at__gt=now)
            .first()
        )
        if link is None:
            logger.warning("User %s opened a set-up link that does not work", request.user.pk)
            return False
        link.used_at = now
        link.save(update_fields=["used_at"])
    until = now + timedelta(minutes=settings.EHC_ENROLMENT_GRANT_MINUTES)
    request.session[ENROLMENT_GRANT_KEY] = {"user": request.user.pk, "until": until.timestamp()}
    return True


def enrolment_granted(request: HttpRequest) -> bool:
    """Has this session opened a valid set-up link for its user, recently enough?"""
    grant = request.session.get(ENROLMENT_GRANT_KEY) or {}
    return (
        grant.get("user") == request.user.pk and grant.get("until", 0) > timezone.now().timestamp()
    )


def masked_email(address: str) -> str:
    """c•••@example.gov.uk: enough for someone to know which mailbox to look in."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}•••@{domain}" if domain else ""


def demo_authenticator_add(*, user: AbstractBaseUser) -> TOTPDevice:
    """A confirmed authenticator for a demo account (seed_demo); `manage.py otp_code USER`
    prints its current code."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, confirmed=True)


def current_code(device: TOTPDevice) -> str:
    from time import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time()
    return f"{totp.token():0{device.digits}d}"
