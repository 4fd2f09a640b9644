"""Export divisions and boundary lines as GeoPackage, zipped Shapefile or GeoJSON.

One function, ``export_boundaries``, serves the management command and the download
view. The ORM chooses the rows (current on a date, inside a code prefix, at some
levels, scoped to the user); PostGIS builds each feature as GeoJSON in one statement
per layer (DESIGN.md: 18-27× faster than serialising in Python); GDAL's ``ogr2ogr``
turns those files into the target format through an OGR VRT that declares every
field's type, width and Shapefile name (a field that is null everywhere would
otherwise become text, and dBase names stop at 10 characters). Coordinates stay
CGCS2000 (EPSG:4490) lon/lat as stored; areas and lengths are on the ellipsoid.

For a past date the rows are those in force that day (``valid_from``/``valid_to``),
and their geometry is the one recorded by django-simple-history on that day: the
latest history record before the following local midnight. A row with no record
that early (history began when the data was loaded) takes its first recorded
geometry, the nearest state we know. GeoJSON is one FeatureCollection with a
``layer`` property (docs/adr/0005-boundary-export.md). All work happens in a private
temporary directory that is removed on any failure, so no partial file is left.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from xml.etree import ElementTree as ET

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from boundaries.codes import LEVEL_ORDER, Kind, Level
from boundaries.models import BoundaryLine, Division, Source
from geoapp.gis import CGCS2000
from geoapp.jurisdiction import code_prefix, normalise_code

OGR2OGR = "ogr2ogr"  # the GDAL command-line tool (Debian gdal-bin)
OGR2OGR_TIMEOUT_S = 900


class Format:
    GPKG = "gpkg"
    SHP = "shp"
    GEOJSON = "geojson"


FORMATS = {
    # format: (file suffix, content type)
    Format.GPKG: (".gpkg", "application/geopackage+sqlite3"),
    # ".shp.zip" is the suffix GDAL (≥ 3.1) and QGIS open directly as a zipped Shapefile.
    Format.SHP: (".shp.zip", "application/zip"),
    Format.GEOJSON: (".geojson", "application/geo+json"),
}

POINT_LEVELS = {Level.VILLAGE}  # villages are recorded by their seat (驻地) only
LINES_LAYER = "boundary_lines"

# GDAL's GeoJSON output of a non-WGS84 CRS (the 2008 GeoJSON "named CRS" member). RFC 7946
# readers ignore it; coordinates are lon/lat either way (DESIGN.md, Coordinates).
GEOJSON_CRS = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{CGCS2000}"}}


class InvalidExport(ValueError):
    """The request names a format, level, code or division that does not exist."""


class ExportFailed(RuntimeError):
    """GDAL could not write the file (missing, failed or timed out)."""


@dataclass(frozen=True)
class Field:
    """One attribute of an exported layer.

    ``name`` is used in GeoPackage and GeoJSON; Shapefile (dBase III) names stop at 10
    characters, so longer names are shortened through ``SHAPEFILE_NAMES``. ``width`` is
    the Shapefile width in bytes (UTF-8 takes 3 per Chinese character; 254 is the limit).
    """

    name: str
    ogr_type: str  # OGR field type: String, Real, Date
    width: int = 0

    @property
    def shp_name(self) -> str:
        return SHAPEFILE_NAMES.get(self.name, self.name)


# Shapefile field names for the attributes longer than 10 characters (dBase III limit).
SHAPEFILE_NAMES = {
    "level_label": "level_lbl",
    "kind_label": "kind_lbl",
    "source_label": "source_lbl",
    "agreement_ref": "agree_ref",
    "last_inspected": "last_insp",
}

DIVISION_FIELDS = (
    Field("code", "String", 12),
    Field("name", "String", 254),
    Field("level", "String", 16),
    Field("level_label", "String", 32),
    Field("kind", "String", 32),
    Field("kind_label", "String", 64),
    Field("parent", "String", 12),
    Field("area_km2", "Real"),
    Field("source", "String", 16),
    Field("source_label", "String", 64),
    Field("valid_from", "Date"),
    Field("valid_to", "Date"),
)
VILLAGE_FIELDS = tuple(f for f in DIVISION_FIELDS if f.name != "area_km2")  # a seat point has no area
LINE_FIELDS = (
    Field("level", "String", 16),
    Field("parent", "String", 12),
    Field("left", "String", 12),
    Field("left_name", "String", 254),
    Field("right", "String", 12),
    Field("right_name", "String", 254),
    Field("length_km", "Real"),
    Field("agreement_ref", "String", 254),
    Field("last_inspected", "Date"),
    Field("valid_from", "Date"),
    Field("valid_to", "Date"),
)
assert all(len(f.shp_name) <= 10 for f in DIVISION_FIELDS + LINE_FIELDS), "dBase field names are ≤ 10 characters"


@dataclass(frozen=True)
class Layer:
    name: str
    geometry_type: str  # OGR VRT geometry type
    fields: tuple[Field, ...]


@dataclass
class ExportResult:
    """The finished file, alone in a private temporary directory until saved or opened."""

    path: Path
    filename: str
    content_type: str
    layers: dict[str, int] = field(default_factory=dict)  # layer name → feature count

    def open(self) -> BinaryIO:
        """The file opened for reading; the temporary directory is removed at once
        (POSIX keeps an open file readable), so a streamed download leaves nothing."""
        handle = open(self.path, "rb")
        self.discard()
        return handle

    def save_as(self, dest: str | Path) -> Path:
        """Copy to ``dest`` atomically (a partial copy never carries the final name)."""
        dest = Path(dest)
        fd, partial = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".partial")
        try:
            with os.fdopen(fd, "wb") as out, open(self.path, "rb") as src:
                shutil.copyfileobj(src, out)
            os.chmod(partial, 0o644)
            os.replace(partial, dest)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        finally:
            self.discard()
        return dest

    def discard(self) -> None:
        shutil.rmtree(self.path.parent, ignore_errors=True)


def export_boundaries(
    *,
    within: str,
    levels: Sequence[str],
    fmt: str,
    on: dt.date | None = None,
    include_lines: bool = True,
    user=None,
) -> ExportResult:
    """Export the divisions at ``levels`` inside ``within`` (and their boundary lines).

    ``on`` picks the divisions in force and their geometry that day (today when None).
    ``user`` limits the rows to their jurisdiction (``for_user``); the caller decides
    whether the request itself is allowed. Raises ``InvalidExport`` for bad arguments
    and ``ExportFailed`` when GDAL cannot write the file.
    """
    if fmt not in FORMATS:
        raise InvalidExport(f"不支持的格式“{fmt}”，应为 {'、'.join(FORMATS)} 之一")
    levels = _levels(levels)
    try:
        code = normalise_code(within)
    except ValueError as exc:
        raise InvalidExport(str(exc)) from exc
    today = timezone.localdate()
    day = on or today
    if not Division.objects.current(day).filter(code=code).exists():
        raise InvalidExport(f"{day.isoformat()} 没有代码为 {code} 的现行区划")
    as_of = on if on is not None and on < today else None

    divisions = Division.objects.current(day).within(code)
    lines = BoundaryLine.objects.current(day)
    if user is not None:
        divisions = divisions.for_user(user)
        lines = lines.for_user(user)
    prefix = code_prefix(code)
    lines = lines.filter(level__in=[lv for lv in levels if lv not in POINT_LEVELS]).filter(
        Q(left__code__startswith=prefix) | Q(right__code__startswith=prefix)
    )

    work = Path(tempfile.mkdtemp(prefix="civatlas-export-"))  # mode 0700: private
    try:
        sources = []
        for level in levels:
            ids = list(divisions.at_level(level).values_list("id", flat=True))
            layer = _division_layer(level)
            sources.append((layer, _division_features(layer, ids, level in POINT_LEVELS, as_of)))
        if include_lines:
            ids = list(lines.values_list("id", flat=True))
            layer = Layer(LINES_LAYER, "wkbMultiLineString", LINE_FIELDS)
            sources.append((layer, _line_features(layer, ids, as_of)))
        suffix, content_type = FORMATS[fmt]
        filename = f"civatlas_{prefix}_{day.isoformat()}{suffix}"
        path = work / filename
        if fmt == Format.GEOJSON:
            _write_collection(path, sources)
        else:
            _write_with_ogr(path, fmt, sources, work)
        return ExportResult(path, filename, content_type, {layer.name: len(features) for layer, features in sources})
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def _levels(levels: Sequence[str]) -> list[str]:
    if not levels:
        raise InvalidExport("请至少选择一个级别")
    unknown = [lv for lv in levels if lv not in Level.values]
    if unknown:
        raise InvalidExport(f"未知级别 {'、'.join(unknown)}，应为 {'、'.join(Level.values)}")
    return [lv.value for lv in LEVEL_ORDER if lv.value in set(levels)]


def _division_layer(level: str) -> Layer:
    if level in POINT_LEVELS:
        return Layer("villages", "wkbPoint", VILLAGE_FIELDS)
    return Layer(f"divisions_{level}", "wkbMultiPolygon", DIVISION_FIELDS)


def _labels(choices) -> str:
    return json.dumps({value: str(label) for value, label in choices.choices}, ensure_ascii=False)


def _snapshot_join(history_model, columns: str) -> str:
    """A LATERAL join ``s`` on the simple_history record in force at ``%(cutoff)s``.

    Raw SQL because "the latest record per row before a cutoff, else the earliest"
    is a per-row ordered LIMIT 1 the ORM cannot say. Table names come from the models.
    """
    table = connection.ops.quote_name(history_model._meta.db_table)
    before = "h.history_date < %(cutoff)s"
    return f"""
