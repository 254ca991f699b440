"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's server.

`make test` skips them, saying why, when Chromium is absent; CI sets REQUIRE_BROWSER=1 so that
a missing browser fails the run instead.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; the test's own database calls
# are still synchronous, so Django's guard against ORM calls inside a loop is lifted here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium`"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(reason + " (REQUIRE_BROWSER is set)")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_demo(transactional_db, live_server):
    """The Eskilstuna demo behind a real server."""
    call_command("loaddata", "eskilstuna-2021", verbosity=0)
    return live_server


def new_page(browser, live_server, width=1280):
    # An English-speaking browser, to show that the site still answers in Swedish first.
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": width, "height": 900}
    )
    return context.new_page()


@pytest.fixture
def page(browser, live_demo):
    page = new_page(browser, live_demo)
    yield page
    page.context.close()


@pytest.fixture
def phone(browser, live_demo):
    page = new_page(browser, live_demo, width=390)
    yield page
    page.context.close()
