"""Reads for the disagreement pages: one disagreement in full, the family's view of each route,
and the managers' figures. Dates come from Deadline rows, the notices and ehc.timescales (through
disagreements.services); nothing here does date arithmetic of its own."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, QuerySet

from disagreements import services as svc
from disagreements.models import (
    GROUNDS,
    Appeal,
    Complaint,
    Disagreement,
    Mediation,
    Order,
    OrderDuty,
    Recommendation,
)
from ehc.models import Case, Deadline, Notice
from ehc.selectors import deadline_badge
from ehc.timescales import RULES

CLOCK_SOURCE = svc.CLOCK_SOURCE


# -- where each stage stands (read by the task pages and the flow's gateways) ------------------

#: Orders that follow an appeal: the Tribunal's, by consent, after an unopposed appeal, or a
#: concession. (A mediation agreement's duties are a stage of their own.)
APPEAL_SOURCES = (
    Order.Source.TRIBUNAL,
    Order.Source.CONSENT,
    Order.Source.UNOPPOSED,
    Order.Source.CONCESSION,
)
AGREEMENT_SOURCES = (Order.Source.AGREEMENT,)

STAGE_NOT_FINISHED = "{what} Record it, or close the disagreement, before finishing this task."
DUTIES_NOT_FINISHED = (
    "Some of what was ordered or agreed is not done yet. Record each one as it is done; an "
    "exception the regulations allow can be recorded against its time limit on the case page."
)
RECOMMENDATION_NOT_ANSWERED = "A recommendation still needs its written response."


def open_duties(disagreement: Disagreement, sources: Iterable[str]) -> QuerySet[OrderDuty]:
    """Duties of this disagreement's orders from `sources` that are neither done nor moot."""
    return (
        OrderDuty.objects.filter(
            order__disagreement=disagreement,
            order__source__in=list(sources),
            done_on__isnull=True,
            not_needed=False,
        )
        .select_related("order__disagreement__case")
        .order_by("order_id", "id")
    )


def unanswered_recommendations(disagreement: Disagreement) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(
        appeal__disagreement=disagreement, responded_on__isnull=True
    )


def will_appeal(disagreement: Disagreement) -> bool:
    """The family can go on to the Tribunal: a certificate, or none needed, or already lodged."""
    if Appeal.objects.filter(disagreement=disagreement).exists():
        return True
    if disagreement.status != Disagreement.Status.OPEN:
        return False
    return bool(disagreement.certificate_issued_on) or (
        disagreement.choice == Disagreement.Choice.NOT_NEEDED
    )


def has_agreement_duties(disagreement: Disagreement) -> bool:
    return open_duties(disagreement, AGREEMENT_SOURCES).exists()


def has_appeal_duties(disagreement: Disagreement) -> bool:
    return (
        unanswered_recommendations(disagreement).exists()
        or open_duties(disagreement, APPEAL_SOURCES).exists()
    )


def mediation_stage_unfinished(disagreement: Disagreement) -> str | None:
    """Why the mediation stage cannot finish yet, or None: it finishes once the family has a
    certificate, needs none, reached an agreement, or the disagreement is closed."""
    d = disagreement
    if d.status != Disagreement.Status.OPEN:
        return None
    if d.choice == Disagreement.Choice.NOT_NEEDED or d.certificate_issued_on:
        return None
    mediation = getattr(d, "mediation", None)
    if mediation is not None and mediation.outcome == Mediation.Outcome.AGREEMENT:
        return None
    return STAGE_NOT_FINISHED.format(what="The family does not have a mediation certificate yet.")


def appeal_stage_unfinished(disagreement: Disagreement) -> str | None:
    """Why the appeal stage cannot finish yet, or None: it finishes with the Tribunal's
    decision, or when the disagreement closed without an appeal."""
    appeal = getattr(disagreement, "appeal", None)
    if appeal is None and disagreement.status != Disagreement.Status.OPEN:
        return None
    if appeal is not None and appeal.outcome:
        return None
    return STAGE_NOT_FINISHED.format(
        what="The appeal has no decision yet." if appeal else "No appeal is recorded."
    )


