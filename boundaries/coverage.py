"""Coverage validation: do the children of a division tile it exactly?

Children must cover their parent with no gap, no overlap and nothing outside
(《行政区域界线管理条例》: every piece of land belongs to exactly one unit). The check
runs in one SQL statement per kind of problem (PostGIS overlays); every problem comes
back with its area on the ellipsoid, a point to show it at, the codes involved and its
geometry as GeoJSON so the map can draw it.

Raw SQL: the ORM cannot express overlays of a set with itself (pairwise intersections).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from boundaries.models import Division

# Problems smaller than this are floating-point noise, not land (1 m², the tolerance
# the foundation tests use for tiling).
MIN_AREA_M2 = 1.0

KIND_LABELS = {"gap": "缝隙", "overlap": "重叠", "outside": "超出上级范围", "invalid": "几何无效"}

_CURRENT = "d.valid_from <= %(on)s AND (d.valid_to IS NULL OR d.valid_to > %(on)s)"

_PROBLEMS_SQL = f"""
WITH kids AS (
  SELECT d.id, d.code, d.geom FROM boundaries_division d
  WHERE d.parent_id = %(parent)s AND d.geom IS NOT NULL AND {_CURRENT}
),
parent AS (SELECT geom FROM boundaries_division WHERE id = %(parent)s),
kids_union AS (SELECT ST_Union(geom) AS geom FROM kids),
raw AS (
  SELECT 'gap' AS kind, ARRAY[]::text[] AS codes, ST_Difference(p.geom, u.geom) AS geom
  FROM parent p, kids_union u
  UNION ALL
  SELECT 'outside', ARRAY[]::text[], ST_Difference(u.geom, p.geom) FROM parent p, kids_union u
  UNION ALL
  SELECT 'overlap', ARRAY[a.code, b.code], ST_Intersection(a.geom, b.geom)
  FROM kids a JOIN kids b ON a.id < b.id AND ST_Intersects(a.geom, b.geom)
),
parts AS (
  SELECT kind, codes, (ST_Dump(ST_CollectionExtract(geom, 3))).geom AS geom FROM raw
)
SELECT kind, codes, ST_Area(geom::geography, true) AS area_m2,
       ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom)), ST_AsGeoJSON(geom, 7, 0)
FROM parts WHERE ST_Area(geom::geography, true) >= %(min_area)s
ORDER BY area_m2 DESC
"""

_INVALID_SQL = f"""
SELECT d.code, ST_IsValidReason(d.geom), ST_X(ST_PointOnSurface(ST_MakeValid(d.geom))),
       ST_Y(ST_PointOnSurface(ST_MakeValid(d.geom)))
FROM boundaries_division d
WHERE (d.parent_id = %(parent)s OR d.id = %(parent)s) AND d.geom IS NOT NULL AND NOT ST_IsValid(d.geom)
  AND {_CURRENT}
"""


@dataclass
class CoverageProblem:
    kind: str
    codes: list[str]
    area_m2: float
    lon: float
    lat: float
    geometry: dict | None = None
    reason: str = ""

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "label": self.label, "codes": self.codes, "area_m2": round(self.area_m2, 3),
            "location": [self.lon, self.lat], "geometry": self.geometry, "reason": self.reason,
        }


@dataclass
class CoverageReport:
    parent: str
    children: int
    problems: list[CoverageProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        head = f"{self.parent}：下级区划 {self.children} 个，问题 {len(self.problems)} 处"
        rows = [
            f"  {p.label} {p.area_m2:,.1f} 平方米 @ ({p.lon:.6f}, {p.lat:.6f}) {'、'.join(p.codes)} {p.reason}".rstrip()
            for p in self.problems
        ]
        return "\n".join([head, *rows] if rows else [head, "  覆盖完整：无缝隙、无重叠、无超出。"])


def check_coverage(parent: Division, *, on: dt.date | None = None, min_area_m2: float = MIN_AREA_M2) -> CoverageReport:
    """Gaps, overlaps, parts outside the parent, and invalid geometries among its children."""
    params = {"parent": parent.id, "on": on or timezone.localdate(), "min_area": min_area_m2}
    report = CoverageReport(parent=parent.code, children=parent.children.current(params["on"]).count())
    with connection.cursor() as cursor:
        # Overlays on invalid input raise GEOS errors: report invalid geometries alone first.
        cursor.execute(_INVALID_SQL, params)
        for code, reason, lon, lat in cursor.fetchall():
            report.problems.append(CoverageProblem("invalid", [code], 0.0, lon, lat, None, reason))
        if report.problems or parent.geom is None or report.children == 0:
            return report
        cursor.execute(_PROBLEMS_SQL, params)
        for kind, codes, area, lon, lat, geojson in cursor.fetchall():
            report.problems.append(CoverageProblem(kind, list(codes), area, lon, lat, json.loads(geojson)))
    return report
