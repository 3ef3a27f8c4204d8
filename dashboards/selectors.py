"""The dashboards' figures. Every function runs a fixed number of aggregate queries, whatever the
number of cases; none loops over cases in Python."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Case as Case_
from django.db.models import (
    Count,
    F,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)

from ehc import timescales
from ehc.models import Case, Deadline, SubjectDeadline, TimescaleException, User
from workflows.models import QueueEntry

# Bands for deadlines at risk, in calendar days from today.
BANDS = [
    ("overdue", "Overdue"),
    ("this_week", "Due this week"),
    ("two_weeks", "Due in two weeks"),
    ("on_track", "On track"),
]
BAND_LABELS = dict(BANDS)
# Kinds managers watch, in the order the process meets them; others are grouped under their code.
WATCHED_KINDS = ["A2", "A5", "A7", "A13", "A12", "R1"]
ONE_YEAR_DAYS = 364  # 52 weeks, the national return's "over 1 year"
TWENTY_WEEKS_DAYS = 140
WEEK_BUCKETS = [(0, 20), (21, 26), (27, 39), (40, 52), (53, None)]


@dataclass(frozen=True)
class DeadlineFilters:
    team_id: int | None = None
    caseworker_id: int | None = None
    stage: str = ""
    due_from: date | None = None
    due_to: date | None = None


def open_deadlines(filters: DeadlineFilters) -> QuerySet[Deadline]:
    """Open statutory deadlines (not family windows), narrowed by the manager's filters."""
    rows = Deadline.objects.filter(is_open=True, is_family_window=False)
    if filters.team_id:
        rows = rows.filter(case__team_id=filters.team_id)
    if filters.caseworker_id:
        rows = rows.filter(case__assigned_caseworker_id=filters.caseworker_id)
    if filters.stage:
        rows = rows.filter(case__stage=filters.stage)
    if filters.due_from:
        rows = rows.filter(due_on__gte=filters.due_from)
    if filters.due_to:
        rows = rows.filter(due_on__lte=filters.due_to)
    return rows


def band_expression(today: date) -> Case_:
    return Case_(
        When(due_on__lt=today, then=Value("overdue")),
        When(due_on__lte=today + timedelta(days=7), then=Value("this_week")),
        When(due_on__lte=today + timedelta(days=14), then=Value("two_weeks")),
        default=Value("on_track"),
    )


@dataclass
class RiskRow:
    kind: str
    title: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def deadlines_at_risk(*, filters: DeadlineFilters, today: date) -> list[RiskRow]:
    """Open deadlines by kind and band: one GROUP BY query."""
    grouped = (
        open_deadlines(filters)
        .annotate(band=band_expression(today))
        .values("kind", "band")
        .annotate(n=Count("id"))
    )
    table: dict[str, dict[str, int]] = {}
    for row in grouped:
        table.setdefault(row["kind"], {b: 0 for b, _ in BANDS})[row["band"]] = row["n"]
    order = {k: i for i, k in enumerate(WATCHED_KINDS)}
    return [
        RiskRow(kind=k, title=timescales.RULES[k].title, counts=table[k])
        for k in sorted(table, key=lambda k: (order.get(k, len(order)), k))
    ]


def deadlines_in_band(
    *, filters: DeadlineFilters, today: date, kind: str, band: str
) -> QuerySet[Deadline]:
    """The drill-down: each open deadline with its case, child and owner (joins, no N+1)."""
    rows = _in_band(open_deadlines(filters), today=today, kind=kind, band=band)
    return rows.select_related("case", "case__child", "case__assigned_caseworker", "case__team")


def _in_band(rows: QuerySet[Any], *, today: date, kind: str, band: str) -> QuerySet[Any]:
    """Deadline rows of one kind and one band of closeness (either left out: all)."""
    rows = rows.annotate(band=band_expression(today))
    if kind:
        rows = rows.filter(kind=kind)
    if band:
        rows = rows.filter(band=band)
    return rows


@dataclass
class SubjectRiskRow(RiskRow):
    """A kind of deadline without a case (the Local Offer's review, action and reg 56 clocks):
    its open rows by band, and the soonest open due date."""

    next_due_on: date | None = None


def subject_deadlines_at_risk(*, today: date) -> list[SubjectRiskRow]:
    """Open deadlines without a case, by kind and band: one GROUP BY query."""
    grouped = (
        SubjectDeadline.objects.filter(is_open=True)
        .annotate(band=band_expression(today))
        .values("kind", "band")
        .annotate(n=Count("id"), soonest=Min("due_on"))
    )
    table: dict[str, SubjectRiskRow] = {}
    for row in grouped:
        kind = row["kind"]
        rule = timescales.RULES.get(kind)
        entry = table.setdefault(
            kind,
            SubjectRiskRow(
                kind=kind, title=rule.title if rule else kind, counts={b: 0 for b, _ in BANDS}
            ),
        )
        entry.counts[row["band"]] = row["n"]
        if entry.next_due_on is None or row["soonest"] < entry.next_due_on:
            entry.next_due_on = row["soonest"]
    return [table[k] for k in sorted(table)]


