"""Gazetteer import/export in the national database's columns: CSV and GeoPackage round
trips, all-or-nothing imports, jurisdiction."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.gis.gdal import DataSource
from django.core.management import CommandError, call_command

from placenames.actions import create_place_name
from placenames.exchange import export_csv, export_gpkg, import_placenames
from placenames.models import FormerName, PlaceName


@pytest.fixture
def names(qingshui):
    yongqing = qingshui.children.current().get(code="620521100000")
    river = create_place_name(standard_name="牛头河", category="water", division=yongqing, geom=yongqing.seat,
                              meaning="河形似牛头", origin="因形得名")
    FormerName.objects.create(place=river, name="牛河")
    return PlaceName.objects.filter(pk=river.pk)


def _rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_a_csv_export_uses_the_national_database_columns(names):
    row = _rows(export_csv(names))[0]
    assert row["standard_name"] == "牛头河" and row["roman_alphabet_spelling"] == "Niútóu Hé"
    assert row["place_type_code"] == "water" and row["division_code"] == "620521100000"
    assert row["place_meaning"] == "河形似牛头" and row["old_name"] == "牛河"
    assert 105 < float(row["lon"]) < 107


def test_a_geopackage_export_opens_in_gdal_with_chinese_names(names, tmp_path):
    path = tmp_path / "names.gpkg"
    path.write_bytes(export_gpkg(names))
    layer = DataSource(str(path))[0]
    assert layer.name == "placenames" and layer.srs.srid == 4490
    assert [f.get("standard_name") for f in layer] == ["牛头河"]


def test_a_csv_round_trip_creates_then_updates_and_keeps_former_names(names, zoning_officer, tmp_path):
    path = tmp_path / "names.csv"
    rows = _rows(export_csv(names))
    rows[0]["place_meaning"] = "新的含义"
    rows.append({**rows[0], "standard_name": "黑虎山", "place_type_code": "terrain", "old_name": "", "code": ""})
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = import_placenames(path, user=zoning_officer)
    assert report.ok, report.summary()
    assert report.updated == ["牛头河"] and report.created == ["黑虎山"]
    assert PlaceName.objects.get(standard_name="牛头河").meaning == "新的含义"
    assert PlaceName.objects.get(standard_name="黑虎山").romanization == "Hēihǔ Shān"


def test_one_bad_row_fails_the_whole_import_and_writes_nothing(zoning_officer, qingshui, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "standard_name,place_type_code,division_code,lon,lat\n"
        "石门沟,water,620521100000,106.1,34.7\n"
        "无名,planet,620521100000,106.1,34.7\n"
        "远方村,settlement,640521000000,105.6,37.5\n"
        "坏点,terrain,620521100000,999,34.7\n",
        "utf-8",
    )
    before = PlaceName.objects.count()
    report = import_placenames(path, user=zoning_officer)
    assert not report.ok and len(report.errors) == 3
    assert any("GB/T 18521" in e.message for e in report.errors) and any("辖区" in e.message for e in report.errors)
    assert PlaceName.objects.count() == before
    with pytest.raises(CommandError):
        call_command("import_placenames", str(path), "--user", zoning_officer.username)


def test_a_dry_run_writes_nothing_and_a_missing_column_is_named(zoning_officer, qingshui, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("standard_name,place_type_code,division_code\n石门沟,water,620521100000\n", "utf-8")
    report = import_placenames(good, user=zoning_officer, dry_run=True)
    assert report.ok and report.created == ["石门沟"]
    assert not PlaceName.objects.filter(standard_name="石门沟").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("name\n石门沟\n", "utf-8")
    assert "place_type_code" in import_placenames(bad, user=zoning_officer).error


def test_the_export_endpoint_is_scoped_to_the_jurisdiction(client, names, zoning_officer, outsider):
    client.force_login(zoning_officer)
    response = client.get("/api/placenames/export?within=620521&format=csv")
    assert response.status_code == 200 and "牛头河" in response.content.decode("utf-8-sig")
    client.force_login(outsider)
    assert client.get("/api/placenames/export?within=620521&format=csv").status_code == 403
