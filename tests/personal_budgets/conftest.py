"""Fixtures for personal budgets: cases at the points PB2 cares about, built through the real
services, on a frozen day so every statutory date is stable."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine

from ehc.models import Case, Setting
from ehc.services.assessment import (
    assessment_decision_record,
    plan_decision_record,
    plan_draft_save,
    plan_draft_serve,
    plan_finalise,
)
from personal_budgets import flows, services
from personal_budgets.models import Domain, Mechanism, PersonalBudget
from tests.conftest import london
from tests.family.conftest import other_parent  # noqa: F401  (a fixture, shared)

TODAY = date(2026, 11, 2)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(london(2026, 11, 2, 12), tick=False):
        yield


def date_fields(name: str, value: date) -> dict:
    return {
        f"{name}_0": str(value.day),
        f"{name}_1": str(value.month),
        f"{name}_2": str(value.year),
    }


@pytest.fixture
def school(db) -> Setting:
    return Setting.objects.create(
        name="Oakfield Primary", kind=Setting.Kind.SCHOOL, phase=Setting.Phase.PRIMARY
    )


def assessing_case(make_case, caseworker, parent=None) -> Case:
    """Decided to assess, not yet decided whether to issue a plan."""
    case = make_case(
        received_on=TODAY - timedelta(days=120),
        parent=parent,
        first_name="Ada",
        last_name="Lovelace",
    )
    case.assigned_caseworker = caseworker
    case.save()
    assessment_decision_record(
        case=case,
        decided_on=TODAY - timedelta(days=100),
        assess=True,
        reasons="",
        acting_user=caseworker,
    )
    return case


def drafting_case(make_case, caseworker, parent=None, *, draft=True) -> Case:
    """Decided to issue a plan 60 days ago; a draft saved (not yet sent)."""
    case = assessing_case(make_case, caseworker, parent)
    plan_decision_record(
        case=case,
        decided_on=TODAY - timedelta(days=60),
        issue=True,
        reasons="",
        acting_user=caseworker,
    )
    if draft:
        plan_draft_save(
            case=case,
            sections={"section_a": "Ada loves maths.", "section_b": "Ada finds reading hard."},
            acting_user=caseworker,
        )
    return case


def plan_issued_case(make_case, caseworker, parent=None) -> Case:
    """A final plan issued 2 days ago (draft sent 40 days ago)."""
    case = drafting_case(make_case, caseworker, parent)
    plan_draft_serve(case=case, served_on=TODAY - timedelta(days=40), acting_user=caseworker)
    plan_finalise(
        case=case,
        issued_on=TODAY - timedelta(days=2),
        named_setting=None,
        setting_type="Mainstream primary school",
        acting_user=caseworker,
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def drafting(make_case, caseworker, parent_user) -> Case:
    return drafting_case(make_case, caseworker, parent_user)


@pytest.fixture
def plan_issued(make_case, caseworker, parent_user) -> Case:
    return plan_issued_case(make_case, caseworker, parent_user)


def ask(case, user, **overrides) -> PersonalBudget:
    fields = {
        "case": case,
        "context": PersonalBudget.Context.DRAFT,
        "requested_on": TODAY,
        "requested_by": PersonalBudget.Requester.PARENT,
        "source": PersonalBudget.Source.CASEWORKER,
        "acting_user": user,
        "request_details": "Speech therapy and a teaching assistant.",
        "preference": PersonalBudget.Preference.COMBINATION,
    }
    fields.update(overrides)
    return flows.budget_request_submit(**fields)


@pytest.fixture
def requested(drafting, caseworker) -> PersonalBudget:
    return ask(drafting, caseworker)


def speech_therapy_dp(**overrides) -> services.ComponentDetails:
    fields = {
        "domain": Domain.EDUCATION,
        "mechanism": Mechanism.DIRECT_PAYMENT,
        "agreed_provision": "Speech and language therapy, one hour a week",
        "amount": Decimal("3120.00"),
        "needs_and_outcomes": "Speech and language needs (section B); to speak in class (E).",
    }
    fields.update(overrides)
    return services.ComponentDetails(**fields)


def teaching_assistant_managed(**overrides) -> services.ComponentDetails:
    fields = {
        "domain": Domain.EDUCATION,
        "mechanism": Mechanism.COUNCIL_MANAGED,
        "agreed_provision": "Teaching assistant support, 10 hours a week",
        "amount": Decimal("9500.50"),
    }
    fields.update(overrides)
    return services.ComponentDetails(**fields)


def dp_terms(**overrides) -> services.DirectPaymentTerms:
    fields = {
        "recipient": PersonalBudget.Recipient.PARENT,
        "starts_on": date(2026, 11, 16),
        "payment_schedule": "Monthly in advance, on the first working day of the month.",
        "reasons": "Pat has managed a social care direct payment well for two years.",
        "conditions": {
            name: True
            for name in (
                "uses_for_agreed_provision",
                "acts_in_best_interests",
                "payments_appropriate",
                "no_adverse_impact",
                "efficient_use",
            )
        },
    }
    fields.update(overrides)
    return services.DirectPaymentTerms(**fields)


def agree_mixed(budget, caseworker) -> PersonalBudget:
    """A direct payment for speech therapy and a council-managed arrangement for the rest."""
    services.component_save(budget=budget, details=speech_therapy_dp(), acting_user=caseworker)
    services.component_save(
        budget=budget, details=teaching_assistant_managed(), acting_user=caseworker
    )
    return services.budget_agree(
        budget=budget, agreed_on=TODAY, direct_payments=dp_terms(), acting_user=caseworker
    )


@pytest.fixture
def agreed(requested, caseworker) -> PersonalBudget:
    return agree_mixed(requested, caseworker)


def counts() -> dict[str, int]:
    """Rows each refused input must leave unchanged."""
    from viewflow.workflow.models import Process

    from ehc.models import CaseEvent, Deadline, EHCPlan
    from personal_budgets.models import (
        BudgetComponent,
        BudgetNotice,
        DirectPaymentDecision,
        DirectPaymentReview,
    )

    return {
        "budgets": PersonalBudget.objects.count(),
        "parts": BudgetComponent.objects.count(),
        "decisions": DirectPaymentDecision.objects.count(),
        "reviews": DirectPaymentReview.objects.count(),
        "notices": BudgetNotice.objects.count(),
        "events": CaseEvent.objects.count(),
        "deadlines": Deadline.objects.count(),
        "plans": EHCPlan.objects.count(),
        "processes": Process.objects.count(),
        "history": PersonalBudget.history.count() + BudgetComponent.history.count(),
    }
