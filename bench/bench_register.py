"""Benchmark: the one register on the development database.

Prints measured numbers (no assertions). Every change runs inside a transaction that is
rolled back, so the demo data is left as it was.

* merge 黄门镇 into 王河镇 (清水县): propose (trial run in a savepoint: divisions, lines,
  names, signs, facilities, then rolled back) and approve (the same, for real);
* check_register within 清水县 and over the whole demo.
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

import datetime as dt  # noqa: E402

from django.db import transaction  # noqa: E402

from boundaries.division_changes import approve_division_change, propose_merge  # noqa: E402
from boundaries.models import Division  # noqa: E402
from boundaries.register import check_register  # noqa: E402
from geoapp.actions import set_up_user  # noqa: E402
from geoapp.roles import Role  # noqa: E402

REPEAT = 3


class Rollback(Exception):
    pass


def merge_once() -> tuple[float, float, dict]:
    timings = {}
    try:
        with transaction.atomic():
            a = set_up_user(username="bench_a", role=Role.ZONING, jurisdiction="620521000000", password="x-bench-1")
            b = set_up_user(username="bench_b", role=Role.ZONING, jurisdiction="620521000000", password="x-bench-1")
            towns = [Division.objects.current().get(code=c) for c in ("620521107000", "620521109000")]
            start = time.perf_counter()
            change = propose_merge(divisions=towns, code="620521107000", name="王河镇", approval_document="bench",
                                   approved_by_body="甘肃省人民政府", effective_date=dt.date(2026, 1, 1), proposed_by=a)
            timings["propose"] = time.perf_counter() - start
            start = time.perf_counter()
            approve_division_change(change=change, approved_by=b)
            timings["approve"] = time.perf_counter() - start
            timings["counts"] = change.trial["counts"]
            start = time.perf_counter()
            report = check_register("620521000000")
            timings["check_after"] = time.perf_counter() - start
            timings["clean_after"] = report.ok
            raise Rollback
    except Rollback:
        pass
    return timings


def main():
    runs = [merge_once() for _ in range(REPEAT)]
    print(f"merge 黄门镇→王河镇: propose (trial) median {statistics.median(r['propose'] for r in runs) * 1000:.0f} ms, "
          f"approve (apply) median {statistics.median(r['approve'] for r in runs) * 1000:.0f} ms; {runs[0]['counts']}")
    print(f"  check_register 620521 after the merge: median {statistics.median(r['check_after'] for r in runs) * 1000:.0f} ms,"
          f" clean={runs[0]['clean_after']}")
    for within in ("620521000000", ""):
        samples = []
        for _ in range(REPEAT if within else 1):  # the whole register: ~150 s on the national dataset
            start = time.perf_counter()
            report = check_register(within)
            samples.append(time.perf_counter() - start)
        print(f"check_register {within or '(whole register)'}: median {statistics.median(samples):.2f} s, "
              f"{len(report.problems)} problems, {len(report.notes)} notes")


if __name__ == "__main__":
    main()
