"""The facility gap view in a real browser: a planner opens 清水县 for child-protection
stations, sees the townships without an operating station highlighted, runs a site
suggestion for two stations and sees them on the map. Also: the facility layer of the
map workspace, and the offline folium report."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from facilities import sites
from facilities.demo import load_demo_facilities
from facilities.mclp import MclpError
from facilities.models import Facility, SiteScenario
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e

QINGSHUI = "620521000000"
WITHOUT_STATION = {"秦亭镇", "贾川乡", "丰望乡", "红堡镇"}  # 红堡镇's station is only planned


@pytest.fixture
def qingshui_facilities(demo_data):
    load_demo_facilities(county_codes=[QINGSHUI])
    return Facility.objects.within(QINGSHUI)


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator(".user-name")).to_have_text(user.username)


def settle(page):
    page.wait_for_function("() => !document.querySelector('#map .leaflet-zoom-anim, #map .leaflet-pan-anim')")
    page.wait_for_timeout(400)


def test_a_planner_finds_the_townships_without_a_station_and_gets_two_sites_suggested(
    page, live_server, qingshui_facilities, planner, outside_requests, page_errors, artifacts
):
    log_in(page, live_server, planner)
    page.goto(f"{live_server.url}/facilities/gaps/?division=620521&kind=child_protection_station")
    page.wait_for_selector("body[data-ready=true]")

    # The township choropleth, with the four townships lacking an operating station outlined.
    expect(page.locator("#map path.township")).to_have_count(19)
    failing = page.locator("#map path.township.norm-failing")
    expect(failing).to_have_count(4)
    assert {failing.nth(i).get_attribute("data-name") for i in range(4)} == WITHOUT_STATION
    table_failing = page.locator("#gap-table tbody tr.norm-failing")
    expect(table_failing).to_have_count(4)
    assert {table_failing.nth(i).get_attribute("data-name") for i in range(4)} == WITHOUT_STATION
    expect(page.locator("#townships-failing")).to_have_text("4")

    # Uncovered villages as red points, as many as the summary counts; stations drawn too.
    uncovered = int(page.locator("#villages-uncovered").inner_text())
    assert uncovered > 0
    expect(page.locator("#map path.uncovered-village")).to_have_count(uncovered)
    expect(page.locator("#map .facility-icon.kind-child_protection_station")).to_have_count(16)  # 15 + 1 planned
    expect(page.locator("#gap-csv")).to_have_attribute("href", "/facilities/report/townships.csv?division=620521&kind=child_protection_station")

    # Two new stations suggested and drawn with the villages each would cover.
    page.fill("#id_count", "2")
    page.fill("#id_name", "清水县补建两个工作站")
    page.click("#suggest-run")
    sites = page.locator("#map .suggested-site")
    expect(sites).to_have_count(2)
    expect(page.locator("#suggested-sites li")).to_have_count(2)
    expect(page.locator("#suggest-figures")).to_contain_text("→")
    assert page.locator("#map path.suggested-cover").count() > 0
    expect(page.locator("#scenario-list li[data-id]")).to_have_count(1)
    expect(page.locator("#suggest-solver-note")).to_have_count(0)  # the exact optimum: nothing to warn about
    scenario = SiteScenario.objects.get(name="清水县补建两个工作站")
    assert scenario.created_by == planner and len(scenario.sites) == 2
    assert scenario.covered_after > scenario.covered_before
    settle(page)
    page.screenshot(path=str(artifacts / "facility_gaps.png"))

    # The standalone report map opens with nothing loaded from outside.
    page.goto(f"{live_server.url}/facilities/report/map.html?division=620521&kind=child_protection_station"
              f"&scenario={scenario.pk}")
    expect(page.locator(".leaflet-container path.leaflet-interactive").first).to_be_attached()
    page.screenshot(path=str(artifacts / "facility_gaps_report_map.png"))

    assert outside_requests == []
    assert page_errors == []



def test_when_the_exact_solver_fails_the_planner_is_told_greedy_stood_in(
    page, live_server, qingshui_facilities, planner, monkeypatch, page_errors
):
    def broken(*_args, **_kwargs):
        raise MclpError("求解器运行失败（测试）")

    monkeypatch.setattr(sites, "solve_mclp", broken)  # the live server runs in this process
    log_in(page, live_server, planner)
    page.goto(f"{live_server.url}/facilities/gaps/?division=620521&kind=child_protection_station")
    page.wait_for_selector("body[data-ready=true]")
    page.fill("#id_count", "2")
    page.click("#suggest-run")
    expect(page.locator("#map .suggested-site")).to_have_count(2)
    note = page.locator("#suggest-solver-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("贪心")
    expect(note).to_contain_text("求解器运行失败（测试）")
    assert page_errors == []

def assert_facilities_on_map(page, expected):
    """The facilities drawn: single markers plus the numbers on the clusters, once settled."""
    deadline = time.monotonic() + 10
    while True:
        drawn = page.evaluate("""() => [...document.querySelectorAll('#map .marker-cluster span')]
            .reduce((n, el) => n + Number(el.textContent), 0)
            + document.querySelectorAll('#map .facility-icon').length""")
        if drawn == expected or time.monotonic() > deadline:
            break
        page.wait_for_timeout(200)
    assert drawn == expected


def test_the_map_workspace_shows_facilities_by_kind_with_a_legend_and_filters(
    page, live_server, qingshui_facilities, outside_requests, page_errors, artifacts
):
    page.goto(f"{live_server.url}/")
    page.locator(".division-label span", has_text="清水县").click()
    page.click("#show-children")
    expect(page.locator("#breadcrumb [aria-current]")).to_have_text("清水县")

    # Off by default (a prefecture's thousand markers would bury the map); the layers
    # control switches it on, and the URL remembers it.
    icons = page.locator("#map .facility-icon")
    expect(page.locator("#facility-legend")).to_have_count(0)
    expect(icons).to_have_count(0)
    page.locator(".leaflet-control-layers").hover()
    page.locator(".leaflet-control-layers-overlays").get_by_role("checkbox", name="民政设施", exact=True).check()
    page.mouse.move(700, 450)
    expect(page).to_have_url(re.compile(r"layers=facilities"))
    total = qingshui_facilities.count()
    # Clustered at county zoom: a few numbered clusters instead of every marker, and the
    # clusters with the single markers still account for every facility.
    expect(page.locator("#map .marker-cluster").first).to_be_visible()
    assert page.locator("#map .marker-cluster").count() + icons.count() < total / 3
    assert_facilities_on_map(page, total)
    homes = qingshui_facilities.filter(kind="happiness_home").count()
    expect(page.locator('#facility-legend [data-count="kind-happiness_home"]')).to_have_text(str(homes))

    # Filters: hide the village happiness homes, then everything not operating.
    page.locator('#facility-legend input[value="happiness_home"]').uncheck()
    assert_facilities_on_map(page, total - homes)
    expect(page.locator("#map .facility-icon.kind-happiness_home")).to_have_count(0)
    page.locator('#facility-legend input[value="planned"]').uncheck()
    expect(page.locator("#map .facility-icon.status-planned")).to_have_count(0)

    # A popup names the facility, its kind, status and division; anonymous visitors see no
    # details. Only the stations shown, clicking a cluster zooms in until single markers show.
    others = page.locator('#facility-legend input[name="facility-kind"]:not([value="child_protection_station"])')
    for i in range(others.count()):
        others.nth(i).uncheck()
    station = page.locator("#map .facility-icon.kind-child_protection_station").first
    for _ in range(8):
        if station.count():
            break
        page.locator("#map .marker-cluster").first.dispatch_event("click")
        settle(page)
    station.dispatch_event("click")
    popup = page.locator(".leaflet-popup .facility-popup")
    expect(popup).to_be_visible()
    expect(popup).to_contain_text("未成年人保护工作站")
    expect(popup).to_contain_text("运营中")
    expect(popup.locator(".facility-note")).to_be_visible()
    settle(page)
    page.screenshot(path=str(artifacts / "map_facilities.png"))

    # The layers control hides the whole layer and its legend.
    page.locator(".leaflet-control-layers").hover()
    page.locator(".leaflet-control-layers-overlays").get_by_role("checkbox", name="民政设施", exact=True).uncheck()
    expect(icons).to_have_count(0)
    expect(page.locator("#facility-legend")).to_have_count(0)

    assert outside_requests == []
    assert page_errors == []
