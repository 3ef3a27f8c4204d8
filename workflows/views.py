"""Staff pages around the flow: the work queue, opening a task, take/release/reassign,
registering a request and closing a case."""

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, TemplateView
from viewflow.workflow.flow.utils import wrap_view
from viewflow.workflow.models import Task

from ehc import roles
from ehc.access import access_case_by_id
from ehc.form_extensions import save_extensions
from ehc.models import Case, Team
from ehc.permissions import CaseAccessMixin, ManagerRequiredMixin, StaffRequiredMixin
from ehc.register.services import case_current_setting_set
from ehc.services import ChildDetails, ContactDetails
from ehc.services.common import local_today
from workflows import selectors, services
from workflows.forms import CloseCaseForm, ReassignForm
from workflows.register_forms import REGISTER_FORM, RegisterRequestForm

QUEUE_SCOPES = {"mine": "My tasks", "team": "My teams' unassigned tasks", "all": "All open tasks"}


class QueueView(StaffRequiredMixin, TemplateView):
    template_name = "workflows/queue.html"

    def get_context_data(self, **kwargs):
        scope = self.request.GET.get("scope", "mine")
        if scope not in QUEUE_SCOPES or (
            scope == "all" and not self.request.user.has_perm(roles.VIEW_ALL_CASES)
        ):
            scope = "mine"
        page, rows = selectors.queue_page(
            user=self.request.user,
            scope=scope,
            page_number=self.request.GET.get("page"),
            today=local_today(),
        )
        scopes = {
            k: v
            for k, v in QUEUE_SCOPES.items()
            if k != "all" or self.request.user.has_perm(roles.VIEW_ALL_CASES)
        }
        return super().get_context_data(scope=scope, scopes=scopes, page=page, rows=rows, **kwargs)


def _case_task(request, case_pk: int, task_pk: int) -> tuple[Case, Task]:
    """The task, only if it belongs to a case this user may see (ids from URLs are not trusted)."""
    case = access_case_by_id(request.user, case_pk)
    task = (
        selectors.case_tasks()
        .filter(pk=task_pk, process__artifact_object_id=case.pk)
        .select_related("process", "owner")
        .first()
    )
    if task is None:
        raise Http404("No such task.")
    return case, task


def _safe_next(request, target: str | None, default: str) -> str:
    """Only ever redirect back into this site."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _to_case(case: Case):
    return redirect(reverse("ehc:case_detail", args=[case.pk]))


class TaskView(StaffRequiredMixin, View):
    """Open a task: its own form when it is yours, otherwise who holds it and how to take it."""

    def load(self, request, **kwargs) -> None:
        self.case, self.task = _case_task(request, kwargs["case_pk"], kwargs["task_pk"])

    def get(self, request, *args, **kwargs):
        case, task = self.case, self.task
        if task.status not in selectors.ACTIVE:
            messages.info(request, "That task has already been completed.")
            return _to_case(case)
        node = task.flow_task
        if task.owner_id != request.user.pk:
            return render(
                request,
                "workflows/task_take.html",
                {
                    "case": case,
                    "task": task,
                    "title": node.task_title,
                    "can_take": node.can_assign(request.user, task),
                    "deadline": selectors.task_deadline(task, case),
                },
            )
        view = wrap_view(node, node.view)
        return view(request, process_pk=task.process_id, task_pk=task.pk)

    post = get


class TaskActionView(StaffRequiredMixin, View):
    """POST-only: take, release or (managers) reassign a task, under the flow's lock."""

    def post(self, request, case_pk, task_pk, action):
        case, task = _case_task(request, case_pk, task_pk)
        try:
            if action == "take":
                services.task_take(task=task, case=case, acting_user=request.user)
                messages.success(request, "Task taken. It is in your tasks now.")
            elif action == "release":
                services.task_release(task=task, case=case, acting_user=request.user)
                messages.success(request, "Task released to the team's queue.")
            else:
                raise PermissionDenied("You cannot do that with this task.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _to_case(case)
        return redirect(_safe_next(request, request.POST.get("next"), reverse("workflows:queue")))


class ReassignView(ManagerRequiredMixin, FormView):
    template_name = "workflows/reassign.html"
    form_class = ReassignForm

    def load(self, request, **kwargs) -> None:
        self.case, self.task = _case_task(request, kwargs["case_pk"], kwargs["task_pk"])
        if self.task.status not in selectors.ACTIVE:
            raise Http404("That task is finished.")

    def get_form_kwargs(self):
        candidates = (
            get_user_model()
            .objects.filter(teams=self.case.team, groups__name__in=roles.STAFF_ROLES)
            .distinct()
            .order_by("first_name", "last_name")
        )
        return {**super().get_form_kwargs(), "candidates": candidates}

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.case, task=self.task, **kwargs)

    def form_valid(self, form):
        owner = form.cleaned_data["owner"]
        try:
            services.task_reassign(
                task=self.task, case=self.case, owner=owner, acting_user=self.request.user
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, f"Task reassigned to {owner.display_name()}.")
        return redirect(reverse("workflows:queue") + "?scope=all")


