"""Measures of the inspection work, on the ellipsoid: marker displacement, where markers
lie along their line (for the GB/T 17796 order check), and the share of a line walked
within a distance of the team's GPS track.

Raw SQL where the ORM cannot say it (buffer in a metric CRS, intersection, geodesic
length of the result), one statement per measure, parameters bound. The buffer is drawn
in the CGCS2000 3-degree Gauss-Krüger zone of the line (``geoapp.gis``), whose scale error
inside a zone is below 1:7,000, far under a GPS fix; lengths are then measured on the
ellipsoid (geography), never in degrees or in the projection.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import shapely
from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import connection
from shapely.ops import linemerge

from geoapp.gis import CGCS2000, GEOD, as_cgcs2000, gauss_kruger_3deg_srid


def reproject(geom, transformer):
    """A shapely geometry through a pyproj Transformer (always_xy)."""
    return shapely.transform(geom, transformer.transform, interleaved=False)


def displacement_m(registered: Point, measured: Point) -> float:
    """Distance in metres on the ellipsoid (PostGIS geography, spheroid) between two points."""
    with connection.cursor() as cursor:
        # ST_Distance on geography with use_spheroid=true: Karney's geodesic on the SRID's ellipsoid.
        cursor.execute(
            "SELECT ST_Distance(ST_GeomFromEWKB(%s)::geography, ST_GeomFromEWKB(%s)::geography, true)",
            [bytes(_ewkb(registered)), bytes(_ewkb(measured))],
        )
        return float(cursor.fetchone()[0])


def _ewkb(geom):
    return as_cgcs2000(geom).ewkb


@dataclass(frozen=True)
class WalkedShare:
    line_m: float
    walked_m: float
    tolerance_m: float
    unwalked_geojson: str | None  # the stretches further than the tolerance from every track

    @property
    def share(self) -> float:
        return self.walked_m / self.line_m if self.line_m else 0.0

    @property
    def share_pct(self) -> float:
        return 100 * self.share


_WALKED_SQL = """
WITH l AS (SELECT ST_Transform(geom, %(srid)s) AS g FROM boundaries_boundaryline WHERE id = %(line)s),
     t AS (SELECT ST_Buffer(ST_Transform(ST_Collect(geom), %(srid)s), %(tol)s, 'quad_segs=8') AS g
           FROM boundaries_tracklog WHERE inspection_id = %(inspection)s),
     parts AS (SELECT l.g AS line, ST_Intersection(l.g, t.g) AS inside, ST_Difference(l.g, t.g) AS outside
               FROM l LEFT JOIN t ON true)
SELECT ST_Length(ST_Transform(line, %(storage)s)::geography, true),
       COALESCE(ST_Length(ST_Transform(inside, %(storage)s)::geography, true), 0),
       CASE WHEN outside IS NULL THEN ST_AsGeoJSON(ST_Transform(line, %(storage)s), 7)
            WHEN ST_IsEmpty(outside) THEN NULL
            ELSE ST_AsGeoJSON(ST_Transform(outside, %(storage)s), 7) END
FROM parts
"""


def walked_share(inspection) -> WalkedShare:
    """The share of the inspection's line within ``walk_tolerance_m`` of any of its tracks."""
    centre = inspection.line.geom.centroid
    params = {
        "srid": gauss_kruger_3deg_srid(centre.x), "line": inspection.line_id, "inspection": inspection.pk,
        "tol": float(inspection.walk_tolerance_m), "storage": CGCS2000,
    }
    with connection.cursor() as cursor:
        cursor.execute(_WALKED_SQL, params)
        line_m, walked_m, unwalked = cursor.fetchone()
    return WalkedShare(float(line_m), float(walked_m), float(inspection.walk_tolerance_m), unwalked)


# --- along the line ------------------------------------------------------------------------------------


def _orientation(merged) -> str:
    """"ew" when the line runs more west-east than north-south (measured in metres)."""
    minx, miny, maxx, maxy = merged.bounds
    mid = (miny + maxy) / 2
    ew = GEOD.inv(minx, mid, maxx, mid)[2]
    ns = GEOD.inv(minx, miny, minx, maxy)[2]
    return "ew" if ew >= ns else "ns"


def oriented_line(line_geom: GEOSGeometry):
    """The line merged into one shapely LineString running west→east (west-east lines)
    or north→south (GB/T 17796 numbering direction); None when it stays in pieces."""
    merged = linemerge(shapely.from_wkb(bytes(line_geom.wkb)))
    if merged.geom_type != "LineString":
        return None
    start, end = merged.coords[0], merged.coords[-1]
    axis = _orientation(merged)
    reverse = (start[0] > end[0]) if axis == "ew" else (start[1] < end[1])
    return shapely.reverse(merged) if reverse else merged


