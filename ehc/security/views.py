"""Second-factor pages: set up an authenticator at first sign-in, enter a code at each sign-in,
and the managers' page that resets a colleague's authenticator."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from ehc.permissions import ManagerRequiredMixin
from ehc.security import second_factor as sf
from ehc.security.forms import CodeForm, EnrolForm


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


class _SecondFactorPage(LoginRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not sf.needs_second_factor(request.user):
            return redirect("home")
        return super().dispatch(request, *args, **kwargs)


class VerifyView(_SecondFactorPage):
    template_name = "security/verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not sf.has_authenticator(request.user):
            return redirect(f"{reverse('second_factor_enrol')}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_verified():
            return redirect(_next_url(request))
        return self._render(CodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CodeForm(request.POST)
        if form.is_valid():
            if sf.second_factor_verify(request=request, token=form.cleaned_data["token"]):
                return redirect(_next_url(request))
            form.add_error(
                "token",
                "The code is not right, or has been used. Enter the code your app shows now",
            )
        return self._render(form, status=200)

    def _render(self, form, status: int = 200) -> HttpResponse:
        context = {"form": form, "next": _next_url(self.request), "title": "Enter your code"}
        return render(self.request, self.template_name, context, status=status)


class EnrolView(_SecondFactorPage):
    template_name = "security/enrol.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and sf.has_authenticator(request.user):
            return redirect(f"{reverse('second_factor_verify')}?{request.GET.urlencode()}")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sf.enrolment_granted(request):
            return self._link_needed()
        return self._render(EnrolForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if "send_link" in request.POST:
            sent = sf.enrolment_link_send(user=request.user)
            return self._link_needed(sent=sent, asked=True)
        if not sf.enrolment_granted(request):
            return self._link_needed(status=403)
        form = EnrolForm(request.POST)
        device = sf.authenticator_pending(user=request.user)
        if form.is_valid():
            codes = sf.authenticator_confirm(
                request=request, device=device, token="".join(form.cleaned_data["token"].split())
            )
            if codes is not None:
                return render(
                    request,
                    "security/recovery_codes.html",
                    {"codes": codes, "next": _next_url(request)},
                )
            form.add_error("token", "The code is not right. Enter the code your app shows now")
        return self._render(form)

    def _link_needed(self, *, sent: bool = False, asked: bool = False, status: int = 200):
        """A password alone does not set up the second factor: the emailed link is needed."""
        context = {
            "email": sf.masked_email(self.request.user.email or ""),
            "sent": sent,
            "asked": asked,
            "next": _next_url(self.request),
            "hours": settings.EHC_ENROLMENT_LINK_HOURS,
        }
        return render(self.request, "security/enrol_link_needed.html", context, status=status)

    def _render(self, form) -> HttpResponse:
        device = sf.authenticator_pending(user=self.request.user)
        context = {
            "form": form,
            "next": _next_url(self.request),
            "qr_svg": sf.qr_svg(device),
            "secret": sf.secret_text(device),
            "issuer": device.issuer if hasattr(device, "issuer") else "",
            "title": "Set up your authenticator app",
        }
        return render(self.request, self.template_name, context)


class EnrolLinkView(_SecondFactorPage):
    """The one-time link emailed to a staff member: opened while signed in as them, it lets
    this session set up their authenticator app."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        if sf.has_authenticator(request.user):
            return redirect("second_factor_verify")
        if sf.enrolment_link_use(request=request, token=token):
            return redirect("second_factor_enrol")
        return render(request, "security/enrol_link_invalid.html", status=404)


class AccountListView(ManagerRequiredMixin, TemplateView):
    """Staff accounts, each with whether it has an authenticator and a reset button."""

    template_name = "security/accounts.html"

    def get_context_data(self, **kwargs):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        users = list(
            get_user_model()
            .objects.filter(is_active=True)
            .prefetch_related("groups")
            .order_by("username")
        )
        staff = [u for u in users if sf.needs_second_factor(u)]
        enrolled = set(
            TOTPDevice.objects.filter(user__in=staff, confirmed=True).values_list(
                "user_id", flat=True
            )
        )
        rows = [
            {
                "user": u,
                "enrolled": u.pk in enrolled,
                "may_reset": sf.may_reset(acting_user=self.request.user, user=u),
            }
            for u in staff
        ]
        return super().get_context_data(rows=rows, **kwargs)


class ResetView(ManagerRequiredMixin, View):
    def post(self, request: HttpRequest, user_pk: int) -> HttpResponse:
        user = get_object_or_404(get_user_model(), pk=user_pk, is_active=True)
        if not sf.may_reset(acting_user=request.user, user=user):
            raise PermissionDenied
        sent = sf.second_factor_reset(user=user, acting_user=request.user)
        name = user.get_full_name() or user.username
        messages.success(
            request, f"{name} will set up a new authenticator app when they next sign in"
        )
        _say_whether_sent(request, name, sent)
        return redirect("second_factor_accounts")


class SendLinkView(ManagerRequiredMixin, View):
    """Email a colleague who has no authenticator app a new set-up link."""

    def post(self, request: HttpRequest, user_pk: int) -> HttpResponse:
        user = get_object_or_404(get_user_model(), pk=user_pk, is_active=True)
        if not sf.may_reset(acting_user=request.user, user=user) or sf.has_authenticator(user):
            raise PermissionDenied
        sent = sf.enrolment_link_send(user=user, issued_by=request.user)
        _say_whether_sent(request, user.get_full_name() or user.username, sent)
        return redirect("second_factor_accounts")


def _say_whether_sent(request: HttpRequest, name: str, sent: bool) -> None:
    if sent:
        messages.success(request, f"A set-up link has been emailed to {name}")
    else:
        messages.error(
            request,
            f"No set-up link could be emailed to {name}: check their email address, or have "
            "an administrator run manage.py enrolment_link",
        )
