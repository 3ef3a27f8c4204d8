"""The smoke walk `make prod-check` runs against the production shape it started.

Plain HTTP to gunicorn on loopback, as a TLS-terminating proxy would send it (with
`X-Forwarded-Proto: https`, so secure cookies and CSRF's origin checks work as they do behind
the proxy). Each step prints one line; the first failure stops the walk with exit status 1.

    python scripts/prod_smoke.py --base http://127.0.0.1:PORT --mail-dir DIR --web-log FILE
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import requests

DEMO_PASSWORD = "demo-password-2026"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# One answer set for the public request journey, keyed by each question page's slug.
REQUEST_ANSWERS: dict[str, dict[str, str]] = {
    "who-is-asking": {"requester_type": "parent"},
    "child-or-young-person": {
        "first_name": "Smoke",
        "last_name": "Check",
        "date_of_birth_0": "1",
        "date_of_birth_1": "5",
        "date_of_birth_2": "2017",
    },
    "contact-details": {
        "full_name": "Parent Check",
        "relationship": "parent",
        "preferred_contact_method": "email",
        "email": "smoke-parent@example.com",
    },
    "another-parent-or-carer": {"another": "no"},
    "school-or-setting": {"setting_name": "Oakfield Primary", "setting_urn": "123456"},
    "what-they-find-difficult": {"needs": "Reading and writing."},
    "support-so-far": {"support": "Small-group reading since Year 1."},
    "views-interests-and-hopes": {
        "views": "Wants help with reading.",
        "interests": "Maths.",
        "aspirations": "To be an engineer.",
        "family_views": "A quiet space.",
    },
    "documents": {"continue": ""},
    "privacy-and-consent": {"consent": "on"},
}


class Failure(Exception):
    pass


class _Forms(HTMLParser):
    """Every form's action and its hidden inputs; every stylesheet and script URL."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "hidden": {}})
        elif tag == "input" and self.forms and a.get("type") == "hidden" and a.get("name"):
            self.forms[-1]["hidden"][a["name"]] = a.get("value", "")
        elif tag == "link" and a.get("rel") == "stylesheet":
            self.assets.append(a.get("href", ""))
        elif tag == "script" and a.get("src"):
            self.assets.append(a["src"])


def parse(html: str) -> _Forms:
    parser = _Forms()
    parser.feed(html)
    return parser


class Browser:
    """A cookie-keeping client that talks to gunicorn as the proxy would."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.origin = "https://" + urlparse(self.base).netloc
        self.session = requests.Session()
        self.session.headers["X-Forwarded-Proto"] = "https"

    def _fix_cookies(self) -> None:
        # Cookies are Secure (DEBUG off); the proxy's TLS is simulated, so send them anyway.
        for cookie in self.session.cookies:
            cookie.secure = False

    def get(self, path: str, **kw) -> requests.Response:
        response = self.session.get(
            urljoin(self.base, path), allow_redirects=False, timeout=30, **kw
        )
        self._fix_cookies()
        return response

    def post(self, path: str, data: dict, files: dict | None = None) -> requests.Response:
        url = urljoin(self.base, path)
        headers = {"Origin": self.origin, "Referer": self.origin + urlparse(url).path}
        response = self.session.post(
            url, data=data, files=files, headers=headers, allow_redirects=False, timeout=30
        )
        self._fix_cookies()
        return response

    def follow(self, response: requests.Response, limit: int = 5) -> requests.Response:
        while response.status_code in (301, 302, 303) and limit:
            response = self.get(response.headers["Location"])
            limit -= 1
        return response

    def submit_form(
        self, page_path: str, data: dict, files: dict | None = None
    ) -> requests.Response:
        """GET a page, take its form, post the form's hidden fields plus data."""
        page = self.get(page_path)
        expect(page.status_code == 200, f"GET {page_path} answered {page.status_code}")
        forms = [f for f in parse(page.text).forms if "csrfmiddlewaretoken" in f["hidden"]]
        expect(forms, f"{page_path} has no form")
        # The page's own form (posting back to it), not e.g. a "remove this file" form.
        own = [f for f in forms if f["action"] in ("", page_path, urlparse(page_path).path)]
        form = (own or forms)[0]
        target = form["action"] or page_path
        return self.post(target, {**form["hidden"], **data}, files=files)


