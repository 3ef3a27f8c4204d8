"""Forms for the transition pages. They parse input; the services hold the rules."""

from django import forms

from ehc.forms import GovDateField, GovForm
from ehc.services.assessment import ADVISERS

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ImportForm(GovForm):
    submit_label = "Check and import"
    file = forms.FileField(
        label="CSV file of Statements and LDAs",
        help_text="CSV UTF-8 with a header row, up to 5 MB. Every row is checked before "
        "anything is imported.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 5 MB.")
        return upload


class BeginReviewForm(GovForm):
    submit_label = "Open the transfer review"

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"] = forms.ModelChoiceField(
            label="Team carrying out the transfer review",
            queryset=teams,
            empty_label=None,
        )


class NoticeForm(GovForm):
    submit_label = "Record the notice"
    notice_given_on = GovDateField(label="Date notice was given to the family")
    planned_start_on = GovDateField(
        label="Date the transfer review starts",
        help_text="At least 2 weeks after the notice (transitional order, art 18-19).",
    )


class StartForm(GovForm):
    submit_label = "Start the transfer review"
    started_on = GovDateField(label="Date the transfer review started")


class MeetingForm(GovForm):
    submit_label = "Record the meeting"
    met_on = GovDateField(label="Date of the meeting with the family")
    notes = forms.CharField(
        label="What was discussed",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AdviceForm(GovForm):
    submit_label = "Record the advice"
    advisers = forms.MultipleChoiceField(
        label="Whose advice was received",
        choices=list(ADVISERS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    requested_on = GovDateField(label="Date the advice was asked for")
    received_on = GovDateField(label="Date the last advice arrived")
    summary = forms.CharField(
        label="Summary of the advice", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class AsOfForm(GovForm):
    """GET filter: the day the figures are computed as of."""

    submit_label = "Show"
    as_of = GovDateField(label="As of", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"


class TimetableForm(AsOfForm):
    reviews_per_caseworker = forms.IntegerField(
        label="Transfer reviews each caseworker can start a week",
        min_value=0,
        max_value=50,
        initial=2,
        required=False,
    )
    caseworkers = forms.IntegerField(
        label="Caseworkers on transfer reviews",
        min_value=0,
        max_value=500,
        initial=3,
        required=False,
    )
