"""Staff pages for reassessments, moves between councils and ceasing: each parses one form and
calls one reviews.life service; a refusal shows next to its field and nothing is saved."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView

from ehc import timescales
from ehc.form_extensions import extend_form, save_extensions
from reviews import life, life_forms, selectors
from reviews.models import PlanMove, Reassessment
from reviews.views import PlanMixin, plan_url


class PlanActionView(PlanMixin, FormView):
    template_name = "ehc/form_page.html"
    title = ""
    extension_point = ""  # the name other apps add fields to this form under, if any

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.extension_point:
            extend_form(self.extension_point, form)
        return form

    def form_valid(self, form):
        try:
            with transaction.atomic():
                message = self.perform(form.cleaned_data)
                if self.extension_point:
                    save_extensions(
                        self.extension_point,
                        case=self.plan.case,
                        data=form.cleaned_data,
                        acting_user=self.request.user,
                    )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(plan_url(self.plan))

    def perform(self, data: dict) -> str:
        raise NotImplementedError


class ReassessmentRequestView(PlanActionView):
    form_class = life_forms.ReassessmentRequestForm
    title = "Record a request to reassess (R21)"

    def perform(self, data):
        request = life.reassessment_request_record(
            plan=self.plan,
            requested_by=data["requested_by"],
            received_on=data["received_on"],
            acting_user=self.request.user,
        )
        return f"Request recorded. The decision is due within 15 days ({request.pk})."


class ReassessmentMixin:
    @property
    def reassessment(self) -> Reassessment:
        return get_object_or_404(Reassessment, pk=self.kwargs["pk"], plan=self.plan)


class ReassessmentDecisionView(ReassessmentMixin, PlanActionView):
    form_class = life_forms.ReassessmentDecisionForm
    title = "Decide whether to reassess (R21)"

    def perform(self, data):
        life.reassessment_decision_record(
            reassessment=self.reassessment,
            decision=data["decision"],
            decided_on=data["decided_on"],
            reasons=data["reasons"],
            acting_user=self.request.user,
        )
        return "Decision recorded."


class ReassessmentPlanView(ReassessmentMixin, PlanActionView):
    form_class = life_forms.ReassessmentPlanForm
    title = "Record the plan after reassessment (R22)"

    def perform(self, data):
        version = life.reassessment_plan_record(
            reassessment=self.reassessment,
            issued_on=data["issued_on"],
            acting_user=self.request.user,
        )
        return f"Plan recorded as version {version.number}."


class MoveOutView(PlanActionView):
    form_class = life_forms.MoveOutForm
    title = "Record a move to another council (R18)"

    def perform(self, data):
        life.plan_move_out_record(
            plan=self.plan,
            other_council=data["other_council"],
            move_on=data["move_on"],
            learnt_on=data["learnt_on"],
            acting_user=self.request.user,
        )
        return "Move recorded. Pass the plan on by the date shown."


class MoveMixin:
    @property
    def move(self) -> PlanMove:
        return get_object_or_404(PlanMove, pk=self.kwargs["pk"], plan=self.plan)


class MoveOutDoneView(MoveMixin, PlanActionView):
    form_class = life_forms.MoveOutDoneForm
    title = "Record that the plan was passed on (R18)"

    def perform(self, data):
        life.plan_move_out_transferred(
            move=self.move, transferred_on=data["transferred_on"], acting_user=self.request.user
        )
        return "The plan was passed on; this council no longer maintains it."


class MoveInView(PlanActionView):
    form_class = life_forms.MoveInForm
    title = "Record a plan passed to us by another council (R19, R20)"

    def perform(self, data):
        life.plan_move_in_record(
            plan=self.plan,
            other_council=data["other_council"],
            transferred_on=data["transferred_on"],
            last_reviewed_on=data["last_reviewed_on"],
            acting_user=self.request.user,
        )
        return "Recorded. Write to the family within 6 weeks."


class FamilyToldView(MoveMixin, PlanActionView):
    form_class = life_forms.FamilyToldForm
    title = "Record the letter to the family (R19)"

    def perform(self, data):
        life.plan_move_in_family_told(
            move=self.move,
            told_on=data["told_on"],
            will_reassess=data["will_reassess"],
            acting_user=self.request.user,
        )
        return "Letter recorded."


class CeaseView(PlanActionView):
    form_class = life_forms.CeaseForm
    title = "Stop maintaining the plan (R26)"
    extension_point = "plan:cease"

    def perform(self, data):
        life.plan_cease(plan=self.plan, ceased_on=data["ceased_on"], acting_user=self.request.user)
        return "The plan has stopped."


class Post16MoveView(PlanActionView):
    form_class = life_forms.Post16MoveForm
    title = "Record a planned move between post-16 institutions (R16)"

    def perform(self, data):
        move = life.post16_move_record(
            plan=self.plan,
            move_on=data["move_on"],
            new_setting=data["new_setting"],
            new_setting_name=data["new_setting_name"],
            acting_user=self.request.user,
        )
        due = timescales.post16_transfer_review_due(move.move_on)
        clock = selectors.post16_move_clock(move)
        if clock is not None and clock.met_on is not None:
            late = " (late: after that day)" if clock.met_on > due else ""
            return (
                f"Move recorded. The plan issued on {clock.met_on:%d %B %Y} already names "
                f"{move.destination}: that meets the review and amendment due by "
                f"{due:%d %B %Y} (R16){late}."
            )
        return f"Move recorded. Review and amend the plan by {due:%d %B %Y} (5 months before)."
