"""Import divisions from Shapefile, GeoPackage or GeoJSON (optionally zipped) via GDAL.

One function, ``import_divisions``, used by the management command, the demo loader
and (later) the web upload. It reads every feature first, checks and converts it, and
writes only when *every* feature passed: a failed import writes nothing (the frame and
report of ``geoapp.imports``, shared by every importer). Rows are
upserted by code among current divisions, so running the same import twice changes
nothing the second time.

Coordinates: any CRS GDAL knows is transformed to CGCS2000 (EPSG:4490) with PROJ;
GCJ-02 and BD-09 (no EPSG code) must be named with ``datum=`` and are converted with
``geoapp.datums``. The source datum is recorded on each division.

Hostile or careless files: attribute text is read as UTF-8, or as
``encoding=`` when given; a Shapefile without a ``.cpg`` whose text is not UTF-8 is read
as GB18030 (GBK, what Chinese desktop GIS writes) and the report says so. A child must
lie inside its parent's current outline, within ``CIVATLAS_IMPORT_PARENT_TOLERANCE_M``
(a township "in Chile" under 清水县 is refused). With ``user=`` every code must lie in
that user's jurisdiction.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from django.conf import settings
from django.contrib.gis.gdal import DataSource, GDALException
from django.contrib.gis.geos import GEOSGeometry
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely.geometry import Point
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from boundaries.codes import Level, kind_of, level_of, parent_code
from boundaries.models import Division, Source
from geoapp.datums import DATUMS, gcj02_to_wgs84_many, to_cgcs2000
from geoapp.geometry import GeometryRejected, check_coordinates, checked_multipolygon
from geoapp.gis import CGCS2000, WGS84
from geoapp.imports import ImportFailed, ImportReport, run_import
from geoapp.jurisdiction import is_within, normalise_code
from geoapp.safezip import UnsafeArchive, safe_extract

SUPPORTED_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".zip")


@dataclass
class _Row:
    code: str
    name: str
    geom: object | None  # GEOS MultiPolygon, SRID 4490
    seat: object | None  # GEOS Point, SRID 4490
    parent_code: str | None
    source: str
    note: str


def _open_layer(path: Path, workdir: Path, layer: str | int, encoding: str = "utf-8"):
    if not path.exists():
        raise ImportFailed(f"文件不存在：{path}")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise ImportFailed(f"不支持的文件类型 {path.suffix}；支持 Shapefile、GeoPackage、GeoJSON 及 zip 压缩的 Shapefile")
    if path.suffix.lower() == ".zip":
        try:
            files = safe_extract(path, workdir)
        except UnsafeArchive as exc:
            raise ImportFailed(str(exc)) from exc
        candidates = [f for f in files if f.suffix.lower() in (".shp", ".gpkg", ".geojson", ".json")]
        if len(candidates) != 1:
            raise ImportFailed(f"zip 中应恰有一个 .shp/.gpkg/.geojson 文件，找到 {len(candidates)} 个")
        path = candidates[0]
    try:
        source = DataSource(str(path), encoding=encoding)
        return source, source[layer]
    except (GDALException, IndexError) as exc:
        raise ImportFailed(f"无法读取 {path.name}：{exc}") from exc
    except LookupError as exc:
        raise ImportFailed(f"未知字符编码 {encoding}") from exc


def _text_decodes(layer) -> bool:
    """True when every text attribute of the layer decodes with the layer's encoding."""
    try:
        for feature in layer:
            for name in layer.fields:
                feature.get(name)
    except UnicodeDecodeError:
        return False
    return True


def _transformer(layer, srid: int | None, datum: str) -> Transformer | None:
    if srid is not None:
        source_crs = CRS.from_epsg(srid)
    elif layer.srs is None:
        raise ImportFailed("文件没有坐标参考系（Shapefile 缺少 .prj），请用 --srid 指定")
    else:
        try:
            source_crs = CRS.from_wkt(layer.srs.wkt)
        except CRSError as exc:
            raise ImportFailed(f"无法识别文件的坐标参考系：{exc}") from exc
    if datum in ("gcj02", "bd09") and not source_crs.is_geographic:
        raise ImportFailed(f"{datum.upper()} 数据必须是经纬度坐标，但文件的坐标系是投影坐标系 {source_crs.name}")
    target = WGS84 if datum in ("gcj02", "bd09") else CGCS2000
    if source_crs.equals(CRS.from_epsg(target), ignore_axis_order=True):
        return None
    return Transformer.from_crs(source_crs, CRS.from_epsg(target), always_xy=True)


def _to_cgcs2000(geom, transformer: Transformer | None, datum: str):
    if transformer is not None:
        geom = shapely.transform(geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))
    if datum == "gcj02":  # whole outlines at once (the national load converts ~6 million vertices)
        geom = shapely.transform(geom, lambda xy: np.column_stack(gcj02_to_wgs84_many(xy[:, 0], xy[:, 1])))
    elif datum == "bd09":
        geom = shapely.transform(geom, lambda xy: np.array([to_cgcs2000(x, y, datum) for x, y in xy]).reshape(-1, 2))
    return geom


