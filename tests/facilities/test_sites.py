"""Site suggestions: exact coverage sets, the exact MCLP against the greedy baseline, fallbacks.

The promise: suggestions never cover less than the greedy baseline. Here on
a classic instance where greedy is suboptimal, against brute force, on random and
hypothesis-generated instances, and on the 清水县 demo data.
"""

from __future__ import annotations

import itertools

import numpy as np
import pulp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from facilities import mclp, sites
from facilities.gaps import operating_points, village_seats
from facilities.mclp import MclpError, reduce_problem, solve_mclp
from facilities.models import Kind
from facilities.scenarios import candidate_sites
from facilities.sites import choose_sites, coverage_sets, greedy_choice, greedy_sites, suggest_sites

GEOD = Geod(ellps="GRS80")


def along_a_geodesic(km):
    """Points on one geodesic heading east from (106°E, 34.8°N), ``km`` from its start."""
    lon, lat, _baz = GEOD.fwd(np.full(len(km), 106.0), np.full(len(km), 34.8), np.full(len(km), 90.0),
                              np.asarray(km, dtype=float) * 1000)
    return np.column_stack([lon, lat])


def brute_force_best(sets, weights, covered, n):
    weights = np.where(covered, 0.0, np.asarray(weights, dtype=float))
    best = 0.0
    for k in range(1, min(n, len(sets)) + 1):
        for combo in itertools.combinations(range(len(sets)), k):
            reached = np.unique(np.concatenate([np.asarray(sets[j], dtype=int) for j in combo]))
            best = max(best, float(weights[reached].sum()))
    return best


def assert_well_formed(choice, sets, weights, covered):
    """Every site covers something new, only uncovered demand inside its own set, once."""
    seen: set[int] = set()
    for site in choice:
        assert site.covers, "a site that covers nothing new was suggested"
        assert set(site.covers) <= set(np.asarray(sets[site.candidate]).tolist())
        assert not any(covered[i] for i in site.covers), "already covered demand counted again"
        assert seen.isdisjoint(site.covers)
        seen.update(site.covers)
        assert site.weight == pytest.approx(float(np.asarray(weights)[list(site.covers)].sum()))
        assert site.weight > 0


# --- coverage sets ------------------------------------------------------------------------


def test_coverage_sets_match_a_brute_force_geod_computation():
    rng = np.random.default_rng(3)
    demand = np.column_stack([rng.uniform(105.5, 106.5, 300), rng.uniform(34.5, 35.2, 300)])
    candidates = demand[rng.choice(300, 20, replace=False)]
    for (lon, lat), found in zip(candidates, coverage_sets(demand, candidates, 5000), strict=True):
        _az, _baz, d = GEOD.inv(np.full(300, lon), np.full(300, lat), demand[:, 0], demand[:, 1])
        assert list(found) == list(np.nonzero(d <= 5000)[0])


# --- the exact model against greedy -------------------------------------------------------


def test_two_sites_at_the_ends_beat_greedys_site_in_the_middle():
    """The classic case: villages at 0, 1, 2 and 4, 5, 6 km on a line, radius 2.1 km.

    A site at 3 km reaches four villages (1, 2, 4, 5), so greedy takes it first and then
    adds one more village; sites at 1 km and 5 km reach all six.
    """
    villages = along_a_geodesic([0, 1, 2, 4, 5, 6])
    candidates = along_a_geodesic([1, 5, 3])  # 0: west, 1: east, 2: middle
    greedy = greedy_sites(villages, candidates, [], radius_m=2100, n=2)
    assert greedy[0].candidate == 2 and sum(s.weight for s in greedy) == 5
    exact = suggest_sites(villages, candidates, [], radius_m=2100, n=2)
    assert sorted(s.candidate for s in exact) == [0, 1]
    assert exact.weight == 6
    assert (exact.method, exact.optimal, exact.fallback, exact.note) == ("mclp", True, False, "")


def test_with_population_weights_people_count_not_villages():
    """The four big villages in the middle outweigh the three at either end."""
    villages = along_a_geodesic([0, 1, 2, 4, 5, 6])
    candidates = along_a_geodesic([1, 5, 3])
    people = [10, 500, 500, 500, 500, 10]
    exact = suggest_sites(villages, candidates, [], radius_m=2100, n=1, weights=people)
    assert [s.candidate for s in exact] == [2] and exact.weight == 2000


