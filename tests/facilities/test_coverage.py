"""Nearest facility on the ellipsoid: KD-tree result against a brute-force pyproj Geod."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from facilities.coverage import nearest

GEOD = Geod(ellps="GRS80")  # independent of geoapp.gis on purpose


def brute_force(targets, facilities):
    targets, facilities = np.asarray(targets, float), np.asarray(facilities, float)
    best_d, best_i = [], []
    for lon, lat in targets:
        _az, _baz, d = GEOD.inv(np.full(len(facilities), lon), np.full(len(facilities), lat), facilities[:, 0], facilities[:, 1])
        best_i.append(int(np.argmin(d)))
        best_d.append(float(np.min(d)))
    return np.array(best_i), np.array(best_d)


def test_nearest_matches_brute_force_over_a_province_sized_spread():
    rng = np.random.default_rng(20240506)
    targets = np.column_stack([rng.uniform(92.5, 108.5, 2000), rng.uniform(32.5, 42.5, 2000)])
    facilities = np.column_stack([rng.uniform(92.5, 108.5, 400), rng.uniform(32.5, 42.5, 400)])
    result = nearest(targets, facilities)
    expected_i, expected_d = brute_force(targets, facilities)
    np.testing.assert_allclose(result.distance_m, expected_d, rtol=0, atol=1e-6)
    assert (result.index == expected_i).mean() > 0.999  # ties aside, the very same facility


def test_nearest_is_not_fooled_where_degrees_mislead():
    # At 40°N one degree of longitude is ~85 km, of latitude ~111 km: the facility 0.10° east
    # (~8.5 km) is nearer than the one 0.09° north (~10 km), although "closer in degrees".
    target = [(105.0, 40.0)]
    facilities = [(105.0, 40.09), (105.10, 40.0)]
    result = nearest(target, facilities)
    assert result.index[0] == 1
    assert abs(result.distance_m[0] - brute_force(target, facilities)[1][0]) < 1e-6


def test_no_facilities_means_no_nearest_and_infinite_distance():
    result = nearest([(105.0, 34.0), (106.0, 35.0)], [])
    assert list(result.index) == [-1, -1]
    assert np.isinf(result.distance_m).all()


lonlat = st.tuples(st.floats(104.0, 107.5), st.floats(33.5, 36.0))


@settings(max_examples=40, deadline=None)
@given(st.lists(lonlat, min_size=1, max_size=30), st.lists(lonlat, min_size=1, max_size=30))
def test_nearest_distance_always_equals_the_brute_force_minimum(targets, facilities):
    result = nearest(targets, facilities, candidates=2)
    _i, expected = brute_force(targets, facilities)
    np.testing.assert_allclose(result.distance_m, expected, rtol=0, atol=1e-6)
