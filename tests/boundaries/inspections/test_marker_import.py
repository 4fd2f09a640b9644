"""The marker register import (界桩成果表): all or nothing with a reason per row, from CSV,
Shapefile and GeoPackage; the CSV export imports again unchanged; outsiders refused."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.contrib.gis.gdal import DataSource
from pyproj import Geod

from boundaries.inspections.demo import _place
from boundaries.inspections.importer import export_rows, import_markers
from boundaries.inspections.models import BoundaryMarker, ReferenceObject

GRS80 = Geod(ellps="GRS80")
HEADER = ["编号", "经度", "纬度", "高程", "材质", "埋设日期", "管理方", "方位物", "说明"]


def _rows(line, n=5):
    placed, _length = _place(line, [2000 + 8000 * i for i in range(n)])
    return [[f"清秦{i + 1:03d}Q", f"{p.x:.8f}", f"{p.y:.8f}", "1520.5", "花岗岩", "2003-10-01", "620521",
             "独立大树|45|12.5|村口", ""] for i, (p, _none) in enumerate(placed)]


def _csv(tmp_path, rows, name="markers.csv"):
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_a_good_register_imports_and_a_second_import_changes_nothing(tmp_path, qinan_line, zoning_officer):
    path = _csv(tmp_path, _rows(qinan_line))
    report = import_markers(path, line=qinan_line, user=zoning_officer)
    assert report.ok, report.summary()
    assert len(report.created) == 5
    marker = BoundaryMarker.objects.get(line=qinan_line, serial=1)
    assert marker.managed_by.code == "620521000000" and marker.elevation_m == 1520.5
    assert ReferenceObject.objects.get(marker=marker).bearing_deg == 45
    again = import_markers(path, line=qinan_line, user=zoning_officer)
    assert again.ok and again.created == [] and again.updated == [] and len(again.unchanged) == 5


def test_a_broken_register_is_refused_with_a_reason_per_row_and_nothing_written(tmp_path, qinan_line, zoning_officer):
    rows = _rows(qinan_line, 6)
    rows[1][0] = "清秦001Q"             # duplicate number
    rows[2][0] = "清秦003X"             # wrong letter
    rows[3][1] = "abc"                  # bad coordinate
    far = GRS80.fwd(float(rows[4][1]), float(rows[4][2]), 90, 3000)
    rows[4][1], rows[4][2] = f"{far[0]:.8f}", f"{far[1]:.8f}"  # 3 km from the line
    rows[5][6] = "640500"               # managing side not on this line
    report = import_markers(_csv(tmp_path, rows), line=qinan_line, user=zoning_officer)
    assert not report.ok
    reasons = {e.line: e.message for e in report.errors}
    assert set(reasons) == {3, 4, 5, 6, 7}
    assert "重复" in reasons[3] and "类型字母" in reasons[4] and "坐标无效" in reasons[5]
    assert "距界线" in reasons[6] and "管理方" in reasons[7]
    assert "未写入任何数据" in report.summary()
    assert not BoundaryMarker.objects.filter(line=qinan_line).exists()


def test_a_dry_run_reports_the_markers_it_would_create_and_writes_none(tmp_path, qinan_line, zoning_officer):
    report = import_markers(_csv(tmp_path, _rows(qinan_line)), line=qinan_line, user=zoning_officer, dry_run=True)
    assert report.ok and not report.saved and len(report.created) == 5
    assert "试运行：未写入任何数据。" in report.summary()
    assert not BoundaryMarker.objects.filter(line=qinan_line).exists()


def test_the_register_page_checks_an_upload_and_shows_the_report(client, tmp_path, qinan_line, zoning_officer):
    client.force_login(zoning_officer)
    with _csv(tmp_path, _rows(qinan_line)).open("rb") as upload:
        response = client.post(f"/boundaries/inspections/lines/{qinan_line.pk}/markers/",
                               {"file": upload, "dry_run": "1"})
    assert response.status_code == 200 and response.context["report"].ok
    assert "文件：markers.csv（界线" in response.content.decode() and "新增 5" in response.content.decode()
    assert not BoundaryMarker.objects.filter(line=qinan_line).exists()


def test_serials_out_of_order_refuse_the_whole_file(tmp_path, qinan_line, zoning_officer):
    rows = _rows(qinan_line, 4)
    rows[1][1:3], rows[2][1:3] = rows[2][1:3], rows[1][1:3]
    report = import_markers(_csv(tmp_path, rows), line=qinan_line, user=zoning_officer)
    assert not report.ok and any("顺序" in e.message for e in report.errors)
    assert not BoundaryMarker.objects.exists()


def test_a_user_outside_both_sides_cannot_import(tmp_path, qinan_line, outsider):
    report = import_markers(_csv(tmp_path, _rows(qinan_line)), line=qinan_line, user=outsider)
    assert not report.ok and "辖区" in report.error
    assert not BoundaryMarker.objects.exists()


def test_the_csv_export_imports_again_unchanged(tmp_path, markers, qinan_line, zoning_officer):
    rows = export_rows(BoundaryMarker.objects.along(qinan_line).prefetch_related("references"))
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    report = import_markers(path, line=qinan_line, user=zoning_officer)
    assert report.ok, report.summary()
    assert report.created == [] and report.updated == [] and len(report.unchanged) == len(markers)


def _write_layer(tmp_path, driver: str, rows, srid: int):
    """Write the rows as a point layer with ogr2ogr from a CSV (GDAL command line)."""
    import subprocess

    from pyproj import Transformer

    to = Transformer.from_crs(4490, srid, always_xy=True)
    src = tmp_path / "src.csv"
    with src.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["BH", "X", "Y", "CZ", "MSRQ", "GLF"])
        for row in rows:
            x, y = to.transform(float(row[1]), float(row[2]))
            writer.writerow([row[0], f"{x:.4f}", f"{y:.4f}", row[4], row[5], row[6]])
    suffix = ".shp" if driver == "ESRI Shapefile" else ".gpkg"
    target = tmp_path / f"markers{suffix}"
    subprocess.run(["ogr2ogr", "-f", driver, str(target), str(src), "-oo", "X_POSSIBLE_NAMES=X", "-oo",
                    "Y_POSSIBLE_NAMES=Y", "-a_srs", f"EPSG:{srid}", "-lco", "ENCODING=UTF-8"] if driver == "ESRI Shapefile"
                   else ["ogr2ogr", "-f", driver, str(target), str(src), "-oo", "X_POSSIBLE_NAMES=X", "-oo",
                         "Y_POSSIBLE_NAMES=Y", "-a_srs", f"EPSG:{srid}"], check=True, capture_output=True)
    assert len(DataSource(str(target))[0]) == len(rows)
    if driver == "ESRI Shapefile":
        archive = tmp_path / "markers.zip"
        with zipfile.ZipFile(archive, "w") as z:
            for part in tmp_path.glob("markers.*"):
                if part.suffix != ".zip":
                    z.write(part, part.name)
        return archive
    return target


@pytest.mark.parametrize("driver", ["ESRI Shapefile", "GPKG"])
def test_layer_registers_import_from_a_projected_crs(tmp_path, qinan_line, zoning_officer, driver):
    rows = _rows(qinan_line, 4)
    path = _write_layer(tmp_path, driver, rows, srid=4544)  # CGCS2000 3-degree Gauss-Krüger, CM 105°E
    report = import_markers(path, line=qinan_line, user=zoning_officer)
    assert report.ok, report.summary()
    for row in rows:
        marker = BoundaryMarker.objects.get(line=qinan_line, number=row[0])
        assert GRS80.inv(marker.geom.x, marker.geom.y, float(row[1]), float(row[2]))[2] < 0.01


def test_export_view_is_csv_with_the_import_columns(client, zoning_officer, markers, qinan_line):
    client.force_login(zoning_officer)
    response = client.get(f"/boundaries/inspections/lines/{qinan_line.pk}/markers.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["编号", "经度", "纬度"] and len(rows) == len(markers) + 1


def test_the_printable_register_lists_every_marker(client, zoning_officer, markers, qinan_line):
    client.force_login(zoning_officer)
    text = client.get(f"/boundaries/inspections/lines/{qinan_line.pk}/markers/print/").content.decode()
    assert "界桩登记表" in text and all(m.number in text for m in markers)