def _field(feature, name: str | None):
    if not name:
        return None
    value = feature.get(name)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return None if value is None else str(value).strip()


def _read_rows(layer, *, level, code_field, name_field, parent, parent_field, seat_fields,
               source, source_field, note_field, transformer, datum, report, progress, user=None) -> list[_Row]:
    missing = [f for f in (code_field, name_field, parent_field, source_field, note_field, *(seat_fields or ()))
               if f and f not in layer.fields]
    if missing:
        raise ImportFailed(f"文件中没有字段 {', '.join(missing)}；现有字段：{', '.join(layer.fields)}")
    rows, seen = [], set()
    for index, feature in enumerate(layer, start=1):
        report.rows += 1
        code_raw, name = _field(feature, code_field) or "", _field(feature, name_field) or ""
        try:
            code = normalise_code(code_raw)
        except ValueError as exc:
            report.refuse(index, str(exc), field=code_field, key=_key(code_raw, name))
            continue
        problem = _row_problem(code, name, level, parent, seen, user)
        if problem:
            report.refuse(index, problem, key=_key(code, name))
            continue
        seen.add(code)
        try:
            geom, seat = _geometries(feature, seat_fields, transformer, datum, code, report)
        except GeometryRejected as exc:
            report.refuse(index, str(exc), field="geometry", key=_key(code, name))
            continue
        parent_value = _field(feature, parent_field)
        rows.append(_Row(
            code=code, name=name, geom=geom, seat=seat,
            parent_code=normalise_code(parent_value) if parent_value else parent_code(code),
            source=_field(feature, source_field) or source, note=_field(feature, note_field) or "",
        ))
        if progress:
            progress(1)
    return rows


def _key(code: str, name: str) -> str:
    """How a refused feature is named in the report: its code (or 无代码) and name."""
    return f"{code or '无代码'} {name}"


def _row_problem(code: str, name: str, level: str, parent: str | None, seen: set[str], user=None) -> str:
    if not name:
        return "名称为空"
    if "\x00" in name:
        return "名称含有空字符（NUL）"
    if user is not None and not user.can_act_on(code):
        return "代码不在您的辖区内"
    if code in seen:
        return "代码在文件中重复"
    if level_of(code) != level:
        return f"代码表示{Level(level_of(code)).label}区划，与导入级别 {Level(level).label} 不符"
    if parent and not is_within(code, parent):
        return f"代码不在上级区划 {parent} 之内"
    return ""


def _geometries(feature, seat_fields, transformer, datum, code, report):
    try:
        raw = shapely.from_wkb(bytes(feature.geom.wkb))
    except (GDALException, shapely.errors.GEOSException) as exc:
        raise GeometryRejected(f"无法读取几何：{exc}") from exc
    raw = _to_cgcs2000(raw, transformer, datum)
    seat = None
    if seat_fields:
        x, y = (feature.get(f) for f in seat_fields)
        if x is not None and y is not None:
            seat = _to_cgcs2000(Point(float(x), float(y)), transformer, datum)
            check_coordinates(seat)
    if isinstance(raw, Point):
        check_coordinates(raw)
        return None, GEOSGeometry(memoryview(raw.wkb), srid=CGCS2000)
    checked = checked_multipolygon(raw)
    if checked.repaired:
        report.repaired.append(f"{code}：{checked.note}")
    return GEOSGeometry(memoryview(checked.geom.wkb), srid=CGCS2000), (
        GEOSGeometry(memoryview(seat.wkb), srid=CGCS2000) if seat else None
    )


def _write(rows: list[_Row], *, level: str, datum: str, valid_from: dt.date, report: ImportReport) -> None:
    existing = {d.code: d for d in Division.objects.current().filter(code__in=[r.code for r in rows])}
    parent_rows = Division.objects.current().filter(code__in={r.parent_code for r in rows if r.parent_code})
    parents = dict(parent_rows.values_list("code", "id"))
    outlines = _ParentOutlines(parent_rows)
    to_create, to_update = [], []
    for index, row in enumerate(rows, start=1):
        if row.parent_code and row.parent_code not in parents:
            report.refuse(index, f"上级区划 {row.parent_code} 不存在，请先导入上级", key=_key(row.code, row.name))
            continue
        if problem := outlines.outside(row):
            report.refuse(index, problem, field="geometry", key=_key(row.code, row.name))
            continue
        values = {
            "name": row.name, "level": level, "kind": kind_of(row.code, row.name),
            "parent_id": parents.get(row.parent_code), "source": row.source, "source_note": row.note[:300],
            "source_datum": datum,
        }
        if row.geom is not None:
            values["geom"] = row.geom
        if row.seat is not None:
            values["seat"] = row.seat
        current = existing.get(row.code)
        if current is None:
            to_create.append(Division(code=row.code, valid_from=valid_from, **values))
            report.created.append(row.code)
        elif current.level != level:
            report.refuse(index, f"库中该代码是{Level(current.level).label}区划", key=_key(row.code, row.name))
        elif _changed(current, values):
            for key, value in values.items():
                setattr(current, key, value)
            to_update.append(current)
            report.updated.append(row.code)
        else:
            report.unchanged.append(row.code)
    if not report.ok:
        return
    bulk_create_with_history(to_create, Division, batch_size=500)
    if to_update:
        fields = ["name", "level", "kind", "parent", "source", "source_note", "source_datum", "geom", "seat"]
        bulk_update_with_history(to_update, Division, fields, batch_size=500)


