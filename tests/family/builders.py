"""Cases at a given point in their life, built through the real services (used by the family
page tests and the browser tests)."""

from datetime import timedelta

from django.utils import timezone

from ehc.models import Case, Deadline
from ehc.services import timescale_exception_record
from ehc.services.assessment import (
    assessment_decision_record,
    plan_decision_record,
    plan_draft_save,
    plan_draft_serve,
)

EXCEPTION_REASON = "Ada was in hospital for five weeks, so she could not be seen by the adviser."


def case_with_draft_plan(make_case, caseworker, parent) -> Case:
    """Assessed, with an exception on the 20-week limit, and a draft plan sent 3 days ago."""
    today = timezone.localdate()
    received = today - timedelta(days=80)
    case = make_case(received_on=received, parent=parent, first_name="Ada", last_name="Lovelace")
    case.assigned_caseworker = caseworker
    case.save()
    assessment_decision_record(
        case=case,
        decided_on=received + timedelta(days=20),
        assess=True,
        reasons="",
        acting_user=caseworker,
    )
    timescale_exception_record(
        deadline=case.deadlines.get(kind="A13"),
        code="EXCEPTIONAL_PERSONAL_CIRCUMSTANCES",
        starts_on=received + timedelta(days=25),
        ends_on=received + timedelta(days=60),
        evidence="Hospital letter of 3 March.",
        reasoning=EXCEPTION_REASON,
        family_told_on=received + timedelta(days=61),
        acting_user=caseworker,
    )
    plan_decision_record(
        case=case,
        decided_on=received + timedelta(days=62),
        issue=True,
        reasons="",
        acting_user=caseworker,
    )
    plan_draft_save(
        case=case,
        sections={
            "section_a": "Ada loves maths and wants to be an engineer.",
            "section_b": "Ada has difficulty with reading and writing.",
        },
        acting_user=caseworker,
    )
    plan_draft_serve(case=case, served_on=today - timedelta(days=3), acting_user=caseworker)
    return case


def case_refused(make_case, caseworker, parent, **kw) -> Case:
    """The council decided not to assess 10 days ago: an appealable notice."""
    today = timezone.localdate()
    case = make_case(received_on=today - timedelta(days=30), parent=parent, **kw)
    assessment_decision_record(
        case=case,
        decided_on=today - timedelta(days=10),
        assess=False,
        reasons="The school can meet the needs from its own resources.",
        acting_user=caseworker,
    )
    return case


def disapplied(case: Case) -> Deadline:
    return case.deadlines.get(kind="A13")
