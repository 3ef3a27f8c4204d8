"""The disagreement services: M1 on notices, the clocks each fact starts, and the checks."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from disagreements import services as svc
from disagreements.models import Disagreement, Order
from ehc import timescales
from ehc.models import Case, CaseEvent, Deadline, Notice
from ehc.services import notices, timescale_exception_record
from ehc.services.assessment import assessment_decision_record

pytestmark = pytest.mark.django_db
D = Disagreement.Decision


def clock(case, kind, subject=None) -> Deadline:
    rows = Deadline.objects.filter(case=case, kind=kind, source="disagreements")
    return rows.get(subject_key=subject) if subject else rows.get()


@pytest.fixture
def plan_case(make_case, caseworker):
    return make_case(received_on=date(2026, 1, 5))


def plan_disagreement(plan_case, caseworker, sent=date(2026, 6, 1)) -> Disagreement:
    """A disagreement with a plan's contents (a decision made outside the notices here)."""
    return svc.disagreement_open(
        case=plan_case,
        decision=D.PLAN_CONTENTS,
        decision_sent_on=sent,
        opened_on=sent,
        acting_user=caseworker,
    )


def to_certificate(d, user, contacted=date(2026, 6, 5), issued=date(2026, 6, 8)):
    svc.adviser_contact_record(
        disagreement=d, contacted_on=contacted, choice="certificate", acting_user=user
    )
    return svc.certificate_record(disagreement=d, issued_on=issued, acting_user=user)


# -- M1 ----------------------------------------------------------------------------------------


def test_an_appealable_notice_with_every_m1_element_is_sent_unchanged(make_case, caseworker):
    case = make_case(received_on=date(2026, 8, 3))
    notice = assessment_decision_record(
        case=case,
        decided_on=date(2026, 9, 7),
        assess=False,
        reasons="Needs met.",
        acting_user=caseworker,
    )
    assert notice.pk and notices.notice_m1_missing(notice) == []
    assert notice.appeal_by == timescales.appeal_deadline(date(2026, 9, 7))


@pytest.mark.parametrize(
    ("setting", "missing"),
    [("MEDIATION_ADVISER_CONTACT", "adviser"), ("LA_SEND_TEAM_CONTACT", "la_contact")],
)
def test_a_notice_missing_an_m1_element_cannot_be_sent(
    make_case, caseworker, settings, setting, missing
):
    case = make_case(received_on=date(2026, 8, 3))
    setattr(settings, setting, "")
    with pytest.raises(ValidationError) as error:
        assessment_decision_record(
            case=case,
            decided_on=date(2026, 9, 7),
            assess=False,
            reasons="Needs met.",
            acting_user=caseworker,
        )
    assert notices.M1_ELEMENT_LABELS[missing] in str(error.value)
    case.refresh_from_db()
    assert case.is_open and not case.notices.exists()  # nothing half-saved
    assert not case.events.filter(kind=CaseEvent.Kind.DECIDED_NOT_TO_ASSESS).exists()


def test_m1_check_reads_the_letter_as_printed(make_case, caseworker):
    case = make_case(received_on=date(2026, 8, 3))
    notice = Notice(case=case, kind=Notice.Kind.NO_PLAN, sent_on=date(2026, 9, 7))
    assert set(notices.notice_m1_missing(notice)) == {"timescales"}  # no dates computed
    assert (
        notices.notice_m1_missing(
            Notice(case=case, kind=Notice.Kind.DRAFT_PLAN, sent_on=date(2026, 9, 7))
        )
        == []
    )


# -- mediation ---------------------------------------------------------------------------------


def test_mediation_clocks_health_issues_and_a_failed_arrangement(open_refusal, caseworker):
    d = open_refusal
    svc.adviser_contact_record(
        disagreement=d, contacted_on=date(2026, 9, 14), choice="mediation", acting_user=caseworker
    )
    m = svc.mediation_request_record(
        disagreement=d,
        la_informed_on=date(2026, 9, 17),
        issues="Assessment",
        health_issues="Speech therapy",
        acting_user=caseworker,
    )
    assert m.health_body_due_on == timescales.working_days_after(date(2026, 9, 17), 3)
    assert m.arrange_by == timescales.mediation_arranged_by(date(2026, 9, 17))
    assert clock(d.case, "M5").due_on == date(2026, 10, 17)
    assert clock(d.case, "M5").started_by_id == m.started_by_id
    svc.mediation_health_notice_record(
        disagreement=d, told_on=date(2026, 9, 18), acting_user=caseworker
    )
    svc.mediation_not_arranged_record(
        disagreement=d, adviser_told_on=date(2026, 10, 19), acting_user=caseworker
    )
    m6 = clock(d.case, "M6")
    assert m6.due_on == timescales.mediation_certificate_due(date(2026, 10, 19))
    assert clock(d.case, "M5").status == Deadline.Status.BREACHED
    svc.certificate_record(disagreement=d, issued_on=date(2026, 10, 21), acting_user=caseworker)
    assert clock(d.case, "M6").status == Deadline.Status.MET
    d.refresh_from_db()
    assert svc.appeal_by(d) == timescales.appeal_deadline(date(2026, 9, 7), date(2026, 10, 21))


