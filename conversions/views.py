"""Staff pages of the transition: the legacy register and its import, transfer reviews and their
tasks, and (for managers) the timetable and progress, each downloadable as CSV."""

from __future__ import annotations

import csv
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView
from viewflow.workflow.flow.utils import wrap_view

from conversions import forms, progress, selectors
from conversions import timetable as tt
from conversions.flows import TransferReviewFlow, transfer_review_begin
from conversions.models import LegacyInstrument
from conversions.services import legacy_import_csv
from ehc import roles
from ehc.models import Team
from ehc.permissions import ManagerRequiredMixin, StaffRequiredMixin
from ehc.services.common import local_today

TASK_SCOPES = ("mine", "team", "all")

DEFAULT_PER_CASEWORKER = 2
DEFAULT_CASEWORKERS = 3
#: Quick "as of" links: the transition's milestones.
MILESTONES = [
    (date(2014, 9, 1), "1 September 2014: the new system starts"),
    (date(2015, 4, 1), "1 April 2015: second transfer-review version"),
    (date(2015, 9, 1), "1 September 2015: 18-week transfer reviews"),
    (date(2016, 9, 1), "1 September 2016: LDA deadline"),
    (date(2018, 4, 1), "1 April 2018: the transition ends"),
]


class DashboardPermissionMixin(StaffRequiredMixin):
    permission_required = roles.VIEW_DASHBOARDS


