"""Reads for the family's pages: their case in plain English, with every statutory date.

Dates come from the Deadline rows (computed by ehc.timescales through the services) and from the
notices; nothing here does date arithmetic except through ehc.timescales.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils.formats import date_format

from ehc import deadline_rules, timescales
from ehc.models import Case, CaseEvent, Deadline, EHCPlan, Notice, TimescaleException
from ehc.selectors import deadline_badge
from ehc.services.assessment import ADVISERS

Stage, Outcome = Case.Stage, Case.Outcome

STAGE_TEXT = {
    Stage.REQUEST_RECEIVED: "We have received the request.",
    Stage.DECIDING_TO_ASSESS: (
        "We have received the request and are deciding whether to carry out an Education, "
        "Health and Care (EHC) needs assessment."
    ),
    Stage.ASSESSING: (
        "We are carrying out the EHC needs assessment. We are asking professionals, and the "
        "family, for advice and information."
    ),
    Stage.DECIDING_TO_ISSUE: (
        "We have gathered the advice and are deciding whether an EHC plan is needed."
    ),
    Stage.DRAFTING: "We have decided to write an EHC plan and are preparing the draft.",
    Stage.DRAFT_ISSUED: (
        "We have sent the draft EHC plan. You can comment on it, ask for a meeting, and ask for "
        "a school, college or other setting to be named in it."
    ),
    Stage.PLAN_ISSUED: "The final EHC plan has been issued.",
}
OUTCOME_TEXT = {
    Outcome.NOT_ASSESSED: (
        "We decided not to carry out an EHC needs assessment. If you disagree, you can ask for "
        "mediation and appeal."
    ),
    Outcome.NO_PLAN: (
        "We carried out the assessment and decided an EHC plan is not needed. If you disagree, "
        "you can ask for mediation and appeal."
    ),
    Outcome.PLAN_ISSUED: "The final EHC plan has been issued.",
    Outcome.WITHDRAWN: "The request was withdrawn, so the case is closed.",
    Outcome.MOVED_LA: "The case has moved to another council.",
}

# What the council (or the family) must do by each open date, in plain words.
NEXT_TEXT = {
    "A2": "We must tell you whether we will carry out an EHC needs assessment",
    "A7": "If we decide an EHC plan is not needed, we must tell you",
    "A13": "If we decide to issue an EHC plan, the final plan must be issued",
    "A10": (
        "You can comment on the draft plan, ask for a meeting, and ask for a school or other "
        "setting to be named"
    ),
}
FAMILY_TITLES = {
    "A2": "Decision whether to carry out an assessment (6 weeks from the request)",
    "A5": "Advice from a professional (6 weeks from being asked)",
    "A7": "Decision not to issue a plan, if that is the decision (16 weeks from the request)",
    "A10": "Your time to comment on the draft plan (15 days)",
    "A12": "A school or setting's reply to being consulted (guidance)",
    "A13": "Final EHC plan issued (20 weeks from the request)",
    "R1": "The first review of the plan (within 12 months of it being issued)",
    "PB13": "First review of direct payments (3 months after they start)",
    "T8": "Final EHC plan after the transfer review",
    "T9": "Final EHC plan after the transfer review",
    "T10": "Final EHC plan after the transfer review (18 weeks from its start)",
}


@dataclass(frozen=True)
class ExceptionShown:
    reason: str
    starts_on: date
    ends_on: date
    explanation: str
    family_told_on: date | None


@dataclass(frozen=True)
class DateRow:
    title: str
    legal_basis: str
    due_on: date
    status: str  # one or two words, for the tag
    colour: str  # govuk-tag modifier: green, orange, red, grey, blue
    detail: str
    met_on: date | None
    is_guidance: bool
    explanation: str
    exceptions: list[ExceptionShown] = field(default_factory=list)


@dataclass(frozen=True)
class NextStep:
    text: str
    due_on: date
    family: bool = False
    excused: bool = False  # an exception applies: "as soon as we can", not by the date


@dataclass
class FamilyCasePage:
    case: Case
    where: str
    caseworker: str
    next_steps: list[NextStep]
    dates: list[DateRow]
    notices: list[Notice]
    plan: EHCPlan | None
    plan_window_ends: date | None
    appealable: Notice | None
    documents: list
    request: CaseEvent | None


def _fmt(day: date) -> str:
    return date_format(day, "j F Y")


def _title(deadline: Deadline) -> str:
    if deadline.title == deadline_rules.TITLE_WHEN_MET_BY.get(
        (deadline.kind, deadline_rules.DECIDED_TO_ISSUE)
    ):
        return (
            "Decision whether to issue a plan: we decided to issue one (16 weeks from the request)"
        )
    if deadline.kind == "A5" and deadline.subject_key:
        adviser = ADVISERS.get(deadline.subject_key, deadline.subject_key)
        return f"{adviser}: due 6 weeks after the adviser was asked"
    return FAMILY_TITLES.get(deadline.kind, deadline.title)


def _status(deadline: Deadline, today: date) -> tuple[str, str, str]:
    """(tag, colour, detail): a short status word for the tag, and the words that explain it."""
    S = Deadline.Status
    if deadline.is_family_window:
        if today <= deadline.due_on:
            return "Open", "blue", f"Until {_fmt(deadline.due_on)}"
        return "Ended", "grey", f"Ended on {_fmt(deadline.due_on)}"
    if deadline.status == S.MET:
        if deadline.met_late:
            return "Met late", "red", f"Done on {_fmt(deadline.met_on)}, after the legal date"
        return "Met", "green", f"Done on {_fmt(deadline.met_on)}"
    if deadline.status == S.DISAPPLIED:
        return (
            "Exception",
            "grey",
            "The time limit does not apply because of an exception. We must still do this as "
            "soon as we can.",
        )
    if deadline.status == S.BREACHED:
        return "Missed", "red", "Not done by the legal date"
    if deadline.status == S.SUPERSEDED:
        return "Replaced", "grey", "Replaced by a later date"
    if deadline.status == S.NOT_NEEDED:
        return "Not needed", "grey", "No longer needed"
    badge = deadline_badge(deadline, today)
    colours = {"red": "red", "amber": "orange", "green": "green"}
    tag = {"red": "Overdue", "amber": "Due soon"}.get(badge.colour, "Not yet due")
    return tag, colours.get(badge.colour, "grey"), badge.label


def _next_steps(deadlines: list[Deadline], today: date, stage: str) -> list[NextStep]:
    steps, advice_due = [], []
    for d in deadlines:
        if d.is_family_window:
            if d.kind in NEXT_TEXT and today <= d.due_on:
                steps.append(NextStep(NEXT_TEXT[d.kind], d.due_on, family=True))
            continue
        if not d.is_open or d.is_guidance:
            continue
        if d.kind == "A5":
            advice_due.append(d.due_on)
        elif d.kind in NEXT_TEXT:
            text = NEXT_TEXT[d.kind]
            if d.kind == "A13" and stage in (Stage.DRAFTING, Stage.DRAFT_ISSUED):
                text = "The final EHC plan must be issued"
            steps.append(NextStep(text, d.due_on, excused=d.status == Deadline.Status.DISAPPLIED))
    if advice_due:
        steps.append(
            NextStep("The professionals we have asked for advice should reply", max(advice_due))
        )
    return sorted(steps, key=lambda s: s.due_on)


def latest_appealable_notice(case: Case) -> Notice | None:
    return case.notices.filter(kind__in=Notice.APPEALABLE).order_by("-sent_on", "-id").first()


def family_notices(case: Case):
    """Letters to the family: every notice except the one to professionals (Reg 4(2))."""
    return case.notices.exclude(kind=Notice.Kind.CONSIDERING).order_by("sent_on", "id")


def visible_plan(case: Case) -> EHCPlan | None:
    """The plan once the family has been sent it (a draft being written is not shown)."""
    plan = EHCPlan.objects.filter(case=case).first()
    if plan is None:
        return None
    if plan.status == EHCPlan.Status.FINAL or plan.draft_served_on is not None:
        return plan
    return None


def plan_window_end(plan: EHCPlan | None) -> date | None:
    if plan is None or plan.status != EHCPlan.Status.DRAFT or plan.draft_served_on is None:
        return None
    return timescales.draft_representations_end(plan.draft_served_on)


def family_case_page(case: Case, today: date) -> FamilyCasePage:
    case = Case.objects.select_related("child", "assigned_caseworker").get(pk=case.pk)
    deadlines = list(
        case.deadlines.prefetch_related(
            Prefetch("exceptions", queryset=TimescaleException.objects.order_by("starts_on"))
        ).order_by("due_on", "kind")
    )
    rows = []
    for d in deadlines:
        status, colour, detail = _status(d, today)
        rows.append(
            DateRow(
                title=_title(d),
                legal_basis=d.legal_basis,
                due_on=d.due_on,
                status=status,
                colour=colour,
                detail=detail,
                met_on=d.met_on,
                is_guidance=d.is_guidance,
                explanation=d.explanation,
                exceptions=[
                    ExceptionShown(
                        reason=timescales.EXCEPTION_CODES.get(e.code, e.code),
                        starts_on=e.starts_on,
                        ends_on=e.ends_on,
                        explanation=e.reasoning,
                        family_told_on=e.family_told_on,
                    )
                    for e in d.exceptions.all()
                ],
            )
        )
    if case.is_open:
        where = STAGE_TEXT.get(case.stage, case.get_stage_display())
    else:
        where = OUTCOME_TEXT.get(case.outcome, case.get_outcome_display())
    plan = visible_plan(case)
    return FamilyCasePage(
        case=case,
        where=where,
        caseworker=case.assigned_caseworker.display_name() if case.assigned_caseworker else "",
        next_steps=_next_steps(deadlines, today, case.stage) if case.is_open else [],
        dates=rows,
        notices=list(family_notices(case)),
        plan=plan,
        plan_window_ends=plan_window_end(plan),
        appealable=latest_appealable_notice(case),
        documents=list(case.request_documents.all()),
        request=case.events.filter(kind=CaseEvent.Kind.REQUEST_RECEIVED).first(),
    )


@dataclass(frozen=True)
class Routes:
    notice: Notice | None
    mediation_contact_by: date | None
    appeal_by: date | None
    placement_only_needs_no_certificate: bool


def disagreement_routes(case: Case) -> Routes:
    """Mediation and appeal dates from the latest decision the family can appeal (spec M2, F1)."""
    notice = latest_appealable_notice(case)
    if notice is None:
        return Routes(None, None, None, False)
    return Routes(
        notice=notice,
        mediation_contact_by=notice.mediation_contact_by
        or timescales.mediation_contact_deadline(notice.sent_on),
        appeal_by=notice.appeal_by or timescales.appeal_deadline(notice.sent_on),
        placement_only_needs_no_certificate=notice.kind == Notice.Kind.FINAL_PLAN,
    )
