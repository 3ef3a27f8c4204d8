"""The return's records, read from the case records: who is in the return for a collection year
and every item of every module, derived once here for the export, the summary and the checks.

`return_people` streams: the cases in scope and each kind of related row are read by one ordered
query each (a fixed number of queries whatever the size, each fetched in chunks), merged by case
in Python, and yielded a person at a time, so memory stays flat.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from django.db.models import Exists, OuterRef, Q, QuerySet

from ehc import deadline_rules as dr
from ehc import timescales
from ehc.models import Case, CaseEvent, Deadline, Setting
from sen2 import sources
from sen2.collection import Collection
from sen2.models import NeedType, Placement

CHUNK = 2000
DECISION_KINDS = (dr.DECIDED_TO_ASSESS, dr.DECIDED_NOT_TO_ASSESS)
ASSESSMENT_KINDS = (dr.FINAL_PLAN_ISSUED, dr.DECIDED_NOT_TO_ISSUE)
EVENT_KINDS = (*DECISION_KINDS, *ASSESSMENT_KINDS, dr.WITHDRAWN, dr.MOVED_LA)


@dataclass
class PlacementRow:
    id: int
    urn: str
    ukprn: str
    phase: str
    sen_setting: str
    sen_setting_other: str
    rank: int
    entry_date: date | None
    leaving_date: date | None
    sen_unit: bool
    resourced_provision: bool
    residential: bool
    work_based: bool

    def current_on(self, day: date) -> bool:
        return (self.entry_date is None or self.entry_date <= day) and (
            self.leaving_date is None or self.leaving_date >= day
        )


@dataclass
class Need:
    id: int
    sen_type: str
    rank: int


@dataclass
class RequestRecord:
    """One request (a case) and what hangs from it: modules 2 to 5."""

    case_id: int
    reference: str
    route: str
    received: date
    request_source: str = ""
    rya: bool = False
    request_mediation: bool = False
    request_tribunal: bool = False
    assessment_mediation: bool = False
    assessment_tribunal: bool = False
    other_mediation: bool = False
    other_tribunal: bool = False
    request_outcome: str = "P"
    request_outcome_date: date | None = None
    exported: bool = False
    assessment_outcome: str | None = None  # None: no assessment
    assessment_outcome_date: date | None = None
    week20_exception: bool = False
    has_a13: bool = False
    plan_start: date | None = None
    plan_flags: dict[str, bool] = field(default_factory=dict)
    cease_date: date | None = None
    cease_reason: str = ""
    review_meeting: date | None = None
    review_decided: date | None = None
    review_outcome: str = ""
    review_draft: date | None = None
    phase_transfer_due: date | None = None
    phase_transfer_final: date | None = None
    transfer_la: str = ""
    moved_in_from: str = ""
    active_on_census: bool = False
    placements: list[PlacementRow] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)

    @property
    def has_plan(self) -> bool:
        return self.plan_start is not None

    @property
    def issued_within_20_weeks(self) -> bool | None:
        """SEN2's own definition: the final plan issued within 20 weeks of the request."""
        if self.plan_start is None:
            return None
        return timescales.issued_within_20_weeks(self.received, self.plan_start)


@dataclass
class PersonRecord:
    child_id: int
    surname: str
    forename: str
    birth_date: date
    upn: str
    sex: str = ""
    ethnicity: str = ""
    postcode: str = ""
    uln: str = ""
    upn_unknown: str = ""
    requests: list[RequestRecord] = field(default_factory=list)


def _period(collection: Collection) -> tuple[date, date, date]:
    census = collection.require_census()
    assert collection.period_start is not None and collection.period_end is not None
    return collection.period_start, collection.period_end, census


