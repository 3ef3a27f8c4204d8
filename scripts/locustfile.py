"""`make bench-load`: staff working through their pages while families send requests.

Run by scripts/bench-load against gunicorn on loopback, headless, for a fixed time. Requests
are sent as the TLS-terminating proxy would (`X-Forwarded-Proto: https`). Each staff user signs
in as a login of its own from $EHC_LOAD_USERS_JSON (made by `manage.py seed_load_users`) and
passes the second factor with the current code of its own authenticator, computed from the
device's key as an authenticator app would (RFC 6238, django_otp.oath.totp). When locust stops,
the median and 95th percentile of every page and the error count are printed and written as
JSON to $EHC_BENCH_LOAD_JSON.
"""

import itertools
import json
import os
import random
import re
import sys
import time
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_codes import totp_code  # noqa: E402
from load_cpu import cpu_seconds, cpu_used  # noqa: E402

DEMO_PASSWORD = "demo-password-2026"
STAFF_USERS = int(os.environ.get("EHC_LOAD_STAFF_USERS", "30"))
PUBLIC_USERS = int(os.environ.get("EHC_LOAD_PUBLIC_USERS", "3"))
MEASURE_SECONDS = int(os.environ.get("EHC_LOAD_SECONDS", "60"))
SETTLE_SECONDS = int(os.environ.get("EHC_LOAD_SETTLE_SECONDS", "5"))
CASE_LINK = re.compile(r'href="(/staff/cases/\d+/)"')
TASK_LINK = re.compile(r'href="(/staff/(?:cases/\d+|conversions/reviews/\d+)/tasks/\d+/)"')
SEARCH_TERMS = ["smith", "jones", "okafor", "patel", "begum", "nowak", "taylr", "willams", "khan"]
LOGINS_PATH = os.environ.get("EHC_LOAD_USERS_JSON", "")
LOGINS = json.loads(Path(LOGINS_PATH).read_text()) if LOGINS_PATH else []
_next_login = itertools.count()
SIGN_IN_PAGES = ("sign in", "sign in: code")
# The figures of the sign-in rush (every user at once, password hashing on each), kept when the
# last staff user is in; SETTLE_SECONDS later the pages' figures start again from zero, so they
# describe staff at work rather than the first minute of the day.
_window: dict = {"signed_in": 0, "measured_from": None, "sign_in": {}}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REQUEST_PAGES = [
    ("who-is-asking", {"requester_type": "parent"}),
    (
        "child-or-young-person",
        {
            "first_name": "Load",
            "last_name": "Test",
            "date_of_birth_0": "1",
            "date_of_birth_1": "5",
            "date_of_birth_2": "2017",
        },
    ),
    (
        "contact-details",
        {
            "full_name": "Parent Load",
            "relationship": "parent",
            "preferred_contact_method": "email",
            "email": "load-parent@example.com",
        },
    ),
    ("another-parent-or-carer", {"another": "no"}),
    ("school-or-setting", {"setting_name": "Oakfield Primary", "setting_urn": "123456"}),
    ("what-they-find-difficult", {"needs": "Reading and writing."}),
    ("support-so-far", {"support": "Small-group reading since Year 1."}),
    (
        "views-interests-and-hopes",
        {"views": "Help with reading.", "interests": "Maths.", "aspirations": "Engineer."},
    ),
    ("documents", {"continue": ""}),
    ("privacy-and-consent", {"consent": "on"}),
]


def _page_figures(entries) -> dict:
    pages = {}
    for entry in sorted(entries, key=lambda e: (e.name, e.method)):
        if not entry.num_requests:
            continue
        name = entry.name if entry.method == "GET" else f"{entry.name} ({entry.method})"
        pages[name] = {
            "requests": entry.num_requests,
            "errors": entry.num_failures,
            "median_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "max_ms": round(entry.max_response_time or 0),
        }
    return pages


