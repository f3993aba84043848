"""Playwright driving Debian's Chromium against Django's live server."""

import os
import shutil
from pathlib import Path

import pytest

from samverkan.testing import build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright runs an event loop
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_world(transactional_db):
    return build_world()


@pytest.fixture
def page_for(browser, live_server):
    """A fresh browser context per user; closes them at the end."""
    contexts = []

    def make(viewport=None):
        context = browser.new_context(
            base_url=live_server.url,
            locale="sv-SE",
            viewport=viewport or {"width": 1280, "height": 900},
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def logged_in(page_for, user, viewport=None):
    """A new browser for a test-world user, logged in through the real login page."""
    from samverkan.testing import PASSWORD

    user.set_password(PASSWORD)
    user.save()
    page = page_for(viewport)
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill(user.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    return page


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"  # axe-core 4.14.1 (MPL-2.0)


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page, as short texts."""
    page.evaluate(AXE.read_text() + "\n;0")  # not a <script> tag: the pages' CSP forbids inline
    violations = page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def act(page, summary, fill=None, button=None):
    """Open an action's form by its summary, fill it, submit, and see it done."""
    from playwright.sync_api import expect

    page.get_by_text(summary, exact=True).first.click()
    form = page.locator("details[open] form")
    if fill:
        fill(form)
    form.get_by_role("button", name=button or summary).click()
    expect(page.get_by_text(f"{summary}: klart.")).to_be_visible()
