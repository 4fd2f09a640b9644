"""Vector tiles: content from the scoped querysets, shared generalised borders, the Redis
cache with ETags, and invalidation of exactly the tiles an edit touches."""

from __future__ import annotations

import gzip

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from boundaries.models import BoundaryLine, Division
from facilities.models import Facility
from geoapp.tiles import cache
from geoapp.tiles.cache import lonlat_to_tile_xy
from geoapp.tiles.generalise import rebuild_divisions, rebuild_level
from geoapp.tiles.mvt import tile_box_lonlat


@pytest.fixture
def county_tiles(qingshui):
    rebuild_level("county")
    cache.flush()
    yield
    cache.flush()


def _tile_of(lon, lat, z):
    x, y = lonlat_to_tile_xy(lon, lat, z)
    return z, int(x), int(y)


def _get(client, layer, z, x, y, **headers):
    return client.get(f"/tiles/{layer}/{z}/{x}/{y}.mvt", HTTP_ACCEPT_ENCODING="gzip", **headers)


def _features(response, layer):
    assert response.status_code == 200, response.content[:200]
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    decoded = mapbox_vector_tile.decode(body) if body else {}
    return decoded.get(layer, {}).get("features", [])


def test_a_county_tile_holds_exactly_the_current_counties_meeting_it_with_codes_and_names(client, county_tiles, qingshui):
    centre = qingshui.geom.point_on_surface
    z, x, y = _tile_of(centre.x, centre.y, 8)
    features = _features(_get(client, "county", z, x, y), "county")
    expected = dict(
        Division.objects.current().at_level("county").filter(geom__intersects=tile_box_lonlat(z, x, y))
        .values_list("code", "name")
    )
    assert {f["properties"]["code"]: f["properties"]["name"] for f in features} == expected
    assert "620521000000" in expected
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in features)


@pytest.mark.parametrize("level, z", [("county", 5), ("county", 8), ("township", 12), ("village", 14)])
def test_a_division_statement_compiled_once_per_zoom_is_the_one_the_orm_gives_each_tile(db, level, z, monkeypatch):
    """``tile_sql`` reuses one compiled statement for every tile of a zoom; for any tile it
    must equal the statement compiled for that tile, and follow the day (divisions in force)."""
    import datetime as dt

    from django.utils import timezone

    from geoapp.tiles import mvt

    layer = mvt.LAYERS[level]
    for x, y in ((0, 0), (2**z - 1, 2**z // 3), (2**z // 2, 2**z - 1)):
        assert mvt.tile_sql(layer, None, z, x, y) == mvt._statement(layer, None, z, x, y)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda: tomorrow)
    sql, params = mvt.tile_sql(layer, None, z, 1, 1)
    assert tomorrow in params and (sql, params) == mvt._statement(layer, None, z, 1, 1)


def test_neighbouring_counties_keep_one_shared_border_after_generalisation(county_tiles, qingshui):
    """The z5 band drops most vertices, yet two neighbours neither overlap nor open a gap;
    simplifying each polygon on its own (the naive way) does both."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT ST_Area(ST_Intersection(a.z5, b.z5)),
                   ST_Length(ST_Intersection(ST_Boundary(a.z5), ST_Boundary(b.z5))),
                   ST_NPoints(a.z5)::float / ST_NPoints(a."full"),
                   ST_Area(ST_Intersection(ST_Simplify(a."full", 2400), ST_Simplify(b."full", 2400)))
            FROM tiles_divisiontilegeom a JOIN boundaries_division da ON da.id = a.division_id,
                 tiles_divisiontilegeom b JOIN boundaries_division db ON db.id = b.division_id
            WHERE da.code = '620521000000' AND db.level = 'county' AND db.id <> da.id AND a."full" && b."full"
              AND ST_Length(ST_Intersection(ST_Boundary(a."full"), ST_Boundary(b."full"))) > 1000
            """
        )
        rows = cursor.fetchall()
    assert rows, "清水县 should have neighbouring counties in the demo"
    for overlap_m2, shared_m, kept, naive_overlap_m2 in rows:
        assert overlap_m2 < 1.0
        assert shared_m > 1000
        assert kept < 0.5
        assert naive_overlap_m2 > 1000