LEFT JOIN LATERAL (
  SELECT {columns} FROM {table} h
  WHERE h.id = x.id AND h.history_type <> '-'
  ORDER BY ({before}) DESC,
           CASE WHEN {before} THEN h.history_date END DESC, CASE WHEN {before} THEN h.history_id END DESC,
           h.history_date, h.history_id
  LIMIT 1
) s ON %(as_of)s"""


def _as_of_params(as_of: dt.date | None) -> dict:
    if as_of is None:
        return {"as_of": False, "cutoff": timezone.now()}
    # "As it was on that day" = everything recorded before the next local midnight.
    cutoff = timezone.make_aware(dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time.min))
    return {"as_of": True, "cutoff": cutoff}


def _division_features(layer: Layer, ids: list[int], points: bool, as_of: dt.date | None) -> list[str]:
    # The live row (x) decides *which* divisions; the snapshot (s), when asked for, their shape.
    # ST_AsGeoJSON option 0: no per-geometry "crs" member (PostGIS 3 adds one for non-4326);
    # the collection states the CRS once.
    geom = "CASE WHEN s.found THEN s.geom ELSE x.geom END"
    seat = "CASE WHEN s.found THEN s.seat ELSE x.seat END"
    # Exterior rings counter-clockwise as RFC 7946 §3.1.6 asks (the Shapefile writer turns
    # them clockwise for its own spec).
    geometry = f"ST_AsGeoJSON({seat}, 9, 0)" if points else f"ST_AsGeoJSON(ST_ForcePolygonCCW(ST_Multi({geom})), 9, 0)"
    area = "NULL" if points else f"round((ST_Area(({geom})::geography, true) / 1e6)::numeric, 6)"
    sql = f"""
