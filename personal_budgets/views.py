"""Staff pages for personal budgets. Each loads the case through the access check (a case or
budget id from a URL is never trusted), parses one form and calls one service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from dashboards.views import DashboardMixin
from ehc.models import Team
from ehc.permissions import CaseAccessMixin
from ehc.services.common import local_today
from personal_budgets import flows, forms, rendering, selectors, services
from personal_budgets.forms import conditions_dict
from personal_budgets.models import (
    BudgetComponent,
    BudgetNotice,
    DirectPaymentDecision,
    PersonalBudget,
)


def budget_url(budget: PersonalBudget) -> str:
    return reverse("personal_budgets:budget", args=[budget.case_id, budget.pk])


def back_to_preparing(budget: PersonalBudget) -> str:
    """While the budget is being prepared, back to its task; otherwise to the budget's page."""
    task = selectors.prepare_task(budget)
    if task is not None:
        return reverse("workflows:task", args=[budget.case_id, task.pk])
    return budget_url(budget)


class BudgetMixin(CaseAccessMixin):
    """self.case through the access check, then self.budget only if it belongs to that case."""

    def load(self, request, **kwargs) -> None:
        super().load(request, **kwargs)
        self.budget_pk = kwargs.get("budget_pk")

    @cached_property
    def budget(self) -> PersonalBudget:
        return get_object_or_404(
            PersonalBudget.objects.select_related("case", "case__child"),
            pk=self.budget_pk,
            case=self.case,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(budget=self.budget, **kwargs)


class ServiceFormView(FormView):
    """Parse the form, call one service inside a transaction, show its refusal next to the field
    it names; on success say what happened and go on."""

    template_name = "personal_budgets/staff/form_page.html"
    title = ""

    def get_context_data(self, **kwargs):
        kwargs.setdefault("title", self.title)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            with transaction.atomic():
                message = self.perform(form)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.get_success_url())

    def perform(self, form) -> str:
        raise NotImplementedError


class RequestRecordView(CaseAccessMixin, ServiceFormView):
    """A caseworker records a request made by letter, email, phone or at a review."""

    form_class = forms.StaffRequestForm
    title = "Record a request for a personal budget"

    def get_initial(self):
        return {"requested_on": local_today(), "context": PersonalBudget.Context.DRAFT}

    def perform(self, form):
        data = form.cleaned_data
        self.created = flows.budget_request_submit(
            case=self.case,
            context=data["context"],
            context_on=data["context_on"],
            requested_on=data["requested_on"],
            requested_by=data["requested_by"],
            requester_name=data["requester_name"],
            request_details=data["request_details"],
            preference=data["preference"] or PersonalBudget.Preference.NOT_SURE,
            source=PersonalBudget.Source.CASEWORKER,
            acting_user=self.request.user,
        )
        return "Request recorded. 'Prepare the personal budget' is in the work queue."

    def get_success_url(self):
        return budget_url(self.created)


class BudgetDetailView(BudgetMixin, TemplateView):
    template_name = "personal_budgets/staff/budget_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page=selectors.budget_page(self.budget, local_today()), **kwargs
        )


