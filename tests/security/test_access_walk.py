"""Every URL pattern, as every role, with other people's ids: no leak, no error.

The world (walk_roles.py) holds two parties of everything. First each role walks its own pages
(GET only, following links from its front doors, tests/pages/walker.py::crawl), so every URL
it reaches is filled with real ids of its own party: cases, tasks, letters, plans, budgets,
documents, disagreements, instruments, reviews, notifications, Local Offer services, admin
records... Then every role requests every URL any other role reached and it did not, by GET
and by POST (the form the owner's page showed, filled as a person would, or an empty post for a
URL with no form), and:

- nothing is ever a server error;
- no page ever shows a role a child it may not see (the child's full name or case reference);
- a URL that showed its owner such a child, a URL of a peer (the other family, the other
  team's caseworker, the other provider), and a URL of a page this role never reaches itself,
  is refused: 403, 404, 405 or a redirect to sign in, and a refused post changes no table;
- the search and filter forms on a role's own pages, searched for other children's names and
  references, find none of them.

Because the URLs come from following links, a new page is covered as soon as it is linked; the
test then also checks every URL pattern of the project was reached by some role or is listed in
NOT_REACHED with the reason, so a page nobody links to cannot slip past.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.test import Client

from ehc.models import Case, ReadAudit
from tests.pages.walker import (
    Crawl,
    Fetched,
    action_url,
    changed_tables,
    crawl,
    fill,
    fingerprint,
    response_text,
    route_of,
    url_routes,
)

from .walk_roles import ROLES, WalkRole, World, build_world

pytestmark = pytest.mark.django_db

# Pages anyone may open whoever's ids are in them, and why.
PUBLIC = {
    "local-offer/services/<uuid:service_id>/": "the published Local Offer directory is public",
    "local-offer/services/<uuid:service_id>/shortlist/": "a visitor's own shortlist (session)",
    "local-offer/services/<uuid:service_id>/report/": "anyone may report a problem with a service",
    "local-offer/<slug:slug>/": "the Local Offer's statutory pages are public",
    "openreferral/services/<str:service_id>": "the Open Referral UK feed is public",
    "openreferral/taxonomies/<str:taxonomy_id>": "the Open Referral UK feed is public",
    "openreferral/taxonomy_terms/<str:term_id>": "the Open Referral UK feed is public",
    "openreferral/service_at_locations/<str:sal_id>": "the Open Referral UK feed is public",
    "request/<slug:slug>/": "the public request journey's steps (the visitor's own session)",
    "request/check-answers/": "the public request journey (the visitor's own session)",
    "request/send/": "the public request journey (the visitor's own session)",
    "request/confirmation/": "the public request journey (the visitor's own session)",
    "request/documents/": "the public request journey (the visitor's own session)",
    "local-offer/comment/sent/": "the public thank-you page after a comment",
    "admin/logout/": "signing out is harmless whoever asks",
    "^assets/(?P<path>.*)$": "static files",
}

# URL patterns no role's walk reaches by following links, and why (each has its own tests).
NOT_REACHED = {
    "sign-out/": "the walk never signs out (it would end the session it walks with)",
    "sign-in/code/": "only while signing in with a second factor (tests/security)",
    "sign-in/set-up-authenticator/": "only while signing in (tests/security)",
    "my-cases/set-up/<uidb64>/<token>/": "only from the emailed link (tests/family)",
    "my-cases/add-request/<str:token>/": "only from the emailed link (tests/family)",
    "request/documents/<str:document_id>/remove/": "only mid-journey, after an upload",
    "staff/cases/<int:case_pk>/plan-in-force/cease/": "only once a review decides to cease",
    "staff/cases/<int:case_pk>/personal-budget/<int:budget_pk>/section-j/": (
        "only when an agreed budget differs from the draft's section J"
    ),
    "sign-in/set-up-authenticator/<str:token>/": (
        "only from the emailed set-up link; one account's link refused to another "
        "(tests/security/test_second_factor.py)"
    ),
    # Pages of records the walk's world does not hold (each made by a form the form walk sends;
    # their apps' page tests ask them for another case's or team's ids and expect 404).
    "staff/cases/<int:case_pk>/disagreements/<int:pk>/": "a disagreement (tests/disagreements)",
    "staff/cases/<int:case_pk>/disagreements/complaints/<int:complaint_pk>/outcome/": (
        "a complaint (tests/disagreements)"
    ),
    "staff/cases/<int:case_pk>/personal-budget/<int:budget_pk>/decisions/<int:decision_pk>/"
    "reconsideration/": "a refused budget decision (tests/personal_budgets)",
    "staff/cases/<int:case_pk>/plan-in-force/compare/": "a plan with two versions (tests/reviews)",
    "staff/cases/<int:case_pk>/plan-in-force/reviews/<int:review_pk>/letters/<slug:kind>/": (
        "a review with a decision (tests/reviews/test_letters.py)"
    ),
    "my-cases/<int:case_pk>/plan-reviews/reviews/<int:review_pk>/letters/<slug:kind>/": (
        "a review with a decision (tests/reviews/test_letters.py)"
    ),
    "professionals/join/<str:token>/": "only from the emailed invitation (tests/professionals)",
    "professionals/your-views/<str:token>/": (
        "only from the link emailed to the parent (tests/professionals)"
    ),
    "staff/cases/<int:case_pk>/advice-requests/review-contribution/": (
        "a case with an open annual review (tests/professionals/test_contributions.py)"
    ),
    "professionals/reviews/<int:pk>/": (
        "a review contribution asked for (tests/professionals/test_contributions.py)"
    ),
    "staff/cases/<int:case_pk>/plan-in-force/moves/<int:pk>/family-told/": (
        "a move in or out (tests/reviews)"
    ),
    "staff/cases/<int:case_pk>/plan-in-force/moves/<int:pk>/passed-on/": (
        "a move in or out (tests/reviews)"
    ),
    "staff/cases/<int:case_pk>/plan-in-force/reassessments/<int:pk>/decision/": (
        "a reassessment (tests/reviews)"
    ),
    "staff/cases/<int:case_pk>/plan-in-force/reassessments/<int:pk>/plan/": (
        "a reassessment (tests/reviews)"
    ),
    "staff/conversions/reviews/<int:review_pk>/tasks/<int:task_pk>/": (
        "a transfer review begun (tests/conversions)"
    ),
    "staff/conversions/reviews/<int:review_pk>/tasks/<int:task_pk>/<str:action>/": (
        "a transfer review begun (tests/conversions)"
    ),
}
# The Django admin: every page behind admin_site.admin_view (active staff only, and the second
# factor). The walk requests every admin page the administrator reached as every other role;
# pages of kinds of record the world holds none of are not reached.
NOT_REACHED_PREFIXES = ("admin/",)
# The Open Referral UK feed: public, read-only, published Local Offer data (tests/local_offer).
PUBLIC_PREFIXES = ("openreferral/",)

REFUSED = (403, 404, 405)
SIGN_IN = ("/sign-in/", "/admin/login/")
SKIP_ROUTES = frozenset({"sign-out/"})
SEARCH_TERMS = 3  # other children's names and references tried in each search box
PER_ROUTE = 6  # distinct URLs of one pattern each role's walk fetches (the administrator: 2)
ATTACK_PER_ROUTE = 2  # of those, how many each other role tries, per pattern and owner


@dataclass
class Party:
    role: WalkRole
    user: object
    client: Client
    forbidden: set[str]  # markers of children this role may not see
    crawl: Crawl = field(default_factory=Crawl)
    own_targets: set[str] = field(default_factory=set)  # routes its own pages' forms post to
    areas: set[str] = field(default_factory=set)  # parts of the site its kind of user opens


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    requests: int = 0
    refused: Counter = field(default_factory=Counter)
    pairs: set = field(default_factory=set)  # (route, role) pairs tried with another's URL
    audit_missing: list[str] = field(default_factory=list)
    searched: set = field(default_factory=set)  # routes of search forms answered


def _markers(case: Case) -> set[str]:
    name = f"{case.child.first_name} {case.child.last_name}"
    return {case.reference, name, html.escape(name)}


def _forbidden(world: World, role: WalkRole, user) -> set[str]:
    cases = list(Case.objects.select_related("child", "team"))
    seen, unseen = set(), set()
    for case in cases:
        (seen if role.sees(world, user, case) else unseen).update(_markers(case))
    return unseen - seen


def _shown(body: str, forbidden: set[str]) -> list[str]:
    return sorted(m for m in forbidden if m in body)[:3]


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _refused(response, *, method: str = "GET", changed: list[str] | None = None) -> bool:
    """Refused: 403, 404 or 405; a redirect to sign in; or, for a GET, any redirect (it shows
    nothing), and for a POST a redirect that changed nothing."""
    if response.status_code in REFUSED:
        return True
    if response.status_code in (301, 302, 303):
        if response.get("Location", "").startswith(SIGN_IN):
            return True
        return method == "GET" or changed == []
    return False


def _audit_check(party: Party, findings: Findings):
    """During a role's own walk: every page shown about a case records the read."""

    def check(url: str, response) -> None:
        if response.status_code != 200 or party.user is None:
            return
        match = response.resolver_match
        case_pk = match.kwargs.get("case_pk") if match else None
        admin_model = getattr(getattr(match.func, "model_admin", None), "model", None)
        if case_pk is not None:
            recorded = ReadAudit.objects.filter(case_id=case_pk, path=url, user=party.user)
        elif admin_model is not None and "object_id" in match.kwargs:
            fields = {f.name for f in admin_model._meta.concrete_fields}
            if not (
                admin_model._meta.label in ("ehc.Case", "ehc.Child") or fields & {"case", "child"}
            ):
                return
            recorded = ReadAudit.objects.filter(path=url, user=party.user)
        else:
            return
        if not recorded.exists():
            findings.audit_missing.append(f"{party.role.name} GET {url}: no read audit row")

    return check