SELECT json_build_object('type', 'Feature', 'geometry', {geometry}::json, 'properties', json_build_object(
  'layer', %(layer)s, 'code', x.code, 'name', x.name,
  'level', x.level, 'level_label', %(levels)s::json ->> x.level,
  'kind', x.kind, 'kind_label', %(kinds)s::json ->> x.kind,
  'parent', p.code, 'area_km2', {area},
  'source', x.source, 'source_label', %(sources)s::json ->> x.source,
  'valid_from', x.valid_from, 'valid_to', x.valid_to))::text
FROM boundaries_division x
LEFT JOIN boundaries_division p ON p.id = x.parent_id
{_snapshot_join(Division.history.model, "true AS found, h.geom, h.seat")}
WHERE x.id = ANY(%(ids)s)
ORDER BY x.code
"""
    params = {
        "layer": layer.name, "ids": ids, "levels": _labels(Level), "kinds": _labels(Kind),
        "sources": _labels(Source), **_as_of_params(as_of),
    }
    return _fetch(sql, params)


def _line_features(layer: Layer, ids: list[int], as_of: dt.date | None) -> list[str]:
    geom = "CASE WHEN s.found THEN s.geom ELSE x.geom END"
    sql = f"""
SELECT json_build_object('type', 'Feature', 'geometry', ST_AsGeoJSON(ST_Multi({geom}), 9, 0)::json,
  'properties', json_build_object(
  'layer', %(layer)s, 'level', x.level, 'parent', p.code,
  'left', a.code, 'left_name', a.name, 'right', b.code, 'right_name', b.name,
  'length_km', round((ST_Length(({geom})::geography, true) / 1e3)::numeric, 6),
  'agreement_ref', CASE WHEN s.found THEN s.agreement_ref ELSE x.agreement_ref END,
  'last_inspected', CASE WHEN s.found THEN s.last_inspected ELSE x.last_inspected END,
  'valid_from', x.valid_from, 'valid_to', x.valid_to))::text
