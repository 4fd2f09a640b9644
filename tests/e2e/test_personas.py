"""One working day per persona, through the UI only, on a desktop (1440×900) and a phone
(390×844): what each person checks on screen (text, counts, map features, the URL that
restores the view), with screenshots in tests/artifacts/ (the guide's pictures too).

Each test walks one persona on both screens, so the live server's data is set up once
per persona (a browser test's database is flushed after it).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from boundaries.models import Division
from facilities.demo import load_demo_facilities
from geoapp.actions import set_up_user
from geoapp.roles import Role
from placenames.signs.plans import plan_signs
from tests.conftest import PASSWORD
from tests.e2e.personas import VIEWPORTS, log_in, nav_keys, new_page, open_menu, settle, shot

pytestmark = pytest.mark.e2e

QINGSHUI = "620521000000"
YONGQING = "620521100000"
DONGGUAN = "620521100201"  # 东关村民委员会, a village of 永清镇
TIANSHUI_COUNTIES = 7


@pytest.fixture
def browse(browser, live_server, transactional_db, demo_data):
    """``browse(viewport, **options)`` → a page; every page is checked for outside
    requests and script errors at the end."""
    outside, errors, pages = [], [], []

    def open_page(viewport: str, **options):
        page = new_page(browser, VIEWPORTS[viewport], outside, errors, **options)
        pages.append(page)
        return page

    yield open_page
    for page in pages:
        page.context.close()
    assert outside == []
    assert errors == []


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_public_walks_down_to_a_township_and_the_url_restores_the_view(browse, live_server, viewport):
    page = browse(viewport)
    page.goto(f"{live_server.url}/")
    expect(page.locator("#map path.division")).to_have_count(TIANSHUI_COUNTIES)
    expect(page).to_have_url(re.compile(r"division=620500000000"))
    # Facilities are off until asked for: the prefecture's map is not buried in markers.
    expect(page.locator("#map .facility-icon")).to_have_count(0)

    # Double-click drills down: 清水县's 19 townships, and the URL says so. After the
    # opening zoom has ended (labels are decluttered at its end; a slow machine was
    # still zooming when the label was asked for).
    settle(page)
    page.locator(".division-label span", has_text="清水县").dblclick()
    expect(page.locator("#breadcrumb [aria-current]")).to_have_text("清水县")
    expect(page.locator("#map path.division")).to_have_count(19)
    expect(page).to_have_url(re.compile(r"division=620521000000"))
    settle(page)
    shot(page, f"public_county_{viewport}", guide=viewport == "desktop")
    county_url = page.url

    # Reload: the same county, not the start.
    page.reload()
    expect(page.locator("#breadcrumb [aria-current]")).to_have_text("清水县")
    expect(page.locator("#map path.division")).to_have_count(19)

    # Back returns to the prefecture; a shared link opens the county in a new tab.
    page.go_back()
    expect(page.locator("#breadcrumb [aria-current]")).to_have_text("天水市")
    other = browse(viewport)
    other.goto(county_url)
    expect(other.locator("#breadcrumb [aria-current]")).to_have_text("清水县")

    # Switching language keeps the view.
    if viewport == "phone":
        open_menu(other)
    other.click("button[lang=en]")
    expect(other.locator("html")).to_have_attribute("lang", "en")
    expect(other.locator("#breadcrumb [aria-current]")).to_have_text("清水县")

    # Staff pages say why they need a login; an unknown page is answered in Chinese.
    page.goto(f"{live_server.url}/boundaries/editor/")
    expect(page.locator(".login-reason")).to_contain_text("只对本单位的工作人员开放")
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    expect(page.locator(".error-card h1")).to_have_text("页面不存在")
    expect(page.locator(".app-header")).to_be_visible()  # the site's own layout


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_viewer_sees_only_what_a_viewer_may_do_and_is_refused_before_the_work(browse, live_server, viewport):
    set_up_user(username="viewer_qs", role=Role.VIEWER, jurisdiction=QINGSHUI, password=PASSWORD)
    page = browse(viewport)
    log_in(page, live_server.url, "viewer_qs", PASSWORD)
    assert page.url.split("?")[0].rstrip("/") == live_server.url  # the map
    open_menu(page)
    assert nav_keys(page) == ["map", "names", "signs", "facilities"]
    shot(page, f"viewer_menu_{viewport}", guide=viewport == "phone")

    # Typing the change form's address: refused at once, in Chinese, in the site's layout.
    response = page.goto(f"{live_server.url}/boundaries/changes/new/")
    assert response.status == 403
    expect(page.locator(".error-card h1")).to_have_text("没有权限")
    expect(page.locator(".error-message")).to_contain_text("区划调整仅限区划地名工作人员和管理员登记")
    expect(page.locator("form#change-form, #map")).to_have_count(0)  # no form to fill in
    shot(page, f"viewer_refused_{viewport}")
    # The same refusal from the API is JSON.
    answer = page.request.get(f"{live_server.url}/api/no-such-endpoint/")
    assert answer.status == 404 and "error" in answer.json()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_field_worker_lands_on_the_field_page_and_the_menu_leads_there(
    browse, live_server, live_gazetteer, viewport
):
    plan_signs(township=Division.objects.current().get(code=YONGQING), dry_run=False)
    set_up_user(username="field_yq", role=Role.FIELD, jurisdiction=YONGQING, password=PASSWORD)
    page = browse(viewport, permissions=["geolocation"],
                  geolocation={"longitude": 106.03, "latitude": 34.89, "accuracy": 6})
    log_in(page, live_server.url, "field_yq", PASSWORD)
    expect(page).to_have_url(re.compile(r"/field/$"))
    expect(page.locator("#fd-browse")).to_be_visible()
    page.select_option("#fd-mode", "all")
    expect(page.locator("li.fd-sign")).to_have_count(26)  # 永清镇's seat sign and its 25 village signs
    shot(page, f"field_landing_{viewport}", guide=viewport == "phone")
    # The village sign's text comes prefilled as real 村牌 print it (docs/adr/0021).
    page.select_option("#fd-where", DONGGUAN)
    page.locator("li.fd-sign").filter(has_text="东关村").get_by_role("button", name="登记设置").click()
    expect(page.locator("#fd-text-cn")).to_have_value("东关村")
    expect(page.locator("#fd-text-pinyin")).to_have_value("Dongguan Cun")
    shot(page, f"field_form_{viewport}", guide=viewport == "phone")

    page.goto(f"{live_server.url}/")
    open_menu(page)
    assert nav_keys(page) == ["map", "names", "field", "inspections", "signs", "facilities"]
    page.locator('.main-nav a[data-nav="field"]').click()
    expect(page).to_have_url(re.compile(r"/field/$"))
    open_menu(page)
    expect(page.locator('.main-nav a[data-nav="field"]')).to_have_attribute("aria-current", "page")
    # No analysis for a field team: refused with the reason.
    response = page.goto(f"{live_server.url}/facilities/gaps/")
    assert response.status == 403
    expect(page.locator(".error-message")).to_contain_text("缺口分析仅限")


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_planner_analyses_with_a_whole_number_radius_and_is_stopped_from_suggesting_on_stale_settings(
    browse, live_server, viewport
):
    load_demo_facilities(county_codes=[QINGSHUI])
    set_up_user(username="planner_ts", role=Role.PLANNER, jurisdiction="620500000000", password=PASSWORD)
    page = browse(viewport)
    log_in(page, live_server.url, "planner_ts", PASSWORD)
    open_menu(page)
    assert nav_keys(page) == ["map", "names", "signs", "facilities", "gaps"]
    page.locator('.main-nav a[data-nav="gaps"]').click()
    page.select_option("#gap-params select[name=division]", QINGSHUI)
    page.select_option("#gap-params select[name=kind]", "child_protection_station")
    page.fill("#id_radius_km", "3")
    page.click("#gap-params button[type=submit]")
    expect(page.locator(".gap-lead")).to_contain_text("服务半径 3 千米")
    expect(page).to_have_url(re.compile(r"radius_km=3\b"))
    assert int(page.locator("#villages-total").inner_text()) > 200
    expect(page.locator("#suggest-basis")).to_contain_text("服务半径 3 千米")
    expect(page.locator("#suggest-run")).to_be_enabled()
    expect(page.locator("#map .uncovered-village").first).to_be_attached()
    expect(page.locator("#map-status")).to_be_hidden()
    settle(page)
    shot(page, f"planner_gaps_{viewport}", guide=viewport == "desktop")

    # A new radius typed but not analysed: no suggestion for the old one, and it says why.
    page.fill("#id_radius_km", "5")
    expect(page.locator("#suggest-stale")).to_be_visible()
    expect(page.locator("#suggest-run")).to_be_disabled()
    page.click("#gap-params button[type=submit]")
    expect(page.locator(".gap-lead")).to_contain_text("服务半径 5 千米")
    expect(page.locator("#suggest-run")).to_be_enabled()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_zoning_officer_finds_a_township_by_search_with_its_path_and_opens_the_editor(
    browse, live_server, viewport
):
    set_up_user(username="zoning_qs", role=Role.ZONING, jurisdiction=QINGSHUI, password=PASSWORD)
    page = browse(viewport)
    log_in(page, live_server.url, "zoning_qs", PASSWORD)
    expect(page.locator("#breadcrumb [aria-current]")).to_have_text("清水县")
    page.fill("#search-input", "永清")
    result = page.locator("#search-results li").filter(has_text="永清镇").first
    expect(result).to_contain_text("甘肃省 › 天水市 › 清水县")
    expect(result).to_contain_text("镇")
    shot(page, f"zoning_search_{viewport}", guide=viewport == "desktop")
    result.locator("button").click()
    expect(page).to_have_url(re.compile(r"selected=620521100000"))
    expect(page.locator('#details [data-field="code"]')).to_have_text(YONGQING)
    settle(page)
    shot(page, f"zoning_selected_{viewport}")

    open_menu(page)
    assert nav_keys(page) == ["map", "names", "editor", "changes", "inspections", "naming", "signs", "facilities", "gaps"]
    page.locator('.main-nav a[data-nav="editor"]').click()
    expect(page).to_have_url(re.compile(r"/boundaries/editor/"))
    expect(page.locator("#map")).to_be_visible()
    # Labels on the editor's map, and the neighbouring counties in grey for orientation.
    expect(page.locator(".map-kit-label:not(.muted)")).to_have_count(19)
    expect(page.locator(".map-kit-label.muted").first).to_be_attached()
    expect(page.locator(".leaflet-control-attribution")).to_have_text(re.compile(r"^CivAtlas"))
    if viewport == "phone":
        page.keyboard.press("Escape")
    else:
        open_menu(page)
        expect(page.locator('.main-nav a[data-nav="editor"]')).to_have_attribute("aria-current", "page")

    # Another level without typing a code: pick 永清镇, the level below follows (village lines).
    page.fill("#scope-parent_search", "永清")
    page.locator(".division-picker-results button", has_text="永清镇").first.click()
    expect(page.locator("#scope-level")).to_have_value("village")
    page.click("#scope button[type=submit]")
    expect(page).to_have_url(re.compile(r"parent=620521100000&level=village"))
    expect(page.locator(".editor-head")).to_contain_text("永清镇")


def test_an_administrator_opens_the_operator_guide_from_the_help_menu(browse, live_server):
    set_up_user(username="admin_qs", role=Role.ADMIN, jurisdiction=QINGSHUI, password=PASSWORD)
    page = browse("desktop")
    log_in(page, live_server.url, "admin_qs", PASSWORD)
    page.click(".help-link")
    expect(page.locator(".help-guide h1")).to_contain_text("使用指南")
    for persona in ("社会公众", "区划地名工作人员", "外业人员", "规划人员", "查看者", "管理员"):
        expect(page.locator(".help-toc")).to_contain_text(persona)
    images = page.locator(".help-guide img")
    assert images.count() >= 4
    # Every screenshot the guide shows is served (none broken).
    assert page.evaluate("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
    shot(page, "admin_help")
