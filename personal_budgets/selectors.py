"""Reads for personal budgets: the budget page, the panels on the case pages, the family's view
and the figures (budgets in place by mechanism and domain, and by kind as the national return
groups them). Each is a fixed number of queries, whatever the number of budgets."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case as Case_
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from viewflow.workflow.models import Task

from ehc.models import Case, Contact, Deadline, EHCPlan
from ehc.selectors import DeadlineBadge, deadline_badge
from personal_budgets import rendering, services
from personal_budgets.flow_refs import PERSONAL_BUDGET_FLOW, PREPARE_BUDGET
from personal_budgets.models import (
    BudgetComponent,
    BudgetNotice,
    DirectPaymentDecision,
    Domain,
    Mechanism,
    PersonalBudget,
)
from workflows.selectors import ACTIVE

Status = PersonalBudget.Status
PENCE = Decimal("0.01")


def budgets_for_case(case: Case) -> QuerySet[PersonalBudget]:
    return (
        PersonalBudget.objects.filter(case=case)
        .select_related("case", "case__child", "recorded_by")
        .prefetch_related(
            Prefetch(
                "components",
                queryset=BudgetComponent.objects.select_related("setting").order_by("domain", "id"),
            ),
            Prefetch("notices", queryset=BudgetNotice.objects.order_by("sent_on", "id")),
        )
        .order_by("-requested_on", "-id")
    )


def prepare_task(budget: PersonalBudget) -> Task | None:
    """The open 'prepare the budget' task for this request, if there is one."""
    return (
        Task.objects.filter(
            process__flow_class=PERSONAL_BUDGET_FLOW,
            process__seed_object_id=budget.pk,
            flow_task=PREPARE_BUDGET,
            status__in=ACTIVE,
        )
        .select_related("owner")
        .first()
    )


@dataclass
class DomainTotal:
    label: str
    amount: Decimal
    components: list[BudgetComponent]


@dataclass
class BudgetPage:
    budget: PersonalBudget
    components: list[BudgetComponent]
    dp_components: list[BudgetComponent]
    by_domain: list[DomainTotal]
    total: Decimal
    decisions: list[DirectPaymentDecision]
    reviews: list
    notices: list[BudgetNotice]
    first_review: Deadline | None
    first_review_badge: DeadlineBadge | None
    refusal_in_force: DirectPaymentDecision | None
    section_j: str
    plan: EHCPlan | None
    task: Task | None
    next_plan_review: Deadline | None

    @property
    def in_payment(self) -> bool:
        return (
            self.budget.status == Status.AGREED
            and bool(self.dp_components)
            and self.budget.dp_stopped_on is None
        )

    @property
    def plan_is_final(self) -> bool:
        return self.plan is not None and self.plan.status == EHCPlan.Status.FINAL

    @property
    def section_j_matches_plan(self) -> bool:
        return self.plan is not None and self.plan.section_j == self.section_j


def _by_domain(components: list[BudgetComponent]) -> list[DomainTotal]:
    rows = []
    for domain in Domain:
        parts = [c for c in components if c.domain == domain]
        if parts:
            rows.append(DomainTotal(domain.label, rendering.total(parts), parts))
    return rows


def budget_page(budget: PersonalBudget, today: date) -> BudgetPage:
    budget = budgets_for_case(budget.case).prefetch_related("dp_reviews").get(pk=budget.pk)
    components = list(budget.components.all())
    decisions = list(budget.dp_decisions.select_related("component", "decided_by"))
    first_review = services.pb13_deadline(budget)
    refusal = next(
        (
            d
            for d in reversed(decisions)
            if d.kind == DirectPaymentDecision.Kind.REFUSED
            and d.reconsideration_outcome != DirectPaymentDecision.Outcome.CHANGED
        ),
        None,
    )
    return BudgetPage(
        budget=budget,
        components=components,
        dp_components=[c for c in components if c.is_direct_payment],
        by_domain=_by_domain(components),
        total=rendering.total(components),
        decisions=decisions,
        reviews=list(budget.dp_reviews.all()),
        notices=list(budget.notices.all()),
        first_review=first_review,
        first_review_badge=deadline_badge(first_review, today) if first_review else None,
        refusal_in_force=refusal,
        section_j=services.section_j_text(budget) if budget.status != Status.REQUESTED else "",
        plan=EHCPlan.objects.filter(case=budget.case).first(),
        task=prepare_task(budget),
        next_plan_review=budget.case.deadlines.filter(kind="R1", is_open=True)
        .order_by("due_on")
        .first(),
    )


# -- the panels on the case pages ------------------------------------------------------------


@dataclass
class BudgetSummary:
    budget: PersonalBudget
    total: Decimal
    mechanisms: list[str]
    by_domain: list[DomainTotal] = field(default_factory=list)


def _summaries(budgets: list[PersonalBudget]) -> list[BudgetSummary]:
    rows = []
    for budget in budgets:
        components = list(budget.components.all())
        mechanisms = sorted(
            {rendering.MECHANISM_SHORT[c.mechanism] for c in components},
            key=list(rendering.MECHANISM_SHORT.values()).index,
        )
        rows.append(
            BudgetSummary(budget, rendering.total(components), mechanisms, _by_domain(components))
        )
    return rows


@dataclass
class StaffPanel:
    case: Case
    budgets: list[BudgetSummary]
    can_record: bool


def staff_panel(case: Case) -> StaffPanel:
    budgets = list(budgets_for_case(case))
    can_record = case.outcome in (Case.Outcome.OPEN, Case.Outcome.PLAN_ISSUED) and not any(
        b.status == Status.REQUESTED for b in budgets
    )
    return StaffPanel(case=case, budgets=_summaries(budgets), can_record=can_record)


@dataclass
class FamilyBudgetPage:
    case: Case
    budgets: list[BudgetSummary]
    in_place: BudgetSummary | None
    cannot_ask_because: str | None
    notices: list[BudgetNotice]
    first_review_due: date | None = None


def family_budget_page(case: Case) -> FamilyBudgetPage:
    summaries = _summaries(list(budgets_for_case(case)))
    in_place = next((s for s in summaries if s.budget.status == Status.AGREED), None)
    notices = sorted(
        (n for s in summaries for n in s.budget.notices.all()),
        key=lambda n: (n.sent_on, n.pk),
        reverse=True,
    )
    return FamilyBudgetPage(
        case=case,
        budgets=summaries,
        in_place=in_place,
        cannot_ask_because=services.can_family_request(case),
        notices=notices,
        first_review_due=services.first_review_due(in_place.budget) if in_place else None,
    )


def family_requester(case: Case, user) -> tuple[str, str]:
    """(requested_by, name) for a signed-in family member: the young person or a parent.
    Anyone else (say, a contact who is neither) gets a value the service refuses."""
    contact = (
        Contact.objects.filter(child=case.child, user=user).order_by("id").first()
        if user.is_authenticated
        else None
    )
    name = contact.full_name if contact else user.get_full_name()
    if contact is None:
        return "", name
    if contact.relationship == Contact.Relationship.YOUNG_PERSON:
        return PersonalBudget.Requester.YOUNG_PERSON, name
    if contact.relationship in (Contact.Relationship.PARENT, Contact.Relationship.CARER):
        return PersonalBudget.Requester.PARENT, name
    return "", name


# -- figures --------------------------------------------------------------------------------


def _in_place_components(team_id: int | None) -> QuerySet[BudgetComponent]:
    """Parts of budgets in place now: agreed, not replaced; stopped direct payments are out."""
    parts = BudgetComponent.objects.filter(budget__status=Status.AGREED).exclude(
        mechanism=Mechanism.DIRECT_PAYMENT, budget__dp_stopped_on__isnull=False
    )
    if team_id is not None:
        parts = parts.filter(budget__case__team_id=team_id)
    return parts


def budgets_in_place_by_mechanism_and_domain(*, team_id: int | None = None) -> list[dict]:
    """One row for every domain and mechanism (zeros included, so the table and its CSV keep
    their shape): budgets using it, parts, and the amount a year. One query."""
    found = {
        (row["domain"], row["mechanism"]): row
        for row in _in_place_components(team_id)
        .values("domain", "mechanism")
        .annotate(budgets=Count("budget", distinct=True), parts=Count("id"), amount=Sum("amount"))
    }
    rows = []
    for domain in Domain:
        for mechanism in Mechanism:
            row = found.get((domain.value, mechanism.value), {})
            rows.append(
                {
                    "domain": domain.label,
                    "mechanism": rendering.MECHANISM_SHORT[mechanism],
                    "budgets": row.get("budgets", 0),
                    "parts": row.get("parts", 0),
                    # SQLite's SUM drops the scale; pounds and pence either way.
                    "amount": (row.get("amount") or Decimal("0")).quantize(PENCE),
                }
            )
    return rows


BUDGET_KINDS = [
    ("direct_payments", "Direct payments only"),
    ("arrangements", "Arrangements managed by the council, school or college only"),
    ("third_party", "Third-party arrangements only"),
    ("combination", "A combination"),
]


def budgets_in_place_by_kind(*, team_id: int | None = None) -> list[dict]:
    """Each budget in place counted once, by the mix of mechanisms it uses (the way the national
    return reports personal budgets in place). One query."""
    parts = _in_place_components(team_id)

    def uses(*mechanisms):
        found = Exists(parts.filter(budget=OuterRef("pk"), mechanism__in=mechanisms))
        return Case_(When(found, then=Value(1)), default=Value(0), output_field=IntegerField())

    budgets = PersonalBudget.objects.filter(status=Status.AGREED)
    if team_id is not None:
        budgets = budgets.filter(case__team_id=team_id)
    counted = dict(
        budgets.annotate(
            dp=uses(Mechanism.DIRECT_PAYMENT),
            arr=uses(Mechanism.COUNCIL_MANAGED, Mechanism.SCHOOL_MANAGED),
            tp=uses(Mechanism.THIRD_PARTY),
        )
        .annotate(
            kind=Case_(
                When(Q(dp=1, arr=1) | Q(dp=1, tp=1) | Q(arr=1, tp=1), then=Value("combination")),
                When(dp=1, then=Value("direct_payments")),
                When(arr=1, then=Value("arrangements")),
                When(tp=1, then=Value("third_party")),
                default=Value("none"),
            )
        )
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return [{"kind": label, "budgets": counted.get(key, 0)} for key, label in BUDGET_KINDS]


def requests_by_status(*, team_id: int | None = None) -> list[dict]:
    """Requests by where they stand and on which occasion they were made. One query."""
    budgets = PersonalBudget.objects.all()
    if team_id is not None:
        budgets = budgets.filter(case__team_id=team_id)
    found = {
        (row["status"], row["context"]): row["n"]
        for row in budgets.values("status", "context").annotate(n=Count("id"))
    }
    return [
        {
            "status": status.label,
            **{
                context.value: found.get((status.value, context.value), 0)
                for context in PersonalBudget.Context
            },
            "total": sum(found.get((status.value, c.value), 0) for c in PersonalBudget.Context),
        }
        for status in Status
    ]
