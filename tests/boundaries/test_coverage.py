"""Coverage validation: children must tile their parent (gaps, overlaps, outside, invalid)."""

from __future__ import annotations

import json

import pytest
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon
from django.core.management import CommandError, call_command

from boundaries.coverage import check_coverage
from boundaries.models import Division


def _multi(geom):
    return geom if geom.geom_type == "MultiPolygon" else MultiPolygon(geom, srid=geom.srid)


def test_the_townships_of_qingshui_tile_it(qingshui):
    report = check_coverage(qingshui)
    assert report.ok, report.summary()
    assert report.children == 19


def test_a_shrunken_township_leaves_a_gap_of_the_right_size(qingshui):
    township = qingshui.children.current().order_by("code").first()
    before = township.area_km2 * 1e6
    township.geom = _multi(township.geom.buffer(-0.002))
    township.save()
    township.refresh_from_db()
    lost = before - township.area_km2 * 1e6
    report = check_coverage(qingshui)
    gaps = [p for p in report.problems if p.kind == "gap"]
    assert gaps and not report.ok
    assert sum(p.area_m2 for p in gaps) == pytest.approx(lost, rel=1e-3)
    # Each problem has a place on the map inside the county.
    assert all(qingshui.geom.covers(GEOSGeometry(f"POINT({p.lon} {p.lat})", srid=4490)) for p in gaps)


def test_a_township_grown_into_its_neighbours_is_an_overlap_and_outside_the_county(qingshui):
    township = qingshui.children.current().order_by("code").first()
    township.geom = _multi(township.geom.buffer(0.01))
    township.save()
    kinds = {p.kind for p in check_coverage(qingshui).problems}
    assert {"overlap", "outside"} <= kinds


def test_an_invalid_child_geometry_is_reported_with_its_reason(qingshui):
    township = qingshui.children.current().order_by("code").first()
    x, y = township.seat.x, township.seat.y
    bowtie = Polygon(((x, y), (x + 0.01, y + 0.01), (x + 0.01, y), (x, y + 0.01), (x, y)), srid=4490)
    Division.objects.filter(pk=township.pk).update(geom=MultiPolygon(bowtie, srid=4490))
    report = check_coverage(qingshui)
    assert [p.kind for p in report.problems] == ["invalid"]
    assert "Self-intersection" in report.problems[0].reason


def test_the_command_exits_non_zero_and_prints_json_problems(qingshui, capsys):
    call_command("check_coverage", "--parent", "620521")  # clean: no exception
    township = qingshui.children.current().order_by("code").first()
    township.geom = _multi(township.geom.buffer(-0.002))
    township.save()
    capsys.readouterr()
    with pytest.raises(CommandError):
        call_command("check_coverage", "--parent", "620521", "--json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is False and payload["problems"][0]["kind"] == "gap"


def test_the_coverage_api_reports_problems_with_their_geometry_inside_the_jurisdiction_only(
    client, qingshui, zoning_officer, outsider
):
    assert client.get("/api/coverage/?parent=620521").status_code == 401
    client.force_login(zoning_officer)
    assert client.get("/api/coverage/?parent=620521").json()["ok"] is True
    township = qingshui.children.current().order_by("code").first()
    township.geom = _multi(township.geom.buffer(-0.002))
    township.save()
    report = client.get("/api/coverage/?parent=620521").json()
    assert report["ok"] is False and report["problems"][0]["kind"] == "gap"
    assert report["problems"][0]["geometry"]["type"] == "Polygon"
    client.force_login(outsider)
    assert client.get("/api/coverage/?parent=620521").status_code == 404
