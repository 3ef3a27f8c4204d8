"""Forms of the register's pages. They parse input; ehc.register.services holds the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from ehc.forms import GovForm
from ehc.models import Setting
from ehc.register.fields import SettingChoiceField
from ehc.register.selectors import Suggestion, setting_label

ANOTHER = "another"
CHOOSE_ANOTHER = "Enter the name, URN or postcode of the setting"
PHASES = [
    (Setting.Phase.NOT_APPLICABLE, "Not applicable or not known"),
    *[(value, label) for value, label in Setting.Phase.choices if value != "n/a"],
]


class SettingAddForm(GovForm):
    submit_label = "Add the setting"
    name = forms.CharField(
        label="Name of the school, college or setting",
        max_length=200,
        error_messages={"required": "Enter the name of the setting"},
    )
    kind = forms.ChoiceField(
        label="What kind of setting is it?",
        choices=Setting.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of setting it is"},
    )
    phase = forms.ChoiceField(label="Phase of education", choices=PHASES, required=False)
    establishment_type = forms.CharField(
        label="Type (optional)",
        help_text="For example independent special school, tuition centre, childminder.",
        max_length=100,
        required=False,
    )
    street = forms.CharField(label="Street (optional)", max_length=200, required=False)
    town = forms.CharField(label="Town or city", max_length=100, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    local_authority = forms.CharField(
        label="Local authority it is in (optional)", max_length=100, required=False
    )
    urn = forms.CharField(
        label="URN (optional)",
        help_text="The DfE's 6 or 7 digit unique reference number, if it has one.",
        max_length=7,
        required=False,
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_urn(self) -> str:
        urn = self.cleaned_data["urn"].strip()
        if urn and not (urn.isdigit() and len(urn) in (6, 7)):
            raise forms.ValidationError("A URN is 6 or 7 digits")
        return urn


class CaseSettingForm(GovForm):
    """The child's current setting: one of the register entries suggested for the school the
    family named, or another one found by search."""

    submit_label = "Save the current setting"

    def __init__(self, *args: Any, suggestions: list[Suggestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.suggestions = {str(s.setting.pk): s.setting for s in suggestions}
        if suggestions:
            self.fields["choice"] = forms.ChoiceField(
                label="Which setting does the child go to?",
                choices=[
                    *[
                        (str(s.setting.pk), f"{setting_label(s.setting)}: {s.why}")
                        for s in suggestions
                    ],
                    (ANOTHER, "Another setting"),
                ],
                widget=forms.RadioSelect,
                error_messages={"required": "Choose the setting the child goes to"},
            )
        self.fields["other"] = SettingChoiceField(
            label="Another setting" if suggestions else "Which setting does the child go to?",
            required=not suggestions,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        choice = data.get("choice")
        if choice and choice != ANOTHER:
            data["setting"] = self.suggestions.get(choice)
            self.errors.pop("other", None)  # the search box is read only for another setting
        elif "other" in data:
            data["setting"] = data["other"]
            if data["other"] is None and "other" not in self.errors:
                self.add_error("other", CHOOSE_ANOTHER)
        return data


class SettingConfirmForm(GovForm):
    submit_label = "Save"
    CONFIRM, MERGE = "confirm", "merge"
    decision = forms.ChoiceField(
        label="What is this setting?",
        error_messages={"required": "Choose whether to confirm or merge it"},
        choices=[
            (CONFIRM, "A setting of its own: confirm it"),
            (MERGE, "The same as a setting already in the register: merge it into that one"),
        ],
        widget=forms.RadioSelect,
    )
    into = SettingChoiceField(label="The setting already in the register", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        merging = data.get("decision") == self.MERGE
        if not merging:  # the search box is read only when merging
            self.errors.pop("into", None)
            data["into"] = None
        if merging and data.get("into") is None and "into" not in self.errors:
            self.add_error("into", "Enter the setting to merge it into")
        return data


class RegisterSearchForm(forms.Form):
    q = forms.CharField(label="Search the register", max_length=200, required=False)
