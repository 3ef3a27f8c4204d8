"""Read the forms a page shows, so tests submit only the fields a user could fill in."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class ShownForm:
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> options ([] = free)
    hidden: dict[str, str] = field(default_factory=dict)

    def fill(self, values: dict[str, object]) -> dict[str, str]:
        """The hidden fields plus `values`; every key must be a field the form shows, and a
        choice must be one of the options shown."""
        data = dict(self.hidden)
        for name, value in values.items():
            assert name in self.fields, f"{name} is not shown; shown: {sorted(self.fields)}"
            options = self.fields[name]
            if options:
                assert str(value) in options, f"{value!r} is not an option of {name}: {options}"
            data[name] = str(value)
        return data


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[ShownForm] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(ShownForm(action=a.get("action") or ""))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "hidden":
                form.hidden[name] = a.get("value", "")
            elif kind in ("radio", "checkbox"):
                form.fields.setdefault(name, []).append(a.get("value", "on"))
            elif kind != "submit":
                form.fields.setdefault(name, [])
        elif tag == "textarea" and name:
            form.fields.setdefault(name, [])
        elif tag == "select" and name:
            self._select = name
            form.fields.setdefault(name, [])
        elif tag == "option" and self._select:
            form.fields[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def shown_forms(html: str | bytes) -> list[ShownForm]:
    parser = _Parser()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser.forms


def form_with(html: str | bytes, field_name: str) -> ShownForm:
    """The form that shows `field_name`."""
    for form in shown_forms(html):
        if field_name in form.fields:
            return form
    raise AssertionError(f"no form on the page shows {field_name}")


def date_values(name: str, value) -> dict[str, int]:
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}
