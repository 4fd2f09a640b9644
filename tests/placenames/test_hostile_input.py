"""Hostile input: every file type and body the platform accepts, each
refused with a clear Chinese message, and nothing written — row counts and stored
files are compared before and after each request or import."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
import shapefile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pyproj import CRS

from boundaries.importer import import_divisions
from boundaries.models import Division
from facilities.models import SiteScenario
from placenames.exchange import COLUMNS, import_placenames
from placenames.models import PlaceName
from placenames.signs.models import SignInspection, SignInstallation, SignPhoto
from tests.placenames.signs.helpers import install_url, installation_data, photo_upload

pytestmark = pytest.mark.usefixtures("_demo_placenames_loaded")


def _state(media_dir=None) -> dict:
    models = (Division, PlaceName, SignInstallation, SignInspection, SignPhoto, SiteScenario)
    state = {m.__name__: m.objects.count() for m in models}
    state["files"] = sorted(p.name for p in media_dir.rglob("*") if p.is_file()) if media_dir and media_dir.exists() else []
    return state


@pytest.fixture
def unchanged(media, db):
    """Assert, after the test, that no row and no file was added."""
    before = _state(media)
    yield
    assert _state(media) == before


# --- JSON bodies and query strings ---------------------------------------------------------


@pytest.mark.parametrize(("url", "body", "message"), [
    ("/api/placenames/check", "[" * 100_000 + "]" * 100_000, "嵌套"),
    ("/api/placenames/check", '{"name": "永清\\u0000路", "kind": "street", "division": "620521"}', "空字符"),
    ("/api/facilities/suggest", '{"division": "620521", "kind": "elderly_station", "count": 1e309}', "超出范围"),
    ("/api/facilities/suggest", '{"division": "620521", "kind": "elderly_station", "count": NaN}', "不允许"),
    ("/api/placenames/check", b"\xff\xfe", "UTF-8"),
])
def test_hostile_json_bodies_are_refused_with_a_message(client, administrator, unchanged, url, body, message):
    client.force_login(administrator)
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400 and message in response.json()["error"]


@pytest.mark.parametrize(("url", "message"), [
    ("/api/divisions/?parent=620521&simplify=-1", "simplify"),
    ("/api/divisions/?parent=620521&simplify=nan", "simplify"),
    ("/api/divisions/?parent=620521&date=2026-02-30", "YYYY-MM-DD"),
    ("/api/divisions/?parent=620521&date=9999-12-31", "之间"),
    ("/api/placenames/search?q=a&bbox=nan,0,1,1", "bbox"),
    ("/api/placenames/search?q=a&centre=inf,1", "centre"),
    ("/api/signs/?limit=0", "limit"),
    ("/api/signs/?limit=-1", "limit"),
    ("/api/signs/?near=1,nan", "near"),
    ("/api/divisions/search?q=%00", "空字符"),
])
def test_hostile_query_strings_get_a_400_with_a_message(client, administrator, url, message):
    client.force_login(administrator)
    response = client.get(url)
    assert response.status_code == 400 and message in response.content.decode()


# --- photos -------------------------------------------------------------------------------------


def test_more_photos_than_allowed_are_refused_before_any_is_read(client, field_worker, village_sign, unchanged,
                                                                  settings):
    client.force_login(field_worker)
    data = installation_data(village_sign)
    data["photo"] = [photo_upload(*village_sign.planned_geom.coords) for _ in range(settings.CIVATLAS_SIGN_MAX_PHOTOS + 1)]
    response = client.post(install_url(village_sign), data)
    assert response.status_code == 400 and "最多" in " ".join(response.json()["errors"])


def test_a_lossless_image_over_its_pixel_limit_is_refused(client, field_worker, village_sign, unchanged, settings):
    settings.CIVATLAS_SIGN_PHOTO_MAX_PIXELS_LOSSLESS = 1_000_000
    out = io.BytesIO()
    Image.new("RGB", (1200, 1000), (0, 0, 0)).save(out, "PNG")
    client.force_login(field_worker)
    data = installation_data(village_sign, photo=SimpleUploadedFile("big.png", out.getvalue(), "image/png"))
    response = client.post(install_url(village_sign), data)
    assert response.status_code == 400 and "像素过多" in " ".join(response.json()["errors"])


def test_an_impossible_timestamp_is_a_400_not_a_500(client, field_worker, village_sign, unchanged):
    client.force_login(field_worker)
    for stamp in ("2026-02-30T10:00:00", "2026-13-01T10:00:00", "2026-02-01T10:00:00+25:00"):
        response = client.post(install_url(village_sign), installation_data(village_sign, installed_at=stamp))
        assert response.status_code == 400 and "时间格式无效" in " ".join(response.json()["errors"]), stamp


def test_a_png_named_jpg_is_stored_as_png_by_its_content(client, field_worker, village_sign, media):
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 20, 30)).save(out, "PNG")
    client.force_login(field_worker)
    data = installation_data(village_sign, photo=SimpleUploadedFile("really.jpg", out.getvalue(), "image/jpeg"))
    response = client.post(install_url(village_sign), data)
    assert response.status_code in (200, 201), response.content
    photo = SignPhoto.objects.get(installation_id=response.json()["id"])
    assert photo.content_type == "image/png" and photo.image.name.endswith(".png")


# --- files: place-name CSV, shapefiles, zips ---------------------------------------------------


def _names_csv(path, rows):
    header = [*COLUMNS.values(), "lon", "lat", "wkt"]
    with path.open("w", encoding="utf-8", newline="") as out:
        import csv

        writer = csv.DictWriter(out, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(("cells", "message"), [
    ({"wkt": "POINT EMPTY"}, "几何为空"),
    ({"lon": "nan", "lat": "34.9"}, "有限数"),
    ({"standard_name": "永清\x00山"}, "空字符"),
    ({"standard_name": "=HYPERLINK(1)"}, "公式"),
    ({"wkt": "POINT(1e400 1)"}, ""),
])
def test_hostile_place_name_rows_are_refused_and_nothing_is_written(zoning_officer, tmp_path, unchanged, cells,
                                                                    message):
    row = {"standard_name": "新山", "place_type_code": "terrain", "division_code": "620521100000",
           "lon": "106.0", "lat": "34.9", **cells}
    report = import_placenames(_names_csv(tmp_path / "names.csv", [row]), user=zoning_officer)
    assert not report.ok and message in " ".join(e.message for e in report.errors)


def _shapefile(path, records, *, encoding="gbk", cpg=False):
    with shapefile.Writer(str(path), shapeType=shapefile.POLYGON, encoding=encoding) as shp:
        shp.field("CODE", "C", 12)
        shp.field("NAME", "C", 40)
        for code, name, ring in records:
            shp.poly([ring])
            shp.record(code, name)
    path.with_suffix(".prj").write_text(CRS.from_epsg(4490).to_wkt("WKT1_ESRI"), "utf-8")
    cpg_file = path.with_suffix(".cpg")
    if cpg:
        cpg_file.write_text("UTF-8", "ascii")
    elif cpg_file.exists():
        cpg_file.unlink()
    return path.with_suffix(".shp")


def _ring(lon, lat, size=0.02):
    return [[lon, lat], [lon, lat + size], [lon + size, lat + size], [lon + size, lat], [lon, lat]]


def test_a_gbk_shapefile_without_cpg_is_read_as_gb18030_and_says_so(tmp_path, db):
    path = _shapefile(tmp_path / "gbk", [("620521497000", "新设乡", _ring(106.1, 34.7))])
    report = import_divisions(path, level="township", code_field="CODE", name_field="NAME", dry_run=True)
    assert report.ok, report.summary()
    assert any("GB18030" in note for note in report.repaired)
    wrong = import_divisions(path, level="township", code_field="CODE", name_field="NAME", encoding="utf-8")
    assert not wrong.ok and "--encoding" in wrong.error


def test_a_township_placed_in_chile_is_refused_under_qingshui(tmp_path, unchanged):
    path = _shapefile(tmp_path / "chile", [("620521497000", "智利乡", _ring(-70.6, -33.4))], encoding="utf-8",
                      cpg=True)
    report = import_divisions(path, level="township", code_field="CODE", name_field="NAME")
    assert not report.ok and "100.0% 的面积在上级区划 清水县" in report.summary()


def test_a_zip_with_a_path_outside_its_folder_is_refused(tmp_path, unchanged):
    bad = tmp_path / "evil.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("../../evil.shp", b"x")
    report = import_divisions(bad, level="county", code_field="CODE", name_field="NAME")
    assert not report.ok and "不安全" in report.error


def test_a_corrupt_geopackage_of_names_is_refused_with_a_message(zoning_officer, tmp_path, unchanged):
    path = tmp_path / "names.gpkg"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    report = import_placenames(path, user=zoning_officer)
    assert not report.ok and "GeoPackage" in report.error
    assert json.dumps(report.error, ensure_ascii=False)
