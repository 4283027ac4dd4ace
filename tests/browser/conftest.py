"""Browser journeys in a real Chromium (Debian's), driven by Playwright, with axe-core on every
page visited. No browser download: the system Chromium is launched directly.

Nothing is read from a page before it has loaded: after every click that leads to another page,
a test waits with Playwright's retrying assertions (`expect(locator).to_have_text(...)`,
`to_be_visible()`, `to_contain_text(...)`) or `page.wait_for_url(...)` for something only the
next page has, before it reads anything or runs axe. An instant check (`is_visible()`,
`inner_text() ==`) right after a click reads whichever page happens to be there, and flakes on a
busy machine.
"""

import json
import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ..conftest import need

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# How long a retrying assertion waits for the next page: generous, for a machine that is busy
# with other work; a passing assertion returns as soon as it holds.
expect.set_options(timeout=20_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    need(Path(CHROMIUM).exists(), f"Chromium not found at {CHROMIUM}")
    need(AXE_JS.exists(), "axe-core not installed (npm ci)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class Page:
    """A Playwright page that records every failed request and console error, and runs axe."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.failed = []
        self.console_errors = []
        self.audited = []
        page.on(
            "response",
            lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        # A download ends its navigation with ERR_ABORTED: that is not a failure.
        page.on(
            "requestfailed",
            lambda r: (
                None
                if "ERR_ABORTED" in (r.failure or "")
                else self.failed.append(f"failed {r.url} ({r.failure})")
            ),
        )
        page.on(
            "console",
            lambda m: self.console_errors.append(m.text) if m.type == "error" else None,
        )

    def goto(self, path):
        return self.page.goto(self.base_url + path)

    def click_to_next_page(self, locator):
        """Click something that loads a page looking like this one (the same form again, with
        its error): mark this document, click, then wait for a document without the mark, and
        for it to load. Where the next page differs, wait for what only it has instead."""
        self.page.evaluate("() => { document.documentElement.dataset.leaving = 'yes' }")
        locator.click()
        expect(self.page.locator("html:not([data-leaving])")).to_have_count(1)
        self.page.wait_for_load_state("load")

    def axe(self):
        """Run axe-core (WCAG 2.2 AA) on the current page; fail with the violations listed."""
        # The caller has waited for this page (see the module's docstring); let it finish loading.
        self.page.wait_for_load_state("load")
        self.page.evaluate(AXE_JS.read_text() + "\n;0")
        result = self.page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            AXE_TAGS,
        )
        self.audited.append(self.page.url)
        violations = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
        ]
        assert not violations, f"axe on {self.page.url}:\n{json.dumps(violations, indent=2)}"
        assert result["passes"], "axe ran no checks"

    def assert_fits_the_screen(self):
        """Nothing pushes the page wider than the window (a phone must not scroll sideways);
        wide tables scroll inside their own labelled region instead."""
        overflow = self.page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{self.page.url} is {overflow}px wider than the window"

    def assert_assets_loaded(self):
        """Styles and scripts arrived: no failed request, the CSS applied, the JS ran."""
        assert not self.failed, f"failed requests: {self.failed}"
        assert not self.console_errors, f"console errors: {self.console_errors}"
        sheets = self.page.evaluate(
            "() => Array.from(document.styleSheets).map(s => s.cssRules.length)"
        )
        assert sheets and sheets[0] > 500, f"stylesheet did not load: {sheets}"
        font = self.page.evaluate("() => getComputedStyle(document.querySelector('h1')).fontFamily")
        assert "arial" in font.lower(), font
        classes = self.page.evaluate("() => document.body.className")
        assert "govuk-frontend-supported" in classes, classes


@pytest.fixture
def browser_page(chromium, live_server):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = Page(context.new_page(), live_server.url)
    yield page
    context.close()


@pytest.fixture
def open_page(chromium, live_server):
    """More browsers, one per person in a journey (each with its own session)."""
    contexts = []

    def make(width=1280):
        # A phone (375 px) or a desktop (1280 px) window.
        height = 812 if width < 640 else 900
        context = chromium.new_context(
            viewport={"width": width, "height": height}, accept_downloads=True
        )
        contexts.append(context)
        return Page(context.new_page(), live_server.url)

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def demo(transactional_db):
    from django.core.management import call_command

    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))


def sign_in(page, email, password="demo-password-2026", *, audit=False):
    """Sign in through the pages as a real person would: password, then the code."""
    from safeguarding.accounts.models import User

    from ..helpers import current_code

    page.goto("/")
    expect(page.page.locator("h1")).to_have_text("Sign in")
    if audit:
        page.axe()
    page.page.get_by_label("Email address").fill(email)
    page.page.get_by_label("Password").fill(password)
    page.page.get_by_role("button", name="Continue").click()
    page.page.wait_for_url("**/account/security-code/**")
    expect(page.page.locator("h1")).to_have_text("Enter your security code")
    if audit:
        page.axe()
    page.page.get_by_label("Security code").fill(current_code(User.objects.get(email=email)))
    page.page.get_by_role("button", name="Continue").click()
    # Signed in once the browser has left the security-code page and loaded the next one.
    page.page.wait_for_url(lambda url: "/account/security-code/" not in url)
