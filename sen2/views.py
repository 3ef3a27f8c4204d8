"""SEN2 pages. Capture pages load the case through the access check and call one service; the
manager's page runs the year's checks and summary and serves the return file."""

import os
import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from ehc import roles
from ehc.csv_export import csv_response
from ehc.permissions import CaseAccessMixin, StaffRequiredMixin
from ehc.services.common import local_today
from sen2 import services, sources
from sen2.checks import run_checks
from sen2.collection import Collection, CollectionNotConfigured, available_years, collection_for
from sen2.export import export_to_path
from sen2.forms import NeedsForm, PersonForm, PlacementForm, PlanForm, RequestForm
from sen2.models import NeedType, PersonProfile, Placement, PlanDetail, RequestDetail
from sen2.selectors import Summary, counted, return_people, return_summary

FINAL_REFUSED = (
    "The final file cannot be made while {n} errors remain. Fix them, or download a draft."
)


# Capture pages -------------------------------------------------------------------------------


class CaseItemsView(CaseAccessMixin, TemplateView):
    """Every SEN2 item held for the case, with links to change each group."""

    template_name = "sen2/case.html"

    def get_context_data(self, **kwargs):
        case = self.case
        collection = services.working_collection()
        plan = PlanDetail.objects.filter(case=case).first()
        census = collection.census_date or local_today()
        facts = sources.plan_facts_for_case(case.pk, plan, census)
        return super().get_context_data(
            collection=collection,
            profile=PersonProfile.objects.filter(child=case.child).first(),
            detail=RequestDetail.objects.filter(case=case).first(),
            plan=plan,
            facts=facts,
            review_outcome=collection.code_label("ReviewOutcome", facts.review_outcome)
            if facts.review_outcome
            else "",
            census=census,
            needs=list(NeedType.objects.filter(case=case)),
            placements=list(Placement.objects.filter(case=case).select_related("setting")),
            **kwargs,
        )