class ComponentFormView(BudgetMixin, ServiceFormView):
    form_class = forms.ComponentForm
    title = "Add a part to the budget"

    @cached_property
    def component(self) -> BudgetComponent | None:
        pk = self.kwargs.get("component_pk")
        if pk is None:
            return None
        return get_object_or_404(BudgetComponent, pk=pk, budget=self.budget)

    def get_initial(self):
        if self.component is None:
            return {}
        fields = services.ComponentDetails.__dataclass_fields__
        return {name: getattr(self.component, name) for name in fields}

    def get_context_data(self, **kwargs):
        if self.component is not None:
            kwargs["title"] = "Change this part of the budget"
        return super().get_context_data(back_url=back_to_preparing(self.budget), **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        services.component_save(
            budget=self.budget,
            component=self.component,
            details=services.ComponentDetails(
                **{name: data[name] for name in services.ComponentDetails.__dataclass_fields__}
            ),
            acting_user=self.request.user,
        )
        return "Part of the budget saved."

    def get_success_url(self):
        return back_to_preparing(self.budget)


class ComponentRemoveView(BudgetMixin, View):
    def post(self, request, *args, **kwargs):
        component = get_object_or_404(
            BudgetComponent, pk=kwargs["component_pk"], budget=self.budget
        )
        try:
            services.component_remove(component=component, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Part of the budget removed.")
        return redirect(back_to_preparing(self.budget))


class BudgetFormView(BudgetMixin, ServiceFormView):
    def get_context_data(self, **kwargs):
        kwargs.setdefault("back_url", budget_url(self.budget))
        return super().get_context_data(**kwargs)

    def get_success_url(self):
        return budget_url(self.budget)


class RefuseView(BudgetFormView):
    form_class = forms.RefuseForm
    title = "Refuse direct payments"

    def get_context_data(self, **kwargs):
        kwargs["back_url"] = back_to_preparing(self.budget)
        return super().get_context_data(**kwargs)

    def perform(self, form):
        data = form.cleaned_data
        services.direct_payments_refuse(
            budget=self.budget,
            decided_on=data["decided_on"],
            conditions=conditions_dict(data["conditions"]),
            reasons=data["reasons"],
            acting_user=self.request.user,
        )
        return "Direct payments refused. The letter, with the right to ask for a review, is ready."

    def get_success_url(self):
        return back_to_preparing(self.budget)


class ReduceView(BudgetFormView):
    form_class = forms.ReduceForm
    title = "Reduce a direct payment"

    def get_form_kwargs(self):
        components = self.budget.components.filter(mechanism="direct_payment")
        return {**super().get_form_kwargs(), "components": components}

    def perform(self, form):
        data = form.cleaned_data
        decision = services.direct_payments_reduce(
            budget=self.budget,
            component=data["component"],
            new_amount=data["new_amount"],
            decided_on=data["decided_on"],
            takes_effect_on=data["takes_effect_on"],
            reasons=data["reasons"],
            acting_user=self.request.user,
        )
        return f"Reduction recorded from {rendering.day(decision.takes_effect_on)}."


class StopView(BudgetFormView):
    form_class = forms.StopForm
    title = "Stop direct payments"

    def perform(self, form):
        data = form.cleaned_data
        services.direct_payments_stop(
            budget=self.budget,
            decided_on=data["decided_on"],
            takes_effect_on=data["takes_effect_on"],
            ground=data["stop_ground"],
            reasons=data["reasons"],
            acting_user=self.request.user,
        )
        return "Direct payments will stop. The letter is ready."


class ReviewView(BudgetFormView):
    form_class = forms.ReviewForm
    title = "Record a review of direct payments"

    def get_initial(self):
        first = not self.budget.dp_reviews.exists()
        return {"reviewed_on": local_today(), "occasion": "first" if first else ""}

    def perform(self, form):
        data = form.cleaned_data
        services.direct_payment_review_record(
            budget=self.budget,
            occasion=data["occasion"],
            reviewed_on=data["reviewed_on"],
            findings=data["findings"],
            acting_user=self.request.user,
        )
        return "Review recorded."


class ReconsiderationView(BudgetFormView):
    """First the family's request (once only), then the outcome."""

    @cached_property
    def decision(self) -> DirectPaymentDecision:
        decision = get_object_or_404(
            DirectPaymentDecision, pk=self.kwargs["decision_pk"], budget=self.budget
        )
        if not decision.reconsiderable:
            raise Http404("That decision cannot be reconsidered.")
        return decision

    @property
    def asking(self) -> bool:
        """A request form until one is made; after the outcome, again (so a second request can
        be recorded, and is refused with the reason)."""
        d = self.decision
        return d.reconsideration_requested_on is None or d.reconsidered_on is not None

    def get_form_class(self):
        if self.asking:
            return forms.ReconsiderationRequestForm
        return forms.ReconsiderationOutcomeForm

    def get_context_data(self, **kwargs):
        kwargs["title"] = (
            "Record a request for reconsideration"
            if self.asking
            else "Record the outcome of the reconsideration"
        )
        return super().get_context_data(decision=self.decision, **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        if isinstance(form, forms.ReconsiderationRequestForm):
            services.reconsideration_request_record(
                decision=self.decision,
                requested_on=data["requested_on"],
                acting_user=self.request.user,
            )
            return "Request for reconsideration recorded."
        services.reconsideration_decide(
            decision=self.decision,
            reconsidered_on=data["reconsidered_on"],
            outcome=data["outcome"],
            reasons=data["reasons"],
            acting_user=self.request.user,
        )
        return "Outcome recorded. The letter is ready."


class SectionJWriteView(BudgetMixin, View):
    def post(self, request, *args, **kwargs):
        try:
            services.section_j_write(budget=self.budget, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Section J of the draft plan now shows this budget.")
        return redirect(budget_url(self.budget))


class NoticeView(BudgetMixin, TemplateView):
    template_name = "personal_budgets/notice.html"

    def get_context_data(self, **kwargs):
        notice = get_object_or_404(BudgetNotice, pk=self.kwargs["notice_pk"], budget=self.budget)
        return super().get_context_data(
            notice=notice,
            base_template="staff_base.html",
            back_url=budget_url(self.budget),
            **kwargs,
        )


# -- the manager's figures -----------------------------------------------------------------------


class FiguresView(DashboardMixin, TemplateView):
    """Budgets in place by mechanism and domain, by kind, and requests; each table as CSV."""

    template_name = "personal_budgets/staff/figures.html"
    csv_tables = ("by_mechanism_and_domain", "by_kind", "requests")

    def get_context_data(self, **kwargs):
        raw = self.request.GET.get("team", "")
        team_id = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None
        return super().get_context_data(
            team_id=team_id,
            teams=Team.objects.order_by("name"),
            query=self.request.GET.urlencode(),
            by_mechanism_and_domain=selectors.budgets_in_place_by_mechanism_and_domain(
                team_id=team_id
            ),
            by_kind=selectors.budgets_in_place_by_kind(team_id=team_id),
            requests=selectors.requests_by_status(team_id=team_id),
            **kwargs,
        )

    def csv_rows(self, table, context):
        rows = context[table]
        if table == "by_mechanism_and_domain":
            header = ["Domain", "Mechanism", "Budgets", "Parts", "Amount a year (GBP)"]
            keys = ["domain", "mechanism", "budgets", "parts", "amount"]
        elif table == "by_kind":
            header, keys = ["Kind of budget", "Budgets in place"], ["kind", "budgets"]
        else:
            header = ["Status", "While drafting", "At a review", "At a reassessment", "Total"]
            keys = ["status", "draft", "review", "reassessment", "total"]
        return header, [[row[k] for k in keys] for row in rows]
