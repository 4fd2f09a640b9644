"""Benchmark: facility gap analysis (prints measured numbers; nothing is asserted).

1. 清水县 on the development database (`make setup` and
   `manage.py load_demo_facilities` first): ``analyse_gaps`` end to end (queries,
   KD-tree, exact distances, norms) and through the API.
2. A generated province-sized set, 25,000 village seats and 5,000 facilities spread over
   Gansu's extent (92.5-108.5°E, 32.5-42.5°N): the nearest-facility pass
   (``facilities.coverage.nearest``) and the per-township aggregation, without the
   database fetch; and a greedy site suggestion at that scale.
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

from boundaries.models import Division  # noqa: E402
from facilities.coverage import nearest  # noqa: E402
from facilities.gaps import analyse_gaps  # noqa: E402
from facilities.models import Facility  # noqa: E402
from facilities.scenarios import plan_sites  # noqa: E402
from facilities.sites import suggest_sites  # noqa: E402
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
    median, worst = timed(lambda: plan_sites(division=qingshui, kind="child_protection_station", radius_km=10, count=2))
    print(f"清水县 site suggestion (2 stations among township and village seats): "
          f"median {median:.1f} ms, max {worst:.1f} ms")
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
    print(f"province-sized set ({villages:,} villages, {facilities:,} facilities, {townships:,} townships): "
          f"nearest + per-township gap table median {median:.0f} ms, max {worst:.0f} ms")

    # Site suggestion at province scale: 10 new sites among the township seats, radius 10 km.
    candidates = np.column_stack([rng.uniform(92.5, 108.5, townships), rng.uniform(32.5, 42.5, townships)])
    median, worst = timed(lambda: suggest_sites(targets, candidates, sources, radius_m=10_000, n=10), repeat=3)
    print(f"province-sized site suggestion (10 sites among {townships:,} candidates): "
          f"median {median:.0f} ms, max {worst:.0f} ms")


if __name__ == "__main__":
    county()
    province()