def _owner_forms(parties: list[Party]) -> dict[str, list[tuple[Party, Fetched, object]]]:
    """For each URL, the POST forms its owners' pages send there (owner, page, form)."""
    forms: dict[str, list[tuple[Party, Fetched, object]]] = {}
    for party in parties:
        for url, fetched in party.crawl.ok().items():
            if fetched.page is None:
                continue
            for form in fetched.page.forms:
                if form.method == "post":
                    forms.setdefault(action_url(url, form), []).append((party, fetched, form))
    return forms


def _must_refuse(
    party: Party, url: str, owners: list[tuple[Party, Fetched]], public: set[str]
) -> str:
    """Why this role must be refused this URL ("" if it need not be)."""
    route = route_of(url) or ""
    if route in public or route.startswith(PUBLIC_PREFIXES):
        return ""
    for owner, fetched in owners if "<" in route else []:  # URLs with someone's ids
        if shown := _shown(fetched.body, party.forbidden):
            return f"it showed {owner.role.name} {shown[0]!r}"
        if party.role.peers and owner.role.peers == party.role.peers:
            return f"it is {owner.role.name}'s"
    if area(route) not in party.areas:
        return f"this role's pages are not in {area(route)}/"
    return ""


def area(route: str) -> str:
    """The part of the site a URL pattern is in: its first two fixed path segments, e.g.
    staff/dashboards, staff/cases, my-cases, local-offer/provider."""
    fixed = []
    for segment in route.split("/"):
        if not segment or "<" in segment or "(" in segment:
            break
        fixed.append(segment)
    return "/".join(fixed[:2])


