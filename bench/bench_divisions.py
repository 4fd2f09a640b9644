"""Benchmark: demo import and the division API on the demo data (prints measured numbers).

Runs against the development database (`make setup` first). Import timing re-imports
the demo layers, which changes nothing (idempotent upsert), so it measures read +
check + compare, the cost of every routine re-import.
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

from boundaries.demo import load_demo_divisions  # noqa: E402


def timed(fn, repeat=20):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def main():
    start = time.perf_counter()
    reports = load_demo_divisions()
    features = sum(r.rows for r in reports)
    print(f"demo re-import: {features} features in {time.perf_counter() - start:.2f} s (all unchanged: "
          f"{all(not r.created and not r.updated for r in reports)})")
    client = Client(HTTP_HOST="localhost")
    cases = {
        "GET /api/divisions/?parent=620500 (7 counties)": "/api/divisions/?parent=620500000000",
        "GET /api/divisions/?parent=620521 (19 townships)": "/api/divisions/?parent=620521000000",
        "GET /api/divisions/?level=township&within=6205 (all 天水市 townships)": "/api/divisions/?level=township&within=6205",
        "GET /api/divisions/620521/ (detail)": "/api/divisions/620521000000/",
        "GET /api/divisions/search?q=镇": "/api/divisions/search?q=%E9%95%87",
    }
    for label, url in cases.items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        median, worst = timed(lambda url=url: client.get(url))
        print(f"{label}: median {median:.1f} ms, max {worst:.1f} ms, {len(response.content) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
