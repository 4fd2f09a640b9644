"""GIS constants and helpers shared by every app: SRIDs, ellipsoidal measures, zones.

SRIDs are named here once (STYLE.md). Storage is CGCS2000 geographic (EPSG:4490);
GeoJSON is served as lon/lat; tiles are Web Mercator. Areas and lengths are always
measured on the ellipsoid (PostGIS geography, or ``pyproj.Geod`` in Python), never
in degrees (DOMAIN.md §8).
"""

from __future__ import annotations

from django.contrib.gis.db.models import BooleanField, FloatField
from django.db.models import Func, Value
from pyproj import Geod

CGCS2000 = 4490  # storage SRID: China Geodetic Coordinate System 2000, lon/lat
WGS84 = 4326
WEB_MERCATOR = 3857

# CGCS2000 uses its own ellipsoid, which differs from GRS80 only in the 1e-10 range
# of the flattening: GRS80 here is exact to well under a square metre per county.
GEOD = Geod(ellps="GRS80")

M2_PER_KM2 = 1_000_000


def as_cgcs2000(geom):
    """A copy of the GEOS geometry ``geom`` in CGCS2000 (storage SRID): transformed when it
    has another SRID, the SRID assigned when it has none. ``geom`` is left as it was."""
    if geom.srid == CGCS2000:
        return geom.clone()
    if geom.srid is None:
        copy = geom.clone()
        copy.srid = CGCS2000
        return copy
    return geom.transform(CGCS2000, clone=True)


def gauss_kruger_3deg_srid(lon: float) -> int:
    """EPSG code of the CGCS2000 3-degree Gauss-Krüger zone (no zone prefix) for ``lon``.

    Zones have central meridians 75°E…135°E every 3°: code = 4534 + (CM − 75) / 3.
    """
    cm = round(lon / 3) * 3
    cm = min(max(cm, 75), 135)
    return 4534 + (cm - 75) // 3


def geodesic_area_m2(geom) -> float:
    """Ellipsoidal area in m² of a shapely (Multi)Polygon in lon/lat degrees."""
    area, _perimeter = GEOD.geometry_area_perimeter(geom)
    return abs(area)


class GeodesicArea(Func):
    """``ST_Area(geom::geography)``: area in m² on the ellipsoid of the geometry's SRID.

    GeoDjango's ``Area`` returns an ``Area`` measure object and, for geographic
    fields, depends on the backend's choice of spheroid; this states it once.
    """

    template = "ST_Area(%(expressions)s::geography, true)"
    output_field = FloatField()


class GeodesicLength(Func):
    """``ST_Length(geom::geography)``: length in m on the ellipsoid."""

    template = "ST_Length(%(expressions)s::geography, true)"
    output_field = FloatField()


class GeodesicDistance(Func):
    """``ST_Distance(a::geography, b::geography, true)``: metres on the ellipsoid."""

    template = "ST_Distance(%(expressions)s::geography, true)"
    arg_joiner = "::geography, "
    output_field = FloatField()


class GeodesicDWithin(Func):
    """``ST_DWithin(a::geography, b::geography, metres, true)``: within a distance on the
    ellipsoid, as a condition for ``filter()``. GeoDjango's ``dwithin`` takes degrees on
    geographic fields, which is the wrong unit everywhere but the equator."""

    output_field = BooleanField()

    def __init__(self, a, b, metres: float, **extra):
        super().__init__(a, b, Value(float(metres)), **extra)

    def as_sql(self, compiler, connection, **extra_context):
        (a, a_params), (b, b_params), (m, m_params) = (compiler.compile(e) for e in self.get_source_expressions())
        return f"ST_DWithin(({a})::geography, ({b})::geography, {m}, true)", [*a_params, *b_params, *m_params]
