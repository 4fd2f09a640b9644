"""Facility API: GeoJSON format, details by permission, gap endpoint, validation."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

LIST = "/api/facilities/"
GAPS = "/api/facilities/gaps"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_list_is_lon_lat_geojson_with_the_registry_fields(client, demo_facilities):
    response = client.get(LIST, {"division": "620521", "kind": "child_protection_station"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    data = response.json()
    assert data["type"] == "FeatureCollection" and data["features"]
    feature = data["features"][0]
    assert "crs" not in feature["geometry"]
    lon, lat = feature["geometry"]["coordinates"]
    assert 105 < lon < 107 and 34 < lat < 35.5
    props = feature["properties"]
    assert {"id", "name", "kind", "kind_label", "status", "division"} <= props.keys()
    assert props["kind"] == "child_protection_station" and props["kind_label"] == "未成年人保护工作站"
    assert all(f["properties"]["division"].startswith("620521") for f in data["features"])


def test_anonymous_users_get_no_details(client, demo_facilities):
    features = client.get(LIST, {"division": "620521", "kind": "care_home"}).json()["features"]
    assert features and all(f["properties"]["details"] is None for f in features)


def test_a_planner_gets_details_inside_the_jurisdiction_only(client, demo_facilities, planner):
    login(client, planner)
    homes = client.get(LIST, {"division": "620521", "kind": "care_home"}).json()["features"]
    assert homes and all(f["properties"]["details"]["beds"] >= f["properties"]["details"]["nursing_beds"] for f in homes)
    outside = client.get(LIST, {"division": "640502"}).json()["features"]
    assert outside and all(f["properties"]["details"] is None for f in outside)


def test_an_outsider_sees_the_registry_but_not_the_details_of_qingshui(client, demo_facilities, outsider):
    login(client, outsider)
    features = client.get(LIST, {"division": "620521"}).json()["features"]
    assert features and all(f["properties"]["details"] is None for f in features)


def test_the_gap_table_for_a_planner(client, demo_facilities, planner):
    login(client, planner)
    response = client.get(GAPS, {"division": "620521000000", "kind": "child_protection_station", "radius_km": "10"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) >= {"rows", "uncovered"}
    row = data["rows"][0]
    assert {"code", "name", "villages", "villages_uncovered", "norm_results"} <= row.keys()
    assert len(row["code"]) == 12 and row["villages_uncovered"] > 0
    assert {"rule_id", "source", "unit_code", "unit_name", "required", "actual", "ok"} <= row["norm_results"][0].keys()
    assert all(v["distance_km"] > 10 for v in data["uncovered"])


def test_gaps_need_a_login(client, demo_facilities):
    assert client.get(GAPS, {"division": "620521", "kind": "care_home"}).status_code == 401


def test_gaps_outside_the_jurisdiction_are_forbidden(client, demo_facilities, outsider):
    login(client, outsider)
    response = client.get(GAPS, {"division": "620521", "kind": "care_home"})
    assert response.status_code == 403
    assert "辖区" in response.json()["error"]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"kind": "care_home"}, "division"),
        ({"division": "abc", "kind": "care_home"}, "区划代码"),
        ({"division": "620599", "kind": "care_home"}, "没有代码"),
        ({"division": "620521"}, "设施类型"),
        ({"division": "620521", "kind": "hospital"}, "设施类型"),
        ({"division": "620521", "kind": "care_home", "radius_km": "abc"}, "radius_km"),
        ({"division": "620521", "kind": "care_home", "radius_km": "-1"}, "radius_km"),
        ({"division": "620521", "kind": "care_home", "radius_km": "nan"}, "radius_km"),
        ({"division": "620521100001", "kind": "care_home"}, "乡镇"),
    ],
)
def test_bad_gap_parameters_answer_400_in_chinese(client, demo_facilities, planner, params, words):
    login(client, planner)
    response = client.get(GAPS, params)
    assert response.status_code == 400
    assert words in response.json()["error"]


def test_a_bad_kind_in_the_list_answers_400(client, demo_facilities):
    response = client.get(LIST, {"division": "620521", "kind": "hospital"})
    assert response.status_code == 400
    assert "设施类型" in response.json()["error"]
