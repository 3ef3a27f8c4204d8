"""Bad input to every form and list filter, as the people who use them would send it.

A short walk (one page per URL pattern, as each role follows links from where it starts) finds
the forms the pages show; hypothesis then fills them with what people and scripts really send:
huge numbers in GOV.UK date boxes, 31/12/9999, ids far past any row, NUL bytes, text of ten
thousand characters, right-to-left and combining characters, option values the page never
offered. Whatever arrives:

- the answer is never a server error;
- a refusal (the GOV.UK error summary) changes no table.

Fixed seed, bounded examples: the same few hundred submissions every run.
"""

from __future__ import annotations

import re
from collections import deque

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehc import demo, roles
from ehc.models import Contact, User

from .test_form_walk import LAST, SKIP_PREFIXES, START
from .walker import (
    DATE_PART,
    HtmlForm,
    action_url,
    changed_tables,
    fill,
    fingerprint,
    local_path,
    read_page,
    route_of,
)

pytestmark = pytest.mark.django_db

PAGES_PER_ROLE = 45

HUGE = "9" * 30
WEIRD_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "x" * 10_000,
    "\u202eevil\u202c" * 20,  # right-to-left override
    "مدرسة الأمل الابتدائية",
    "Zoë O\u0301Brien",  # combining accent
    "'; DROP TABLE ehc_case; --",
    "<script>alert(1)</script>",
    "=HYPERLINK(1)",
    HUGE,
    "-1",
    "1e308",
    "NaN",
]
DATE_PARTS = ["", "0", "-1", "31", "12", "9999", "2000", HUGE, "1e9", "\x00", "٣"]
CHOICE_JUNK = [HUGE, "-1", "0", "\x00", "x" * 500, "None"]


def _collect(role: str, user: User | None) -> list[tuple[str, HtmlForm]]:
    """(page url, form) for each distinct form the role meets within PAGES_PER_ROLE pages."""
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    queue, seen_routes, forms, signatures = deque(START[role]), set(), [], set()
    while queue and len(seen_routes) < PAGES_PER_ROLE:
        url = queue.popleft()
        route = route_of(url)
        if route is None or route in seen_routes:
            continue
        seen_routes.add(route)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = read_page(url, response.content.decode())
        for href in page.links:
            path = local_path(url, href)
            if path and not path.startswith(SKIP_PREFIXES):
                queue.append(path)
        for form in page.forms:
            target = route_of(action_url(url, form))
            signature = (target, form.method, form.signature())
            if target in LAST or signature in signatures:
                continue
            signatures.add(signature)
            forms.append((url, form))
    return forms


class Targets(list):
    """The forms found; shown briefly when hypothesis reports a failing example."""

    def __repr__(self) -> str:
        return f"<{len(self)} forms and filters>"


@pytest.fixture
def fuzz_targets(settings, tmp_path) -> Targets:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    demo.seed_cases(16, seed=29)
    users = demo.ensure_demo_users()
    Contact.objects.update(user=users[roles.PARENT])
    targets = Targets()
    for role, user in (
        ("public", None),
        ("caseworker", users[roles.CASEWORKER]),
        ("manager", users[roles.MANAGER]),
        ("parent", users[roles.PARENT]),
    ):
        targets += [(role, url, form) for url, form in _collect(role, user)]
    return targets


@st.composite
def bad_submission(draw, form: HtmlForm) -> dict:
    """The form as a person would fill it, then some of its fields replaced by bad values."""
    data = fill(form)
    names = sorted(n for n in data if n not in ("csrfmiddlewaretoken", "submission_token"))
    if not names:
        return data
    spoiled = draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True))
    controls = {c.name: c for c in form.controls}
    for name in spoiled:
        control = controls.get(name)
        if DATE_PART.match(name) and control is not None and "date-input" in control.classes:
            data[name] = draw(st.sampled_from(DATE_PARTS))
        elif control is not None and (control.tag == "select" or control.type in ("radio",)):
            data[name] = draw(st.sampled_from(CHOICE_JUNK))
        elif control is not None and control.type == "file":
            continue
        else:
            data[name] = draw(st.sampled_from(WEIRD_TEXT) | st.text(max_size=40))
    if draw(st.booleans()):  # a whole date of 31/12/9999
        bases = {m["base"] for n in data if (m := DATE_PART.match(n))}
        for base in sorted(bases)[:1]:
            data.update({f"{base}_0": "31", f"{base}_1": "12", f"{base}_2": "9999"})
    return data


@settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_bad_input_gives_a_server_error_or_a_half_saved_refusal(fuzz_targets, data):
    role, url, form = data.draw(st.sampled_from(fuzz_targets), label="form")
    data.draw(st.just(f"{role} {form.method} {url} {sorted(form.names)}"), label="which")
    sent = data.draw(bad_submission(form), label="fields")
    client = Client(raise_request_exception=False)
    if role != "public":
        client.force_login(User.objects.get(username=_USERNAMES[role]))
    cache.clear()  # rate limits are for people
    target = action_url(url, form)
    where = f"{role} {form.method.upper()} {target} (form on {url})"
    if form.method != "post":
        response = client.get(target, sent)
        assert response.status_code < 500, f"{where}: HTTP {response.status_code}"
        return
    before = fingerprint()
    response = client.post(target, sent)
    assert response.status_code < 500, f"{where}: HTTP {response.status_code} for {sent!r}"
    streamed = getattr(response, "streaming", False)
    body = (
        response.content.decode(errors="replace")
        if response.status_code == 200 and not streamed
        else ""
    )
    if "govuk-error-summary" in body:
        changed = [t for t in changed_tables(before, fingerprint()) if not _bookkeeping(t)]
        assert not changed, f"{where}: refused but changed {changed} for {sent!r}"


_USERNAMES = {"caseworker": "caseworker", "manager": "manager", "parent": "parent@example.com"}


def _bookkeeping(table: str) -> bool:
    """Tables a refused request may touch: sign-in records and the read audit."""
    return bool(re.search(r"axes|session|readaudit|caseread|request_log", table))


def test_the_fuzz_covers_forms_and_filters_of_every_role(fuzz_targets):
    roles_seen = {role for role, _, _ in fuzz_targets}
    assert {"public", "caseworker", "manager"} <= roles_seen
    methods = {form.method for _, _, form in fuzz_targets}
    assert methods == {"get", "post"}
    assert len(fuzz_targets) > 30