def _safe(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    return response


def _as_of(form) -> date:
    if form.is_valid() and form.cleaned_data.get("as_of"):
        return form.cleaned_data["as_of"]
    return local_today()


# ---------------------------------------------------------------------------
# The legacy register
# ---------------------------------------------------------------------------


class InstrumentListView(StaffRequiredMixin, TemplateView):
    template_name = "conversions/instrument_list.html"

    def get_context_data(self, **kwargs):
        search = self.request.GET.get("q", "")
        kind = self.request.GET.get("type", "")
        if kind not in LegacyInstrument.Type.values:
            kind = ""
        page = selectors.instruments_page(
            user=self.request.user,
            search=search,
            instrument_type=kind,
            page_number=self.request.GET.get("page"),
        )
        return super().get_context_data(
            page=page,
            instruments=list(page.object_list),
            search=search,
            type=kind,
            types=LegacyInstrument.Type.choices,
            query=self.request.GET.urlencode(),
            **kwargs,
        )


class InstrumentDetailView(StaffRequiredMixin, FormView):
    template_name = "conversions/instrument_detail.html"
    form_class = forms.BeginReviewForm

    def load(self, request, **kwargs) -> None:
        self.instrument = selectors.instrument_by_id(request.user, kwargs["pk"])

    def get_form_kwargs(self):
        teams = Team.objects.filter(members=self.request.user).order_by("name")
        if not teams.exists():
            teams = Team.objects.order_by("name")
        return {**super().get_form_kwargs(), "teams": teams}

    def get_context_data(self, **kwargs):
        instrument = self.instrument
        review = getattr(instrument, "transfer_review", None)
        cohort = instrument.cohort
        today = local_today()
        return super().get_context_data(
            instrument=instrument,
            review=review,
            cohort=cohort,
            candidates=tt.candidate_cohorts(instrument.facts),
            plan_due_if_started_now=(
                tt.plan_due(
                    instrument.instrument_type, tt.earliest_start(instrument.instrument_type, today)
                )
                if instrument.instrument_type != LegacyInstrument.Type.NON_STATUTORY
                else None
            ),
            review_visible=review is not None
            and selectors.reviews_visible_to(self.request.user).filter(pk=review.pk).exists(),
            can_begin=review is None
            and instrument.ceased_on is None
            and instrument.instrument_type != LegacyInstrument.Type.NON_STATUTORY,
            history=instrument.history.select_related("history_user").order_by("-history_date")[
                :20
            ],
            **kwargs,
        )

    def form_valid(self, form):
        try:
            review = transfer_review_begin(
                instrument=self.instrument,
                team=form.cleaned_data["team"],
                acting_user=self.request.user,
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        messages.success(self.request, "Transfer review opened. Its first task is in your tasks.")
        return redirect(reverse("conversions:review_detail", args=[review.pk]))


class ImportView(ManagerRequiredMixin, FormView):
    template_name = "conversions/import.html"
    form_class = forms.ImportForm

    def get_context_data(self, **kwargs):
        from conversions.services.imports import COLUMNS, REQUIRED_COLUMNS

        return super().get_context_data(
            columns=COLUMNS, required=REQUIRED_COLUMNS, transfer_types=tt.TRANSFER_TYPES, **kwargs
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        report = legacy_import_csv(
            content=upload.read(), filename=upload.name, acting_user=self.request.user
        )
        if report.ok:
            messages.success(
                self.request,
                f"{report.created} imported, {report.unchanged} already imported and unchanged.",
            )
        return self.render_to_response(self.get_context_data(form=form, report=report))


# ---------------------------------------------------------------------------
# Transfer reviews and their tasks
# ---------------------------------------------------------------------------


class ReviewListView(StaffRequiredMixin, View):
    """The old list of transfer-review tasks: they are in the one work queue now, sorted by
    their own dates with every other task, so this address sends people there."""

    def get(self, request, *args, **kwargs):
        scope = request.GET.get("scope", "")
        target = reverse("workflows:queue")
        return redirect(f"{target}?scope={scope}" if scope in TASK_SCOPES else target)


class ReviewAccessMixin(StaffRequiredMixin):
    def load(self, request, **kwargs) -> None:
        self.review = selectors.access_review_by_id(request.user, kwargs["review_pk"])


class ReviewDetailView(ReviewAccessMixin, TemplateView):
    template_name = "conversions/review_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            review=self.review,
            instrument=self.review.instrument,
            summary=selectors.review_summary(self.review),
            open_tasks=selectors.review_open_tasks(self.review),
            **kwargs,
        )


class ReviewTaskView(ReviewAccessMixin, View):
    """Open a task: its form when it is yours, otherwise who holds it and how to take it."""

    def get(self, request, *args, **kwargs):
        return self._open(request, kwargs["task_pk"])

    def post(self, request, *args, **kwargs):
        return self._open(request, kwargs["task_pk"])

    def _open(self, request, task_pk):
        review = self.review
        task = selectors.review_task(review, task_pk)
        if task.status not in selectors.ACTIVE:
            messages.info(request, "That task has already been completed.")
            return redirect(reverse("conversions:review_detail", args=[review.pk]))
        node = task.flow_task
        if task.owner_id != request.user.pk:
            return render(
                request,
                "conversions/task_take.html",
                {
                    "review": review,
                    "task": task,
                    "title": node.task_title,
                    "can_take": node.can_assign(request.user, task),
                    "summary": selectors.review_summary(review),
                },
            )
        view = wrap_view(node, node.view)
        return view(request, process_pk=task.process_id, task_pk=task.pk)


class ReviewTaskActionView(ReviewAccessMixin, View):
    """POST-only: take or release a task, under the flow's lock."""

    def post(self, request, review_pk, task_pk, action):
        task = selectors.review_task(self.review, task_pk)
        node = task.flow_task
        with TransferReviewFlow.lock(task.process_id), transaction.atomic():
            task.refresh_from_db()
            activation = node.activation_class(task)
            if action == "take" and node.can_assign(request.user, task):
                activation.assign(request.user)
                messages.success(request, "Task taken.")
            elif action == "release" and node.can_unassign(request.user, task):
                activation.unassign()
                messages.success(request, "Task released to the team's queue.")
            else:
                raise PermissionDenied("You cannot do that with this task.")
        return redirect(reverse("conversions:review_detail", args=[review_pk]))


# ---------------------------------------------------------------------------
# Managers: the timetable and progress, as of any day
# ---------------------------------------------------------------------------


def _slot_row(slot: tt.Slot) -> list:
    return [
        slot.reference,
        slot.instrument_type,
        slot.cohort_code,
        slot.deadline,
        slot.notice_by or "",
        slot.start_on or "",
        slot.plan_due or "",
        "yes" if slot.on_time else "no",
        slot.days_late if slot.days_late is not None else "",
        "yes" if slot.fixed else "no",
    ]


SLOT_HEADER = [
    "reference",
    "instrument_type",
    "cohort",
    "cohort_deadline",
    "give_notice_by",
    "start_on",
    "plan_due",
    "meets_deadline",
    "days_late",
    "notice_already_given",
]


class TimetableView(DashboardPermissionMixin, TemplateView):
    template_name = "conversions/timetable.html"

    def get(self, request, *args, **kwargs):
        form = forms.TimetableForm(request.GET or None)
        as_of = _as_of(form)
        data = form.cleaned_data if form.is_valid() else {}
        per = data.get("reviews_per_caseworker")
        workers = data.get("caseworkers")
        capacity = tt.Capacity(
            DEFAULT_PER_CASEWORKER if per is None else per,
            DEFAULT_CASEWORKERS if workers is None else workers,
        )
        schedule = selectors.timetable_as_of(as_of=as_of, capacity=capacity)
        if request.GET.get("format") == "csv":
            return csv_response(
                f"transition-timetable-{as_of:%Y-%m-%d}.csv",
                SLOT_HEADER,
                (_slot_row(s) for s in schedule.slots),
            )
        if not request.GET:
            form = forms.TimetableForm(
                initial={
                    "as_of": as_of,
                    "reviews_per_caseworker": capacity.reviews_per_caseworker_per_week,
                    "caseworkers": capacity.caseworkers,
                }
            )
        page = Paginator(schedule.slots, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
        context = self.get_context_data(
            form=form,
            as_of=as_of,
            capacity=capacity,
            schedule=schedule,
            page=page,
            by_cohort=_schedule_by_cohort(schedule),
            unmeetable=schedule.unmeetable,
            query=_query_without(request.GET, "page"),
            extra=_query_without(request.GET, "page", "format", "as_of_0", "as_of_1", "as_of_2"),
            milestones=MILESTONES,
        )
        return self.render_to_response(context)


def _query_without(params, *names) -> str:
    copy = params.copy()
    for name in names:
        copy.pop(name, None)
    return copy.urlencode()


def _schedule_by_cohort(schedule: tt.Schedule) -> list[dict]:
    rows = {code: {"cohort": c, "on_time": 0, "late": 0} for code, c in tt.COHORTS.items()}
    for slot in schedule.slots:
        rows[slot.cohort_code]["on_time" if slot.on_time else "late"] += 1
    return [r for r in rows.values() if r["on_time"] or r["late"]]


PROGRESS_HEADER = [
    "cohort",
    "cohort_title",
    "deadline",
    "total",
    "converted",
    "converted_on_time",
    "converted_late",
    "on_time_share",
    "in_progress",
    "not_started",
    "ceased",
    "at_risk",
]
AT_RISK_HEADER = [
    "reference",
    "instrument_type",
    "child",
    "cohort",
    "deadline",
    "status",
    "reason",
    "act_by",
]


def _progress_row(row: progress.CohortProgress) -> list:
    share = "" if row.on_time_share is None else f"{row.on_time_share:.3f}"
    return [
        row.cohort_code,
        row.cohort_title,
        row.deadline or "",
        row.total,
        row.converted,
        row.converted_on_time,
        row.converted_late,
        share,
        row.in_progress,
        row.not_started,
        row.ceased,
        row.at_risk,
    ]


class ProgressView(DashboardPermissionMixin, TemplateView):
    template_name = "conversions/progress.html"

    def get(self, request, *args, **kwargs):
        form = forms.AsOfForm(request.GET or None)
        as_of = _as_of(form)
        table = request.GET.get("table", "cohorts")
        wants_csv = request.GET.get("format") == "csv"
        if wants_csv and table == "at_risk":
            rows = selectors.at_risk_as_of(as_of=as_of)
            return csv_response(
                f"transition-at-risk-{as_of:%Y-%m-%d}.csv",
                AT_RISK_HEADER,
                (
                    [
                        r.reference,
                        r.instrument_type,
                        r.child_name,
                        r.cohort_code,
                        r.deadline,
                        r.status,
                        r.reason,
                        r.act_by or "",
                    ]
                    for r in rows
                ),
            )
        rows = selectors.progress_by_cohort(as_of=as_of)
        if wants_csv:
            return csv_response(
                f"transition-progress-{as_of:%Y-%m-%d}.csv",
                PROGRESS_HEADER,
                [_progress_row(r) for r in rows] + [_progress_row(progress.totals(rows))],
            )
        if not request.GET:
            form = forms.AsOfForm(initial={"as_of": as_of})
        risks = selectors.at_risk_as_of(as_of=as_of)
        page = Paginator(risks, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
        context = self.get_context_data(
            form=form,
            as_of=as_of,
            rows=[r for r in rows if r.total],
            totals=progress.totals(rows),
            page=page,
            status_labels=progress.STATUS_LABELS,
            query=_query_without(request.GET, "page", "format", "table"),
            milestones=MILESTONES,
        )
        return self.render_to_response(context)