def _attack(party: Party, url: str, owners, forms, public, findings: Findings) -> None:
    why = _must_refuse(party, url, owners, public)
    route = route_of(url) or ""
    findings.pairs.add((route, party.role.name))
    cache.clear()  # rate limits are for people, not for a walk
    response = party.client.get(url)
    findings.requests += 1
    _judge(party, "GET", url, response, why, findings)
    if route.startswith("admin/") and not getattr(party.user, "is_superuser", False):
        return  # one guard (admin_view) answers every admin page alike
    posts = [(o.role.name, fill(form)) for o, _, form in forms.get(url, [])[:1]]
    if not posts and "<" in route:
        posts = [("nobody", {})]
    for owner_name, data in posts:
        before = fingerprint() if why else None
        response = party.client.post(url, data)
        findings.requests += 1
        changed = changed_tables(before, fingerprint()) if before is not None else None
        _judge(party, f"POST (as {owner_name}'s form)", url, response, why, findings, changed)
        if changed and _refused(response, method="POST", changed=changed):
            findings.problems.append(
                f"{party.role.name} POST {url}: refused but changed {', '.join(changed)}"
            )


def _judge(
    party: Party,
    how: str,
    url: str,
    response,
    why: str,
    findings: Findings,
    changed: list[str] | None = None,
    *,
    asked: str = "",
) -> None:
    where = f"{party.role.name} {how} {url}"
    if response.status_code >= 500:
        findings.problems.append(f"{where}: HTTP {response.status_code}")
        return
    body = response_text(response) if response.status_code == 200 else ""
    forbidden = party.forbidden - {asked, html.escape(asked)}  # a search box repeats its words
    if shown := _shown(body + response.get("Location", ""), forbidden):
        findings.problems.append(f"{where}: HTTP {response.status_code} shows {', '.join(shown)}")
        return
    if why:
        method = "POST" if how.startswith("POST") else "GET"
        if _refused(response, method=method, changed=changed):
            findings.refused[response.status_code] += 1
        else:
            findings.problems.append(
                f"{where}: HTTP {response.status_code} "
                f"{response.get('Location', '')} but must be refused ({why})"
            )


