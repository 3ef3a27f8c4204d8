"""Forms for plans in force and their reviews. They parse input; the services hold the rules."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms

from ehc.forms import GovDateField, GovForm
from ehc.models import PLAN_SECTIONS
from ehc.register.fields import SettingChoiceField
from reviews.models import AnnualReview


class ArrangeMeetingForm(GovForm):
    submit_label = "Save the meeting"
    meeting_on = GovDateField(label="Date of the review meeting")
    notice_sent_on = GovDateField(
        label="Date notice of the meeting was sent",
        help_text="To the family, the school or college, health and social care: at least "
        "2 weeks before the meeting (R4).",
    )
    advice_circulated_on = GovDateField(
        label="Date the advice was circulated",
        required=False,
        help_text="Leave blank if it has not gone out yet: at least 2 weeks before (R5).",
    )


class HoldMeetingForm(GovForm):
    submit_label = "Record the meeting"
    held_on = GovDateField(label="Date the meeting was held")
    adulthood_discussed = forms.CharField(
        label="Preparing for adulthood and independent living",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required from Year 9 (Reg 21(6)): what was discussed.",
    )


class ReportForm(GovForm):
    submit_label = "Record the report"
    sent_on = GovDateField(label="Date the report was sent to everyone invited")
    recommendations = forms.CharField(
        label="Recommendations and any disagreements",
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class DecideForm(GovForm):
    submit_label = "Record the decision"
    decision = forms.ChoiceField(
        label="What has the council decided?",
        choices=AnnualReview.Decision.choices,
        widget=forms.RadioSelect,
    )
    decided_on = GovDateField(label="Date the decision was sent to the family")
    reasons = forms.CharField(
        label="Reasons", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = forms.CharField(
        label="Evidence for the proposed amendments",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="When amending: the evidence that goes with the proposals (Reg 22(2)(a)).",
    )
    consulted_family_on = GovDateField(
        label="Date the family was consulted about ceasing", required=False
    )
    consulted_setting_on = GovDateField(
        label="Date the school or college was consulted about ceasing", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, letter, title in PLAN_SECTIONS:
            self.fields[f"proposed_{field}"] = forms.CharField(
                label=f"Proposed section {letter}: {title}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="Leave blank to keep this section as it is.",
            )
        proposed = [f"proposed_{field}" for field, _letter, _title in PLAN_SECTIONS]
        self.order_fields(["decision", "decided_on", "reasons", *proposed, "evidence"])
        self.helper = FormHelper(self)  # again, so the section fields are laid out too
        self.helper.add_input(Submit("submit", self.submit_label))

    def proposed_sections(self) -> dict[str, str]:
        return {
            field: self.cleaned_data.get(f"proposed_{field}", "")
            for field, _letter, _title in PLAN_SECTIONS
        }


class FinaliseForm(GovForm):
    submit_label = "Issue the final amended plan"
    issued_on = GovDateField(label="Date the final amended plan was issued")
    named_setting = SettingChoiceField(label="School or setting named in section I", required=False)
    setting_type = forms.CharField(
        label="Type of setting",
        required=False,
        max_length=200,
        help_text="Where no school or setting is named.",
    )
    family_views = forms.CharField(
        label="The family's views on the proposals",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NotAmendForm(GovForm):
    submit_label = "Record the decision not to amend"
    decided_on = GovDateField(label="Date the family was told the plan will not be amended")
    reasons = forms.CharField(label="Reasons", widget=forms.Textarea(attrs={"rows": 3}))


class ImportForm(GovForm):
    submit_label = "Import plans"
    file = forms.FileField(label="CSV file of plans")
