"""Benchmark: named place-name searches and check_name calls, in process (Django's test
client, no HTTP server), on the gazetteer in DATABASE_URL (prints measured numbers;
asserts nothing). A fixed list of the queries people type around 清水县, each timed 15
times after a warm-up, so a change to one query's plan shows by name; the per-type
percentiles over many queries through HTTP are bench/bench_search.py, and the national
name checks bench/bench_checks_national.py. Loads the demo place names if missing.

(Its earlier part, a scratch copy of the gazetteer with a million generated names, is
gone: ``make bench`` measures the national dataset itself, ADR 0034.)
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

from django.test import Client  # noqa: E402

from placenames.checks import check_name  # noqa: E402
from placenames.demo import load_demo_placenames  # noqa: E402
from placenames.models import PlaceName  # noqa: E402

SEARCHES = ["qsx", "清水县", "永清", "水", "上湾", "qingshui", "Qīngshuǐ Xiàn", "zanjiacun", "清水线", "620521"]
CHECKS = [
    ("兴国镇", "township", "620521100"),
    ("育新路", "street", "620521100"),
    ("山上湾村", "village", "620522107"),
    ("青水县", "county", "620500"),
    ("曼哈顿花园", "residential", "620521100"),
]


def timed(fn, repeat=15):
    fn()  # warm the cache and the plan
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def measure(label: str, client: Client) -> None:
    print(f"-- {label}: {PlaceName.objects.count():,} names")
    url = "/api/placenames/search"
    for q in SEARCHES:
        n = len(client.get(url, {"q": q}).json()["results"])
        median, worst = timed(lambda q=q: client.get(url, {"q": q}))
        print(f"search q={q!r:18} median {median:7.1f} ms  max {worst:7.1f} ms  ({n} results)")
    for name, kind, code in CHECKS:
        result = check_name(name=name, kind=kind, division_code=code)
        median, worst = timed(lambda a=(name, kind, code): check_name(name=a[0], kind=a[1], division_code=a[2]))
        rules = ",".join(sorted({p.rule for p in result.problems})) or "ok"
        print(f"check_name {name}/{kind:11} median {median:7.1f} ms  max {worst:7.1f} ms  ({rules})")


def main():
    if not PlaceName.objects.filter(code="620521100000").exists():
        print(load_demo_placenames().summary())
    measure("gazetteer", Client(HTTP_HOST="localhost"))


if __name__ == "__main__":
    main()
