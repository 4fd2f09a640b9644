"""GeoJSON for divisions, built in one SQL statement.

Serialising geometries row by row in Python is 18-27× slower than letting PostGIS
build the JSON (DESIGN.md, measured), so the ORM only chooses *which* rows (current,
jurisdiction, parent…) and this module turns that queryset into bytes with
``ST_AsGeoJSON`` and ``json_agg``. Areas are ellipsoidal (``::geography``).
"""

from __future__ import annotations

import datetime as dt
import json

from django.db import connection
from django.utils import timezone

from boundaries.codes import Kind, Level
from boundaries.models import Division, Source

# Properties shared by list and detail features. Labels come from the TextChoices so
# the SQL and Python agree; they are passed as bound JSON parameters, not spliced in.
_FEATURE_SQL = """
SELECT json_build_object(
  'type', 'Feature',
  'id', d.code,
  'geometry', ST_AsGeoJSON(COALESCE(ST_Multi(ST_SimplifyPreserveTopology(d.geom, %(tolerance)s)), d.seat), 6, 0)::json,
  'properties', json_build_object(
    'code', d.code, 'name', d.name,
    'level', d.level, 'level_label', %(levels)s::json ->> d.level,
    'kind', d.kind, 'kind_label', %(kinds)s::json ->> d.kind,
    'parent', p.code, 'parent_name', p.name,
    'area_km2', round((ST_Area(d.geom::geography, true) / 1e6)::numeric, 4),
    'seat', CASE WHEN d.seat IS NULL THEN NULL ELSE json_build_array(ST_X(d.seat), ST_Y(d.seat)) END,
    'label', CASE WHEN d.geom IS NULL THEN NULL ELSE
      json_build_array(round(ST_X(ST_PointOnSurface(d.geom))::numeric, 6), round(ST_Y(ST_PointOnSurface(d.geom))::numeric, 6)) END,
    'children', (SELECT count(*) FROM boundaries_division c
                 WHERE c.parent_id = d.id AND c.valid_from <= %(on)s AND (c.valid_to IS NULL OR c.valid_to > %(on)s)),
    'source', d.source, 'source_label', %(sources)s::json ->> d.source, 'source_note', d.source_note,
    'valid_from', d.valid_from, 'valid_to', d.valid_to,
    'bbox', CASE WHEN COALESCE(d.geom, d.seat) IS NULL THEN NULL ELSE json_build_array(
      ST_XMin(COALESCE(d.geom, d.seat)), ST_YMin(COALESCE(d.geom, d.seat)),
      ST_XMax(COALESCE(d.geom, d.seat)), ST_YMax(COALESCE(d.geom, d.seat))) END
  )
) AS feature, d.code AS code
FROM {source} d LEFT JOIN boundaries_division p ON p.id = d.parent_id
WHERE d.id IN ({ids})
"""


# The map "as of" a past date: which divisions existed comes from their validity dates;
# their outline is the one in force then, from django-simple-history (the latest record
# before the next local midnight; a row with no record that early keeps its first one).
_AS_OF_DIVISIONS = """(
  SELECT d0.id, d0.code, d0.name, d0.level, d0.kind, d0.parent_id, d0.valid_from, d0.valid_to,
         d0.source, d0.source_note, d0.seat,
         COALESCE(
           (SELECT h.geom FROM boundaries_historicaldivision h WHERE h.id = d0.id AND h.history_date < %(cutoff)s
            ORDER BY h.history_date DESC, h.history_id DESC LIMIT 1),
           (SELECT h.geom FROM boundaries_historicaldivision h WHERE h.id = d0.id
            ORDER BY h.history_date, h.history_id LIMIT 1),
           d0.geom) AS geom
  FROM boundaries_division d0
)"""


def _source(cutoff) -> str:
    return _AS_OF_DIVISIONS if cutoff is not None else "boundaries_division"


def _cutoff(on) -> dt.datetime | None:
    """Start of the day after ``on`` when ``on`` is in the past, else None (current data)."""
    if on is None or on >= timezone.localdate():
        return None
    return timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))


def _labels(choices) -> str:
    return json.dumps({value: str(label) for value, label in choices.choices}, ensure_ascii=False)