def test_villages_already_covered_by_existing_facilities_earn_nothing():
    demand = [(106.0, 34.8), (106.001, 34.8), (106.3, 34.8)]
    existing = [(106.0, 34.8)]
    candidates = [(106.0005, 34.8), (106.3, 34.8005)]
    chosen = suggest_sites(demand, candidates, existing, radius_m=2000, n=2)
    assert [s.candidate for s in chosen] == [1]  # the first site would only cover covered villages
    assert chosen[0].covers == (2,)


def test_an_existing_facility_turns_the_classic_case_around():
    """With a station already at the west end, the best new site is the east end, not the middle."""
    villages = along_a_geodesic([0, 1, 2, 4, 5, 6])
    candidates = along_a_geodesic([1, 5, 3])
    existing = along_a_geodesic([1])
    exact = suggest_sites(villages, candidates, existing, radius_m=2100, n=1)
    assert [s.candidate for s in exact] == [1]
    assert exact[0].covers == (3, 4, 5) and exact.weight == 3


def test_the_exact_model_finds_the_brute_force_optimum():
    rng = np.random.default_rng(11)
    demand = np.column_stack([rng.uniform(105.5, 106.5, 200), rng.uniform(34.5, 35.2, 200)])
    candidates = demand[rng.choice(200, 12, replace=False)]
    weights = rng.integers(50, 2000, 200)
    sets = coverage_sets(demand, candidates, 6000)
    best = brute_force_best(sets, weights, np.zeros(200, dtype=bool), 3)
    greedy = sum(s.weight for s in greedy_sites(demand, candidates, [], radius_m=6000, n=3, weights=weights))
    exact = suggest_sites(demand, candidates, [], radius_m=6000, n=3, weights=weights)
    assert greedy >= (1 - 1 / np.e) * best  # greedy's guarantee
    assert exact.weight == best and exact.optimal


@pytest.mark.parametrize("seed", range(8))
def test_random_counties_exact_covers_at_least_greedy_with_existing_stations(seed):
    """Random villages with populations, existing stations and candidate seats (ellipsoidal)."""
    rng = np.random.default_rng(seed)
    villages = np.column_stack([rng.uniform(105.6, 106.2, 250), rng.uniform(34.6, 35.0, 250)])
    people = rng.integers(80, 3000, 250)
    existing = villages[rng.choice(250, 4, replace=False)] + 0.002
    candidates = np.vstack([villages[rng.choice(250, 40, replace=False)], rng.uniform((105.6, 34.6), (106.2, 35.0), (10, 2))])
    radius = float(rng.choice([4000, 6000, 9000]))
    n = int(rng.integers(1, 6))
    covered = np.zeros(250, dtype=bool)
    for lon, lat in existing:
        _az, _baz, d = GEOD.inv(np.full(250, lon), np.full(250, lat), villages[:, 0], villages[:, 1])
        covered |= d <= radius
    greedy = greedy_sites(villages, candidates, existing, radius_m=radius, n=n, weights=people)
    exact = suggest_sites(villages, candidates, existing, radius_m=radius, n=n, weights=people)
    assert exact.weight >= sum(s.weight for s in greedy)
    assert exact.optimal and not exact.fallback
    assert_well_formed(exact, coverage_sets(villages, candidates, radius), people, covered)


@st.composite
def instances(draw):
    demand = draw(st.integers(1, 30))
    candidates = draw(st.integers(1, 12))
    sets = [
        np.array(sorted(draw(st.sets(st.integers(0, demand - 1), max_size=min(demand, 8)))), dtype=int)
        for _ in range(candidates)
    ]
    weights = np.array(draw(st.lists(st.integers(0, 50), min_size=demand, max_size=demand)), dtype=float)
    covered = np.array(draw(st.lists(st.booleans(), min_size=demand, max_size=demand)), dtype=bool)
    n = draw(st.integers(1, 4))
    return sets, weights, covered, n


def covered_weight(problem, chosen) -> float:
    return float(sum(w for cols, w in zip(problem.rows, problem.weights, strict=True)
                     if set(problem.columns[cols].tolist()) & set(chosen)))


@settings(max_examples=150, deadline=None)
@given(instance=instances())
def test_on_any_instance_the_exact_answer_is_optimal_and_never_below_greedy(instance):
    sets, weights, covered, n = instance
    best = brute_force_best(sets, weights, covered, n)
    greedy = sum(s.weight for s in greedy_choice(sets, weights, covered, n))
    exact = choose_sites(sets, weights, covered, n)
    assert best >= exact.weight >= greedy
    assert exact.weight == best and exact.optimal and not exact.fallback
    assert len(exact) <= n
    assert_well_formed(exact, sets, weights, covered)
    # The solver itself, also where greedy already reached the bound and choose_sites skipped it.
    problem = reduce_problem(sets, weights, covered)
    solution = solve_mclp(problem, n, time_limit_s=20)
    assert solution.optimal and covered_weight(problem, solution.chosen) == best


