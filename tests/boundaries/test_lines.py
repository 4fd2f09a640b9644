"""Boundary lines derived through PostGIS topology, on the real 天水市 counties.

The expected answers are computed independently with shapely and pyproj from the
division polygons themselves: which pairs share a boundary of positive length, and how
long that shared boundary is on the ellipsoid.
"""

from __future__ import annotations

import itertools
import json

import pytest
from shapely import wkb
from shapely.geometry import shape
from shapely.ops import unary_union

from boundaries.actions import build_boundary_lines
from boundaries.models import BoundaryLine, Division
from geoapp.gis import GEOD


def _shapely(geom):
    return wkb.loads(bytes(geom.wkb))


def _geodesic_length_m(geom) -> float:
    return GEOD.geometry_length(geom) if not geom.is_empty else 0.0


def _shared_boundaries(divisions):
    """{(code_a, code_b): shared boundary length in m}, computed with shapely alone."""
    # Shared length = (perimeter A + perimeter B - perimeter of A∪B) / 2: robust where
    # one side has vertices the other lacks (a plain boundary intersection misses those).
    shapes = {d.code: _shapely(d.geom) for d in divisions}
    shared = {}
    for a, b in itertools.combinations(sorted(shapes), 2):
        if not shapes[a].intersects(shapes[b]):
            continue
        union = unary_union([shapes[a], shapes[b]])
        length = (_perimeter_m(shapes[a]) + _perimeter_m(shapes[b]) - _perimeter_m(union)) / 2
        if length > 1.0:
            shared[(a, b)] = length
    return shared


def _perimeter_m(geom) -> float:
    return GEOD.geometry_area_perimeter(geom)[1]


@pytest.fixture
def tianshui(db):
    return Division.objects.current().get(code="620500000000")


@pytest.fixture
def county_lines(tianshui):
    """The lines as set-up built them (the session fixture builds every demo province)."""
    return BoundaryLine.objects.current().of(parent=tianshui, level="county")


def test_every_pair_of_neighbouring_counties_gets_exactly_one_line(county_lines, tianshui):
    counties = list(Division.objects.current().within("6205").at_level("county"))
    expected = _shared_boundaries(counties)
    lines = BoundaryLine.objects.current().of(parent=tianshui, level="county").select_related("left", "right")
    pairs = [(line.left.code, line.right.code) for line in lines if line.right_id]
    assert len(pairs) == len(set(pairs)), "one record per neighbour pair"
    assert set(pairs) == set(expected)
    assert ("620521000000", "620525000000") in pairs  # 清水县 | 张家川回族自治县


def test_line_lengths_match_an_independent_ellipsoidal_measure(county_lines, tianshui):
    counties = list(Division.objects.current().within("6205").at_level("county"))
    expected = _shared_boundaries(counties)
    for line in BoundaryLine.objects.current().of(parent=tianshui, level="county").exclude(right=None):
        key = (line.left.code, line.right.code)
        assert line.length_km * 1000 == pytest.approx(expected[key], rel=1e-3, abs=5.0), key


def test_the_lines_of_a_county_give_back_its_whole_outline(county_lines, tianshui):
    for county in Division.objects.current().within("6205").at_level("county"):
        lines = BoundaryLine.objects.current().of(parent=tianshui, level="county").filter(
            pk__in=BoundaryLine.objects.filter(left=county).values("pk").union(
                BoundaryLine.objects.filter(right=county).values("pk"))
        )
        rebuilt = unary_union([_shapely(line.geom) for line in lines])
        outline = _shapely(county.geom).boundary
        assert _geodesic_length_m(rebuilt) == pytest.approx(_geodesic_length_m(outline), abs=1.0), county.name
        assert rebuilt.hausdorff_distance(outline) < 1e-6, county.name


def test_building_again_changes_nothing(county_lines, tianshui):
    before = county_lines.count()
    again = build_boundary_lines(parent=tianshui, level="county")
    assert (again.created, again.updated, again.retired) == (0, 0, 0)
    assert again.problems == []
    assert again.by_level["county"] == before


def test_township_lines_of_qingshui_cover_every_neighbour_and_the_county_outline(qingshui):
    townships = list(Division.objects.current().within("620521").at_level("township"))
    expected = _shared_boundaries(townships)
    lines = list(BoundaryLine.objects.current().of(parent=qingshui, level="township").select_related("left", "right"))
    inside = {(line.left.code, line.right.code) for line in lines
              if line.right_id and line.left.parent_id == line.right.parent_id == qingshui.id}
    assert inside == set(expected)
    # The rest (township lines across the county line, and the data's edge) is the county outline.
    rim = unary_union([_shapely(line.geom) for line in lines if (line.left.code, getattr(line.right, "code", None))
                       not in inside])
    county_outline = _shapely(qingshui.geom).boundary
    assert _geodesic_length_m(rim) == pytest.approx(_geodesic_length_m(county_outline), abs=1.0)
    assert rim.hausdorff_distance(county_outline) < 1e-6


def test_the_api_lists_lines_with_both_sides_and_length(client, zoning_officer, county_lines):
    client.force_login(zoning_officer)
    response = client.get("/api/boundary-lines/?parent=620500&level=county")
    assert response.status_code == 200
    features = json.loads(response.content)["features"]
    # A 清水县 officer sees the lines that have 清水县 on one side, and only those.
    assert features and all("620521000000" in (f["properties"]["left"], f["properties"]["right"]) for f in features)
    for feature in features:
        assert feature["properties"]["length_km"] > 0
        assert shape(feature["geometry"]).geom_type == "MultiLineString"


def test_the_lines_api_needs_a_login_and_a_valid_level(client, zoning_officer):
    assert client.get("/api/boundary-lines/?parent=620500&level=county").status_code == 401
    client.force_login(zoning_officer)
    assert client.get("/api/boundary-lines/?parent=620500&level=planet").status_code == 400
