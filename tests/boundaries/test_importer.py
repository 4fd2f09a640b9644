"""import_divisions on real PostGIS: real shapefiles, GCJ-02 input, broken files."""

import json
import shutil
from pathlib import Path

import pytest
import shapely
from django.contrib.gis.gdal import DataSource
from django.contrib.gis.geos import GEOSGeometry
from django.core.management import CommandError, call_command

from boundaries.importer import import_divisions
from boundaries.models import BoundaryLine, Division

DATA = Path(__file__).resolve().parents[2] / "data" / "shapefiles"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
QINGSHUI = "620521000000"


def write_geojson(path, features):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False), "utf-8")
    return path


def square(lon, lat, size=0.05):
    return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]]}


def feature(code, name, geometry):
    return {"type": "Feature", "properties": {"code": code, "name": name}, "geometry": geometry}


def hausdorff_m(a, b):
    """Hausdorff distance in metres, measured in the CGCS2000 GK zone of 清水县 (CM 105°E)."""
    a_gk, b_gk = (shapely.from_wkb(bytes(g.transform(4544, clone=True).wkb)) for g in (a, b))
    return a_gk.hausdorff_distance(b_gk)


def test_reimporting_the_real_county_shapefile_changes_nothing(db):
    # Set-up re-derived the counties from the topology (slivers resolved at township
    # level, ADR 0014); a first re-import brings the file's outlines back, a second changes nothing.
    import_divisions(DATA / "counties.shp", level="county", code_field="CODE", name_field="NAME",
                     parent_field="PARENT", seat_fields=("SEAT_X", "SEAT_Y"), source_field="SOURCE",
                     note_field="SRC_NOTE")
    report = import_divisions(DATA / "counties.shp", level="county", code_field="CODE", name_field="NAME",
                              parent_field="PARENT", seat_fields=("SEAT_X", "SEAT_Y"), source_field="SOURCE",
                              note_field="SRC_NOTE")
    assert report.ok, report.summary()
    assert report.rows == 16
    assert len(report.unchanged) == 16 and not report.created and not report.updated


def test_importing_counties_into_an_empty_database_needs_their_prefectures_first(db):
    BoundaryLine.objects.all().delete()
    for level in ("village", "township", "county", "prefecture", "province"):
        Division.objects.filter(level=level).delete()
    report = import_divisions(DATA / "counties.shp", level="county", code_field="CODE", name_field="NAME")
    assert not report.ok
    assert "上级区划 620500000000 不存在" in report.summary()
    assert Division.objects.count() == 0

    for name, level in (("provinces.shp", "province"), ("prefectures.shp", "prefecture"), ("counties.shp", "county")):
        report = import_divisions(DATA / name, level=level, code_field="CODE", name_field="NAME", source="official")
        assert report.ok, report.summary()
    qingshui = Division.objects.current().get(code=QINGSHUI)
    assert qingshui.name == "清水县"
    assert qingshui.parent.code == "620500000000"
    assert qingshui.kind == "county"
    assert 1900 < qingshui.area_km2 < 2200


def test_a_gcj02_file_is_converted_to_cgcs2000(db):
    stored = Division.objects.current().get(code=QINGSHUI).geom
    report = import_divisions(FIXTURES / "qingshui_gcj02.geojson", level="county", code_field="code",
                              name_field="name", datum="gcj02")
    assert report.ok, report.summary()
    converted = Division.objects.current().get(code=QINGSHUI)
    assert converted.source_datum == "gcj02"
    # Same real outline as the shipped shapefile (which was converted the same way, then
    # snapped to a 1e-7° grid): well under a metre apart.
    assert hausdorff_m(converted.geom, stored) < 0.05


def test_gcj02_data_imported_as_wgs84_would_be_hundreds_of_metres_off(db, tmp_path):
    raw = json.loads((FIXTURES / "qingshui_gcj02.geojson").read_text("utf-8"))
    as_if_wgs84 = GEOSGeometry(json.dumps(raw["features"][0]["geometry"]))
    as_if_wgs84.srid = 4490
    stored = Division.objects.current().get(code=QINGSHUI).geom
    assert 300 < hausdorff_m(as_if_wgs84, stored) < 800


def test_one_invalid_feature_fails_the_whole_import_and_writes_nothing(db, tmp_path):
    bow_tie = {"type": "Polygon", "coordinates": [[[106.0, 34.5], [106.1, 34.6], [106.1, 34.5], [106.0, 34.6], [106.0, 34.5]]]}
    path = write_geojson(tmp_path / "mixed.geojson", [
        feature("620521100000", "永清镇（改名）", square(106.1, 34.7)),
        feature("620521101000", "红堡镇", bow_tie),
    ])
    report = import_divisions(path, level="township", code_field="code", name_field="name")
    assert not report.ok
    assert "620521101000" in report.summary() and "面积" in report.summary()
    assert "未写入任何数据" in report.summary()
    assert Division.objects.current().get(code="620521100000").name == "永清镇"


def test_a_safely_repairable_geometry_is_repaired_and_reported(db, tmp_path):
    # Inside 清水县 (an imported child must lie within its parent).
    spike = {"type": "Polygon", "coordinates": [[[106.1, 34.7], [106.15, 34.7], [106.15, 34.75], [106.125, 34.75],
                                                 [106.125, 34.77], [106.125, 34.75], [106.1, 34.75], [106.1, 34.7]]]}
    path = write_geojson(tmp_path / "spike.geojson", [feature("620521499000", "示范区", spike)])
    report = import_divisions(path, level="township", code_field="code", name_field="name")
    assert report.ok, report.summary()
    assert report.repaired and "620521499000" in report.repaired[0]
    assert Division.objects.current().get(code="620521499000").geom.valid


