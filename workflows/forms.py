"""Forms for the caseworker's tasks. They parse input; the services hold the rules."""

from crispy_forms_gds.layout import HTML, Layout
from django import forms

from ehc.forms import GovDateField, GovForm
from ehc.models import PLAN_SECTIONS
from ehc.register.fields import SettingChoiceField

YES_NO = [("yes", "Yes"), ("no", "No")]


class NotifyConsideringForm(GovForm):
    notified_on = GovDateField(label="Date the relevant people were told")
    recipients = forms.CharField(
        label="Who was told",
        help_text="The health body, social care, and the head teacher, SENCO or principal (A4).",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(GovForm):
    decision_label = "Decision"
    decision = forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect)
    decided_on = GovDateField(label="Date the decision was sent to the family")
    reasons = forms.CharField(
        label="Reasons",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Required when the answer is no: the family must be told the reasons.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].label = self.decision_label

    @property
    def said_yes(self) -> bool:
        return self.cleaned_data["decision"] == "yes"


class DecideToAssessForm(DecisionForm):
    decision_label = "Will the council carry out an EHC needs assessment?"
    other_advice = forms.BooleanField(
        label="The family asked for advice from someone else as well (Reg 6(1)(g))",
        required=False,
    )


class DecideToIssueForm(DecisionForm):
    decision_label = "Will the council issue an EHC plan?"


