"""Pages of the register of settings: browse and search it, add a setting that is missing,
confirm or merge what caseworkers added (managers), and set a case's current setting."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView, TemplateView

from ehc.models import Setting
from ehc.permissions import CaseAccessMixin, ManagerRequiredMixin, StaffRequiredMixin
from ehc.register import services
from ehc.register.forms import CaseSettingForm, SettingAddForm, SettingConfirmForm
from ehc.register.selectors import (
    setting_label,
    setting_suggestions,
    settings_search,
    settings_to_confirm,
    typed_school,
)
from ehc.search.service import MAX_QUERY_CHARS, MIN_QUERY_CHARS, normalise
from ehc.signed_in import signed_in_user

PAGE_SIZE = 25


class RegisterView(StaffRequiredMixin, TemplateView):
    """The register: search it (also the JSON the search box's script asks for), and the
    settings caseworkers added that wait for a manager."""

    template_name = "register/list.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("format") == "json":
            query = request.GET.get("q", "")[: MAX_QUERY_CHARS * 4]
            found = settings_search(query=query, limit=10)
            return JsonResponse(
                {
                    "results": [
                        {
                            "label": setting_label(s),
                            "hint": " · ".join(p for p in (s.establishment_type, s.address) if p),
                        }
                        for s in found
                    ]
                }
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "")[:200]
        too_short = bool(query.strip()) and len(normalise(query).replace(" ", "")) < MIN_QUERY_CHARS
        results = settings_search(query=query, limit=50) if query.strip() else []
        waiting = Paginator(settings_to_confirm().order_by("-pk"), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            query=query,
            too_short=too_short,
            results=results,
            waiting=waiting,
            total=Setting.objects.count(),
            is_manager=self.request.user.has_perm("ehc.reassign_case"),
        )
        return context


class SettingDetailView(StaffRequiredMixin, TemplateView):
    template_name = "register/detail.html"

    def load(self, request: HttpRequest, **kwargs: Any) -> None:
        self.setting = (
            Setting.objects.select_related("added_by", "confirmed_by")
            .filter(pk=kwargs["pk"])
            .first()
        )
        if self.setting is None:
            raise Http404

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            setting=self.setting,
            is_manager=self.request.user.has_perm("ehc.reassign_case"),
            **kwargs,
        )


def _safe_next(request: HttpRequest, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


class SettingAddView(StaffRequiredMixin, FormView):
    """A caseworker adds a setting that is not in the register; a manager confirms it later."""

    form_class = SettingAddForm
    template_name = "register/add.html"

    def get_initial(self) -> dict[str, Any]:
        return {"next": _safe_next(self.request, self.request.GET.get("next", ""))}

    def form_valid(self, form: SettingAddForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            setting = services.setting_add(
                details=services.SettingDetails(
                    name=data["name"],
                    kind=data["kind"],
                    phase=data["phase"] or Setting.Phase.NOT_APPLICABLE,
                    establishment_type=data["establishment_type"],
                    street=data["street"],
                    town=data["town"],
                    postcode=data["postcode"],
                    local_authority=data["local_authority"],
                    urn=data["urn"],
                ),
                acting_user=signed_in_user(self.request),
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{setting.name} is added to the register as ‘{setting_label(setting)}’. "
            "A manager will confirm it. Type its name to choose it.",
        )
        return redirect(
            _safe_next(self.request, data["next"]) or reverse("register:detail", args=[setting.pk])
        )


class SettingConfirmView(ManagerRequiredMixin, FormView):
    """A manager confirms a caseworker's entry, or merges it into the register entry it repeats."""

    form_class = SettingConfirmForm
    template_name = "register/confirm.html"

    setting: Setting

    def load(self, request: HttpRequest, **kwargs: Any) -> None:
        setting = Setting.objects.filter(pk=kwargs["pk"], needs_confirming=True).first()
        if setting is None:
            raise Http404
        self.setting = setting

    def get_initial(self) -> dict[str, Any]:
        similar = settings_search(query=self.setting.name, limit=1, confirmed_only=True)
        return {"into": similar[0] if similar else None}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(setting=self.setting, **kwargs)

    def form_valid(self, form: SettingConfirmForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            if data["decision"] == SettingConfirmForm.MERGE:
                into = data["into"]
                services.setting_merge(
                    duplicate=self.setting, into=into, acting_user=signed_in_user(self.request)
                )
                message = f"{self.setting.name} is merged into {setting_label(into)}."
                target = reverse("register:detail", args=[into.pk])
            else:
                services.setting_confirm(
                    setting=self.setting, acting_user=signed_in_user(self.request)
                )
                message = f"{self.setting.name} is confirmed as a setting in the register."
                target = reverse("register:detail", args=[self.setting.pk])
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(target)


class CaseSettingView(CaseAccessMixin, FormView):
    """The child's current setting: the register entries that may be the school the family
    named, shown for the caseworker to confirm (never set silently), or another entry."""

    form_class = CaseSettingForm
    template_name = "register/case_setting.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        self.suggestions = setting_suggestions(case=self.case)
        return {**super().get_form_kwargs(), "suggestions": self.suggestions}

    def get_initial(self) -> dict[str, Any]:
        return {"other": self.case.child.current_setting}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(typed=typed_school(self.case), **kwargs)

    def form_valid(self, form: CaseSettingForm) -> HttpResponse:
        setting = form.cleaned_data["setting"]
        services.case_current_setting_set(
            case=self.case, setting=setting, acting_user=signed_in_user(self.request)
        )
        messages.success(self.request, f"Current setting saved: {setting_label(setting)}.")
        return redirect("ehc:case_detail", self.case.pk)
