"""Benchmark: facility gap analysis (prints measured numbers; nothing is asserted).

1. 清水县 on the development database (`make setup` and
   `manage.py load_demo_facilities` first): ``analyse_gaps`` end to end (queries,
   KD-tree, exact distances, norms) and through the API.
2. A generated province-sized set, 25,000 village seats and 5,000 facilities spread over
   Gansu's extent (92.5-108.5°E, 32.5-42.5°N): the nearest-facility pass
   (``facilities.coverage.nearest``) and the per-township aggregation, without the
   database fetch; and site suggestions at that scale.
3. Site suggestions (docs/adr/0010): the exact MCLP (spopt + CBC, ``suggest_sites``)
   against the greedy baseline (``greedy_sites``) on 清水县 (2 stations) and on the
   province-sized set (10 sites among the 1,600 township seats, and among all 26,600
   township and village seats), with covered weight, proven optimality and the one-off
   cost of importing spopt.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoapp.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.test import Client  # noqa: E402

from bench.figures import record  # noqa: E402
from boundaries.models import Division  # noqa: E402
from facilities.coverage import nearest  # noqa: E402
from facilities.gaps import analyse_gaps, operating_points, village_seats  # noqa: E402
from facilities.models import Facility  # noqa: E402
from facilities.scenarios import candidate_sites, plan_sites  # noqa: E402
from facilities.sites import coverage_sets, greedy_sites, suggest_sites  # noqa: E402
from geoapp.actions import set_up_user  # noqa: E402


def timed(fn, repeat=10):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def county():
    qingshui = Division.objects.current().filter(code="620521000000").first()
    if qingshui is None or not Facility.objects.within("620521").exists():
        print("清水县: no demo facilities in the database (run manage.py load_demo_facilities)")
        return
    for kind in ("child_protection_station", "happiness_home"):
        analyse_gaps(division=qingshui, kind=kind)  # warm imports and caches
        report = analyse_gaps(division=qingshui, kind=kind)
        median, worst = timed(lambda kind=kind: analyse_gaps(division=qingshui, kind=kind))
        villages = sum(r["villages"] for r in report.rows)
        print(f"清水县 gap analysis, {kind}: {villages} villages, {len(report.rows)} townships, "
              f"{len(report.uncovered)} uncovered: median {median:.1f} ms, max {worst:.1f} ms")
    user = set_up_user(username="bench_facilities", role="planner", jurisdiction="620500000000")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    url = "/api/facilities/gaps?division=620521000000&kind=child_protection_station"
    median, worst = timed(lambda: client.get(url))
    print(f"GET {url}: median {median:.1f} ms, max {worst:.1f} ms")
    county_sites(qingshui)
    url = "/api/facilities/?division=620500000000"
    size = len(client.get(url).content)
    median, worst = timed(lambda: client.get(url))
    print(f"GET {url} (天水市, all kinds): median {median:.1f} ms, max {worst:.1f} ms, {size / 1024:.0f} KiB")
    user.delete()


def province(villages=25_000, facilities=5_000, townships=1_600):
    rng = np.random.default_rng(6)
    targets = np.column_stack([rng.uniform(92.5, 108.5, villages), rng.uniform(32.5, 42.5, villages)])
    sources = np.column_stack([rng.uniform(92.5, 108.5, facilities), rng.uniform(32.5, 42.5, facilities)])
    township_of = rng.integers(0, townships, villages)

    def run():
        found = nearest(targets, sources)
        uncovered = found.distance_m > 10_000
        per_township = np.bincount(township_of, weights=uncovered, minlength=townships)
        return np.argsort(-per_township)

    run()
    median, worst = timed(run, repeat=5)
    wrong = wrong_nearest(targets, sources, nearest(targets, sources))
    print(f"province-sized set ({villages:,} villages, {facilities:,} facilities, {townships:,} townships): "
          f"nearest + per-township gap table median {median:.0f} ms, max {worst:.0f} ms; "
          f"nearest facility wrong for {wrong} of {villages:,} villages (checked against every facility)")
    record("facilities", f"gap analysis {villages:,} villages × {facilities:,} facilities (nearest + gap table)", median,
           "ms", target=250, note=f"max {worst:.0f} ms; nearest wrong for {wrong} villages")

    province_sites(rng, targets, sources, townships)


def wrong_nearest(targets, sources, found, chunk=500) -> int:
    """Villages whose nearest facility ``found`` is not the true nearest: every facility's
    great-circle distance (numpy, all pairs), the three nearest of them measured again on
    the ellipsoid; a village counts as wrong if any is more than 1 mm nearer."""
    from geoapp.gis import GEOD

    lon, lat = np.radians(sources[:, 0]), np.radians(sources[:, 1])
    wrong = 0
    for start in range(0, len(targets), chunk):
        part = np.radians(targets[start:start + chunk])
        dlat, dlon = lat[None, :] - part[:, 1:2], lon[None, :] - part[:, 0:1]
        a = np.sin(dlat / 2) ** 2 + np.cos(part[:, 1:2]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
        best = np.argpartition(a, 3, axis=1)[:, :3]
        t = np.repeat(targets[start:start + chunk], 3, axis=0)
        f = sources[best.ravel()]
        _a, _b, exact = GEOD.inv(t[:, 0], t[:, 1], f[:, 0], f[:, 1])
        truth = exact.reshape(-1, 3).min(axis=1)
        wrong += int(np.sum(found.distance_m[start:start + chunk] > truth + 0.001))
    return wrong


def province_gaps(code="330000000000", kind="happiness_home"):
    """``analyse_gaps`` end to end on a real province of the national dataset (浙江:
    25,547 villages, 1,387 townships), synthetic facilities: queries, nearest, norms."""
    division = Division.objects.current().filter(code=code).first()
    if division is None or not Facility.objects.within(code[:2]).filter(kind=kind).exists():
        print(f"{code}: not in this database or no {kind} facilities (the national dataset has them)")
        return
    report = analyse_gaps(division=division, kind=kind)
    median, worst = timed(lambda: analyse_gaps(division=division, kind=kind), repeat=5)
    villages = sum(r["villages"] for r in report.rows)
    count = Facility.objects.within(code[:2]).filter(kind=kind).count()
    print(f"{division.name} gap analysis ({kind}, analyse_gaps end to end): {villages:,} villages, {count:,} "
          f"facilities of the kind, {len(report.rows):,} townships: median {median:.0f} ms, max {worst:.0f} ms")
    record("facilities", f"analyse_gaps {division.name} end to end ({villages:,} villages, {count:,} {kind})", median,
           "ms", target=250, note=f"max {worst:.0f} ms, database reads included")


def import_spopt():
    """spopt is imported on the first suggestion (it pulls in geopandas, scikit-learn)."""
    if "spopt.locate" in sys.modules:
        return
    start = time.perf_counter()
    import spopt.locate  # noqa: F401

    print(f"first import of spopt (once per process): {(time.perf_counter() - start) * 1000:.0f} ms")


def compare(label, demand, candidates, existing, *, radius_m, n, repeat=5):
    greedy = greedy_sites(demand, candidates, existing, radius_m=radius_m, n=n)
    exact = suggest_sites(demand, candidates, existing, radius_m=radius_m, n=n)
    g_median, _ = timed(lambda: greedy_sites(demand, candidates, existing, radius_m=radius_m, n=n), repeat=repeat)
    m_median, m_worst = timed(lambda: suggest_sites(demand, candidates, existing, radius_m=radius_m, n=n), repeat=repeat)
    flag = "proven optimal" if exact.optimal else f"NOT proven optimal ({exact.note})"
    if label.startswith("province"):
        record("facilities", f"MCLP {label}", m_median, "ms", peers={"greedy": g_median},
               note=f"covers {exact.weight:.0f} vs greedy {sum(s.weight for s in greedy):.0f}; {flag}")
    print(f"{label}: greedy covers {sum(s.weight for s in greedy):.0f} in {g_median:.0f} ms; "
          f"MCLP ({exact.method}) covers {exact.weight:.0f}, {flag}, median {m_median:.0f} ms, max {m_worst:.0f} ms")


def county_sites(qingshui):
    import_spopt()
    demand = np.array([(lon, lat) for *_rest, lon, lat in village_seats(qingshui)])
    candidates = np.array([(lon, lat) for *_rest, lon, lat in candidate_sites(qingshui)])
    cases = [("child_protection_station", 10, 2), ("child_protection_station", 5, 3), ("elderly_service_center", 10, 5)]
    for kind, radius_km, n in cases:
        compare(f"清水县 {kind}, {n} sites, {radius_km} km ({len(demand)} villages, {len(candidates)} candidate seats)",
                demand, candidates, operating_points(kind, qingshui), radius_m=radius_km * 1000, n=n)
    kind = "child_protection_station"
    median, worst = timed(lambda: plan_sites(division=qingshui, kind=kind, radius_km=10, count=2))
    print(f"清水县 plan_sites end to end (2 stations, queries + MCLP): median {median:.1f} ms, max {worst:.1f} ms")


def province_sites(rng, targets, sources, townships):
    import_spopt()
    seats = np.column_stack([rng.uniform(92.5, 108.5, townships), rng.uniform(32.5, 42.5, townships)])
    everything = np.vstack([seats, targets])
    for label, candidates in (("township seats", seats), ("township + village seats", everything)):
        start = time.perf_counter()
        sets = coverage_sets(targets, candidates, 10_000)
        print(f"province coverage sets, {len(candidates):,} {label}: {(time.perf_counter() - start) * 1000:.0f} ms "
              f"({sum(len(s) for s in sets):,} village-site pairs)")
        compare(f"province 10 sites among {len(candidates):,} {label}, 10 km, 5,000 existing",
                targets, candidates, sources, radius_m=10_000, n=10, repeat=3)
    compare(f"province 10 sites among {townships:,} township seats, 20 km, 5,000 existing",
            targets, seats, sources, radius_m=20_000, n=10, repeat=3)


if __name__ == "__main__":
    county()
    province()
    province_gaps()