def cases_in_return(collection: Collection) -> QuerySet[Case]:
    """Requests received in the period, requests or assessments decided in it, and plans that
    started by census day and had not ceased before the period began (active on census day, or
    ceased in the period)."""
    start, end, census = _period(collection)
    decided_in_period = CaseEvent.objects.filter(
        case=OuterRef("pk"),
        kind__in=DECISION_KINDS + ASSESSMENT_KINDS,
        occurred_on__gte=start,
        occurred_on__lte=end,
    )
    plan_by_census = CaseEvent.objects.filter(
        case=OuterRef("pk"), kind=dr.FINAL_PLAN_ISSUED, occurred_on__lte=census
    )
    not_ceased_before = (
        Q(sen2_plan__isnull=True)
        | Q(sen2_plan__cease_date__isnull=True)
        | Q(sen2_plan__cease_date__gte=start)
    )
    return Case.objects.filter(
        Q(clock_starts_on__gte=start, clock_starts_on__lte=end)
        | Exists(decided_in_period)
        | (Exists(plan_by_census) & not_ceased_before)
    )


class _Side:
    """One ordered side stream, read forward as the cases go by (a merge join on case id)."""

    def __init__(self, rows: Iterable[tuple]):
        self._rows = iter(rows)
        self._next: tuple | None = next(self._rows, None)

    def take(self, child_id: int, case_id: int) -> list[tuple]:
        taken = []
        while self._next is not None and (self._next[0], self._next[1]) < (child_id, case_id):
            self._next = next(self._rows, None)  # a row for a case not in scope: skip
        while self._next is not None and (self._next[0], self._next[1]) == (child_id, case_id):
            taken.append(self._next)
            self._next = next(self._rows, None)
        return taken


def _side(
    queryset: QuerySet, *fields: str, case: str = "case", then: tuple[str, ...] = ()
) -> _Side:
    """Rows as (child id, case id, *fields), ordered by child, case and then `then`; `case` is
    the path from the rows to their case."""
    order = then or (("rank",) if "rank" in fields else ())
    return _Side(
        queryset.order_by(f"{case}__child_id", f"{case}__id", *order)
        .values_list(f"{case}__child_id", f"{case}__id", *fields)
        .iterator(chunk_size=CHUNK)
    )


def _source_side(source: sources.SideSource) -> _Side:
    queryset, case, fields, then = source
    return _side(queryset, *fields, case=case, then=then)


def return_people(collection: Collection) -> Iterator[PersonRecord]:
    """Every person in the year's return with their requests, in child id order."""
    start, end, census = _period(collection)
    scope = cases_in_return(collection)
    scope_ids = scope.values("pk")
    cases = (
        scope.select_related("child", "child__sen2_profile", "sen2_request", "sen2_plan")
        .order_by("child_id", "id")
        .iterator(chunk_size=CHUNK)
    )
    events = _side(
        CaseEvent.objects.filter(
            case__in=scope_ids, kind__in=EVENT_KINDS, occurred_on__lte=census
        ).order_by(),
        "kind",
        "occurred_on",
    )
    a13 = _side(Deadline.objects.filter(case__in=scope_ids, kind="A13"), "status")
    placements = _side(
        Placement.objects.filter(case__in=scope_ids).select_related(None),
        "id",
        "setting__urn",
        "setting__ukprn",
        "setting__phase",
        "sen_setting",
        "sen_setting_other",
        "rank",
        "entry_date",
        "leaving_date",
        "sen_unit",
        "resourced_provision",
        "residential",
        "work_based",
    )
    needs = _side(NeedType.objects.filter(case__in=scope_ids), "id", "sen_type", "rank")
    plans = _source_side(sources.plan_rows(scope_ids))
    reviews = _source_side(sources.review_rows(scope_ids, census))
    transfers = _source_side(sources.phase_transfer_rows(scope_ids, census))
    moves_in = _source_side(sources.moved_in_rows(scope_ids, census))
    disagreements = _source_side(sources.disagreement_rows(scope_ids))
    for child_id, child_cases in groupby(cases, key=lambda c: c.child_id):
        person: PersonRecord | None = None
        for case in child_cases:
            if person is None:
                person = _person(case)
            record = _request(case, census)
            for name, value in sources.disagreement_flags(
                disagreements.take(child_id, case.pk), census
            ).items():
                setattr(record, name, getattr(record, name) or value)
            _apply_plan_facts(
                record,
                sources.plan_facts(
                    getattr(case, "sen2_plan", None),
                    plans.take(child_id, case.pk),
                    reviews.take(child_id, case.pk),
                    transfers.take(child_id, case.pk),
                    moves_in.take(child_id, case.pk),
                    census,
                ),
            )
            _apply_events(record, events.take(child_id, case.pk))
            a13_rows = a13.take(child_id, case.pk)
            record.has_a13 = bool(a13_rows)
            record.week20_exception = any(row[2] == Deadline.Status.DISAPPLIED for row in a13_rows)
            record.placements = [_placement(row) for row in placements.take(child_id, case.pk)]
            record.needs = [Need(*row[2:]) for row in needs.take(child_id, case.pk)]
            record.active_on_census = record.plan_start is not None and (
                record.plan_start <= census
                and (record.cease_date is None or record.cease_date > census)
            )
            person.requests.append(record)
        if person is not None:
            yield person


