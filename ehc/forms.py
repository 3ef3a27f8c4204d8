"""Form pieces shared by staff and public pages: GOV.UK Design System rendering and dates."""

import uuid
from datetime import date

from crispy_forms.utils import TEMPLATE_PACK
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# Any date a person types into these boxes lies in this range: a year outside it is a typing
# mistake (and a huge one would overflow the date type), so it is refused as not a real date.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100


class GovDateField(DateInputField):
    """Day, month and year boxes (GOV.UK date input) with messages that name the field."""

    def __init__(self, *, label: str, **kwargs):
        super().__init__(label=label, **kwargs)
        name = label[0].lower() + label[1:]
        self.error_messages["required"] = f"Enter {name}"
        self.error_messages["incomplete"] = f"{label} must include a day, month and year"

    def compress(self, data_list):
        # A blank optional date arrives as (None, None, None): it is no date, not a wrong one.
        if not data_list or all(part in (None, "") for part in data_list):
            return None
        try:
            day, month, year = (int(part) for part in data_list)
            if not (EARLIEST_YEAR <= year <= LATEST_YEAR):
                raise ValueError
            return date(year, month, day)
        except (TypeError, ValueError, OverflowError) as exc:
            raise ValidationError(f"{self.label} must be a real date", code="invalid") from exc


class _FieldsAtRender(Layout):
    """The layout of a form whose fields are all added in ``__init__``: empty until rendered,
    yet true (see ``GovFormHelper.__bool__``)."""

    def __bool__(self) -> bool:
        return True


class GovFormHelper(FormHelper):
    """A crispy-forms-gds helper that cannot lose a field.

    crispy's own helper freezes the layout from the fields the form has when the helper is made,
    so a field a subclass adds afterwards is never rendered and every submission fails with
    "This field is required". Here the default layout is built when the form is rendered, from
    the fields (and their order) as they are then; a layout a form sets itself is rendered as
    given, followed by any field it does not mention.
    """

    render_unmentioned_fields = True

    def __bool__(self) -> bool:
        # crispy's helper and layout have the length of the layout's fields, and `{% crispy %}`
        # skips `render_layout` (and with it the submission token) if either is falsy, as both
        # are for a form whose fields are all added in __init__ until it is rendered.
        return True

    def __init__(self, form: forms.BaseForm | None = None) -> None:
        super().__init__(form)
        if form is not None and not form.fields:
            self.layout = _FieldsAtRender()
        self._default_layout = self.layout if form is not None else None

    def render_layout(self, form, context, template_pack=TEMPLATE_PACK):
        if self._default_layout is not None and self.layout is self._default_layout:
            self.layout = self._default_layout = Layout(*form.fields)
        html = super().render_layout(form, context, template_pack=template_pack)
        if self.form_method == "post":  # sent twice, recorded once (ehc.submit_once)
            html += format_html(
                '<input type="hidden" name="submission_token" value="{}">', uuid.uuid4()
            )
        return mark_safe(html)  # noqa: S308 (crispy's rendering, escaped, plus format_html)


_DJANGO_REQUIRED = str(forms.Field.default_error_messages["required"])


def say_what_is_missing(field: forms.Field) -> None:
    """Replace Django's "This field is required." with what to do, as GOV.UK error messages
    do: "Select …" for a choice, "Choose …" for a file, "Enter …" for anything typed. A field
    with a message of its own keeps it."""
    label = str(field.label or "").strip()
    if not label or str(field.error_messages.get("required", "")) != _DJANGO_REQUIRED:
        return
    choice = isinstance(field, forms.ChoiceField | forms.BooleanField)
    if label.endswith("?"):
        message = f"Select an answer to: {label}" if choice else f"Answer: {label}"
    else:
        verb = "Select" if choice else "Choose" if isinstance(field, forms.FileField) else "Enter"
        keep_capital = label[1:2].isupper() or label.split(" ", 1)[0] == "I"
        message = f"{verb} {label if keep_capital else label[0].lower() + label[1:]}"
    field.error_messages = {**field.error_messages, "required": message}


class GovForm(forms.Form):
    """A form rendered by crispy-forms-gds, with one submit button."""

    submit_label = "Continue"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = GovFormHelper(self)
        self.helper.add_input(Submit("submit", self.submit_label))

    def full_clean(self) -> None:
        # At cleaning, not in __init__: subclasses add and relabel fields after it.
        for field in self.fields.values():
            say_what_is_missing(field)
        super().full_clean()

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's ValidationError next to the field it names, or at the top."""
        if hasattr(error, "error_dict"):
            for field, messages in error.error_dict.items():
                target = field if field in self.fields else None
                for message in messages:
                    self.add_error(target, message)
        else:
            for message in error.messages:
                self.add_error(None, message)
