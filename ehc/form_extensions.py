"""Fields an app adds to a core or workflow form, and what it saves from them.

A page that offers extension points names its form (e.g. "register_request"); an app registers a
FormExtension for that name in its AppConfig.ready(). The page adds the extension's fields to its
form and, after its own service has run and inside the same transaction, calls each extension's
`save` with the case and the cleaned data. A `save` that raises ValidationError undoes the whole
submission, and the page shows the message next to the field it names. The core names no app.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms


@dataclass(frozen=True)
class FormExtension:
    fields: Callable[[], dict[str, forms.Field]]
    save: Callable[..., None]  # save(*, case, data, acting_user)


FORM_EXTENSIONS: dict[str, list[FormExtension]] = defaultdict(list)


def register_form_extension(form_name: str, extension: FormExtension) -> None:
    if extension not in FORM_EXTENSIONS[form_name]:
        FORM_EXTENSIONS[form_name].append(extension)


def extend_form(form_name: str, form: forms.Form) -> None:
    extensions = FORM_EXTENSIONS.get(form_name, [])
    for extension in extensions:
        form.fields.update(extension.fields())
    helper = getattr(form, "helper", None)
    if extensions and helper is not None:
        helper.render_unmentioned_fields = True  # a layout made before these fields shows them


def save_extensions(form_name: str, *, case: Any, data: dict, acting_user: Any) -> None:
    for extension in FORM_EXTENSIONS.get(form_name, []):
        extension.save(case=case, data=data, acting_user=acting_user)