def _placement(row: tuple) -> PlacementRow:
    (pk, urn, ukprn, phase, code, other, rank, entry, leaving, unit, resourced, res, wbp) = row[2:]
    return PlacementRow(
        pk,
        urn or "",
        ukprn or "",
        phase or "",
        code,
        other,
        rank,
        entry,
        leaving,
        unit,
        resourced,
        res,
        wbp,
    )


def _person(case: Case) -> PersonRecord:
    child = case.child
    person = PersonRecord(
        child_id=child.pk,
        surname=child.last_name,
        forename=child.first_name,
        birth_date=child.date_of_birth,
        upn=child.upn,
    )
    profile = getattr(child, "sen2_profile", None)
    if profile is not None:
        person.sex = profile.sex
        person.ethnicity = profile.ethnicity
        person.postcode = profile.postcode
        person.uln = profile.uln
        person.upn_unknown = profile.upn_unknown
    return person


def _request(case: Case, census: date) -> RequestRecord:
    record = RequestRecord(
        case_id=case.pk,
        reference=case.reference,
        route=case.route,
        received=case.clock_starts_on,
        exported=case.outcome == Case.Outcome.MOVED_LA,
    )
    detail = getattr(case, "sen2_request", None)
    if detail is not None:
        record.request_source = detail.request_source
        record.rya = detail.rya
        record.request_mediation = detail.request_mediation
        record.request_tribunal = detail.request_tribunal
        record.assessment_mediation = detail.assessment_mediation
        record.assessment_tribunal = detail.assessment_tribunal
        record.other_mediation = detail.other_mediation
        record.other_tribunal = detail.other_tribunal
    plan = getattr(case, "sen2_plan", None)
    if plan is not None:
        record.plan_flags = {
            "PlanRes": plan.residential,
            "PlanWBP": plan.work_based,
            "PB": plan.personal_budget,
            "OA": plan.organised_arrangements,
            "DP": plan.direct_payments,
        }
    return record


def _apply_plan_facts(record: RequestRecord, facts: sources.PlanFacts) -> None:
    """The record's plan items are PlanFacts' fields, by the same names."""
    for name, value in vars(facts).items():
        setattr(record, name, value)


def _apply_events(record: RequestRecord, rows: list[tuple]) -> None:
    """The request's and the assessment's outcomes from the case's dated events."""
    first: dict[str, date] = {}
    for _child, _case, kind, on in rows:
        if kind not in first or on < first[kind]:
            first[kind] = on
    record.plan_start = first.get(dr.FINAL_PLAN_ISSUED)
    closed_kind, closed_on = None, None
    for kind in (dr.WITHDRAWN, dr.MOVED_LA):
        if kind in first and (closed_on is None or first[kind] < closed_on):
            closed_kind, closed_on = kind, first[kind]
    closed_code = {dr.WITHDRAWN: "W", dr.MOVED_LA: "E"}.get(closed_kind or "", "")
    if dr.DECIDED_NOT_TO_ASSESS in first:
        record.request_outcome, record.request_outcome_date = "N", first[dr.DECIDED_NOT_TO_ASSESS]
        return
    if dr.DECIDED_TO_ASSESS not in first:
        if closed_on is not None:
            record.request_outcome, record.request_outcome_date = closed_code, closed_on
        return
    record.request_outcome, record.request_outcome_date = "A", first[dr.DECIDED_TO_ASSESS]
    if dr.FINAL_PLAN_ISSUED in first:
        record.assessment_outcome = "Y"
        record.assessment_outcome_date = first[dr.FINAL_PLAN_ISSUED]
    elif dr.DECIDED_NOT_TO_ISSUE in first:
        record.assessment_outcome = "N"
        record.assessment_outcome_date = first[dr.DECIDED_NOT_TO_ISSUE]
    elif closed_on is not None:
        record.assessment_outcome, record.assessment_outcome_date = closed_code, closed_on
    else:
        record.assessment_outcome = "P"


