"""GeoJSON for facilities, built in one SQL statement (docs/adr/0003, DESIGN.md: 18-27×
faster than serialising rows in Python).

Every feature carries the public registry fields. ``details`` (address, operator,
contact, opening date and the typed details of the kind) is filled only for facilities
inside ``detail_prefix``, the requesting user's jurisdiction prefix ('' for superusers,
None for anonymous users): the SQL decides per row, so one query serves a map that
straddles a jurisdiction's edge.
"""

from __future__ import annotations

import json

from django.db import connection

from boundaries.models import Source
from facilities.models import Kind, Status

_SQL = """
SELECT convert_to(json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
  'type', 'Feature', 'id', f.id,
  'geometry', ST_AsGeoJSON(f.location, 7, 0)::json,
  'properties', json_build_object(
    'id', f.id, 'name', f.name,
    'kind', f.kind, 'kind_label', %(kinds)s::json ->> f.kind,
    'status', f.status, 'status_label', %(statuses)s::json ->> f.status,
    'division', d.code, 'division_name', d.name,
    'source', f.source, 'source_label', %(sources)s::json ->> f.source,
    'details', CASE WHEN %(prefix)s::text IS NULL OR d.code NOT LIKE %(prefix)s::text || '%%' THEN NULL ELSE
      json_strip_nulls(json_build_object(
        'address', f.address, 'operator', f.operator, 'contact', f.contact, 'opened_on', f.opened_on,
        'beds', e.beds, 'nursing_beds', e.nursing_beds, 'residents_self_care', e.residents_self_care,
        'residents_semi', e.residents_semi, 'residents_disabled', e.residents_disabled,
        'care_staff', e.care_staff, 'county_level', e.county_level, 'disabled_focus', e.disabled_focus,
        'floor_area_m2', s.floor_area_m2, 'staff', s.staff, 'children_directors', s.children_directors,
        'households', c.households, 'population', c.population, 'relocation_year', c.relocation_year,
        'urban_site', c.urban_site, 'services', c.services)) END
  )
) ORDER BY d.code, f.kind, f.name, f.id), '[]'::json))::text, 'UTF8')
FROM facilities_facility f
JOIN boundaries_division d ON d.id = f.division_id
LEFT JOIN facilities_elderlycaredetails e ON e.facility_id = f.id
LEFT JOIN facilities_stationdetails s ON s.facility_id = f.id
LEFT JOIN facilities_communitydetails c ON c.facility_id = f.id
WHERE f.id IN ({ids})
"""


def _labels(choices) -> str:
    return json.dumps({value: str(label) for value, label in choices.choices}, ensure_ascii=False)


def feature_collection(queryset, *, detail_prefix: str | None) -> bytes:
    """A FeatureCollection (bytes, lon/lat) of the facilities in ``queryset``."""
    ids_sql, ids_params = queryset.values("id").query.sql_with_params()
    # The ORM's id subquery uses positional parameters; psycopg cannot mix them with
    # named ones, so they are renamed (as in boundaries.geojson).
    named = {f"__id{i}": value for i, value in enumerate(ids_params)}
    for i in range(len(ids_params)):
        ids_sql = ids_sql.replace("%s", f"%(__id{i})s", 1)
    params = {
        "kinds": _labels(Kind), "statuses": _labels(Status), "sources": _labels(Source),
        "prefix": detail_prefix, **named,
    }
    with connection.cursor() as cursor:
        cursor.execute(_SQL.format(ids=ids_sql), params)
        return bytes(cursor.fetchone()[0])
