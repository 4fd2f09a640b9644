"""Browser fixtures: Playwright (from PyPI) driving Debian's chromium against a live server.

Playwright cannot download its own browser here (and a government intranet has nowhere
to download it from), so it launches the system chromium. Every request that leaves
localhost is aborted and recorded in ``outside_requests``: the product must load
nothing from outside. The live server needs ``transactional_db``; ``demo_data``
(tests/conftest.py) reloads the divisions when an earlier browser test flushed them.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API keeps an event loop running in the test thread, and Django
# refuses ORM calls from a thread with a running loop unless this is set. The loop is
# Playwright's own; the ORM calls stay synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import sync_playwright  # noqa: E402

CHROMIUM = os.environ.get("CIVATLAS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run `bash scripts/setup.sh --with-browser` (or deselect with -m 'not e2e')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def outside_requests() -> list[str]:
    """URLs the page tried to load from outside localhost (all of them were blocked)."""
    return []


@pytest.fixture
def page_errors() -> list[str]:
    """Uncaught JavaScript errors and console errors of the page."""
    return []


@pytest.fixture
def page(browser, transactional_db, demo_data, live_server, outside_requests, page_errors):
    """A fresh Chinese-locale browser page on a 1440×900 screen, cut off from the internet."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")

    def keep_local(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", keep_local)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and page_errors.append(message.text))
    yield page
    context.close()


@pytest.fixture
def artifacts() -> Path:
    """tests/artifacts/ (git-ignored), for screenshots a human can look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# Journeys over the gazetteer (renaming, signs) need the demo place names as well.
from tests.placenames.conftest import live_gazetteer  # noqa: E402,F401
