"""Disagreement pages: the staff record (list, open, detail, complaints), the family's view, and
the managers' figures. Views parse input and call services; every case is loaded through the
access check, and every disagreement or complaint through its case."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from dashboards.views import DashboardMixin
from disagreements import forms
from disagreements import selectors as sel
from disagreements import services as svc
from disagreements.flows import disagreement_process_for, disagreement_start
from disagreements.models import Complaint, Disagreement
from ehc.permissions import CaseAccessMixin
from ehc.services.common import local_today
from family.views import ContactsMixin, FamilyCaseMixin
from workflows.selectors import ACTIVE


class DisagreementMixin(CaseAccessMixin):
    """Loads self.disagreement through the case the user may see (404 otherwise)."""

    def load(self, request, **kwargs) -> None:
        super().load(request, **kwargs)
        self.disagreement_pk = kwargs.get("pk")

    @property
    def disagreement(self) -> Disagreement:
        return get_object_or_404(Disagreement, pk=self.disagreement_pk, case=self.case)


def _tasks_for(disagreement: Disagreement):
    process = disagreement_process_for(disagreement)
    if process is None:
        return []
    return list(
        process.task_set.filter(status__in=ACTIVE, flow_task_type="HUMAN")
        .select_related("owner")
        .order_by("id")
    )


class CaseDisagreementsView(CaseAccessMixin, TemplateView):
    template_name = "disagreements/staff/case_list.html"

    def get_context_data(self, **kwargs):
        disagreements = list(sel.case_disagreements(self.case))
        return super().get_context_data(
            disagreements=disagreements,
            unopened=sel.appealable_notices_without_disagreement(self.case, disagreements),
            complaints=list(self.case.complaints.select_related("escalated_from")),
            **kwargs,
        )


class DisagreementOpenView(CaseAccessMixin, FormView):
    template_name = "ehc/form_page.html"
    form_class = forms.OpenDisagreementForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "notices": sel.appealable_notices_without_disagreement(self.case),
        }

    def get_initial(self):
        return {"notice": self.request.GET.get("notice", ""), "opened_on": local_today()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="Record a disagreement", **kwargs)

    def form_valid(self, form):
        try:
            disagreement = disagreement_start(
                case=self.case, acting_user=self.request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, "Disagreement recorded. Its first task is ready.")
        return redirect(reverse("disagreements:detail", args=[self.case.pk, disagreement.pk]))


class DisagreementDetailView(DisagreementMixin, TemplateView):
    template_name = "disagreements/staff/detail.html"

    def get_context_data(self, **kwargs):
        disagreement = self.disagreement
        return super().get_context_data(
            detail=sel.disagreement_detail(disagreement, local_today()),
            tasks=_tasks_for(disagreement),
            **kwargs,
        )


class ComplaintCreateView(CaseAccessMixin, FormView):
    template_name = "ehc/form_page.html"
    form_class = forms.ComplaintForm

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "disagreements": list(sel.case_disagreements(self.case)),
            "complaints": list(self.case.complaints.all()),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(title="Record a complaint or Ombudsman referral", **kwargs)

    def form_valid(self, form):
        try:
            svc.complaint_record(
                case=self.case, acting_user=self.request.user, **form.service_kwargs()
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, "Complaint recorded.")
        return redirect(reverse("disagreements:list", args=[self.case.pk]))


class ComplaintOutcomeView(CaseAccessMixin, FormView):
    template_name = "ehc/form_page.html"
    form_class = forms.ComplaintOutcomeForm

    @property
    def complaint(self) -> Complaint:
        return get_object_or_404(Complaint, pk=self.kwargs["complaint_pk"], case=self.case)

    def get_context_data(self, **kwargs):
        complaint = self.complaint
        return super().get_context_data(title=f"Outcome: {complaint}", **kwargs)

    def form_valid(self, form):
        try:
            svc.complaint_outcome_record(
                complaint=self.complaint, acting_user=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, "Outcome recorded.")
        return redirect(reverse("disagreements:list", args=[self.case.pk]))


# -- the family ---------------------------------------------------------------------------------


class FamilyDisagreementView(FamilyCaseMixin, ContactsMixin, TemplateView):
    """Where each disagreement stands, and what the family must do by when."""

    template_name = "disagreements/family/disagreement.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            routes=sel.family_routes(self.case, local_today()),
            complaints=sel.family_complaints(self.case),
            mediation_adviser=settings.MEDIATION_ADVISER_CONTACT,
            drs_contact=settings.DISAGREEMENT_RESOLUTION_CONTACT,
            today=local_today(),
            **kwargs,
        )


# -- the managers' figures ----------------------------------------------------------------------

CSV_TABLES = ("disagreement_compliance", "disagreement_figures")


class DisagreementDashboardView(DashboardMixin, TemplateView):
    template_name = "disagreements/dashboard.html"
    csv_tables = CSV_TABLES

    def get_context_data(self, **kwargs):
        return super().get_context_data(figures=sel.dashboard_figures(local_today()), **kwargs)

    def csv_rows(self, table, context):
        figures = context["figures"]
        if table == "disagreement_compliance":
            header = [
                "Code",
                "Time limit",
                "Legal basis",
                "Total",
                "Met on time",
                "Met late",
                "Running",
                "Overdue",
                "Exception",
                "No longer needed",
                "On time",
            ]
            rows = [
                [
                    r.kind,
                    r.title,
                    r.legal_basis,
                    r.total,
                    r.met_on_time,
                    r.met_late,
                    r.open_in_time,
                    r.overdue,
                    r.excused,
                    r.not_needed,
                    r.on_time_rate,
                ]
                for r in figures["compliance"]
            ]
            return header, rows
        rows = []
        for group in (
            "disagreements",
            "mediation_outcomes",
            "appeal_outcomes",
            "grounds",
            "orders",
            "complaints",
        ):
            rows += [[group, f.label, f.count] for f in figures[group]]
        for group in ("mediation", "certificates", "appeals", "recommendations"):
            rows += [[group, key, value] for key, value in figures[group].items()]
        return ["Group", "Figure", "Count"], rows