def order_duties_unfinished(disagreement: Disagreement) -> str | None:
    """Why the orders stage cannot finish: a duty not done, or a recommendation unanswered."""
    if open_duties(disagreement, APPEAL_SOURCES).exists():
        return DUTIES_NOT_FINISHED
    if unanswered_recommendations(disagreement).exists():
        return RECOMMENDATION_NOT_ANSWERED
    return None


def agreement_duties_unfinished(disagreement: Disagreement) -> str | None:
    return DUTIES_NOT_FINISHED if has_agreement_duties(disagreement) else None


# -- one disagreement ---------------------------------------------------------------------------


@dataclass
class DutyRow:
    duty: OrderDuty
    text: str
    deadline: Deadline | None


@dataclass
class OrderRow:
    order: Order
    duties: list[DutyRow]


@dataclass
class DisagreementDetail:
    disagreement: Disagreement
    mediation: Mediation | None
    appeal: Appeal | None
    orders: list[OrderRow]
    recommendations: list[Recommendation]
    clocks: list[tuple[Deadline, object]]
    contact_by: date
    appeal_by: date
    contact_late: bool
    certificate_needed: bool
    certificate_clock: Deadline | None
    complaints: list[Complaint] = field(default_factory=list)

    @property
    def grounds(self) -> list[str]:
        return self.appeal.ground_labels() if self.appeal else []


def clock_subjects(disagreement: Disagreement) -> list[str]:
    subjects = [disagreement.subject]
    mediation = getattr(disagreement, "mediation", None)
    if mediation is not None:
        subjects.append(mediation.subject)
    subjects += [o.subject for o in disagreement.orders.all()]
    appeal = getattr(disagreement, "appeal", None)
    if appeal is not None:
        subjects += [r.subject for r in appeal.recommendations.all()]
    return subjects


def disagreement_detail(disagreement: Disagreement, today: date) -> DisagreementDetail:
    disagreement = (
        Disagreement.objects.select_related("case", "notice", "mediation", "appeal")
        .prefetch_related("orders__duties", "appeal__recommendations", "complaints")
        .get(pk=disagreement.pk)
    )
    clocks = {
        (d.kind, d.subject_key): d
        for d in Deadline.objects.filter(
            case=disagreement.case_id,
            source=CLOCK_SOURCE,
            subject_key__in=clock_subjects(disagreement),
        ).prefetch_related("exceptions")
    }
    orders = [
        OrderRow(
            order=o,
            duties=[
                DutyRow(d, svc.DUTY_TEXT.get(d.kind, d.kind), clocks.get((d.kind, o.subject)))
                for d in o.duties.all()
            ],
        )
        for o in disagreement.orders.all()
    ]
    appeal = getattr(disagreement, "appeal", None)
    certificate_clock = next(
        (
            clocks[(k, disagreement.subject)]
            for k in svc.CERTIFICATE_KINDS
            if (k, disagreement.subject) in clocks
            and clocks[(k, disagreement.subject)].status != Deadline.Status.NOT_NEEDED
        ),
        None,
    )
    return DisagreementDetail(
        disagreement=disagreement,
        mediation=getattr(disagreement, "mediation", None),
        appeal=appeal,
        orders=orders,
        recommendations=list(appeal.recommendations.all()) if appeal else [],
        clocks=[
            (d, deadline_badge(d, today))
            for d in sorted(clocks.values(), key=lambda d: (d.due_on, d.kind))
        ],
        contact_by=svc.mediation_contact_by(disagreement),
        appeal_by=svc.appeal_by(disagreement),
        contact_late=svc.contact_was_late(disagreement),
        certificate_needed=svc.certificate_needed(disagreement),
        certificate_clock=certificate_clock,
        complaints=list(disagreement.complaints.all()),
    )


def case_disagreements(case: Case):
    return (
        Disagreement.objects.filter(case=case)
        .select_related("notice", "mediation", "appeal")
        .order_by("decision_sent_on", "id")
    )


