"""Drive pages the way a person does: read the rendered HTML, fill each form using only the
fields and options it shows, submit it, and judge what happened.

Used by the generic walk over every URL pattern (test_form_walk.py) and by page tests that want
"fill what the page shows" for one form.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.forms import BaseForm
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

# -- reading the page --------------------------------------------------------------------------


@dataclass
class Control:
    tag: str  # input, select, textarea, button
    name: str
    type: str = "text"
    value: str = ""
    checked: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # (value, selected)
    classes: str = ""
    id: str = ""
    setting_search: bool = False  # the register's search box (ehc/register/fields.py)


@dataclass
class HtmlForm:
    method: str
    action: str
    controls: list[Control] = field(default_factory=list)

    @property
    def names(self) -> set[str]:
        return {c.name for c in self.controls if c.name}

    def buttons(self) -> list[Control | None]:
        """The ways to send it: each named submit button, or the form's one unnamed button."""
        named = [
            c
            for c in self.controls
            if c.name and c.type in ("submit", "image") and c.tag in ("input", "button")
        ]
        return named or [None]

    def signature(self) -> tuple[str, ...]:
        return tuple(sorted(self.names - {"csrfmiddlewaretoken"}))


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[HtmlForm] = []
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.h1 = ""
        self._in_h1 = False
        self._form: HtmlForm | None = None
        self._select: Control | None = None
        self._option: tuple[str | None, bool] | None = None
        self._option_text = ""
        self._textarea: Control | None = None

    def handle_starttag(self, tag: str, attrs_list) -> None:
        attrs = {k: (v if v is not None else "") for k, v in attrs_list}
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "h1":
            self._in_h1 = True
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = HtmlForm(
                method=attrs.get("method", "get").lower(), action=attrs.get("action", "")
            )
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name", "")
        if tag == "input":
            self._form.controls.append(
                Control(
                    tag="input",
                    name=name,
                    type=attrs.get("type", "text").lower(),
                    value=attrs.get("value", ""),
                    checked="checked" in attrs,
                    classes=attrs.get("class", ""),
                    id=attrs.get("id", ""),
                    setting_search="data-setting-search" in attrs,
                )
            )
        elif tag == "button":
            self._form.controls.append(
                Control(
                    tag="button",
                    name=name,
                    type=attrs.get("type", "submit").lower(),
                    value=attrs.get("value", ""),
                )
            )
        elif tag == "select":
            self._select = Control(tag="select", name=name, id=attrs.get("id", ""))
            self._form.controls.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = (attrs.get("value"), "selected" in attrs)
            self._option_text = ""
        elif tag == "textarea":
            self._textarea = Control(tag="textarea", name=name, id=attrs.get("id", ""))
            self._form.controls.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1 += data
        if self._option is not None:
            self._option_text += data
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False
        elif tag == "form":
            self._form = None
        elif tag == "option" and self._option is not None and self._select is not None:
            value, selected = self._option
            self._select.options.append(
                (value if value is not None else self._option_text.strip(), selected)
            )
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@dataclass
class Page:
    url: str
    h1: str
    forms: list[HtmlForm]
    links: list[str]
    ids: set[str]


def read_page(url: str, html: str) -> Page:
    parser = _FormParser()
    parser.feed(html)
    return Page(
        url=url,
        h1=" ".join(parser.h1.split()),
        forms=parser.forms,
        links=parser.links,
        ids=parser.ids,
    )


# -- filling a form ------------------------------------------------------------------------------

DATE_PART = re.compile(r"^(?P<base>.+)_(?P<part>[012])$")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def sensible_date(name: str, today: date) -> date:
    """A date a caseworker would plausibly type into a box with this name."""
    if "birth" in name:
        return today - relativedelta(years=10)
    return today


def sensible_text(control: Control) -> str:
    name = control.name.lower()
    kind = control.type
    if kind == "email" or "email" in name:
        return "walk@example.com"
    if kind == "tel" or "phone" in name:
        return "01632 960000"
    if kind == "url":
        return "https://example.com/"
    if kind == "time" or "time" in name:
        return "00:05"  # a time already past today, whenever the walk runs
    if "postcode" in name:
        return "SW1A 1AA"
    if any(word in name for word in ("amount", "annual", "cost")):
        return "120"
    if kind == "number" or "hours" in name or "days" in name:
        return "5"
    if "urn" in name:
        return "100000"
    if "upn" in name:
        return "A123456789012"
    if "password" in name or kind == "password":
        return "a-long-walk-password-2026"
    if "name" in name:
        return "Robin Walker"
    return "Walked through by the page test."


def fill(form: HtmlForm, *, button: Control | None = None, today: date | None = None) -> dict:
    """The data a person would send: what the page shows, with every box filled sensibly, sent
    with `button` (default: the first submit button)."""
    today = today or timezone.localdate()
    data: dict[str, object] = {}
    radios_done: set[str] = set()
    button = button or form.buttons()[0]
    if button is not None:
        data[button.name] = button.value
    for control in form.controls:
        if not control.name:
            continue
        if control.tag in ("input", "button") and control.type in ("submit", "image"):
            continue
        if control.tag == "button":
            continue
        if control.tag == "select":
            chosen = [v for v, selected in control.options if selected and v]
            values = [v for v, _ in control.options if v]
            if chosen or values:
                data[control.name] = (chosen or values)[0]
            continue
        if control.tag == "textarea":
            data[control.name] = control.value.strip() or "Walked through by the page test."
            continue
        if control.type == "hidden" and control.name == "submission_token":
            data[control.name] = str(uuid.uuid4())  # as a page reloaded after each send would
        elif control.type == "hidden":
            data[control.name] = control.value
        elif control.type == "radio":
            if control.name not in radios_done:
                data[control.name] = control.value
                radios_done.add(control.name)
        elif control.type == "checkbox":
            data.setdefault(control.name, [])
            data[control.name].append(control.value or "on")  # type: ignore[union-attr]
        elif control.type == "file":
            data[control.name] = SimpleUploadedFile("walk.pdf", PDF, "application/pdf")
        elif (match := DATE_PART.match(control.name)) and "date-input" in control.classes:
            when = sensible_date(match["base"], today)
            data[control.name] = str((when.day, when.month, when.year)[int(match["part"])])
        elif control.value:
            data[control.name] = control.value
        elif control.setting_search:
            data[control.name] = _register_entry()
        else:
            data[control.name] = sensible_text(control)
    return data