@dataclass
class Summary:
    """The return's headline figures, counted from the same records the export writes."""

    year: int
    people: int = 0
    requests_in_return: int = 0
    requests_received: int = 0
    request_outcomes: dict[str, int] = field(default_factory=dict)
    assessments_in_return: int = 0
    assessments_completed: int = 0
    assessment_outcomes: dict[str, int] = field(default_factory=dict)
    plans_issued: int = 0
    plans_within: int = 0
    plans_issued_no_exception: int = 0
    plans_within_no_exception: int = 0
    named_plans: int = 0
    active_plans: int = 0
    active_by_need: dict[str, int] = field(default_factory=dict)
    active_by_setting: dict[str, int] = field(default_factory=dict)
    ceased_by_reason: dict[str, int] = field(default_factory=dict)

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def share_within(self) -> float | None:
        return self._share(self.plans_within, self.plans_issued)

    @property
    def share_within_no_exception(self) -> float | None:
        return self._share(self.plans_within_no_exception, self.plans_issued_no_exception)


def _bump(counts: dict[str, int], key: str) -> None:
    counts[key] = counts.get(key, 0) + 1


def setting_type(collection: Collection, placement: PlacementRow | None) -> str:
    """How the summary groups an active plan's main placement."""
    if placement is None:
        return "No placement recorded"
    if placement.urn or placement.ukprn:
        phase = dict(Setting.Phase.choices).get(placement.phase, "")
        kind = "School (URN)" if placement.urn else "Provider (UKPRN)"
        return f"{kind}: {phase}" if phase else kind
    if placement.sen_setting:
        return (
            f"{placement.sen_setting}: {collection.code_label('SENsetting', placement.sen_setting)}"
        )
    return "Placement not identified"


def main_placement(record: RequestRecord, day: date) -> PlacementRow | None:
    current = [p for p in record.placements if p.current_on(day)]
    return min(current, key=lambda p: p.rank) if current else None


def return_summary(collection: Collection, people: Iterable[PersonRecord] | None = None) -> Summary:
    """One pass over the year's people: the figures the manager's page shows."""
    summary = Summary(year=collection.year)
    for person in people if people is not None else return_people(collection):
        summary_add(summary, collection, person)
    return summary


def counted(
    summary: Summary, collection: Collection, people: Iterable[PersonRecord]
) -> Iterator[PersonRecord]:
    """Pass people through, adding each to `summary`: the checks and the summary in one pass."""
    for person in people:
        summary_add(summary, collection, person)
        yield person


def summary_add(summary: Summary, collection: Collection, person: PersonRecord) -> None:
    start, end, census = _period(collection)
    summary.people += 1
    for r in person.requests:
        summary.requests_in_return += 1
        if start <= r.received <= end:
            summary.requests_received += 1
            _bump(summary.request_outcomes, r.request_outcome)
        if r.assessment_outcome is not None:
            summary.assessments_in_return += 1
            done = r.assessment_outcome_date
            if done is not None and start <= done <= end:
                summary.assessments_completed += 1
                _bump(summary.assessment_outcomes, r.assessment_outcome)
                if r.assessment_outcome == "Y":
                    within = bool(r.issued_within_20_weeks)
                    summary.plans_issued += 1
                    summary.plans_within += within
                    if not r.week20_exception:
                        summary.plans_issued_no_exception += 1
                        summary.plans_within_no_exception += within
        if r.has_plan:
            summary.named_plans += 1
        if r.active_on_census:
            summary.active_plans += 1
            primary = next((n.sen_type for n in r.needs if n.rank == 1), "")
            _bump(summary.active_by_need, primary or "None recorded")
            _bump(summary.active_by_setting, setting_type(collection, main_placement(r, census)))
        if r.cease_date is not None and start <= r.cease_date <= end:
            _bump(summary.ceased_by_reason, r.cease_reason or "None recorded")
