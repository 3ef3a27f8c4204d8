"""Pre-submission checks: a registry of rules, each with an id, the years it applies to, a
message, a severity and how it finds the records it flags (with a link to fix each one).

Two kinds of rule: record rules look at one person of the return at a time and run together in
one streamed pass over `return_people`; query rules ask the database once (possible duplicates,
the dashboard's 20-week figures). A council adding the DfE's own rule ids for a year registers
more rules here, naming the years they apply to.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Count
from django.db.models.functions import Lower
from django.urls import reverse

from dashboards import selectors as dashboards
from ehc import timescales
from ehc.models import Case, Child
from sen2.collection import Collection
from sen2.selectors import PersonRecord, RequestRecord, return_people
from sen2.upn import upn_problem

ERROR = "error"
WARNING = "warning"
FLAGS_KEPT_PER_RULE = 500  # every flag is counted; the first ones are kept to list on the page


@dataclass(frozen=True)
class Flag:
    record: str  # what the flag is about, as a manager would name it
    detail: str
    fix_url: str


@dataclass(frozen=True)
class Rule:
    id: str
    message: str
    severity: str
    years: frozenset[int] | None  # None: every year
    person: Callable[[Collection, PersonRecord], Iterable[Flag]] | None = None
    query: Callable[[Collection, "CheckContext"], Iterable[Flag]] | None = None

    def applies_to(self, year: int) -> bool:
        return self.years is None or year in self.years


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str,
    message: str,
    *,
    severity: str = ERROR,
    years: Iterable[int] | None = None,
    kind: str = "person",
) -> Callable:
    """Register a check. `kind="person"` functions take (collection, person) and yield flags;
    `kind="query"` functions take (collection, context) and yield flags."""

    def register(fn: Callable) -> Callable:
        RULES[rule_id] = Rule(
            id=rule_id,
            message=message,
            severity=severity,
            years=frozenset(years) if years is not None else None,
            person=fn if kind == "person" else None,
            query=fn if kind == "query" else None,
        )
        return fn

    return register


@dataclass
class RuleResult:
    rule: Rule
    count: int = 0
    flags: list[Flag] = field(default_factory=list)


@dataclass
class CheckContext:
    """What the query rules may need from the pass over the people."""

    child_ids: set[int] = field(default_factory=set)
    plans_issued: int = 0
    plans_within: int = 0
    plans_issued_no_exception: int = 0
    plans_within_no_exception: int = 0
    issued_without_clock: list[RequestRecord] = field(default_factory=list)
    issued_without_clock_names: dict[int, str] = field(default_factory=dict)


@dataclass
class CheckReport:
    year: int
    results: list[RuleResult]

    @property
    def errors(self) -> int:
        return sum(r.count for r in self.results if r.rule.severity == ERROR)

    @property
    def warnings(self) -> int:
        return sum(r.count for r in self.results if r.rule.severity == WARNING)

    @property
    def flagged(self) -> list[RuleResult]:
        return [r for r in self.results if r.count]

    def result(self, rule_id: str) -> RuleResult:
        return next(r for r in self.results if r.rule.id == rule_id)


def _add(result: RuleResult, flags: Iterable[Flag]) -> None:
    for flag in flags:
        result.count += 1
        if len(result.flags) < FLAGS_KEPT_PER_RULE:
            result.flags.append(flag)


def run_checks(collection: Collection, people: Iterator[PersonRecord] | None = None) -> CheckReport:
    """Every rule for the year, over every person in its return."""
    rules = [r for r in RULES.values() if r.applies_to(collection.year)]
    results = {r.id: RuleResult(rule=r) for r in rules}
    if collection.problems:
        _add(results["Y01"], _year_flags(collection))
        return CheckReport(year=collection.year, results=list(results.values()))
    context = CheckContext()
    person_rules = [r for r in rules if r.person is not None]
    assert collection.period_start is not None and collection.period_end is not None
    for person in people if people is not None else return_people(collection):
        context.child_ids.add(person.child_id)
        _tally_timeliness(collection, person, context)
        for r in person_rules:
            assert r.person is not None
            _add(results[r.id], r.person(collection, person))
    for r in rules:
        if r.query is not None:
            _add(results[r.id], r.query(collection, context))
    return CheckReport(year=collection.year, results=list(results.values()))


def _tally_timeliness(collection: Collection, person: PersonRecord, ctx: CheckContext) -> None:
    """The return's own 20-week figures: plans issued in the period, from the return's dates."""
    assert collection.period_start is not None and collection.period_end is not None
    for r in person.requests:
        issued = r.assessment_outcome_date
        if r.assessment_outcome != "Y" or issued is None:
            continue
        if not collection.period_start <= issued <= collection.period_end:
            continue
        within = bool(r.issued_within_20_weeks)
        ctx.plans_issued += 1
        ctx.plans_within += within
        if not r.week20_exception:
            ctx.plans_issued_no_exception += 1
            ctx.plans_within_no_exception += within
        if not r.has_a13:
            ctx.issued_without_clock.append(r)
            ctx.issued_without_clock_names[r.case_id] = f"{person.forename} {person.surname}"


# Links to fix a record -----------------------------------------------------------------------


def person_url(child_id: int, case_id: int) -> str:
    return reverse("sen2:person", args=[case_id])


def case_url(case_id: int, anchor: str = "") -> str:
    return reverse("sen2:case", args=[case_id]) + (f"#{anchor}" if anchor else "")


def _person_name(p: PersonRecord) -> str:
    return f"{p.forename} {p.surname} (born {p.birth_date:%d %b %Y})"


def _request_name(p: PersonRecord, r: RequestRecord) -> str:
    return f"{r.reference}: {p.forename} {p.surname}"


def _first_case(p: PersonRecord) -> int:
    return p.requests[0].case_id


# The rules -----------------------------------------------------------------------------------


def _year_flags(collection: Collection) -> Iterator[Flag]:
    for problem in collection.problems:
        yield Flag(
            record=f"Collection {collection.year}",
            detail=problem,
            fix_url="",
        )


@rule("Y01", "The collection year has a census date configured", kind="query")
def year_configured(collection: Collection, ctx: CheckContext) -> Iterator[Flag]:
    yield from _year_flags(collection)  # only reached when configured: yields nothing


PERSON_ITEMS = {
    "Surname": "surname",
    "Forename": "forename",
    "PersonBirthDate": "birth_date",
    "Sex": "sex",
    "Ethnicity": "ethnicity",
    "Postcode": "postcode",
}


@rule("R01", "Every person has the items the year requires (Person module)")
def person_items(collection: Collection, p: PersonRecord) -> Iterator[Flag]:
    missing = [
        item
        for item in collection.required.get("Person", [])
        if item in PERSON_ITEMS and not getattr(p, PERSON_ITEMS[item])
    ]
    if missing:
        yield Flag(
            _person_name(p),
            "Missing: " + ", ".join(missing),
            person_url(p.child_id, _first_case(p)),
        )


@rule("R02", "Every person has a UPN, or the reason there is none (UPNunknown)")
def upn_or_reason(collection: Collection, p: PersonRecord) -> Iterator[Flag]:
    if not p.upn and not p.upn_unknown:
        yield Flag(
            _person_name(p),
            "No UPN and no UPNunknown reason",
            person_url(p.child_id, _first_case(p)),
        )


REQUEST_ITEMS = {"ReceivedDate": "received", "RequestSource": "request_source"}


@rule("R03", "Every request has the items the year requires (Requests module)")
def request_items(collection: Collection, p: PersonRecord) -> Iterator[Flag]:
    for r in p.requests:
        if r.route != "request":
            continue  # a transfer review is not a request: it has no source
        missing = [
            item
            for item in collection.required.get("Requests", [])
            if item in REQUEST_ITEMS and not getattr(r, REQUEST_ITEMS[item])
        ]
        if missing:
            yield Flag(
                _request_name(p, r),
                "Missing: " + ", ".join(missing),
                case_url(r.case_id, "request"),
            )


@rule("R04", "Every plan active on census day has its SEN needs and placements")
def active_plan_items(collection: Collection, p: PersonRecord) -> Iterator[Flag]:
    required = collection.required.get("ActivePlans", [])
    for r in p.requests:
        if not r.active_on_census:
            continue
        missing = []
        if "SENneed" in required and not r.needs:
            missing.append("SENneed")
        if "PlacementDetail" in required and not r.placements:
            missing.append("PlacementDetail")
        if missing:
            yield Flag(_request_name(p, r), "Missing: " + ", ".join(missing), case_url(r.case_id))


@rule("D01", "Dates are in order: received, request decision, assessment outcome, plan start")
def dates_in_order(collection: Collection, p: PersonRecord) -> Iterator[Flag]:
    for r in p.requests:
        steps = [
            ("received", r.received),
            ("request decision", r.request_outcome_date),
            ("assessment outcome", r.assessment_outcome_date),
            ("plan start", r.plan_start),
        ]
        dated = [(name, day) for name, day in steps if day is not None]
        for (a, a_day), (b, b_day) in zip(dated, dated[1:], strict=False):
            if b_day < a_day:
                yield Flag(
                    _request_name(p, r),
                    f"The {b} ({b_day:%d %b %Y}) is before the {a} ({a_day:%d %b %Y})",
                    case_url(r.case_id),
                )
                break


@rule("D02", "A review decision is not before its review meeting")
def review_dates_in_order(collection: Collection, p: PersonRecord) -> Iterator[Flag]:
    for r in p.requests:
        if r.review_decided and r.review_meeting and r.review_decided < r.review_meeting:
            yield Flag(
                _request_name(p, r),
                f"Review decision {r.review_decided:%d %b %Y} is before the meeting "
                f"{r.review_meeting:%d %b %Y}",
                case_url(r.case_id, "plan"),
            )
        if r.review_meeting and r.plan_start and r.review_meeting < r.plan_start:
            yield Flag(
                _request_name(p, r),
                f"Review meeting {r.review_meeting:%d %b %Y} is before the plan started",
                case_url(r.case_id, "plan"),
            )


@rule(
    "D03",
    "A review decision is made within 4 weeks of the review meeting",
    severity=WARNING,
)
def review_decision_late(collection: Collection, p: PersonRecord) -> Iterator[Flag]:
    for r in p.requests:
        if r.review_meeting and r.review_decided:
            due = timescales.review_decision_due(r.review_meeting)
            if r.review_decided > due:
                yield Flag(
                    _request_name(p, r),
                    f"Decided {r.review_decided:%d %b %Y}, due by {due:%d %b %Y}",
                    case_url(r.case_id, "plan"),
                )
        elif r.review_meeting and not r.review_decided:
            due = timescales.review_decision_due(r.review_meeting)
            if due < collection.require_census():
                yield Flag(
                    _request_name(p, r),
                    f"Review meeting with no decision recorded; it was due by {due:%d %b %Y}",
                    case_url(r.case_id, "plan"),
                )


@rule(
    "D04",
    "A phase transfer's amended plan is issued by its transfer date",
    severity=WARNING,
)
def phase_transfer_late(collection: Collection, p: PersonRecord) -> Iterator[Flag]:
    census = collection.require_census()
    for r in p.requests:
        due, final = r.phase_transfer_due, r.phase_transfer_final
        if due is None or not r.active_on_census:
            continue
        if final is not None and final > due:
            yield Flag(
                _request_name(p, r),
                f"Amended plan issued {final:%d %b %Y}, due by {due:%d %b %Y}",
                case_url(r.case_id, "plan"),
            )
        elif final is None and due < census:
            yield Flag(
                _request_name(p, r),
                f"No amended plan recorded for the phase transfer due by {due:%d %b %Y}",
                case_url(r.case_id, "plan"),
            )


@rule("T02", "A plan passed from another council names that council's 3-digit code (TransferLA)")
def transfer_la_code(collection: Collection, p: PersonRecord) -> Iterator[Flag]:
    for r in p.requests:
        if not r.active_on_census:
            continue
        if r.transfer_la and not (len(r.transfer_la) == 3 and r.transfer_la.isdigit()):
            yield Flag(
                _request_name(p, r),
                f'TransferLA "{r.transfer_la}" is not a 3-digit council code',
                case_url(r.case_id, "plan"),
            )
        elif r.moved_in_from and not r.transfer_la:
            yield Flag(
                _request_name(p, r),
                f"Passed from {r.moved_in_from}: enter that council's 3-digit code",
                case_url(r.case_id, "plan"),
            )


def _age_on(birth: date, day: date) -> int:
    return relativedelta(day, birth).years


@rule("A01", "The person was aged 0 to 25 on the day the request was received")
def age_on_request(collection: Collection, p: PersonRecord) -> Iterator[Flag]:
    for r in p.requests:
        if r.received < p.birth_date:
            yield Flag(
                _request_name(p, r),
                "Received before the date of birth",
                person_url(p.child_id, r.case_id),
            )
        elif _age_on(p.birth_date, r.received) >= 26:
            yield Flag(
                _request_name(p, r),
                f"Aged {_age_on(p.birth_date, r.received)} when the request was received",
                person_url(p.child_id, r.case_id),
            )


@rule("N01", "Every plan active on census day has exactly one primary need (SENtypeRank 1)")
def one_primary_need(collection: Collection, p: PersonRecord) -> Iterator[Flag]:
    for r in p.requests:
        if not r.active_on_census or not r.needs:
            continue  # no needs at all is R04
        primaries = sum(1 for n in r.needs if n.rank == 1)
        ranks = [n.rank for n in r.needs]
        if primaries != 1:
            yield Flag(
                _request_name(p, r), f"{primaries} needs ranked 1", case_url(r.case_id, "needs")
            )
        elif len(set(ranks)) != len(ranks):
            yield Flag(_request_name(p, r), "Two needs share a rank", case_url(r.case_id, "needs"))


@rule("P01", "Every placement has a URN or UKPRN, or a SENsetting code")
def placement_identified(collection: Collection, p: PersonRecord) -> Iterator[Flag]:
    for r in p.requests:
        for pl in r.placements:
            if not (pl.urn or pl.ukprn or pl.sen_setting):
                yield Flag(
                    _request_name(p, r),
                    f"Placement ranked {pl.rank} has no URN, UKPRN or SENsetting",
                    reverse("sen2:placement_edit", args=[r.case_id, pl.id]),
                )


@rule("P02", "A plan's placements of the same rank do not overlap in time")
def placements_overlap(collection: Collection, p: PersonRecord) -> Iterator[Flag]:
    for r in p.requests:
        by_rank: dict[int, list] = defaultdict(list)
        for pl in r.placements:
            by_rank[pl.rank].append(pl)
        for rank, rows in by_rank.items():
            rows.sort(key=lambda x: x.entry_date or date.min)
            for a, b in zip(rows, rows[1:], strict=False):
                a_end = a.leaving_date or date.max
                b_start = b.entry_date or date.min
                if b_start <= a_end:
                    yield Flag(
                        _request_name(p, r),
                        f"Two placements ranked {rank} overlap from {b_start:%d %b %Y}"
                        if b.entry_date
                        else f"Two placements ranked {rank} overlap",
                        reverse("sen2:placement_edit", args=[r.case_id, b.id]),
                    )


@rule("C01", "A ceased plan has a cease reason; a plan still in force has none")
def cease_reason(collection: Collection, p: PersonRecord) -> Iterator[Flag]:
    for r in p.requests:
        if not r.has_plan:
            continue
        if r.cease_date and not r.cease_reason:
            yield Flag(
                _request_name(p, r),
                f"Ceased {r.cease_date:%d %b %Y} with no reason",
                case_url(r.case_id, "plan"),
            )
        if not r.cease_date and r.cease_reason:
            yield Flag(
                _request_name(p, r),
                f"Cease reason {r.cease_reason} on a plan with no cease date",
                case_url(r.case_id, "plan"),
            )


def _unknown(collection: Collection, code_list: str, value: str) -> bool:
    return bool(value) and value not in collection.codes.get(code_list, {})


@rule("U01", "Every code is on the year's code list")
def known_codes(collection: Collection, p: PersonRecord) -> Iterator[Flag]:
    first = _first_case(p)
    for code_list, value in (
        ("Sex", p.sex),
        ("Ethnicity", p.ethnicity),
        ("UPNunknown", p.upn_unknown),
    ):
        if _unknown(collection, code_list, value):
            yield Flag(
                _person_name(p),
                f"{code_list} {value!r} is not a {collection.year} code",
                person_url(p.child_id, first),
            )
    for r in p.requests:
        checks = [
            ("RequestSource", r.request_source, "request"),
            ("CeaseReason", r.cease_reason, "plan"),
        ]
        checks += [("SENtype", n.sen_type, "needs") for n in r.needs]
        checks += [("SENsetting", pl.sen_setting, "placements") for pl in r.placements]
        for code_list, value, anchor in checks:
            if _unknown(collection, code_list, value):
                yield Flag(
                    _request_name(p, r),
                    f"{code_list} {value!r} is not a {collection.year} code",
                    case_url(r.case_id, anchor),
                )


@rule("U02", "Every UPN passes the DfE check-letter test")
def upn_check_letter(collection: Collection, p: PersonRecord) -> Iterator[Flag]:
    if p.upn:
        problem = upn_problem(p.upn)
        if problem:
            yield Flag(
                _person_name(p), f"UPN {p.upn} {problem}", person_url(p.child_id, _first_case(p))
            )


@rule(
    "M01",
    "Possible duplicate people: the same name and date of birth on more than one record",
    severity=WARNING,
    kind="query",
)
def possible_duplicates(collection: Collection, ctx: CheckContext) -> Iterator[Flag]:
    if not ctx.child_ids:
        return
    groups = (
        Child.objects.annotate(first=Lower("first_name"), last=Lower("last_name"))
        .values("first", "last", "date_of_birth")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    keys = {(g["first"], g["last"], g["date_of_birth"]) for g in groups}
    if not keys:
        return
    rows = (
        Child.objects.annotate(first=Lower("first_name"), last=Lower("last_name"))
        .filter(date_of_birth__in={k[2] for k in keys})
        .values_list("pk", "first_name", "last_name", "date_of_birth", "first", "last")
        .order_by("last_name", "first_name", "date_of_birth", "pk")
    )
    seen: dict[tuple, list] = defaultdict(list)
    for pk, first, last, dob, lfirst, llast in rows:
        if (lfirst, llast, dob) in keys:
            seen[(lfirst, llast, dob)].append((pk, first, last, dob))
    flagged = []
    for members in seen.values():
        in_return = [m for m in members if m[0] in ctx.child_ids]
        if in_return:
            flagged.append((in_return[0], len(members)))
    case_of = _a_case_each([person[0] for person, _n in flagged])
    for (pk, first, last, dob), count in flagged:
        case_id = case_of.get(pk)
        yield Flag(
            f"{first} {last} (born {dob:%d %b %Y})",
            f"{count} records share this name and date of birth",
            reverse("ehc:case_detail", args=[case_id]) if case_id else "",
        )


def _a_case_each(child_ids: list[int]) -> dict[int, int]:
    """A case of each child (its first), in one query: the link a duplicate flag opens."""
    first: dict[int, int] = {}
    rows = Case.objects.filter(child_id__in=child_ids).order_by("child_id", "pk")
    for child_id, case_id in rows.values_list("child_id", "pk"):
        first.setdefault(child_id, case_id)
    return first


@rule(
    "T01",
    "The return's 20-week figures agree with the timeliness dashboard for the same year",
    kind="query",
)
def twenty_weeks_agree(collection: Collection, ctx: CheckContext) -> Iterator[Flag]:
    assert collection.period_start is not None and collection.period_end is not None
    board = dashboards.timeliness(
        kind="A13",
        start=collection.period_start,
        end=collection.period_end,
        label=f"Calendar year {collection.period_start.year}",
    )
    ours = {
        "plans issued": ctx.plans_issued,
        "issued within 20 weeks": ctx.plans_within,
        "issued with no exception": ctx.plans_issued_no_exception,
        "within 20 weeks with no exception": ctx.plans_within_no_exception,
    }
    theirs = {
        "plans issued": board.issued,
        "issued within 20 weeks": board.within,
        "issued with no exception": board.issued_ex,
        "within 20 weeks with no exception": board.within_ex,
    }
    dashboard_url = reverse("dashboards:timeliness") + f"?year={collection.period_start.year}"
    for name, value in ours.items():
        if value != theirs[name]:
            yield Flag(
                f"Collection {collection.year}",
                f"The return counts {value} {name}; the timeliness dashboard counts {theirs[name]}",
                dashboard_url,
            )
    for r in ctx.issued_without_clock:
        yield Flag(
            f"{r.reference}: {ctx.issued_without_clock_names[r.case_id]}",
            "A final plan was issued but the case has no 20-week deadline (A13)",
            reverse("ehc:case_detail", args=[r.case_id]),
        )
