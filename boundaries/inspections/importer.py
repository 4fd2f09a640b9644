"""Import the marker register (界桩成果表) of one line from CSV, Shapefile or GeoPackage.

The frame every importer shares (``geoapp.imports.run_import``): every row is read and
checked first, the file as a whole is checked (GB/T 17796 numbering: duplicates, wrong
letters, serials out of order along the line, A on the smaller code's side), and rows
are written only when *everything* passed; a failed import writes nothing and reports
one reason per row. Rows are upserted by number on the line, so importing the same file
twice changes nothing. Coordinates: CSV columns 经度/纬度 (CGCS2000 unless ``srid`` is
given); Shapefile/GeoPackage point geometry in any CRS GDAL reads (transformed with PROJ).
GCJ-02/BD-09 are refused: survey registers are never in consumer-map datums.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.gis.gdal import DataSource, GDALException
from django.contrib.gis.geos import Point
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from boundaries.inspections.geometry import locate_along, side_of
from boundaries.inspections.models import BoundaryMarker, ReferenceObject
from boundaries.inspections.numbering import MarkerEntry, check_numbering, line_prefix, parse_number
from boundaries.models import BoundaryLine, Division, Source
from geoapp.gis import CGCS2000, GEOD
from geoapp.imports import ImportFailed, ImportReport, run_import
from geoapp.safezip import UnsafeArchive, safe_extract

SUPPORTED_SUFFIXES = (".csv", ".shp", ".gpkg", ".zip")
MAX_BYTES = 20 * 1024 * 1024

# Column names accepted for each field (first match wins); CSV headers or layer fields.
FIELDS = {
    "number": ("编号", "界桩编号", "number", "BH"),
    "lon": ("经度", "lon", "longitude", "x", "X"),
    "lat": ("纬度", "lat", "latitude", "y", "Y"),
    "elevation": ("高程", "elevation", "GC"),
    "material": ("材质", "material", "CZ"),
    "set_on": ("埋设日期", "set_on", "date", "MSRQ"),
    "managed_by": ("管理方", "管理方代码", "managed_by", "GLF"),
    "references": ("方位物", "references", "FWW"),
    "note": ("说明", "备注", "note"),
}
# Columns written by the CSV export (the same names, so an export imports again).
EXPORT_COLUMNS = ("编号", "经度", "纬度", "高程", "材质", "埋设日期", "管理方", "方位物", "最近状况", "说明")


@dataclass
class _Row:
    row: int
    number: str
    serial: int
    letter: str
    point: Point
    elevation: float | None
    material: str
    set_on: dt.date | None
    managed_by: Division | None
    references: list[dict]
    note: str


def _pick(columns, name: str) -> str | None:
    for candidate in FIELDS[name]:
        if candidate in columns:
            return candidate
    return None


def _records_csv(path: Path, srid: int | None):
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFailed("无法识别 CSV 文件的编码（应为 UTF-8 或 GB18030）")
    reader = csv.DictReader(io.StringIO(text))
    columns = reader.fieldnames or []
    lon_col, lat_col = _pick(columns, "lon"), _pick(columns, "lat")
    if not _pick(columns, "number") or not lon_col or not lat_col:
        raise ImportFailed(f"CSV 须有“编号”“经度”“纬度”列；现有列：{'、'.join(columns)}")
    transformer = _transformer(CRS.from_epsg(srid)) if srid else None
    for index, record in enumerate(reader, start=2):
        try:
            x, y = float(record[lon_col]), float(record[lat_col])
        except (TypeError, ValueError):
            yield index, record, None, f"坐标无效：{record.get(lon_col)!r}, {record.get(lat_col)!r}"
            continue
        if transformer is not None:
            x, y = transformer.transform(x, y)
        yield index, record, (x, y), None


def _transformer(source_crs: CRS) -> Transformer | None:
    if source_crs.equals(CRS.from_epsg(CGCS2000), ignore_axis_order=True):
        return None
    return Transformer.from_crs(source_crs, CRS.from_epsg(CGCS2000), always_xy=True)


def _records_layer(path: Path, workdir: Path, srid: int | None):
    if path.suffix.lower() == ".zip":
        try:
            files = safe_extract(path, workdir)
        except UnsafeArchive as exc:
            raise ImportFailed(str(exc)) from exc
        candidates = [f for f in files if f.suffix.lower() in (".shp", ".gpkg", ".csv")]
        if len(candidates) != 1:
            raise ImportFailed(f"zip 中应恰有一个 .shp/.gpkg/.csv 文件，找到 {len(candidates)} 个")
        path = candidates[0]
        if path.suffix.lower() == ".csv":
            yield from _records_csv(path, srid)
            return
    try:
        source = DataSource(str(path), encoding="utf-8")
        layer = source[0]
    except (GDALException, IndexError) as exc:
        raise ImportFailed(f"无法读取 {path.name}：{exc}") from exc
    if not _pick(layer.fields, "number"):
        raise ImportFailed(f"图层须有“编号”字段；现有字段：{'、'.join(layer.fields)}")
    if srid:
        source_crs = CRS.from_epsg(srid)
    elif layer.srs is None:
        raise ImportFailed("文件没有坐标参考系（Shapefile 缺少 .prj），请指定 EPSG 代码")
    else:
        try:
            source_crs = CRS.from_wkt(layer.srs.wkt)
        except CRSError as exc:
            raise ImportFailed(f"无法识别文件的坐标参考系：{exc}") from exc
    transformer = _transformer(source_crs)
    for index, feature in enumerate(layer, start=1):
        record = {name: feature.get(name) for name in layer.fields}
        geom = feature.geom
        if geom is None or geom.geom_type.name not in ("Point", "Point25D"):
            yield index, record, None, "几何应为点"
            continue
        x, y = geom.x, geom.y
        if transformer is not None:
            x, y = transformer.transform(x, y)
        yield index, record, (x, y), None


def _text(record: dict, name: str) -> str:
    column = _pick(record, name)
    value = record.get(column) if column else None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _references(text: str) -> list[dict]:
    """``名称|方位角|距离|描述;…`` → reference objects."""
    out = []
    for part in filter(None, (p.strip() for p in text.replace("；", ";").split(";"))):
        bits = [b.strip() for b in part.split("|")]
        name = bits[0]
        bearing = float(bits[1]) if len(bits) > 1 and bits[1] else None
        distance = float(bits[2]) if len(bits) > 2 and bits[2] else None
        out.append({"name": name, "bearing_deg": bearing, "distance_m": distance,
                    "description": bits[3] if len(bits) > 3 else ""})
    return out


def import_markers(path, *, line: BoundaryLine, user=None, dry_run: bool = False, srid: int | None = None,
                   source: str = Source.IMPORTED, display_name: str | None = None) -> ImportReport:
    """Import the marker register of ``line`` from ``path``; writes only if every row passes."""
    path = Path(path)
    line = BoundaryLine.objects.select_related("left", "right").get(pk=line.pk)
    report = ImportReport(source=display_name or path.name, context=f"界线 {line}", dry_run=dry_run, noun="界桩")

    def read(report: ImportReport) -> list[_Row]:
        if user is not None and not BoundaryLine.objects.for_user(user).filter(pk=line.pk).exists():
            raise ImportFailed("该界线不在您的辖区内，不能导入其界桩")
        if not path.exists() or path.suffix.lower() not in SUPPORTED_SUFFIXES:
            raise ImportFailed(f"不支持的文件：{path.name}；支持 CSV、Shapefile（可 zip 压缩）、GeoPackage")
        if path.stat().st_size > MAX_BYTES:
            raise ImportFailed(f"文件超过 {MAX_BYTES // 1024 // 1024} MB")
        rows = _read_rows(path, line, srid, report)
        if report.rows == 0:
            raise ImportFailed("文件中没有界桩记录")
        _check_register(rows, line, report)
        return rows

    return run_import(report, read=read, write=lambda rows, report: _write(rows, line, report, source))


def _read_rows(path: Path, line: BoundaryLine, srid: int | None, report: ImportReport) -> list[_Row]:
    """Every record of the file, each checked on its own (number, position, fields)."""
    sides = {d.code: d for d in (line.left, line.right) if d is not None}
    max_off_m = float(getattr(settings, "CIVATLAS_MARKER_MAX_OFF_LINE_M", 500))
    rows: list[_Row] = []
    with tempfile.TemporaryDirectory() as workdir:
        records = (_records_csv(path, srid) if path.suffix.lower() == ".csv"
                   else _records_layer(path, Path(workdir), srid))
        for index, record, xy, problem in records:
            report.rows += 1
            number = _text(record, "number")
            if not problem:
                row, problem = _check_row(index, record, number, xy, line, sides, max_off_m)
            if problem:
                report.refuse(index, problem, key=number or "无编号")
            else:
                rows.append(row)
    return rows


def _check_register(rows: list[_Row], line: BoundaryLine, report: ImportReport) -> None:
    """The register as a whole (GB/T 17796 numbering): the file's rows plus the markers
    of the line not in the file."""
    prefix = line_prefix(left_name=line.left.name, left_code=line.left.code,
                         right_name=line.right.name if line.right_id else "",
                         right_code=line.right.code if line.right_id else "", line_id=line.pk)
    in_file = {(r.serial, r.letter) for r in rows}
    kept = [m for m in BoundaryMarker.objects.along(line) if (m.serial, m.letter) not in in_file]
    positions = locate_along(line.geom, [r.point for r in rows] + [m.geom for m in kept])
    entries = [MarkerEntry(f"第 {r.row} 行", r.number, positions[i], side_of(line, r.point)) for i, r in enumerate(rows)]
    entries += [MarkerEntry(f"已登记 {m.number}", m.number, positions[len(rows) + i], side_of(line, m.geom))
                for i, m in enumerate(kept)]
    by_key = {f"第 {r.row} 行": r for r in rows}
    for problem in check_numbering(entries, prefix=prefix):
        row = by_key.get(problem.key)
        report.refuse(row.row if row else 0, problem.reason, field="number", key=problem.number or "无编号")
    report.errors.sort(key=lambda e: e.line)


def _check_row(index, record, number, xy, line, sides, max_off_m) -> tuple[_Row | None, str | None]:
    try:
        parsed = parse_number(number)
    except ValueError as exc:
        return None, str(exc)
    lon, lat = xy
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None, f"坐标超出范围：{lon}, {lat}"
    point = Point(lon, lat, srid=CGCS2000)
    nearest = line.geom.interpolate(line.geom.project(point)) if line.geom.geom_type == "LineString" else None
    if nearest is None:
        import shapely

        shape = shapely.from_wkb(bytes(line.geom.wkb))
        near = shapely.ops.nearest_points(shape, shapely.Point(lon, lat))[0]
        nearest = (near.x, near.y)
    else:
        nearest = (nearest.x, nearest.y)
    off = GEOD.inv(lon, lat, nearest[0], nearest[1])[2]
    if off > max_off_m:
        return None, f"位置距界线 {off:.0f} 米，超过 {max_off_m:.0f} 米：请核对坐标或坐标系"
    elevation_text = _text(record, "elevation")
    try:
        elevation = float(elevation_text) if elevation_text else None
    except ValueError:
        return None, f"高程无效：{elevation_text}"
    date_text = _text(record, "set_on")
    try:
        set_on = dt.date.fromisoformat(date_text.replace("/", "-")) if date_text else None
    except ValueError:
        return None, f"埋设日期无效：{date_text}（应为 YYYY-MM-DD）"
    managed_text = _text(record, "managed_by")
    managed = None
    if managed_text:
        code = managed_text.ljust(12, "0") if managed_text.isdigit() else ""
        managed = sides.get(code) or next((d for d in sides.values() if d.name == managed_text), None)
        if managed is None:
            return None, f"管理方“{managed_text}”不是本界线的任何一方（{'、'.join(d.name for d in sides.values())}）"
    try:
        references = _references(_text(record, "references"))
    except ValueError:
        return None, "方位物格式无效（应为 名称|方位角|距离|描述，多个用分号分隔）"
    return _Row(index, number, parsed.serial, parsed.letter, point, elevation, _text(record, "material"), set_on,
                managed, references, _text(record, "note")), None


def _write(rows: list[_Row], line: BoundaryLine, report: ImportReport, source: str) -> None:
    existing = {(m.serial, m.letter): m for m in BoundaryMarker.objects.select_for_update(of=("self",)).filter(line=line).order_by("pk")}
    create, update = [], []
    for row in rows:
        values = {"number": row.number, "geom": row.point, "elevation_m": row.elevation, "material": row.material,
                  "set_on": row.set_on, "managed_by": row.managed_by, "note": row.note}
        marker = existing.get((row.serial, row.letter))
        if marker is None:
            create.append(BoundaryMarker(line=line, serial=row.serial, letter=row.letter, source=source, **values))
            report.created.append(row.number)
            continue
        changed = any(
            (not getattr(marker, k).equals_exact(v, 1e-7)) if k == "geom" else getattr(marker, k) != v
            for k, v in values.items()
        )
        if changed:
            for k, v in values.items():
                setattr(marker, k, v)
            update.append(marker)
            report.updated.append(row.number)
        else:
            report.unchanged.append(row.number)
    bulk_create_with_history(create, BoundaryMarker)
    if update:
        bulk_update_with_history(update, BoundaryMarker, ["number", "geom", "elevation_m", "material", "set_on",
                                                          "managed_by", "note"])
    markers = {(m.serial, m.letter): m for m in BoundaryMarker.objects.filter(line=line)}
    for row in rows:
        if not row.references:
            continue
        marker = markers[(row.serial, row.letter)]
        current = [(r.name, r.bearing_deg, r.distance_m, r.description) for r in marker.references.all()]
        wanted = [(r["name"], r["bearing_deg"], r["distance_m"], r["description"]) for r in row.references]
        if current != wanted:
            marker.references.all().delete()
            ReferenceObject.objects.bulk_create([ReferenceObject(marker=marker, **r) for r in row.references])


def export_rows(markers) -> list[list[str]]:
    """Rows of the CSV export (header first), in the import's column names."""
    out = [list(EXPORT_COLUMNS)]
    for m in markers:
        refs = ";".join(
            f"{r.name}|{'' if r.bearing_deg is None else f'{r.bearing_deg:g}'}|"
            f"{'' if r.distance_m is None else f'{r.distance_m:g}'}|{r.description}"
            for r in m.references.all()
        )
        out.append([
            m.number, f"{m.geom.x:.8f}", f"{m.geom.y:.8f}", "" if m.elevation_m is None else f"{m.elevation_m:g}",
            m.material, m.set_on.isoformat() if m.set_on else "", m.managed_by.code if m.managed_by_id else "",
            refs, m.get_condition_display(), m.note,
        ])
    return out
