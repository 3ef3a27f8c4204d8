"""Walk every page of the project as the people who use it, and submit every form they see.

Demo cases in every stage are seeded through the demo seeder (the same one `make run` uses), then
each role (the public, a parent, a caseworker, a manager) starts from its front door and follows
the links its pages show, as a person would. On every page, each form is filled using only the
fields and options the rendered HTML offers (GOV.UK date boxes get a plausible day, month and
year; radios and selects their first real option; checkboxes all ticked) and submitted. Then:

- no answer may be a server error;
- an accepted submission redirects or changes the database;
- a refusal shows the GOV.UK error summary and changes no table;
- no error may name a field the page never rendered (such a form can never be submitted).

Submissions are kept, so the walk goes deeper as it goes (a budget asked for becomes a budget
page, a disagreement recorded becomes a disagreement page). Finally every URL pattern of the
project must have been walked, except the few listed in UNWALKED with the reason. A new page or
form is therefore covered without anyone writing a test for it.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from ehc import demo, roles
from ehc.models import Contact, User
from local_offer import demo as local_offer_demo
from notifications.models import Notification
from notifications.services.delivery import notification_deliver
from notifications.services.sweep import deadlines_sweep
from professionals import demo as professionals_demo
from tests.personal_budgets import conftest as pb

from .walker import (
    action_url,
    changed_tables,
    fill,
    fingerprint,
    local_path,
    read_page,
    route_of,
    unrendered_errors,
    url_routes,
)

pytestmark = pytest.mark.django_db

START = {
    "public": [
        "/local-offer/",
        "/local-offer/you-said-we-did/",
        "/openreferral/",
        "/",
        "/request/",
        "/sign-in/",
        "/privacy/",
        "/accessibility/",
        "/my-cases/sign-in-link/",
    ],
    "parent": ["/my-cases/"],
    "ep_admin": ["/professionals/"],
    "psychologist": ["/professionals/"],
    "senco": ["/professionals/"],
    "provider": ["/local-offer/provider/"],
    "caseworker": ["/staff/", "/staff/cases/new/", "/notifications/", "/staff/conversions/"],
    "manager": [
        "/staff/dashboards/",
        "/staff/local-offer/",
        "/staff/",
        "/staff/conversions/",
        "/staff/conversions/import/",
        "/staff/conversions/timetable/",
        "/notifications/rules/",
        "/notifications/outbox/",
    ],
}

# Patterns the walk does not reach by following links, and why.
UNWALKED = {
    "^assets/(?P<path>.*)$": "static files, not a page",
    "my-cases/set-up/<uidb64>/<token>/": "reached only from the emailed link (tests/family)",
    "sign-in/code/": "reached only while signing in with a second factor (tests/security)",
    "my-cases/add-request/<str:token>/": (
        "reached only from the emailed link that proves the address (tests/family)"
    ),
    "staff/cases/<int:case_pk>/plan-in-force/cease/": (
        "linked once a review decides to cease a plan; the walk's demo cases hold no maintained "
        "plans yet (tests/reviews/test_life.py)"
    ),
    "staff/cases/<int:case_pk>/plan-in-force/reviews/<int:review_pk>/letters/<slug:kind>/": (
        "linked once a review has a decision; the walk's demo cases hold no decided reviews "
        "(tests/reviews/test_letters.py)"
    ),
    "my-cases/<int:case_pk>/plan-reviews/reviews/<int:review_pk>/letters/<slug:kind>/": (
        "linked once a review has a decision; the walk's demo cases hold no decided reviews "
        "(tests/reviews/test_letters.py)"
    ),
    "sign-in/set-up-authenticator/": "reached only while signing in (tests/security)",
    "staff/conversions/reviews/": (
        "the old transfer-review task list, kept only to send old bookmarks to the work queue; "
        "nothing links to it (tests/conversions/test_pages.py)"
    ),
    "sign-in/set-up-authenticator/<str:token>/": (
        "reached only from the emailed set-up link (tests/security/test_second_factor.py)"
    ),
    "request/documents/<str:document_id>/remove/": (
        "the walk presses 'Continue' after uploading, so the list with Remove is not shown "
        "again (tests/family/test_documents.py)"
    ),
    "staff/cases/<int:case_pk>/personal-budget/<int:budget_pk>/section-j/": (
        "shown once an agreed budget differs from the draft's section J, which the walk's "
        "first choices never make (tests/personal_budgets)"
    ),
}

UNWALKED.update(
    {
        "professionals/join/<str:token>/": (
            "reached only from the emailed invitation link (tests/professionals)"
        ),
        "professionals/your-views/<str:token>/": (
            "reached only from the link emailed to the parent (tests/professionals)"
        ),
        "professionals/reviews/<int:pk>/": (
            "an annual review contribution; the walk's demo cases hold no plans in force "
            "(tests/professionals/test_contributions.py)"
        ),
        "staff/cases/<int:case_pk>/advice-requests/review-contribution/": (
            "linked while a plan in force has an open review, which the walk's demo cases do "
            "not have (tests/professionals/test_contributions.py)"
        ),
    }
)

# The Open Referral UK feed is a JSON API, not pages with links (tests/local_offer cover it).
UNWALKED_PREFIXES = ("openreferral/",)

# Forms that answer "done" with no visible effect on purpose.
QUIET_ON_PURPOSE = {
    "my-cases/sign-in-link/": "answers the same whether or not the address has an account",
}

# Forms sent once a role's walk is over (signing out ends the session the walk is using).
LAST = {"sign-out/"}

MAX_VISITS_PER_ROUTE = 30
SKIP_PREFIXES = ("/admin/", "/assets/", "/static/", "/media/")


@dataclass
class Walk:
    pages: Counter = field(default_factory=Counter)  # route -> pages fetched
    routes: set = field(default_factory=set)  # routes answered (pages, redirects, submissions)
    forms_seen: int = 0
    forms_submitted: set = field(default_factory=set)  # signatures accepted (or failed)
    tries: Counter = field(default_factory=Counter)  # signature -> submissions
    accepted: int = 0
    refused: int = 0
    refusals: list[str] = field(default_factory=list)
    get_forms: int = 0
    failures: list[str] = field(default_factory=list)


def _error_summary(body: str) -> str:
    start = body.find("govuk-error-summary__list")
    text = re.sub(r"<[^>]+>", " ", body[start : body.find("</ul>", start)])
    return " ".join(text.split()).removeprefix('govuk-error-summary__list">').strip()


def _still_linked(client: Client, page_url: str, url: str) -> bool:
    """A 404 is a broken link only if the page still shows the link (not a stale one)."""
    if not page_url.startswith("/"):
        return True
    response = client.get(page_url)
    if response.status_code != 200:
        return False
    page = read_page(page_url, response.content.decode())
    return any(local_path(page_url, href) == url for href in page.links)


def _client_for(role: str, users: dict[str, User]) -> Client:
    client = Client(raise_request_exception=False)
    if role != "public":
        client.force_login(users[role])
    return client


def _walk_role(role: str, users: dict[str, User], walk: Walk) -> None:
    client = _client_for(role, users)
    queue = deque((url, "where the walk starts", False) for url in START[role])
    queued = set(START[role])
    visits: Counter = Counter()

    def enqueue(page_url: str, href: str, *, fresh: bool = False) -> None:
        """Queue a link once, up to MAX_VISITS_PER_ROUTE per pattern. Where a submission leads,
        and the links on that page, go first and past the cap: that is where the new state is."""
        path = local_path(page_url, href)
        if path is None or path.startswith(SKIP_PREFIXES):
            return
        route = route_of(path)
        if route is None or (not fresh and visits[route] >= MAX_VISITS_PER_ROUTE):
            return
        if fresh:
            queue.appendleft((path, page_url, True))
        elif path not in queued:
            queue.append((path, page_url, False))
        queued.add(path)

    last: list = []
    while queue:
        url, came_from, fresh = queue.popleft()
        route = route_of(url)
        if route is None or visits[route] >= 3 * MAX_VISITS_PER_ROUTE:
            continue
        visits[route] += 1
        response = client.get(url)
        if response.status_code >= 500 or (
            response.status_code == 404 and _still_linked(client, came_from, url)
        ):
            walk.failures.append(
                f"{role} GET {url} (linked from {came_from}): HTTP {response.status_code}"
            )
            continue
        if response.status_code < 400:
            walk.routes.add(route)
        if response.status_code in (301, 302):
            enqueue(url, response["Location"], fresh=fresh)
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        walk.pages[route] += 1
        page = read_page(url, response.content.decode())
        for href in page.links:
            if fresh and local_path(url, href) not in queued:
                enqueue(url, href, fresh=True)
            else:
                enqueue(url, href)
        for form in page.forms:
            walk.forms_seen += 1
            target = action_url(url, form)
            for button in form.buttons():
                pressed = (button.name, button.value) if button else None
                signature = (
                    role,
                    route,
                    page.h1,
                    route_of(target),
                    form.method,
                    form.signature(),
                    pressed,
                )
                # Once accepted, a form is done; a refused one is tried on other pages (another
                # case may be in a state that allows it), a few times.
                if signature in walk.forms_submitted or walk.tries[signature] >= 4:
                    continue
                if route_of(target) in LAST:
                    last.append((url, page, form, button, target))
                    continue
                walk.tries[signature] += 1
                if _submit(client, role, url, page, form, button, target, walk, enqueue):
                    walk.forms_submitted.add(signature)
    for url, page, form, button, target in last[:1]:
        _submit(client, role, url, page, form, button, target, walk, enqueue)


def _submit(client, role, url, page, form, button, target, walk, enqueue) -> bool:
    """Send the form as filled by `fill`; record what happened; True unless it was refused."""
    data = fill(form, button=button)
    where = f"{role} {form.method.upper()} {target} (form on {url}, '{page.h1}')"
    cache.clear()  # rate limits are for people, not for a walk of every form
    if form.method != "post":
        walk.get_forms += 1
        response = client.get(target, data)
        if response.status_code >= 500:
            walk.failures.append(f"{where}: HTTP {response.status_code}")
        elif response.status_code < 400:
            walk.routes.add(route_of(target))
        return True
    before, sent, session = fingerprint(), len(mail.outbox), dict(client.session)
    response = client.post(target, data)
    after = fingerprint()
    changed = changed_tables(before, after) + (["the outbox"] if len(mail.outbox) > sent else [])
    if dict(client.session) != session:
        changed.append("the session")
    streamed = getattr(response, "streaming", False) or (  # a file download
        response.status_code == 200 and "html" not in response.get("Content-Type", "")
    )
    body = (
        response.content.decode(errors="replace")
        if response.status_code == 200 and not streamed
        else ""
    )
    missing = unrendered_errors(response, set(data))
    refused = False
    if response.status_code >= 500:
        walk.failures.append(f"{where}: HTTP {response.status_code}")
    elif missing:
        walk.failures.append(f"{where}: required but not on the page: {', '.join(missing)}")
    elif response.status_code in (301, 302, 303):
        walk.accepted += 1
        walk.routes.add(route_of(target))
        enqueue(target, response["Location"], fresh=True)
    elif response.status_code == 200 and "govuk-error-summary" in body:
        walk.refused += 1
        refused = True
        walk.refusals.append(f"{where}: {_error_summary(body)}")
        if set(changed) - {"the session"}:
            walk.failures.append(f"{where}: refused but changed {', '.join(changed)}")
    elif (
        response.status_code == 200
        and (changed or streamed)
        or response.status_code == 200
        and route_of(target) in QUIET_ON_PURPOSE
    ):
        walk.accepted += 1
        walk.routes.add(route_of(target))
    else:
        walk.failures.append(
            f"{where}: HTTP {response.status_code} with neither an effect nor an error summary"
        )
    return not refused


@pytest.fixture
def walk_users(settings, tmp_path, make_case) -> dict[str, User]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    demo.seed_cases(60, seed=13)
    users = demo.ensure_demo_users()
    # States the demo seeder does not make, made through the services: a draft plan with one
    # personal budget being prepared, another agreed with direct payments, and a final plan.
    caseworker = users[roles.CASEWORKER]
    pb.ask(pb.drafting_case(make_case, caseworker), caseworker)
    pb.agree_mixed(pb.ask(pb.drafting_case(make_case, caseworker), caseworker), caseworker)
    pb.plan_issued_case(make_case, caseworker)
    # The family's login on every case (no service links a login to a contact), so the family
    # walk, which comes last, sees what the staff walk did: plans, letters, budgets.
    Contact.objects.update(user=users[roles.PARENT])
    local_offer_demo.seed_directory(40)
    local_offer_demo.seed_people_and_activity()
    professional_logins = professionals_demo.walk_users(
        caseworker=caseworker, manager=users[roles.MANAGER]
    )
    deadlines_sweep()  # alerts, so the notification pages have something to show
    for notification in Notification.objects.filter(status=Notification.Status.PENDING):
        notification_deliver(notification_id=notification.pk)
    return {
        "provider": User.objects.get(username=local_offer_demo.DEMO_PROVIDER),
        "caseworker": users[roles.CASEWORKER],
        "manager": users[roles.MANAGER],
        "parent": users[roles.PARENT],
        **professional_logins,
    }


def test_every_page_and_form_works_for_the_people_who_use_it(walk_users):
    walk = Walk()
    # Organisations' members walk before the manager, who may suspend their organisation.
    professionals = ("psychologist", "senco", "ep_admin")
    for role in ("public", "provider", *professionals, "caseworker", "manager", "parent"):
        _walk_role(role, walk_users, walk)

    walked = walk.routes
    unwalked = [r for r in url_routes() if not r.startswith("admin/") and r not in walked]
    unexplained = sorted(
        r for r in unwalked if r not in UNWALKED and not r.startswith(UNWALKED_PREFIXES)
    )
    print(
        f"\nform walk: {sum(walk.pages.values())} pages over {len(walked)} URL patterns, "
        f"{walk.forms_seen} forms seen, {len(walk.forms_submitted)} distinct forms submitted "
        f"({walk.accepted} accepted, {walk.refused} refused with an error summary, "
        f"{walk.get_forms} search/filter forms)"
    )
    print("refused:\n  " + "\n  ".join(walk.refusals))
    problems = walk.failures + [f"no walk reached {route}" for route in unexplained]
    assert not problems, "\n".join(problems)