def test_certificate_only_runs_m3_from_the_adviser_being_told(open_refusal, caseworker):
    d = open_refusal
    svc.adviser_contact_record(
        disagreement=d,
        contacted_on=date(2026, 9, 14),
        choice="certificate",
        adviser_informed_on=date(2026, 9, 15),
        acting_user=caseworker,
    )
    assert clock(d.case, "M3").due_on == timescales.mediation_certificate_due(date(2026, 9, 15))
    with pytest.raises(ValidationError, match="before the family contacted"):
        svc.certificate_record(disagreement=d, issued_on=date(2026, 9, 13), acting_user=caseworker)
    with pytest.raises(ValidationError, match="did not choose mediation"):
        svc.mediation_request_record(
            disagreement=d,
            la_informed_on=date(2026, 9, 16),
            issues="x",
            health_issues="",
            acting_user=caseworker,
        )


def test_a_late_contact_is_recorded_and_flagged(open_refusal, caseworker):
    d = svc.adviser_contact_record(
        disagreement=open_refusal,
        contacted_on=date(2026, 11, 2),
        choice="certificate",
        acting_user=caseworker,
    )
    assert not svc.contact_was_late(d)  # 7 November is the last day
    assert svc.mediation_contact_by(d) == date(2026, 11, 7)


def test_mediation_agreements_run_reg_44_periods_or_two_weeks(plan_case, caseworker):
    d = plan_disagreement(plan_case, caseworker)
    svc.adviser_contact_record(
        disagreement=d, contacted_on=date(2026, 6, 5), choice="mediation", acting_user=caseworker
    )
    svc.mediation_request_record(
        disagreement=d,
        la_informed_on=date(2026, 6, 5),
        issues="F",
        health_issues="",
        acting_user=caseworker,
    )
    svc.mediation_arranged_record(
        disagreement=d,
        arranged_on=date(2026, 6, 10),
        meeting_on=date(2026, 6, 20),
        acting_user=caseworker,
    )
    svc.mediation_held_record(
        disagreement=d, held_on=date(2026, 6, 20), outcome="partial", acting_user=caseworker
    )
    amend = svc.agreement_record(
        disagreement=d,
        agreed_on=date(2026, 6, 20),
        order_type="amend",
        details="More speech therapy in F",
        acting_user=caseworker,
    )
    action = svc.agreement_record(
        disagreement=d,
        agreed_on=date(2026, 6, 20),
        order_type="agreed_action",
        details="Send the minutes",
        acting_user=caseworker,
    )
    own = svc.agreement_record(
        disagreement=d,
        agreed_on=date(2026, 6, 20),
        order_type="placement",
        details="Visit two schools",
        other_timescale="By the end of term",
        acting_user=caseworker,
    )
    assert clock(plan_case, "Td-amend", amend.subject).due_on == date(2026, 7, 25)  # M8: 5 weeks
    assert clock(plan_case, "M9", action.subject).due_on == date(2026, 7, 4)  # M9: 2 weeks
    assert not Deadline.objects.filter(subject_key=own.subject).exists()  # agreed otherwise
    with pytest.raises(ValidationError, match="does not follow"):
        svc.agreement_record(
            disagreement=d,
            agreed_on=date(2026, 6, 20),
            order_type="assess",
            details="x",
            acting_user=caseworker,
        )


# -- the Tribunal -------------------------------------------------------------------------------


def test_grounds_must_fit_the_decision_and_need_a_certificate(plan_case, caseworker, open_refusal):
    with pytest.raises(ValidationError, match="not a ground of appeal against"):
        svc.appeal_register(
            disagreement=open_refusal,
            registered_on=date(2026, 10, 1),
            grounds=["b"],
            sections=[],
            acting_user=caseworker,
        )
    with pytest.raises(ValidationError, match="needs a mediation certificate"):
        svc.appeal_register(
            disagreement=open_refusal,
            registered_on=date(2026, 10, 1),
            grounds=["a"],
            sections=[],
            acting_user=caseworker,
        )
    placement = plan_disagreement(plan_case, caseworker)
    svc.adviser_contact_record(
        disagreement=placement,
        contacted_on=date(2026, 6, 5),
        choice="not_needed",
        acting_user=caseworker,
    )
    appeal = svc.appeal_register(
        disagreement=placement,
        registered_on=date(2026, 6, 20),
        grounds=["c_iii"],
        sections=["I"],
        acting_user=caseworker,
    )
    assert not appeal.is_late and appeal.sections == ["I"]
    assert not svc.certificate_needed(placement)


