"""GeoJSON for facilities, built in one SQL statement by ``geoapp.geojson`` (docs/adr/0003,
DESIGN.md: 18-27× faster than serialising rows in Python).

Every feature carries the public registry fields. ``details`` (address, operator,
contact, opening date and the typed details of the kind) is filled only for facilities
inside ``detail_prefix``, the requesting user's jurisdiction prefix ('' for superusers,
None for anonymous users): the SQL decides per row, so one query serves a map that
straddles a jurisdiction's edge.
"""

from __future__ import annotations

from django.db.models import Case, Value, When

from boundaries.models import Source
from facilities.models import Kind, Status
from geoapp import geojson
from geoapp.geojson import SQL, JSONObject, Label

_DETAILS = {
    "address": "address", "operator": "operator", "contact": "contact", "opened_on": "opened_on",
    **{name: f"elderly_care__{name}" for name in (
        "beds", "nursing_beds", "residents_self_care", "residents_semi", "residents_disabled",
        "care_staff", "county_level", "disabled_focus")},
    **{name: f"station__{name}" for name in ("floor_area_m2", "staff", "children_directors")},
    **{name: f"community__{name}" for name in ("households", "population", "relocation_year", "urban_site", "services")},
}


def feature_collection(queryset, *, detail_prefix: str | None) -> bytes:
    """A FeatureCollection (bytes, lon/lat) of the facilities in ``queryset``."""
    details = Value(None) if detail_prefix is None else Case(
        When(division__code__startswith=detail_prefix, then=SQL("json_strip_nulls({})", JSONObject(_DETAILS))),
        default=Value(None),
    )
    return geojson.feature_collection(queryset, geometry="location", precision=7, properties={
        "id": "id", "name": "name",
        "kind": "kind", "kind_label": Label("kind", Kind),
        "status": "status", "status_label": Label("status", Status),
        "division": "division__code", "division_name": "division__name",
        "source": "source", "source_label": Label("source", Source),
        "details": details,
    }, order_by=["division__code", "kind", "name", "id"])
