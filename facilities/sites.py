"""Site suggestions: where ``n`` new facilities would cover the most uncovered demand.

A documented greedy maximal covering location heuristic (pure numpy/scipy, no Django):
existing facilities are fixed; each round picks the candidate site whose service radius
covers the largest weight (villages, or people when weights are populations) not yet
covered, until ``n`` sites are chosen or nothing more can be covered. Greedy is within
1 − 1/e (≈ 63%) of the optimum for maximal covering and is usually much closer;
spopt's exact MCLP (DESIGN.md) can replace ``suggest_sites`` behind the same signature
once it is packaged for the offline install.

Coverage sets are exact on the ellipsoid: a KD-tree ball in the Gauss-Krüger plane of
radius r · k_max (the plane never under-measures, ``facilities.coverage``) preselects,
``pyproj.Geod`` decides.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from facilities.coverage import as_lonlat_array, max_plane_scale, nearest, plane_transformer
from geoapp.gis import GEOD, gauss_kruger_3deg_srid


@dataclass(frozen=True)
class Suggestion:
    candidate: int  # index into the candidate sites
    covers: tuple[int, ...]  # indices of demand points newly covered by this site
    weight: float


def coverage_sets(demand, candidates, radius_m: float) -> list[np.ndarray]:
    """For each candidate site, the indices of demand points within ``radius_m`` on the ellipsoid."""
    demand, candidates = as_lonlat_array(demand), as_lonlat_array(candidates)
    if len(demand) == 0 or len(candidates) == 0:
        return [np.array([], dtype=int) for _ in range(len(candidates))]
    everything = np.vstack([demand, candidates])
    srid = gauss_kruger_3deg_srid(float(np.median(everything[:, 0])))
    to_plane = plane_transformer(srid)
    tree = cKDTree(np.column_stack(to_plane.transform(demand[:, 0], demand[:, 1])))
    cx, cy = to_plane.transform(candidates[:, 0], candidates[:, 1])
    balls = tree.query_ball_point(np.column_stack([cx, cy]), r=radius_m * max_plane_scale(srid, everything))
    sets = []
    for (lon, lat), ball in zip(candidates, balls, strict=True):
        ball = np.asarray(ball, dtype=int)
        if len(ball):
            _az, _baz, d = GEOD.inv(np.full(len(ball), lon), np.full(len(ball), lat), demand[ball, 0], demand[ball, 1])
            ball = ball[d <= radius_m]
        sets.append(np.sort(ball))
    return sets


def suggest_sites(demand, candidates, existing, *, radius_m: float, n: int, weights=None) -> list[Suggestion]:
    """Greedy maximal covering: up to ``n`` candidate sites, existing facilities fixed."""
    demand = as_lonlat_array(demand)
    weights = np.ones(len(demand)) if weights is None else np.asarray(weights, dtype=float)
    covered = nearest(demand, existing).distance_m <= radius_m
    sets = coverage_sets(demand, candidates, radius_m)
    chosen: list[Suggestion] = []
    for _round in range(n):
        gains = [float(weights[s[~covered[s]]].sum()) if len(s) else 0.0 for s in sets]
        best = int(np.argmax(gains)) if gains else -1
        if best < 0 or gains[best] <= 0:
            break
        newly = sets[best][~covered[sets[best]]]
        covered[newly] = True
        chosen.append(Suggestion(candidate=best, covers=tuple(int(i) for i in newly), weight=gains[best]))
    return chosen