def test_sections_for_recommendations_need_an_education_ground(open_refusal, caseworker):
    to_certificate(open_refusal, caseworker, contacted=date(2026, 9, 14), issued=date(2026, 9, 16))
    with pytest.raises(ValidationError, match="recommendations alongside"):
        svc.appeal_register(
            disagreement=open_refusal,
            registered_on=date(2026, 10, 1),
            grounds=["a"],
            sections=["G"],
            acting_user=caseworker,
        )


def test_unopposed_appeal_starts_reg_45_clocks_from_the_notification(plan_case, caseworker):
    d = plan_disagreement(plan_case, caseworker)
    to_certificate(d, caseworker)
    svc.appeal_register(
        disagreement=d,
        registered_on=date(2026, 6, 20),
        grounds=["c_ii"],
        sections=["F"],
        response_due_on=date(2026, 8, 1),
        acting_user=caseworker,
    )
    with pytest.raises(ValidationError, match="does not follow"):
        svc.appeal_unopposed_record(
            disagreement=d,
            notified_on=date(2026, 7, 1),
            order_types=["assess"],
            acting_user=caseworker,
        )
    [order] = svc.appeal_unopposed_record(
        disagreement=d, notified_on=date(2026, 7, 1), order_types=["amend"], acting_user=caseworker
    )
    assert order.source == Order.Source.UNOPPOSED
    ub = clock(plan_case, "Ub-amend")
    assert (ub.starts_on, ub.due_on) == (date(2026, 7, 1), date(2026, 8, 5))
    d.refresh_from_db()
    assert d.appeal.outcome == "unopposed"
    with pytest.raises(ValidationError, match="already been decided"):
        svc.appeal_response_record(disagreement=d, sent_on=date(2026, 7, 2), acting_user=caseworker)


def test_unopposed_only_before_the_response(plan_case, caseworker):
    d = plan_disagreement(plan_case, caseworker)
    to_certificate(d, caseworker)
    svc.appeal_register(
        disagreement=d,
        registered_on=date(2026, 6, 20),
        grounds=["c_ii"],
        sections=["F"],
        acting_user=caseworker,
    )
    svc.appeal_response_record(disagreement=d, sent_on=date(2026, 7, 20), acting_user=caseworker)
    with pytest.raises(ValidationError, match="before it sends its response"):
        svc.appeal_unopposed_record(
            disagreement=d,
            notified_on=date(2026, 7, 21),
            order_types=["amend"],
            acting_user=caseworker,
        )


def test_a_concession_without_an_order_keeps_the_original_20_weeks(open_refusal, caseworker):
    """W v Hertfordshire: no fresh period; the original clocks run on, linked to the concession."""
    d = open_refusal
    case = d.case
    to_certificate(d, caseworker, contacted=date(2026, 9, 14), issued=date(2026, 9, 16))
    svc.appeal_register(
        disagreement=d,
        registered_on=date(2026, 10, 1),
        grounds=["a"],
        sections=[],
        acting_user=caseworker,
    )
    svc.appeal_decision_record(
        disagreement=d, decided_on=date(2026, 10, 20), outcome="conceded", acting_user=caseworker
    )
    concession = d.orders.get(source=Order.Source.CONCESSION)
    a13 = clock(case, "A13", concession.subject)
    assert a13.due_on == timescales.final_plan_due(case.clock_starts_on) == date(2026, 12, 21)
    assert a13.starts_on == case.clock_starts_on and a13.status == "running"
    assert clock(case, "A7", concession.subject).due_on == date(2026, 11, 23)
    assert "Hertfordshire" in CaseEvent.objects.get(pk=a13.started_by_id).summary
    assert not Deadline.objects.filter(case=case, kind__startswith="Tb").exists()
    original = Deadline.objects.get(case=case, kind="A13", subject_key="")
    assert original.status == Deadline.Status.NOT_NEEDED  # still there, beside the new one


