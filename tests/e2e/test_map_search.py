"""The map's search box finds place names by pinyin initials and shows them on the map."""

import pytest
from playwright.sync_api import expect

from placenames.demo import load_demo_placenames
from placenames.models import PlaceName

pytestmark = pytest.mark.e2e


def test_initials_find_a_place_name_and_its_romanization_pops_up(page, live_server, outside_requests, page_errors):
    if not PlaceName.objects.filter(standard_name="清水县").exists():
        load_demo_placenames()
    page.goto(f"{live_server.url}/")
    expect(page.locator("#map path.division")).to_have_count(7)
    page.fill("#search-input", "qsx")
    result = page.locator("#search-results li.place-result").filter(has_text="清水县").first
    expect(result).to_be_visible()
    result.locator("button").click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Qīngshuǐ Xiàn")
    expect(popup.locator("a")).to_have_attribute("href", f"/names/{PlaceName.objects.get(standard_name='清水县').pk}/")
    assert outside_requests == [] and page_errors == []
