"""Readable maps in a real browser: village labels that would overlap are hidden (the
bigger or selected division's label wins) and come back when zooming in leaves room; the
boundary editor "as of" a date before the records says so in Chinese, not "加载失败：404"."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from boundaries.models import Division
from geoapp.actions import set_up_user
from geoapp.roles import Role

pytestmark = pytest.mark.e2e

PASSWORD = "readable-pass-1"
YONGQING = "620521100000"

LABEL_BOXES = """() => [...document.querySelectorAll('#map .division-label')].map((el) => {
  const r = el.firstElementChild.getBoundingClientRect();
  return {hidden: el.classList.contains('label-hidden'), village: el.classList.contains('level-village'),
          left: r.left, right: r.right, top: r.top, bottom: r.bottom};
})"""


def overlap(a, b):
    return a["left"] < b["right"] and a["right"] > b["left"] and a["top"] < b["bottom"] and a["bottom"] > b["top"]


def settled_labels(page):
    page.wait_for_function("() => !document.querySelector('.leaflet-zoom-anim, .leaflet-pan-anim')")
    page.wait_for_timeout(400)
    return page.evaluate(LABEL_BOXES)


def test_village_labels_that_would_overlap_are_hidden_and_return_when_zooming_in(
    page, live_server, page_errors, outside_requests, artifacts
):
    villages = Division.objects.current().filter(parent__code=YONGQING).count()
    seat = Division.objects.current().get(code=YONGQING).seat
    page.goto(f"{live_server.url}/?division={YONGQING}&at={seat.y:.5f},{seat.x:.5f},12")
    expect(page.locator("#map .division-label.level-village")).to_have_count(villages)
    boxes = settled_labels(page)
    shown = [b for b in boxes if not b["hidden"]]
    hidden = [b for b in boxes if b["hidden"]]
    # Crowded at zoom 12: some village labels give way, and what is left never overlaps.
    assert hidden and all(b["village"] for b in hidden)
    assert not any(overlap(a, b) for i, a in enumerate(shown) for b in shown[i + 1:])
    assert all(any(overlap(h, s) for s in shown) for h in hidden)  # hidden only for a reason
    page.screenshot(path=str(artifacts / "map_village_labels_z12.png"))

    # Zoomed in, the villages spread out and more of their names show, still without overlaps.
    page.locator(".leaflet-control-zoom-in").click()
    page.locator(".leaflet-control-zoom-in").click()
    boxes = settled_labels(page)
    shown_closer = [b for b in boxes if not b["hidden"]]
    assert len(shown_closer) > len(shown)
    assert not any(overlap(a, b) for i, a in enumerate(shown_closer) for b in shown_closer[i + 1:])
    assert page_errors == [] and outside_requests == []


def test_the_editor_as_of_a_date_before_the_records_says_so_in_chinese(
    page, live_server, page_errors, outside_requests, artifacts
):
    earliest = min(Division.objects.values_list("valid_from", flat=True))
    before = earliest.replace(year=earliest.year - 10).isoformat()
    set_up_user(username="zoning_asof", role=Role.ZONING, jurisdiction="620521000000", password=PASSWORD)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "zoning_asof")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/boundaries/editor/?parent=620521&level=township")
    page.fill("#as-of-date", before)
    page.click("#as-of button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/boundaries/editor/?parent={YONGQING[:6] + '000000'}"
                             f"&level=township&date={before}")
    message = page.locator("#map-status")
    expect(message).to_be_visible()
    expect(message).to_contain_text(f"{before} 早于本系统记录的最早数据")
    expect(message).to_contain_text("请选择更晚的日期")
    expect(message).not_to_contain_text("404")
    expect(message).not_to_contain_text("加载失败")
    page.screenshot(path=str(artifacts / "editor_as_of_before_records.png"))
    assert outside_requests == []
