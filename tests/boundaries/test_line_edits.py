"""Editing a boundary line: both neighbours move together, crossings are refused,
four eyes approve, and a stale edit is a conflict (real 天水市 counties)."""

from __future__ import annotations

import math
import re

import pytest
from django.contrib.gis.geos import GEOSGeometry, LineString
from django.core.exceptions import PermissionDenied
from pyproj import Transformer

from boundaries import topology
from boundaries.actions import approve_line_edit, propose_line_edit, reject_line_edit
from boundaries.coverage import check_coverage
from boundaries.edit_geometry import EditConflict, EditRefused
from boundaries.models import BoundaryLine, Division, EditStatus
from geoapp.actions import set_up_user
from geoapp.roles import Role

QINGSHUI, ZHANGJIACHUAN = "620521000000", "620525000000"
TO_GK = Transformer.from_crs(4490, 4544, always_xy=True)  # CGCS2000 3° GK, CM 105°E
TO_LONLAT = Transformer.from_crs(4544, 4490, always_xy=True)


@pytest.fixture
def county_line(db):
    """The line 清水县 | 张家川回族自治县, derived (with every level) from the real outlines."""
    return BoundaryLine.objects.current().get(level="county", left__code=QINGSHUI, right__code=ZHANGJIACHUAN)


@pytest.fixture
def city_officer(db):
    """A second zoning officer, of 天水市 (covers both sides of a line inside the city)."""
    return set_up_user(username="zoning_ts", role=Role.ZONING, jurisdiction="620500000000", password="x-pass-123")


def _longest_edge(line):
    edges = topology.edge_geometries(line.topology, line.edge_ids)
    edge_id = max(edges, key=lambda e: GEOSGeometry(edges[e]).num_points)
    return edge_id, list(GEOSGeometry(edges[edge_id]).coords)


def _moved_vertex(coords, metres):
    """Coordinates with the roomiest interior vertex moved ``metres`` across the line."""
    gk = [TO_GK.transform(x, y) for x, y in coords]

    def room(i):
        return min(math.dist(gk[i], gk[i - 1]), math.dist(gk[i], gk[i + 1]))

    i = max(range(1, len(gk) - 1), key=room)
    (x0, y0), (x1, y1) = gk[i - 1], gk[i + 1]
    nx, ny = -(y1 - y0), x1 - x0
    norm = math.hypot(nx, ny)
    moved = TO_LONLAT.transform(gk[i][0] + metres * nx / norm, gk[i][1] + metres * ny / norm)
    return [*coords[:i], moved, *coords[i + 1 :]]


def _areas(*codes):
    return [Division.objects.current().filter(code=c).with_area().get().area_m2 for c in codes]


def test_moving_a_shared_vertex_200_m_changes_both_counties_by_equal_and_opposite_areas(
    county_line, zoning_officer, city_officer
):
    before = _areas(QINGSHUI, ZHANGJIACHUAN)
    edge_id, coords = _longest_edge(county_line)
    edit = propose_line_edit(
        line=county_line, base_version=1, edges=[{"edge_id": edge_id, "coordinates": _moved_vertex(coords, 200)}],
        reason="联检发现界线走向与协议书附图不符", proposed_by=zoning_officer, document_no="甘民函〔2026〕12号",
    )
    assert edit.status == EditStatus.PENDING
    assert _areas(QINGSHUI, ZHANGJIACHUAN) == before  # nothing changes before approval
    delta = edit.area_changes
    assert abs(delta[QINGSHUI]) > 1000 and delta[QINGSHUI] == pytest.approx(-delta[ZHANGJIACHUAN], abs=1.0)

    approve_line_edit(edit=edit, approved_by=city_officer)
    edit.refresh_from_db()
    assert edit.status == EditStatus.APPLIED
    after = _areas(QINGSHUI, ZHANGJIACHUAN)
    assert after[0] - before[0] == pytest.approx(delta[QINGSHUI], abs=1.0)
    assert after[1] - before[1] == pytest.approx(-(after[0] - before[0]), abs=1.0)
    county_line.refresh_from_db()
    assert county_line.version == 2
    # The county line moved with the township lines on it: the edit touched both levels.
    assert {c[:6] for c in edit.area_changes} == {QINGSHUI[:6], ZHANGJIACHUAN[:6]}
    assert len(edit.area_changes) == 4 and edit.approval_sides == [QINGSHUI, ZHANGJIACHUAN]
    # The old outline is kept in the history, with the reason and document number.
    record = Division.history.filter(code=QINGSHUI).first()
    assert "甘民函〔2026〕12号" in record.history_change_reason
    assert Division.history.filter(code=QINGSHUI).count() >= 2


def test_an_edit_crossing_another_line_is_refused_with_its_place_and_nothing_changes(county_line, zoning_officer):
    before = _areas(QINGSHUI, ZHANGJIACHUAN)
    edge_id, coords = _longest_edge(county_line)
    with pytest.raises(EditRefused) as refused:
        propose_line_edit(
            line=county_line, base_version=1, edges=[{"edge_id": edge_id, "coordinates": _moved_vertex(coords, 60_000)}],
            reason="越界测试", proposed_by=zoning_officer,
        )
    # 60 km across: the new course crosses other edges (PostGIS "geometry crosses edge").
    assert refused.value.message.startswith("新界线与另一条界线相交或经过其他界线的节点：与“"), refused.value.message
    # The refusal names the line crossed (a line of the same level, not this one).
    crossed = re.search(r"与“(.+?)”界线相交", refused.value.message)
    assert crossed, refused.value.message
    assert crossed.group(1) != f"{county_line.left.name}—{county_line.right.name}"
    assert crossed.group(1).startswith(("清水县", "张家川回族自治县", "秦安县", "麦积区", "秦州区"))
    assert county_line.edits.count() == 0
    assert _areas(QINGSHUI, ZHANGJIACHUAN) == before
    county_line.refresh_from_db()
    assert county_line.version == 1