def appealable_notices_without_disagreement(
    case: Case, disagreements: list[Disagreement] | None = None
) -> list[Notice]:
    """The case's appealable notices that no disagreement is about yet. Given the case's
    disagreements, and its notices fetched already (the case page), it asks nothing more."""
    if disagreements is None:
        disagreements = list(case_disagreements(case))
    disputed = {d.notice_id for d in disagreements}
    notices = sorted(case.notices.all(), key=lambda notice: (notice.sent_on, notice.pk))
    return [n for n in notices if n.kind in Notice.APPEALABLE and n.pk not in disputed]


# -- the family's view --------------------------------------------------------------------------


@dataclass(frozen=True)
class FamilyStep:
    text: str
    due_on: date | None = None
    done_on: date | None = None
    late: bool = False
    who: str = "you"  # "you" or "us"
    note: str = ""  # said after the date, in brackets


# What each duty means for the family, in their words.
FAMILY_DUTY_TEXT = {
    "Ta-cease": "We will stop maintaining the plan",
    "Tb-assess": "We must tell you we will carry out the assessment",
    "Tb-no-plan": "If we then decide a plan is not needed, we must tell you why",
    "Tb-final": "If a plan is needed, we must issue the final EHC plan",
    "Tc-draft": "We must send you the draft EHC plan",
    "Tc-final": "We must issue the final EHC plan",
    "Td-amend": "We must issue the amended EHC plan",
    "Te-placement": "We must name the school or setting in the plan",
    "Tf-continue": "We must keep maintaining the plan",
    "M9": "We must do what we agreed at mediation",
    "A7": "If we decide a plan is not needed, we must tell you why (16 weeks from your request)",
    "A13": "We must issue the final EHC plan (20 weeks from your request)",
}
for _t, _u in (
    ("Tb", "Ua"),
    ("Tc-draft", "Uc-draft"),
    ("Tc-final", "Uc-final"),
    ("Td-amend", "Ub-amend"),
    ("Te-placement", "Uc-placement"),
):
    for _kind, _text in list(FAMILY_DUTY_TEXT.items()):
        if _kind.startswith(_t):
            FAMILY_DUTY_TEXT[_u + _kind[len(_t) :]] = _text
FAMILY_SOURCE = {
    Order.Source.TRIBUNAL: "the Tribunal's order",
    Order.Source.CONSENT: "the Tribunal's consent order",
    Order.Source.UNOPPOSED: "we did not oppose your appeal",
    Order.Source.AGREEMENT: "the mediation agreement",
    Order.Source.CONCESSION: "we conceded your appeal",
}


@dataclass
class FamilyRoute:
    title: str
    sent_on: date
    notice: Notice | None
    where: str
    your_steps: list[FamilyStep]
    our_steps: list[FamilyStep]
    history: list[FamilyStep]


def _where(detail: DisagreementDetail | None) -> str:
    if detail is None:
        return "You have not told us you disagree with this decision."
    d, appeal, mediation = detail.disagreement, detail.appeal, detail.mediation
    if d.status == Disagreement.Status.SETTLED:
        return "This disagreement was settled."
    if d.status == Disagreement.Status.CLOSED and appeal is None:
        return "This disagreement was not taken further."
    if appeal is not None:
        if appeal.outcome:
            if detail.orders:
                return (
                    f"The Tribunal appeal has ended ({appeal.get_outcome_display().lower()}). "
                    "Below is what we must now do, and by when."
                )
            return f"The Tribunal appeal has ended ({appeal.get_outcome_display().lower()})."
        return "Your appeal is with the Tribunal."
    if d.certificate_issued_on:
        return "You have a mediation certificate, so you can appeal to the Tribunal."
    if mediation is not None:
        if mediation.held_on:
            return f"Mediation has taken place ({mediation.get_outcome_display().lower()})."
        if mediation.arranged_on:
            return "Mediation has been arranged."
        return "You have asked for mediation. We must arrange it."
    if d.adviser_contacted_on:
        return "You have contacted the mediation adviser."
    return "We know you disagree with this decision."


