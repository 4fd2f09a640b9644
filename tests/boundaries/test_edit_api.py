"""The editor's HTTP API: load a line, propose (201 / 400 with a place / 409 / 403),
approve through the review page, and the map "as of" the day before the edit."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from shapely.geometry import shape

from boundaries.actions import build_boundary_lines
from boundaries.models import BoundaryLine, Division, EditStatus, LineEdit
from geoapp.actions import set_up_user
from geoapp.roles import Role
from tests.boundaries.test_line_edits import _longest_edge, _moved_vertex

QINGSHUI, ZHANGJIACHUAN = "620521000000", "620525000000"


@pytest.fixture
def line(db):
    build_boundary_lines(parent=Division.objects.current().get(code="620500000000"), level="county")
    return BoundaryLine.objects.current().get(left__code=QINGSHUI, right__code=ZHANGJIACHUAN)


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _proposal(line, metres, version=1):
    edge_id, coords = _longest_edge(line)
    return {"version": version, "reason": "联检", "document_no": "1号",
            "edges": [{"edge_id": edge_id, "coordinates": _moved_vertex(coords, metres)}]}


def test_the_editor_loads_a_lines_edges_and_version(client, zoning_officer, line):
    client.force_login(zoning_officer)
    data = client.get(f"/api/boundary-lines/{line.pk}/").json()
    assert data["version"] == 1 and data["can_edit"] is True
    assert data["left"]["name"] == "清水县" and data["right"]["name"] == "张家川回族自治县"
    assert sorted(e["edge_id"] for e in data["edges"]) == sorted(line.edge_ids)


def test_a_proposal_is_filed_a_crossing_is_refused_with_its_place_and_a_stale_version_conflicts(
    client, zoning_officer, line
):
    client.force_login(zoning_officer)
    url = f"/api/boundary-lines/{line.pk}/edits/"
    created = _post(client, url, _proposal(line, 200))
    assert created.status_code == 201
    assert set(created.json()["area_changes"]) == {QINGSHUI, ZHANGJIACHUAN}

    refused = _post(client, url, _proposal(line, 60_000))
    assert refused.status_code == 400
    lon, lat = refused.json()["location"]
    assert 104 < lon < 107 and 34 < lat < 36  # marked on the map near the line

    assert _post(client, url, {"version": 1, "edges": "nonsense", "reason": "x"}).status_code == 400
    assert client.post(url, b"{not json", content_type="application/json").status_code == 400
    line.version = 2
    line.save(update_fields=["version"])
    conflict = _post(client, url, _proposal(line, 200, version=1))
    assert conflict.status_code == 409 and conflict.json()["conflict"] is True


def test_outsiders_and_anonymous_users_cannot_see_or_edit_the_line(client, outsider, line):
    assert client.get(f"/api/boundary-lines/{line.pk}/").status_code == 401
    client.force_login(outsider)
    assert client.get(f"/api/boundary-lines/{line.pk}/").status_code == 404
    assert _post(client, f"/api/boundary-lines/{line.pk}/edits/", _proposal(line, 200)).status_code == 404


def test_approval_through_the_review_page_and_the_map_as_of_yesterday(client, zoning_officer, line):
    client.force_login(zoning_officer)
    edit_id = _post(client, f"/api/boundary-lines/{line.pk}/edits/", _proposal(line, 300)).json()["id"]
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    before = {f["id"]: f["properties"]["area_km2"] for f in client.get("/api/divisions/?parent=620500").json()["features"]}

    page = client.get(f"/boundaries/edits/{edit_id}/")
    assert page.status_code == 200 and "面积变化" in page.content.decode()
    # The proposer is not offered 批准 (four eyes), and is told who must approve.
    assert 'id="approve"' not in page.content.decode() and 'id="proposer-note"' in page.content.decode()
    colleague = set_up_user(username="zoning_ts", role=Role.ZONING, jurisdiction="620500000000", password="pw-123456")
    client.force_login(colleague)
    assert 'id="approve"' in client.get(f"/boundaries/edits/{edit_id}/").content.decode()
    response = client.post(f"/boundaries/edits/{edit_id}/approve")
    assert response.status_code == 302 and "changed=" in response["Location"]
    assert LineEdit.objects.get(pk=edit_id).status == EditStatus.APPLIED

    now = {f["id"]: f["properties"]["area_km2"] for f in client.get("/api/divisions/?parent=620500").json()["features"]}
    then = {f["id"]: f["properties"]["area_km2"]
            for f in client.get(f"/api/divisions/?parent=620500&date={yesterday}").json()["features"]}
    assert now[QINGSHUI] != before[QINGSHUI] and then == before
    old_line = client.get(f"/api/boundary-lines/?parent=620500&level=county&date={yesterday}").json()
    new_line = client.get("/api/boundary-lines/?parent=620500&level=county").json()
    key = (QINGSHUI, ZHANGJIACHUAN)
    pick = {(f["properties"]["left"], f["properties"]["right"]): shape(f["geometry"]) for f in old_line["features"]}
    now_pick = {(f["properties"]["left"], f["properties"]["right"]): shape(f["geometry"]) for f in new_line["features"]}
    assert not pick[key].equals(now_pick[key])
    assert pick[key].equals_exact(shape(json.loads(LineEdit.objects.get(pk=edit_id).old_geom.geojson)), 1e-7)
