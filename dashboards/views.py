"""Managers' dashboard pages. Each table can be downloaded as CSV with ?format=csv."""

from datetime import date

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from dashboards import charts
from dashboards import selectors as sel
from ehc import roles, timescales
from ehc.csv_export import csv_response
from ehc.models import Case, Team, User
from ehc.permissions import StaffRequiredMixin
from ehc.services.common import local_today
from ehc.subject_types import SUBJECT_TYPES, describe_subjects

PAGE_SIZE = 50


class DashboardMixin(StaffRequiredMixin):
    permission_required = roles.VIEW_DASHBOARDS
    csv_tables: tuple[str, ...] = ()

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        table = request.GET.get("table", "")
        if request.GET.get("format") == "csv" and table in self.csv_tables:
            header, rows = self.csv_rows(table, context)
            return csv_response(f"{table}-{local_today():%Y-%m-%d}.csv", header, rows)
        return self.render_to_response(context)

    def csv_rows(self, table: str, context: dict) -> tuple[list[str], list[list]]:
        raise NotImplementedError


MAX_ID = 2**63 - 1  # the largest key any database here stores; past it no row can match


def _int(value: str | None) -> int | None:
    """A whole number typed in ASCII digits and small enough to be an id, or None."""
    if not value or not (value.isascii() and value.isdigit()) or len(value) > 19:
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def filters_from(params) -> sel.DeadlineFilters:
    """Bad filter values are ignored rather than failing the page."""
    stage = params.get("stage", "")
    return sel.DeadlineFilters(
        team_id=_int(params.get("team")),
        caseworker_id=_int(params.get("caseworker")),
        stage=stage if stage in Case.Stage.values else "",
        due_from=_date(params.get("due_from")),
        due_to=_date(params.get("due_to")),
    )


def filter_choices() -> dict:
    return {
        "teams": Team.objects.order_by("name"),
        "caseworkers": User.objects.filter(groups__name__in=roles.STAFF_ROLES)
        .distinct()
        .order_by("first_name", "last_name"),
        "stages": Case.Stage.choices,
    }


class DeadlinesAtRiskView(DashboardMixin, TemplateView):
    template_name = "dashboards/at_risk.html"
    csv_tables = ("deadlines_at_risk",)

    def get_context_data(self, **kwargs):
        filters = filters_from(self.request.GET)
        rows = sel.deadlines_at_risk(filters=filters, today=local_today())
        return super().get_context_data(
            rows=rows,
            bands=sel.BANDS,
            filters=filters,
            query=self.request.GET.urlencode(),
            **filter_choices(),
            **kwargs,
        )

    def csv_rows(self, table, context):
        header = ["Code", "Deadline", *[label for _, label in sel.BANDS], "Total"]
        rows = [
            [r.kind, r.title, *[r.counts[b] for b, _ in sel.BANDS], r.total]
            for r in context["rows"]
        ]
        return header, rows


class DeadlineListView(DashboardMixin, TemplateView):
    """Drill-down from a count to the cases behind it."""

    template_name = "dashboards/deadline_list.html"
    csv_tables = ("deadlines",)

    def get_context_data(self, **kwargs):
        today = local_today()
        params = self.request.GET
        kind, band = params.get("kind", ""), params.get("band", "")
        rows = sel.deadlines_in_band(
            filters=filters_from(params),
            today=today,
            kind=kind,
            band=band if band in sel.BAND_LABELS else "",
        )
        page, base_query = _page_of(rows, params)
        for deadline in page.object_list:
            deadline.days_late = max((today - deadline.due_on).days, 0)
        return super().get_context_data(
            page=page,
            kind=kind,
            band_label=sel.BAND_LABELS.get(band, "All"),
            rows=rows,
            base_query=base_query,
            today=today,
            **kwargs,
        )

    def csv_rows(self, table, context):
        today = context["today"]
        header = ["Case", "Child", "Team", "Caseworker", "Code", "Deadline", "Due", "Days late"]
        rows = [
            [
                d.case.reference,
                d.case.child.full_name,
                d.case.team.name,
                d.case.assigned_caseworker.display_name() if d.case.assigned_caseworker else "",
                d.kind,
                d.title,
                d.due_on.isoformat(),
                max((today - d.due_on).days, 0),
            ]
            for d in context["rows"].order_by("due_on", "id")
        ]
        return header, rows


