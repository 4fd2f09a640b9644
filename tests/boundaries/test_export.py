"""Exporting divisions and boundary lines: GeoPackage, zipped Shapefile and GeoJSON read
back with GDAL, CGCS2000 lon/lat, Chinese names, ellipsoidal areas, as-of history,
jurisdiction and errors (real 清水县 outline, synthetic townships and villages)."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
import zipfile

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.gdal import DataSource
from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon
from django.core.management import call_command
from django.db.models import Q
from django.test import RequestFactory
from django.utils import timezone
from shapely import wkb
from shapely.geometry import shape

from boundaries import export
from boundaries.codes import Kind
from boundaries.export import ExportFailed, InvalidExport, export_boundaries
from boundaries.export_views import export_view
from boundaries.models import BoundaryLine, Division
from geoapp.gis import GEOD
from geoapp.safezip import safe_extract

QINGSHUI, YONGQING = "620521000000", "620521100000"
TOWNSHIPS_OF_QINGSHUI = 19


@pytest.fixture
def township_lines(qingshui):
    """The township boundary lines of 清水县, derived through PostGIS topology (at set-up)."""
    return BoundaryLine.objects.current().of(parent=qingshui, level="township")


def _lines_with_a_side_in_qingshui(levels) -> int:
    """Lines of those levels with 清水县 or one of its townships on a side (a county line of
    清水县 and the township lines across it are exported with it, ADR 0014)."""
    return BoundaryLine.objects.current().filter(level__in=levels).filter(
        Q(left__code__startswith="620521") | Q(right__code__startswith="620521")).count()


def _saved(result, tmp_path):
    return result.save_as(tmp_path / result.filename)


def _layers(path, tmp_path) -> dict:
    """{layer name: GDAL layer} of an exported file (a Shapefile zip is unpacked first)."""
    if path.name.endswith(".zip"):
        unpacked = tmp_path / "unzipped"
        unpacked.mkdir()
        files = safe_extract(path, unpacked)
        return {p.stem: DataSource(str(p))[0] for p in files if p.suffix == ".shp"}
    source = DataSource(str(path))
    return {layer.name: layer for layer in source}


def _db_areas_m2(codes) -> dict:
    return dict(Division.objects.current().filter(code__in=codes).with_area().values_list("code", "area_m2"))


def _geodesic_area_m2(ogr_geom) -> float:
    return abs(GEOD.geometry_area_perimeter(wkb.loads(bytes(ogr_geom.wkb)))[0])


def _assert_cgcs2000_lon_lat(layer):
    assert layer.srs.srid == 4490
    x, y = next(iter(layer)).geom.centroid.coords
    assert 105.5 < x < 106.6 and 34.4 < y < 35.0, "longitude first"


def test_a_geopackage_holds_townships_villages_and_lines_of_qingshui(township_lines, tmp_path):
    result = export_boundaries(within="620521", levels=["village", "township"], fmt="gpkg")
    assert result.filename == f"civatlas_620521_{timezone.localdate().isoformat()}.gpkg"
    layers = _layers(_saved(result, tmp_path), tmp_path)

    assert list(layers) == ["divisions_township", "villages", "boundary_lines"]
    townships, villages, lines = layers["divisions_township"], layers["villages"], layers["boundary_lines"]
    assert len(townships) == TOWNSHIPS_OF_QINGSHUI
    assert len(villages) == Division.objects.current().within("620521").at_level("village").count() > 0
    assert len(lines) == township_lines.count() > 0
    assert townships.geom_type.name == "MultiPolygon" and villages.geom_type.name == "Point"
    assert lines.geom_type.name == "MultiLineString"
    for layer in layers.values():
        _assert_cgcs2000_lon_lat(layer)

    names = {f.get("code"): f.get("name") for f in townships}
    assert names[YONGQING] == "永清镇"
    db_areas = _db_areas_m2(names)
    for feature in townships:
        code = feature.get("code")
        assert feature.get("area_km2") * 1e6 == pytest.approx(db_areas[code], abs=1.0)
        assert _geodesic_area_m2(feature.geom) == pytest.approx(db_areas[code], rel=1e-6)
        assert feature.get("parent") == QINGSHUI and feature.get("kind_label") == Kind(feature.get("kind")).label

    line = next(f for f in lines if f.get("left") == YONGQING)
    assert line.get("left_name") == "永清镇" and line.get("level") == "township"
    stored = township_lines.get(left__code=YONGQING, right__code=line.get("right") or None)
    assert line.get("length_km") == pytest.approx(stored.length_km, rel=1e-6)
    assert line.get("valid_from") == dt.date(2000, 1, 1)


def test_a_zipped_shapefile_has_one_shp_per_layer_in_utf8_with_short_field_names(township_lines, tmp_path):
    result = export_boundaries(within="620521", levels=["county", "township", "village"], fmt="shp")
    path = _saved(result, tmp_path)
    assert result.filename.endswith(".shp.zip") and result.content_type == "application/zip"
    with zipfile.ZipFile(path) as zf:
        members = set(zf.namelist())
        assert zf.read("divisions_township.cpg").decode().strip().upper() in {"UTF-8", "UTF8"}
    for layer in ("divisions_county", "divisions_township", "villages", "boundary_lines"):
        assert {f"{layer}.{ext}" for ext in ("shp", "shx", "dbf", "prj", "cpg")} <= members

    layers = _layers(path, tmp_path)
    assert [f.get("name") for f in layers["divisions_county"]] == ["清水县"]
    assert len(layers["divisions_township"]) == TOWNSHIPS_OF_QINGSHUI
    assert len(layers["boundary_lines"]) == _lines_with_a_side_in_qingshui(["county", "township"])
    for layer in layers.values():
        _assert_cgcs2000_lon_lat(layer)
        assert all(len(name) <= 10 for name in layer.fields)
    assert {"agree_ref", "last_insp", "left_name", "right_name"} <= set(layers["boundary_lines"].fields)

    townships = {f.get("code"): f for f in layers["divisions_township"]}
    assert townships[YONGQING].get("name") == "永清镇"
    db_areas = _db_areas_m2(townships)
    for code, feature in townships.items():
        assert _geodesic_area_m2(feature.geom) == pytest.approx(db_areas[code], rel=1e-6)


def test_geojson_is_one_feature_collection_with_a_layer_property(township_lines, tmp_path):
    result = export_boundaries(within="620521", levels=["county", "township"], fmt="geojson")
    path = _saved(result, tmp_path)
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["crs"]["properties"]["name"] == "urn:ogc:def:crs:EPSG::4490"
    by_layer = {}
    for feature in collection["features"]:
        by_layer.setdefault(feature["properties"]["layer"], []).append(feature)
    assert {k: len(v) for k, v in by_layer.items()} == {
        "divisions_county": 1, "divisions_township": TOWNSHIPS_OF_QINGSHUI, "boundary_lines": _lines_with_a_side_in_qingshui(["county", "township"]),
    }
    assert by_layer["divisions_county"][0]["properties"]["name"] == "清水县"
    for feature in by_layer["divisions_township"]:  # RFC 7946 §3.1.6: exterior rings counter-clockwise
        assert all(polygon.exterior.is_ccw for polygon in shape(feature["geometry"]).geoms)
    assert result.layers == {k: len(v) for k, v in by_layer.items()}

    (layer,) = DataSource(str(path))
    assert len(layer) == len(collection["features"])
    _assert_cgcs2000_lon_lat(layer)
    county = next(f for f in layer if f.get("code") == QINGSHUI)
    assert _geodesic_area_m2(county.geom) == pytest.approx(_db_areas_m2([QINGSHUI])[QINGSHUI], rel=1e-6)


def _backdate_history(model, pk, when: dt.date):
    model.history.filter(id=pk).update(history_date=timezone.make_aware(dt.datetime.combine(when, dt.time(12))))


def test_an_as_of_export_returns_the_geometry_recorded_on_that_day(qingshui, tmp_path):
    yongqing = Division.objects.current().get(code=YONGQING)
    _backdate_history(Division, yongqing.pk, dt.date(2024, 1, 1))
    old_area = _db_areas_m2([YONGQING])[YONGQING]
    shrunk = yongqing.geom.buffer(-0.01)
    yongqing.geom = shrunk if shrunk.geom_type == "MultiPolygon" else MultiPolygon(shrunk, srid=shrunk.srid)
    yongqing.save()  # records today's history
    new_area = _db_areas_m2([YONGQING])[YONGQING]
    assert new_area < old_area * 0.95

    def exported_area(on):
        result = export_boundaries(within=YONGQING, levels=["township"], fmt="gpkg", on=on, include_lines=False)
        out = tmp_path / f"{on}.gpkg"
        result.save_as(out)
        (feature,) = DataSource(str(out))["divisions_township"]
        assert feature.get("area_km2") * 1e6 == pytest.approx(_geodesic_area_m2(feature.geom), rel=1e-6)
        return _geodesic_area_m2(feature.geom)

    assert exported_area(dt.date(2025, 6, 1)) == pytest.approx(old_area, rel=1e-6)
    assert exported_area(None) == pytest.approx(new_area, rel=1e-6)
    # Before the first record (history began in 2024) the first recorded shape is the best known.
    assert exported_area(dt.date(2010, 6, 1)) == pytest.approx(old_area, rel=1e-6)


def test_an_as_of_export_returns_the_line_recorded_on_that_day(township_lines, tmp_path):
    line = township_lines.filter(left__code=YONGQING).exclude(right=None).first()
    old_length_km = line.length_km
    _backdate_history(BoundaryLine, line.pk, dt.date(2024, 1, 1))
    (x0, y0), (x1, y1) = line.geom[0].coords[:2]
    stub = LineString((x0, y0), ((x0 + x1) / 2, (y0 + y1) / 2))  # half the first segment
    line.geom = MultiLineString(stub, srid=line.geom.srid)
    line.save()  # records today's history

    def exported_length(on):
        result = export_boundaries(within=YONGQING, levels=["township"], fmt="geojson", on=on)
        path = _saved(result, tmp_path)
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
        (feature,) = [f for f in features if f["properties"]["layer"] == "boundary_lines"
                      and f["properties"]["right"] == line.right.code and f["properties"]["left"] == YONGQING]
        return feature["properties"]["length_km"]

    assert exported_length(dt.date(2025, 6, 1)) == pytest.approx(old_length_km, rel=1e-4)
    assert exported_length(None) < old_length_km * 0.6


def test_divisions_not_yet_in_force_are_not_exported(qingshui):
    with pytest.raises(InvalidExport, match="没有代码为 620521000000 的现行区划"):
        export_boundaries(within="620521", levels=["township"], fmt="gpkg", on=dt.date(1999, 12, 31))


def test_a_user_gets_only_rows_inside_their_jurisdiction(field_worker, tmp_path):
    result = export_boundaries(within="620521", levels=["township", "village"], fmt="geojson", user=field_worker)
    features = json.loads(_saved(result, tmp_path).read_text(encoding="utf-8"))["features"]
    divisions = [f for f in features if f["properties"]["layer"] != "boundary_lines"]
    lines = [f for f in features if f["properties"]["layer"] == "boundary_lines"]
    assert divisions and all(f["properties"]["code"].startswith("620521100") for f in divisions)
    assert lines and all(YONGQING in (f["properties"]["left"], f["properties"]["right"]) for f in lines)
    assert result.layers["divisions_township"] == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fmt": "kml"}, "不支持的格式"),
        ({"levels": ["town"]}, "未知级别"),
        ({"levels": []}, "至少选择一个级别"),
        ({"within": "62052"}, "不是有效的区划代码"),
        ({"within": "620599"}, "没有代码为 620599000000"),
    ],
)
def test_bad_arguments_are_refused_in_chinese(db, kwargs, message):
    args = {"within": "620521", "levels": ["township"], "fmt": "gpkg", **kwargs}
    with pytest.raises(InvalidExport, match=message):
        export_boundaries(**args)


@pytest.mark.parametrize(("tool", "message"), [("ogr2ogr-not-installed", "gdal-bin"), ("false", "转换失败")])
def test_a_missing_or_failing_ogr2ogr_is_a_clear_error_and_leaves_no_files(
    qingshui, tmp_path, monkeypatch, tool, message
):
    monkeypatch.setattr(export, "OGR2OGR", tool)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(ExportFailed, match=message):
        export_boundaries(within="620521", levels=["township"], fmt="shp")
    assert list(tmp_path.iterdir()) == []


def test_the_command_writes_the_file_atomically(qingshui, tmp_path):
    out = tmp_path / "qingshui.gpkg"
    log = io.StringIO()
    call_command("export_boundaries", "--within", "620521", "--levels", "county,township", "--format", "gpkg",
                 "--no-lines", "-o", str(out), stdout=log)
    assert "divisions_township: 19" in log.getvalue()
    assert [p.name for p in tmp_path.iterdir()] == ["qingshui.gpkg"]  # no partial copy left beside it
    layers = _layers(out, tmp_path)
    assert list(layers) == ["divisions_county", "divisions_township"]
    assert [f.get("name") for f in layers["divisions_county"]] == ["清水县"]


def _get(user, **params):
    request = RequestFactory().get("/api/export/boundaries", params)
    request.user = user
    return export_view(request)


def test_the_view_sends_the_file_as_a_download(zoning_officer, tmp_path):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = _get(zoning_officer, within="620521", levels="township,village", format="gpkg", date=str(yesterday))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geopackage+sqlite3"
    assert f'filename="civatlas_620521_{yesterday}.gpkg"' in response["Content-Disposition"]
    out = tmp_path / "download.gpkg"
    out.write_bytes(b"".join(response.streaming_content))
    response.close()
    layers = _layers(out, tmp_path)
    assert len(layers["divisions_township"]) == TOWNSHIPS_OF_QINGSHUI


def test_the_view_refuses_a_division_outside_the_jurisdiction(outsider, field_worker, planner):
    response = _get(outsider, within="620521", levels="township", format="gpkg")
    assert response.status_code == 403 and "管辖范围" in json.loads(response.content)["error"]
    assert _get(field_worker, within="620521", levels="township", format="gpkg").status_code == 403
    assert _get(planner, within="620521", levels="county", format="geojson").status_code == 200


def test_the_view_answers_bad_parameters_with_400_and_anonymous_users_with_401(zoning_officer):
    response = _get(zoning_officer, within="620521", levels="township", format="kml")
    assert response.status_code == 400 and "不支持的格式" in json.loads(response.content)["error"]
    assert _get(zoning_officer, within="620521", levels="township", format="gpkg", date="2026-13-01").status_code == 400
    assert _get(zoning_officer, within="abc", levels="township", format="gpkg").status_code == 400
    assert _get(AnonymousUser(), within="620521", levels="township", format="gpkg").status_code == 401


def test_the_view_reports_a_failed_conversion_as_a_json_error(zoning_officer, monkeypatch):
    monkeypatch.setattr(export, "OGR2OGR", "false")
    response = _get(zoning_officer, within="620521", levels="township", format="shp")
    assert response.status_code == 500 and "转换失败" in json.loads(response.content)["error"]
