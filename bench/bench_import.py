"""Benchmark: import throughput, names/s and polygons/s (prints measured numbers; asserts nothing).

1. The national load (``manage.py load_national``, run by ``make bench`` through
   scripts/bench_db.sh): the step timings of the last run that wrote anything, from
   bench/results/load_national.json. Real division names are spelt by the romanizer
   (``set_name``), generated names are composed per character; both go in by COPY with
   the gazetteer's 18 secondary indexes dropped; they and the fragment list are rebuilt once after
   both steps (its own step), and "all names" counts that rebuild in.
2. The demo's Shapefiles through the importer users run (``import_divisions``: read,
   reproject, repair, check every outline against its parent, write, all or nothing) as
   a dry run, which writes every row and rolls back: polygons per second.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoapp.settings")

import django  # noqa: E402

django.setup()

from bench.figures import RESULTS, record  # noqa: E402
from boundaries.importer import import_divisions  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGET_NAMES = 20_000
LAYERS = (("counties.shp", "county", True), ("townships.shp", "township", True))


def national() -> None:
    path = RESULTS / "load_national.json"
    if not path.exists():
        print("national load: no timings yet (scripts/bench_db.sh writes bench/results/load_national.json)")
        return
    run = json.loads(path.read_text("utf-8"))
    steps = run["steps"]
    print(f"national load finished {run['finished']} (--workers {run['workers']}):")
    for step in steps:
        print(f"  {step['label']}: {step['rows']:,} rows in {step['seconds']:.1f} s, {step['per_second']:,.0f} rows/s")
    by_key = {step.get("key"): step for step in steps}
    real, generated, rebuild = (by_key.get(k) for k in ("division_names", "generated_names", "name_indexes"))
    if real is None or generated is None:
        print("national load: the timings are from an older loader (no step keys); run scripts/bench_db.sh on a fresh database")
        return
    for step, what in ((real, "real division names (romanized)"), (generated, "generated names")):
        if step["rows"]:
            record("import", f"{what}, national load", step["per_second"], "names/s", lower_is_better=False,
                   note=f"{step['rows']:,} names in {step['seconds']:.0f} s, COPY only (indexes rebuilt after both)")
    rebuild_s = rebuild["seconds"] if rebuild else 0.0
    rows, seconds = real["rows"] + generated["rows"], real["seconds"] + generated["seconds"] + rebuild_s
    if rows:
        record("import", "all names, national load (incl. the index rebuild)", rows / seconds, "names/s",
               target=TARGET_NAMES, lower_is_better=False,
               note=f"{rows:,} names in {seconds:.0f} s, of which {rebuild_s:.0f} s rebuilding the 18 secondary indexes + the fragment list, VACUUM ANALYZE")
    divisions = by_key.get("divisions")
    if divisions and divisions["rows"]:
        record("import", "divisions, national load (outlines + COPY)", divisions["per_second"], "rows/s",
               lower_is_better=False, note=f"{divisions['rows']:,} rows in {divisions['seconds']:.0f} s")


def shapefiles(repeat: int = 3) -> None:
    for file, level, seats in LAYERS:
        times, count = [], 0
        for _ in range(repeat):
            started = time.perf_counter()
            report = import_divisions(ROOT / "data" / "shapefiles" / file, level=level, code_field="CODE",
                                      name_field="NAME", parent_field="PARENT",
                                      seat_fields=("SEAT_X", "SEAT_Y") if seats else None, source_field="SOURCE",
                                      note_field="SRC_NOTE", dry_run=True)
            times.append(time.perf_counter() - started)
            count = report.rows
            if not report.ok:
                print(f"{file}: {report.summary()}")
                return
        median = statistics.median(times)
        print(f"{file} through import_divisions (dry run, written and rolled back): {count} polygons, "
              f"median {median:.2f} s, {count / median:,.0f} polygons/s")
        record("import", f"{file} through the importer (dry run)", count / median, "polygons/s", lower_is_better=False,
               note=f"{count} polygons, median of {repeat}")


if __name__ == "__main__":
    national()
    shapefiles()
