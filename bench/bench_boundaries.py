"""Benchmark: boundary lines through PostGIS topology, and saving one line edit.

Prints measured numbers (no assertions). Runs against the development database
(`make setup` first) inside transactions that are rolled back, so the demo data and its
lines are left as they were.

* build: the one topology of 甘肃 (the 130 demo townships of 天水市 as faces, counties,
  prefecture and province as hierarchical layers) and the lines of every level (ADR 0014);
* edit: propose (trial-apply in a savepoint, roll back, file) + approve (apply to the
  topology, re-derive both counties and the townships on the line) of a 200 m vertex
  move on 清水县 | 张家川.
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

from django.db import transaction  # noqa: E402

from boundaries.actions import approve_line_edit, build_boundary_lines, propose_line_edit  # noqa: E402
from boundaries.models import BoundaryLine, Division  # noqa: E402
from geoapp.actions import set_up_user  # noqa: E402
from geoapp.roles import Role  # noqa: E402
from tests.boundaries.test_line_edits import _longest_edge, _moved_vertex  # noqa: E402

REPEAT = 5


class Rollback(Exception):
    pass


def rolled_back(fn):
    """Run ``fn`` in a transaction that is always rolled back; return its seconds."""
    start = time.perf_counter()
    try:
        with transaction.atomic():
            fn()
            raise Rollback
    except Rollback:
        pass
    return time.perf_counter() - start


def build(parent_code, level):
    parent = Division.objects.current().get(code=parent_code)
    report = None

    def run():
        nonlocal report
        report = build_boundary_lines(parent=parent, level=level)

    samples = [rolled_back(run) for _ in range(REPEAT)]
    print(f"build topology {parent.name} (all levels): {report.divisions} townships → {report.by_level}, "
          f"{report.total_km:.1f} km; median {statistics.median(samples) * 1000:.0f} ms, max {max(samples) * 1000:.0f} ms")


def edit():
    timings = {"propose": [], "approve": []}

    def run():
        line = BoundaryLine.objects.current().get(level="county", left__code="620521000000",
                                                  right__code="620525000000")
        a = set_up_user(username="bench_a", role=Role.ZONING, jurisdiction="620521000000", password="bench-pass-1")
        b = set_up_user(username="bench_b", role=Role.ZONING, jurisdiction="620500000000", password="bench-pass-1")
        edge_id, coords = _longest_edge(line)
        start = time.perf_counter()
        proposal = propose_line_edit(line=line, base_version=line.version, reason="bench", proposed_by=a,
                                     edges=[{"edge_id": edge_id, "coordinates": _moved_vertex(coords, 200)}])
        middle = time.perf_counter()
        approve_line_edit(edit=proposal, approved_by=b)
        timings["propose"].append(middle - start)
        timings["approve"].append(time.perf_counter() - middle)

    for _ in range(REPEAT):
        rolled_back(run)
    for step, samples in timings.items():
        print(f"line edit {step} (清水县 | 张家川, 200 m): median {statistics.median(samples) * 1000:.0f} ms, "
              f"max {max(samples) * 1000:.0f} ms")


if __name__ == "__main__":
    build("620000000000", None)
    edit()