class AdviceRequestForm(GovForm):
    """Asking for advice, and (when it is already in) its arrival, on one page."""

    submit_label = "Save"
    asked_on = GovDateField(label="Date the adviser received the request")
    adviser_name = forms.CharField(label="Adviser or service", max_length=200)
    received_on = GovDateField(
        label="Date the advice arrived",
        required=False,
        help_text="Leave blank if the advice has not arrived yet: the 6-week clock keeps running.",
    )
    summary = forms.CharField(
        label="Summary of the advice", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    @property
    def received(self) -> bool:
        return self.cleaned_data.get("received_on") is not None


class AdviceProgressForm(GovForm):
    submit_label = "Save"
    ACTIONS = [("received", "The advice has arrived"), ("chased", "We chased the adviser")]
    action = forms.ChoiceField(label="What happened?", choices=ACTIONS, widget=forms.RadioSelect)
    on = GovDateField(label="Date")
    summary = forms.CharField(
        label="Summary or note", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class DraftPlanForm(GovForm):
    submit_label = "Save draft and continue"
    # I stays blank in a draft (s.38(5)); J is written from the personal budget (PB16).
    NOT_EDITED_HERE = ("section_i", "section_j")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, letter, title in PLAN_SECTIONS:
            if field in self.NOT_EDITED_HERE:
                continue
            self.fields[field] = forms.CharField(
                label=f"Section {letter}: {title}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        self.order_fields([f for f, _, _ in PLAN_SECTIONS if f not in self.NOT_EDITED_HERE])


class ServeDraftForm(GovForm):
    submit_label = "Record draft sent"
    served_on = GovDateField(label="Date the draft was sent to the family")


class RepresentationsForm(GovForm):
    submit_label = "Record the family's views"
    received_on = GovDateField(label="Date the family's views were received")
    summary = forms.CharField(
        label="What the family said", widget=forms.Textarea(attrs={"rows": 4})
    )
    requested_setting = SettingChoiceField(
        label="Setting the family asked for (if any)", required=False
    )
    meeting_requested = forms.BooleanField(label="The family asked for a meeting", required=False)


class ConsultationForm(GovForm):
    submit_label = "Record consultation"
    setting = SettingChoiceField(label="Setting consulted")
    consulted_on = GovDateField(label="Date the consultation was sent")


class ConsultationReplyForm(GovForm):
    submit_label = "Record reply"
    setting = SettingChoiceField(label="Setting that replied")
    replied_on = GovDateField(label="Date of the reply")
    summary = forms.CharField(
        label="What the setting said", widget=forms.Textarea(attrs={"rows": 3})
    )


class ConsultationStepsForm(GovForm):
    """Everything between the draft and the final plan, on one form: the family's views, a
    setting consulted, a setting's reply. Each part is recorded when it is filled in; a part
    left blank is skipped."""

    views_received_on = GovDateField(label="Date the family's views were received", required=False)
    views_summary = forms.CharField(
        label="What the family said", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    requested_setting = SettingChoiceField(
        label="Setting the family asked for (if any)", required=False
    )
    meeting_requested = forms.BooleanField(label="The family asked for a meeting", required=False)
    consult_setting = SettingChoiceField(label="Setting consulted", required=False)
    consulted_on = GovDateField(label="Date the consultation was sent", required=False)
    reply_setting = SettingChoiceField(label="Setting that replied", required=False)
    replied_on = GovDateField(label="Date of the reply", required=False)
    reply_summary = forms.CharField(
        label="What the setting said", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    # part -> (fields that say the part was filled in, fields it then needs)
    PARTS = {
        "views": (
            ("views_received_on", "views_summary", "requested_setting", "meeting_requested"),
            ("views_received_on", "views_summary"),
        ),
        "consult": (("consult_setting", "consulted_on"), ("consult_setting", "consulted_on")),
        "reply": (
            ("reply_setting", "replied_on", "reply_summary"),
            ("reply_setting", "replied_on", "reply_summary"),
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False  # the page adds the form tag and its two buttons
        self.helper.inputs = []
        self.helper.layout = Layout(
            HTML('<h2 class="govuk-heading-m">The family\'s views on the draft</h2>'),
            "views_received_on",
            "views_summary",
            "requested_setting",
            "meeting_requested",
            HTML('<h2 class="govuk-heading-m">Consult a setting</h2>'),
            "consult_setting",
            "consulted_on",
            HTML('<h2 class="govuk-heading-m">A setting\'s reply</h2>'),
            "reply_setting",
            "replied_on",
            "reply_summary",
        )

    def clean(self):
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        for _part, (shown, needed) in self.PARTS.items():
            if any(data.get(name) for name in shown) or any(name in self.errors for name in shown):
                for name in needed:
                    if not data.get(name) and name not in self.errors:
                        label = str(self.fields[name].label)
                        self.add_error(name, f"Enter {label[0].lower()}{label[1:]}")
        return data

    def filled(self, part: str) -> bool:
        return any(self.cleaned_data.get(name) for name in self.PARTS[part][0])


class FinalPlanForm(GovForm):
    submit_label = "Issue the final plan"
    issued_on = GovDateField(label="Date the final plan was sent")
    named_setting = SettingChoiceField(label="School or setting named in section I", required=False)
    setting_type = forms.CharField(
        label="Type of setting (if none is named)", required=False, max_length=200
    )

    def __init__(self, *args, open_matters=(), **kwargs):
        super().__init__(*args, **kwargs)
        if open_matters:  # ehc.plan_hooks: e.g. a personal budget request still being prepared
            described = "; ".join(m.description for m in open_matters)
            self.fields["without_reason"] = forms.CharField(
                label="Why the plan goes without it",
                help_text=f"Still open: {described}. It stays open, and section J of the plan "
                "will say the plan was issued without it and why.",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )


class CloseCaseForm(GovForm):
    submit_label = "Close the case"
    REASONS = [
        ("withdrawn", "The family withdrew the request"),
        ("moved_la", "The child moved to another local authority"),
    ]
    kind = forms.ChoiceField(
        label="Why is the case closing?", choices=REASONS, widget=forms.RadioSelect
    )
    closed_on = GovDateField(label="Date")
    reason = forms.CharField(label="Details", widget=forms.Textarea(attrs={"rows": 3}))


class ReassignForm(GovForm):
    submit_label = "Reassign"

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = forms.ModelChoiceField(label="Caseworker", queryset=candidates)
