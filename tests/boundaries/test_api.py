"""The divisions JSON API: GeoJSON in lon/lat, children, search, dates, errors."""

import json

import pytest
from pyproj import Geod
from shapely.geometry import shape

from boundaries.models import Division

GEOD = Geod(ellps="GRS80")


def get_json(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return json.loads(response.content)


def test_a_division_is_a_geojson_feature_with_its_properties(client, db):
    feature = get_json(client, "/api/divisions/620521000000/")
    props = feature["properties"]
    assert feature["type"] == "Feature" and feature["id"] == "620521000000"
    assert "crs" not in feature["geometry"]  # RFC 7946: lon/lat WGS84-compatible, no crs member
    assert props["code"] == "620521000000" and props["name"] == "清水县"
    assert props["level"] == "county" and props["kind"] == "county" and props["kind_label"] == "县"
    assert props["parent"] == "620500000000" and props["parent_name"] == "天水市"
    assert props["children"] == 19
    assert [a["name"] for a in props["ancestors"]] == ["甘肃省", "天水市"]
    lon, lat = props["seat"]
    assert 105.5 < lon < 106.6 and 34.4 < lat < 35.0  # lon/lat order (RFC 7946)
    area_km2 = abs(GEOD.geometry_area_perimeter(shape(feature["geometry"]))[0]) / 1e6
    assert props["area_km2"] == pytest.approx(area_km2, rel=1e-4)


def test_the_children_of_a_prefecture_are_its_counties(client, db):
    collection = get_json(client, "/api/divisions/?parent=620500000000")
    names = {f["properties"]["name"] for f in collection["features"]}
    assert collection["type"] == "FeatureCollection"
    assert names == {"秦州区", "麦积区", "清水县", "秦安县", "甘谷县", "武山县", "张家川回族自治县"}
    assert all(f["geometry"]["type"] == "MultiPolygon" for f in collection["features"])


def test_villages_are_drawn_at_their_seat_points(client, db):
    collection = get_json(client, "/api/divisions/?parent=620521100000")
    assert collection["features"]
    for feature in collection["features"]:
        assert feature["geometry"]["type"] == "Point"
        assert feature["properties"]["level"] == "village"
        assert feature["properties"]["area_km2"] is None
        assert feature["properties"]["source"] == "synthetic"


def test_short_codes_are_accepted_and_unknown_codes_are_404(client, db):
    assert get_json(client, "/api/divisions/620521/")["properties"]["code"] == "620521000000"
    assert client.get("/api/divisions/620599000000/").status_code == 404
    response = client.get("/api/divisions/62x/")
    assert response.status_code == 400 and "区划代码" in response.json()["error"]


def test_the_as_of_date_hides_divisions_not_yet_in_force(client, db):
    assert client.get("/api/divisions/620521000000/?date=1999-12-31").status_code == 404
    assert client.get("/api/divisions/?parent=620521000000&date=not-a-date").status_code == 400


def test_level_and_within_list_all_townships_of_a_county(client, db):
    collection = get_json(client, "/api/divisions/?level=township&within=620521")
    codes = [f["id"] for f in collection["features"]]
    # ``within`` goes by the code prefix; the townships are counted here by their parent.
    townships = Division.objects.current().filter(level="township", parent__code="620521000000")
    assert len(codes) == len(set(codes))
    assert set(codes) == set(townships.values_list("code", flat=True)) != set()


def test_search_finds_divisions_by_name_and_by_code(client, db):
    results = get_json(client, "/api/divisions/search?q=清水")["results"]
    assert results[0]["name"] == "清水县" and results[0]["bbox"]
    by_code = get_json(client, "/api/divisions/search?q=620521100")["results"]
    assert by_code[0]["code"] == "620521100000" and by_code[0]["name"] == "永清镇"
    assert get_json(client, "/api/divisions/search?q=")["results"] == []


def test_outlines_and_names_are_public(client, db, outsider):
    url = "/api/divisions/?parent=620521000000"
    anonymous = get_json(client, url)
    townships = dict(Division.objects.current().filter(parent__code="620521000000").values_list("code", "name"))
    assert {f["id"]: f["properties"]["name"] for f in anonymous["features"]} == townships
    assert all(f["geometry"]["type"] == "MultiPolygon" for f in anonymous["features"])
    # Not scoped to a jurisdiction: a zoning officer of 中卫市 gets the same collection.
    client.force_login(outsider)
    assert get_json(client, url) == anonymous


def test_a_click_on_the_map_picks_the_smallest_division_under_it_in_the_users_jurisdiction(
    client, db, zoning_officer, outsider
):
    township = Division.objects.current().get(code="620521100000")
    point = township.geom.point_on_surface
    url = f"/api/divisions/at?lon={point.x}&lat={point.y}"
    assert client.get(url).status_code == 401  # the jurisdiction needs a login
    client.force_login(zoning_officer)
    picked = get_json(client, url)
    smallest = max(
        Division.objects.current().containing(point), key=lambda d: ["province", "prefecture", "county",
                                                                     "township", "village"].index(d.level)
    )
    assert picked["code"] == smallest.code and picked["level"] in ("township", "village")
    assert picked["path"][:3] == ["甘肃省", "天水市", "清水县"]
    # Limited to some levels (the change form's parent is never a village).
    assert get_json(client, f"{url}&levels=county,township")["code"] == "620521100000"
    assert get_json(client, f"{url}&levels=county")["name"] == "清水县"
    # Outside the user's jurisdiction: a Chinese refusal, not somebody else's division.
    client.force_login(outsider)
    refused = client.get(url)
    assert refused.status_code == 404 and "辖区" in refused.json()["error"]


def test_a_map_pick_without_coordinates_or_with_an_unknown_level_is_a_clear_400(client, db, zoning_officer):
    client.force_login(zoning_officer)
    missing = client.get("/api/divisions/at?lon=106.1")
    assert missing.status_code == 400 and "经纬度" in missing.json()["error"]
    unknown = client.get("/api/divisions/at?lon=106.1&lat=34.7&levels=street")
    assert unknown.status_code == 400 and "street" in unknown.json()["error"]