def subject_deadlines_in_band(*, today: date, kind: str, band: str) -> QuerySet[SubjectDeadline]:
    """The drill-down: each open deadline without a case, with its owners (one more query)."""
    rows = _in_band(SubjectDeadline.objects.filter(is_open=True), today=today, kind=kind, band=band)
    return rows.prefetch_related("owners", "owners__user")


@dataclass
class Timeliness:
    label: str
    issued: int = 0
    within: int = 0
    issued_ex: int = 0
    within_ex: int = 0
    over_20_weeks_within_year: int = 0
    over_year: int = 0
    average_weeks: float | None = None

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def share_including_exceptions(self) -> float | None:
        return self._share(self.within, self.issued)

    @property
    def share_excluding_exceptions(self) -> float | None:
        return self._share(self.within_ex, self.issued_ex)


@dataclass(frozen=True)
class MetDay:
    """The clocks of one kind met on one day: every timeliness figure is a sum of these."""

    met_on: date
    issued: int
    within: int
    issued_ex: int
    within_ex: int
    late: int
    over_year: int
    days_sum: int
    days_counted: int
    buckets: tuple[int, ...]


def met_by_day(kind: str, start: date, end: date) -> list[MetDay]:
    """One row a day for the clocks of `kind` met from `start` to `end`: one pass over the
    covering index, grouped by day. The periods, months and week bands the timeliness page
    shows are then sums over a few hundred days in Python, so the page reads each clock's
    rows once rather than once for each table and chart."""
    excused = Q(status=Deadline.Status.DISAPPLIED)
    on_time = Q(met_on__lte=F("due_on"))
    buckets = {f"bucket_{i}": Count("id", filter=cond) for i, cond in enumerate(_bucket_filters())}
    rows = (
        Deadline.objects.filter(kind=kind, met_on__gte=start, met_on__lte=end)
        .values("met_on")
        .annotate(
            issued=Count("id"),
            within=Count("id", filter=on_time),
            issued_ex=Count("id", filter=~excused),
            within_ex=Count("id", filter=on_time & ~excused),
            late=Count("id", filter=~on_time),
            over_year=Count("id", filter=Q(days_taken__gt=ONE_YEAR_DAYS)),
            days_sum=Sum("days_taken"),
            days_counted=Count("days_taken"),
            **buckets,
        )
        .order_by("met_on")
    )
    return [_met_day(dict(row), list(buckets)) for row in rows]


def _met_day(row: dict[str, Any], bucket_names: list[str]) -> MetDay:
    return MetDay(
        met_on=row["met_on"],
        issued=row["issued"],
        within=row["within"],
        issued_ex=row["issued_ex"],
        within_ex=row["within_ex"],
        late=row["late"],
        over_year=row["over_year"],
        days_sum=row["days_sum"] or 0,
        days_counted=row["days_counted"],
        buckets=tuple(row[name] for name in bucket_names),
    )


def _bucket_filters() -> list[Q]:
    filters = []
    for low, high in WEEK_BUCKETS:
        cond = Q(days_taken__gt=(low - 1) * 7) if low else Q(days_taken__gte=0)
        if high is not None:
            cond &= Q(days_taken__lte=high * 7)
        filters.append(cond)
    return filters


def _between(days: list[MetDay], start: date, end: date) -> list[MetDay]:
    return [d for d in days if start <= d.met_on <= end]


def _timeliness_of(days: list[MetDay], label: str) -> Timeliness:
    def total(name: str) -> int:
        return sum(getattr(d, name) for d in days)

    counted = total("days_counted")
    return Timeliness(
        label=label,
        issued=total("issued"),
        within=total("within"),
        issued_ex=total("issued_ex"),
        within_ex=total("within_ex"),
        over_year=total("over_year"),
        over_20_weeks_within_year=total("late") - total("over_year"),
        average_weeks=round(total("days_sum") / counted / 7, 1) if counted else None,
    )


def timeliness(*, kind: str, start: date, end: date, label: str) -> Timeliness:
    """Met-in-period figures for one clock, as the national return counts them (spec §7):
    the share within the limit over all, and over those where no exception applied."""
    return _timeliness_of(met_by_day(kind, start, end), label)


def timeliness_span(*, year: int, today: date, months: int = 12) -> tuple[date, date]:
    """The days the timeliness page reads: the calendar year shown, the 12 months to today and
    the trend's months."""
    first = min(date(year, 1, 1), _trend_start(today, months), _rolling_start(today))
    return first, max(date(year, 12, 31), today)


def _rolling_start(today: date) -> date:
    return today - relativedelta(years=1) + timedelta(days=1)


