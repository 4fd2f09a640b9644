"""Benchmark: the joint-inspection schedule of every demo line and one inspection report
(HTML and PDF), on the development database with the inspection demo loaded (prints
measured numbers; asserts nothing). `DATABASE_URL=… .venv/bin/python bench/bench_inspections.py`"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoapp.settings")

import django  # noqa: E402

django.setup()

from boundaries.inspections.demo import load_demo_inspections  # noqa: E402
from boundaries.inspections.geometry import walked_share  # noqa: E402
from boundaries.inspections.models import JointInspection  # noqa: E402
from boundaries.inspections.reports import render_report_html, render_report_pdf  # noqa: E402
from boundaries.inspections.schedule import build_schedule, lines_touching  # noqa: E402
from boundaries.models import BoundaryLine  # noqa: E402


def timed(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


if __name__ == "__main__":
    load_demo_inspections()
    all_lines = BoundaryLine.objects.current()
    ms, schedule = timed(lambda: build_schedule(all_lines), 7)
    print(f"schedule of all {len(schedule.rows)} demo lines: median {ms:.1f} ms "
          f"(overdue or never {len(schedule.overdue)}, due this year {len(schedule.due_this_year)})")
    ms, schedule = timed(lambda: build_schedule(lines_touching("620521000000")), 7)
    print(f"schedule of 清水县 ({len(schedule.rows)} county and township lines): median {ms:.1f} ms")
    inspection = JointInspection.objects.get(round_year=2021, line__right__code="620522000000")
    ms, share = timed(lambda: walked_share(inspection), 7)
    print(f"walked share of {inspection.line} ({share.line_m / 1000:.1f} km, "
          f"{inspection.tracks.count()} track): median {ms:.1f} ms, {share.share:.1%}")
    checks = inspection.marker_checks.count()
    ms, html = timed(lambda: render_report_html(inspection), 5)
    print(f"report HTML ({checks} marker checks with photos): median {ms:.0f} ms, {len(html) / 1024:.0f} KiB")
    ms, pdf = timed(lambda: render_report_pdf(inspection), 3)
    print(f"report PDF (WeasyPrint): median {ms:.0f} ms, {len(pdf) / 1024:.0f} KiB")
