"""Bad input through the real task pages: a clear message next to the field, nothing lost."""

from datetime import date

import pytest
from django.urls import reverse

from disagreements import services as svc
from disagreements.flows import disagreement_start
from disagreements.models import Disagreement
from ehc.models import Deadline, Notice
from ehc.services.assessment import assessment_decision_record
from tests.disagreements.conftest import Walker, action, date_fields, dated, errors

pytestmark = pytest.mark.django_db


def test_certificate_dated_before_the_contact_is_refused_and_the_form_kept(open_refusal, walker):
    walker.post(
        "mediation",
        action(
            "contact", {"choice": "certificate", **date_fields("contacted_on", date(2026, 9, 20))}
        ),
    )
    response = walker.post(
        "mediation",
        {"action": "certificate", **dated("certificate", issued_on=date(2026, 9, 18))},
        expect_redirect=False,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "cannot be dated before the family contacted the mediation adviser" in page
    assert "20 September 2026" in page
    assert 'name="certificate-issued_on_0"' in page and 'value="18"' in page  # kept, not lost
    open_refusal.refresh_from_db()
    assert open_refusal.certificate_issued_on is None
    assert not Deadline.objects.filter(kind="M3", met_on__isnull=False).exists()


def _refused_long_ago(make_case, parent_user, caseworker):
    case = make_case(received_on=date(2026, 3, 2), parent=parent_user, first_name="Lou")
    notice = assessment_decision_record(
        case=case,
        decided_on=date(2026, 4, 10),
        assess=False,
        reasons="Needs met at SEN support.",
        acting_user=caseworker,
    )
    disagreement_start(
        case=case, notice=notice, opened_on=date(2026, 4, 20), acting_user=caseworker
    )
    return case


def test_appeal_after_its_deadline_is_accepted_and_flagged_late(
    make_case, parent_user, caseworker, staff_client
):
    case = _refused_long_ago(make_case, parent_user, caseworker)
    walk = Walker(staff_client, case)
    walk.post(
        "mediation",
        action(
            "contact", {"choice": "certificate", **date_fields("contacted_on", date(2026, 4, 20))}
        ),
    )
    walk.post(
        "mediation", {"action": "certificate", **dated("certificate", issued_on=date(2026, 4, 22))}
    )
    walk.post("mediation", {"action": "done"})
    deadline = svc.appeal_by(Disagreement.objects.get(case=case))
    assert deadline == date(2026, 6, 10)
    response = walk.post(
        "appeal",
        {
            "action": "appeal",
            "appeal-grounds": ["a"],
            **dated("appeal", registered_on=date(2026, 7, 1)),
        },
    )
    page = staff_client.get(response.url).content.decode()
    assert "registered after the deadline of 10 June 2026" in page
    appeal = Disagreement.objects.get(case=case).appeal
    assert appeal.is_late and appeal.deadline_on == deadline
    detail = staff_client.get(
        reverse("disagreements:detail", args=[case.pk, appeal.disagreement_id])
    ).content.decode()
    assert "a late appeal the Tribunal admitted" in detail


def test_an_order_that_does_not_fit_the_decision_is_refused_and_nothing_lost(
    make_case, parent_user, caseworker, staff_client
):
    case = _refused_long_ago(make_case, parent_user, caseworker)
    walk = Walker(staff_client, case)
    walk.post(
        "mediation",
        action(
            "contact", {"choice": "certificate", **date_fields("contacted_on", date(2026, 4, 20))}
        ),
    )
    walk.post(
        "mediation", {"action": "certificate", **dated("certificate", issued_on=date(2026, 4, 22))}
    )
    walk.post("mediation", {"action": "done"})
    walk.post(
        "appeal",
        {
            "action": "appeal",
            "appeal-grounds": ["a"],
            **dated("appeal", registered_on=date(2026, 5, 1)),
        },
    )
    response = walk.post(
        "appeal",
        {
            "action": "decision",
            "decision-outcome": "upheld",
            "decision-order_types": ["amend"],
            "decision-details": "Amend section F",
            **dated("decision", decided_on=date(2026, 9, 1)),
        },
        expect_redirect=False,
    )
    assert response.status_code == 200, errors(response)
    page = response.content.decode()
    assert (
        "Amend the plan&#x27;s contents does not follow from an appeal against a decision "
        "not to carry out an assessment" in page
    )
    assert "carry out an EHC needs assessment (or reassessment)" in page
    assert "Amend section F" in page  # what was typed is still there
    appeal = Disagreement.objects.get(case=case).appeal
    assert appeal.outcome == "" and not appeal.orders.exists()
    assert not Deadline.objects.filter(case=case, kind="Td-amend").exists()


def test_open_form_refuses_a_letter_that_cannot_be_appealed(refused_case, staff_client):
    """Only the appealable letters are offered; a posted id of another letter is refused."""
    considering = refused_case.notices.get(kind=Notice.Kind.CONSIDERING)
    response = staff_client.post(
        reverse("disagreements:open", args=[refused_case.pk]),
        {
            "notice": str(considering.pk),
            **dated("", opened_on=date(2026, 9, 14)),
        },
    )
    assert response.status_code == 200
    assert not Disagreement.objects.exists()