def _trend_start(today: date, months: int) -> date:
    return today.replace(day=1) - relativedelta(months=months - 1)


def timeliness_periods(
    *, kind: str, year: int, today: date, days: list[MetDay] | None = None
) -> list[Timeliness]:
    """The calendar year asked for, and the 12 months to today, from one pass over the rows met
    in either (or from `days` already read: `met_by_day` over `timeliness_span`)."""
    periods = [
        (date(year, 1, 1), date(year, 12, 31), f"Calendar year {year}"),
        (_rolling_start(today), today, "Last 12 months"),
    ]
    if days is None:
        days = met_by_day(kind, min(p[0] for p in periods), max(p[1] for p in periods))
    return [_timeliness_of(_between(days, start, end), label) for start, end, label in periods]


@dataclass
class MonthPoint:
    month: date
    issued: int
    within_ex: int
    issued_ex: int

    @property
    def share(self) -> float | None:
        return round(100 * self.within_ex / self.issued_ex, 1) if self.issued_ex else None


def monthly_trend(
    *, kind: str, today: date, months: int = 12, days: list[MetDay] | None = None
) -> list[MonthPoint]:
    """Plans issued per month and the share within the limit excluding exceptions."""
    first = _trend_start(today, months)
    if days is None:
        days = met_by_day(kind, first, today)
    points = {
        first + relativedelta(months=i): MonthPoint(first + relativedelta(months=i), 0, 0, 0)
        for i in range(months)
    }
    for day in _between(days, first, today):
        point = points[day.met_on.replace(day=1)]
        point.issued += day.issued
        point.issued_ex += day.issued_ex
        point.within_ex += day.within_ex
    return list(points.values())


def weeks_to_issue_distribution(
    *, kind: str, start: date, end: date, days: list[MetDay] | None = None
) -> list[tuple[str, int]]:
    """How many plans took 0-20, 21-26, 27-39, 40-52 and over 52 weeks."""
    if days is None:
        days = met_by_day(kind, start, end)
    in_period = _between(days, start, end)
    labels = [
        f"{low}-{high} weeks" if high is not None else f"Over {low - 1} weeks"
        for low, high in WEEK_BUCKETS
    ]
    return [(label, sum(d.buckets[i] for d in in_period)) for i, label in enumerate(labels)]


@dataclass
class Workload:
    per_caseworker: list[dict[str, Any]] = field(default_factory=list)  # user, cases, tasks
    unassigned_tasks: int = 0
    unassigned_cases: int = 0
    advice_overdue: list[tuple[str, int]] = field(default_factory=list)
    exceptions_by_reason: list[tuple[str, str, int]] = field(default_factory=list)


def workload(*, today: date, team_id: int | None = None) -> Workload:
    """Open cases and tasks per caseworker, unassigned work, advice overdue by agency, and
    exceptions relied on in the last 12 months by reason: seven queries."""
    cases = Case.objects.filter(outcome=Case.Outcome.OPEN)
    if team_id:
        cases = cases.filter(team_id=team_id)
    case_counts = dict(
        cases.exclude(assigned_caseworker=None)
        .values_list("assigned_caseworker")
        .annotate(n=Count("id"))
    )
    # Open tasks through the work queue's entries (one per human task, kept in step with it by
    # workflows.queue), counted on the queue's own partial indexes: the figures match the queue.
    active = QueueEntry.objects.filter(is_open=True)
    if team_id:
        active = active.filter(case__in=cases.values("id"))
    task_counts = dict(
        active.exclude(owner=None).values_list("owner").annotate(n=Count("task_id")).order_by()
    )
    people = User.objects.filter(pk__in=set(case_counts) | set(task_counts)).order_by(
        "first_name", "last_name"
    )
    per_caseworker = [
        {"user": u, "cases": case_counts.get(u.pk, 0), "tasks": task_counts.get(u.pk, 0)}
        for u in people
    ]
    advice = (
        Deadline.objects.filter(kind="A5", is_open=True, due_on__lt=today)
        .filter(case__in=cases)
        .values_list("subject_key")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    recent = TimescaleException.objects.filter(starts_on__gte=today - relativedelta(years=1))
    if team_id:
        recent = recent.filter(deadline__case__team_id=team_id)
    exceptions = recent.values_list("code").annotate(n=Count("id")).order_by("-n")
    return Workload(
        per_caseworker=per_caseworker,
        unassigned_tasks=active.filter(owner=None).count(),
        unassigned_cases=cases.filter(assigned_caseworker=None).count(),
        advice_overdue=list(advice),
        exceptions_by_reason=[
            (code, timescales.EXCEPTION_CODES.get(code, code), n) for code, n in exceptions
        ],
    )


def first_plan_year(today: date) -> list[int]:
    """Years a manager can pick: the last five."""
    return list(range(today.year, today.year - 5, -1))
