"""The caseworker's task page: prepare the budget (PB1), or say why none can be identified (PB5).

The shared task page (workflows.views.TaskView) has already checked the case through the access
check, locked the process and checked this user holds the task; TaskFormView rolls back on a
ValidationError from the service, shows it next to its field, and otherwise completes the task.
"""

from django.urls import reverse
from django.utils.functional import cached_property

from ehc.services.common import local_today
from personal_budgets import forms, rendering, selectors, services
from personal_budgets.forms import conditions_dict
from workflows.task_views import TaskFormView


class PrepareBudgetView(TaskFormView):
    """Two forms on one page (agree / none can be identified); the parts of the budget are
    added on their own pages, linked from here."""

    template_name = "personal_budgets/staff/task_prepare.html"
    FORMS = {"agree": forms.AgreeForm, "not_identified": forms.NotIdentifiedForm}

    @cached_property
    def budget(self):
        return self.activation.process.seed

    @cached_property
    def page(self):
        return selectors.budget_page(self.budget, local_today())

    def _form_kwargs(self, action: str) -> dict:
        kwargs = {"prefix": action, "initial": {"agreed_on": local_today()}}
        if action == "agree":
            kwargs["direct_payments"] = bool(self.page.dp_components)
        return kwargs

    def get_form(self, form_class=None):
        action = self.request.POST.get("action", "agree")
        if action not in self.FORMS:
            action = "agree"
        self.action = action
        data = self.request.POST if self.request.method == "POST" else None
        return self.FORMS[action](data, **self._form_kwargs(action))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bound = context["form"]
        for action, form_class in self.FORMS.items():
            form = (
                bound if isinstance(bound, form_class) else form_class(**self._form_kwargs(action))
            )
            form.helper.form_tag = False  # the page wraps each form to add its action
            context[f"{action}_form"] = form
        context.update(budget=self.budget, page=self.page)
        return context

    def get_success_url(self) -> str:
        return reverse("personal_budgets:budget", args=[self.case.pk, self.budget.pk])

    def perform(self, form) -> str:
        data, user, process = form.cleaned_data, self.request.user, self.activation.process
        if isinstance(form, forms.NotIdentifiedForm):
            services.budget_not_identified(
                budget=self.budget,
                decided_on=data["decided_on"],
                reasons=data["reasons"],
                acting_user=user,
            )
            process.identified = False
            process.save()
            return "Recorded that no personal budget can be identified. The letter is ready."
        terms = None
        if form.direct_payments:
            terms = services.DirectPaymentTerms(
                recipient=data["dp_recipient"],
                nominee_name=data["dp_nominee_name"],
                starts_on=data["dp_starts_on"],
                payment_schedule=data["dp_payment_schedule"],
                conditions=conditions_dict(data["conditions"]),
                reasons=data["dp_reasons"],
            )
        budget = services.budget_agree(
            budget=self.budget,
            agreed_on=data["agreed_on"],
            direct_payments=terms,
            acting_user=user,
        )
        process.identified = True
        process.save()
        message = "Personal budget agreed. The notice of agreed provision is ready."
        if budget.dp_starts_on:
            due = services.first_review_due(budget)
            message += f" The first review of direct payments is due by {rendering.day(due)}."
        return message