def _search_for_others(party: Party, findings: Findings) -> None:
    """Each GET form on the role's own pages, searched for children it may not see."""
    terms = sorted(m for m in party.forbidden if re.match(r"^[\w' -]+$", m))[:SEARCH_TERMS]
    done = set()
    for url, fetched in party.crawl.ok().items():
        for form in fetched.page.forms if fetched.page else []:
            target = action_url(url, form)
            key = (route_of(target), form.signature())
            if form.method == "post" or key in done:
                continue
            done.add(key)
            text_boxes = [
                c.name for c in form.controls if c.tag == "input" and c.type in ("text", "search")
            ]
            for term in terms if text_boxes else []:
                data = fill(form)
                data.update(dict.fromkeys(text_boxes, term))
                response = party.client.get(target, data)
                findings.requests += 1
                if response.status_code < 400:
                    findings.searched.add(route_of(target))
                _judge(party, f"search {term!r}", target, response, "", findings, asked=term)


@pytest.fixture
def world(settings, tmp_path, make_case, team, other_team, caseworker) -> World:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return build_world(make_case=make_case, north=team, south=other_team, north_worker=caseworker)


def test_every_url_as_every_role_shows_no_one_elses_child_and_every_read_is_audited(world):
    findings = Findings()
    parties = []
    for role in ROLES:
        user = world.users[role.name]
        party = Party(
            role=role, user=user, client=_client(user), forbidden=_forbidden(world, role, user)
        )
        cache.clear()
        party.crawl = crawl(
            party.client,
            list(role.start),
            per_route=2 if role.name == "admin" else PER_ROUTE,
            skip_routes=SKIP_ROUTES,
            on_response=_audit_check(party, findings),
        )
        for fetched in party.crawl.fetched.values():
            if fetched.status >= 500:
                findings.problems.append(f"{role.name} GET {fetched.url}: HTTP {fetched.status}")
            elif shown := _shown(fetched.body, party.forbidden):
                findings.problems.append(f"{role.name} GET {fetched.url}: shows {shown}")
        parties.append(party)

    owners: dict[str, list[tuple[Party, Fetched]]] = {}
    for party in parties:
        for url, fetched in party.crawl.ok().items():
            owners.setdefault(url, []).append((party, fetched))
    forms = _owner_forms(parties)
    for target, sent_from in forms.items():  # a form's target is a URL of its own
        for owner, page, _ in sent_from:
            owners.setdefault(target, []).append((owner, page))
            owner.own_targets.add(route_of(target))
    public = next(p for p in parties if p.user is None).crawl.routes_ok() | set(PUBLIC)
    for party in parties:  # the parts of the site the role, its peers and those it includes open
        kin = [
            p
            for p in parties
            if p is party
            or (party.role.peers and p.role.peers == party.role.peers)
            or p.role.name in party.role.includes
            or "*" in party.role.includes
        ]
        party.areas = {area(r) for p in kin for r in p.crawl.routes_ok() | p.own_targets}
    # Each role tries, of each pattern, a few URLs of each other role's.
    sample: dict[tuple[str, str], list[str]] = {}
    for url in sorted(owners):
        for owner, _ in owners[url]:
            sample.setdefault((route_of(url) or "", owner.role.name), []).append(url)
    for party in parties:
        mine = set(party.crawl.ok()) | {
            url for url, sent in forms.items() if any(o is party for o, _, _ in sent)
        }
        tried = set()
        for (_, owner_name), urls in sorted(sample.items()):
            if owner_name == party.role.name:
                continue
            for url in [u for u in urls if u not in mine][:ATTACK_PER_ROUTE]:
                if url in tried:
                    continue
                tried.add(url)
                others = [(o, f) for o, f in owners[url] if o is not party]
                _attack(party, url, others, forms, public, findings)
        _search_for_others(party, findings)

    reached = (
        {route_of(url) for url in owners}
        | {f.route for p in parties for f in p.crawl.fetched.values() if f.status < 400}
        | findings.searched
    )
    unexplained = sorted(
        r
        for r in url_routes()
        if r not in reached
        and r not in NOT_REACHED
        and r not in PUBLIC
        and not r.startswith(NOT_REACHED_PREFIXES + PUBLIC_PREFIXES)
    )
    routes = len(url_routes())
    print(
        f"\naccess walk: {routes} URL patterns x {len(ROLES)} roles; "
        f"{sum(len(p.crawl.fetched) for p in parties)} pages walked by their owners, "
        f"{len(owners)} distinct URLs, {len(findings.pairs)} (pattern, role) pairs tried with "
        f"another's URL, {findings.requests} requests; refused: {dict(findings.refused)}"
    )
    print("\n".join(findings.problems + findings.audit_missing))
    problems = (
        findings.problems
        + findings.audit_missing
        + [
            f"no role reached {route}: add the role that uses it to walk_roles.ROLES (and its "
            "records to WORLD_HOOKS), link it from a page, or list it in NOT_REACHED with why"
            for route in unexplained
        ]
    )
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:200])
