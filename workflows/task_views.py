"""The caseworker's task pages. Each parses a form, calls one ehc service, completes the task.

viewflow's wrap_view (see workflows.views.task_dispatch) has already locked the process, checked
the user may execute the task and started it; the service rolls back on any ValidationError.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView

from ehc import plan_hooks
from ehc.form_extensions import extend_form, save_extensions
from ehc.models import CaseEvent, EHCPlan
from ehc.services import assessment
from ehc.services.common import local_today
from workflows import forms


class TaskFormView(FormView):
    template_name = "workflows/task.html"
    completes_task = True

    @property
    def activation(self):
        return self.request.activation

    @property
    def case(self):
        return self.activation.process.artifact

    def get_context_data(self, **kwargs):
        from workflows.selectors import task_deadline

        context = super().get_context_data(**kwargs)
        case, task = self.case, self.activation.task
        context.update(
            case=case,
            task=task,
            title=self.activation.flow_task.task_title,
            deadline=task_deadline(task, case) if case is not None else None,
        )
        return context

    def get_success_url(self) -> str:
        """The case's next task when it is this caseworker's (so a run of tasks is one click
        each), else the case page; the success message shows on either."""
        from workflows.selectors import case_next_task_for

        following = case_next_task_for(
            case=self.case, user=self.request.user, after=self.activation.task
        )
        if following is not None:
            return reverse("workflows:task", args=[self.case.pk, following.pk])
        return reverse("ehc:case_detail", args=[self.case.pk])

    @property
    def extension_point(self) -> str:
        """The name apps add fields to this task's form under (ehc.form_extensions)."""
        return f"task:{self.activation.flow_task.name}"

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        extend_form(self.extension_point, form)
        return form

    def form_valid(self, form):
        try:
            with transaction.atomic():
                message = self.perform(form)
                save_extensions(
                    self.extension_point,
                    case=self.case,
                    data=form.cleaned_data,
                    acting_user=self.request.user,
                )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        if self.completes_task:
            self.activation.execute()
        messages.success(self.request, message)
        return redirect(self.get_success_url())

    def perform(self, form) -> str:
        raise NotImplementedError


class NotifyConsideringView(TaskFormView):
    form_class = forms.NotifyConsideringForm

    def perform(self, form):
        assessment.considering_notified_record(
            case=self.case,
            notified_on=form.cleaned_data["notified_on"],
            recipients=form.cleaned_data["recipients"],
            acting_user=self.request.user,
        )
        return "Recorded who was told an assessment is being considered."


class DecideToAssessView(TaskFormView):
    form_class = forms.DecideToAssessForm

    def perform(self, form):
        assess = form.said_yes
        assessment.assessment_decision_record(
            case=self.case,
            decided_on=form.cleaned_data["decided_on"],
            assess=assess,
            reasons=form.cleaned_data["reasons"],
            acting_user=self.request.user,
        )
        process = self.activation.process
        process.decided_to_assess = assess
        process.other_advice_requested = assess and form.cleaned_data["other_advice"]
        process.save()
        if assess:
            return "Decision to assess recorded. Advice tasks are ready."
        return "Decision not to assess recorded. The refusal notice is ready to print."


class AdviceTaskView(TaskFormView):
    """One page for the whole task: when the adviser was asked and, if it is already in, when
    the advice arrived (one submission); once asked, the page records the advice arriving or a
    chase."""

    adviser = ""

    def _requested(self) -> bool:
        return self.case.events.filter(
            kind=CaseEvent.Kind.ADVICE_REQUESTED, subject_key=self.adviser
        ).exists()

    def get_form_class(self):
        return forms.AdviceProgressForm if self._requested() else forms.AdviceRequestForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["adviser_label"] = assessment.ADVISERS[self.adviser]
        return context

    def form_valid(self, form):
        if isinstance(form, forms.AdviceProgressForm):
            self.completes_task = form.cleaned_data["action"] == "received"
        else:
            self.completes_task = form.received
        return super().form_valid(form)

    def perform(self, form):
        data, user = form.cleaned_data, self.request.user
        if isinstance(form, forms.AdviceRequestForm):
            assessment.advice_request_record(
                case=self.case,
                adviser=self.adviser,
                asked_on=data["asked_on"],
                adviser_name=data["adviser_name"],
                acting_user=user,
            )
            if not form.received:
                return "Advice request recorded; the 6-week clock is running."
            assessment.advice_receipt_record(
                case=self.case,
                adviser=self.adviser,
                received_on=data["received_on"],
                summary=data["summary"],
                acting_user=user,
            )
            return "Advice request and the advice received recorded."
        if data["action"] == "chased":
            assessment.advice_chase_record(
                case=self.case,
                adviser=self.adviser,
                chased_on=data["on"],
                note=data["summary"],
                acting_user=user,
            )
            return "Chase recorded."
        assessment.advice_receipt_record(
            case=self.case,
            adviser=self.adviser,
            received_on=data["on"],
            summary=data["summary"],
            acting_user=user,
        )
        return "Advice received."


