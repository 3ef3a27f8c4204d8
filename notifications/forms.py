"""The managers' alert rule form, rendered with the GOV.UK Design System."""

from crispy_forms_gds.layout import Submit
from django import forms

from ehc.forms import GovFormHelper
from notifications.audiences import audience_choices
from notifications.family_news import family_event_kind_choices
from notifications.models import (
    MAX_LEAD_WORKING_DAYS,
    AlertRule,
    Notification,
    deadline_kind_choices,
)


class AlertRuleForm(forms.ModelForm):
    deadline_kinds = forms.MultipleChoiceField(
        label="Which deadlines",
        help_text="Leave all unticked to cover every deadline.",
        choices=deadline_kind_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    event_kinds = forms.MultipleChoiceField(
        label="Which news (updates for the family only)",
        choices=family_event_kind_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    working_days_before = forms.IntegerField(
        label="How many working days before the deadline (deadlines coming up only)",
        help_text=(
            "0 sends it on the day the deadline is due, or on the last working day before it "
            "if it falls on a weekend or bank holiday."
        ),
        min_value=0,
        max_value=MAX_LEAD_WORKING_DAYS,
        required=False,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )

    class Meta:
        model = AlertRule
        fields = [
            "name",
            "trigger",
            "audience",
            "working_days_before",
            "deadline_kinds",
            "event_kinds",
            "send_email",
            "show_in_app",
            "is_active",
        ]
        labels = {
            "name": "Name",
            "trigger": "When",
            "audience": "Who is told",
            "send_email": "Send an email",
            "show_in_app": "Show on their notifications page",
            "is_active": "Switched on",
        }
        widgets = {"trigger": forms.RadioSelect, "audience": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trigger"].choices = AlertRule.Trigger.choices
        self.fields["audience"].choices = audience_choices()
        self.helper = GovFormHelper(self)
        self.helper.add_input(Submit("submit", "Save rule"))


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "All")] + Notification.Status.choices,
        required=False,
    )