class CaptureView(CaseAccessMixin, FormView):
    template_name = "ehc/form_page.html"
    title = ""
    anchor = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["collection"] = services.working_collection()
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.setdefault("title", self.title)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            message = self.perform(form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(
            reverse("sen2:case", args=[self.case.pk]) + (f"#{self.anchor}" if self.anchor else "")
        )

    def perform(self, data: dict) -> str:
        raise NotImplementedError


class PersonView(CaptureView):
    form_class = PersonForm
    title = "The child or young person's details for the SEN2 return"
    anchor = "person"

    def get_initial(self):
        profile = PersonProfile.objects.filter(child=self.case.child).first()
        initial = {"upn": self.case.child.upn}
        if profile:
            initial |= {
                k: getattr(profile, k)
                for k in ("sex", "ethnicity", "postcode", "uln", "upn_unknown")
            }
        return initial

    def perform(self, data: dict) -> str:
        services.person_profile_save(
            child=self.case.child,
            items=services.PersonItems(
                sex=data["sex"],
                ethnicity=data["ethnicity"],
                postcode=data["postcode"],
                upn=data["upn"],
                uln=data["uln"],
                upn_unknown=data["upn_unknown"],
            ),
            acting_user=self.request.user,
        )
        return "The person's details are saved."


class RequestView(CaptureView):
    form_class = RequestForm
    title = "The request's details for the SEN2 return"
    anchor = "request"

    def get_initial(self):
        detail = RequestDetail.objects.filter(case=self.case).first()
        if detail is None:
            return {}
        fields = [f.name for f in RequestDetail._meta.fields if f.name not in ("id", "case")]
        return {name: getattr(detail, name) for name in fields}

    def perform(self, data: dict) -> str:
        services.request_detail_save(
            case=self.case, items=services.RequestItems(**data), acting_user=self.request.user
        )
        return "The request's details are saved."


class NeedsView(CaptureView):
    form_class = NeedsForm
    title = "Special educational needs, in order"
    anchor = "needs"

    def get_initial(self):
        codes = list(NeedType.objects.filter(case=self.case).values_list("sen_type", flat=True))
        return dict(zip(["primary", "second", "third"], codes, strict=False))

    def perform(self, data: dict) -> str:
        services.need_types_save(
            case=self.case,
            ranked=[data["primary"], data["second"], data["third"]],
            acting_user=self.request.user,
        )
        return "The needs are saved."


class PlacementView(CaptureView):
    form_class = PlacementForm
    anchor = "placements"

    def load(self, request, **kwargs) -> None:
        super().load(request, **kwargs)
        pk = kwargs.get("placement_pk")
        self.placement = (
            get_object_or_404(Placement, pk=pk, case=self.case) if pk is not None else None
        )
        self.title = "Change the placement" if self.placement else "Add a placement"

    def get_initial(self):
        if self.placement is None:
            return {"rank": 1}
        p = self.placement
        return {
            name: getattr(p, name)
            for name in (
                "setting",
                "sen_setting",
                "sen_setting_other",
                "rank",
                "entry_date",
                "leaving_date",
                "sen_unit",
                "resourced_provision",
                "residential",
                "work_based",
            )
        }

    def perform(self, data: dict) -> str:
        services.placement_save(
            case=self.case,
            placement=self.placement,
            items=services.PlacementItems(**data),
            acting_user=self.request.user,
        )
        return "The placement is saved."


class PlanView(CaptureView):
    form_class = PlanForm
    title = "The plan's details for the SEN2 return"
    anchor = "plan"

    def get_initial(self):
        detail = PlanDetail.objects.filter(case=self.case).first()
        if detail is None:
            return {}
        fields = [f.name for f in PlanDetail._meta.fields if f.name not in ("id", "case")]
        return {name: getattr(detail, name) for name in fields}

    def perform(self, data: dict) -> str:
        services.plan_detail_save(
            case=self.case, items=services.PlanItems(**data), acting_user=self.request.user
        )
        return "The plan's details are saved."


# The manager's page --------------------------------------------------------------------------


class ManagerMixin(StaffRequiredMixin):
    permission_required = roles.VIEW_DASHBOARDS


def _year(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() else default


def _collection(year: int) -> tuple[Collection | None, str]:
    try:
        return collection_for(year), ""
    except CollectionNotConfigured as error:
        return None, str(error)


def _summary(collection: Collection | None) -> Summary | None:
    if collection is None or collection.problems:
        return None
    return return_summary(collection)


SUMMARY_TABLES = ("overview", "needs", "settings", "ceased")


def summary_rows(
    table: str, this: Summary | None, last: Summary | None, collection: Collection
) -> tuple[list[str], list[list]]:
    """One summary table as (header, rows), this year beside last year."""
    years = [s for s in (this, last) if s is not None]
    header = [""] + [f"SEN2 {s.year}" for s in years]
    if table == "overview":
        items = [
            ("People in the return", "people"),
            ("Requests in the return", "requests_in_return"),
            ("Requests received in the year", "requests_received"),
            ("Assessments in the return", "assessments_in_return"),
            ("Assessments completed in the year", "assessments_completed"),
            ("Plans issued in the year", "plans_issued"),
            ("Issued within 20 weeks (including exceptions)", "plans_within"),
            ("% within 20 weeks (including exceptions)", "share_within"),
            ("Plans issued with no exception", "plans_issued_no_exception"),
            ("Issued within 20 weeks (excluding exceptions)", "plans_within_no_exception"),
            ("% within 20 weeks (excluding exceptions)", "share_within_no_exception"),
            ("Plans active on census day", "active_plans"),
        ]
        return header, [[label] + [getattr(s, attr) for s in years] for label, attr in items]
    mapping, code_list = {
        "needs": ("active_by_need", "SENtype"),
        "settings": ("active_by_setting", ""),
        "ceased": ("ceased_by_reason", "CeaseReason"),
    }[table]
    keys: list[str] = []
    for s in years:
        keys += [k for k in getattr(s, mapping) if k not in keys]
    rows = []
    for key in sorted(keys):
        label = (
            f"{key}: {collection.code_label(code_list, key)}"
            if code_list and key in collection.codes.get(code_list, {})
            else key
        )
        rows.append([label] + [getattr(s, mapping).get(key, 0) for s in years])
    return header, rows


class ReturnView(ManagerMixin, TemplateView):
    template_name = "sen2/return.html"

    def get(self, request, *args, **kwargs):
        table = request.GET.get("table", "")
        if request.GET.get("format") == "csv" and table in SUMMARY_TABLES:
            # A table needs the two summaries only, not the checks.
            year = self._chosen_year()
            collection, _ = _collection(year)
            summary = _summary(collection)
            if collection is not None and summary is not None:
                last_summary = _summary(_collection(year - 1)[0])
                header, rows = summary_rows(table, summary, last_summary, collection)
                return csv_response(f"sen2-{year}-{table}.csv", header, rows)
        return self.render_to_response(self.get_context_data(**kwargs))

    def _chosen_year(self) -> int:
        default = services.working_collection().year if available_years() else None
        return _year(self.request.GET.get("year"), default or local_today().year + 1)

    def get_context_data(self, **kwargs):
        years = available_years()
        year = self._chosen_year()
        collection, problem = _collection(year)
        last_collection, _ = _collection(year - 1)
        summary, report = None, None
        if collection is not None and not collection.problems:
            # The checks and this year's summary read the return once, together.
            summary = Summary(year=collection.year)
            report = run_checks(collection, counted(summary, collection, return_people(collection)))
        elif collection is not None:
            report = run_checks(collection)
        last_summary = _summary(last_collection)
        tables = {}
        if collection is not None and summary is not None:
            for table in SUMMARY_TABLES:
                tables[table] = summary_rows(table, summary, last_summary, collection)
        return super().get_context_data(
            years=years or [year],
            year=year,
            collection=collection,
            problem=problem
            or (collection.problems[0] if collection and collection.problems else ""),
            summary=summary,
            last_summary=last_summary,
            tables=tables,
            report=report,
            **kwargs,
        )


class RuleView(ManagerMixin, TemplateView):
    """Every record one rule flags (the first FLAGS_KEPT_PER_RULE)."""

    template_name = "sen2/rule.html"

    def get_context_data(self, **kwargs):
        collection, problem = _collection(kwargs["year"])
        if collection is None:
            raise Http404(problem)
        report = run_checks(collection)
        try:
            result = report.result(kwargs["rule_id"])
        except StopIteration as missing:
            raise Http404("No such rule") from missing
        return super().get_context_data(collection=collection, result=result, **kwargs)


class DownloadView(ManagerMixin, View):
    """The return file, made fresh: a draft always; final only when no error remains."""

    def post(self, request, year: int) -> HttpResponse:
        back = reverse("sen2:return") + f"?year={year}"
        collection, problem = _collection(year)
        if collection is None or collection.problems:
            messages.error(request, problem or collection.problems[0])  # type: ignore[union-attr]
            return redirect(back)
        final = request.POST.get("kind") == "final"
        if final:
            report = run_checks(collection)
            if report.errors:
                messages.error(request, FINAL_REFUSED.format(n=report.errors))
                return redirect(back)
        folder = Path(tempfile.mkdtemp(prefix="sen2-"))
        path = folder / "sen2.xml"
        export_to_path(path, collection)
        name = f"sen2-{year}-{'final' if final else 'draft'}-{local_today():%Y%m%d}.xml"
        handle = open(path, "rb")  # noqa: SIM115  (FileResponse closes it)
        os.unlink(path)  # the open handle keeps the data until the response is sent
        os.rmdir(folder)
        return FileResponse(
            handle, as_attachment=True, filename=name, content_type="application/xml"
        )
