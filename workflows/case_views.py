"""The staff case page and what it links to: recording an exception, a notice as a page or PDF."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from ehc import roles, timescales
from ehc.access import access_case_by_id, cases_visible_to
from ehc.forms import GovDateField, GovForm
from ehc.models import Deadline
from ehc.notices import notice_context, notice_pdf_response
from ehc.permissions import CaseAccessMixin
from ehc.selectors import CASE_PAGE_RELATED, case_page
from ehc.services import timescale_exception_record
from ehc.services.common import local_today
from workflows.selectors import case_open_tasks, case_task_assignment_changes


class CaseDetailView(CaseAccessMixin, TemplateView):
    template_name = "workflows/case_detail.html"

    def load(self, request, **kwargs) -> None:
        self.case = access_case_by_id(request.user, kwargs["case_pk"], related=CASE_PAGE_RELATED)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page=case_page(self.case, local_today()),
            open_tasks=case_open_tasks(self.case),
            assignment_changes=case_task_assignment_changes(case=self.case),
            # Another team's case is named only to those who may open it.
            # (one query whether or not there is one, so the page's query count is fixed).
            duplicate_visible=cases_visible_to(self.request.user)
            .filter(pk=self.case.possible_duplicate_of_id or 0)
            .exists(),
            **kwargs,
        )


class ExceptionForm(GovForm):
    submit_label = "Record the exception"
    starts_on = GovDateField(label="Date the circumstances began")
    ends_on = GovDateField(label="Date they ended")
    evidence = forms.CharField(label="Evidence", widget=forms.Textarea(attrs={"rows": 3}))
    reasoning = forms.CharField(
        label="Why this made meeting the time limit impractical",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    family_told_on = GovDateField(label="Date the family was told", required=False)

    def __init__(self, *args, deadline: Deadline, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = sorted(timescales.RULES[deadline.kind].allowed_exceptions)
        self.fields["code"] = forms.ChoiceField(
            label="Reason the regulations allow",
            choices=[(c, timescales.EXCEPTION_CODES[c]) for c in allowed],
            widget=forms.RadioSelect,
        )
        self.order_fields(["code"])


class ExceptionCreateView(CaseAccessMixin, FormView):
    template_name = "workflows/exception_form.html"
    form_class = ExceptionForm
    permission_required = roles.RECORD_EXCEPTION

    def load(self, request, **kwargs) -> None:
        super().load(request, **kwargs)
        self.deadline_pk = kwargs["deadline_pk"]

    @property
    def deadline(self) -> Deadline:
        return get_object_or_404(Deadline, pk=self.deadline_pk, case=self.case)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "deadline": self.deadline}

    def get_context_data(self, **kwargs):
        deadline = self.deadline
        return super().get_context_data(
            deadline=deadline,
            allowed=bool(timescales.RULES[deadline.kind].allowed_exceptions),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            timescale_exception_record(
                deadline=self.deadline, acting_user=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, "Exception recorded. The statutory date is unchanged.")
        return redirect(reverse("ehc:case_detail", args=[self.case.pk]))


class NoticeView(CaseAccessMixin, TemplateView):
    """A notice as a printable page, or as PDF with ?format=pdf."""

    template_name = "ehc/notices/notice.html"

    def get(self, request, *args, **kwargs):
        notice = self.case.notices.filter(pk=kwargs["notice_pk"]).first()
        if notice is None:
            raise Http404("No such notice.")
        context = notice_context(notice)
        if request.GET.get("format") == "pdf":
            return notice_pdf_response(context)
        return self.render_to_response(context)
