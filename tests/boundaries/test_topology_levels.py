"""One topology across all levels (ADR 0014), on the real 天水市 data as set-up builds it.

A county line is the chain of township edges on it: moving a vertex there from the
township editor moves both townships and both counties; a triple point moves with every
edge meeting it; crossings are refused with nothing written; approvals follow the
highest level the moved edges belong to. Expected areas are computed independently
with shapely and pyproj (geodesic areas on the CGCS2000 ellipsoid).
"""

from __future__ import annotations

import math

import pytest
from django.contrib.gis.geos import GEOSGeometry
from shapely import wkb
from shapely.geometry import Polygon
from shapely.ops import unary_union

from boundaries import topology
from boundaries.actions import approve_line_edit, propose_line_edit
from boundaries.coverage import check_coverage
from boundaries.edit_geometry import EditRefused
from boundaries.models import BoundaryLine, Division, EditStatus
from geoapp.actions import set_up_user
from geoapp.gis import GEOD
from geoapp.roles import Role
from tests.boundaries.test_line_edits import TO_GK, TO_LONLAT

QINGSHUI, ZHANGJIACHUAN = "620521000000", "620525000000"
DEMO_PREFECTURES = ("620500000000", "640500000000", "370900000000")


def _area(code: str) -> float:
    return Division.objects.current().filter(code=code).with_area().get().area_m2


def _officer(username: str, jurisdiction: str):
    return set_up_user(username=username, role=Role.ZONING, jurisdiction=jurisdiction, password="x-pass-123")


def _geodesic_area(polygon: Polygon) -> float:
    return abs(GEOD.geometry_area_perimeter(polygon)[0])


@pytest.mark.parametrize("prefecture", DEMO_PREFECTURES)
def test_after_set_up_every_level_of_every_demo_prefecture_tiles_its_parent(db, prefecture):
    parent = Division.objects.current().get(code=prefecture)
    parents = [parent, *parent.current_children()]
    assert len(parents) > 3
    for division in parents:
        report = check_coverage(division, min_area_m2=0.0)
        significant = [p for p in report.problems if p.area_m2 > 1e-6]
        assert significant == [], report.summary()


def test_every_edge_of_a_county_line_is_a_township_edge_on_it(db):
    county_line = BoundaryLine.objects.current().get(level="county", left__code=QINGSHUI, right__code=ZHANGJIACHUAN)
    township_lines = BoundaryLine.objects.current().filter(
        level="township", left__code__startswith="620521", right__code__startswith="620525")
    township_edges = sorted(e for line in township_lines for e in line.edge_ids)
    assert township_edges == sorted(county_line.edge_ids)
    chain = unary_union([wkb.loads(bytes(line.geom.wkb)) for line in township_lines])
    assert chain.symmetric_difference(wkb.loads(bytes(county_line.geom.wkb))).length < 1e-9


def _township_line_on_county_line():
    """The longest township line lying on 清水县 | 张家川, and its edge with the most room."""
    line = BoundaryLine.objects.current().filter(
        level="township", left__code__startswith="620521", right__code__startswith="620525").order_by(
        "-length_km").first()
    edges = topology.edge_geometries(line.topology, line.edge_ids)
    edge_id = max(edges, key=lambda e: GEOSGeometry(edges[e]).num_points)
    return line, edge_id, list(GEOSGeometry(edges[edge_id]).coords)


def _move_interior_vertex(coords, metres):
    """(new coordinates, swept quadrilateral) for the roomiest interior vertex moved across."""
    gk = [TO_GK.transform(x, y) for x, y in coords]

    def room(i):
        return min(math.dist(gk[i], gk[i - 1]), math.dist(gk[i], gk[i + 1]))

    i = max(range(1, len(gk) - 1), key=room)
    (x0, y0), (x1, y1) = gk[i - 1], gk[i + 1]
    nx, ny = -(y1 - y0), x1 - x0
    norm = math.hypot(nx, ny)
    moved = TO_LONLAT.transform(gk[i][0] + metres * nx / norm, gk[i][1] + metres * ny / norm)
    swept = Polygon([coords[i - 1], coords[i], coords[i + 1], moved])
    return [*coords[:i], moved, *coords[i + 1:]], swept