def _signed_in(environment) -> None:
    _window["signed_in"] += 1
    if _window["signed_in"] != STAFF_USERS:
        return
    stats = environment.runner.stats
    _window["sign_in"] = _page_figures(e for e in stats.entries.values() if e.name in SIGN_IN_PAGES)
    _window["sign_in_errors"] = stats.total.num_failures
    # Pages asked for while the last passwords were being hashed are still queued behind them:
    # they belong to the rush, so the window opens once they have been served.
    gevent.spawn_later(SETTLE_SECONDS, _open_window, environment)


def _open_window(environment) -> None:
    _window["measured_from"] = time.time()
    _window["cpu_from"] = cpu_seconds()
    environment.runner.stats.reset_all()
    # The pages are measured for MEASURE_SECONDS from here, however long signing in took.
    gevent.spawn_later(MEASURE_SECONDS, environment.runner.quit)


class _Proxied(HttpUser):
    abstract = True

    def on_start(self) -> None:
        self.client.headers["X-Forwarded-Proto"] = "https"
        self.origin = (self.host or "").replace("http://", "https://")

    def _unsecure_cookies(self) -> None:
        # Cookies are Secure with DEBUG off; TLS is the proxy's, simulated here.
        for cookie in self.client.cookies:
            cookie.secure = False

    def post_form(self, path: str, data: dict, name: str, expect: int = 302):
        """GET the form, POST it back with its CSRF token; anything but `expect` is an error."""
        page = self.client.get(path, name=name)
        token = CSRF.search(page.text)
        self._unsecure_cookies()
        headers = {"Origin": self.origin, "Referer": self.origin + path}
        with self.client.post(
            path,
            data={"csrfmiddlewaretoken": token.group(1) if token else "", **data},
            headers=headers,
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != expect:
                response.failure(f"{path} answered {response.status_code}")
        self._unsecure_cookies()
        return response


class Staff(_Proxied):
    """A caseworker or a manager, each signed in as a login of its own, working through the
    queue, cases, tasks, search and (managers) the dashboards."""

    fixed_count = STAFF_USERS
    wait_time = between(1, 3)

    def on_start(self) -> None:
        super().on_start()
        if not LOGINS:
            raise RuntimeError("EHC_LOAD_USERS_JSON names no logins (manage.py seed_load_users).")
        login = LOGINS[next(_next_login) % len(LOGINS)]
        self.is_manager = login["role"] == "manager"
        self.post_form(
            "/sign-in/", {"username": login["username"], "password": login["password"]}, "sign in"
        )
        self._second_factor(login)
        self._unsecure_cookies()
        _signed_in(self.environment)

    def _second_factor(self, login: dict) -> None:
        """Enter the authenticator's current code; a code used this step waits for the next."""
        for _ in range(3):
            response = self.post_form(
                "/sign-in/code/", {"token": totp_code(login, time.time())}, "sign in: code"
            )
            if response.status_code == 302:
                return
            time.sleep(login["step"] - time.time() % login["step"] + 0.5)

    def _open(self, path: str, name: str) -> str:
        """GET a staff page. Anything but the page itself is an error: a redirect to sign in
        (a session lost) is not followed and counted as a success."""
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{path} answered {response.status_code}")
        # The application renews the session cookie now and then (the idle timeout), Secure.
        self._unsecure_cookies()
        return response.text or ""

    @task(3)
    def work_a_case(self) -> None:
        if self.is_manager:
            page = random.randint(1, 40)
            queue = self._open(f"/staff/?scope=all&page={page}", "work queue: all tasks")
        else:
            queue = self._open("/staff/", "work queue: my tasks")
        cases = CASE_LINK.findall(queue)
        tasks = TASK_LINK.findall(queue)
        if cases:
            self._open(random.choice(cases), "case page")
        if tasks:
            self._open(random.choice(tasks), "task page")

    @task(1)
    def team_queue(self) -> None:
        self._open(f"/staff/?scope=team&page={random.randint(1, 5)}", "work queue: team")

    @task(1)
    def search(self) -> None:
        results = self._open(f"/staff/search/?q={random.choice(SEARCH_TERMS)}", "search")
        cases = CASE_LINK.findall(results)
        if cases:
            self._open(random.choice(cases), "case page")

    @task(1)
    def dashboards(self) -> None:
        if not self.is_manager:
            return
        path, name = random.choice(
            [
                ("/staff/dashboards/", "dashboard: deadlines at risk"),
                ("/staff/dashboards/timeliness/", "dashboard: timeliness"),
                ("/staff/dashboards/workload/", "dashboard: workload"),
            ]
        )
        self._open(path, name)


class Family(_Proxied):
    """A family sending a request online, one question a page, with time to think."""

    fixed_count = PUBLIC_USERS
    wait_time = between(2, 5)

    @task
    def send_a_request(self) -> None:
        self.client.cookies.clear()
        self.client.get("/request/start/", name="public: start", allow_redirects=False)
        self._unsecure_cookies()
        for slug, data in REQUEST_PAGES:
            response = self.post_form(f"/request/{slug}/", data, "public: question page")
            if response.status_code != 302:
                return
        check = self.client.get("/request/check-answers/", name="public: check answers")
        self._unsecure_cookies()  # the page may set a fresh (Secure) CSRF cookie
        key = re.search(r'name="key" value="([^"]+)"', check.text)
        token = CSRF.search(check.text)
        with self.client.post(
            "/request/send/",
            data={
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "key": key.group(1) if key else "",
            },
            headers={"Origin": self.origin, "Referer": self.origin + "/request/check-answers/"},
            name="public: send",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sending answered {response.status_code}")


@events.quitting.add_listener
def report(environment, **kwargs) -> None:
    stats = environment.stats
    pages = _page_figures(stats.entries.values())
    total = stats.total
    figures = {
        "staff_users": STAFF_USERS,
        "public_users": PUBLIC_USERS,
        "seconds": round(total.last_request_timestamp - total.start_time)
        if total.last_request_timestamp
        else 0,
        "requests": total.num_requests,
        "errors": total.num_failures,
        "requests_per_s": round(total.total_rps, 1),
        "pages": pages,
        # When the pages' window opened, settle_seconds after every staff user was signed in
        # (None: the run ended first, and the pages' figures include the sign-in rush); the
        # sign-in figures up to the last sign-in.
        "measured_from": _window["measured_from"],
        "settle_seconds": SETTLE_SECONDS,
        "sign_in": _window["sign_in"],
        "sign_in_errors": _window.get("sign_in_errors", 0),
        # Cores used over the measured window, per part: the load tool shares the machine.
        "cpu": cpu_used(
            _window.get("cpu_from", {}),
            cpu_seconds(),
            time.time() - (_window["measured_from"] or time.time()),
        ),
    }
    print(f"\n{'page':<34} {'requests':>8} {'errors':>6} {'median ms':>10} {'p95 ms':>8}")
    for name, row in pages.items():
        print(
            f"{name:<34} {row['requests']:>8} {row['errors']:>6} "
            f"{row['median_ms']:>10} {row['p95_ms']:>8}"
        )
    print(f"{'all':<34} {total.num_requests:>8} {total.num_failures:>6}")
    if _window["measured_from"]:
        print(
            f"\nmeasured over {figures['seconds']} s from {SETTLE_SECONDS} s after all"
            f" {STAFF_USERS} staff were signed in"
        )
        print("the sign-in rush before that:")
        for name, row in _window["sign_in"].items():
            print(
                f"{name:<34} {row['requests']:>8} {row['errors']:>6} "
                f"{row['median_ms']:>10} {row['p95_ms']:>8}"
            )
    else:
        print("\nthe run ended before every staff user was signed in: the rush is included")
    if figures["cpu"]:
        cpu = figures["cpu"]
        print(f"\ncores busy on average: {cpu['busy_cores']} of {cpu['cores']}")
        for part, cores in cpu["by_part"].items():
            print(f"  {part:<32} {cores:>5}")
    out = os.environ.get("EHC_BENCH_LOAD_JSON")
    if out:
        with open(out, "w") as handle:
            json.dump(figures, handle, indent=2)
        print(f"figures written to {out}")
