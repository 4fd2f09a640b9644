"""Marker positions are survey data (DOMAIN.md §3): absent from every public response and
from every response to users whose jurisdiction does not touch the line (or whose role
has no marker access), over every GET route of the site — lists, details, the map,
exports, the portal, the field pages, reports — with a positive control showing that
the same check finds them for a zoning officer of the line's side."""

from __future__ import annotations

import re
import struct

import pytest
from django.contrib.gis.geos import Point
from django.urls import URLPattern, URLResolver, get_resolver

from boundaries.inspections import actions
from boundaries.inspections.models import BoundaryMarker, InspectionPhoto, LineFinding
from boundaries.inspections.telemetry import record_reading, register_device
from geoapp.actions import set_up_user
from geoapp.roles import Role
from tests.boundaries.inspections.conftest import check_marker

SENTINEL = (123.4567891234, 12.3456789876)  # far from every demo division


def _routes():
    """Every routed path template of the site (admin internals excluded: the models of
    this package are not registered there)."""

    def walk(resolver, prefix):
        for item in resolver.url_patterns:
            if isinstance(item, URLResolver):
                if str(item.pattern).startswith("admin/"):
                    continue
                yield from walk(item, prefix + str(item.pattern))
            elif isinstance(item, URLPattern):
                yield prefix + str(item.pattern)

    return sorted(set(walk(get_resolver(), "/")))


def _fill(route: str, ids: list[int]) -> list[str]:
    if route.startswith("/^") or "(?P" in route:
        return []
    paths = [route]
    out = []
    for path in paths:
        path = re.sub(r"<str:code>", "620521000000", path)
        path = re.sub(r"<str:(action|decision|step)>", "start", path)
        path = re.sub(r"<slug:table>", "villages", path)
        if "<int:" in path:
            out += [re.sub(r"<int:\w+>", str(i), path) for i in ids]
        else:
            out.append(path)
    return out


def _leaks(content: bytes, points) -> list[str]:
    found = []
    for x, y in points:
        for text in (f"{x:.7f}", f"{y:.7f}", repr(x)[:11], repr(y)[:10]):
            if text.encode() in content:
                found.append(text)
        for value in (x, y):
            if struct.pack("<d", value) in content or struct.pack(">d", value) in content:
                found.append(f"binary {value}")
    return found


@pytest.fixture
def sensitive(fieldwork, markers, qinan_line, zoning_officer, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    sentinel = BoundaryMarker.objects.create(line=qinan_line, number="清秦099Q", serial=99, letter="Q",
                                             geom=Point(*SENTINEL, srid=4490))
    check, _ = check_marker(fieldwork, markers[2], zoning_officer, condition="displaced")
    finding, _ = actions.record_finding(inspection=fieldwork, client_id=__import__("uuid").uuid4(), kind="hazard",
                                        lon=markers[1].geom.x, lat=markers[1].geom.y, description="塌方",
                                        recorded_by=zoning_officer)
    issue = actions.open_issue_from_finding(finding=finding, by=zoning_officer)
    device, token = register_device(marker=sentinel, device_id="S-1", token="tok")
    record_reading(device_id="S-1", token=token, payload={"tilt_deg": 30}, channel="http")
    ids = sorted({fieldwork.pk, qinan_line.pk, sentinel.pk, markers[0].pk, check.pk, finding.pk, issue.pk,
                  InspectionPhoto.objects.first().pk, LineFinding.objects.first().pk, 1})
    points = [SENTINEL, (markers[0].geom.x, markers[0].geom.y), (markers[5].geom.x, markers[5].geom.y)]
    return ids, points


def _visit_all(client, ids, extra=()):
    seen = {}
    for route in _routes():
        for path in _fill(route, ids):
            response = client.get(path)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            seen[path] = (response.status_code, body)
    for path in extra:
        response = client.get(path)
        seen[path] = (response.status_code, b"".join(response.streaming_content) if response.streaming
                      else response.content)
    return seen


EXTRA = (
    "/api/export/boundaries?format=geojson&within=620521&level=county",
    "/api/export/boundaries?format=gpkg&within=620521&level=county",
    "/api/export/boundaries?format=shp&within=620521&level=county",
    "/api/boundary-lines/?parent=620500&level=county",
    "/api/inspections/markers/?line={line}",
    "/names/?q=清水",
)


def _extra(ids, line_id):
    return [p.format(line=line_id) for p in EXTRA]


@pytest.mark.parametrize("who", ["anonymous", "outsider", "township_worker", "planner", "viewer"])
def test_marker_positions_reach_no_public_or_out_of_jurisdiction_response(client, sensitive, qinan_line, who,
                                                                          outsider, field_worker, planner):
    ids, points = sensitive
    users = {
        "outsider": outsider,                # 中卫市 zoning officer
        "township_worker": field_worker,     # 永清镇: inside 清水县 but not touching the county line
        "planner": planner,                  # 天水市 planner: the role has no access to markers
        "viewer": set_up_user(username="viewer_qs", role=Role.VIEWER, jurisdiction="620521000000"),
    }
    if who != "anonymous":
        client.force_login(users[who])
    seen = _visit_all(client, ids, _extra(ids, qinan_line.pk))
    assert len(seen) > 60
    leaks = {path: _leaks(body, points) for path, (_status, body) in seen.items()}
    assert {path: found for path, found in leaks.items() if found} == {}


def test_the_same_check_finds_the_positions_for_an_officer_of_the_line(client, sensitive, qinan_line, zoning_officer,
                                                                       qinan_officer):
    ids, points = sensitive
    for officer in (zoning_officer, qinan_officer):
        client.force_login(officer)
        line_page = client.get(f"/boundaries/inspections/lines/{qinan_line.pk}/").content
        api = client.get(f"/api/inspections/markers/?line={qinan_line.pk}").content
        export = client.get(f"/boundaries/inspections/lines/{qinan_line.pk}/markers.csv").content
        assert _leaks(line_page, points[:1]) and _leaks(api, points[:1]) and _leaks(export, points[:1])
