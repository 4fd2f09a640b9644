"""What the benchmarks measured, gathered for bench/results/latest.md.

Each bench script prints its own tables and also calls ``record`` for the figures the
issue sets targets for or compares with a peer: one JSON line per figure in
``bench/results/figures.jsonl``. ``bench/run_all.py`` empties that file, runs every
script, and writes latest.md from it: the machine, the database, and one table of
figures with their ratio to the target and to each peer. Nothing here asserts.
"""

from __future__ import annotations

import json
import math
import os
import platform
import subprocess
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
FIGURES = RESULTS / "figures.jsonl"


def record(group: str, metric: str, value: float, unit: str, *, target: float | None = None,
           lower_is_better: bool = True, peers: dict[str, float] | None = None, note: str = "") -> None:
    """One measured figure: ``value`` in ``unit``; ``target`` the issue's bound (≤ when
    ``lower_is_better``, else ≥); ``peers`` the same figure for other systems (same unit)."""
    RESULTS.mkdir(exist_ok=True)
    row = {"group": group, "metric": metric, "value": value, "unit": unit, "target": target,
           "lower_is_better": lower_is_better, "peers": peers or {}, "note": note}
    with FIGURES.open("a", encoding="utf-8") as out:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def figures() -> list[dict]:
    if not FIGURES.exists():
        return []
    return [json.loads(line) for line in FIGURES.read_text("utf-8").splitlines() if line.strip()]


def percentile(values: list[float], p: float) -> float:
    """The ``p`` (0-100) percentile, nearest rank: the value below which p % of the samples lie."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def machine() -> str:
    """CPU model, cores, memory, OS and PostgreSQL: the line every result starts with."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")) / 1024 / 1024
    except (OSError, StopIteration):
        memory = 0
    try:
        postgres = subprocess.run(["psql", "-Atc", "show server_version", os.environ.get("BENCH_PSQL_URL", "postgres")],
                                  capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        postgres = "?"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0
    return (f"{model or platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB, {platform.platform()}, "
            f"Python {platform.python_version()}, PostgreSQL {postgres}; load average {load:.1f} at the start")