def _family_route(notice: Notice | None, detail: DisagreementDetail | None, today: date):
    if detail is not None:
        d = detail.disagreement
        title, sent_on = d.get_decision_display(), d.decision_sent_on
        contact_by, appeal_by = detail.contact_by, detail.appeal_by
    else:
        title, sent_on = notice.get_kind_display(), notice.sent_on
        contact_by, appeal_by = notice.mediation_contact_by, notice.appeal_by
    you, us, history = [], [], []
    d = detail.disagreement if detail else None
    mediation = detail.mediation if detail else None
    appeal = detail.appeal if detail else None
    open_route = d is None or d.status == Disagreement.Status.OPEN
    placement_note = (
        " (unless your appeal is only about the school or setting named in the plan)"
        if (notice and notice.kind == Notice.Kind.FINAL_PLAN)
        or (d and d.decision == Disagreement.Decision.PLAN_CONTENTS)
        else ""
    )
    if d is None or d.adviser_contacted_on is None:
        if open_route and today <= contact_by:
            you.append(
                FamilyStep(
                    f"Contact the mediation adviser{placement_note}, and tell them whether you want "
                    "mediation,",
                    contact_by,
                )
            )
        elif open_route:
            you.append(
                FamilyStep(
                    "The 2 months to contact the mediation adviser have ended. Contact them, or get "
                    "advice, as soon as you can",
                    contact_by,
                    late=True,
                )
            )
    else:
        history.append(
            FamilyStep(
                "You contacted the mediation adviser",
                done_on=d.adviser_contacted_on,
                late=detail.contact_late,
            )
        )
        if d.choice == Disagreement.Choice.MEDIATION and mediation is None and open_route:
            you.append(
                FamilyStep(
                    "Tell us you want mediation, what you want to mediate about, and any health "
                    "provision you want"
                )
            )
    if mediation is not None:
        history.append(
            FamilyStep("You told us you want mediation", done_on=mediation.la_informed_on)
        )
        if mediation.arranged_on:
            meeting = f" for {mediation.meeting_on:%-d %B %Y}" if mediation.meeting_on else ""
            history.append(
                FamilyStep(
                    f"We arranged mediation{meeting}",
                    done_on=mediation.arranged_on,
                    late=mediation.arranged_on > mediation.arrange_by,
                )
            )
        elif not mediation.held_on and not mediation.not_arranged_adviser_told_on:
            us.append(FamilyStep("We must arrange mediation", mediation.arrange_by, who="us"))
        if mediation.health_body_due_on and not mediation.health_body_told_on:
            us.append(
                FamilyStep(
                    "We must tell the health body about the health issues",
                    mediation.health_body_due_on,
                    who="us",
                )
            )
        if mediation.held_on:
            history.append(
                FamilyStep(
                    f"Mediation ended: {mediation.get_outcome_display().lower()}",
                    done_on=mediation.held_on,
                )
            )
    if d is not None and detail.certificate_clock is not None and not d.certificate_issued_on:
        us.append(
            FamilyStep(
                "The mediation adviser must send your certificate",
                detail.certificate_clock.due_on,
                who="us",
            )
        )
    if d is not None and d.certificate_issued_on:
        history.append(FamilyStep("Mediation certificate issued", done_on=d.certificate_issued_on))
    if appeal is None and open_route:
        if d is not None and d.certificate_issued_on:
            note = "1 month from your certificate, or 2 months from our letter if that is later"
        else:
            note = "or within 1 month of the date on your mediation certificate, if that is later"
        you.append(
            FamilyStep(
                "If you appeal, the Tribunal must receive your appeal",
                appeal_by,
                late=today > appeal_by,
                note=note,
            )
        )
    if appeal is not None:
        late = (
            " It arrived after the deadline; the Tribunal decided to accept it."
            if appeal.is_late
            else ""
        )
        history.append(
            FamilyStep(f"The Tribunal registered your appeal.{late}", done_on=appeal.registered_on)
        )
        if appeal.response_due_on and not appeal.response_sent_on and not appeal.outcome:
            us.append(
                FamilyStep(
                    "We must send our response to the Tribunal", appeal.response_due_on, who="us"
                )
            )
        if appeal.response_sent_on:
            history.append(
                FamilyStep("We sent our response to the Tribunal", done_on=appeal.response_sent_on)
            )
        if appeal.hearing_on and not appeal.outcome:
            you.append(FamilyStep("The hearing", appeal.hearing_on))
        if appeal.outcome:
            history.append(FamilyStep(appeal.get_outcome_display(), done_on=appeal.decided_on))
    if detail is not None:
        for row in detail.orders:
            for duty in row.duties:
                clock = duty.deadline
                if duty.duty.not_needed:
                    continue
                text = FAMILY_DUTY_TEXT.get(duty.duty.kind, duty.text)
                note = FAMILY_SOURCE.get(row.order.source, "")
                if duty.duty.done_on:
                    done = f"{svc.DUTY_TEXT.get(duty.duty.kind, duty.text)}: done ({note})"
                    history.append(
                        FamilyStep(
                            done, done_on=duty.duty.done_on, late=bool(clock and clock.met_late)
                        )
                    )
                elif clock is not None:
                    us.append(FamilyStep(text, clock.due_on, who="us", note=note))
                elif row.order.other_timescale:
                    us.append(
                        FamilyStep(f"{text}: {row.order.other_timescale}", who="us", note=note)
                    )
        for rec in detail.recommendations:
            who = rec.get_body_display()
            if rec.responded_on:
                history.append(
                    FamilyStep(
                        f"Response to the recommendation sent by {who}", done_on=rec.responded_on
                    )
                )
            else:
                due = next(
                    (
                        c.due_on
                        for c, _ in detail.clocks
                        if c.kind == "Rec-response" and c.subject_key == rec.subject
                    ),
                    None,
                )
                us.append(
                    FamilyStep(
                        f"{who} must reply in writing to the Tribunal's recommendation",
                        due,
                        who="us",
                        note="5 weeks from the recommendation",
                    )
                )
    return FamilyRoute(
        title=title,
        sent_on=sent_on,
        notice=notice or (d.notice if d else None),
        where=_where(detail),
        your_steps=you,
        our_steps=sorted(us, key=lambda s: s.due_on or date.max),
        history=sorted(history, key=lambda s: s.done_on or date.min),
    )


