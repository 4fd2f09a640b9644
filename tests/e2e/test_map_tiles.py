"""The map workspace draws the divisions of the whole country from vector tiles: the
tiles load from our server only, and a click on a county outside the drawn prefecture
(天水市, drawn as GeoJSON) hits the tiles and shows that county in the panel."""

import pytest
from playwright.sync_api import expect

from boundaries.models import Division
from geoapp.tiles import cache
from geoapp.tiles.generalise import rebuild_level

pytestmark = pytest.mark.e2e


@pytest.fixture
def tile_geometry(transactional_db, demo_data):
    for level in ("province", "prefecture", "county"):
        rebuild_level(level)
    cache.flush()
    yield
    cache.flush()


def test_a_county_of_another_province_drawn_from_tiles_opens_in_the_panel(
    tile_geometry, page, live_server, outside_requests, page_errors
):
    shapotou = Division.objects.current().get(code="640502000000")
    inside = shapotou.geom.point_on_surface
    with page.expect_response(lambda r: "/tiles/divisions/" in r.url and r.status == 200):
        page.goto(f"{live_server.url}/?division=620500000000&at={inside.y:.5f},{inside.x:.5f},7")
    expect(page.locator(".leaflet-vector-tiles-pane svg path").first).to_be_attached()
    page.wait_for_load_state("networkidle")
    point = page.evaluate(
        "([lat, lng]) => { const p = window.CivAtlasMap.map.latLngToContainerPoint([lat, lng]); return [p.x, p.y]; }",
        [inside.y, inside.x],
    )
    hit = page.evaluate(
        "([x, y]) => { const r = document.getElementById('map').getBoundingClientRect();"
        " const el = document.elementFromPoint(r.left + x, r.top + y); return el.closest('.leaflet-vector-tiles-pane') !== null; }",
        point,
    )
    assert hit, "the pointer should be over a division drawn from the tiles"
    page.locator("#map").click(position={"x": point[0], "y": point[1]})
    expect(page.locator('#details [data-field="code"]')).to_have_text("640502000000")
    expect(page.locator('#details [data-field="name"]')).to_have_text(shapotou.name)
    assert outside_requests == [] and page_errors == []
