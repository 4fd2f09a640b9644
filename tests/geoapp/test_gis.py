"""``geoapp.gis.as_cgcs2000``: a copy in the storage SRID, the caller's geometry untouched."""

import pytest
from django.contrib.gis.geos import Point

from geoapp.gis import CGCS2000, WEB_MERCATOR, WGS84, as_cgcs2000


def test_a_point_without_srid_is_copied_into_cgcs2000_and_left_without_one():
    point = Point(105.9, 34.7)
    out = as_cgcs2000(point)
    assert out.srid == CGCS2000
    assert (out.x, out.y) == (105.9, 34.7)
    assert point.srid is None
    assert out is not point


def test_a_cgcs2000_point_comes_back_as_a_copy():
    point = Point(105.9, 34.7, srid=CGCS2000)
    out = as_cgcs2000(point)
    assert out == point
    assert out is not point


@pytest.mark.parametrize("srid", [WGS84, WEB_MERCATOR])
def test_a_point_in_another_srid_is_transformed_and_the_original_keeps_its_own(srid):
    lonlat = Point(105.9, 34.7, srid=CGCS2000)
    point = lonlat.transform(srid, clone=True)
    before = (point.x, point.y)
    out = as_cgcs2000(point)
    assert out.srid == CGCS2000
    assert out.equals_exact(lonlat, tolerance=1e-6)
    assert point.srid == srid
    assert (point.x, point.y) == before