def expect(condition: object, message: str) -> None:
    if not condition:
        raise Failure(message)


def step(name: str):
    def wrap(fn):
        def run(*args, **kwargs):
            start = time.perf_counter()
            result = fn(*args, **kwargs)
            print(f"  ok  {name} ({time.perf_counter() - start:.1f}s)", flush=True)
            return result

        return run

    return wrap


@step("/healthz: database and Redis answer, no personal data")
def check_health(base: str) -> None:
    response = requests.get(base + "/healthz", timeout=10)
    expect(
        response.status_code == 200, f"/healthz answered {response.status_code}: {response.text}"
    )
    expect(
        response.json() == {"status": "ok", "database": "ok", "redis": "ok"},
        f"/healthz said {response.text}",
    )
    expect(response.headers.get("X-Request-ID"), "no X-Request-ID header on /healthz")


@step("static files served by WhiteNoise with DEBUG off, hashed and cached")
def check_static(browser: Browser) -> None:
    page = browser.get("/")
    expect(page.status_code == 200, f"home page answered {page.status_code}")
    assets = [a for a in parse(page.text).assets if "/static/" in a]
    expect(assets, "the home page links no static file")
    for asset in assets:
        response = browser.get(asset, headers={"Accept-Encoding": "gzip"})
        expect(response.status_code == 200, f"{asset} answered {response.status_code}")
        expect(re.search(r"\.[0-9a-f]{12}\.", asset), f"{asset} has no content hash")
        expect("max-age" in response.headers.get("Cache-Control", ""), f"{asset} is not cached")


@step("a debug page is not shown: an unknown address is a plain 404")
def check_not_debug(browser: Browser) -> None:
    response = browser.get("/no-such-page-here/")
    expect(response.status_code == 404, f"unknown page answered {response.status_code}")
    expect("Traceback" not in response.text and "URLconf" not in response.text, "debug 404 page")


@step("a family sends a request online (with a document) and gets a reference")
def public_request(base: str) -> str:
    family = Browser(base)
    begin = family.get("/request/start/")
    expect(begin.status_code == 302, f"/request/start/ answered {begin.status_code}")
    location = begin.headers["Location"]
    for slug, answers in REQUEST_ANSWERS.items():
        expect(location.rstrip("/").endswith(slug), f"expected the {slug} page, went to {location}")
        if slug == "documents":
            upload = family.submit_form(
                location,
                {"upload": ""},
                files={"document": ("report.pdf", PDF_BYTES, "application/pdf")},
            )
            expect(upload.status_code == 302, f"upload answered {upload.status_code}")
        response = family.submit_form(location, answers)
        expect(response.status_code == 302, f"{slug} answered {response.status_code}")
        location = response.headers["Location"]
    check = family.get(location)
    expect(check.status_code == 200, f"check answers page answered {check.status_code}")
    expect("report.pdf" in check.text, "the uploaded document is not listed on check answers")
    sent = family.submit_form(location, {})
    expect(sent.status_code == 302, f"sending the request answered {sent.status_code}")
    confirmation = family.follow(sent)
    found = re.search(r"Your reference number<br><strong>([^<]+)</strong>", confirmation.text)
    expect(found, "the confirmation page shows no reference")
    assert found is not None  # expect() has stopped the run otherwise
    return found.group(1).strip()


def sign_in(base: str, username: str) -> Browser:
    browser = Browser(base)
    response = browser.submit_form("/sign-in/", {"username": username, "password": DEMO_PASSWORD})
    expect(response.status_code == 302, f"signing in as {username} answered {response.status_code}")
    location = response.headers.get("Location", "")
    while response.status_code == 302 and "/sign-in/code/" not in location:
        response = browser.get(location)  # e.g. the home page, which sends staff on to the code
        location = response.headers.get("Location", "")
    if "/sign-in/code/" in location:
        # Staff give a second factor: the code the demo authenticator shows now, as
        # `manage.py otp_code` prints it (development only, so asked with DJANGO_DEBUG=1 of the
        # same throwaway database).
        printed = subprocess.run(
            [sys.executable, "manage.py", "otp_code", username],
            env={**os.environ, "DJANGO_DEBUG": "1"},
            capture_output=True,
            text=True,
            check=False,
        )
        expect(printed.returncode == 0, f"otp_code {username}: {printed.stderr[-300:]}")
        code = printed.stdout.split()[0]
        response = browser.submit_form(location, {"token": code})
        expect(response.status_code == 302, f"{username}'s code answered {response.status_code}")
        expect("/sign-in/code/" not in response.headers["Location"], f"{username}'s code refused")
    response = browser.follow(response)
    expect(response.status_code == 200, f"{username}'s first page answered {response.status_code}")
    return browser


