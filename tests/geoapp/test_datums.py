"""GCJ-02 / BD-09 conversions (pure Python)."""

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from pyproj import Geod

from geoapp.datums import (
    bd09_to_gcj02,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    gcj02_to_wgs84_many,
    to_cgcs2000,
    wgs84_to_gcj02,
)

GEOD = Geod(ellps="GRS80")
china_lon = st.floats(min_value=74, max_value=134)
china_lat = st.floats(min_value=18, max_value=53)


def metres(a, b):
    return GEOD.inv(a[0], a[1], b[0], b[1])[2]


def test_gcj02_offset_is_hundreds_of_metres_in_tianshui():
    wgs = (106.10, 34.75)  # 清水县
    offset = metres(wgs, wgs84_to_gcj02(*wgs))
    assert 300 < offset < 700


def test_points_outside_china_are_not_shifted():
    assert wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)
    assert gcj02_to_wgs84(2.35, 48.85) == (2.35, 48.85)


@given(china_lon, china_lat)
def test_gcj02_round_trip_is_below_a_millimetre(lon, lat):
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert metres((lon, lat), back) < 0.001


@given(china_lon, china_lat)
def test_bd09_round_trip_is_below_a_millimetre(lon, lat):
    back = bd09_to_gcj02(*gcj02_to_bd09(lon, lat))
    assert metres((lon, lat), back) < 0.001


def test_to_cgcs2000_dispatches_on_datum():
    gcj = wgs84_to_gcj02(117.1, 36.2)
    assert metres(to_cgcs2000(*gcj, "gcj02"), (117.1, 36.2)) < 0.001
    assert to_cgcs2000(117.1, 36.2, "wgs84") == (117.1, 36.2)
    assert metres(to_cgcs2000(*gcj02_to_bd09(*gcj), "bd09"), (117.1, 36.2)) < 0.001


def test_unknown_datum_is_refused():
    try:
        to_cgcs2000(1, 2, "osgb36")
    except ValueError as exc:
        assert "osgb36" in str(exc)
    else:
        raise AssertionError("expected ValueError")


def test_offset_is_not_a_constant_shift():
    a = metres((100.0, 25.0), wgs84_to_gcj02(100.0, 25.0))
    b = metres((120.0, 40.0), wgs84_to_gcj02(120.0, 40.0))
    assert not math.isclose(a, b, rel_tol=0.01)


def test_converting_many_points_at_once_gives_what_one_at_a_time_gives():
    rng = np.random.default_rng(7)
    lon = np.concatenate([rng.uniform(70, 140, 2000), [72.004, 137.8347, 60.0, 105.0]])
    lat = np.concatenate([rng.uniform(0, 57, 2000), [30.0, 40.0, 30.0, 0.5]])
    many = np.column_stack(gcj02_to_wgs84_many(lon, lat))
    one = np.array([gcj02_to_wgs84(x, y) for x, y in zip(lon, lat, strict=True)])
    assert np.abs(many - one).max() < 1e-12
