"""Appeals to the First-tier Tribunal (spec 4.3-4.5): registering an appeal with its grounds,
the council's response, the hearing, an unopposed appeal (Reg 45), the decision with its
orders (Reg 44), and health and social care recommendations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from disagreements.models import (
    GROUNDS,
    HEALTH_CARE_SECTIONS,
    PLACEMENT_GROUNDS,
    Appeal,
    Disagreement,
    Order,
    OrderDuty,
    Recommendation,
)
from disagreements.services.clocks import _track
from disagreements.services.common import (
    BEFORE_EARLIER,
    GROUNDS_FOR_DECISION,
    S,
    _check_after_decision,
    _check_day,
    _locked,
    _note,
    _require_open,
    _require_text,
)
from disagreements.services.mediation import appeal_by
from disagreements.services.orders import (
    CONCESSION_DUTIES,
    ORDER_TYPES_FOR_DECISION,
    UNOPPOSED_TYPES_FOR_DECISION,
    _check_order_type,
    _order_create,
)
from ehc.models import User
from ehc.services.common import save_audited

ALREADY_APPEALED = "An appeal is already recorded for this decision."

GROUND_NEEDED = "Choose at least one ground of appeal."

GROUND_UNKNOWN = "'{code}' is not a ground of appeal under CFA 2014 s.51(2)."

GROUND_MISMATCH = (
    "'{ground}' is not a ground of appeal against a {decision}. Choose from: {allowed}."
)

CERTIFICATE_MISSING = (
    "An appeal on these grounds needs a mediation certificate (CFA 2014 s.55). Record the "
    "certificate first; only an appeal solely about the school or setting named needs none."
)

SECTIONS_UNKNOWN = "'{section}' is not a plan section that can be appealed."

RECOMMENDATION_SECTIONS_NEED_EDUCATION_GROUND = (
    "Sections C, D, G and H can only be raised for recommendations alongside an appeal under "
    "s.51(2)(b) to (f) (SI 2017/1306)."
)

CONTENT_SECTIONS_NEED_CONTENT_GROUND = (
    "Sections B, E, F and I are appealed only with a ground about the plan's contents."
)

NO_APPEAL = "Record the appeal first."

APPEAL_DECIDED = "The appeal has already been decided ({outcome})."

RESPONSE_ALREADY = "The council's response is already recorded."

UNOPPOSED_AFTER_RESPONSE = (
    "The council can only decide not to oppose before it sends its response (Reg 45)."
)

ORDERS_NEED_OUTCOME = "Orders follow an appeal that was upheld, partly upheld or dismissed."

UNOPPOSED_USE_FORM = "Record an unopposed appeal with 'The council will not oppose the appeal'."

RECOMMENDATION_NEEDS_GROUND = (
    "The Tribunal can only make health or social care recommendations alongside an appeal "
    "under s.51(2)(b) to (f) (SI 2017/1306)."
)

RECOMMENDATION_SECTIONS = "Choose the sections (C, D, G, H1 or H2) the recommendation is about."

RESPONSE_TWICE = "A response is already recorded."


def _check_grounds(disagreement: Disagreement, grounds: list[str], sections: list[str]) -> None:
    if not grounds:
        raise ValidationError({"grounds": GROUND_NEEDED})
    allowed = GROUNDS_FOR_DECISION[disagreement.decision]
    for code in grounds:
        if code not in GROUNDS:
            raise ValidationError({"grounds": GROUND_UNKNOWN.format(code=code)})
        if code not in allowed:
            raise ValidationError(
                {
                    "grounds": GROUND_MISMATCH.format(
                        ground=GROUNDS[code][0],
                        decision=disagreement.get_decision_display().lower(),
                        allowed="; ".join(GROUNDS[g][0] for g in allowed),
                    )
                }
            )
    for section in sections:
        if section not in ("B", "E", "F", "I", *HEALTH_CARE_SECTIONS):
            raise ValidationError({"sections": SECTIONS_UNKNOWN.format(section=section)})
    if any(s in HEALTH_CARE_SECTIONS for s in sections) and set(grounds) <= {"a"}:
        raise ValidationError({"sections": RECOMMENDATION_SECTIONS_NEED_EDUCATION_GROUND})
    content = any(g.startswith("c_") for g in grounds) or "e" in grounds or "f" in grounds
    if any(s in ("B", "E", "F", "I") for s in sections) and not content:
        raise ValidationError({"sections": CONTENT_SECTIONS_NEED_CONTENT_GROUND})


@transaction.atomic
def appeal_register(
    *,
    disagreement: Disagreement,
    registered_on: date,
    grounds: list[str],
    sections: list[str],
    acting_user: User,
    tribunal_reference: str = "",
    response_due_on: date | None = None,
) -> Appeal:
    """The Tribunal registered an appeal. One received after the deadline is still recorded
    (the Tribunal may admit it, F6) and flagged as late."""
    disagreement = _locked(disagreement)
    _require_open(disagreement)
    if Appeal.objects.filter(disagreement=disagreement).exists():
        raise ValidationError(ALREADY_APPEALED)
    _check_grounds(disagreement, grounds, sections)
    _check_after_decision("registered_on", registered_on, disagreement)
    needs_certificate = not set(grounds) <= PLACEMENT_GROUNDS
    if needs_certificate and disagreement.certificate_issued_on is None:
        raise ValidationError({"grounds": CERTIFICATE_MISSING})
    if disagreement.certificate_issued_on and registered_on < disagreement.certificate_issued_on:
        raise ValidationError(
            {
                "registered_on": BEFORE_EARLIER.format(
                    what="the mediation certificate", on=disagreement.certificate_issued_on
                )
            }
        )
    if response_due_on is not None and response_due_on < registered_on:
        raise ValidationError(
            {
                "response_due_on": BEFORE_EARLIER.format(
                    what="the appeal was registered", on=registered_on
                )
            }
        )
    deadline = appeal_by(disagreement)
    late = registered_on > deadline
    summary = f"Appeal registered by the Tribunal{' (after the deadline)' if late else ''}."
    event = _note(disagreement.case, registered_on, summary, acting_user)
    appeal = Appeal(
        disagreement=disagreement,
        registered_on=registered_on,
        tribunal_reference=tribunal_reference.strip(),
        grounds=list(grounds),
        sections=list(sections),
        deadline_on=deadline,
        is_late=late,
        response_due_on=response_due_on,
        started_by=event,
    )
    save_audited(appeal, acting_user=acting_user)
    return appeal


def _appeal(disagreement: Disagreement) -> Appeal:
    appeal = Appeal.objects.select_for_update().filter(disagreement=disagreement).first()
    if appeal is None:
        raise ValidationError(NO_APPEAL)
    return appeal


def _require_undecided(appeal: Appeal) -> None:
    if appeal.outcome:
        raise ValidationError(APPEAL_DECIDED.format(outcome=appeal.get_outcome_display().lower()))


@transaction.atomic
def appeal_response_record(
    *,
    disagreement: Disagreement,
    sent_on: date,
    acting_user: User,
    response_due_on: date | None = None,
) -> Appeal:
    """F4: the council's response to the appeal (due as the Tribunal's directions say)."""
    disagreement = _locked(disagreement)
    appeal = _appeal(disagreement)
    _require_undecided(appeal)
    if appeal.response_sent_on:
        raise ValidationError(RESPONSE_ALREADY)
    _check_day("sent_on", sent_on, after=[("the appeal was registered", appeal.registered_on)])
    appeal.response_sent_on = sent_on
    if response_due_on is not None:
        appeal.response_due_on = response_due_on
    save_audited(appeal, acting_user=acting_user)
    return appeal


@transaction.atomic
def appeal_hearing_record(
    *, disagreement: Disagreement, hearing_on: date, acting_user: User
) -> Appeal:
    """The hearing date (it may be in the future)."""
    disagreement = _locked(disagreement)
    appeal = _appeal(disagreement)
    _require_undecided(appeal)
    if hearing_on < appeal.registered_on:
        raise ValidationError(
            {
                "hearing_on": BEFORE_EARLIER.format(
                    what="the appeal was registered", on=appeal.registered_on
                )
            }
        )
    appeal.hearing_on = hearing_on
    save_audited(appeal, acting_user=acting_user)
    return appeal


@transaction.atomic
def appeal_unopposed_record(
    *,
    disagreement: Disagreement,
    notified_on: date,
    order_types: list[str],
    acting_user: User,
) -> list[Order]:
    """Reg 45: the council told the Tribunal, before its response, that it will not oppose.
    The appeal is treated as decided for the family; the U-a to U-c clocks run from that day."""
    disagreement = _locked(disagreement)
    _require_open(disagreement)
    appeal = _appeal(disagreement)
    _require_undecided(appeal)
    if appeal.response_sent_on:
        raise ValidationError(UNOPPOSED_AFTER_RESPONSE)
    _check_day(
        "notified_on", notified_on, after=[("the appeal was registered", appeal.registered_on)]
    )
    if not order_types:
        raise ValidationError({"order_types": "Choose what the council must now do."})
    allowed = UNOPPOSED_TYPES_FOR_DECISION[disagreement.decision]
    for order_type in order_types:
        _check_order_type(disagreement, order_type, allowed, "order_types")
    appeal.outcome, appeal.decided_on = Appeal.Outcome.UNOPPOSED, notified_on
    save_audited(appeal, acting_user=acting_user)
    return [
        _order_create(disagreement, appeal, S.UNOPPOSED, t, notified_on, "", "", acting_user)
        for t in order_types
    ]


@transaction.atomic
def appeal_decision_record(
    *,
    disagreement: Disagreement,
    decided_on: date,
    outcome: str,
    acting_user: User,
    orders: Iterable[tuple[str, bool, str]] = (),
) -> Appeal:
    """The Tribunal's decision, with any orders: (order type, by consent, details) each.

    A concession without an order does not reset the original clocks (W v Hertfordshire): the
    20 weeks from the request run on, as a clock of their own linked to the concession.
    """
    disagreement = _locked(disagreement)
    _require_open(disagreement)
    appeal = _appeal(disagreement)
    _require_undecided(appeal)
    if outcome not in Appeal.Outcome.values:
        raise ValidationError({"outcome": "Choose the outcome."})
    if outcome == Appeal.Outcome.UNOPPOSED:
        raise ValidationError({"outcome": UNOPPOSED_USE_FORM})
    _check_day(
        "decided_on", decided_on, after=[("the appeal was registered", appeal.registered_on)]
    )
    orders = list(orders)
    if orders and outcome not in (
        Appeal.Outcome.UPHELD,
        Appeal.Outcome.PARTLY_UPHELD,
        Appeal.Outcome.DISMISSED,
    ):
        raise ValidationError({"order_type": ORDERS_NEED_OUTCOME})
    allowed = ORDER_TYPES_FOR_DECISION[disagreement.decision]
    for order_type, _consent, _details in orders:
        _check_order_type(disagreement, order_type, allowed, "order_type")
    appeal.outcome, appeal.decided_on = outcome, decided_on
    save_audited(appeal, acting_user=acting_user)
    for order_type, consent, details in orders:
        source = S.CONSENT if consent else S.TRIBUNAL
        _order_create(
            disagreement, appeal, source, order_type, decided_on, details, "", acting_user
        )
    if outcome == Appeal.Outcome.CONCEDED and disagreement.decision in CONCESSION_DUTIES:
        order_type, kinds = CONCESSION_DUTIES[disagreement.decision]
        event = _note(
            disagreement.case,
            decided_on,
            "The council conceded the appeal without an order: the original time limits from "
            "the request still apply (R (W) v Hertfordshire CC [2023] EWHC 3138 (Admin)).",
            acting_user,
        )
        order = Order(
            disagreement=disagreement,
            appeal=appeal,
            source=S.CONCESSION,
            order_type=order_type,
            made_on=decided_on,
            started_by=event,
            recorded_by=acting_user,
        )
        save_audited(order, acting_user=acting_user)
        for kind in kinds:
            save_audited(OrderDuty(order=order, kind=kind), acting_user=acting_user)
    _track(disagreement)
    return appeal


@transaction.atomic
def recommendation_record(
    *,
    disagreement: Disagreement,
    made_on: date,
    body: str,
    sections: list[str],
    text: str,
    acting_user: User,
) -> Recommendation:
    """A Tribunal recommendation on health or social care: a written response is due from the
    health body or the council within 5 weeks (spec 4.5)."""
    disagreement = _locked(disagreement)
    appeal = _appeal(disagreement)
    if set(appeal.grounds) <= {"a"}:
        raise ValidationError(RECOMMENDATION_NEEDS_GROUND)
    if body not in Recommendation.Body.values:
        raise ValidationError({"body": "Choose who the recommendation is for."})
    if not sections or any(s not in HEALTH_CARE_SECTIONS for s in sections):
        raise ValidationError({"sections": RECOMMENDATION_SECTIONS})
    _check_day("made_on", made_on, after=[("the appeal was registered", appeal.registered_on)])
    text = _require_text("text", text, "what the Tribunal recommended")
    event = _note(
        disagreement.case,
        made_on,
        "Tribunal recommendation on health or social care: response due in 5 weeks.",
        acting_user,
    )
    recommendation = Recommendation(
        appeal=appeal,
        made_on=made_on,
        body=body,
        sections=list(sections),
        text=text,
        started_by=event,
    )
    save_audited(recommendation, acting_user=acting_user)
    _track(disagreement)
    return recommendation


@transaction.atomic
def recommendation_response_record(
    *,
    disagreement: Disagreement,
    recommendation_id: int,
    responded_on: date,
    response: str,
    acting_user: User,
) -> Recommendation:
    disagreement = _locked(disagreement)
    recommendation = (
        Recommendation.objects.select_for_update()
        .filter(pk=recommendation_id, appeal__disagreement=disagreement)
        .first()
    )
    if recommendation is None:
        raise ValidationError({"recommendation": "Choose a recommendation on this appeal."})
    if recommendation.responded_on:
        raise ValidationError({"recommendation": RESPONSE_TWICE})
    _check_day("responded_on", responded_on, after=[("the recommendation", recommendation.made_on)])
    recommendation.responded_on = responded_on
    recommendation.response = _require_text("response", response, "the response")
    save_audited(recommendation, acting_user=acting_user)
    _track(disagreement)
    return recommendation
