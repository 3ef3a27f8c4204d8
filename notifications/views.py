"""Pages: a user's notifications, the managers' outbox, and the managers' alert rules.

Views parse input and call a service or selector; every rule lives in notifications.services.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.views import View
from django.views.generic import FormView, ListView

from ehc import roles
from ehc.permissions import StaffRequiredMixin
from notifications import selectors, services
from notifications.forms import AlertRuleForm, OutboxFilterForm
from notifications.models import AlertRule, Notification

INBOX_PAGE_SIZE = 20
OUTBOX_PAGE_SIZE = 50
# Managers hold this through the roles catalogue (ehc/roles.py); it guards the outbox and rules.
MANAGER_PERMISSION = roles.VIEW_DASHBOARDS


class InboxView(LoginRequiredMixin, ListView):
    template_name = "notifications/inbox.html"
    context_object_name = "notifications"
    paginate_by = INBOX_PAGE_SIZE

    def get_queryset(self):
        return selectors.inbox_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unread"] = selectors.unread_count(self.request.user)
        return context


class MarkReadView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        try:
            services.notification_mark_read(user=request.user, notification_id=pk)
        except Notification.DoesNotExist as exc:  # someone else's, or no such notification
            raise Http404("No such notification.") from exc
        return HttpResponseRedirect(reverse("notifications:inbox"))


class MarkAllReadView(LoginRequiredMixin, View):
    def post(self, request):
        count = services.notifications_mark_all_read(user=request.user)
        if count:
            messages.success(request, "All your notifications are marked as read.")
        return HttpResponseRedirect(reverse("notifications:inbox"))


class ManagerRequiredMixin(StaffRequiredMixin):
    """Managers: the role is checked before load() fetches a rule."""

    permission_required = MANAGER_PERMISSION


class OutboxView(ManagerRequiredMixin, ListView):
    template_name = "notifications/outbox.html"
    context_object_name = "notifications"
    paginate_by = OUTBOX_PAGE_SIZE

    def get_queryset(self):
        self.filter_form = OutboxFilterForm(self.request.GET or None)
        valid = self.filter_form.is_valid()
        self.status = self.filter_form.cleaned_data["status"] if valid else ""
        return selectors.outbox_list(status=self.status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(filter_form=self.filter_form, status=self.status)
        return context


class AlertRuleListView(ManagerRequiredMixin, ListView):
    template_name = "notifications/rules.html"
    context_object_name = "rules"
    queryset = AlertRule.objects.all()


class AlertRuleEditView(ManagerRequiredMixin, FormView):
    """Add a rule (no pk) or change one. Rules are switched off, never deleted: the outbox
    keeps pointing at the rule that sent each message."""

    template_name = "notifications/rule_form.html"
    form_class = AlertRuleForm
    success_url = reverse_lazy("notifications:rules")

    def load(self, request, **kwargs) -> None:
        pk = kwargs.get("pk")
        self.rule = get_object_or_404(AlertRule, pk=pk) if pk else AlertRule()

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.rule}

    def get_context_data(self, **kwargs):
        title = f"Change ‘{self.rule.name}’" if self.rule.pk else "Add an alert rule"
        return super().get_context_data(title=title, **kwargs)

    def form_valid(self, form):
        try:
            rule = services.alert_rule_save(
                rule=form.save(commit=False), acting_user=self.request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, f"The rule ‘{rule.name}’ is saved.")
        return super().form_valid(form)
