"""Helpers of the persona journeys: contexts per viewport, login through the form, screenshots.

Screenshots go to tests/artifacts/ (git-ignored). With ``CIVATLAS_GUIDE_SHOTS=1`` the
ones the operator guide shows are also written to docs/screenshots/ (that is how the
guide's pictures are made: ``make guide-screenshots``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, LOCAL_HOSTS

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
GUIDE_SHOTS = Path(__file__).resolve().parent.parent.parent / "docs" / "screenshots"


def new_page(browser, viewport: dict, outside: list, errors: list, **options):
    """A Chinese-locale page of ``viewport`` size, cut off from the internet."""
    phone = viewport["width"] < 500
    context = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=phone, has_touch=phone, **options)

    def keep_local(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", keep_local)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def log_in(page, base: str, username: str, password: str):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click(".login-card button[type=submit]")
    page.wait_for_load_state("networkidle")


def open_menu(page):
    """On a phone the navigation sits behind the 菜单 button; on a desktop it is shown."""
    toggle = page.locator(".nav-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    expect(page.locator(".main-nav")).to_be_visible()


def nav_keys(page) -> list[str]:
    return page.locator(".main-nav a").evaluate_all("links => links.map(a => a.dataset.nav)")


def settle(page):
    page.wait_for_function("() => !document.querySelector('.leaflet-zoom-anim, .leaflet-pan-anim')")
    page.wait_for_timeout(300)


def shot(page, name: str, *, guide: bool = False) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 5_000, "an empty screenshot"
    if guide and os.environ.get("CIVATLAS_GUIDE_SHOTS"):
        GUIDE_SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, GUIDE_SHOTS / path.name)
    return path
