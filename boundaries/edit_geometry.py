"""Applying a boundary-line edit to the province topology, and explaining a refusal in Chinese.

A line of any level is a set of edges of the one topology of its province (ADR 0014);
an edit gives new coordinates for some of them. An edge whose ends stay put is moved
with ``ST_ChangeEdgeGeom``, which refuses crossings. An edge whose end moved moves its
node (a triple point): every edge meeting that node moves with it
(``topology.move_nodes``, checked before and after writing). Then every division on the
two sides of a moved edge, at every level where the sides differ (two townships; on a
county line also the two counties; on a prefecture line the two prefectures), is
re-derived from the topology, bottom up, and saved with history; every line of every
level that contains a moved edge is re-derived and its version raised. Callers run this
inside a transaction (and a savepoint for a trial run), so a refusal leaves nothing behind.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from django.contrib.gis.geos import GEOSGeometry, LineString
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from boundaries import topology
from boundaries.models import BoundaryLine, Division
from geoapp.gis import CGCS2000


class EditRefused(Exception):
    """The server refuses an edit; ``message`` is for the user, ``location`` for the map."""

    def __init__(self, message: str, location: tuple[float, float] | None = None):
        super().__init__(message)
        self.message = message
        self.location = location


class EditConflict(EditRefused):
    """The line changed since the editor loaded it (optimistic locking)."""


# PostGIS topology messages → what a zoning officer should read.
_MESSAGES = (
    (r"crosses edge|crosses a node|geometry intersects", "新界线与另一条界线相交或经过其他界线的节点"),
    (r"curve not simple|not simple", "新界线自相交"),
    (r"start node not geometry start point|end node not geometry end point",
     "界线端点（三方交点）不可移动，请只移动中间的拐点"),
    (r"motion collision|disposition", "移动后的界线扫过了其他界线或节点"),
    (r"no two distinct vertices", "界线至少需要两个不同的点"),
)


def _explain(exc: Exception) -> str:
    text = str(exc)
    for pattern, message in _MESSAGES:
        if re.search(pattern, text, re.IGNORECASE):
            return message
    return f"拓扑检查未通过：{text.splitlines()[0]}"


def _crossed_line_note(line: BoundaryLine, wkt: str) -> str:
    """"：与“清水县—秦安县”界线相交" — which other line of the same topology the proposed
    geometry crosses (or touches inside), so the officer knows where to look; "" if none."""
    proposed = GEOSGeometry(wkt, srid=CGCS2000)
    # Lines of the same level first: one topology holds every level, and the outer line of
    # the prefecture shares edges with the county and township lines under it.
    others = (BoundaryLine.objects.current().filter(topology=line.topology, level=line.level).exclude(pk=line.pk)
              .select_related("left", "right"))
    crossed = others.filter(geom__crosses=proposed).first() or others.filter(geom__intersects=proposed).exclude(
        geom__touches=proposed).first()
    if crossed is None:
        return ""
    name = f"{crossed.left.name}—{crossed.right.name}" if crossed.right_id else f"{crossed.left.name}（外边界）"
    return f"：与“{name}”界线相交"


def _line_wkt(coordinates) -> str:
    try:
        points = [(float(x), float(y)) for x, y in coordinates]
    except (TypeError, ValueError) as exc:
        raise EditRefused("坐标格式应为 [[经度, 纬度], …]") from exc
    if len(points) < 2:
        raise EditRefused("界线至少需要两个点")
    for x, y in points:
        if not (math.isfinite(x) and math.isfinite(y) and -180 <= x <= 180 and -90 <= y <= 90):
            raise EditRefused(f"坐标超出经纬度范围：{x}, {y}")
    return LineString(points, srid=CGCS2000).wkt


@dataclass
class EditResult:
    area_changes: dict[str, float]  # division code → m² gained (negative: lost), every level
    approval_sides: list[str]  # codes at the highest level the moved edges belong to
    top_level: str  # that level
    line_geom: GEOSGeometry  # the edited line afterwards
    length_km: float
    lines: list[int] = field(default_factory=list)  # ids of every line (any level) re-derived
    edges: list[int] = field(default_factory=list)  # edges moved (incl. those meeting a moved node)


# Two points closer than this (degrees, ~1 mm) are the same place.
SAME_POINT_DEG = 1e-8


def _points(coordinates) -> list[tuple[float, float]]:
    try:
        points = [(float(x), float(y)) for x, y in coordinates]
    except (TypeError, ValueError) as exc:
        raise EditRefused("坐标格式应为 [[经度, 纬度], …]") from exc
    if len(points) < 2:
        raise EditRefused("界线至少需要两个点")
    for x, y in points:
        if not (math.isfinite(x) and math.isfinite(y) and -180 <= x <= 180 and -90 <= y <= 90):
            raise EditRefused(f"坐标超出经纬度范围：{x}, {y}")
    return points


def _same(a, b) -> bool:
    return abs(a[0] - b[0]) <= SAME_POINT_DEG and abs(a[1] - b[1]) <= SAME_POINT_DEG


def _put_move(moves: dict, node: int, old, new) -> None:
    if _same(old, new):
        return
    if node in moves and not _same(moves[node], new):
        raise EditRefused("同一个交点被移到了两个不同的位置", new)
    moves[node] = new


def apply_edges(line: BoundaryLine, edges: list[dict], *, why: str) -> EditResult:
    """Move the given edges of ``line`` (and the nodes whose position changed) and re-derive
    every division and line they belong to, at every level (inside the caller's transaction)."""
    if line.right_id is None:
        raise EditRefused("外边界是数据范围的边缘（另一侧不在本系统内），不能在此修改")
    if not edges:
        raise EditRefused("没有需要保存的修改")
    name = line.topology
    originals = topology.edge_records(name, line.edge_ids)
    submitted: dict[int, list[tuple[float, float]]] = {}
    moves: dict[int, tuple[float, float]] = {}
    for item in edges:
        edge_id = item.get("edge_id") if isinstance(item, dict) else None
        if edge_id not in originals:
            raise EditRefused(f"拓扑边 {edge_id} 不属于这条界线")
        points = _points(item.get("coordinates"))
        record = originals[edge_id]
        _put_move(moves, record.start_node, record.coords[0], points[0])
        _put_move(moves, record.end_node, record.coords[-1], points[-1])
        submitted[edge_id] = points
    changed = set(submitted)
    with transaction.atomic():
        if moves:
            incident = topology.edge_records(name, nodes=list(moves))
            _refuse_outer(name, set(incident) | changed)
        else:
            _refuse_outer(name, changed)
        for edge_id, points in submitted.items():
            record = originals[edge_id]
            if record.start_node in moves or record.end_node in moves:
                continue  # moved with its node below
            wkt = LineString(points, srid=CGCS2000).wkt
            try:
                with transaction.atomic():
                    topology.change_edge(name, edge_id, wkt)
            except DatabaseError as exc:
                raise EditRefused(
                    _explain(exc) + _crossed_line_note(line, wkt), topology.first_crossing(name, edge_id, wkt)
                ) from exc
        if moves:
            try:
                changed |= topology.move_nodes(name, moves, submitted)
            except topology.TopologyRefused as exc:
                raise EditRefused(exc.message, exc.location) from exc
        return _rederive(line, sorted(changed), why)


def _refuse_outer(name: str, edge_ids: set[int]) -> None:
    for sides in topology.edge_sides(name, sorted(edge_ids)):
        if sides.outer:
            raise EditRefused("这处修改会移动外边界（数据范围的边缘，另一侧不在本系统内），不能在此修改")


def _rederive(line: BoundaryLine, edge_ids: list[int], why: str) -> EditResult:
    name = line.topology
    sides = [s for s in topology.edge_sides(name, edge_ids) if s.top_level()]
    follows = topology.followers(name)
    affected: dict[str, set[int]] = {level: set() for level in topology.LEVELS}
    for s in sides:
        for level in topology.LEVELS:
            a, b = s.left.at(level), s.right.at(level)
            if a != b:
                affected[level] |= {d for d in (a, b) if d is not None and d in follows}
    top = max((s.top_level() for s in sides), key=topology.LEVELS.index, default="township")
    approval_ids = {d for s in sides if s.top_level() == top for d in (s.left.at(top), s.right.at(top)) if d}
    before = _areas([d for ids in affected.values() for d in ids])
    for level in topology.LEVELS:
        for division_id in sorted(affected[level]):
            _rederive_division(name, division_id, level, why)
    after = _areas(list(before))
    codes = dict(Division.objects.filter(pk__in=set(before) | approval_ids).values_list("id", "code"))
    changes = {codes[d]: round(after[d] - before[d], 3) for d in sorted(before, key=lambda d: codes[d])}
    touched = _rederive_lines(name, edge_ids, why)
    fresh = BoundaryLine.objects.get(pk=line.pk)
    return EditResult(
        area_changes=changes, approval_sides=sorted(codes[d] for d in approval_ids), top_level=top,
        line_geom=fresh.geom, length_km=fresh.length_km, lines=touched, edges=edge_ids,
    )


def _areas(ids: list[int]) -> dict[int, float]:
    return dict(Division.objects.filter(pk__in=ids).with_area().values_list("id", "area_m2"))


def _rederive_division(name: str, division_id: int, level: str, why: str) -> None:
    """A township from its faces; a higher unit from its (already re-derived) children."""
    with connection.cursor() as cursor:
        if level == "township":
            ewkb = topology.face_union(name, division_id)
        else:
            cursor.execute(
                "SELECT ST_AsEWKB(ST_Multi(ST_Union(geom))) FROM boundaries_division WHERE parent_id = %s "
                "AND geom IS NOT NULL AND valid_from <= %s AND (valid_to IS NULL OR valid_to > %s)",
                [division_id, timezone.localdate(), timezone.localdate()],  # the site's today, not the session's (UTC)
            )
            ewkb = cursor.fetchone()[0]
        cursor.execute("SELECT ST_IsValid(g), ST_IsValidReason(g) FROM (SELECT ST_GeomFromEWKB(%s) g) a", [ewkb])
        valid, reason = cursor.fetchone()
    if not valid:
        raise EditRefused(f"修改后的区划面无效：{reason}")
    division = Division.objects.select_for_update().get(pk=division_id)
    division.geom = GEOSGeometry(memoryview(bytes(ewkb)), srid=CGCS2000)
    division._change_reason = why
    division.save(update_fields=["geom"])


def _rederive_lines(name: str, edge_ids: list[int], why: str) -> list[int]:
    """Every current line (any level) containing a moved edge: new course, length, version."""
    touched = []
    lines = BoundaryLine.objects.current().filter(topology=name)
    query = None
    for edge_id in edge_ids:
        q = lines.filter(edge_ids__contains=[edge_id])
        query = q if query is None else query | q
    for line in (query.order_by("pk").select_for_update() if query is not None else []):
        ewkb, length_m = topology.merged_edges(name, line.edge_ids)
        line.geom = GEOSGeometry(memoryview(bytes(ewkb)), srid=CGCS2000)
        line.length_km, line.version = length_m / 1000, line.version + 1
        line._change_reason = why
        line.save(update_fields=["geom", "length_km", "version"])
        touched.append(line.pk)
    return sorted(touched)
