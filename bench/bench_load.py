"""A short, bounded loopback load run against a running server (``make serve``).

USERS threads for SECONDS seconds, each looping over a mix of public requests: vector
tiles around the demo counties at z8–z12 (cache warm after the first pass), the name
search and the division children JSON. Prints throughput, p50/p95 per kind and errors.
Set CIVATLAS_BENCH_URL (skipped without it: it needs ``make serve`` running). Not locust: no extra package,
the same numbers (requests/s, latency percentiles, error count).
"""

from __future__ import annotations

import os
import random
import statistics
import threading
import time
import urllib.request

BASE = os.environ.get("CIVATLAS_BENCH_URL", "")
USERS = int(os.environ.get("CIVATLAS_BENCH_USERS", "8"))
SECONDS = float(os.environ.get("CIVATLAS_BENCH_SECONDS", "20"))
QUERIES = ["清水", "永清", "qingshui", "yq", "天水", "秦安", "沙坡头", "泰安"]


def _tile(rng):
    import math

    z = rng.choice([8, 9, 10, 11, 12])
    lon, lat = rng.uniform(105.6, 106.6), rng.uniform(34.4, 35.0)
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return "tile", f"/tiles/divisions/{z}/{x}/{y}.mvt"


def _request(rng):
    kind = rng.random()
    if kind < 0.6:
        return _tile(rng)
    if kind < 0.85:
        return "search", f"/api/placenames/search?q={urllib.request.quote(rng.choice(QUERIES))}"
    return "children", "/api/divisions/?parent=620500000000"


def main():
    if not BASE:
        print("bench_load: skipped (set CIVATLAS_BENCH_URL to a running `make serve`)")
        return
    results: dict[str, list[float]] = {}
    errors = []
    lock = threading.Lock()
    stop = time.monotonic() + SECONDS

    def user(seed):
        rng = random.Random(seed)
        while time.monotonic() < stop:
            kind, path = _request(rng)
            started = time.perf_counter()
            try:
                request = urllib.request.Request(BASE + path, headers={"Accept-Encoding": "gzip"})
                with urllib.request.urlopen(request, timeout=30) as response:
                    response.read()
                    ok = response.status == 200
            except Exception as exc:  # noqa: BLE001 — every failure counts as an error
                ok, kind = False, f"{kind} ({type(exc).__name__})"
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                (results.setdefault(kind, []) if ok else errors).append(elapsed)

    threads = [threading.Thread(target=user, args=(i,)) for i in range(USERS)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    total = sum(len(v) for v in results.values())
    print(f"{USERS} users, {wall:.1f} s, {total} requests, {total / wall:.1f} req/s, errors {len(errors)} — {BASE}")
    print("| kind | n | p50 ms | p95 ms |")
    print("|---|---|---|---|")
    for kind, times in sorted(results.items()):
        times.sort()
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(f"| {kind} | {len(times)} | {statistics.median(times):.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
