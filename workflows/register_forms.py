from django import forms

from ehc.form_extensions import extend_form
from ehc.forms import GovDateField, GovForm
from ehc.models import Case, Contact
from ehc.register.fields import SettingChoiceField

REGISTER_FORM = "register_request"  # apps add fields through ehc.form_extensions


class RegisterRequestForm(GovForm):
    submit_label = "Register the request"
    first_name = forms.CharField(label="Child or young person's first name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)
    date_of_birth = GovDateField(label="Date of birth")
    requester_type = forms.ChoiceField(
        label="Who asked?", choices=Case.RequesterType.choices, widget=forms.RadioSelect
    )
    channel = forms.ChoiceField(
        label="How did the request arrive?", choices=Case.Channel.choices, widget=forms.RadioSelect
    )
    received_on = GovDateField(label="Date the council received the request")
    received_time = forms.TimeField(
        label="Time received (for example 14:30)",
        required=False,
        # A plain text box, so GOV.UK Frontend styles it (a TimeInput renders unstyled).
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off"}),
        error_messages={"invalid": "Enter the time received as hours and minutes, like 14:30"},
    )
    contact_name = forms.CharField(
        label="Parent, carer or young person's full name", max_length=200
    )
    contact_relationship = forms.ChoiceField(
        label="Relationship to the child", choices=Contact.Relationship.choices
    )
    contact_email = forms.EmailField(label="Email address", required=False)
    contact_phone = forms.CharField(label="Phone number", required=False, max_length=30)
    current_setting = SettingChoiceField(
        label="School, college or early years setting the child attends (optional)",
        required=False,
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"] = forms.ModelChoiceField(
            label="Team",
            queryset=teams,
            empty_label="Choose a team",
            error_messages={"required": "Choose the team that will handle the request"},
        )
        if len(teams) == 1:  # a caseworker on one team registers for it
            self.fields["team"].initial = teams[0].pk
        extend_form(REGISTER_FORM, self)  # GovFormHelper lays out every field at render