class _ParentOutlines:
    """Is a child inside its parent? An outline may stick out by at most
    ``CIVATLAS_IMPORT_PARENT_TOLERANCE_PCT`` of its area (outlines of two levels often
    come from different sources: the demo's real prefectures stick out of their real
    provinces by up to 0.17 %); a seat point by at most ``..._TOLERANCE_M`` metres."""

    def __init__(self, parent_rows):
        self._rows = {d.code: d for d in parent_rows.only("code", "name", "geom")}
        self._prepared = {}
        self.metres = settings.CIVATLAS_IMPORT_PARENT_TOLERANCE_M
        self.percent = settings.CIVATLAS_IMPORT_PARENT_TOLERANCE_PCT

    def outside(self, row: _Row) -> str:
        parent = self._rows.get(row.parent_code)
        shape = row.geom if row.geom is not None else row.seat
        if parent is None or parent.geom is None or shape is None:
            return ""
        if row.parent_code not in self._prepared:
            # Grown by the point tolerance (a degree of latitude ≈ 111.32 km).
            self._prepared[row.parent_code] = parent.geom.buffer(self.metres / 111_320).prepared
        if self._prepared[row.parent_code].covers(shape):
            return ""
        where = f"上级区划 {parent.name}（{parent.code}）"
        if shape.geom_type in ("Point", "MultiPoint"):
            return f"位置在{where}之外（容差 {self.metres:g} 米，CIVATLAS_IMPORT_PARENT_TOLERANCE_M）"
        share = 100 * shape.difference(parent.geom).area / shape.area if shape.area else 100.0
        if share <= self.percent:
            return ""
        return (f"有 {share:.1f}% 的面积在{where}之外（容差 {self.percent:g}%，"
                f"CIVATLAS_IMPORT_PARENT_TOLERANCE_PCT）")


def _changed(current: Division, values: dict) -> bool:
    for key, value in values.items():
        old = getattr(current, key)
        if key in ("geom", "seat"):
            if old is None or not old.equals_exact(value, 1e-9):
                return True
        elif old != value:
            return True
    return False


def import_divisions(
    path: str | Path,
    *,
    level: str,
    code_field: str,
    name_field: str,
    parent: str | None = None,
    datum: str = "cgcs2000",
    dry_run: bool = False,
    srid: int | None = None,
    layer: str | int = 0,
    parent_field: str | None = None,
    seat_fields: tuple[str, str] | None = None,
    source: str = Source.IMPORTED,
    source_field: str | None = None,
    note_field: str | None = None,
    valid_from: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
    encoding: str | None = None,
    user=None,
) -> ImportReport:
    """Read, check and upsert divisions of one ``level``; all or nothing.

    ``parent`` is a division code all features must lie in. Each feature's parent
    row is named by ``parent_field`` or, by default, is the code one level up.
    """
    report = ImportReport(source=str(path), context=f"级别 {level}，坐标系 {datum.upper()}", dry_run=dry_run,
                          noun="区划", counted="要素 {n} 个", where="要素 #{line}")

    def read(report: ImportReport) -> list[_Row]:
        if level not in Level.values:
            raise ImportFailed(f"未知级别 {level}；可选 {', '.join(Level.values)}")
        if datum not in DATUMS:
            raise ImportFailed(f"未知坐标系 {datum}；可选 {', '.join(DATUMS)}")
        within = normalise_code(parent) if parent else None
        with tempfile.TemporaryDirectory(prefix="civatlas-import-") as workdir:
            _source, lyr = _open_layer(Path(path), Path(workdir), layer, encoding or "utf-8")
            if encoding is None and not _text_decodes(lyr):
                # No .cpg and not UTF-8: Chinese desktop GIS writes GBK (GB18030 is its superset).
                _source, lyr = _open_layer(Path(path), Path(workdir), layer, "gb18030")
                if not _text_decodes(lyr):
                    raise ImportFailed("属性文字既不是 UTF-8 也不是 GB18030 编码，请用 --encoding 指定")
                report.repaired.append("属性文字不是 UTF-8，已按 GB18030（GBK）读取；如有误请用 --encoding 指定")
            elif encoding is not None and not _text_decodes(lyr):
                raise ImportFailed(f"属性文字不能按 {encoding} 解码，请检查 --encoding")
            return _read_rows(
                lyr, level=level, code_field=code_field, name_field=name_field, parent=within,
                parent_field=parent_field, seat_fields=seat_fields, source=source, source_field=source_field,
                note_field=note_field, transformer=_transformer(lyr, srid, datum), datum=datum, report=report,
                progress=progress, user=user,
            )

    def write(rows: list[_Row], report: ImportReport) -> None:
        _write(rows, level=level, datum=datum, valid_from=valid_from or dt.date(2000, 1, 1), report=report)

    return run_import(report, read=read, write=write)