@step("the caseworker signs in and finds the new request in the team's work queue")
def caseworker_queue(base: str, reference: str) -> Browser:
    browser = sign_in(base, "caseworker")
    for page in range(1, 60):
        response = browser.get(f"/staff/?scope=team&page={page}")
        expect(response.status_code == 200, f"work queue page {page}: {response.status_code}")
        if reference in response.text:
            return browser
        if f"page={page + 1}" not in response.text:
            break
    raise Failure(f"{reference} is not in the caseworker's team queue")


@step("the manager signs in: all tasks, dashboards, outbox")
def manager_pages(base: str) -> Browser:
    browser = sign_in(base, "manager")
    for path in ["/staff/?scope=all", "/staff/dashboards/", "/notifications/outbox/"]:
        response = browser.get(path)
        expect(response.status_code == 200, f"manager {path}: {response.status_code}")
    return browser


@step("the parent signs in and sees their cases")
def parent_pages(base: str) -> None:
    browser = sign_in(base, "parent@example.com")
    response = browser.get("/my-cases/")
    expect(response.status_code == 200, f"parent /my-cases/: {response.status_code}")
    staff = browser.get("/staff/")
    expect(staff.status_code in (302, 403, 404), f"parent reached /staff/: {staff.status_code}")


@step("the system administrator signs in to the Django admin")
def admin_pages(base: str) -> None:
    browser = sign_in(base, "admin")
    response = browser.get("/admin/")
    expect(response.status_code == 200, f"admin /admin/: {response.status_code}")


@step("beat swept the deadlines and the worker delivered an alert by email")
def alert_delivered(manager: Browser, mail_dir: Path, wait_seconds: int) -> None:
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        mails = [p for p in mail_dir.glob("*.log") if p.stat().st_size] if mail_dir.exists() else []
        outbox = manager.get("/notifications/outbox/?status=sent")
        if mails and outbox.status_code == 200 and "No messages" not in outbox.text:
            return
        time.sleep(2)
    raise Failure(f"no alert delivered within {wait_seconds}s (mail files in {mail_dir}: none)")


@step("each request logged one JSON line with its id, status and duration")
def logs_are_structured(web_log: Path) -> None:
    requests_logged = []
    for line in web_log.read_text().splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            if record.get("logger") == "ehc.request":
                requests_logged.append(record)
    expect(requests_logged, f"no JSON request lines in {web_log}")
    for record in requests_logged:
        for field in ("request_id", "status", "duration_ms", "path", "method"):
            expect(field in record, f"request line without {field}: {record}")
        expect("?" not in record["path"], f"a query string was logged: {record['path']}")
    expect(any(r.get("user_id") for r in requests_logged), "no request line carries a user id")
    text = web_log.read_text()
    expect(
        "Smoke" not in text and "smoke-parent" not in text, "a child's or parent's name was logged"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--mail-dir", type=Path, required=True)
    parser.add_argument("--web-log", type=Path, required=True)
    parser.add_argument("--alert-wait", type=int, default=90)
    args = parser.parse_args()
    try:
        check_health(args.base)
        check_static(Browser(args.base))
        check_not_debug(Browser(args.base))
        reference = public_request(args.base)
        caseworker_queue(args.base, reference)
        manager = manager_pages(args.base)
        parent_pages(args.base)
        admin_pages(args.base)
        alert_delivered(manager, args.mail_dir, args.alert_wait)
        logs_are_structured(args.web_log)
    except (Failure, requests.RequestException) as exc:
        print(f"FAIL  {exc}", file=sys.stderr)
        return 1
    print("Smoke walk passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