def _params(on, tolerance: float) -> dict:
    return {
        "levels": _labels(Level),
        "kinds": _labels(Kind),
        "sources": _labels(Source),
        "on": on,
        "tolerance": tolerance,
        "cutoff": _cutoff(on),
    }


def feature_collection(queryset, *, on, tolerance: float = 0.0) -> bytes:
    """A FeatureCollection (bytes) of the divisions in ``queryset``, ordered by code.

    ``tolerance`` (degrees) simplifies outlines for small-scale maps; 0 keeps them.
    """
    ids_sql, ids_params = queryset.values("id").query.sql_with_params()
    sql = (
        "SELECT convert_to(json_build_object('type', 'FeatureCollection', 'features', "
        "COALESCE(json_agg(f.feature ORDER BY f.code), '[]'::json))::text, 'UTF8') FROM ("
        + _FEATURE_SQL.format(ids="%(__ids__)s", source=_source(_cutoff(on)))
        + ") f"
    )
    return _run(sql, ids_sql, ids_params, _params(on, tolerance))


def feature(division: Division, *, on) -> bytes:
    """One Feature (bytes) with its ancestors from the province down."""
    sql = (
        "SELECT convert_to((f.feature::jsonb || jsonb_build_object('properties', "
        "(f.feature->'properties')::jsonb || jsonb_build_object('ancestors', %(ancestors)s::jsonb)))::text, 'UTF8') "
        "FROM (" + _FEATURE_SQL.format(ids="%(__ids__)s", source=_source(_cutoff(on))) + ") f"
    )
    params = _params(on, 0.0)
    params["ancestors"] = _ancestors_json(division)
    return _run(sql, "SELECT %s", [division.id], params)


def _ancestors_json(division: Division) -> str:
    chain = []
    node = division.parent
    while node is not None:
        chain.append({"code": node.code, "name": node.name, "level": node.level})
        node = node.parent
    return json.dumps(list(reversed(chain)), ensure_ascii=False)


def _run(sql: str, ids_sql: str, ids_params, params: dict) -> bytes:
    # The id subquery comes from the ORM with positional (%s) parameters; the rest uses
    # named ones. psycopg cannot mix the two, so the subquery's parameters are named too.
    named = {f"__id{i}": value for i, value in enumerate(ids_params)}
    sub = ids_sql
    for i in range(len(ids_params)):
        sub = sub.replace("%s", f"%(__id{i})s", 1)
    params = {**params, **named}
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("%(__ids__)s", sub), params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""


_LINE_SQL = """
SELECT convert_to(json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
  'type', 'Feature', 'id', l.id,
  'geometry', ST_AsGeoJSON(COALESCE(
     (SELECT h.geom FROM boundaries_historicalboundaryline h WHERE %(cutoff)s::timestamptz IS NOT NULL
        AND h.id = l.id AND h.history_date < %(cutoff)s ORDER BY h.history_date DESC, h.history_id DESC LIMIT 1),
     (SELECT h.geom FROM boundaries_historicalboundaryline h WHERE %(cutoff)s::timestamptz IS NOT NULL
        AND h.id = l.id ORDER BY h.history_date, h.history_id LIMIT 1),
     l.geom), 7, 0)::json,
  'properties', json_build_object(
    'id', l.id, 'level', l.level, 'left', a.code, 'left_name', a.name, 'right', b.code, 'right_name', b.name,
    'length_km', round(l.length_km::numeric, 4), 'agreement_ref', l.agreement_ref,
    'last_inspected', l.last_inspected, 'edges', json_array_length(l.edge_ids::json))
) ORDER BY a.code, b.code), '[]'::json))::text, 'UTF8')
FROM boundaries_boundaryline l JOIN boundaries_division a ON a.id = l.left_id
LEFT JOIN boundaries_division b ON b.id = l.right_id
WHERE l.id IN (%(__ids__)s)
"""


def line_collection(queryset, *, on=None) -> bytes:
    """A FeatureCollection (bytes) of boundary lines with their two sides' codes; for a
    past ``on``, each line's course as it was that day (from its history)."""
    ids_sql, ids_params = queryset.values("id").query.sql_with_params()
    return _run(_LINE_SQL, ids_sql, ids_params, {"cutoff": _cutoff(on)})
