"""The division picker's "pick on a map" in a real browser: on the naming form and on the
division-change form a zoning officer of 清水县 opens the small map, clicks, and the
smallest division in force under the click (within the jurisdiction) is chosen; on the
change form 打开 then opens that division's children."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from boundaries.codes import LEVEL_ORDER
from boundaries.models import Division
from geoapp.actions import set_up_user
from geoapp.roles import Role

pytestmark = pytest.mark.e2e

PASSWORD = "picker-pass-1"


def log_in(page, live_server, next_url):
    set_up_user(username="zoning_pick", role=Role.ZONING, jurisdiction="620521000000", password=PASSWORD)
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("#id_username", "zoning_pick")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


def click_the_small_map(page, at=(0.5, 0.5)):
    """Click the picker's map; returns the smallest division in the database under that
    point among those a county officer may pick (computed here, not by the page)."""
    holder = page.locator(".division-picker-map")
    expect(holder).to_be_visible()
    page.wait_for_function("() => document.querySelector('.division-picker-map path.leaflet-interactive, "
                           ".division-picker-map svg path')")
    page.wait_for_timeout(400)  # fitBounds animation
    holder.scroll_into_view_if_needed()
    box = holder.bounding_box()
    with page.expect_response(lambda r: "/api/divisions/at" in r.url) as answer:
        holder.click(position={"x": box["width"] * at[0], "y": box["height"] * at[1]})
    query = parse_qs(urlparse(answer.value.url).query)
    point = Point(float(query["lon"][0]), float(query["lat"][0]), srid=4490)
    levels = query.get("levels", [",".join(LEVEL_ORDER)])[0].split(",")
    found = Division.objects.current().within("620521000000").containing(point).filter(level__in=levels)
    return max(found, key=lambda d: LEVEL_ORDER.index(d.level))


def test_the_naming_form_division_is_picked_by_a_click_on_a_small_map(page, live_server, page_errors,
                                                                     outside_requests, artifacts):
    log_in(page, live_server, "/names/applications/new/")
    page.click(".division-picker-map-toggle")
    expected = click_the_small_map(page)
    expect(page.locator("#id_division_code")).to_have_value(expected.code)
    expect(page.locator(".division-picker-chosen")).to_have_text(f"已选择：{expected.name}（{expected.code}）")
    assert expected.level in ("township", "village")  # the smallest, not the county
    page.screenshot(path=str(artifacts / "division_picker_map_naming.png"), full_page=True)
    assert page_errors == [] and outside_requests == []


def test_the_change_form_parent_is_picked_on_a_map_and_opens_its_children(page, live_server, page_errors,
                                                                          outside_requests, artifacts):
    log_in(page, live_server, "/boundaries/changes/new/")
    expect(page.locator(".editor-head > p")).to_contain_text("清水县")
    page.click("#change-scope .division-picker-map-toggle")
    expected = click_the_small_map(page, at=(0.45, 0.55))
    assert expected.level == "township"  # a parent of divisions: never a village
    expect(page.locator("#change-parent")).to_have_value(expected.code)
    page.click("#change-scope button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/boundaries/changes/new/?parent={expected.code}")
    expect(page.locator(".editor-head > p")).to_contain_text(expected.name)
    page.screenshot(path=str(artifacts / "division_picker_map_change.png"), full_page=True)
    assert page_errors == [] and outside_requests == []
