"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's
live_server, with axe-core injected from node_modules to check WCAG 2.2 A and AA.

Chromium comes from apt (`apt-get install -y chromium`), never from `playwright install`.
Set EHC_E2E_SCREENSHOTS=/some/dir to keep a full-page PNG of every page checked.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.family.conftest import other_parent  # noqa: F401  (a fixture, shared)

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
# itself are still synchronous, so tell Django's async-safety check to allow them.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = os.environ.get("EHC_E2E_SCREENSHOTS", "")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `apt-get install -y chromium`")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    yield
    cache.clear()


def _context(browser, live_server, **options):
    # axe-core is injected as an inline script, which the Content-Security-Policy forbids;
    # test_security_headers.py checks the pages with the policy enforced.
    options.setdefault("bypass_csp", True)
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def page(browser, live_server):
    context = _context(browser, live_server)
    yield context.new_page()
    context.close()


@pytest.fixture
def new_page(browser, live_server):
    """Another browser (its own cookies), e.g. for a caseworker alongside the family."""
    contexts = []

    def make(**options):
        context = _context(browser, live_server, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def nojs_page(new_page):
    return new_page(java_script_enabled=False)


def snap(page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary),
            }));
        }""",
        WCAG_TAGS,
    )


def assert_accessible(page, name: str) -> None:
    """Zero axe-core violations of WCAG 2.0-2.2 A and AA on the page as it is now."""
    snap(page, name)
    violations = axe_violations(page)
    assert violations == [], f"{name} ({page.url}):\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"][:5])
        for v in violations
    )