def test_a_second_request_comes_from_the_cache_and_a_matching_etag_gets_304(client, county_tiles, qingshui):
    centre = qingshui.geom.point_on_surface
    z, x, y = _tile_of(centre.x, centre.y, 9)
    first = _get(client, "county", z, x, y)
    second = _get(client, "county", z, x, y)
    assert (first["X-Tile-Cache"], second["X-Tile-Cache"]) == ("miss", "hit")
    assert first.content == second.content and first["Content-Encoding"] == "gzip"
    assert first["ETag"] == second["ETag"] and "no-cache" in first["Cache-Control"]
    again = _get(client, "county", z, x, y, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    plain = client.get(f"/tiles/county/{z}/{x}/{y}.mvt")
    assert "Content-Encoding" not in plain and plain.content == gzip.decompress(first.content)


def test_the_tile_endpoint_renders_without_redis(client, county_tiles, qingshui, settings, monkeypatch):
    monkeypatch.setattr(cache, "_client", None)
    settings.CIVATLAS_REDIS_URL = ""
    centre = qingshui.geom.point_on_surface
    z, x, y = _tile_of(centre.x, centre.y, 8)
    responses = [_get(client, "county", z, x, y) for _ in range(2)]
    assert [r["X-Tile-Cache"] for r in responses] == ["miss", "miss"]
    assert "620521000000" in {f["properties"]["code"] for f in _features(responses[1], "county")}


def test_boundary_lines_need_a_login_and_show_only_lines_of_the_users_jurisdiction(
    client, county_tiles, qingshui, zoning_officer, outsider
):
    line = BoundaryLine.objects.current().filter(parent=qingshui, level="township").exclude(right=None).first()
    centre = line.geom.point_on_surface
    z, x, y = _tile_of(centre.x, centre.y, 11)
    assert _get(client, "lines", z, x, y).status_code == 401
    client.force_login(zoning_officer)
    seen = {f["properties"]["id"] for f in _features(_get(client, "lines", z, x, y), "lines")}
    assert line.id in seen
    visible = set(BoundaryLine.objects.current().for_user(zoning_officer).values_list("id", flat=True))
    assert seen <= visible
    client.force_login(outsider)
    assert _features(_get(client, "lines", z, x, y), "lines") == []


def test_there_is_no_public_layer_of_boundary_markers(client, db):
    assert client.get("/tiles/markers/10/800/400.mvt").status_code == 404
    assert client.get("/tiles/boundary_markers/10/800/400.mvt").status_code == 404


def _facility_near(division, lon, lat):
    return Facility.objects.create(kind="nursing_home", name="合成测试养老院", division=division,
                                   location=Point(lon, lat, srid=4490))


def test_moving_a_facility_invalidates_the_tiles_at_its_old_and_new_place_and_no_others(
    client, county_tiles, qingshui, django_capture_on_commit_callbacks
):
    old_pt, new_pt, far_pt = (105.95, 34.70), (106.30, 34.85), (105.0, 37.5)
    with django_capture_on_commit_callbacks(execute=True):
        facility = _facility_near(qingshui, *old_pt)
    tiles = {name: _tile_of(*pt, 12) for name, pt in (("old", old_pt), ("new", new_pt), ("far", far_pt))}
    for z, x, y in tiles.values():
        assert _get(client, "facilities", z, x, y)["X-Tile-Cache"] == "miss"
    assert facility.id in {f["properties"]["id"] for f in _features(_get(client, "facilities", *tiles["old"]), "facilities")}

    with django_capture_on_commit_callbacks(execute=True):
        facility.location = Point(*new_pt, srid=4490)
        facility.save()

    old, new, far = (_get(client, "facilities", *tiles[k]) for k in ("old", "new", "far"))
    assert (old["X-Tile-Cache"], new["X-Tile-Cache"], far["X-Tile-Cache"]) == ("miss", "miss", "hit")
    assert facility.id not in {f["properties"]["id"] for f in _features(old, "facilities")}
    assert facility.id in {f["properties"]["id"] for f in _features(new, "facilities")}


def test_renaming_a_county_refreshes_its_tiles_and_leaves_other_counties_cached(
    client, county_tiles, qingshui, django_capture_on_commit_callbacks
):
    centre = qingshui.geom.point_on_surface
    own = _tile_of(centre.x, centre.y, 10)
    other = Division.objects.current().get(code="640502000000").geom.point_on_surface
    far = _tile_of(other.x, other.y, 10)
    for tile in (own, far):
        _get(client, "county", *tile)
    with django_capture_on_commit_callbacks(execute=True):
        qingshui.name = "清水县（测试更名）"
        qingshui.save()
    refreshed, kept = _get(client, "county", *own), _get(client, "county", *far)
    assert (refreshed["X-Tile-Cache"], kept["X-Tile-Cache"]) == ("miss", "hit")
    names = {f["properties"]["code"]: f["properties"]["name"] for f in _features(refreshed, "county")}
    assert names["620521000000"] == "清水县（测试更名）"


def test_changing_a_county_polygon_rebuilds_it_and_its_neighbours_only(county_tiles, qingshui):
    neighbours = set(
        Division.objects.current().at_level("county").filter(geom__intersects=qingshui.geom).values_list("id", flat=True)
    )
    assert len(neighbours) > 1
    assert set(rebuild_divisions([qingshui.id])) == neighbours


def test_the_names_layer_shows_standard_names_and_never_proposed_ones(client, county_tiles, qingshui):
    from tests.placenames.builders import place_name

    standard = place_name("合成瓦片标准村", category="village", geom=Point(106.05, 34.72, srid=4490))
    proposed = place_name("合成瓦片拟用村", category="village", status="proposed", geom=Point(106.0501, 34.7201, srid=4490))
    z, x, y = _tile_of(106.05, 34.72, 13)
    ids = {f["properties"]["id"] for f in _features(_get(client, "names", z, x, y), "names")}
    assert standard.id in ids and proposed.id not in ids


def test_a_json_api_answers_gzipped_with_an_etag_and_304_when_unchanged(client, qingshui):
    url = "/api/divisions/?parent=620500000000"
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert first.status_code == 200 and first["Content-Encoding"] == "gzip" and first["ETag"]
    assert len(first.content) < len(client.get(url).content) / 2
    again = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
