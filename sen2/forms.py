"""Capture forms for the SEN2 items, rendered with the GOV.UK Design System. Code choices come
from the working collection's code lists (sen2/years/<year>/collection.toml)."""

from django import forms

from ehc.forms import GovDateField, GovForm
from ehc.register.fields import SettingChoiceField
from sen2.collection import Collection

BLANK = [("", "Choose")]


class Sen2Form(GovForm):
    """The GOV.UK error summary, not the browser's own messages, says what is wrong."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.attrs = {"novalidate": ""}


def _yes_no(label: str) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False)


class PersonForm(Sen2Form):
    submit_label = "Save the person's details"

    def __init__(self, *args, collection: Collection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sex"] = forms.ChoiceField(
            label="Sex", choices=collection.choices("Sex"), widget=forms.RadioSelect
        )
        self.fields["ethnicity"] = forms.ChoiceField(
            label="Ethnicity", choices=BLANK + collection.choices("Ethnicity")
        )
        self.fields["postcode"] = forms.CharField(
            label="Home postcode", required=False, max_length=10
        )
        self.fields["upn"] = forms.CharField(
            label="Unique pupil number (UPN)",
            required=False,
            max_length=13,
            help_text="13 characters, starting with its check letter",
        )
        self.fields["upn_unknown"] = forms.ChoiceField(
            label="If there is no UPN, why not",
            required=False,
            choices=[("", "There is a UPN")] + collection.choices("UPNunknown"),
        )
        self.fields["uln"] = forms.CharField(
            label="Unique learner number (ULN)",
            required=False,
            max_length=10,
            help_text="10 digits, for young people in further education or training",
        )


class RequestForm(Sen2Form):
    submit_label = "Save the request's details"

    def __init__(self, *args, collection: Collection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request_source"] = forms.ChoiceField(
            label="Who made the request",
            choices=collection.choices("RequestSource"),
            widget=forms.RadioSelect,
        )
        self.fields["rya"] = _yes_no(
            "Made while the young person was in relevant youth accommodation"
        )
        self.fields["request_mediation"] = _yes_no("Mediation about the decision whether to assess")
        self.fields["request_tribunal"] = _yes_no(
            "Tribunal appeal about the decision whether to assess"
        )
        self.fields["assessment_mediation"] = _yes_no("Mediation about the assessment's outcome")
        self.fields["assessment_tribunal"] = _yes_no(
            "Tribunal appeal about the assessment's outcome"
        )
        self.fields["other_mediation"] = _yes_no(
            "Other mediation (for example about the plan's content)"
        )
        self.fields["other_tribunal"] = _yes_no("Other Tribunal appeal")


class NeedsForm(Sen2Form):
    submit_label = "Save the needs"

    def __init__(self, *args, collection: Collection, **kwargs):
        super().__init__(*args, **kwargs)
        codes = collection.choices("SENtype")
        self.fields["primary"] = forms.ChoiceField(label="Primary need", choices=BLANK + codes)
        self.fields["second"] = forms.ChoiceField(
            label="Second need (optional)", required=False, choices=[("", "None")] + codes
        )
        self.fields["third"] = forms.ChoiceField(
            label="Third need (optional)", required=False, choices=[("", "None")] + codes
        )


class PlacementForm(Sen2Form):
    submit_label = "Save the placement"

    def __init__(self, *args, collection: Collection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["setting"] = SettingChoiceField(
            label="Setting from the register (with its URN or UKPRN)",
            help_text="Leave blank to use a SENsetting code instead. Start typing its name, URN "
            "or postcode.",
            required=False,
        )
        self.fields["sen_setting"] = forms.ChoiceField(
            label="SENsetting code, where the placement has no URN or UKPRN",
            required=False,
            choices=[("", "None: a setting is chosen above")] + collection.choices("SENsetting"),
        )
        self.fields["sen_setting_other"] = forms.CharField(
            label="If other, what the arrangement is", required=False, max_length=100
        )
        self.fields["rank"] = forms.TypedChoiceField(
            label="Placement rank",
            coerce=int,
            choices=[(1, "1: main placement"), (2, "2: second (dual) placement"), (3, "3")],
            widget=forms.RadioSelect,
        )
        self.fields["entry_date"] = GovDateField(label="Date the placement started")
        self.fields["leaving_date"] = GovDateField(label="Date it ended", required=False)
        self.fields["sen_unit"] = _yes_no("In an SEN unit")
        self.fields["resourced_provision"] = _yes_no("In resourced provision")
        self.fields["residential"] = _yes_no("Residential")
        self.fields["work_based"] = _yes_no("Work-based learning")


class PlanForm(Sen2Form):
    submit_label = "Save the plan's details"

    def __init__(self, *args, collection: Collection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["residential"] = _yes_no("The plan names a residential placement (PlanRes)")
        self.fields["work_based"] = _yes_no("The plan names work-based learning (PlanWBP)")
        self.fields["personal_budget"] = _yes_no("A personal budget was taken up (PB)")
        self.fields["organised_arrangements"] = _yes_no("Organised arrangements (OA)")
        self.fields["direct_payments"] = _yes_no("Direct payments (DP)")
        self.fields["transfer_la"] = forms.CharField(
            label="If the plan was passed from another council: that council's 3-digit code",
            required=False,
            max_length=3,
            widget=forms.TextInput(attrs={"class": "govuk-input--width-3"}),
        )
        self.fields["review_meeting_on"] = GovDateField(
            label="Date of the last annual review meeting",
            required=False,
            help_text="Only for a plan whose reviews are not recorded here: recorded reviews win.",
        )
        self.fields["review_decided_on"] = GovDateField(
            label="Date of the decision after that review", required=False
        )
        self.fields["cease_date"] = GovDateField(label="Date the plan ceased", required=False)
        self.fields["cease_reason"] = forms.ChoiceField(
            label="Why the plan ceased",
            required=False,
            choices=[("", "The plan has not ceased")] + collection.choices("CeaseReason"),
        )