class TimelinessView(DashboardMixin, TemplateView):
    template_name = "dashboards/timeliness.html"
    csv_tables = ("timeliness_20_weeks", "timeliness_6_weeks", "monthly_trend", "weeks_to_issue")

    def get_context_data(self, **kwargs):
        today = local_today()
        years = sel.first_plan_year(today)
        year = _int(self.request.GET.get("year")) or today.year
        year = year if year in years else today.year
        # The final plans' days are read once for the two periods, the trend and the spread.
        plan_days = sel.met_by_day("A13", *sel.timeliness_span(year=year, today=today))
        plans = sel.timeliness_periods(kind="A13", year=year, today=today, days=plan_days)
        decisions = sel.timeliness_periods(kind="A2", year=year, today=today)
        trend = sel.monthly_trend(kind="A13", today=today, days=plan_days)
        distribution = sel.weeks_to_issue_distribution(
            kind="A13", start=date(year, 1, 1), end=date(year, 12, 31), days=plan_days
        )
        return super().get_context_data(
            year=year,
            year_str=str(year),
            years=years,
            plans=plans,
            decisions=decisions,
            trend=trend,
            distribution=distribution,
            trend_chart=charts.line_chart(
                "trend",
                "Final plans issued within 20 weeks, excluding exceptions, by month",
                [charts.Bar(p.month.strftime("%b"), p.share) for p in trend],
            ),
            distribution_chart=charts.bar_chart(
                "distribution",
                f"Weeks taken to issue final plans in {year}",
                [charts.Bar(label, n) for label, n in distribution],
            ),
            **kwargs,
        )

    def csv_rows(self, table, context):
        if table in ("timeliness_20_weeks", "timeliness_6_weeks"):
            periods = context["plans" if table == "timeliness_20_weeks" else "decisions"]
            header = [
                "Period",
                "Issued",
                "Within limit",
                "% within (including exceptions)",
                "Issued (no exception)",
                "Within limit (no exception)",
                "% within (excluding exceptions)",
                "Over limit within a year",
                "Over a year",
                "Average weeks",
            ]
            rows = [
                [
                    t.label,
                    t.issued,
                    t.within,
                    t.share_including_exceptions,
                    t.issued_ex,
                    t.within_ex,
                    t.share_excluding_exceptions,
                    t.over_20_weeks_within_year,
                    t.over_year,
                    t.average_weeks,
                ]
                for t in periods
            ]
            return header, rows
        if table == "monthly_trend":
            return (
                [
                    "Month",
                    "Issued",
                    "Issued (no exception)",
                    "Within 20 weeks (no exception)",
                    "% within 20 weeks (excluding exceptions)",
                ],
                [
                    [p.month.strftime("%Y-%m"), p.issued, p.issued_ex, p.within_ex, p.share]
                    for p in context["trend"]
                ],
            )
        return ["Weeks taken", "Plans"], [list(row) for row in context["distribution"]]


class WorkloadView(DashboardMixin, TemplateView):
    template_name = "dashboards/workload.html"
    csv_tables = ("caseload", "advice_overdue", "exceptions_by_reason")

    def get_context_data(self, **kwargs):
        team_id = _int(self.request.GET.get("team"))
        load = sel.workload(today=local_today(), team_id=team_id)
        return super().get_context_data(
            load=load,
            team_id=team_id,
            teams=Team.objects.order_by("name"),
            caseload_chart=charts.bar_chart(
                "caseload",
                "Open cases per caseworker",
                [
                    charts.Bar(row["user"].first_name or row["user"].username, row["cases"])
                    for row in load.per_caseworker
                ],
            ),
            **kwargs,
        )

    def csv_rows(self, table, context):
        load = context["load"]
        if table == "caseload":
            return (
                ["Caseworker", "Open cases", "Open tasks"],
                [[r["user"].display_name(), r["cases"], r["tasks"]] for r in load.per_caseworker],
            )
        if table == "advice_overdue":
            return ["Adviser", "Overdue"], [list(r) for r in load.advice_overdue]
        return (["Code", "Reason", "Times relied on"], [list(r) for r in load.exceptions_by_reason])


