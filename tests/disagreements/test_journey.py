"""End to end through the real pages: a refusal to assess, the family's view of their deadlines,
then a mediation that fails, a certificate, an appeal and an order to assess, after which the case
carries the Reg 44 clocks beside the original 20-week one."""

from datetime import date

import pytest
from django.urls import reverse
from viewflow.workflow.status import PROCESS

from disagreements.flows import disagreement_process_for
from disagreements.models import Disagreement
from ehc import timescales
from ehc.models import CaseEvent, Deadline, Notice
from tests.disagreements.conftest import REFUSED, action, errors

pytestmark = pytest.mark.django_db


def fmt(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def test_refusal_mediation_fails_certificate_appeal_and_order_to_assess(
    refused_case, walker, staff_client, client, parent_user, caseworker
):
    case = refused_case
    notice = case.notices.get(kind=Notice.Kind.REFUSAL_TO_ASSESS)
    contact_by = timescales.mediation_contact_deadline(REFUSED)
    appeal_by = timescales.appeal_deadline(REFUSED)
    assert (contact_by, appeal_by) == (date(2026, 11, 7), date(2026, 11, 9))  # Sat -> Mon (F3)
    assert (notice.mediation_contact_by, notice.appeal_by) == (contact_by, appeal_by)

    # The family sees both deadlines, on their case page and on their disagreement page.
    client.force_login(parent_user)
    case_page = client.get(reverse("family:case_detail", args=[case.pk])).content.decode()
    family_page = client.get(reverse("family_disagreement:detail", args=[case.pk])).content.decode()
    for page in (case_page, family_page):
        assert "Contact the mediation adviser" in page and fmt(contact_by) in page
        assert "the Tribunal must receive your appeal" in page and fmt(appeal_by) in page

    # A caseworker records the disagreement from the case's disagreement page.
    client.force_login(caseworker)
    response = staff_client.post(
        reverse("disagreements:open", args=[case.pk]),
        {"notice": str(notice.pk), **_d("opened_on", date(2026, 9, 14))},
    )
    assert response.status_code == 302, errors(response)
    disagreement = Disagreement.objects.get(case=case)

    # Mediation that fails.
    walker.post(
        "mediation",
        action("contact", {"choice": "mediation", **_d("contacted_on", date(2026, 9, 14))}),
    )
    walker.post(
        "mediation",
        action(
            "request",
            {
                **_d("la_informed_on", date(2026, 9, 14)),
                "issues": "Whether to assess.",
                "health_issues": "",
            },
        ),
    )
    walker.post(
        "mediation",
        action(
            "arranged",
            {**_d("arranged_on", date(2026, 9, 21)), **_d("meeting_on", date(2026, 10, 5))},
        ),
    )
    walker.post(
        "mediation", action("held", {**_d("held_on", date(2026, 10, 5)), "outcome": "no_agreement"})
    )
    m5 = Deadline.objects.get(case=case, kind="M5")
    assert (m5.due_on, m5.met_on, m5.status) == (date(2026, 10, 14), date(2026, 9, 21), "met")
    m7 = Deadline.objects.get(case=case, kind="M7")
    assert m7.due_on == timescales.mediation_certificate_due(date(2026, 10, 5)) == date(2026, 10, 8)

    # The certificate; then the mediation task is finished and the appeal task opens.
    walker.post("mediation", action("certificate", _d("issued_on", date(2026, 10, 7))))
    walker.post("mediation", {"action": "done"})
    m7.refresh_from_db()
    assert (m7.met_on, m7.status) == (date(2026, 10, 7), "met")

    # The appeal, and the Tribunal's order to assess.
    walker.post(
        "appeal",
        action(
            "appeal",
            {
                **_d("registered_on", date(2026, 10, 12)),
                "grounds": ["a"],
                "tribunal_reference": "EH1",
                **_d("response_due_on", date(2026, 11, 23)),
            },
        ),
    )
    walker.post("appeal", action("hearing", _d("hearing_on", date(2026, 10, 29))))
    walker.post(
        "appeal",
        action(
            "decision",
            {
                **_d("decided_on", date(2026, 10, 30)),
                "outcome": "upheld",
                "order_types": ["assess"],
                "details": "The council must assess.",
            },
        ),
    )
    walker.post("appeal", {"action": "done"})
    disagreement.refresh_from_db()
    assert disagreement.appeal.is_late is False

    # The Reg 44 clocks, beside the original 20-week clock, each linked to its order.
    order = disagreement.orders.get()
    clocks = {d.kind: d for d in Deadline.objects.filter(case=case, subject_key=order.subject)}
    assert {k: clocks[k].due_on for k in ("Tb-assess", "Tb-no-plan", "Tb-final")} == {
        "Tb-assess": date(2026, 11, 13),  # 2 weeks
        "Tb-no-plan": date(2027, 1, 8),  # 10 weeks
        "Tb-final": date(2027, 2, 5),  # 14 weeks
    }
    assert all(c.status == "running" and c.source == "disagreements" for c in clocks.values())
    event = CaseEvent.objects.get(pk=clocks["Tb-assess"].started_by_id)
    assert event.occurred_on == date(2026, 10, 30) and "Tribunal order" in event.summary
    original = Deadline.objects.get(case=case, kind="A13", subject_key="")
    assert original.due_on == timescales.final_plan_due(case.clock_starts_on)
    assert original.source == "events"

    # The duties task is open; carrying out the first duty meets its clock.
    page = staff_client.get(walker.url("order_duties")).content.decode()
    assert "Tell the family the council will assess" in page
    duty = order.duties.get(kind="Tb-assess")
    walker.post(
        "order_duties", action("duty", {"duty": str(duty.pk), **_d("done_on", date(2026, 11, 2))})
    )
    clocks["Tb-assess"].refresh_from_db()
    assert (clocks["Tb-assess"].met_on, clocks["Tb-assess"].status) == (date(2026, 11, 2), "met")

    # Staff and family see the whole story.
    detail = staff_client.get(
        reverse("disagreements:detail", args=[case.pk, disagreement.pk])
    ).content.decode()
    assert "Final plan after an ordered assessment" in detail and "5 Feb 2027" in detail
    client.force_login(parent_user)
    family_page = client.get(reverse("family_disagreement:detail", args=[case.pk])).content.decode()
    assert "Your appeal" not in family_page or "The Tribunal appeal has ended" in family_page
    assert "If a plan is needed, we must issue the final EHC plan" in family_page
    assert fmt(date(2027, 2, 5)) in family_page and fmt(date(2027, 1, 8)) in family_page
    assert disagreement_process_for(disagreement).status == PROCESS.NEW  # duties still open


def _d(name: str, value: date) -> dict:
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}
