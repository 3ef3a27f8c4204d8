"""Forms for recording disagreements. They parse input; disagreements.services holds the
rules (which grounds fit which decision, which orders follow, the date checks)."""

from django import forms

from disagreements import services as svc
from disagreements.models import (
    EDUCATION_SECTIONS,
    GROUNDS,
    HEALTH_CARE_SECTIONS,
    Appeal,
    Complaint,
    Disagreement,
    Mediation,
    Order,
    Recommendation,
)
from ehc.forms import GovDateField, GovForm

YES_NO = [("yes", "Yes"), ("no", "No")]


OTHER_DECISION = "other"
SECTION_LABELS = {
    "B": "B: special educational needs",
    "C": "C: health care needs (recommendation only)",
    "D": "D: social care needs (recommendation only)",
    "E": "E: outcomes",
    "F": "F: special educational provision",
    "G": "G: health care provision (recommendation only)",
    "H1": "H1: social care provision under the CSDPA 1970 (recommendation only)",
    "H2": "H2: other social care provision (recommendation only)",
    "I": "I: school or other setting",
}
GROUND_CHOICES = [(code, f"{words} ({ref})") for code, (words, ref, _) in GROUNDS.items()]


def _checkboxes(label: str, choices, required: bool = True, help_text: str = ""):
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        required=required,
        help_text=help_text,
        error_messages={"required": f"Choose {label[0].lower()}{label[1:]}"},
    )


def _radios(label: str, choices, required: bool = True, help_text: str = ""):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        required=required,
        help_text=help_text,
        error_messages={"required": f"Choose {label[0].lower()}{label[1:]}"},
    )


def _text(label: str, required: bool = True, rows: int = 3, help_text: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
    )


class OpenDisagreementForm(GovForm):
    submit_label = "Start recording this disagreement"

    def __init__(self, *args, notices, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (str(n.pk), f"{n.get_kind_display()}, sent {n.sent_on:%-d %B %Y}") for n in notices
        ]
        choices.append((OTHER_DECISION, "Another decision (reassessment, review or ceasing)"))
        self.fields["notice"] = _radios("Decision the family disagrees with", choices)
        self.fields["decision"] = forms.ChoiceField(
            label="If another decision: which",
            choices=[("", "Choose"), *Disagreement.Decision.choices[3:]],
            required=False,
        )
        self.fields["decision_sent_on"] = GovDateField(
            required=False, label="If another decision: date it was sent"
        )
        self.fields["opened_on"] = GovDateField(label="Date the council learnt of it")
        self.notices = {str(n.pk): n for n in notices}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        notice = self.notices.get(data["notice"])
        return {
            "notice": notice,
            "decision": data.get("decision", "") if notice is None else "",
            "decision_sent_on": data.get("decision_sent_on") if notice is None else None,
            "opened_on": data["opened_on"],
        }


class AdviserContactForm(GovForm):
    submit_label = "Record the contact"
    contacted_on = GovDateField(label="Date the family contacted the mediation adviser")
    choice = _radios("What the family told the adviser they want", Disagreement.Choice.choices)
    adviser_informed_on = GovDateField(
        required=False,
        label="If a certificate only: date the adviser was told",
        help_text="Leave blank if it was the same day as the contact.",
    )


class MediationRequestForm(GovForm):
    submit_label = "Record the request for mediation"
    la_informed_on = GovDateField(label="Date the family told the council it wants mediation")
    issues = _text("Issues the family wants to mediate")
    health_issues = _text(
        "Health care issues and health provision sought",
        required=False,
        help_text="Leave blank if none. The health body must be told within 3 working days.",
    )
    rcb_only = forms.BooleanField(
        label="Only the health commissioning body is taking part", required=False
    )


class HealthNoticeForm(GovForm):
    submit_label = "Record it"
    told_on = GovDateField(label="Date the health commissioning body was told the issues")


class ArrangedForm(GovForm):
    submit_label = "Record mediation arranged"
    arranged_on = GovDateField(label="Date mediation was arranged")
    meeting_on = GovDateField(required=False, label="Date of the mediation meeting")


class NotArrangedForm(GovForm):
    submit_label = "Record it"
    adviser_told_on = GovDateField(
        label="Date the council told the adviser it could not arrange mediation in 30 days"
    )


class HeldForm(GovForm):
    submit_label = "Record the mediation"
    held_on = GovDateField(label="Date the mediation ended")
    outcome = _radios("How it ended", Mediation.Outcome.choices)
    rcb_told_la_on = GovDateField(
        required=False,
        label="Health-only mediation: date the health body told the council of the agreement",
    )


class CertificateForm(GovForm):
    submit_label = "Record the certificate"
    issued_on = GovDateField(label="Date on the mediation certificate")


class AgreementForm(GovForm):
    submit_label = "Record the agreement"
    agreed_on = GovDateField(label="Date of the agreement")
    order_type = _radios("What the council agreed to do", Order.Type.choices)
    details = _text("Details of what was agreed")
    other_timescale = _text(
        "Another timescale agreed in writing",
        required=False,
        help_text="Leave blank to use the statutory periods (Reg 42(2), (3)).",
    )


