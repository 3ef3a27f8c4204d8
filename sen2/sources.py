"""Where the return reads items that other apps own: review meetings, decisions and outcomes,
draft amended plans, phase transfers, the day a plan ceased and plans passed from another
council (the reviews app), and mediation and appeals (the disagreements app).

Mediation and appeals come from the disagreements app (OR-ed with any flag a caseworker set on
the case's SEN2 page, for disagreements recorded before it). The reviews app's records win: its reviews, else the last review dates a plan was brought in
with. sen2.PlanDetail's own review and cease dates are read only for a plan the reviews app holds
nothing for (a plan recorded before the reviews app kept plans); the cease
reason and the TransferLA code are SEN2 items the reviews app does not keep, so they are always
PlanDetail's. `return_people` reads the rows below as ordered side streams, one query each.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from disagreements.models import Disagreement
from ehc.models import Case
from reviews.models import AnnualReview, MaintainedPlan, PlanMove
from sen2.models import PlanDetail

# The council's decision after a review, as the year's ReviewOutcome code list numbers it.
REVIEW_OUTCOME_CODES = {
    AnnualReview.Decision.MAINTAIN: "1",
    AnnualReview.Decision.AMEND: "2",
    AnnualReview.Decision.CEASE: "3",
}

# (queryset, path to the case from its rows, the fields after child and case, extra ordering)
SideSource = tuple[QuerySet, str, tuple[str, ...], tuple[str, ...]]


def plan_rows(scope_ids: QuerySet) -> SideSource:
    return (
        MaintainedPlan.objects.filter(case__in=scope_ids),
        "case",
        ("ceased_on", "last_review_meeting_on", "last_review_decided_on"),
        (),
    )


def review_rows(scope_ids: QuerySet, census: date) -> SideSource:
    """Reviews whose meeting was held by census day, oldest first (the last one is read)."""
    return (
        AnnualReview.objects.filter(plan__case__in=scope_ids, held_on__lte=census),
        "plan__case",
        ("held_on", "decided_on", "decision"),
        ("held_on", "id"),
    )


def phase_transfer_rows(scope_ids: QuerySet, census: date) -> SideSource:
    """Phase-transfer reviews due by census day or open then, oldest first."""
    return (
        AnnualReview.objects.filter(
            plan__case__in=scope_ids, transfer_due_on__isnull=False, opened_on__lte=census
        ),
        "plan__case",
        ("transfer_due_on", "final_issued_on"),
        ("transfer_due_on", "id"),
    )


def moved_in_rows(scope_ids: QuerySet, census: date) -> SideSource:
    return (
        PlanMove.objects.filter(
            plan__case__in=scope_ids, direction=PlanMove.Direction.IN, move_on__lte=census
        ),
        "plan__case",
        ("other_council", "move_on"),
        ("move_on", "id"),
    )


def disagreement_rows(scope_ids: QuerySet) -> SideSource:
    """The family's disagreements: which decision, when mediation was held, when an appeal was
    registered."""
    return (
        Disagreement.objects.filter(case__in=scope_ids),
        "case",
        ("decision", "mediation__held_on", "appeal__registered_on"),
        ("id",),
    )


# Which SEN2 pair a disagreement about each decision counts in.
DISAGREEMENT_STAGE = {
    Disagreement.Decision.REFUSAL_TO_ASSESS: "request",
    Disagreement.Decision.NO_PLAN: "assessment",
}


def disagreement_flags(rows: list[tuple], census: date) -> dict[str, bool]:
    """RequestMediation/Tribunal, AssessmentMediation/Tribunal and OtherMediation/Tribunal from
    the disagreements recorded: mediation held, or an appeal registered, by census day."""
    flags: dict[str, bool] = {}
    for _child, _case, decision, mediation_held, appeal_registered in rows:
        stage = DISAGREEMENT_STAGE.get(decision, "other")
        if mediation_held is not None and mediation_held <= census:
            flags[f"{stage}_mediation"] = True
        if appeal_registered is not None and appeal_registered <= census:
            flags[f"{stage}_tribunal"] = True
    return flags


@dataclass
class PlanFacts:
    """The active-plan items (module 5a) and the cease date of one request's plan."""

    review_meeting: date | None = None
    review_decided: date | None = None
    review_outcome: str = ""
    review_draft: date | None = None
    phase_transfer_due: date | None = None
    phase_transfer_final: date | None = None
    cease_date: date | None = None
    cease_reason: str = ""
    transfer_la: str = ""
    moved_in_from: str = ""  # the other council's name, from the reviews app's move record


def plan_facts(
    detail: PlanDetail | None,
    plans: list[tuple],
    reviews: list[tuple],
    transfers: list[tuple],
    moves_in: list[tuple],
    census: date,
) -> PlanFacts:
    """One request's plan items from the reviews app's rows (as the side streams give them:
    child id and case id first), falling back to PlanDetail where it holds none."""
    facts = PlanFacts()
    if detail is not None:
        facts.cease_reason, facts.transfer_la = detail.cease_reason, detail.transfer_la
    ceased_on, last_meeting, last_decided = plans[-1][2:] if plans else (None, None, None)
    facts.cease_date = ceased_on or (detail.cease_date if detail is not None else None)
    if reviews:
        _last_review(facts, reviews[-1][2:], census)
    elif last_meeting is not None and last_meeting <= census:
        # A plan brought in with its last review's dates but no review records.
        facts.review_meeting = last_meeting
        if last_decided is not None and last_decided <= census:
            facts.review_decided = last_decided
    elif detail is not None:
        facts.review_meeting, facts.review_decided = (
            detail.review_meeting_on,
            detail.review_decided_on,
        )
    if transfers:
        due, final = transfers[-1][2:]
        facts.phase_transfer_due = due
        facts.phase_transfer_final = final if final is not None and final <= census else None
    if moves_in:
        facts.moved_in_from = moves_in[-1][2]
    return facts


def _last_review(facts: PlanFacts, row: tuple, census: date) -> None:
    held_on, decided_on, decision = row
    facts.review_meeting = held_on
    if decided_on is None or decided_on > census:
        return  # the decision came after census day: the return shows the meeting only
    facts.review_decided = decided_on
    facts.review_outcome = REVIEW_OUTCOME_CODES.get(decision, "")
    if decision == AnnualReview.Decision.AMEND:
        facts.review_draft = decided_on  # the proposed amendments go with the decision (R9)


def plan_facts_for_case(case_id: int, detail: PlanDetail | None, census: date) -> PlanFacts:
    """One case's plan items as the return reads them on `census` (for the case's SEN2 page)."""
    scope = Case.objects.filter(pk=case_id).values("pk")

    def rows(source: SideSource) -> list[tuple]:
        queryset, case, fields, then = source
        return list(
            queryset.order_by(*then).values_list(f"{case}__child_id", f"{case}__id", *fields)
        )

    return plan_facts(
        detail,
        rows(plan_rows(scope)),
        rows(review_rows(scope, census)),
        rows(phase_transfer_rows(scope, census)),
        rows(moved_in_rows(scope, census)),
        census,
    )