def _register_entry() -> str:
    """What a person types into the register's search box: the URN of a school in it, or
    nothing if the register is empty (the box is then refused where a setting is required)."""
    from ehc.models import Setting

    urn = Setting.objects.exclude(urn="").order_by("pk").values_list("urn", flat=True).first()
    return urn or ""


def action_url(page_url: str, form: HtmlForm) -> str:
    return urljoin(page_url, form.action or page_url)


def local_path(page_url: str, href: str) -> str | None:
    """A same-site link as path?query, or None for other sites, fragments and mailto."""
    if href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    parts = urlsplit(urljoin(page_url, href))
    if parts.netloc and parts.netloc != "testserver":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def unrendered_errors(response, submitted: set[str]) -> list[str]:
    """Fields with an error that the page never rendered (so no one could ever fill them)."""
    missing = []
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            if not isinstance(value, BaseForm) or not value.is_bound:
                continue
            for name in value.errors:
                if name == "__all__" or name not in value.fields:
                    continue
                html_name = value.add_prefix(name)
                if not any(n == html_name or n.startswith(html_name + "_") for n in submitted):
                    missing.append(f"{type(value).__name__}.{name}")
    return sorted(set(missing))


# -- the database, before and after --------------------------------------------------------------


# Bookkeeping, not case data: a refused sign-in may still touch the session table, and a form
# refused with errors shows its page again, which the read audit records.
IGNORED_TABLES = {
    "django_session",
    "ehc_readaudit",
    "axes_accessattempt",
    "axes_accessfailurelog",
    "axes_accesslog",
}


def fingerprint() -> dict[str, int]:
    """Row counts of every table: a refused form must leave every one unchanged."""
    tables = sorted(
        {m._meta.db_table for m in apps.get_models() if m._meta.managed} - IGNORED_TABLES
    )
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (table names from models)
            counts[table] = cursor.fetchone()[0]
    return counts


def changed_tables(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return [t for t in after if before.get(t) != after[t]]


# -- the project's URL patterns ------------------------------------------------------------------


def url_routes(resolver=None, prefix: str = "") -> list[str]:
    """Every URL pattern's route, with its namespace path, e.g. 'staff/cases/<int:case_pk>/'."""
    resolver = resolver or get_resolver()
    routes = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            routes += url_routes(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            routes.append(prefix + str(pattern.pattern))
    return routes


def route_of(path: str) -> str | None:
    """The pattern route a path resolves to (the key for 'has this page been walked')."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.route


# -- following links without sending anything ----------------------------------------------------


@dataclass
class Fetched:
    """One page (or file) a crawl fetched."""

    url: str
    route: str
    status: int
    body: str  # the text of an HTML page or a CSV; "" for other files and redirects
    location: str = ""
    page: Page | None = None


@dataclass
class Crawl:
    fetched: dict[str, Fetched] = field(default_factory=dict)  # url -> what came back

    def ok(self) -> dict[str, Fetched]:
        return {u: f for u, f in self.fetched.items() if f.status == 200}

    def routes_ok(self) -> set[str]:
        return {f.route for f in self.fetched.values() if f.status == 200}


def response_text(response) -> str:
    """What a response shows a person: the page's or CSV's text (files and redirects: none)."""
    if getattr(response, "streaming", False):
        return ""
    kind = response.get("Content-Type", "")
    if "html" in kind or "csv" in kind or "json" in kind or "text/plain" in kind:
        return response.content.decode(errors="replace")
    return ""


def crawl(
    client,
    start: list[str],
    *,
    per_route: int = 4,
    skip_routes: frozenset[str] = frozenset(),
    skip_prefixes: tuple[str, ...] = ("/assets/", "/static/", "/media/"),
    on_response=None,
) -> Crawl:
    """Follow every same-site link from `start` with GETs only (nothing is submitted), fetching
    at most `per_route` distinct URLs of each URL pattern. `on_response(url, response)` is
    called after each fetch (e.g. to check what the request recorded)."""
    from collections import Counter, deque

    result = Crawl()
    queue = deque(start)
    queued = set(start)
    per: Counter = Counter()
    while queue:
        url = queue.popleft()
        route = route_of(url)
        if route is None or route in skip_routes:
            continue
        response = client.get(url)
        if on_response is not None:
            on_response(url, response)
        body = response_text(response) if response.status_code == 200 else ""
        fetched = Fetched(
            url=url,
            route=route,
            status=response.status_code,
            body=body,
            location=response.get("Location", ""),
        )
        result.fetched[url] = fetched
        targets = []
        if response.status_code in (301, 302) and fetched.location:
            targets = [fetched.location]
        elif body and "html" in response.get("Content-Type", ""):
            fetched.page = read_page(url, body)
            targets = fetched.page.links
        for href in targets:
            path = local_path(url, href)
            if path is None or path in queued or path.startswith(skip_prefixes):
                continue
            target_route = route_of(path)
            if target_route is None or target_route in skip_routes:
                continue
            if per[target_route] >= per_route:
                continue
            per[target_route] += 1
            queued.add(path)
            queue.append(path)
    return result