FROM boundaries_boundaryline x
JOIN boundaries_division p ON p.id = x.parent_id
JOIN boundaries_division a ON a.id = x.left_id
LEFT JOIN boundaries_division b ON b.id = x.right_id
{_snapshot_join(BoundaryLine.history.model, "true AS found, h.geom, h.agreement_ref, h.last_inspected")}
WHERE x.id = ANY(%(ids)s)
ORDER BY x.level, a.code, b.code NULLS LAST
"""
    return _fetch(sql, {"layer": layer.name, "ids": ids, **_as_of_params(as_of)})


def _fetch(sql: str, params: dict) -> list[str]:
    if not params["ids"]:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _write_collection(path: Path, sources: list[tuple[Layer, list[str]]], *, name: str | None = None) -> None:
    """A FeatureCollection file of every layer in ``sources``, feature by feature."""
    header = {"type": "FeatureCollection", "name": name or path.name.split(".")[0], "crs": GEOJSON_CRS}
    with open(path, "w", encoding="utf-8") as out:
        out.write(json.dumps(header, ensure_ascii=False)[:-1] + ', "features": [')
        for i, feature in enumerate(itertools.chain.from_iterable(features for _layer, features in sources)):
            out.write(",\n" if i else "\n")
            out.write(feature)
        out.write("\n]}\n")


def _write_with_ogr(path: Path, fmt: str, sources: list[tuple[Layer, list[str]]], work: Path) -> None:
    src = work / "src"
    src.mkdir()
    vrt = ET.Element("OGRVRTDataSource")
    for layer, features in sources:
        geojson = src / f"{layer.name}.geojson"
        _write_collection(geojson, [(layer, features)], name=layer.name)
        vrt.append(_vrt_layer(layer, geojson, shapefile=fmt == Format.SHP))
    vrt_path = src / "layers.vrt"
    ET.ElementTree(vrt).write(vrt_path, encoding="utf-8", xml_declaration=True)

    if fmt == Format.GPKG:
        run_ogr2ogr(["-f", "GPKG", str(path), str(vrt_path), "--config", "OGR_SQLITE_SYNCHRONOUS", "OFF"])
        return
    out_dir = work / "shp"
    # ENCODING=UTF-8 writes the .cpg that tells readers the .dbf is UTF-8 (Chinese names).
    run_ogr2ogr(["-f", "ESRI Shapefile", str(out_dir), str(vrt_path), "-lco", "ENCODING=UTF-8"])
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for member in sorted(out_dir.iterdir()):
            zf.write(member, arcname=member.name)


def _vrt_layer(layer: Layer, geojson: Path, *, shapefile: bool) -> ET.Element:
    element = ET.Element("OGRVRTLayer", name=layer.name)
    ET.SubElement(element, "SrcDataSource").text = str(geojson)
    ET.SubElement(element, "SrcLayer").text = layer.name
    ET.SubElement(element, "GeometryType").text = layer.geometry_type
    ET.SubElement(element, "LayerSRS").text = f"EPSG:{CGCS2000}"
    for f in layer.fields:
        attrs = {"name": f.shp_name if shapefile else f.name, "src": f.name, "type": f.ogr_type}
        if shapefile and f.width:
            attrs["width"] = str(f.width)
        ET.SubElement(element, "Field", attrs)
    return element


def run_ogr2ogr(args: list[str]) -> None:
    """Run GDAL's ogr2ogr writing CGCS2000; any failure is an ``ExportFailed`` in Chinese."""
    exe = shutil.which(OGR2OGR)
    if exe is None:
        raise ExportFailed(f"找不到 GDAL 的 {OGR2OGR} 命令，无法导出；请安装 gdal-bin（make setup 会安装）。")
    command = [exe, *args, "-a_srs", f"EPSG:{CGCS2000}"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=OGR2OGR_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ExportFailed(f"导出超时（超过 {OGR2OGR_TIMEOUT_S} 秒），请缩小范围或减少级别后重试。") from exc
    except OSError as exc:
        raise ExportFailed(f"无法运行 {OGR2OGR}：{exc}") from exc
    if done.returncode != 0:
        detail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-5:])
        raise ExportFailed(f"{OGR2OGR} 转换失败（退出码 {done.returncode}）：{detail}")