def family_routes(case: Case, today: date) -> list[FamilyRoute]:
    """One route per decision the family can disagree with: every appealable letter, and every
    disagreement recorded, newest first."""
    notices = list(case.notices.filter(kind__in=Notice.APPEALABLE).order_by("sent_on", "id"))
    by_notice = {}
    others = []
    for d in case_disagreements(case):
        detail = disagreement_detail(d, today)
        if d.notice_id:
            by_notice[d.notice_id] = detail
        else:
            others.append(detail)
    routes = [_family_route(n, by_notice.get(n.pk), today) for n in notices]
    routes += [_family_route(None, detail, today) for detail in others]
    return sorted(routes, key=lambda r: r.sent_on, reverse=True)


def family_complaints(case: Case) -> list[Complaint]:
    return list(case.complaints.order_by("made_on", "id"))


# -- the managers' figures ----------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    label: str
    count: int


@dataclass(frozen=True)
class ComplianceRow:
    kind: str
    title: str
    legal_basis: str
    total: int
    met_on_time: int
    met_late: int
    open_in_time: int
    overdue: int
    excused: int
    not_needed: int

    @property
    def on_time_rate(self) -> str:
        finished = self.met_on_time + self.met_late + self.overdue
        return f"{round(100 * self.met_on_time / finished)}%" if finished else "-"


def _choice_counts(queryset, field, choices) -> list[Figure]:
    counts = dict(queryset.values_list(field).annotate(n=Count("id")).values_list(field, "n"))
    return [Figure(label, counts.get(value, 0)) for value, label in choices]


