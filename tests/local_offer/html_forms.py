"""Read the forms a page shows, and fill only what is shown (stdlib HTMLParser, no browser).

`page_form(html, action)` returns the form posting to `action`; `form.fill(**values)` refuses a
field the page does not show, or a choice it does not offer, so a test cannot pass by posting
what no person could.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class ShownForm:
    action: str
    method: str
    defaults: dict[str, list[str]] = field(default_factory=dict)  # hidden and pre-filled
    text: set[str] = field(default_factory=set)  # free-text inputs and textareas
    choices: dict[str, set[str]] = field(default_factory=dict)  # radios, checkboxes, selects

    @property
    def names(self) -> set[str]:
        return self.text | set(self.choices) | set(self.defaults)

    def fill(self, **values: object) -> dict[str, object]:
        data: dict[str, object] = {k: (v if len(v) > 1 else v[0]) for k, v in self.defaults.items()}
        for name, value in values.items():
            assert name in self.text or name in self.choices, f"{name} is not shown on the page"
            if name in self.choices:
                for one in value if isinstance(value, list) else [value]:
                    assert str(one) in self.choices[name], f"{one!r} is not offered for {name}"
            data[name] = value
        return data


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[ShownForm] = []
        self._form: ShownForm | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form":
            self._form = ShownForm(action=a.get("action", ""), method=a.get("method", "get"))
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("hidden",):
                form.defaults.setdefault(name, []).append(a.get("value", ""))
            elif kind in ("radio", "checkbox"):
                form.choices.setdefault(name, set()).add(a.get("value", "on"))
                if "checked" in a:
                    form.defaults.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button"):
                form.text.add(name)
                if a.get("value"):
                    form.defaults.setdefault(name, []).append(a["value"])
        elif tag == "select" and name:
            self._select = name
            form.choices.setdefault(name, set())
        elif tag == "option" and self._select:
            form.choices[self._select].add(a.get("value", ""))
            if "selected" in a:
                form.defaults[self._select] = [a.get("value", "")]
        elif tag == "textarea" and name:
            form.text.add(name)
            self._textarea = name

    def handle_data(self, data: str) -> None:
        if self._textarea and self._form and data.strip():
            self._form.defaults.setdefault(self._textarea, []).append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def page_forms(html: str) -> list[ShownForm]:
    parser = _Parser()
    parser.feed(html)
    return parser.forms


def page_form(html: str, action: str = "") -> ShownForm:
    """The form whose action contains `action`, or without one the form posting to the page
    itself (no action attribute, or an empty one)."""
    for form in page_forms(html):
        if action and action in form.action:
            return form
        if not action and not form.action and form.method.lower() == "post":
            return form
    raise AssertionError(f"no form posting to {action!r} on the page")
