"""Greedy site suggestions: exact coverage sets, existing facilities fixed, near-optimal."""

from __future__ import annotations

import itertools

import numpy as np
from pyproj import Geod

from facilities.sites import coverage_sets, suggest_sites

GEOD = Geod(ellps="GRS80")


def test_coverage_sets_match_a_brute_force_geod_computation():
    rng = np.random.default_rng(3)
    demand = np.column_stack([rng.uniform(105.5, 106.5, 300), rng.uniform(34.5, 35.2, 300)])
    sites = demand[rng.choice(300, 20, replace=False)]
    for (lon, lat), found in zip(sites, coverage_sets(demand, sites, 5000), strict=True):
        _az, _baz, d = GEOD.inv(np.full(300, lon), np.full(300, lat), demand[:, 0], demand[:, 1])
        assert list(found) == list(np.nonzero(d <= 5000)[0])


def test_villages_already_covered_by_existing_facilities_earn_nothing():
    demand = [(106.0, 34.8), (106.001, 34.8), (106.3, 34.8)]
    existing = [(106.0, 34.8)]
    candidates = [(106.0005, 34.8), (106.3, 34.8005)]
    chosen = suggest_sites(demand, candidates, existing, radius_m=2000, n=2)
    assert [s.candidate for s in chosen] == [1]  # the first site would only cover covered villages
    assert chosen[0].covers == (2,)


def test_greedy_is_within_the_guaranteed_bound_of_the_optimum():
    rng = np.random.default_rng(11)
    demand = np.column_stack([rng.uniform(105.5, 106.5, 200), rng.uniform(34.5, 35.2, 200)])
    candidates = demand[rng.choice(200, 12, replace=False)]
    weights = rng.integers(50, 2000, 200)
    sets = coverage_sets(demand, candidates, 6000)
    best = max(
        weights[np.unique(np.concatenate([sets[i] for i in combo]))].sum()
        for combo in itertools.combinations(range(12), 3)
    )
    greedy = sum(s.weight for s in suggest_sites(demand, candidates, [], radius_m=6000, n=3, weights=weights))
    assert greedy >= (1 - 1 / np.e) * best