def test_a_truncated_shapefile_rejects_every_unreadable_feature_and_writes_nothing(db, tmp_path):
    for ext in ("shp", "shx", "dbf", "prj", "cpg"):
        shutil.copy(DATA / f"counties.{ext}", tmp_path / f"broken.{ext}")
    data = (tmp_path / "broken.shp").read_bytes()
    (tmp_path / "broken.shp").write_bytes(data[:200])
    before = Division.objects.count()
    report = import_divisions(tmp_path / "broken.shp", level="county", code_field="CODE", name_field="NAME")
    assert not report.ok
    # The index (.shx) is whole, so the file opens and lists every feature; each one's
    # geometry lies past the cut and is rejected by name, and the import writes nothing.
    assert not report.error, report.error
    assert len(report.errors) == len(DataSource(str(DATA / "counties.shp"))[0])
    assert all(problem.message.startswith("无法读取几何") for problem in report.errors), report.summary()
    assert Division.objects.count() == before


def test_a_file_that_is_not_spatial_data_is_refused(db, tmp_path):
    (tmp_path / "notes.geojson").write_text("this is not json", "utf-8")
    report = import_divisions(tmp_path / "notes.geojson", level="county", code_field="code", name_field="name")
    assert not report.ok and "无法读取" in report.error


def test_missing_fields_are_named_with_the_fields_that_exist(db):
    report = import_divisions(DATA / "counties.shp", level="county", code_field="ADCODE", name_field="NAME")
    assert "ADCODE" in report.error and "CODE" in report.error


def test_a_shapefile_without_prj_needs_an_explicit_srid(db, tmp_path):
    for ext in ("shp", "shx", "dbf", "cpg"):
        shutil.copy(DATA / f"counties.{ext}", tmp_path / f"noprj.{ext}")
    report = import_divisions(tmp_path / "noprj.shp", level="county", code_field="CODE", name_field="NAME")
    assert ".prj" in report.error
    report = import_divisions(tmp_path / "noprj.shp", level="county", code_field="CODE", name_field="NAME", srid=4490)
    assert report.ok, report.summary()


def test_codes_outside_the_parent_or_of_the_wrong_level_are_rejected(db, tmp_path):
    path = write_geojson(tmp_path / "wrong.geojson", [
        feature("640521100000", "外县镇", square(105.5, 37.0)),
        feature("620521100201", "某村", square(106.1, 34.7)),
    ])
    report = import_divisions(path, level="township", code_field="code", name_field="name", parent="620521")
    reasons = " ".join(e.message for e in report.errors)
    assert "不在上级区划" in reasons and "村级" in reasons


def test_projected_input_is_transformed_to_cgcs2000(db, tmp_path):
    lonlat = GEOSGeometry(json.dumps(square(106.1, 34.7, 0.02)))  # inside 清水县
    lonlat.srid = 4490
    gk = lonlat.transform(4544, clone=True)
    path = tmp_path / "gk.geojson"
    path.write_text(json.dumps({
        "type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4544"}},
        "features": [{"type": "Feature", "properties": {"code": "620521498000", "name": "投影区"}, "geometry": json.loads(gk.json)}],
    }), "utf-8")
    report = import_divisions(path, level="township", code_field="code", name_field="name")
    assert report.ok, report.summary()
    geom = Division.objects.current().get(code="620521498000").geom
    assert abs(geom.extent[0] - 106.1) < 1e-6 and abs(geom.extent[1] - 34.7) < 1e-6


def test_a_zipped_shapefile_is_imported_and_a_hostile_zip_refused(db, tmp_path):
    import zipfile

    good = tmp_path / "counties.zip"
    with zipfile.ZipFile(good, "w") as zf:
        for ext in ("shp", "shx", "dbf", "prj", "cpg"):
            zf.write(DATA / f"counties.{ext}", f"counties/counties.{ext}")
    assert import_divisions(good, level="county", code_field="CODE", name_field="NAME").ok
    bad = tmp_path / "evil.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("../../evil.shp", b"x")
    report = import_divisions(bad, level="county", code_field="CODE", name_field="NAME")
    assert not report.ok and "不安全" in report.error


def test_dry_run_reports_changes_but_writes_nothing(db, tmp_path):
    path = write_geojson(tmp_path / "new.geojson", [feature("620521497000", "新设乡", square(106.2, 34.8))])
    report = import_divisions(path, level="township", code_field="code", name_field="name", dry_run=True)
    assert report.ok and report.created == ["620521497000"]
    assert not Division.objects.filter(code="620521497000").exists()


def test_the_command_prints_the_report_and_fails_loudly(db, tmp_path, capsys):
    (tmp_path / "bad.geojson").write_text("{", "utf-8")
    with pytest.raises(CommandError, match="未写入"):
        call_command("import_divisions", str(tmp_path / "bad.geojson"), "--level", "county",
                     "--code-field", "code", "--name-field", "name", verbosity=0)
    call_command("import_divisions", str(DATA / "counties.shp"), "--level", "county", "--code-field", "CODE",
                 "--name-field", "NAME", "--dry-run", verbosity=0)
    out = capsys.readouterr().out
    assert "要素 16 个" in out and "试运行" in out