@pytest.mark.filterwarnings("ignore:.*PuLP 4.0:DeprecationWarning")
def test_the_sparse_model_has_the_optimum_of_spopts_own_cost_matrix_model():
    """Our rows are spopt's maximal coverage constraints without the zero terms."""
    from spopt.locate import MCLP

    rng = np.random.default_rng(5)
    for _ in range(5):
        sets = [np.flatnonzero(rng.random(60) < 0.12) for _ in range(25)]
        weights = rng.integers(1, 100, 60).astype(float)
        covered = rng.random(60) < 0.2
        problem = reduce_problem(sets, weights, covered)
        cost = np.full((len(problem.rows), len(problem.columns)), np.inf)
        for i, cols in enumerate(problem.rows):
            cost[i, cols] = 0.0  # within the service radius (0) exactly where the set says so
        reference = MCLP.from_cost_matrix(cost, problem.weights, service_radius=0, p_facilities=4)
        reference.solve(pulp.PULP_CBC_CMD(msg=False), results=False)
        ours = solve_mclp(problem, 4, time_limit_s=20)
        assert ours.optimal
        assert covered_weight(problem, ours.chosen) == pytest.approx(pulp.value(reference.problem.objective))


def test_demand_covered_by_the_same_candidates_becomes_one_row():
    sets = [np.array([0, 1, 2, 3]), np.array([2, 3, 4]), np.array([5])]
    covered = np.array([False, False, False, False, False, True])
    problem = reduce_problem(sets, np.array([1, 2, 3, 4, 0, 9.0]), covered)
    assert problem.columns.tolist() == [0, 1]  # candidate 2 reaches only covered demand
    rows = {tuple(problem.columns[r].tolist()): w for r, w in zip(problem.rows, problem.weights, strict=True)}
    assert rows == {(0,): 3.0, (0, 1): 7.0}  # demand 4 weighs nothing, demand 5 is covered
    assert problem.coverable == 10.0


def test_more_sites_than_needed_are_not_suggested():
    """spopt opens exactly p sites; the ones that add nothing are dropped, not shown."""
    sets = [np.array([0, 1]), np.array([1, 2]), np.array([0]), np.array([2])]
    choice = choose_sites(sets, np.ones(3), np.zeros(3, dtype=bool), 4)
    assert choice.weight == 3 and len(choice) == 2 and choice.optimal


def test_nothing_to_cover_suggests_nothing():
    sets = [np.array([0]), np.array([], dtype=int)]
    choice = choose_sites(sets, np.ones(1), np.ones(1, dtype=bool), 2)
    assert list(choice) == [] and choice.optimal and choice.note == ""


# --- failures are never silent ------------------------------------------------------------


def test_when_the_solver_fails_the_greedy_answer_is_returned_and_said_so(monkeypatch):
    def broken(*_args, **_kwargs):
        raise MclpError("求解器运行失败（测试）")

    monkeypatch.setattr(sites, "solve_mclp", broken)
    villages = along_a_geodesic([0, 1, 2, 4, 5, 6])
    candidates = along_a_geodesic([1, 5, 3])
    choice = suggest_sites(villages, candidates, [], radius_m=2100, n=2)
    greedy = greedy_sites(villages, candidates, [], radius_m=2100, n=2)
    assert list(choice) == greedy
    assert choice.fallback and choice.method == "greedy" and not choice.optimal
    assert "求解器运行失败（测试）" in choice.note and "贪心" in choice.note


def test_a_missing_cbc_binary_falls_back_to_greedy_with_a_note(monkeypatch):
    monkeypatch.setattr(pulp.PULP_CBC_CMD, "available", lambda self: False)
    sets = [np.array([0, 1, 2]), np.array([3, 4, 5]), np.array([1, 2, 3, 4])]
    choice = choose_sites(sets, np.ones(6), np.zeros(6, dtype=bool), 2)
    assert choice.fallback and choice.weight == 5 and "CBC" in choice.note


