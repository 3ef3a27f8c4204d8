"""The family's personal budget pages, under /my-cases/<case_pk>/personal-budget/.

Every page loads its case through ehc.access (FamilyCaseMixin), so another family's case id
gives 404; a budget or letter id is looked up only within that case.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from ehc.services.common import local_today
from family.views import ContactsMixin, FamilyCaseMixin
from personal_budgets import flows, forms, selectors, services
from personal_budgets.models import BudgetNotice, PersonalBudget


def family_budget_url(case) -> str:
    return reverse("personal_budgets_family:budget", args=[case.pk])


class FamilyBudgetView(FamilyCaseMixin, ContactsMixin, TemplateView):
    """Their budget: what it pays for, how each part is managed and how much; the letters."""

    template_name = "personal_budgets/family/budget.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(page=selectors.family_budget_page(self.case), **kwargs)


class FamilyRequestView(FamilyCaseMixin, ContactsMixin, FormView):
    """Ask for a personal budget while the plan is being drafted (PB1, PB2)."""

    template_name = "personal_budgets/family/request.html"
    form_class = forms.FamilyRequestForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cannot_ask_because=services.can_family_request(self.case), **kwargs
        )

    def form_valid(self, form):
        requested_by, name = selectors.family_requester(self.case, self.request.user)
        try:
            flows.budget_request_submit(
                case=self.case,
                context=PersonalBudget.Context.DRAFT,
                requested_on=local_today(),
                requested_by=requested_by,
                requester_name=name,
                request_details=form.cleaned_data["request_details"],
                preference=form.cleaned_data["preference"],
                source=PersonalBudget.Source.FAMILY,
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            "You have asked for a personal budget. We will prepare it with the draft plan and "
            "write to you.",
        )
        return redirect(family_budget_url(self.case))


class FamilyNoticeView(FamilyCaseMixin, ContactsMixin, TemplateView):
    template_name = "personal_budgets/notice.html"

    def get_context_data(self, **kwargs):
        notice = get_object_or_404(
            BudgetNotice, pk=self.kwargs["notice_pk"], budget__case=self.case
        )
        return super().get_context_data(
            notice=notice,
            base_template="base.html",
            back_url=family_budget_url(self.case),
            **kwargs,
        )