def test_moving_a_vertex_on_the_county_line_from_the_township_editor_moves_both_townships_and_both_counties(db):
    line, edge_id, coords = _township_line_on_county_line()
    county_line = BoundaryLine.objects.current().get(level="county", left__code=QINGSHUI, right__code=ZHANGJIACHUAN)
    assert edge_id in county_line.edge_ids
    township_editor = _officer("zoning_township", line.left.code)
    sides = [line.left.code, line.right.code, QINGSHUI, ZHANGJIACHUAN]
    before = {code: _area(code) for code in sides}
    new_coords, swept = _move_interior_vertex(coords, 150)
    edit = propose_line_edit(line=line, base_version=line.version, reason="乡镇界线即县界：按实地调整",
                             proposed_by=township_editor, edges=[{"edge_id": edge_id, "coordinates": new_coords}])
    assert edit.top_level == "county" and edit.approval_sides == [QINGSHUI, ZHANGJIACHUAN]
    approve_line_edit(edit=edit, approved_by=_officer("zoning_qs_b", QINGSHUI))
    edit.refresh_from_db()
    assert edit.status == EditStatus.PENDING  # 张家川 has not approved yet
    approve_line_edit(edit=edit, approved_by=_officer("zoning_zjc_b", ZHANGJIACHUAN))
    edit.refresh_from_db()
    assert edit.status == EditStatus.APPLIED

    delta = {code: _area(code) - before[code] for code in sides}
    expected = _geodesic_area(swept)  # independent: the quadrilateral swept by the vertex
    assert expected > 10_000
    left_township, right_township = line.left.code, line.right.code
    assert abs(delta[left_township]) == pytest.approx(expected, abs=1.0)
    assert delta[left_township] == pytest.approx(-delta[right_township], abs=1.0)
    assert delta[QINGSHUI] == pytest.approx(delta[left_township], abs=1.0)
    assert delta[ZHANGJIACHUAN] == pytest.approx(delta[right_township], abs=1.0)
    for code, change in edit.area_changes.items():
        if code in delta:
            assert change == pytest.approx(delta[code], abs=1.0)

    # The county line derived afterwards is the township edges on it, moved vertex included.
    county_line.refresh_from_db()
    assert county_line.version == 2
    township_lines = BoundaryLine.objects.current().filter(
        level="township", left__code__startswith="620521", right__code__startswith="620525")
    chain = unary_union([wkb.loads(bytes(t.geom.wkb)) for t in township_lines])
    assert chain.symmetric_difference(wkb.loads(bytes(county_line.geom.wkb))).length < 1e-9
    moved_vertex = new_coords[[tuple(c) for c in coords].index(next(c for c in coords if c not in new_coords))]
    assert county_line.geom.distance(GEOSGeometry(f"POINT({moved_vertex[0]} {moved_vertex[1]})", srid=4490)) < 1e-9
    for parent in (Division.objects.current().get(code=c) for c in (QINGSHUI, ZHANGJIACHUAN, "620500000000")):
        assert check_coverage(parent).ok, check_coverage(parent).summary()


def _inner_triple_point(county_code: str):
    """A node inside a county where exactly three of its townships meet (three edges)."""
    name = topology.topology_name(county_code)
    township_ids = set(Division.objects.current().filter(parent__code=county_code).values_list("id", flat=True))
    sides = {s.edge_id: s for s in topology.edge_sides(name)}
    records = topology.edge_records(name, list(sides))
    around: dict[int, list[int]] = {}
    for edge_id, record in records.items():
        for node in {record.start_node, record.end_node}:
            around.setdefault(node, []).append(edge_id)
    for node, edge_ids in sorted(around.items()):
        if len(edge_ids) != 3:
            continue
        owners = {d for e in edge_ids for d in (sides[e].left.township, sides[e].right.township)}
        if len(owners) == 3 and owners <= township_ids and all(sides[e].top_level() == "township" for e in edge_ids):
            return node, edge_ids, records, owners
    raise AssertionError("no inner triple point")


