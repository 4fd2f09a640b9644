"""GeoJSON of signs, built in one SQL statement by ``geoapp.geojson`` (DESIGN.md: 18-27×
faster than the ORM).

The ORM chooses which signs (jurisdiction, division, status, distance order, limit);
``geoapp.geojson`` turns them into a FeatureCollection (RFC 7946: lon/lat, no ``crs``
member) with ``ST_AsGeoJSON`` and ``json_agg``.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Value
from django.utils import timezone

from geoapp import geojson
from geoapp.geojson import SQL, Label
from geoapp.gis import CGCS2000
from placenames.signs.models import STANDING, SignStatus, SignType, inspection_interval_days

_POSITION = "COALESCE({}, {})"


def _distance(near: tuple[float, float]):
    """Metres (0.1 m) on the ellipsoid from the sign's position to ``near`` (lon, lat)."""
    return SQL(
        f"round(ST_Distance({_POSITION}::geography, ST_SetSRID(ST_MakePoint({{}}, {{}}), {{}})::geography, true)::numeric, 1)",
        "installed_geom", "planned_geom", Value(near[0]), Value(near[1]), Value(CGCS2000),
    )


def feature_collection(queryset, *, near: tuple[float, float] | None = None, on: dt.date | None = None) -> bytes:
    """The signs of ``queryset`` as FeatureCollection bytes: nearest first when ``near``
    (lon, lat) is given, with ``distance_m`` on the ellipsoid; else by division code."""
    on = on or timezone.localdate()
    cutoff = timezone.make_aware(dt.datetime.combine(on - dt.timedelta(days=inspection_interval_days()), dt.time.min))
    distance = _distance(near) if near else Value(None)
    return geojson.feature_collection(
        queryset, geometry=SQL(_POSITION, "installed_geom", "planned_geom"), precision=7, properties={
            "id": "id",
            "type": "sign_type", "type_label": Label("sign_type", SignType),
            "place_name": "place__standard_name", "place_id": "place_id",
            "text_cn": "text_cn", "text_pinyin": "text_pinyin", "text_minority": "text_minority",
            "status": "status", "status_label": Label("status", SignStatus),
            "division": "division__code", "division_name": "division__name",
            "planned": SQL("json_build_array(round(ST_X({})::numeric, 7), round(ST_Y({})::numeric, 7))",
                           "planned_geom", "planned_geom"),
            "installed_at": "installed_at", "last_inspected_at": "last_inspected_at",
            # Standing and not inspected (else installed) since the interval's start.
            "inspection_due": SQL("{} = ANY({}) AND COALESCE({}, {}) < {}", "status", Value(list(STANDING)),
                                  "last_inspected_at", "installed_at", Value(cutoff)),
            "source": "source",
            "distance_m": distance,
        }, order_by=[distance, "division__code", "id"] if near else ["division__code", "id"])
