"""Geometry checks and safe repair (pure shapely)."""

import pytest
from shapely.geometry import LineString, MultiPolygon, Point, Polygon

from geoapp.geometry import GeometryRejected, checked_multipolygon

SQUARE = Polygon([(106.0, 34.0), (106.1, 34.0), (106.1, 34.1), (106.0, 34.1)])


def test_a_valid_polygon_becomes_a_multipolygon_unchanged():
    checked = checked_multipolygon(SQUARE)
    assert isinstance(checked.geom, MultiPolygon)
    assert not checked.repaired
    assert checked.geom.equals(SQUARE)


def test_a_spike_is_repaired_with_a_note():
    spiky = Polygon([(106.0, 34.0), (106.1, 34.0), (106.1, 34.1), (106.05, 34.1), (106.05, 34.15), (106.05, 34.1), (106.0, 34.1)])
    assert not spiky.is_valid
    checked = checked_multipolygon(spiky)
    assert checked.repaired and checked.geom.is_valid
    assert abs(checked.geom.area - SQUARE.area) < 1e-12
    assert "修复" in checked.note


def test_a_bow_tie_is_rejected_because_its_repair_changes_the_area():
    bow_tie = Polygon([(106.0, 34.0), (106.1, 34.1), (106.1, 34.0), (106.0, 34.1)])
    with pytest.raises(GeometryRejected, match="面积"):
        checked_multipolygon(bow_tie)


def test_projected_coordinates_are_rejected_as_a_wrong_crs():
    metres = Polygon([(500000, 3800000), (510000, 3800000), (510000, 3810000)])
    with pytest.raises(GeometryRejected, match="坐标系"):
        checked_multipolygon(metres)


@pytest.mark.parametrize("geom", [Point(106, 34), LineString([(106, 34), (107, 35)]), Polygon()])
def test_non_polygons_and_empty_geometries_are_rejected(geom):
    with pytest.raises(GeometryRejected):
        checked_multipolygon(geom)
