"""Fixtures for the SEN2 return: a frozen day in November 2026 (so the 2027 collection's period
is calendar 2026), cases with plans issued through the real services, and a reader for rendered
forms so page tests fill only the fields a page shows."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
import time_machine

from ehc.models import Setting
from ehc.services import case_event_record, timescale_exception_record
from tests.conftest import london

TODAY = date(2026, 11, 2)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(london(2026, 11, 2, 12), tick=False):
        yield


@pytest.fixture
def issue_plan(make_case, caseworker):
    """A case received on `received`, its final plan issued `weeks` weeks later."""

    def make(received: date, weeks: int, *, excuse: bool = False, **kwargs):
        case = make_case(received_at=london(received.year, received.month, received.day), **kwargs)
        final = received + timedelta(weeks=weeks)
        for kind, on in [
            ("decided_to_assess", received + timedelta(days=30)),
            ("decided_to_issue", final - timedelta(days=30)),
            ("draft_served", final - timedelta(days=20)),
            ("final_plan_issued", final),
        ]:
            case_event_record(case=case, kind=kind, occurred_on=on, acting_user=caseworker)
        if excuse:
            timescale_exception_record(
                deadline=case.deadlines.get(kind="A13"),
                code="EXCEPTIONAL_PERSONAL_CIRCUMSTANCES",
                starts_on=received + timedelta(days=40),
                ends_on=received + timedelta(days=80),
                evidence="Letter",
                reasoning="Bereavement",
                family_told_on=received + timedelta(days=45),
                acting_user=caseworker,
            )
        return case

    return make


@pytest.fixture
def school(db) -> Setting:
    return Setting.objects.create(
        name="Oakfield Special School",
        kind=Setting.Kind.SCHOOL,
        phase=Setting.Phase.SPECIAL,
        urn="123456",
    )


# Reading a rendered form ---------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # text, radio, checkbox, select, textarea, hidden...
    options: list[str] = field(default_factory=list)
    value: str = ""


@dataclass
class RenderedForm:
    action: str
    fields: dict[str, Field] = field(default_factory=dict)

    def fill(self, values: dict[str, str | bool]) -> dict[str, str]:
        """POST data from `values`, refusing any field the page does not show and any option it
        does not offer. Checkbox values True/False tick or leave it."""
        data: dict[str, str] = {}
        for name, value in values.items():
            assert name in self.fields, f"the page shows no field {name!r}: {sorted(self.fields)}"
            f = self.fields[name]
            if f.kind == "checkbox":
                if value:
                    data[name] = f.value or "on"
                continue
            if f.options:
                assert value in f.options, f"{name}: {value!r} not offered ({f.options[:8]}...)"
            data[name] = str(value)
        return data


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[RenderedForm] = []
        self._select: Field | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append(RenderedForm(action=a.get("action") or ""))
        if not self.forms:
            return
        fields = self.forms[-1].fields
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button"):
                return
            existing = fields.get(name)
            if kind == "radio":
                existing = existing or Field(name, "radio")
                existing.options.append(a.get("value", ""))
                fields[name] = existing
            else:
                fields[name] = Field(name, kind, value=a.get("value") or "")
        elif tag == "select" and name:
            self._select = fields[name] = Field(name, "select")
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
        elif tag == "button" and name:
            button = fields.get(name) or Field(name, "button")
            button.options.append(a.get("value", ""))
            fields[name] = button
        elif tag == "textarea" and name:
            fields[name] = Field(name, "textarea")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def rendered_form(response, index: int = -1, with_field: str | None = None) -> RenderedForm:
    """The page's form (by default the last one: the header's sign-out form comes first), or
    the first form that has the field `with_field` (the header's search box is a form too)."""
    assert response.status_code == 200, response.status_code
    reader = _FormReader()
    reader.feed(response.content.decode())
    forms = [
        f
        for f in reader.forms
        if f.fields and "logout" not in f.action and "sign-out" not in f.action
    ]
    if with_field:
        forms = [f for f in forms if with_field in f.fields]
        index = 0
    assert forms, "no form on the page"
    return forms[index]


def date_values(name: str, day: date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def error_summary(response) -> str:
    text = response.content.decode()
    start = text.find("govuk-error-summary")
    return text[start : start + 1500] if start >= 0 else ""
