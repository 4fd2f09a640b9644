"""Geometry checks and repair for imported polygons (pure shapely, no Django).

Policy: a polygon that is invalid (self-intersection, bow-tie, ring crossing) is
repaired with ``make_valid`` only when the repair is *safe*: the result is still
polygonal and its area differs from the original shell area by at most
``MAX_AREA_CHANGE`` (0.1 %). Anything else is rejected with a reason in words a
zoning officer understands; nothing is silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

MAX_AREA_CHANGE = 0.001


class GeometryRejected(ValueError):
    """The geometry cannot be used; ``str(exc)`` says why (in Chinese)."""


@dataclass(frozen=True)
class Checked:
    geom: MultiPolygon
    repaired: bool
    note: str = ""


def _polygonal_part(geom: BaseGeometry) -> MultiPolygon:
    parts = []
    for g in getattr(geom, "geoms", [geom]):
        if isinstance(g, Polygon) and not g.is_empty:
            parts.append(g)
        elif isinstance(g, MultiPolygon):
            parts.extend(p for p in g.geoms if not p.is_empty)
        elif hasattr(g, "geoms"):
            parts.extend(_polygonal_part(g).geoms)
    return MultiPolygon(parts)


def check_coordinates(geom: BaseGeometry) -> None:
    """Reject coordinates that cannot be longitude/latitude (a wrong or missing CRS)."""
    minx, miny, maxx, maxy = geom.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise GeometryRejected(
            f"坐标超出经纬度范围（{minx:.1f}, {miny:.1f} – {maxx:.1f}, {maxy:.1f}），文件的坐标系可能有误"
        )


def checked_multipolygon(geom: BaseGeometry) -> Checked:
    """Return a valid MultiPolygon for ``geom`` or raise ``GeometryRejected``."""
    if geom is None or geom.is_empty:
        raise GeometryRejected("几何为空")
    if not isinstance(geom, (Polygon, MultiPolygon)):
        raise GeometryRejected(f"几何类型为 {geom.geom_type}，区划范围必须是面（Polygon/MultiPolygon）")
    check_coordinates(geom)
    multi = geom if isinstance(geom, MultiPolygon) else MultiPolygon([geom])
    if multi.is_valid:
        return Checked(multi, repaired=False)
    reason = shapely.is_valid_reason(multi)
    fixed = _polygonal_part(shapely.make_valid(multi))
    if fixed.is_empty:
        raise GeometryRejected(f"几何无效且无法修复：{reason}")
    # The shoelace area of the invalid input is what its author drew; a safe repair
    # (spike, duplicate point, self-touching ring, slightly overlapping parts) keeps it.
    # A bow-tie's lobes cancel in the shoelace sum, so it is rejected as ambiguous.
    drawn = abs(multi.area)
    change = abs(fixed.area - drawn) / fixed.area if fixed.area else 1.0
    if change > MAX_AREA_CHANGE:
        raise GeometryRejected(f"几何无效（{reason}），自动修复会使面积改变 {change:.1%}，请在源数据中修正")
    return Checked(fixed, repaired=True, note=f"已自动修复：{reason}（面积变化 {change:.3%}）")
