"""The letters a review sends the family (spec R8-R12, R24-R27), worked out from the review.

Each letter is built from what was recorded, never stored separately, so it always says what the
record says. The dates come from ehc.timescales: the 15 days for representations (R10), the
final amended plan's last day (R11, R13), and for an appealable decision the mediation and appeal
limits counted from the day of the letter (M2, F1). The rights section is the core's, shared with
every other appealable notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

from ehc import timescales
from reviews import selectors
from reviews.models import AnnualReview

DECISION = "decision"
FINAL = "final_plan"  # the core's rights text adds the "only about the setting" exception
NOT_AMENDED = "not_amended"
KINDS = (DECISION, FINAL, NOT_AMENDED)

TITLES = {
    AnnualReview.Decision.MAINTAIN: "Annual review: decision to keep the EHC plan as it is",
    AnnualReview.Decision.AMEND: "Annual review: proposed amendments to the EHC plan",
    AnnualReview.Decision.CEASE: "Decision to stop maintaining the EHC plan",
    FINAL: "Final amended EHC plan",
    NOT_AMENDED: "Decision not to amend the EHC plan",
}


@dataclass(frozen=True)
class ReviewLetter:
    kind: str
    decision: str
    title: str
    sent_on: date
    review: AnnualReview
    reasons: str
    is_appealable: bool
    appeal_by: date | None
    mediation_contact_by: date | None
    representations_end: date | None
    final_due: date | None
    maintained_until: date | None  # R26: at least until the appeal window closes
    proposals: list[selectors.SectionChange]


def letters_for(review: AnnualReview) -> list[str]:
    """The letters this review has sent so far, in order."""
    kinds = []
    if review.decided_on:
        kinds.append(DECISION)
    if review.final_issued_on:
        kinds.append(FINAL)
    if review.not_amended_on:
        kinds.append(NOT_AMENDED)
    return kinds


def review_letter(review: AnnualReview, kind: str) -> ReviewLetter | None:
    """The letter of this kind, or None if the review has not reached it."""
    if kind not in letters_for(review):
        return None
    decision = review.decision
    if kind == DECISION:
        sent_on = review.decided_on
        title = TITLES[decision]
        appealable = decision in (AnnualReview.Decision.MAINTAIN, AnnualReview.Decision.CEASE)
        reasons = review.reasons
    elif kind == FINAL:
        sent_on, title, appealable, reasons = review.final_issued_on, TITLES[FINAL], True, ""
    else:
        sent_on, title, appealable = review.not_amended_on, TITLES[NOT_AMENDED], True
        reasons = review.family_views.strip().rsplit("\n", 1)[-1]  # the withdrawal's reasons
    assert sent_on is not None  # letters_for only lists letters whose date is recorded
    amending = kind == DECISION and decision == AnnualReview.Decision.AMEND
    appeal_by = timescales.appeal_deadline(sent_on) if appealable else None
    return ReviewLetter(
        kind=kind,
        decision=decision,
        title=title,
        sent_on=sent_on,
        review=review,
        reasons=reasons,
        is_appealable=appealable,
        appeal_by=appeal_by,
        mediation_contact_by=(
            timescales.mediation_contact_deadline(sent_on) if appealable else None
        ),
        representations_end=(
            timescales.amendment_representations_end(sent_on) if amending else None
        ),
        final_due=(
            min(
                timescales.amended_plan_due(sent_on), timescales.amended_plan_latest(review.held_on)
            )
            if amending and review.held_on
            else None
        ),
        maintained_until=(
            appeal_by if kind == DECISION and decision == AnnualReview.Decision.CEASE else None
        ),
        proposals=_proposals(review) if amending or kind == FINAL else [],
    )


def _proposals(review: AnnualReview) -> list[selectors.SectionChange]:
    """The amendments as proposed: against the plan now, or, once the amended plan is issued,
    the change it made."""
    amended = review.amended_version
    if amended is None:
        return selectors.proposed_changes(review)
    older = review.plan.versions.filter(number=amended.number - 1).first()
    return selectors.version_diff(older, amended) if older else []


def letter_context(letter: ReviewLetter) -> dict:
    """What the letter template needs, with the contacts every appealable letter gives."""
    plan = letter.review.plan
    return {
        "letter": letter,
        "notice": letter,  # the shared rights text reads kind, appeal_by, mediation_contact_by
        "review": letter.review,
        "plan": plan,
        "case": plan.case,
        "mediation_adviser": settings.MEDIATION_ADVISER_CONTACT,
        "drs_contact": settings.DISAGREEMENT_RESOLUTION_CONTACT,
        "iass_contact": settings.IASS_CONTACT,
        "send_team": settings.LA_SEND_TEAM_CONTACT,
        "local_authority_name": settings.LOCAL_AUTHORITY_NAME,
    }


def letter_pdf_response(context: dict) -> HttpResponse:
    """The letter as a PDF (WeasyPrint, as every other notice)."""
    from weasyprint import HTML

    html = render_to_string(
        "reviews/letters/letter.html",
        {**context, "for_pdf": True, "layout": "ehc/notices/print_base.html"},
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    filename = f"{context['case'].reference}-review-{context['letter'].kind}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
