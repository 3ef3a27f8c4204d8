"""The letters a review sends the family: the decision (keep, amend with the proposals and the
family's 15 days, cease with the appeal window), the final amended plan and "not amending after
all", each with its statutory dates, seen by staff and by the family (and no other family)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from reviews import services
from reviews.models import AnnualReview, MaintainedPlan
from tests.conftest import london
from tests.reviews.conftest import TODAY, import_rows, link_parent

pytestmark = pytest.mark.django_db

ROW = "LEG-1,Ada,Lovelace,2014-03-05,2022-06-01,2025-10-02,2025-10-20,123456,ASD,casey"
HELD = TODAY - timedelta(days=10)  # 23 October 2026


def held_review(caseworker) -> AnnualReview:
    import_rows(ROW)
    plan = MaintainedPlan.objects.get()
    review = services.review_open(plan=plan, acting_user=caseworker)
    services.review_meeting_arrange(
        review=review,
        meeting_on=HELD,
        notice_sent_on=HELD - timedelta(days=20),
        advice_circulated_on=None,
        acting_user=caseworker,
    )
    return services.review_meeting_record(
        review=review, held_on=HELD, adulthood_discussed="", acting_user=caseworker
    )


def decide(review, caseworker, decision, **extra) -> AnnualReview:
    return services.review_decision_record(
        review=review,
        details=services.ReviewDecision(
            decision=decision,
            decided_on=TODAY,
            reasons=extra.pop("reasons", "The plan still meets Ada's needs."),
            proposed_sections=extra.pop("proposed_sections", {}),
            **extra,
        ),
        acting_user=caseworker,
    )


def text(response) -> str:
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_amend_letter_gives_the_proposals_the_15_days_and_the_final_plan_date(
    client, caseworker, parent_user, other_parent, primary
):
    review = decide(
        held_review(caseworker),
        caseworker,
        "amend",
        proposed_sections={"section_f": "Speech therapy, 1 hour a week."},
        evidence="Therapist's report, October 2026.",
        reasons="Speech needs have grown.",
    )
    link_parent(review.plan, parent_user)
    case_id = review.plan.case_id
    client.force_login(parent_user)
    family = text(client.get(reverse("reviews_family:plan", args=[case_id])))
    letter_url = reverse("reviews_family:letter", args=[case_id, review.pk, "decision"])
    assert letter_url in family
    letter = text(client.get(letter_url))
    assert "proposed amendments to the EHC plan" in letter
    assert "Speech therapy, 1 hour a week." in letter and "Therapist&#x27;s report" in letter
    assert "until <strong>16 November 2026</strong>" in letter  # 15 days beginning 2 November
    # 8 weeks from the proposals (28 December) but never past 12 weeks from the meeting.
    assert "by <strong>28 December 2026</strong>" in letter
    assert "right to appeal" not in letter  # the appeal comes with the final amended plan
    assert client.get(letter_url.replace("decision", "final_plan")).status_code == 404
    pdf = client.get(letter_url + "?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.force_login(other_parent)
    assert client.get(letter_url).status_code == 404

    # The final amended plan letter, after the 15 days: appealable, with the exception for an
    # appeal only about the setting; the staff page links both letters.
    with time_machine.travel(london(2026, 11, 17, 12), tick=False):
        services.amended_plan_issue(
            review=review,
            issued_on=date(2026, 11, 17),
            named_setting=primary,
            setting_type="",
            family_views="",
            acting_user=caseworker,
        )
        client.force_login(parent_user)
        final = text(client.get(letter_url.replace("decision", "final_plan")))
        assert "final amended EHC plan for Ada, issued on 17 November 2026" in final
        assert "Speech therapy, 1 hour a week." in final  # what changed
        assert "unless your appeal is only about the school" in final
        assert "by <strong>17 January 2027</strong>" in final  # mediation contact: 2 months
        client.force_login(caseworker)
        staff = text(client.get(reverse("reviews:plan", args=[case_id])))
        for kind in ("decision", "final_plan"):
            url = reverse("reviews:letter", args=[case_id, review.pk, kind])
            assert url in staff
            assert client.get(url).status_code == 200


def test_keep_decision_letter_carries_the_appeal_and_mediation_dates(
    client, caseworker, parent_user, primary
):
    review = decide(held_review(caseworker), caseworker, "maintain")
    link_parent(review.plan, parent_user)
    client.force_login(parent_user)
    url = reverse("reviews_family:letter", args=[review.plan.case_id, review.pk, "decision"])
    letter = text(client.get(url))
    assert "decision to keep the EHC plan as it is" in letter
    assert "right to appeal" in letter
    assert "by <strong>2 January 2027</strong>" in letter  # mediation: 2 months from 2 Nov
    assert "unless your appeal is only about the school" not in letter


def test_cease_letter_says_the_plan_is_kept_through_the_appeal_window(
    client, caseworker, parent_user, primary
):
    review = decide(
        held_review(caseworker),
        caseworker,
        "cease",
        reasons="The plan is no longer necessary: her needs are met at school.",
        consulted_family_on=HELD,
        consulted_setting_on=HELD + timedelta(days=1),
    )
    link_parent(review.plan, parent_user)
    client.force_login(parent_user)
    url = reverse("reviews_family:letter", args=[review.plan.case_id, review.pk, "decision"])
    letter = text(client.get(url))
    assert "Decision to stop maintaining the EHC plan" in letter
    assert "we consulted you on 23 October 2026" in letter
    assert "24 October 2026" in letter  # the setting's consultation
    assert "keep maintaining the plan until the time to appeal has passed" in letter
    assert "right to appeal" in letter and "disagreement resolution" in letter
