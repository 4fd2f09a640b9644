"""WFS 2.0 read by GDAL's own WFS client (the driver QGIS uses) against a live server:
features, attributes, CRS (CGCS2000 and Web Mercator), a bbox filter, and scoping by
token (boundary lines only for a user with a token, only inside the jurisdiction)."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from django.contrib.gis.geos import Point, Polygon

from boundaries.models import BoundaryLine, Division
from facilities.models import Facility
from geoapp.ows.models import AccessToken


def _ogrinfo(url: str, *args: str, token: str | None = None) -> str:
    env = {**os.environ, "GDAL_HTTP_TIMEOUT": "60"}
    if token:
        env["GDAL_HTTP_HEADERS"] = f"Authorization: Token {token}"
    done = subprocess.run(["ogrinfo", "-ro", *([] if "-so" in args else ["-q"]), f"WFS:{url}", *args], capture_output=True, text=True, env=env,
                          timeout=180)
    return done.stdout + done.stderr


def _codes(output: str) -> set[str]:
    return set(re.findall(r"code \(String\) = (\d{12})", output))


@pytest.fixture
def wfs(live_server, demo_data):
    return f"{live_server.url}/ows/wfs"


def test_gdal_reads_counties_with_attributes_crs_and_a_bbox_filter(wfs):
    box = (105.90, 34.70, 106.00, 34.80)
    out = _ogrinfo(wfs, "divisions", "-spat", *map(str, box), "-where", "level='county'", "-geom=SUMMARY")
    expected = set(
        Division.objects.current().at_level("county").filter(geom__intersects=Polygon.from_bbox(box))
        .values_list("code", flat=True)
    )
    assert "620521000000" in expected
    assert _codes(out) == expected, out[-2000:]
    assert "name (String) = 清水县" in out and "MULTISURFACE" in out

    summary = _ogrinfo(wfs, "-so", "divisions")
    assert 'ID["EPSG",4490]' in summary
    for attribute in ("code: String", "name: String", "level: String", "source: String"):
        assert attribute in summary


def test_gdal_gets_facilities_in_web_mercator(wfs):
    facility = Facility.objects.create(kind="nursing_home", name="合成WFS测试养老院",
                                       division=Division.objects.current().get(code="620521000000"),
                                       location=Point(106.1, 34.75, srid=4490))
    metres = facility.location.transform(3857, clone=True)
    box = (metres.x - 1000, metres.y - 1000, metres.x + 1000, metres.y + 1000)
    out = _ogrinfo(f"{wfs}?SRSNAME=urn:ogc:def:crs:EPSG::3857", "facilities", "-spat", *map(str, box))
    match = re.search(r"name \(String\) = 合成WFS测试养老院\s+.*?POINT \(([\d.]+) ([\d.]+)\)", out, re.S)
    assert match, out[-2000:]
    x, y = map(float, match.groups())
    assert Point(x, y, srid=3857).distance(metres) < 0.01
    area = Polygon.from_bbox(box)
    area.srid = 3857
    assert len(re.findall(r"POINT \(", out)) == Facility.objects.filter(location__intersects=area).count()


def test_boundary_lines_need_a_token_and_stay_inside_the_jurisdiction(wfs, qingshui, zoning_officer, outsider):
    assert "boundary_lines" not in _ogrinfo(wfs)
    _, token = AccessToken.issue(zoning_officer, "QGIS")
    listing = _ogrinfo(wfs, token=token)
    assert "app:boundary_lines" in listing
    out = _ogrinfo(wfs, "boundary_lines", "-geom=NO", token=token)
    ids = {int(i) for i in re.findall(r"id \(Integer\) = (\d+)", out)}
    assert ids == set(BoundaryLine.objects.current().for_user(zoning_officer).values_list("id", flat=True)) != set()
    _, other = AccessToken.issue(outsider, "QGIS")
    # The outsider (中卫市) sees their own lines, exactly, and none of 清水县's.
    theirs = {int(i) for i in re.findall(r"id \(Integer\) = (\d+)", _ogrinfo(wfs, "boundary_lines", "-geom=NO", token=other))}
    assert theirs == set(BoundaryLine.objects.current().for_user(outsider).values_list("id", flat=True))
    assert not theirs & ids
    assert "boundary_lines" not in _ogrinfo(wfs, token="not-a-token")