class DecideToIssueView(TaskFormView):
    form_class = forms.DecideToIssueForm

    def perform(self, form):
        issue = form.said_yes
        assessment.plan_decision_record(
            case=self.case,
            decided_on=form.cleaned_data["decided_on"],
            issue=issue,
            reasons=form.cleaned_data["reasons"],
            acting_user=self.request.user,
        )
        self.activation.process.issue_plan = issue
        self.activation.process.save()
        if issue:
            return "Decision to issue a plan recorded. Draft the plan next."
        return "Decision not to issue a plan recorded. The notice is ready to print."


class DraftPlanView(TaskFormView):
    form_class = forms.DraftPlanForm

    def get_initial(self):
        plan = EHCPlan.objects.filter(case=self.case).first()
        if plan is not None:
            return {f: getattr(plan, f) for f in forms.DraftPlanForm().fields}
        return {"section_k": _advice_list(self.case)}

    def perform(self, form):
        assessment.plan_draft_save(
            case=self.case, sections=form.cleaned_data, acting_user=self.request.user
        )
        return "Draft plan saved."


def _advice_list(case) -> str:
    received = case.events.filter(kind=CaseEvent.Kind.ADVICE_RECEIVED)
    return "\n".join(
        f"{assessment.ADVISERS.get(e.subject_key, e.subject_key)}, received "
        f"{e.occurred_on:%d %B %Y}"
        for e in received
    )


class ServeDraftView(TaskFormView):
    form_class = forms.ServeDraftForm

    def get_initial(self):
        return {"served_on": local_today()}

    def perform(self, form):
        assessment.plan_draft_serve(
            case=self.case,
            served_on=form.cleaned_data["served_on"],
            acting_user=self.request.user,
        )
        return "Draft sent. The family have 15 days to comment and ask for a setting."


class ConsultSettingsView(TaskFormView):
    """One form for the family's views, a consultation and a reply; "Save" records what was
    filled in and stays on the page, "Save and mark ready" also completes the task."""

    template_name = "workflows/task_consult.html"
    form_class = forms.ConsultationStepsForm

    def get_form(self, form_class=None):
        self.completes_task = self.request.POST.get("action") == "done"
        return super().get_form(form_class)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["consultations"] = self.case.deadlines.filter(kind="A12").order_by("starts_on")
        context["window"] = self.case.deadlines.filter(kind="A10").first()
        return context

    def get_success_url(self) -> str:
        if not self.completes_task:  # more to record here as replies come in
            return self.request.path
        return super().get_success_url()

    def perform(self, form):
        data, user, case = form.cleaned_data, self.request.user, self.case
        done = []
        if form.filled("views"):
            assessment.representations_record(
                case=case,
                received_on=data["views_received_on"],
                summary=data["views_summary"],
                requested_setting=data["requested_setting"],
                meeting_requested=data["meeting_requested"],
                acting_user=user,
            )
            done.append("the family's views")
        if form.filled("consult"):
            assessment.setting_consultation_record(
                case=case,
                setting=data["consult_setting"],
                consulted_on=data["consulted_on"],
                acting_user=user,
            )
            done.append(f"the consultation with {data['consult_setting']}")
        if form.filled("reply"):
            assessment.setting_reply_record(
                case=case,
                setting=data["reply_setting"],
                replied_on=data["replied_on"],
                summary=data["reply_summary"],
                acting_user=user,
            )
            done.append(f"the reply from {data['reply_setting']}")
        recorded = f"Recorded {', '.join(done)}." if done else ""
        if self.completes_task:
            return f"{recorded} Ready to issue the final plan.".strip()
        return recorded or "Nothing new to record."


class IssueFinalPlanView(TaskFormView):
    form_class = forms.FinalPlanForm

    def get_initial(self):
        return {"named_setting": self.case.requested_setting, "issued_on": local_today()}

    def get_form_kwargs(self):
        found = plan_hooks.final_plan_open_matters(case=self.case)
        return {**super().get_form_kwargs(), "open_matters": [m for _, ms in found for m in ms]}

    def perform(self, form):
        data = form.cleaned_data
        assessment.plan_finalise(
            case=self.case,
            issued_on=data["issued_on"],
            named_setting=data["named_setting"],
            setting_type=data["setting_type"],
            acting_user=self.request.user,
            without_reason=data.get("without_reason", ""),
        )
        return "Final plan issued. The first annual review date is set."