def dashboard_figures(today: date) -> dict:
    """Every figure on the disagreements dashboard: a fixed number of grouped queries."""
    disagreements = _choice_counts(
        Disagreement.objects.all(), "decision", Disagreement.Decision.choices
    )
    mediation = Mediation.objects.aggregate(
        requested=Count("id"),
        arranged=Count("id", filter=Q(arranged_on__isnull=False)),
        arranged_in_time=Count("id", filter=Q(arranged_on__lte=F("arrange_by"))),
        held=Count("id", filter=Q(held_on__isnull=False)),
        held_in_time=Count("id", filter=Q(held_on__lte=F("arrange_by"))),
        not_arranged=Count("id", filter=Q(not_arranged_adviser_told_on__isnull=False)),
        health=Count("id", filter=~Q(health_issues="")),
        health_in_time=Count("id", filter=Q(health_body_told_on__lte=F("health_body_due_on"))),
    )
    outcomes = _choice_counts(
        Mediation.objects.exclude(outcome=""), "outcome", Mediation.Outcome.choices
    )
    certificates = Disagreement.objects.aggregate(
        contacted=Count("id", filter=Q(adviser_contacted_on__isnull=False)),
        chose_mediation=Count("id", filter=Q(choice=Disagreement.Choice.MEDIATION)),
        chose_certificate=Count("id", filter=Q(choice=Disagreement.Choice.CERTIFICATE)),
        issued=Count("id", filter=Q(certificate_issued_on__isnull=False)),
    )
    appeals = Appeal.objects.aggregate(
        registered=Count("id"),
        late=Count("id", filter=Q(is_late=True)),
        awaiting=Count("id", filter=Q(outcome="")),
        responses_late=Count("id", filter=Q(response_sent_on__gt=F("response_due_on"))),
    )
    appeal_outcomes = _choice_counts(
        Appeal.objects.exclude(outcome=""), "outcome", Appeal.Outcome.choices
    )
    grounds = dict.fromkeys(GROUNDS, 0)
    for ground_list in Appeal.objects.values_list("grounds", flat=True).iterator():
        for g in ground_list:
            if g in grounds:
                grounds[g] += 1
    orders = _choice_counts(Order.objects.all(), "source", Order.Source.choices)
    return {
        "disagreements": disagreements,
        "mediation": mediation,
        "mediation_outcomes": outcomes,
        "certificates": certificates,
        "appeals": appeals,
        "appeal_outcomes": appeal_outcomes,
        "grounds": [Figure(f"{GROUNDS[g][0]} ({GROUNDS[g][1]})", n) for g, n in grounds.items()],
        "orders": orders,
        "compliance": clock_compliance(today),
        "complaints": _choice_counts(Complaint.objects.all(), "kind", Complaint.Kind.choices),
        "recommendations": Recommendation.objects.aggregate(
            made=Count("id"), answered=Count("id", filter=Q(responded_on__isnull=False))
        ),
    }


def clock_compliance(today: date) -> list[ComplianceRow]:
    """Compliance with every disagreement clock (orders, agreements, mediation, certificates,
    recommendations), by rule: one grouped query over the Deadline rows."""
    S = Deadline.Status
    rows = (
        Deadline.objects.filter(source=CLOCK_SOURCE)
        .values("kind")
        .annotate(
            total=Count("id"),
            met_on_time=Count("id", filter=Q(status=S.MET)),
            met_late=Count("id", filter=Q(met_on__isnull=False, met_on__gt=F("due_on"))),
            open_in_time=Count("id", filter=Q(is_open=True, due_on__gte=today, status=S.RUNNING)),
            overdue=Count("id", filter=Q(met_on__isnull=True, status=S.BREACHED)),
            excused=Count("id", filter=Q(status=S.DISAPPLIED, met_on__isnull=True)),
            not_needed=Count("id", filter=Q(status=S.NOT_NEEDED)),
        )
        .order_by("kind")
    )
    out = []
    for r in rows:
        rule = RULES.get(r["kind"])
        out.append(
            ComplianceRow(
                kind=r["kind"],
                title=rule.title if rule else r["kind"],
                legal_basis=rule.legal_basis if rule else "",
                total=r["total"],
                met_on_time=r["met_on_time"],
                met_late=r["met_late"],
                open_in_time=r["open_in_time"],
                overdue=r["overdue"],
                excused=r["excused"],
                not_needed=r["not_needed"],
            )
        )
    return out