def test_moving_a_triple_point_moves_every_edge_meeting_it_and_all_three_townships_consistently(qingshui):
    node, edge_ids, records, owners = _inner_triple_point(QINGSHUI)
    line = BoundaryLine.objects.current().get(edge_ids__contains=[edge_ids[0]], level="township",
                                              topology=topology.topology_name(QINGSHUI))
    record = records[edge_ids[0]]
    at_start = record.start_node == node
    x, y = record.coords[0] if at_start else record.coords[-1]
    gx, gy = TO_GK.transform(x, y)
    # Move the node 40 m towards the next vertex of the first edge (inside the star of the node).
    nxt = record.coords[1] if at_start else record.coords[-2]
    nx, ny = TO_GK.transform(*nxt)
    step = 40 / math.dist((gx, gy), (nx, ny))
    moved = TO_LONLAT.transform(gx + (nx - gx) * step, gy + (ny - gy) * step)
    coords = list(record.coords)
    coords[0 if at_start else -1] = moved
    codes = dict(Division.objects.filter(pk__in=owners).values_list("id", "code"))
    before = {c: _area(c) for c in codes.values()}
    proposer, approver = _officer("zoning_qs_c", QINGSHUI), _officer("zoning_qs_d", QINGSHUI)
    edit = propose_line_edit(line=line, base_version=line.version, reason="三方交点按实地位置调整",
                             proposed_by=proposer, edges=[{"edge_id": edge_ids[0], "coordinates": coords}])
    assert set(edit.area_changes) >= set(codes.values())
    approve_line_edit(edit=edit, approved_by=approver)
    after_records = topology.edge_records(line.topology, edge_ids)
    for edge_id in edge_ids:  # every edge meeting the node now ends at its new place
        r = after_records[edge_id]
        end = r.coords[0] if r.start_node == node else r.coords[-1]
        assert end == pytest.approx(moved, abs=1e-9)
    delta = {c: _area(c) - before[c] for c in before}
    assert sum(delta.values()) == pytest.approx(0.0, abs=1.0)
    assert sum(1 for d in delta.values() if abs(d) > 10) >= 2
    # Independently: each township's new polygon, measured with pyproj, matches PostGIS.
    for code in codes.values():
        geom = wkb.loads(bytes(Division.objects.current().get(code=code).geom.wkb))
        assert _geodesic_area(geom) == pytest.approx(_area(code), abs=1.0)
    assert check_coverage(qingshui).ok


def test_a_crossing_on_a_county_line_is_refused_with_its_place_and_nothing_is_written(db):
    line, edge_id, coords = _township_line_on_county_line()
    editor = _officer("zoning_township_x", line.left.code)
    geoms = {d.code: d.geom.wkt for d in Division.objects.current().filter(code__in=[QINGSHUI, ZHANGJIACHUAN])}
    history = Division.history.count()
    edge_before = topology.edge_geometries(line.topology, [edge_id])
    new_coords, _ = _move_interior_vertex(coords, 60_000)
    with pytest.raises(EditRefused) as refused:
        propose_line_edit(line=line, base_version=line.version, reason="越界", proposed_by=editor,
                          edges=[{"edge_id": edge_id, "coordinates": new_coords}])
    # 60 km across: the new course crosses other edges (PostGIS "geometry crosses edge").
    assert refused.value.message.startswith("新界线与另一条界线相交或经过其他界线的节点：与“"), refused.value.message
    assert refused.value.location is not None
    assert line.edits.count() == 0 and Division.history.count() == history
    assert topology.edge_geometries(line.topology, [edge_id]) == edge_before
    assert {d.code: d.geom.wkt for d in Division.objects.current().filter(code__in=geoms)} == geoms


def test_the_approvals_an_edge_needs_follow_its_highest_level(qingshui):
    inner = BoundaryLine.objects.current().filter(level="township", left__parent=qingshui,
                                                   right__parent=qingshui).order_by("-length_km").first()
    edges = topology.edge_geometries(inner.topology, inner.edge_ids)
    edge_id = max(edges, key=lambda e: GEOSGeometry(edges[e]).num_points)
    coords = list(GEOSGeometry(edges[edge_id]).coords)
    if len(coords) == 2:
        coords = [coords[0], ((coords[0][0] + coords[1][0]) / 2, (coords[0][1] + coords[1][1]) / 2), coords[1]]
    new_coords, _ = _move_interior_vertex(coords, 50)
    edit = propose_line_edit(line=inner, base_version=inner.version, reason="乡镇界线", proposed_by=_officer(
        "zoning_qs_e", QINGSHUI), edges=[{"edge_id": edge_id, "coordinates": new_coords}])
    # Inside one county: the two townships; one county officer covers both.
    assert edit.top_level == "township" and edit.approval_sides == sorted([inner.left.code, inner.right.code])
    assert all(code[:6] == QINGSHUI[:6] for code in edit.area_changes)

    county_line_township, edge_id, coords = _township_line_on_county_line()
    new_coords, _ = _move_interior_vertex(coords, 50)
    edit = propose_line_edit(line=county_line_township, base_version=county_line_township.version, reason="县界",
                             proposed_by=_officer("zoning_qs_f", QINGSHUI),
                             edges=[{"edge_id": edge_id, "coordinates": new_coords}])
    assert edit.top_level == "county" and edit.approval_sides == [QINGSHUI, ZHANGJIACHUAN]
    # A township officer on one side is not a county officer: refused.
    with pytest.raises(Exception, match="各自的工作人员审核"):
        approve_line_edit(edit=edit, approved_by=_officer("zoning_tw_g", county_line_township.left.code))