def test_an_instance_too_large_to_build_in_time_falls_back_with_a_note(monkeypatch):
    monkeypatch.setattr(mclp, "MAX_NONZEROS", 5)
    sets = [np.array([0, 1, 2]), np.array([3, 4, 5]), np.array([1, 2, 3, 4])]
    choice = choose_sites(sets, np.ones(6), np.zeros(6, dtype=bool), 2)
    assert choice.fallback and choice.weight == 5 and "规模过大" in choice.note


def test_a_solver_stopped_by_the_time_limit_keeps_at_least_the_greedy_answer(monkeypatch):
    """A hard instance (wide, overlapping coverage; CBC needs ~4 s to prove it) and a 0.2 s
    limit: CBC stops early, warm-started from greedy, so the answer is never worse than
    greedy and the planner is told it is not proven optimal."""
    monkeypatch.setattr(mclp, "MIN_SOLVER_SECONDS", 0.2)
    rng = np.random.default_rng(2)
    centres, points = rng.random((1000, 2)), rng.random((1000, 2))
    distances = np.hypot(*(points[None, :, :] - centres[:, None, :]).transpose(2, 0, 1))
    sets = [np.flatnonzero(row <= 0.2) for row in distances]
    weights = rng.integers(100, 3000, 1000).astype(float)
    covered = np.zeros(1000, dtype=bool)
    greedy = sum(s.weight for s in greedy_choice(sets, weights, covered, 10))
    choice = choose_sites(sets, weights, covered, 10, time_limit_s=0.2)
    assert choice.weight >= greedy
    assert not choice.optimal and "时限" in choice.note
    assert_well_formed(choice, sets, weights, covered)


# --- the demo county ----------------------------------------------------------------------


def qingshui_instance(qingshui, kind):
    villages = np.array([(lon, lat) for *_rest, lon, lat in village_seats(qingshui)])
    candidates = np.array([(lon, lat) for *_rest, lon, lat in candidate_sites(qingshui)])
    return villages, candidates, operating_points(kind, qingshui)


def covered_by(existing, villages, radius_m):
    covered = np.zeros(len(villages), dtype=bool)
    for lon, lat in existing:
        _az, _baz, d = GEOD.inv(np.full(len(villages), lon), np.full(len(villages), lat), villages[:, 0], villages[:, 1])
        covered |= d <= radius_m
    return covered


def test_on_qingshui_two_stations_cover_at_least_as_many_villages_as_greedy(demo_facilities, qingshui):
    villages, candidates, existing = qingshui_instance(qingshui, Kind.CHILD_PROTECTION_STATION)
    greedy = greedy_sites(villages, candidates, existing, radius_m=10_000, n=2)
    exact = suggest_sites(villages, candidates, existing, radius_m=10_000, n=2)
    assert exact.weight >= sum(s.weight for s in greedy) > 0
    assert len(exact) == 2 and exact.optimal and not exact.fallback
    sets, covered = coverage_sets(villages, candidates, 10_000), covered_by(existing, villages, 10_000)
    assert_well_formed(exact, sets, np.ones(len(villages)), covered)
    # Here greedy already reaches every village a seat can reach, which proves it optimal
    # and skips the solver; the solver, asked anyway, agrees.
    problem = reduce_problem(sets, np.ones(len(villages)), covered)
    solution = solve_mclp(problem, 2, time_limit_s=20)
    assert solution.optimal and covered_weight(problem, solution.chosen) == exact.weight


def test_on_qingshui_the_exact_model_sometimes_beats_greedy_and_never_loses(demo_facilities, qingshui):
    """Radii and counts a planner might try; greedy falls short in some of them
    (e.g. 3 stations at 5 km, 5 elderly-service centres at 10 km on the demo data)."""
    gains = []
    for kind, radius_km, n in [
        (Kind.CHILD_PROTECTION_STATION, 5, 3), (Kind.CHILD_PROTECTION_STATION, 5, 8),
        (Kind.CHILD_PROTECTION_STATION, 6, 8), (Kind.ELDERLY_SERVICE_CENTER, 10, 5),
        (Kind.HAPPINESS_HOME, 3, 4),
    ]:
        villages, candidates, existing = qingshui_instance(qingshui, kind)
        greedy = sum(s.weight for s in greedy_sites(villages, candidates, existing, radius_m=radius_km * 1000, n=n))
        exact = suggest_sites(villages, candidates, existing, radius_m=radius_km * 1000, n=n)
        assert exact.optimal and not exact.fallback
        gains.append(exact.weight - greedy)
    assert min(gains) >= 0 and max(gains) > 0
