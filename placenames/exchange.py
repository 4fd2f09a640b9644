"""Import and export the gazetteer as CSV and GeoPackage, in the national database's terms.

Columns follow the national place-name database (国家地名信息库, DOMAIN.md §4):
``standard_name``, ``roman_alphabet_spelling``, ``place_type_code`` (our GB/T 18521 class
slug), ``old_name``, ``place_meaning``, ``place_origin``, ``government_history``,
``minority_name`` plus our own (division code, category subclass, status, protected flag,
source) and the geometry (CSV: ``lon``/``lat`` for points or ``wkt``; GeoPackage: the
geometry column, CGCS2000).

``import_placenames(path, *, user, dry_run=False) -> ImportReport`` reads every row first,
checks each (name, class, division current and inside the user's jurisdiction, geometry
valid and in lon/lat range) and writes only when all pass: a failed import writes
nothing. Rows with a ``code`` are upserted by it; rows without one by (name, division).
Matching and writing stay inside the user's jurisdiction: a code that
belongs to a name outside it, or that appears twice in the file, refuses the row. Cells
with a NUL byte, an empty or non-finite geometry, or a formula prefix in the name are
refused too (docs/security.md).
Romanization and search keys are computed by ``placenames.actions`` as everywhere else.
"""

from __future__ import annotations

import csv
import io
import json
import math
import tempfile
from pathlib import Path

from django.contrib.gis.gdal import DataSource, GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry

from boundaries.export import ExportFailed, run_ogr2ogr
from boundaries.models import Division
from geoapp import csvsafe
from geoapp.csvsafe import formula_problem
from geoapp.gis import CGCS2000
from geoapp.imports import ImportFailed, ImportReport, RowError, run_import
from geoapp.jurisdiction import normalise_code
from placenames.actions import create_place_name, rename_place
from placenames.models import Category, FormerName, NameStatus, PlaceName

# Our field → the national database's column name (the CSV header and GeoPackage field).
COLUMNS = {
    "code": "code",
    "standard_name": "standard_name",
    "romanization": "roman_alphabet_spelling",
    "sign_text": "sign_text",
    "category": "place_type_code",
    "subclass": "subclass",
    "division": "division_code",
    "meaning": "place_meaning",
    "origin": "place_origin",
    "history_text": "government_history",
    "minority_name": "minority_name",
    "former": "old_name",
    "status": "status",
    "protected": "protected",
    "source": "source",
}
FORMER_SEPARATOR = "；"  # several former names in one cell
MAX_ROWS = 200_000  # the command line; the web upload uses settings.CIVATLAS_MAX_IMPORT_ROWS


# --- export ---------------------------------------------------------------------------------


def _rows(places) -> list[dict]:
    out = []
    for place in places.select_related("division").prefetch_related("former_names").order_by("division__code", "id"):
        row = {COLUMNS[key]: getattr(place, key) for key in ("code", "standard_name", "romanization", "sign_text",
                                                            "category", "subclass", "meaning", "origin",
                                                            "history_text", "minority_name", "status", "source")}
        row[COLUMNS["division"]] = place.division.code if place.division_id else ""
        row[COLUMNS["protected"]] = "1" if place.protected else "0"
        row[COLUMNS["former"]] = FORMER_SEPARATOR.join(f.name for f in place.former_names.all())
        row["geometry"] = place.geom
        out.append(row)
    return out


def export_csv(places) -> bytes:
    """CSV (UTF-8 with BOM, so Excel opens Chinese correctly) with lon/lat or WKT."""
    buffer = io.StringIO()
    header = [*COLUMNS.values(), "lon", "lat", "wkt"]
    writer = csvsafe.SafeDictWriter(buffer, fieldnames=header)
    writer.writeheader()
    for row in _rows(places):
        geom = row.pop("geometry")
        if geom is not None and geom.geom_type == "Point":
            row.update(lon=f"{geom.x:.7f}", lat=f"{geom.y:.7f}", wkt="")
        else:
            row.update(lon="", lat="", wkt=geom.wkt if geom is not None else "")
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_gpkg(places) -> bytes:
    """A GeoPackage with one layer ``placenames`` per geometry type present (CGCS2000)."""
    features = []
    for row in _rows(places):
        geom = row.pop("geometry")
        features.append({"type": "Feature", "properties": row,
                         "geometry": json.loads(geom.json) if geom is not None else None})
    with tempfile.TemporaryDirectory(prefix="civatlas-names-") as work:
        source = Path(work) / "placenames.geojson"
        source.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False), "utf-8")
        target = Path(work) / "placenames.gpkg"
        run_ogr2ogr(["-f", "GPKG", str(target), str(source), "-nln", "placenames", "-nlt", "GEOMETRY"])
        return target.read_bytes()