class SubjectDeadlinesView(DashboardMixin, TemplateView):
    """Deadlines without a case (the Local Offer's record reviews, comment actions and yearly
    'you said, we did'), by kind and how close they are."""

    template_name = "dashboards/subject_deadlines.html"
    csv_tables = ("deadlines_without_a_case",)

    def get_context_data(self, **kwargs):
        today = local_today()
        return super().get_context_data(
            rows=sel.subject_deadlines_at_risk(today=today),
            bands=sel.BANDS,
            today=today,
            **kwargs,
        )

    def csv_rows(self, table, context):
        header = ["Code", "Deadline", *[label for _, label in sel.BANDS], "Total", "Next due"]
        rows = [
            [
                r.kind,
                r.title,
                *[r.counts[b] for b, _ in sel.BANDS],
                r.total,
                r.next_due_on.isoformat() if r.next_due_on else "",
            ]
            for r in context["rows"]
        ]
        return header, rows


class SubjectDeadlineListView(DashboardMixin, TemplateView):
    """Drill-down from a count to the records behind it, each linked to where it is kept."""

    template_name = "dashboards/subject_deadline_list.html"
    csv_tables = ("deadlines_without_a_case_list",)

    def get_context_data(self, **kwargs):
        today = local_today()
        params = self.request.GET
        kind, band = params.get("kind", ""), params.get("band", "")
        band = band if band in sel.BAND_LABELS else ""
        rows = sel.subject_deadlines_in_band(today=today, kind=kind, band=band)
        page, base_query = _page_of(rows, params)
        self._describe(page.object_list, today)
        return super().get_context_data(
            page=page,
            rows=rows,
            kind=kind,
            rule_title=timescales.RULES[kind].title if kind in timescales.RULES else "",
            band_label=sel.BAND_LABELS.get(band, "All"),
            base_query=base_query,
            today=today,
            **kwargs,
        )

    @staticmethod
    def _describe(deadlines, today: date) -> None:
        """What each subject is called and where it is kept: one call per subject type."""
        found = describe_subjects((d.subject_type, d.subject_id) for d in deadlines)
        for d in deadlines:
            info = found.get((d.subject_type, d.subject_id))
            registered = SUBJECT_TYPES.get(d.subject_type)
            d.subject_title = info.title if info else f"{d.subject_type} {d.subject_id}"
            d.subject_url = info.url if info else ""
            d.subject_label = registered.label if registered else d.subject_type
            d.days_late = max((today - d.due_on).days, 0)

    def csv_rows(self, table, context):
        today = context["today"]
        rows = list(context["rows"].order_by("due_on", "id"))
        self._describe(rows, today)
        header = ["Code", "Deadline", "About", "Record", "Due", "Days late", "Owners"]
        return header, [
            [
                d.kind,
                d.title,
                d.subject_label,
                d.subject_title,
                d.due_on.isoformat(),
                d.days_late,
                "; ".join(_owner_name(o) for o in d.owners.all()),
            ]
            for d in rows
        ]


def _page_of(rows, params) -> tuple:
    """A drill-down's page of rows, soonest due first, and its query string without the page
    (for the pagination links)."""
    page = Paginator(rows.order_by("due_on", "id"), PAGE_SIZE).get_page(params.get("page"))
    base_query = params.copy()
    base_query.pop("page", None)
    return page, base_query.urlencode()


def _owner_name(owner) -> str:
    return owner.user.display_name() if owner.user_id else owner.email
