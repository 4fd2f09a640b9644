"""The map workspace in a real browser: the home prefecture, a county's panel, drilling down, search."""

import re

import pytest
from playwright.sync_api import expect

from boundaries.models import Division

pytestmark = pytest.mark.e2e

QINGSHUI = "620521000000"
TIANSHUI_COUNTIES = {"秦州区", "麦积区", "清水县", "秦安县", "甘谷县", "武山县", "张家川回族自治县"}


def settle(page):
    """Wait for Leaflet's zoom/pan animation to end, so a screenshot shows the final map."""
    page.wait_for_function("() => !document.querySelector('#map .leaflet-zoom-anim, #map .leaflet-pan-anim')")
    page.wait_for_timeout(400)


def shown_area_km2(panel) -> float:
    text = panel.locator('[data-field="area_km2"]').inner_text()
    match = re.search(r"([\d,]+\.\d)\s*km²", text)
    assert match, text
    return float(match.group(1).replace(",", ""))


def test_a_visitor_opens_a_county_of_the_home_prefecture_and_finds_a_township(
    page, live_server, outside_requests, page_errors, artifacts
):
    page.goto(f"{live_server.url}/")

    # The home division (天水市) is shown through its seven counties, labelled.
    divisions = page.locator("#map path.division")
    expect(divisions).to_have_count(7)
    labels = page.locator(".division-label span")
    expect(labels).to_have_count(7)
    assert set(labels.all_inner_texts()) == TIANSHUI_COUNTIES
    expect(labels.filter(has_text="秦州区")).to_be_visible()
    expect(page.locator("#breadcrumb")).to_contain_text("天水市")

    # Clicking 清水县 opens its panel; the area is the ellipsoidal one from the database.
    labels.filter(has_text="清水县").click()
    panel = page.locator("#details")
    expect(panel.locator('[data-field="name"]')).to_have_text("清水县")
    expect(panel.locator('[data-field="code"]')).to_have_text(QINGSHUI)
    expect(panel.locator('[data-field="parent"]')).to_contain_text("天水市")
    expect(panel.locator('[data-field="children"]')).to_have_text("19")
    expect(panel.locator("#details-synthetic")).to_be_hidden()  # the county outline is official
    expected = Division.objects.current().with_area().get(code=QINGSHUI).area_km2
    shown = shown_area_km2(panel)
    assert shown > 1000
    assert abs(shown - expected) <= 0.05 + 1e-9, (shown, expected)
    settle(page)
    page.screenshot(path=str(artifacts / "map_workspace.png"))

    # Down to its 19 townships, then back up through the breadcrumb.
    panel.locator("#show-children").click()
    expect(divisions).to_have_count(19)
    expect(page.locator("#breadcrumb [aria-current]")).to_have_text("清水县")
    page.locator("#breadcrumb button", has_text="天水市").click()
    expect(divisions).to_have_count(7)

    # Search finds 永清镇 and shows it, marked as synthetic demo data.
    page.locator("#search-input").fill("永清镇")
    page.locator("#search-results button", has_text="永清镇").first.click()
    expect(panel.locator('[data-field="name"]')).to_have_text("永清镇")
    expect(panel.locator('[data-field="level_label"]')).to_have_text("乡级")
    expect(panel.locator("#details-synthetic")).to_be_visible()
    expect(panel.locator("#details-synthetic")).to_have_text("合成数据")
    expect(page.locator("#breadcrumb [aria-current]")).to_have_text("清水县")
    settle(page)
    page.screenshot(path=str(artifacts / "map_workspace_search.png"))

    assert outside_requests == []
    assert page_errors == []