class CaseReassignView(CaseAccessMixin, FormView):
    """Managers move a case (and the tasks held on it) to another caseworker in its team."""

    permission_required = roles.REASSIGN_CASE
    template_name = "workflows/reassign_case.html"
    form_class = ReassignForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "candidates": _team_caseworkers(self.case)}

    def form_valid(self, form):
        owner = form.cleaned_data["owner"]
        moved = services.case_reassign(
            case=self.case, caseworker=owner, acting_user=self.request.user
        )
        messages.success(
            self.request,
            f"Case given to {owner.display_name()} "
            f"with {moved} open task{'s' if moved != 1 else ''}.",
        )
        default = reverse("ehc:case_detail", args=[self.case.pk])
        return redirect(_safe_next(self.request, self.request.GET.get("next"), default))


def _team_caseworkers(case: Case):
    return (
        get_user_model()
        .objects.filter(teams=case.team, groups__name__in=roles.STAFF_ROLES)
        .distinct()
        .order_by("first_name", "last_name")
    )


class CloseCaseView(CaseAccessMixin, FormView):
    template_name = "workflows/close_case.html"
    form_class = CloseCaseForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.case_close_with_flow(
                case=self.case,
                kind=data["kind"],
                closed_on=data["closed_on"],
                reason=data["reason"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, "The case is closed and its open tasks cancelled.")
        return _to_case(self.case)


# The time recorded for a request whose time of arrival nobody noted: the start of the day.
_UNTIMED_RECEIPT = time(9, 0)


class RegisterRequestView(StaffRequiredMixin, FormView):
    """A caseworker records a request that came by email, letter, phone or in person."""

    template_name = "workflows/register.html"
    form_class = RegisterRequestForm

    def get_form_kwargs(self):
        teams = Team.objects.filter(members=self.request.user)
        return {**super().get_form_kwargs(), "teams": teams or Team.objects.all()}

    def form_valid(self, form):
        data = form.cleaned_data
        received_at = timezone.make_aware(
            datetime.combine(data["received_on"], data["received_time"] or _UNTIMED_RECEIPT)
        )
        # A request registered today without a time arrived before now, not at 09:00 later on.
        received_at = min(received_at, timezone.now())
        try:
            with transaction.atomic():
                case = self._register(data, received_at)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, f"Request registered as {case.reference}.")
        return _to_case(case)

    def _register(self, data: dict, received_at: datetime) -> Case:
        """The case through its service, then what apps keep from their fields on the form."""
        case = services.request_register(
            child_details=ChildDetails(
                first_name=data["first_name"],
                last_name=data["last_name"],
                date_of_birth=data["date_of_birth"],
            ),
            contacts=[
                ContactDetails(
                    full_name=data["contact_name"],
                    relationship=data["contact_relationship"],
                    email=data["contact_email"],
                    phone=data["contact_phone"],
                )
            ],
            team=data["team"],
            requester_type=data["requester_type"],
            requester_name=data["contact_name"],
            request_channel=data["channel"],
            received_at=received_at,
            acting_user=self.request.user,
        )
        if data.get("current_setting"):
            case_current_setting_set(
                case=case, setting=data["current_setting"], acting_user=self.request.user
            )
        save_extensions(REGISTER_FORM, case=case, data=data, acting_user=self.request.user)
        return case