class CloseForm(GovForm):
    submit_label = "Close the disagreement"
    closed_on = GovDateField(label="Date")
    settled = _radios("Was it settled?", YES_NO)
    reason = _text("What happened")


class AppealForm(GovForm):
    submit_label = "Record the appeal"
    registered_on = GovDateField(label="Date the Tribunal received the appeal")
    tribunal_reference = forms.CharField(label="Tribunal reference", required=False, max_length=40)
    grounds = _checkboxes("Grounds of appeal", GROUND_CHOICES)
    sections = _checkboxes(
        "Plan sections appealed",
        [(s, SECTION_LABELS[s]) for s in sorted(EDUCATION_SECTIONS + HEALTH_CARE_SECTIONS)],
        required=False,
        help_text="For an appeal about a plan's contents, and any health or social care "
        "sections the family asks the Tribunal to make recommendations on.",
    )
    response_due_on = GovDateField(
        required=False,
        label="Date the council's response is due (from the Tribunal's directions)",
    )


class ResponseForm(GovForm):
    submit_label = "Record the response"
    sent_on = GovDateField(label="Date the council sent its response")


class HearingForm(GovForm):
    submit_label = "Record the hearing date"
    hearing_on = GovDateField(label="Date of the hearing")


class UnopposedForm(GovForm):
    submit_label = "Record that the council will not oppose"
    notified_on = GovDateField(label="Date the council told the Tribunal")
    order_types = _checkboxes(
        "What the council must now do",
        [
            (t, Order.Type(t).label)
            for t in (
                Order.Type.ASSESS,
                Order.Type.MAKE_PLAN,
                Order.Type.AMEND,
                Order.Type.PLACEMENT,
            )
        ],
    )


class DecisionForm(GovForm):
    submit_label = "Record the decision"
    decided_on = GovDateField(label="Date of the Tribunal's decision")
    outcome = _radios(
        "Outcome",
        [c for c in Appeal.Outcome.choices if c[0] != Appeal.Outcome.UNOPPOSED],
    )
    order_types = _checkboxes(
        "What the Tribunal ordered the council to do",
        [(t, label) for t, label in Order.Type.choices if t != Order.Type.AGREED_ACTION],
        required=False,
        help_text="Leave blank if it ordered nothing (for example, a withdrawal).",
    )
    by_consent = forms.BooleanField(label="A consent order", required=False)
    details = _text("Details of the order", required=False)

    def orders(self) -> list[tuple[str, bool, str]]:
        data = self.cleaned_data
        return [(t, data["by_consent"], data["details"]) for t in data["order_types"]]


class RecommendationForm(GovForm):
    submit_label = "Record the recommendation"
    made_on = GovDateField(label="Date of the recommendation")
    body = _radios("Who it is for", Recommendation.Body.choices)
    sections = _checkboxes(
        "Sections it is about", [(s, SECTION_LABELS[s]) for s in HEALTH_CARE_SECTIONS]
    )
    text = _text("What the Tribunal recommended")


class RecommendationResponseForm(GovForm):
    submit_label = "Record the response"

    def __init__(self, *args, recommendations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"] = _radios(
            "Recommendation",
            [
                (str(r.pk), f"{r.get_body_display()}, {r.made_on:%-d %B %Y}")
                for r in recommendations
            ],
        )
        self.fields["responded_on"] = GovDateField(label="Date the written response was sent")
        self.fields["response"] = _text(
            "The steps to be taken, or the reasons for not following it"
        )


def _duty_label(duty) -> str:
    due = svc.duty_due_on(duty)
    when = f", due {due:%-d %B %Y}" if due else ""
    return (
        f"{svc.DUTY_TEXT.get(duty.kind, duty.kind)} ({duty.order.get_source_display()}, "
        f"{duty.kind}{when})"
    )


class DutyDoneForm(GovForm):
    submit_label = "Record it done"

    def __init__(self, *args, duties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duty"] = _radios(
            "What the council has done",
            [(str(d.pk), _duty_label(d)) for d in duties],
        )
        self.fields["done_on"] = GovDateField(label="Date it was done")


class ComplaintForm(GovForm):
    submit_label = "Record the complaint"

    def __init__(self, *args, disagreements=(), complaints=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"] = _radios("Where the complaint was made", Complaint.Kind.choices)
        self.fields["made_on"] = GovDateField(label="Date it was made")
        self.fields["about"] = _text("What it is about")
        self.fields["disagreement"] = forms.ChoiceField(
            label="About a disagreement (optional)",
            choices=[("", "None"), *[(str(d.pk), str(d)) for d in disagreements]],
            required=False,
        )
        self.fields["escalated_from"] = forms.ChoiceField(
            label="Follows an earlier complaint (optional)",
            choices=[("", "None"), *[(str(c.pk), str(c)) for c in complaints]],
            required=False,
        )
        self.disagreements = {str(d.pk): d for d in disagreements}
        self.complaints = {str(c.pk): c for c in complaints}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "made_on": data["made_on"],
            "about": data["about"],
            "disagreement": self.disagreements.get(data["disagreement"]),
            "escalated_from": self.complaints.get(data["escalated_from"]),
        }


class ComplaintOutcomeForm(GovForm):
    submit_label = "Record the outcome"
    outcome_on = GovDateField(label="Date of the outcome")
    outcome = _text("Outcome")
