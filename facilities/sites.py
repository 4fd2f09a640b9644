"""Site suggestions (选址建议): where ``n`` new facilities would cover the most uncovered demand.

The engine is the exact maximal covering location problem (MCLP) solved with spopt and
CBC (``facilities.mclp``). Existing facilities are fixed: the demand they already reach
is taken out before the model is built, so it never counts again. Demand is villages
(weight 1 each) or people when weights are populations.

The greedy heuristic stays as the documented baseline (``greedy_sites``): each round it
picks the candidate covering the largest weight not yet covered. Greedy is within
1 − 1/e (≈ 63%) of the optimum and often reaches it, but not always (two sites at the
ends of a row of villages beat one in the middle plus one more). ``suggest_sites``
warm-starts CBC from the greedy answer and never returns less than it:

* greedy already covers everything any candidate can reach → greedy is optimal, no solver;
* CBC proves the optimum → that answer (``method="mclp"``, ``optimal=True``);
* CBC stops at the time limit → its best answer, never worse than greedy, with a note;
* the solver is missing, fails or the instance is too large → the greedy answer with
  ``fallback=True`` and a note saying so. Never silently.

Coverage sets are exact on the ellipsoid: a KD-tree ball in the Gauss-Krüger plane of
radius r · k_max (the plane never under-measures, ``facilities.coverage``) preselects,
``pyproj.Geod`` decides.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.spatial import cKDTree

from facilities.coverage import as_lonlat_array, max_plane_scale, nearest, plane_transformer
from facilities.mclp import MclpError, reduce_problem, solve_mclp
from geoapp.gis import GEOD, gauss_kruger_3deg_srid

# Wall-clock budget of the exact solver (model building included); the greedy answer
# is returned, and flagged, if no better one is found in time.
TIME_LIMIT_S = 20.0
MCLP = "mclp"
GREEDY = "greedy"


@dataclass(frozen=True)
class Suggestion:
    candidate: int  # index into the candidate sites
    covers: tuple[int, ...]  # indices of demand points newly covered by this site
    weight: float


@dataclass(frozen=True)
class SiteChoice(Sequence):
    """The chosen sites, ranked (a sequence of ``Suggestion``), and how they were chosen.

    ``method``: ``"mclp"`` (the exact model's answer) or ``"greedy"``;
    ``optimal``: proven to cover the most weight possible with ``n`` sites;
    ``fallback``: the exact solver did not give an answer and greedy stands in;
    ``note``: what the planner should be told when the answer is not proven optimal.
    """

    sites: tuple[Suggestion, ...]
    method: str
    optimal: bool
    fallback: bool = False
    note: str = ""

    def __getitem__(self, index):
        return self.sites[index]

    def __len__(self) -> int:
        return len(self.sites)

    @property
    def weight(self) -> float:
        return float(sum(s.weight for s in self.sites))


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


def suggest_sites(
    demand, candidates, existing, *, radius_m: float, n: int, weights=None, time_limit_s: float = TIME_LIMIT_S
) -> SiteChoice:
    """Up to ``n`` candidate sites covering the most uncovered weight (exact MCLP), existing fixed."""
    sets, weights, covered = _coverage(demand, candidates, existing, radius_m, weights)
    return choose_sites(sets, weights, covered, n, time_limit_s=time_limit_s)


def greedy_sites(demand, candidates, existing, *, radius_m: float, n: int, weights=None) -> list[Suggestion]:
    """The greedy baseline: up to ``n`` sites, each covering the most weight still uncovered."""
    sets, weights, covered = _coverage(demand, candidates, existing, radius_m, weights)
    return greedy_choice(sets, weights, covered, n)


def choose_sites(sets, weights, covered, n: int, *, time_limit_s: float = TIME_LIMIT_S) -> SiteChoice:
    """The exact MCLP over coverage ``sets`` (demand indices per candidate), with greedy as floor.

    ``weights`` per demand point (≥ 0); ``covered``: demand already reached by existing
    facilities, which earns nothing.
    """
    weights = np.asarray(weights, dtype=float)
    covered = np.asarray(covered, dtype=bool)
    if np.any(weights < 0):
        raise ValueError("demand weights must not be negative")
    baseline = greedy_choice(sets, weights, covered, n)
    baseline_weight = sum(s.weight for s in baseline)
    problem = reduce_problem(sets, weights, covered)
    tolerance = 1e-9 * max(1.0, problem.coverable)
    if baseline_weight >= problem.coverable - tolerance:
        # Everything reachable is covered: no choice of n sites can do better.
        return SiteChoice(tuple(baseline), method=GREEDY, optimal=True)
    try:
        solution = solve_mclp(problem, n, time_limit_s=time_limit_s, start=[s.candidate for s in baseline])
    except MclpError as exc:
        return SiteChoice(tuple(baseline), method=GREEDY, optimal=False, fallback=True, note=(
            f"精确选址（最大覆盖模型）未完成：{exc}。以下为贪心算法的结果，"
            f"覆盖量至少达到最优方案的 63%，但不一定最优。"
        ))
    exact = _ranked(solution.chosen, sets, weights, covered)
    if sum(s.weight for s in exact) + tolerance < baseline_weight:
        # Only possible if CBC stopped early without using the greedy warm start.
        return SiteChoice(tuple(baseline), method=GREEDY, optimal=False, fallback=True, note=(
            f"精确选址（最大覆盖模型）在 {time_limit_s:g} 秒时限内没有找到优于贪心算法的方案；"
            f"以下为贪心算法的结果，不一定最优。"
        ))
    if solution.optimal:
        return SiteChoice(tuple(exact), method=MCLP, optimal=True)
    return SiteChoice(tuple(exact), method=MCLP, optimal=False, note=(
        f"精确选址（最大覆盖模型）在 {time_limit_s:g} 秒时限内未能证明最优；"
        f"以下为求解器找到的最好方案，覆盖量不低于贪心算法。"
    ))


def greedy_choice(sets, weights, covered, n: int) -> list[Suggestion]:
    """Greedy maximal covering over coverage ``sets``; stops when nothing more can be covered."""
    weights = np.asarray(weights, dtype=float)
    covered = np.array(covered, dtype=bool)  # a copy: updated as sites are picked
    sets = [np.asarray(s, dtype=int) for s in sets]
    if not sets:
        return []
    # Candidates × demand incidence: one sparse product gives every candidate's gain.
    reach = sparse.csr_matrix(
        (np.ones(sum(len(s) for s in sets)), np.concatenate(sets), np.concatenate([[0], np.cumsum([len(s) for s in sets])])),
        shape=(len(sets), len(weights)),
    )
    chosen: list[Suggestion] = []
    for _round in range(n):
        gains = reach @ np.where(covered, 0.0, weights)
        best = int(np.argmax(gains))
        if gains[best] <= 0:
            break
        newly = sets[best][~covered[sets[best]]]
        covered[newly] = True
        chosen.append(Suggestion(candidate=best, covers=tuple(int(i) for i in newly), weight=float(gains[best])))
    return chosen


def _ranked(chosen, sets, weights: np.ndarray, covered: np.ndarray) -> list[Suggestion]:
    """The solver's sites ranked as greedy would rank them among themselves.

    Rank 1 covers the most; each site lists only the demand that no higher-ranked site or
    existing facility reaches; a site that adds nothing (spopt opens exactly p) is dropped.
    """
    ranked = greedy_choice([sets[j] for j in chosen], weights, covered, len(chosen))
    return [Suggestion(candidate=chosen[s.candidate], covers=s.covers, weight=s.weight) for s in ranked]


def _coverage(demand, candidates, existing, radius_m: float, weights):
    demand = as_lonlat_array(demand)
    weights = np.ones(len(demand)) if weights is None else np.asarray(weights, dtype=float)
    covered = nearest(demand, existing).distance_m <= radius_m
    return coverage_sets(demand, candidates, radius_m), weights, covered