def test_order_duties_are_exclusive_and_exceptions_disapply(open_refusal, caseworker):
    d = open_refusal
    to_certificate(d, caseworker, contacted=date(2026, 9, 14), issued=date(2026, 9, 16))
    svc.appeal_register(
        disagreement=d,
        registered_on=date(2026, 9, 20),
        grounds=["a"],
        sections=[],
        acting_user=caseworker,
    )
    svc.appeal_decision_record(
        disagreement=d,
        decided_on=date(2026, 9, 25),
        outcome="upheld",
        orders=[("assess", True, "By consent")],
        acting_user=caseworker,
    )
    order = d.orders.get()
    assert order.source == Order.Source.CONSENT
    tb_assess = clock(d.case, "Tb-assess")
    assert tb_assess.status == Deadline.Status.BREACHED  # due 9 October, today 2 November
    timescale_exception_record(
        deadline=tb_assess,
        code="ABSENT_FROM_AREA",
        starts_on=date(2026, 9, 26),
        ends_on=date(2026, 10, 20),
        evidence="Email",
        reasoning="Family abroad for 3 weeks",
        family_told_on=date(2026, 10, 1),
        acting_user=caseworker,
    )
    assert clock(d.case, "Tb-assess").status == Deadline.Status.DISAPPLIED
    duty = order.duties.get(kind="Tb-assess")
    svc.order_duty_done_record(
        disagreement=d, duty_id=duty.pk, done_on=date(2026, 10, 22), acting_user=caseworker
    )
    assert clock(d.case, "Tb-assess").status == Deadline.Status.DISAPPLIED  # late, but excused
    final = order.duties.get(kind="Tb-final")
    svc.order_duty_done_record(
        disagreement=d, duty_id=final.pk, done_on=date(2026, 11, 2), acting_user=caseworker
    )
    assert clock(d.case, "Tb-no-plan").status == Deadline.Status.NOT_NEEDED
    no_plan = order.duties.get(kind="Tb-no-plan")
    with pytest.raises(ValidationError, match="already recorded as done"):
        svc.order_duty_done_record(
            disagreement=d, duty_id=no_plan.pk, done_on=date(2026, 11, 2), acting_user=caseworker
        )


def test_recommendations_need_an_education_ground_and_get_five_weeks(make_case, caseworker):
    case = make_case(received_on=date(2026, 3, 2))
    d = svc.disagreement_open(
        case=case,
        decision=D.NO_PLAN,
        decision_sent_on=date(2026, 6, 1),
        opened_on=date(2026, 6, 2),
        acting_user=caseworker,
    )
    to_certificate(d, caseworker)
    svc.appeal_register(
        disagreement=d,
        registered_on=date(2026, 6, 20),
        grounds=["b"],
        sections=["C", "G"],
        acting_user=caseworker,
    )
    rec = svc.recommendation_record(
        disagreement=d,
        made_on=date(2026, 9, 1),
        body="health",
        sections=["G"],
        text="Weekly speech therapy",
        acting_user=caseworker,
    )
    assert clock(case, "Rec-response").due_on == date(2026, 10, 6)
    svc.recommendation_response_record(
        disagreement=d,
        recommendation_id=rec.pk,
        responded_on=date(2026, 10, 1),
        response="Agreed",
        acting_user=caseworker,
    )
    assert clock(case, "Rec-response").status == Deadline.Status.MET


# -- complaints and closing -------------------------------------------------------------------


def test_complaints_are_dated_and_escalate(plan_case, caseworker):
    first = svc.complaint_record(
        case=plan_case,
        kind="council",
        made_on=date(2026, 7, 1),
        about="Delay",
        acting_user=caseworker,
    )
    with pytest.raises(ValidationError, match="before the complaint it follows"):
        svc.complaint_record(
            case=plan_case,
            kind="lgsco",
            made_on=date(2026, 6, 1),
            about="Delay",
            escalated_from=first,
            acting_user=caseworker,
        )
    svc.complaint_record(
        case=plan_case,
        kind="lgsco",
        made_on=date(2026, 9, 1),
        about="Delay",
        escalated_from=first,
        acting_user=caseworker,
    )
    with pytest.raises(ValidationError, match="before the complaint"):
        svc.complaint_outcome_record(
            complaint=first, outcome_on=date(2026, 6, 1), outcome="Upheld", acting_user=caseworker
        )
    svc.complaint_outcome_record(
        complaint=first, outcome_on=date(2026, 8, 1), outcome="Upheld", acting_user=caseworker
    )
    assert plan_case.complaints.count() == 2


def test_dates_before_the_decision_or_in_the_future_are_refused(open_refusal, caseworker):
    with pytest.raises(ValidationError, match="before the decision was sent"):
        svc.adviser_contact_record(
            disagreement=open_refusal,
            contacted_on=date(2026, 9, 1),
            choice="mediation",
            acting_user=caseworker,
        )
    with pytest.raises(ValidationError, match="future"):
        svc.adviser_contact_record(
            disagreement=open_refusal,
            contacted_on=date(2026, 11, 3),
            choice="mediation",
            acting_user=caseworker,
        )
    svc.disagreement_close(
        disagreement=open_refusal,
        closed_on=date(2026, 10, 1),
        settled=False,
        reason="Family decided not to appeal",
        acting_user=caseworker,
    )
    with pytest.raises(ValidationError, match="closed"):
        svc.adviser_contact_record(
            disagreement=open_refusal,
            contacted_on=date(2026, 10, 1),
            choice="mediation",
            acting_user=caseworker,
        )
    assert Case.objects.get(pk=open_refusal.case_id).outcome == Case.Outcome.NOT_ASSESSED
