"""Task pages of the disagreement flow. Each stage is one task with several small forms on one
page (as the consultation task does): each form records one fact through
disagreements.services and comes back to the page; "Finished" completes the task once the
stage's facts are in. No rule lives here beyond which forms make sense to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse

from disagreements import forms, selectors
from disagreements import services as svc
from disagreements.models import Appeal, Disagreement, Mediation
from disagreements.selectors import disagreement_detail
from ehc.forms import GovForm
from ehc.services.common import local_today
from workflows.task_views import TaskFormView

C = Disagreement.Choice
DONE = "done"


@dataclass(frozen=True)
class Action:
    title: str
    form_class: type
    available: Callable[[Disagreement], bool]
    perform: Callable[..., str]
    form_kwargs: Callable[[Disagreement], dict] = lambda d: {}
    intro: str = ""


def _mediation(d: Disagreement) -> Mediation | None:
    return getattr(d, "mediation", None)


def _appeal(d: Disagreement) -> Appeal | None:
    return getattr(d, "appeal", None)


def _is_open(d: Disagreement) -> bool:
    return d.status == Disagreement.Status.OPEN


class StageTaskView(TaskFormView):
    """One stage of a disagreement: the forms that fit what has been recorded so far."""

    template_name = "disagreements/staff/task_stage.html"
    ACTIONS: dict[str, Action] = {}
    intro = ""

    @property
    def disagreement(self) -> Disagreement:
        if not hasattr(self, "_disagreement"):
            self._disagreement = Disagreement.objects.select_related("case").get(
                pk=self.activation.process.seed_object_id
            )
        return self._disagreement

    def refresh(self) -> None:
        self.__dict__.pop("_disagreement", None)

    def available_actions(self) -> list[str]:
        d = self.disagreement
        return [name for name, action in self.ACTIONS.items() if action.available(d)]

    def get_form(self, form_class=None):
        self.action = self.request.POST.get("action", "")
        if self.request.method == "POST" and self.action in self.available_actions():
            action = self.ACTIONS[self.action]
            return action.form_class(
                self.request.POST, prefix=self.action, **action.form_kwargs(self.disagreement)
            )
        return GovForm(self.request.POST or None)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bound = context["form"]
        sections = []
        for name in self.available_actions():
            action = self.ACTIONS[name]
            if self.action == name and isinstance(bound, action.form_class):
                form = bound
            else:
                form = action.form_class(prefix=name, **action.form_kwargs(self.disagreement))
            form.helper.form_tag = False
            sections.append((name, action, form))
        context.update(
            sections=sections,
            detail=disagreement_detail(self.disagreement, local_today()),
            stage_intro=self.intro,
            deadline=None,
            done_error=bound.non_field_errors() if self.action == DONE else None,
        )
        return context

    def form_valid(self, form):
        try:
            with transaction.atomic():
                if self.action == DONE:
                    self.check_finished(self.disagreement)
                    message = "Task finished."
                elif self.action in self.ACTIONS:
                    message = self.ACTIONS[self.action].perform(
                        self, form, disagreement=self.disagreement, acting_user=self.request.user
                    )
                else:
                    raise ValidationError("Choose something to record.")
        except ValidationError as error:
            form.add_service_errors(error)
            self.refresh()
            return self.form_invalid(form)
        if self.action == DONE:
            self.activation.execute()
            messages.success(self.request, message)
            return redirect(
                reverse("disagreements:detail", args=[self.case.pk, self.disagreement.pk])
            )
        messages.success(self.request, message)
        return redirect(reverse("workflows:task", args=[self.case.pk, self.activation.task.pk]))

    #: The selector that says why this stage cannot finish yet (None when it can).
    unfinished: Callable[[Disagreement], str | None]

    def check_finished(self, d: Disagreement) -> None:
        reason = type(self).unfinished(d)
        if reason:
            raise ValidationError(reason)


# -- stage 1: mediation and the certificate -----------------------------------------------------


def _contact(view, form, **kw):
    data = form.cleaned_data
    d = svc.adviser_contact_record(
        contacted_on=data["contacted_on"],
        choice=data["choice"],
        adviser_informed_on=data["adviser_informed_on"],
        **kw,
    )
    late = " It was after the 2 months (M2)." if svc.contact_was_late(d) else ""
    return f"Contact with the mediation adviser recorded.{late}"


def _request(view, form, **kw):
    data = form.cleaned_data
    m = svc.mediation_request_record(
        la_informed_on=data["la_informed_on"],
        issues=data["issues"],
        health_issues=data["health_issues"],
        rcb_only=data["rcb_only"],
        **kw,
    )
    return f"Request for mediation recorded. Arrange it by {m.arrange_by:%-d %B %Y} (M5)."


def _health(view, form, **kw):
    svc.mediation_health_notice_record(told_on=form.cleaned_data["told_on"], **kw)
    return "Recorded that the health body was told (M4)."


def _arranged(view, form, **kw):
    data = form.cleaned_data
    svc.mediation_arranged_record(
        arranged_on=data["arranged_on"], meeting_on=data["meeting_on"], **kw
    )
    return "Mediation arranged."


def _not_arranged(view, form, **kw):
    svc.mediation_not_arranged_record(adviser_told_on=form.cleaned_data["adviser_told_on"], **kw)
    return "Recorded. The adviser must issue a certificate within 3 working days (M6)."


def _held(view, form, **kw):
    data = form.cleaned_data
    svc.mediation_held_record(
        held_on=data["held_on"],
        outcome=data["outcome"],
        rcb_told_la_on=data["rcb_told_la_on"],
        **kw,
    )
    return "Mediation recorded. The certificate is due within 3 working days (M7)."


def _certificate(view, form, **kw):
    d = svc.certificate_record(issued_on=form.cleaned_data["issued_on"], **kw)
    return f"Certificate recorded. The family can appeal until {svc.appeal_by(d):%-d %B %Y}."


def _agreement(view, form, **kw):
    data = form.cleaned_data
    svc.agreement_record(
        agreed_on=data["agreed_on"],
        order_type=data["order_type"],
        details=data["details"],
        other_timescale=data["other_timescale"],
        **kw,
    )
    return "Mediation agreement recorded with its time limits (Reg 42)."


def _close(view, form, **kw):
    data = form.cleaned_data
    svc.disagreement_close(
        closed_on=data["closed_on"], settled=data["settled"] == "yes", reason=data["reason"], **kw
    )
    return "Disagreement closed. Choose Finished to complete the task."


def _can_contact(d):
    return _is_open(d) and not d.certificate_issued_on and _mediation(d) is None


def _can_certificate(d):
    return (
        _is_open(d)
        and d.adviser_contacted_on
        and d.choice != C.NOT_NEEDED
        and not d.certificate_issued_on
    )


def _m(d, test):
    m = _mediation(d)
    return _is_open(d) and m is not None and test(m)


CLOSE = Action(
    "Close the disagreement",
    forms.CloseForm,
    _is_open,
    _close,
    intro="If the family is not taking it further, or it was settled.",
)


class MediationTaskView(StageTaskView):
    intro = (
        "The family has 2 months from the decision letter to contact the mediation adviser "
        "(M2). Record what happens, then choose Finished."
    )
    ACTIONS = {
        "contact": Action(
            "The family contacted the mediation adviser",
            forms.AdviserContactForm,
            _can_contact,
            _contact,
            form_kwargs=lambda d: (
                {
                    "initial": {
                        "contacted_on": d.adviser_contacted_on,
                        "choice": d.choice,
                        "adviser_informed_on": d.adviser_informed_on,
                    }
                }
                if d.adviser_contacted_on
                else {}
            ),
        ),
        "request": Action(
            "The family asked the council for mediation",
            forms.MediationRequestForm,
            lambda d: _is_open(d) and d.choice == C.MEDIATION and _mediation(d) is None,
            _request,
        ),
        "health": Action(
            "Health issues passed to the health commissioning body (M4)",
            forms.HealthNoticeForm,
            lambda d: _m(d, lambda m: m.health_issues and not m.health_body_told_on),
            _health,
        ),
        "arranged": Action(
            "Mediation arranged (M5)",
            forms.ArrangedForm,
            lambda d: _m(d, lambda m: not m.arranged_on and not m.held_on),
            _arranged,
        ),
        "not_arranged": Action(
            "Mediation could not be arranged within 30 days (M6)",
            forms.NotArrangedForm,
            lambda d: _m(d, lambda m: not m.arranged_on and not m.not_arranged_adviser_told_on),
            _not_arranged,
        ),
        "held": Action(
            "Mediation held",
            forms.HeldForm,
            lambda d: _m(d, lambda m: not m.held_on),
            _held,
        ),
        "certificate": Action(
            "Mediation certificate issued", forms.CertificateForm, _can_certificate, _certificate
        ),
        "agreement": Action(
            "Mediation agreement (Reg 42)",
            forms.AgreementForm,
            lambda d: _m(
                d, lambda m: m.outcome in (Mediation.Outcome.AGREEMENT, Mediation.Outcome.PARTIAL)
            ),
            _agreement,
            intro="One entry for each thing the council agreed to do.",
        ),
        "close": CLOSE,
    }

    unfinished = staticmethod(selectors.mediation_stage_unfinished)


# -- stage 2: the Tribunal appeal ---------------------------------------------------------------


def _register(view, form, **kw):
    data = form.cleaned_data
    appeal = svc.appeal_register(
        registered_on=data["registered_on"],
        grounds=data["grounds"],
        sections=data["sections"],
        tribunal_reference=data["tribunal_reference"],
        response_due_on=data["response_due_on"],
        **kw,
    )
    if appeal.is_late:
        messages.warning(
            view.request,
            f"This appeal was registered after the deadline of {appeal.deadline_on:%-d %B %Y}. "
            "It is recorded and flagged as late: the Tribunal can admit late appeals.",
        )
    return "Appeal recorded."


def _response(view, form, **kw):
    svc.appeal_response_record(sent_on=form.cleaned_data["sent_on"], **kw)
    return "Response recorded."


def _hearing(view, form, **kw):
    svc.appeal_hearing_record(hearing_on=form.cleaned_data["hearing_on"], **kw)
    return "Hearing date recorded."


def _unopposed(view, form, **kw):
    data = form.cleaned_data
    svc.appeal_unopposed_record(
        notified_on=data["notified_on"], order_types=data["order_types"], **kw
    )
    return "Recorded: the appeal is not opposed. The Reg 45 time limits run from that day."


def _decision(view, form, **kw):
    data = form.cleaned_data
    appeal = svc.appeal_decision_record(
        decided_on=data["decided_on"], outcome=data["outcome"], orders=form.orders(), **kw
    )
    if appeal.outcome == Appeal.Outcome.CONCEDED:
        return (
            "Decision recorded. Conceded without an order: the original time limits from "
            "the request still apply."
        )
    return "Decision recorded, with the time limits of each order."


def _recommendation(view, form, **kw):
    data = form.cleaned_data
    svc.recommendation_record(
        made_on=data["made_on"],
        body=data["body"],
        sections=data["sections"],
        text=data["text"],
        **kw,
    )
    return "Recommendation recorded: a written response is due within 5 weeks."


def _undecided(d):
    a = _appeal(d)
    return a is not None and not a.outcome


class AppealTaskView(StageTaskView):
    intro = (
        "Record the appeal as the Tribunal registers it, then the response, hearing and decision."
    )
    ACTIONS = {
        "appeal": Action(
            "Appeal registered by the Tribunal",
            forms.AppealForm,
            lambda d: _is_open(d) and _appeal(d) is None,
            _register,
        ),
        "response": Action(
            "The council's response (F4)",
            forms.ResponseForm,
            lambda d: _undecided(d) and not d.appeal.response_sent_on,
            _response,
        ),
        "unopposed": Action(
            "The council will not oppose the appeal (Reg 45)",
            forms.UnopposedForm,
            lambda d: _undecided(d) and not d.appeal.response_sent_on,
            _unopposed,
            intro="Only before the council's response is sent. The Reg 45 time limits run "
            "from the day the council tells the Tribunal.",
        ),
        "hearing": Action("Hearing date", forms.HearingForm, _undecided, _hearing),
        "decision": Action(
            "The Tribunal's decision",
            forms.DecisionForm,
            _undecided,
            _decision,
            intro="If the council conceded and the appeal was withdrawn without an order, "
            "choose 'Conceded': the original 20 weeks from the request still run.",
        ),
        "recommendation": Action(
            "Health or social care recommendation",
            forms.RecommendationForm,
            lambda d: _appeal(d) is not None and not set(d.appeal.grounds) <= {"a"},
            _recommendation,
        ),
        "close": Action(
            "The family did not appeal",
            forms.CloseForm,
            lambda d: _is_open(d) and _appeal(d) is None,
            _close,
        ),
    }

    unfinished = staticmethod(selectors.appeal_stage_unfinished)


# -- stage 3: carrying out orders, agreements and recommendations ------------------------------


def _duty(view, form, **kw):
    data = form.cleaned_data
    duty = svc.order_duty_done_record(duty_id=int(data["duty"]), done_on=data["done_on"], **kw)
    return f"Recorded: {svc.DUTY_TEXT.get(duty.kind, duty.kind).lower()}."


def _rec_response(view, form, **kw):
    data = form.cleaned_data
    svc.recommendation_response_record(
        recommendation_id=int(data["recommendation"]),
        responded_on=data["responded_on"],
        response=data["response"],
        **kw,
    )
    return "Response to the recommendation recorded."


class OrderDutiesTaskView(StageTaskView):
    intro = "Record each thing the council does, on the day it does it."
    unfinished = staticmethod(selectors.order_duties_unfinished)
    ACTIONS = {
        "duty": Action(
            "Record something done",
            forms.DutyDoneForm,
            lambda d: selectors.open_duties(d, selectors.APPEAL_SOURCES).exists(),
            _duty,
            form_kwargs=lambda d: {
                "duties": list(selectors.open_duties(d, selectors.APPEAL_SOURCES))
            },
        ),
        "rec_response": Action(
            "Response to a recommendation (5 weeks)",
            forms.RecommendationResponseForm,
            lambda d: selectors.unanswered_recommendations(d).exists(),
            _rec_response,
            form_kwargs=lambda d: {
                "recommendations": list(selectors.unanswered_recommendations(d))
            },
        ),
    }


class AgreementDutiesTaskView(StageTaskView):
    intro = "Record each thing the council agreed to do, on the day it does it."
    unfinished = staticmethod(selectors.agreement_duties_unfinished)
    ACTIONS = {
        "duty": Action(
            "Record something done",
            forms.DutyDoneForm,
            lambda d: selectors.open_duties(d, selectors.AGREEMENT_SOURCES).exists(),
            _duty,
            form_kwargs=lambda d: {
                "duties": list(selectors.open_duties(d, selectors.AGREEMENT_SOURCES))
            },
        ),
    }