def locate_along(line_geom: GEOSGeometry, points: list[GEOSGeometry]) -> list[float]:
    """Position of each point along the line, 0 at its west end (west-east lines) or its
    north end (north-south lines), 1 at the other end. A line that merges into one piece
    is measured along its course; a line in several pieces falls back to the axis."""
    pts = [shapely.from_wkb(bytes(p.wkb)) for p in points]
    oriented = oriented_line(line_geom)
    if oriented is not None:
        return [float(oriented.project(p, normalized=True)) for p in pts]
    merged = linemerge(shapely.from_wkb(bytes(line_geom.wkb)))
    axis = _orientation(merged)
    minx, miny, maxx, maxy = merged.bounds
    if axis == "ew":
        return [(p.x - minx) / ((maxx - minx) or 1) for p in pts]
    return [(maxy - p.y) / ((maxy - miny) or 1) for p in pts]


def side_of(line, point: GEOSGeometry, *, on_line_m: float = 1.0) -> str:
    """"on" within ``on_line_m`` of the line, else "left"/"right" by the division that
    covers the point (None when neither does)."""
    lon, lat = point.x, point.y
    nearest = shapely.ops.nearest_points(shapely.from_wkb(bytes(line.geom.wkb)), shapely.Point(lon, lat))[0]
    if GEOD.inv(lon, lat, nearest.x, nearest.y)[2] <= on_line_m:
        return "on"
    if line.left.geom is not None and line.left.geom.covers(point):
        return "left"
    if line.right_id and line.right.geom is not None and line.right.geom.covers(point):
        return "right"
    return None


# --- a small map for reports ------------------------------------------------------------------------------


def report_svg(*, line_geom, markers=(), tracks=(), unwalked_geojson=None, width=700, height=420) -> str:
    """An SVG map of the line, walked tracks, stretches not walked and markers, drawn in
    the line's Gauss-Krüger zone (true shape), for the HTML and PDF report (no tiles)."""
    import json

    from pyproj import Transformer

    centre = line_geom.centroid
    to_gk = Transformer.from_crs(CGCS2000, gauss_kruger_3deg_srid(centre.x), always_xy=True)

    def project(geom):
        return reproject(geom, to_gk)

    line = project(shapely.from_wkb(bytes(line_geom.wkb)))
    minx, miny, maxx, maxy = line.bounds
    pad = max(maxx - minx, maxy - miny) * 0.06 + 50
    minx, miny, maxx, maxy = minx - pad, miny - pad, maxx + pad, maxy + pad
    scale = min(width / (maxx - minx), height / (maxy - miny))

    def xy(x, y):
        return (round((x - minx) * scale, 1), round(height - (y - miny) * scale, 1))

    def path(geom) -> str:
        parts = []
        for piece in getattr(geom, "geoms", [geom]):
            if piece.geom_type not in ("LineString", "LinearRing") or piece.is_empty:
                continue
            coords = [xy(x, y) for x, y in piece.coords]
            parts.append("M" + " L".join(f"{a},{b}" for a, b in coords))
        return " ".join(parts)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'class="report-map" role="img">',
           f'<rect width="{width}" height="{height}" fill="#f7f7f2"/>',
           f'<path d="{path(line)}" fill="none" stroke="#7b1f1f" stroke-width="3"/>']
    if unwalked_geojson:
        unwalked = project(shapely.geometry.shape(json.loads(unwalked_geojson)))
        out.append(f'<path d="{path(unwalked)}" fill="none" stroke="#e0a800" stroke-width="6" stroke-opacity="0.7"/>')
    for track in tracks:
        out.append(f'<path d="{path(project(shapely.from_wkb(bytes(track.wkb))))}" fill="none" stroke="#1f5fa8" '
                   f'stroke-width="1.5" stroke-dasharray="4 3"/>')
    for label, point, colour in markers:
        x, y = xy(*to_gk.transform(point.x, point.y))
        out.append(f'<circle cx="{x}" cy="{y}" r="4" fill="{colour}" stroke="#fff"/>')
        out.append(f'<text x="{x + 5}" y="{y - 5}" font-size="10">{html.escape(label)}</text>')
    bar_m = _nice((maxx - minx) / 5)
    out.append(f'<line x1="10" y1="{height - 12}" x2="{10 + bar_m * scale:.1f}" y2="{height - 12}" stroke="#000" stroke-width="2"/>')
    out.append(f'<text x="10" y="{height - 16}" font-size="10">{bar_m / 1000:g} km</text>')
    out.append("</svg>")
    return "".join(out)


def _nice(metres: float) -> float:
    for step in (100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000):
        if step >= metres:
            return step
    return 100000