# --- import ---------------------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed("CSV 文件应为 UTF-8 编码") from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = {COLUMNS["standard_name"], COLUMNS["category"], COLUMNS["division"]} - set(reader.fieldnames or [])
    if missing:
        raise ImportFailed(f"缺少列：{'、'.join(sorted(missing))}；表头应使用国家地名信息库字段名")
    rows = []
    for index, row in enumerate(reader, start=2):
        if index > MAX_ROWS + 1:
            raise ImportFailed(f"一次最多导入 {MAX_ROWS} 行")
        geom = None
        if (row.get("wkt") or "").strip():
            geom = row["wkt"].strip()
        elif (row.get("lon") or "").strip() or (row.get("lat") or "").strip():
            geom = f"POINT({(row.get('lon') or '').strip()} {(row.get('lat') or '').strip()})"
        rows.append({**row, "_line": index, "_geom": geom})
    return rows


def _read_gpkg(path: Path) -> list[dict]:
    try:
        layer = DataSource(str(path), encoding="utf-8")[0]
    except (GDALException, IndexError) as exc:
        raise ImportFailed(f"无法读取 GeoPackage：{exc}") from exc
    if layer.srs is not None and layer.srs.srid not in (None, CGCS2000, 4326):
        raise ImportFailed(f"坐标系应为 CGCS2000（EPSG:4490），文件为 EPSG:{layer.srs.srid}")
    rows = []
    for index, feature in enumerate(layer, start=1):
        row = {name: feature.get(name) for name in layer.fields}
        row = {k: ("" if v is None else str(v)) for k, v in row.items()}
        rows.append({**row, "_line": index, "_geom": feature.geom.wkt if feature.geom else None})
    return rows


def _check(row: dict, *, user, divisions: dict[str, Division]) -> tuple[dict, str]:
    """The row's clean values, or the reason it is refused."""
    if any("\x00" in str(value) for value in row.values() if value is not None):
        return {}, "含有空字符（NUL）"
    name = (row.get(COLUMNS["standard_name"]) or "").strip()
    if not name:
        return {}, "标准名称为空"
    if problem := formula_problem(name):
        return {}, problem
    category = (row.get(COLUMNS["category"]) or "").strip()
    if category not in Category.values:
        return {}, f"类别 {category!r} 不是 GB/T 18521 大类（{'、'.join(Category.values)}）"
    try:
        code = normalise_code((row.get(COLUMNS["division"]) or "").strip())
    except ValueError as exc:
        return {}, str(exc)
    division = divisions.get(code)
    if division is None:
        return {}, f"区划 {code} 不是现行区划"
    if not user.can_act_on(code):
        return {}, f"区划 {code} 不在您的辖区内"
    geom = None
    if row["_geom"]:
        try:
            geom = GEOSGeometry(row["_geom"], srid=CGCS2000)
        except (GEOSException, ValueError, GDALException, TypeError):
            return {}, f"几何无法解析（{row['_geom'][:60]}）"
        if geom.empty:
            return {}, "几何为空（EMPTY）"
        try:
            minx, miny, maxx, maxy = geom.extent
        except ValueError:  # GEOS gives no extent for NaN coordinates
            return {}, "坐标不是有限数（nan/inf）"
        if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
            return {}, "坐标不是有限数（nan/inf）"
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            return {}, "坐标超出经纬度范围（应为 CGCS2000 经纬度）"
        if not geom.valid:
            return {}, f"几何无效（{geom.valid_reason}）"
    status = (row.get(COLUMNS["status"]) or NameStatus.STANDARD).strip()
    if status not in NameStatus.values:
        return {}, f"状态 {status!r} 无效"
    clean = {
        "_line": row["_line"],
        "code": (row.get(COLUMNS["code"]) or "").strip(), "standard_name": name, "category": category,
        "division": division, "geom": geom, "status": status,
        "subclass": (row.get(COLUMNS["subclass"]) or "").strip(),
        "meaning": row.get(COLUMNS["meaning"]) or "", "origin": row.get(COLUMNS["origin"]) or "",
        "history_text": row.get(COLUMNS["history_text"]) or "",
        "minority_name": (row.get(COLUMNS["minority_name"]) or "").strip(),
        "protected": (row.get(COLUMNS["protected"]) or "").strip() in ("1", "true", "True", "是"),
        "former": [n.strip() for n in (row.get(COLUMNS["former"]) or "").split(FORMER_SEPARATOR) if n.strip()],
    }
    return clean, ""


