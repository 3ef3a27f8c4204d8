"""The form field every page uses to choose a setting from the register.

The register holds tens of thousands of entries, so the field is a search box, never a select of
every entry (and never one that opens on "---------"):

- without JavaScript, a person types a name, URN, UKPRN or postcode and sends the form; a URN or
  a name that matches exactly one entry is that entry; otherwise the page comes back with an
  error and the likely entries as radios under the box to choose from;
- with JavaScript (ehc/static/ehc/setting-search.js) the box suggests entries as the person types
  (an ARIA combobox fed by /staff/settings/?format=json) and a choice fills it with the entry's label,
  which ends with its URN, so the server reads it exactly.

Under the box a link adds a setting that is not in the register (flagged for a manager).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from ehc.models import Setting
from ehc.register.selectors import setting_label, setting_resolve

NO_MATCH = (
    "No setting in the register matches ‘{text}’. Check the spelling, or search by URN or "
    "postcode, or add the setting to the register"
)
CHOOSE_ONE = "More than one setting matches ‘{text}’. Choose one below, or type its URN"
PICK_SUFFIX = "_pick"


class SettingSearchWidget(forms.TextInput):
    """A text box; after an unclear search, the entries it might mean as GOV.UK radios."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"data-setting-search": "", "autocomplete": "off", **(attrs or {})})
        self.candidates: list[Setting] = []

    def value_from_datadict(self, data, files, name: str) -> dict[str, str]:
        return {
            "text": str(data.get(name, "") or ""),
            "pick": str(data.get(name + PICK_SUFFIX, "") or ""),
        }

    def value_omitted_from_data(self, data, files, name: str) -> bool:
        return name not in data and name + PICK_SUFFIX not in data

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dict):
            return value.get("text") or None
        if isinstance(value, Setting):
            return setting_label(value)
        if isinstance(value, int | str) and str(value).isdigit():
            setting = Setting.objects.filter(pk=int(value)).first()
            return setting_label(setting) if setting else None
        return super().format_value(value)

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        attrs = {**(attrs or {}), "class": f"{(attrs or {}).get('class', '')} govuk-input"}
        html = super().render(name, value, attrs, renderer)
        if not self.candidates:
            return html
        items = format_html_join(
            "",
            '<div class="govuk-radios__item"><input class="govuk-radios__input" type="radio" '
            'id="{0}_{1}" name="{0}" value="{1}"><label class="govuk-label govuk-radios__label" '
            'for="{0}_{1}">{2}</label>{3}</div>',
            (
                (
                    name + PICK_SUFFIX,
                    setting.pk,
                    setting_label(setting),
                    format_html(
                        '<div class="govuk-hint govuk-radios__hint">{}</div>',
                        " · ".join(p for p in (setting.establishment_type, setting.address) if p),
                    )
                    if setting.establishment_type or setting.address
                    else "",
                )
                for setting in self.candidates
            ),
        )
        return format_html(
            '{}<fieldset class="govuk-fieldset govuk-!-margin-top-4">'
            '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">'
            "Settings that match</legend>"
            '<div class="govuk-radios govuk-radios--small" data-module="govuk-radios">{}</div>'
            "</fieldset>",
            html,
            items,
        )


class SettingChoiceField(forms.Field):
    """Choose one entry of the register by searching it; cleans to a Setting (or None)."""

    widget = SettingSearchWidget
    default_error_messages = {"required": "Enter the name, URN or postcode of the setting"}

    def __init__(self, *, label: str, help_text: str = "", **kwargs: Any) -> None:
        hint = help_text or "Start typing its name, URN or postcode."
        self.base_hint = hint
        super().__init__(label=label, help_text=hint, **kwargs)
        self.help_text = lazy(self._hint, str)()  # URLs are not loaded when forms are defined

    def _hint(self) -> str:
        return format_html(
            '{} <a class="govuk-link" href="{}" data-setting-add>Add a setting that is not in '
            "the register</a>.",
            self.base_hint,
            reverse("register:add"),
        )

    def prepare_value(self, value: Any) -> Any:
        return value

    def to_python(self, value: Any) -> Setting | None:
        if isinstance(value, Setting) or value is None:
            return value
        if not isinstance(value, dict):
            value = {"text": str(value), "pick": ""}
        pick = value.get("pick", "")
        if pick.isdigit():
            chosen = Setting.objects.filter(pk=int(pick)).first()
            if chosen is not None:
                return chosen
        text = " ".join(value.get("text", "").split())
        if not text:
            return None
        resolution = setting_resolve(text)
        if resolution.setting is not None:
            return resolution.setting
        self.widget.candidates = resolution.candidates
        shown = text if len(text) <= 60 else text[:57] + "..."
        if resolution.candidates:
            raise ValidationError(CHOOSE_ONE.format(text=shown), code="ambiguous")
        raise ValidationError(NO_MATCH.format(text=shown), code="no_match")

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial: Any, data: Any) -> bool:
        return True