def test_an_edge_between_two_prefectures_needs_each_prefecture():
    """The rule on the sides of an edge, with the chains of faces across a prefecture line."""
    left = topology.FaceChain(township=1, county=10, prefecture=100, province=1000)
    right = topology.FaceChain(township=2, county=20, prefecture=200, province=1000)
    assert topology.EdgeSides(1, left, right, 1.0).top_level() == "prefecture"
    same_county = topology.FaceChain(township=3, county=10, prefecture=100, province=1000)
    assert topology.EdgeSides(2, left, same_county, 1.0).top_level() == "township"
    assert topology.EdgeSides(3, left, topology.FaceChain(), 1.0).outer


def _on_any_edge(name: str, geom) -> float:
    """Length (degrees) of ``geom`` that lies on edges of the topology."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT COALESCE(ST_Length(ST_Intersection(ST_GeomFromEWKB(%s), ST_Union(geom))), 0) FROM "{name}".edge_data '
            "WHERE geom && ST_GeomFromEWKB(%s)", [bytes(geom.ewkb), bytes(geom.ewkb)])
        return cursor.fetchone()[0]


def test_merging_two_counties_removes_their_county_line_and_keeps_the_township_lines_on_it(db):
    import datetime as dt

    from boundaries.division_changes import approve_division_change, propose_merge

    county_line = BoundaryLine.objects.current().get(level="county", left__code=QINGSHUI, right__code=ZHANGJIACHUAN)
    old_course = county_line.geom
    counties = list(Division.objects.current().filter(code__in=[QINGSHUI, ZHANGJIACHUAN]))
    change = propose_merge(divisions=counties, code=QINGSHUI, name="清张县", approval_document="合成测试〔2026〕1号",
                           approved_by_body="国务院", effective_date=dt.date(2026, 1, 1),
                           proposed_by=_officer("zoning_ts_m", "620500000000"))
    approve_division_change(change=change, approved_by=_officer("zoning_ts_n", "620500000000"))
    merged = Division.objects.current().get(code=QINGSHUI)
    assert merged.name == "清张县"
    county_lines = BoundaryLine.objects.current().filter(level="county", topology="civ_62")
    on_county_lines = unary_union([wkb.loads(bytes(line.geom.wkb)) for line in county_lines])
    old = wkb.loads(bytes(old_course.wkb))
    assert on_county_lines.intersection(old).length < 1e-6 * old.length  # gone at county level
    township_lines = BoundaryLine.objects.current().filter(level="township", topology="civ_62")
    on_township_lines = unary_union([wkb.loads(bytes(line.geom.wkb)) for line in township_lines])
    assert on_township_lines.intersection(old).length == pytest.approx(old.length, rel=1e-6)  # still townships'
    assert _on_any_edge("civ_62", old_course) == pytest.approx(old.length, rel=1e-6)
    assert check_coverage(merged).ok and check_coverage(merged.parent).ok


def test_merging_two_townships_removes_the_edges_between_them_from_the_topology(qingshui):
    import datetime as dt

    from boundaries.division_changes import approve_division_change, propose_merge

    line = BoundaryLine.objects.current().filter(level="township", left__parent=qingshui, right__parent=qingshui
                                                 ).order_by("-length_km").first()
    shared = line.geom
    segment = int(line.left.code[6:9])  # the name's generic follows the code (DOMAIN.md §2)
    generic = "镇" if 100 <= segment < 200 else "乡" if 200 <= segment < 400 else "街道"
    change = propose_merge(divisions=[line.left, line.right], code=line.left.code, name=f"合成新{generic}",
                           approval_document="合成测试〔2026〕2号", approved_by_body="甘肃省人民政府",
                           effective_date=dt.date(2026, 1, 1), proposed_by=_officer("zoning_qs_m", QINGSHUI))
    approve_division_change(change=change, approved_by=_officer("zoning_qs_n", QINGSHUI))
    assert _on_any_edge("civ_62", shared) < 1e-9  # no edge left where the two met, at any level
    assert check_coverage(qingshui).ok


def test_a_triple_point_moved_across_another_line_is_refused_with_its_place_and_nothing_is_written(qingshui):
    node, edge_ids, records, owners = _inner_triple_point(QINGSHUI)
    name = topology.topology_name(QINGSHUI)
    line = BoundaryLine.objects.current().get(edge_ids__contains=[edge_ids[0]], level="township", topology=name)
    record = records[edge_ids[0]]
    at_start = record.start_node == node
    # Far beyond the other end of its own edge: the edges meeting the node must cross others.
    far_end = record.coords[-1] if at_start else record.coords[0]
    here = record.coords[0] if at_start else record.coords[-1]
    target = (here[0] + 3 * (far_end[0] - here[0]), here[1] + 3 * (far_end[1] - here[1]))
    coords = list(record.coords)
    coords[0 if at_start else -1] = target
    before = topology.edge_geometries(name, edge_ids)
    history = Division.history.count()
    with pytest.raises(EditRefused) as refused:
        propose_line_edit(line=line, base_version=line.version, reason="交点越界", proposed_by=_officer(
            "zoning_qs_x", QINGSHUI), edges=[{"edge_id": edge_ids[0], "coordinates": coords}])
    assert refused.value.location is not None
    # Three times as far as its own edge is long: the node passes the other lines meeting it.
    assert refused.value.message == "移动后交点处各条界线的先后次序改变（界线在交点处交叉）"
    assert topology.edge_geometries(name, edge_ids) == before and Division.history.count() == history
    assert line.edits.count() == 0


def test_an_edit_on_a_prefecture_line_needs_an_officer_of_each_prefecture(db):
    """张家川 moved (in this test only) into a SYNTHETIC second prefecture of 甘肃: the line
    清水县 | 张家川 becomes a prefecture line, and its edits need both prefectures."""
    from django.db import connection

    from boundaries.actions import build_province_topology
    from boundaries.models import Source

    gansu = Division.objects.current().get(code="620000000000")
    other = Division.objects.create(code="629900000000", name="合成地区（测试）", level="prefecture",
                                    kind="prefecture", parent=gansu, source=Source.SYNTHETIC)
    Division.objects.filter(code=ZHANGJIACHUAN, valid_to__isnull=True).update(parent=other)
    with connection.cursor() as cursor:  # each prefecture is exactly its counties
        for code in ("620500000000", "629900000000"):
            cursor.execute("UPDATE boundaries_division p SET geom = (SELECT ST_Multi(ST_Union(c.geom)) FROM "
                           "boundaries_division c WHERE c.parent_id = p.id AND c.valid_to IS NULL) "
                           "WHERE p.code = %s AND p.valid_to IS NULL", [code])
    build_province_topology(province=gansu)
    assert BoundaryLine.objects.current().filter(level="prefecture", left__code="620500000000",
                                                 right__code="629900000000").exists()
    line, edge_id, coords = _township_line_on_county_line()
    new_coords, swept = _move_interior_vertex(coords, 120)
    before = {c: _area(c) for c in ("620500000000", "629900000000")}
    edit = propose_line_edit(line=line, base_version=line.version, reason="市界", proposed_by=_officer(
        "zoning_qs_p", QINGSHUI), edges=[{"edge_id": edge_id, "coordinates": new_coords}])
    assert edit.top_level == "prefecture" and edit.approval_sides == ["620500000000", "629900000000"]
    assert len(edit.area_changes) == 6  # two townships, two counties, two prefectures
    with pytest.raises(Exception, match="各自的工作人员审核"):
        approve_line_edit(edit=edit, approved_by=_officer("zoning_qs_q", QINGSHUI))  # a county officer
    approve_line_edit(edit=edit, approved_by=_officer("zoning_ts_p", "620500000000"))
    edit.refresh_from_db()
    assert edit.status == EditStatus.PENDING
    approve_line_edit(edit=edit, approved_by=_officer("zoning_99_p", "629900000000"))
    edit.refresh_from_db()
    assert edit.status == EditStatus.APPLIED
    delta = {c: _area(c) - before[c] for c in before}
    assert abs(delta["620500000000"]) == pytest.approx(_geodesic_area(swept), abs=1.0)
    assert delta["620500000000"] == pytest.approx(-delta["629900000000"], abs=1.0)
    assert check_coverage(gansu.children.current().get(code="620500000000")).ok
