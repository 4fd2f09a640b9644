"""Applying a boundary-line edit to the topology, and explaining a refusal in Chinese.

A line is a set of topology edges; an edit gives new coordinates for some of them. The
edge's two end nodes (where three or more divisions meet) stay fixed: moving a node
changes more than the two neighbours of one line. Each edge is moved with
``ST_ChangeEdgeGeom``, which refuses crossings, so the faces still tile exactly, and the
two divisions are re-derived as the union of their faces. Callers run this inside a
transaction (and a savepoint for a trial run), so a refusal leaves nothing behind.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from django.contrib.gis.geos import GEOSGeometry, LineString
from django.db import DatabaseError, connection, transaction

from boundaries import topology
from boundaries.models import BoundaryLine
from geoapp.gis import CGCS2000


class EditRefused(Exception):
    """The server refuses an edit; ``message`` is for the user, ``location`` for the map."""

    def __init__(self, message: str, location: tuple[float, float] | None = None):
        super().__init__(message)
        self.message = message
        self.location = location


class EditConflict(EditRefused):
    """The line changed since the editor loaded it (optimistic locking)."""


@dataclass
class EditResult:
    geoms: dict[int, GEOSGeometry]  # division id → re-derived MultiPolygon
    areas_m2: dict[int, float]  # division id → new ellipsoidal area
    line_geom: GEOSGeometry
    length_km: float


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
    others = (BoundaryLine.objects.filter(topology=line.topology).exclude(pk=line.pk)
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


def apply_edges(line: BoundaryLine, edges: list[dict]) -> EditResult:
    """Move the given edges of ``line`` and re-derive both divisions (inside the caller's transaction)."""
    if line.right_id is None:
        raise EditRefused("外边界属于上级区划的界线，请在上级层级修改")
    if not edges:
        raise EditRefused("没有需要保存的修改")
    originals = topology.edge_geometries(line.topology, line.edge_ids)
    for item in edges:
        edge_id = item.get("edge_id") if isinstance(item, dict) else None
        if edge_id not in originals:
            raise EditRefused(f"拓扑边 {edge_id} 不属于这条界线")
        wkt = _line_wkt(item.get("coordinates"))
        try:
            with transaction.atomic():
                topology.change_edge(line.topology, edge_id, wkt)
        except DatabaseError as exc:
            raise EditRefused(
                _explain(exc) + _crossed_line_note(line, wkt), topology.first_crossing(line.topology, edge_id, wkt)
            ) from exc
    return _rederive(line)


def _rederive(line: BoundaryLine) -> EditResult:
    geoms, areas = {}, {}
    with connection.cursor() as cursor:
        for division_id in (line.left_id, line.right_id):
            ewkb = topology.face_union(line.topology, division_id)
            cursor.execute(
                "SELECT ST_IsValid(g), ST_IsValidReason(g), ST_Area(g::geography, true) "
                "FROM (SELECT ST_GeomFromEWKB(%s) g) a",
                [ewkb],
            )
            valid, reason, area = cursor.fetchone()
            if not valid:
                raise EditRefused(f"修改后的区划面无效：{reason}")
            geoms[division_id] = GEOSGeometry(memoryview(bytes(ewkb)), srid=CGCS2000)
            areas[division_id] = area
    ewkb, length_m = topology.merged_edges(line.topology, line.edge_ids)
    return EditResult(geoms, areas, GEOSGeometry(memoryview(bytes(ewkb)), srid=CGCS2000), length_m / 1000)
