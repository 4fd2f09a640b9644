"""Distance coverage: nearest facility on the ellipsoid for many points at once.

Pure numpy/scipy/pyproj, no Django. For thousands of villages against thousands of
facilities, one SQL KNN per village costs ~1 s per province and ordering by lon/lat
degrees picks the wrong facility for ~6% of villages (DESIGN.md, measured). Instead:

1. project every point into one CGCS2000 3-degree Gauss-Krüger zone (the zone of the
   data's middle longitude, ``geoapp.gis.gauss_kruger_3deg_srid``) and build a KD-tree
   over the facilities;
2. take the ``k`` nearest candidates in the plane and measure each exactly on the
   ellipsoid with ``pyproj.Geod``; the smallest is the answer *provided* no other
   facility could be closer. CGCS2000 GK zones have scale factor 1 on the central
   meridian and > 1 elsewhere, so a plane distance is never shorter than the
   ellipsoidal one and at most ``k_max`` times longer (``k_max``: the largest point
   scale over the data). Any facility nearer on the ellipsoid than the best candidate
   ``d`` therefore lies within ``d · k_max`` in the plane: when the k-th candidate is
   farther than that, the answer is proven; otherwise the point is re-queried with a
   ball of that radius and every facility inside is measured exactly.

The result is the exact nearest facility and its geodesic distance in metres.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from pyproj import Proj, Transformer
from scipy.spatial import cKDTree

from geoapp.gis import CGCS2000, GEOD, gauss_kruger_3deg_srid

CANDIDATES = 4
# Headroom over the computed scale bound: geodesics bulge slightly beyond their endpoints.
SCALE_MARGIN = 1.0005


@dataclass(frozen=True)
class NearestResult:
    """For each target: index of the nearest facility (−1 if none) and distance in metres."""

    index: np.ndarray
    distance_m: np.ndarray


@lru_cache(maxsize=64)
def plane_transformer(srid: int) -> Transformer:
    return Transformer.from_crs(CGCS2000, srid, always_xy=True)


def as_lonlat_array(points) -> np.ndarray:
    array = np.asarray(points, dtype=float).reshape(-1, 2)
    return array


def max_plane_scale(srid: int, lonlat: np.ndarray) -> float:
    """Largest point scale factor of the zone projection over the points' bounding box."""
    lons = (lonlat[:, 0].min(), lonlat[:, 0].max())
    lats = (lonlat[:, 1].min(), lonlat[:, 1].max())
    corners_lon = np.array([lon for lon in lons for _ in lats])
    corners_lat = np.array([lat for _ in lons for lat in lats])
    factors = Proj(f"EPSG:{srid}").get_factors(corners_lon, corners_lat)
    return float(max(np.max(factors.meridional_scale), np.max(factors.parallel_scale), 1.0)) * SCALE_MARGIN


def nearest(targets, facilities, *, candidates: int = CANDIDATES) -> NearestResult:
    """The nearest of ``facilities`` to each of ``targets`` (both (lon, lat) sequences)."""
    targets = as_lonlat_array(targets)
    facilities = as_lonlat_array(facilities)
    n = len(targets)
    if n == 0 or len(facilities) == 0:
        return NearestResult(np.full(n, -1, dtype=int), np.full(n, np.inf))
    everything = np.vstack([targets, facilities])
    srid = gauss_kruger_3deg_srid(float(np.median(everything[:, 0])))
    to_plane = plane_transformer(srid)
    fx, fy = to_plane.transform(facilities[:, 0], facilities[:, 1])
    tx, ty = to_plane.transform(targets[:, 0], targets[:, 1])
    plane_facilities = np.column_stack([fx, fy])
    plane_targets = np.column_stack([tx, ty])
    tree = cKDTree(plane_facilities)

    k = min(candidates, len(facilities))
    plane_d, idx = tree.query(plane_targets, k=k)
    plane_d = plane_d.reshape(n, k)
    idx = idx.reshape(n, k)

    # Exact distances to every candidate in one vectorised Geod call.
    t_rep = np.repeat(targets, k, axis=0)
    f_cand = facilities[idx.ravel()]
    _az, _baz, exact = GEOD.inv(t_rep[:, 0], t_rep[:, 1], f_cand[:, 0], f_cand[:, 1])
    exact = exact.reshape(n, k)
    best_col = np.argmin(exact, axis=1)
    rows = np.arange(n)
    best_idx = idx[rows, best_col]
    best_d = exact[rows, best_col]

    if k < len(facilities):
        k_max = max_plane_scale(srid, everything)
        unproven = np.nonzero(plane_d[:, -1] <= best_d * k_max)[0]
        for i in unproven:
            ball = tree.query_ball_point(plane_targets[i], r=best_d[i] * k_max)
            if not ball:
                continue
            ball = np.asarray(ball)
            lon = np.full(len(ball), targets[i, 0])
            lat = np.full(len(ball), targets[i, 1])
            _az, _baz, d = GEOD.inv(lon, lat, facilities[ball, 0], facilities[ball, 1])
            j = int(np.argmin(d))
            if d[j] < best_d[i]:
                best_d[i] = d[j]
                best_idx[i] = ball[j]
    return NearestResult(best_idx.astype(int), best_d)