def import_placenames(path: str | Path, *, user, dry_run: bool = False) -> ImportReport:
    """Check every row, then upsert all of them in one transaction (or none)."""
    path = Path(path)

    def read(report: ImportReport) -> list[dict]:
        rows = _read(path)
        report.rows = len(rows)
        codes = set()
        for row in rows:
            try:
                codes.add(normalise_code((row.get(COLUMNS["division"]) or "").strip()))
            except ValueError:
                continue
        divisions = {d.code: d for d in Division.objects.current().filter(code__in=codes)}
        checked = []
        for row in rows:
            clean, problem = _check(row, user=user, divisions=divisions)
            if problem:
                name = str(row.get(COLUMNS["standard_name"]) or "").replace("\x00", "")
                report.refuse(row["_line"], problem, key=name)
            else:
                checked.append(clean)
        report.errors += _code_problems(checked, user=user)
        return checked

    def write(checked: list[dict], report: ImportReport) -> None:
        scope = PlaceName.objects.for_user(user)
        for clean in checked:
            _upsert(clean, report, scope=scope)

    return run_import(ImportReport(source=str(path), dry_run=dry_run, noun="地名"), read=read, write=write)


def _read(path: Path) -> list[dict]:
    if not path.exists():
        raise ImportFailed(f"文件不存在：{path}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".gpkg":
        return _read_gpkg(path)
    raise ImportFailed("只支持 .csv 和 .gpkg")


def _code_problems(checked: list[dict], *, user) -> list[RowError]:
    """A code twice in the file, or a code that names a place outside the jurisdiction."""
    problems = []
    lines: dict[str, list[int]] = {}
    for clean in checked:
        if clean["code"]:
            lines.setdefault(clean["code"], []).append(clean["_line"])
    for code, at in lines.items():
        if len(at) > 1:
            problems.append(RowError(at[-1], f"代码 {code} 在文件中重复出现（第 {'、'.join(map(str, at))} 行）",
                                     field=COLUMNS["code"]))
    outside = (PlaceName.objects.filter(code__in=list(lines)).exclude(pk__in=PlaceName.objects.for_user(user))
               .values_list("code", flat=True))
    for code in sorted(set(outside)):
        problems.append(RowError(lines[code][0], f"代码 {code} 已属于您辖区以外的地名，不能由本次导入修改",
                                 field=COLUMNS["code"]))
    return problems


def _upsert(clean: dict, report: ImportReport, *, scope) -> None:
    former = clean.pop("former")
    name = clean.pop("standard_name")
    clean.pop("_line")
    # Only names inside the user's jurisdiction are matched (and so rewritten).
    existing = (scope.filter(code=clean["code"]).first() if clean["code"]
                else scope.filter(standard_name=name, division=clean["division"]).first())
    if existing is None:
        place = create_place_name(standard_name=name, source="imported", **clean)
        report.created.append(name)
    else:
        if existing.standard_name != name:
            rename_place(place=existing, new_name=name, effective=existing.updated_at.date(), note="导入时更名")
        for key, value in clean.items():
            setattr(existing, key, value)
        existing.save()
        place = existing
        report.updated.append(name)
    known = set(place.former_names.values_list("name", flat=True))
    for old in former:
        if old not in known and old != place.standard_name:
            FormerName.objects.create(place=place, name=old, note="导入")


__all__ = ["ExportFailed", "ImportFailed", "ImportReport", "export_csv", "export_gpkg", "import_placenames"]
