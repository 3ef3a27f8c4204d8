"""Staff pages for plans in force. Each loads the case through the access check (an id from a
URL is never trusted), parses one form and calls one service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from dashboards.views import DashboardMixin
from ehc.permissions import CaseAccessMixin, ManagerRequiredMixin
from ehc.services.common import local_today
from reviews import forms, imports, letters, selectors, services
from reviews.models import AnnualReview, MaintainedPlan, PlanVersion

PAGE_SIZE = 50


def plan_url(plan: MaintainedPlan) -> str:
    return reverse("reviews:plan", args=[plan.case_id])


class PlanMixin(CaseAccessMixin):
    @cached_property
    def plan(self) -> MaintainedPlan:
        plan = selectors.plan_for_case(self.case)
        if plan is None:
            raise Http404("This case has no plan in force.")
        return plan

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, **kwargs)


class PlanView(PlanMixin, TemplateView):
    """The plan in force: setting, phase, next review, its versions and its reviews."""

    template_name = "reviews/staff/plan.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page=selectors.plan_page(self.plan, local_today()), **kwargs
        )


class ReviewStartView(PlanMixin, View):
    def post(self, request, *args, **kwargs):
        try:
            review = services.review_open(plan=self.plan, acting_user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(plan_url(self.plan))
        messages.success(
            request,
            f"{review.get_kind_display()} started. Its tasks are in the work queue.",
        )
        return redirect(plan_url(self.plan))


class VersionCompareView(PlanMixin, TemplateView):
    """A readable difference between any two versions of the plan."""

    template_name = "reviews/staff/compare.html"

    def _version(self, number: str | None, default: PlanVersion) -> PlanVersion:
        if number and number.isdigit():
            found = self.plan.versions.filter(number=int(number)).first()
            if found is not None:
                return found
        return default

    def get_context_data(self, **kwargs):
        versions = list(self.plan.versions.all())
        if not versions:
            raise Http404("No versions")
        older = self._version(self.request.GET.get("from"), versions[max(len(versions) - 2, 0)])
        newer = self._version(self.request.GET.get("to"), versions[-1])
        if older.number > newer.number:
            older, newer = newer, older
        return super().get_context_data(
            versions=versions,
            older=older,
            newer=newer,
            changes=selectors.version_diff(older, newer),
            **kwargs,
        )


class VersionView(PlanMixin, TemplateView):
    template_name = "reviews/staff/version.html"

    def get_context_data(self, **kwargs):
        version = self.plan.versions.filter(number=kwargs["number"]).first()
        if version is None:
            raise Http404("No such version")
        sections = [
            (letter, title, getattr(version, field))
            for field, letter, title in selectors.PLAN_SECTIONS
        ]
        return super().get_context_data(version=version, sections=sections, **kwargs)


class ReviewsDashboardView(DashboardMixin, TemplateView):
    """Managers' figures: reviews due, overdue, decided late, amended late, transfers at risk."""

    template_name = "reviews/staff/dashboard.html"

    def get_context_data(self, **kwargs):
        counts = selectors.figures(local_today())
        rows = [(key, label, counts[key]) for key, label in selectors.FIGURES.items()]
        return super().get_context_data(rows=rows, **kwargs)

    csv_tables = ("reviews",)

    def csv_rows(self, table, context):
        return ["Figure", "Count"], [[label, count] for _key, label, count in context["rows"]]


class FigureListView(DashboardMixin, TemplateView):
    """Drill-down from a figure to the plans or reviews behind it."""

    template_name = "reviews/staff/figure_list.html"
    csv_tables = ("rows",)

    def get_context_data(self, **kwargs):
        figure = kwargs.pop("figure")
        if figure not in selectors.FIGURES or figure == "transfer_at_risk":
            raise Http404("Unknown figure")
        today = local_today()
        queryset = selectors.figure_querysets(today)[figure]
        if queryset.model is AnnualReview:
            queryset = queryset.select_related("plan__case", "plan__child").order_by("due_on", "id")
            rows = queryset
            is_review = True
        else:
            rows = queryset.select_related("case", "child").order_by("next_review_due", "id")
            is_review = False
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            figure=figure,
            label=selectors.FIGURES[figure],
            page=page,
            rows=rows,
            is_review=is_review,
            today=today,
            **kwargs,
        )

    def csv_rows(self, table, context):
        if context["is_review"]:
            header = ["Case", "Child", "Review due", "Meeting", "Decided", "Amended plan issued"]
            rows = (
                [
                    r.plan.case.reference,
                    r.plan.child.full_name,
                    r.due_on,
                    r.held_on,
                    r.decided_on,
                    r.final_issued_on,
                ]
                for r in context["rows"].iterator()
            )
        else:
            header = ["Case", "Child", "Next review due", "Last meeting"]
            rows = (
                [p.case.reference, p.child.full_name, p.next_review_due, p.last_review_meeting_on]
                for p in context["rows"].iterator()
            )
        return header, rows


class CohortView(DashboardMixin, TemplateView):
    """Next September's phase-transfer cohort, with each child's latest safe meeting date."""

    template_name = "reviews/staff/cohort.html"
    csv_tables = ("cohort",)

    def get_context_data(self, **kwargs):
        today = local_today()
        rows = selectors.transfer_cohort(today)
        return super().get_context_data(
            rows=rows,
            year=rows[0].transfer.year if rows else None,
            at_risk=sum(1 for r in rows if r.at_risk),
            only_at_risk=self.request.GET.get("at_risk") == "1",
            **kwargs,
        )

    def csv_rows(self, table, context):
        header = [
            "Case",
            "Child",
            "Date of birth",
            "Setting",
            "Transfer",
            "Deadline",
            "Latest safe meeting",
            "Status",
            "At risk",
        ]
        rows = [
            [
                r.reference,
                r.child,
                r.date_of_birth,
                r.setting,
                r.transfer.label,
                r.transfer.deadline,
                r.transfer.latest_safe_meeting,
                r.status,
                "yes" if r.at_risk else "no",
            ]
            for r in context["rows"]
        ]
        return header, rows


class ImportView(ManagerRequiredMixin, FormView):
    """Bring existing plans in from a CSV: all or nothing, each bad row listed by line. Managers
    only: a re-imported reference updates its case in place, team included, whichever team holds
    it (as the legacy register's import)."""

    template_name = "reviews/staff/import.html"
    form_class = forms.ImportForm

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        report = imports.plans_import_csv(stream=upload.file, acting_user=self.request.user)
        if not report.ok:
            return self.render_to_response(self.get_context_data(form=form, report=report))
        messages.success(
            self.request,
            f"{report.created} plans imported and {report.updated} updated from "
            f"{report.rows} rows. Their review clocks are running.",
        )
        return redirect(reverse("reviews:dashboard"))


class ReviewLetterView(PlanMixin, TemplateView):
    """A letter this review sent the family, as they received it (?format=pdf for the PDF)."""

    template_name = "reviews/letters/letter.html"

    def get(self, request, *args, **kwargs):
        review = get_object_or_404(AnnualReview, pk=kwargs["review_pk"], plan=self.plan)
        letter = letters.review_letter(review, kwargs["kind"])
        if letter is None:
            raise Http404("This review has not sent that letter.")
        context = letters.letter_context(letter)
        if request.GET.get("format") == "pdf":
            return letters.letter_pdf_response(context)
        return self.render_to_response(
            dict(
                **context,
                for_pdf=False,
                layout="staff_base.html",
                back_url=plan_url(self.plan),
            )
        )
