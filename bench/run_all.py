"""Run the benchmarks in bench/ and write bench/results/latest.md (`make bench`).

    DATABASE_URL=postgis:///civatlas_national .venv/bin/python bench/run_all.py [bench_tiles bench_search …]

Each script runs in its own process (one that fails is reported and the rest still
run), its output is echoed and kept, and the figures the scripts record
(``bench.figures.record``) become the summary table: value, target, ratio to the
target, and the ratio to each peer measured beside it. Without names, every
``bench_*.py`` runs. Nothing is asserted: a missed target is a row that says so.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.figures import FIGURES, RESULTS, figures, machine  # noqa: E402


def _ratio(value: float, target: float | None, lower_is_better: bool) -> str:
    if not target:
        return "—"
    ratio = value / target
    met = ratio <= 1 if lower_is_better else ratio >= 1
    return f"{ratio:.2f} {'met' if met else '**missed**'}"


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"


def summary(rows: list[dict]) -> list[str]:
    lines = ["| group | figure | measured | target | ratio to target | peers (their value; ours ÷ theirs) |",
             "|---|---|---|---|---|---|"]
    for row in rows:
        bound = "—" if row["target"] is None else ("≤ " if row["lower_is_better"] else "≥ ") + _number(row["target"])
        peers = "; ".join(f"{name} {_number(v)} ({row['value'] / v:.2f})" if v else f"{name} —"
                          for name, v in row["peers"].items()) or "—"
        note = f" ({row['note']})" if row["note"] else ""
        lines.append(f"| {row['group']} | {row['metric']}{note} | {_number(row['value'])} {row['unit']} | "
                     f"{bound} | {_ratio(row['value'], row['target'], row['lower_is_better'])} | {peers} |")
    return lines


def main(names: list[str]) -> int:
    scripts = [HERE / f"{n.removesuffix('.py')}.py" for n in names] or sorted(HERE.glob("bench_*.py"))
    RESULTS.mkdir(exist_ok=True)
    FIGURES.unlink(missing_ok=True)
    started = dt.datetime.now(dt.UTC)
    header = machine()
    sections, failed = [], []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        begun = time.perf_counter()
        process = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"}, cwd=HERE.parent)
        output = []
        for line in process.stdout:
            print(line, end="", flush=True)
            output.append(line)
        code = process.wait()
        took = time.perf_counter() - begun
        if code:
            failed.append(script.name)
        status = f"exit {code}, " if code else ""
        sections.append(f"## {script.name} ({status}{took:.0f} s)\n\n```\n{''.join(output[-200:]).rstrip()}\n```\n")
    database = os.environ.get("DATABASE_URL", "(default)")
    text = "\n".join([
        "# make bench — latest results",
        "",
        f"Run {started:%Y-%m-%d %H:%M} UTC on: {header}.",
        f"Database: `{database}`. Scripts: {', '.join(s.name for s in scripts)}."
        + (f" Failed: {', '.join(failed)}." if failed else ""),
        "",
        "## Figures with targets and peers",
        "",
        *summary(figures()),
        "",
        *sections,
    ])
    (RESULTS / "latest.md").write_text(text + "\n", encoding="utf-8")
    print(f"wrote {RESULTS / 'latest.md'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
