"""The staff case list: filter, sort, page through and download the cases a user may see."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.views.generic import TemplateView

from ehc import case_list
from ehc.csv_export import csv_response
from ehc.models import Case, User
from ehc.permissions import StaffRequiredMixin
from ehc.services.common import local_today
from ehc.signed_in import signed_in_user


class CaseFilterForm(forms.Form):
    """The list's filters, read from the query string. A value the page did not offer (a
    stale link, a hand-edited address) is reported and that filter left off."""

    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)
    caseworker = forms.ChoiceField(label="Caseworker", required=False)
    stage = forms.ChoiceField(
        label="Stage", required=False, choices=[("", "Any stage"), *Case.Stage.choices]
    )
    route = forms.ChoiceField(
        label="Route", required=False, choices=[("", "Any route"), *Case.Route.choices]
    )
    status = forms.ChoiceField(
        label="Open or closed",
        required=False,
        choices=list(case_list.STATUSES.items()),
    )
    overdue = forms.BooleanField(label="Only cases with an overdue statutory date", required=False)
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[(key, label) for key, (label, _) in case_list.SORTS.items()],
    )

    def __init__(self, data: Any, *, user: User) -> None:
        super().__init__(data)
        team_field, caseworker_field = self.fields["team"], self.fields["caseworker"]
        assert isinstance(team_field, forms.ChoiceField)
        assert isinstance(caseworker_field, forms.ChoiceField)
        team_field.choices = [("", "Any team")] + [
            (team.pk, team.name) for team in case_list.filter_teams(user)
        ]
        caseworker_field.choices = [
            ("", "Anyone"),
            (case_list.UNASSIGNED, "Not assigned"),
        ] + [
            (str(person.pk), person.display_name()) for person in case_list.filter_caseworkers(user)
        ]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = (
                f"Choose {str(field.label).lower()} from the list"
            )
            field.error_messages["invalid"] = f"Choose {str(field.label).lower()} from the list"

    def filters(self) -> case_list.CaseFilters:
        """The filters that are valid; any that are not are left off."""
        self.is_valid()
        data = self.cleaned_data
        caseworker = data.get("caseworker") or None
        if caseworker not in (None, case_list.UNASSIGNED):
            caseworker = int(caseworker)
        return case_list.CaseFilters(
            team_id=data.get("team"),
            caseworker=caseworker,
            stage=data.get("stage") or None,
            route=data.get("route") or None,
            overdue=bool(data.get("overdue")),
            status=data.get("status") or case_list.OPEN,
            sort=data.get("sort") or case_list.DEFAULT_SORT,
        )


class CaseListView(StaffRequiredMixin, TemplateView):
    template_name = "workflows/case_list.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.form = CaseFilterForm(request.GET or None, user=signed_in_user(request))
        self.filters = self.form.filters() if request.GET else case_list.CaseFilters()
        if request.GET.get("format") == "csv":
            rows = case_list.case_list_rows(
                user=signed_in_user(request), filters=self.filters, today=local_today()
            )
            return csv_response("cases.csv", case_list.CSV_HEADER, rows)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        today = local_today()
        page, rows = case_list.case_list_page(
            user=signed_in_user(self.request),
            filters=self.filters,
            today=today,
            page_number=self.request.GET.get("page"),
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("format", None)
        query["format"] = "csv"
        errors = [
            (f"id_{name}", message)
            for name, messages in (self.form.errors.items() if self.form.is_bound else [])
            for message in messages
        ]
        return super().get_context_data(
            form=self.form,
            filters=self.filters,
            page=page,
            rows=rows,
            today=today,
            csv_query=query.urlencode(),
            filter_errors=errors,
            **kwargs,
        )