def test_a_concurrent_edit_gets_a_conflict_and_no_update_is_lost(county_line, zoning_officer, city_officer):
    edge_id, coords = _longest_edge(county_line)
    first = propose_line_edit(line=county_line, base_version=1, reason="甲", proposed_by=zoning_officer,
                              edges=[{"edge_id": edge_id, "coordinates": _moved_vertex(coords, 200)}])
    second = propose_line_edit(line=county_line, base_version=1, reason="乙", proposed_by=zoning_officer,
                               edges=[{"edge_id": edge_id, "coordinates": _moved_vertex(coords, -150)}])
    approve_line_edit(edit=first, approved_by=city_officer)
    with pytest.raises(EditConflict):
        approve_line_edit(edit=second, approved_by=city_officer)
    second.refresh_from_db()
    assert second.status == EditStatus.STALE
    with pytest.raises(EditConflict, match="版本"):
        propose_line_edit(line=county_line, base_version=1, reason="丙", proposed_by=zoning_officer,
                          edges=[{"edge_id": edge_id, "coordinates": coords}])


def test_four_eyes_and_both_sides_must_approve_a_line_between_two_jurisdictions(county_line, zoning_officer, outsider):
    edge_id, coords = _longest_edge(county_line)
    edit = propose_line_edit(line=county_line, base_version=1, reason="双方确认", proposed_by=zoning_officer,
                             edges=[{"edge_id": edge_id, "coordinates": _moved_vertex(coords, 100)}])
    with pytest.raises(PermissionDenied, match="提交人"):
        approve_line_edit(edit=edit, approved_by=zoning_officer)
    with pytest.raises(PermissionDenied, match="辖区"):
        approve_line_edit(edit=edit, approved_by=outsider)
    colleague = set_up_user(username="zoning_qs2", role=Role.ZONING, jurisdiction=QINGSHUI, password="x-pass-123")
    approve_line_edit(edit=edit, approved_by=colleague)
    edit.refresh_from_db()
    assert edit.status == EditStatus.PENDING  # 清水县 has approved; 张家川 has not
    neighbour = set_up_user(username="zoning_zjc", role=Role.ZONING, jurisdiction=ZHANGJIACHUAN, password="x-pass-123")
    approve_line_edit(edit=edit, approved_by=neighbour)
    edit.refresh_from_db()
    assert edit.status == EditStatus.APPLIED
    assert sorted(code for a in edit.approvals.all() for code in a.sides) == [QINGSHUI, ZHANGJIACHUAN]


def test_a_field_worker_cannot_propose_and_a_rejected_edit_changes_nothing(county_line, field_worker, zoning_officer,
                                                                            city_officer):
    edge_id, coords = _longest_edge(county_line)
    moved = [{"edge_id": edge_id, "coordinates": _moved_vertex(coords, 100)}]
    with pytest.raises(PermissionDenied):
        propose_line_edit(line=county_line, base_version=1, reason="x", proposed_by=field_worker, edges=moved)
    edit = propose_line_edit(line=county_line, base_version=1, reason="x", proposed_by=zoning_officer, edges=moved)
    reject_line_edit(edit=edit, rejected_by=city_officer, note="与协议书不符")
    edit.refresh_from_db()
    assert edit.status == EditStatus.REJECTED
    county_line.refresh_from_db()
    assert county_line.version == 1


def test_a_township_edit_moves_the_line_trades_area_between_the_townships_and_keeps_the_county_tiled(
    qingshui, zoning_officer, city_officer
):
    line = BoundaryLine.objects.current().of(parent=qingshui, level="township").exclude(right=None).filter(
        left__parent=qingshui, right__parent=qingshui).order_by("-length_km").first()
    sides = (line.left.code, line.right.code)
    before = _areas(*sides, QINGSHUI)
    old_course = line.geom.clone()
    edge_id, coords = _longest_edge(line)
    if len(coords) == 2:  # a straight synthetic edge: add a vertex at its middle, then move it
        coords = [coords[0], ((coords[0][0] + coords[1][0]) / 2, (coords[0][1] + coords[1][1]) / 2), coords[1]]
    moved = _moved_vertex(coords, 200)
    edit = propose_line_edit(line=line, base_version=1, reason="乡镇界线调整", proposed_by=zoning_officer,
                             edges=[{"edge_id": edge_id, "coordinates": moved}])
    approve_line_edit(edit=edit, approved_by=city_officer)
    edit.refresh_from_db()
    assert edit.status == EditStatus.APPLIED
    # The edge runs where the edit put it, and the line record follows it.
    edge = GEOSGeometry(topology.edge_geometries(line.topology, [edge_id])[edge_id])
    assert edge.equals_exact(LineString(moved, srid=edge.srid), 1e-9)
    line.refresh_from_db()
    assert line.version == 2 and not line.geom.equals_exact(old_course, 1e-9)
    # 200 m across the line: one township gains what the other loses; the county keeps its area.
    after = _areas(*sides, QINGSHUI)
    gained = after[0] - before[0]
    assert abs(gained) > 1000 and gained == pytest.approx(edit.area_changes[sides[0]], abs=1.0)
    assert after[1] - before[1] == pytest.approx(-gained, abs=1.0)
    assert after[2] == pytest.approx(before[2], abs=1.0)
    report = check_coverage(qingshui)
    assert report.ok, report.summary()
