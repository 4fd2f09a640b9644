"""GeoJSON FeatureCollections built by PostGIS in one statement, from a queryset.

Serialising geometries row by row in Python is 18-27× slower than letting PostGIS
build the JSON (DESIGN.md, measured; docs/adr/0003). So the ORM chooses *which* rows
(a scoped queryset: current, jurisdiction, filters, order and limit) and compiles
every property (fields, joins through ``__``, subqueries, bound parameters), and
this module wraps them in ``json_build_object`` / ``json_agg`` / ``ST_AsGeoJSON``:
one statement whose result is the bytes sent to the client. An app declares its
features as a dict of property name → field path or expression:

    feature_collection(Facility.objects.within(code), geometry="location", properties={
        "id": "id", "name": "name", "kind": "kind", "kind_label": Label("kind", Kind),
        "division": "division__code"}, order_by=["division__code", "id"])

Coordinates are lon/lat without a ``crs`` member (RFC 7946; ``ST_AsGeoJSON`` option 0).
Raw SQL only where the ORM cannot say it: the JSON aggregate around the rows and the
``SQL`` fragments an app declares; every value is a bound parameter.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Field, Func, JSONField, TextField

_KEY = re.compile(r"[a-z_][a-z0-9_]*")


def _parse(expression):
    return F(expression) if isinstance(expression, str) else expression


class JSONObject(Func):
    """``json_build_object(key, value, …)`` with the keys in the order given.

    Django's own ``JSONObject`` builds ``jsonb``, which sorts the keys; map clients read
    properties in declaration order. Keys are identifiers, written into the SQL.
    """

    output_field = JSONField()

    def __init__(self, fields: Mapping[str, object]):
        for key in fields:
            if not _KEY.fullmatch(key):
                raise ValueError(f"GeoJSON property names are identifiers: {key!r}")
        self.keys = list(fields)
        super().__init__(*(_parse(value) for value in fields.values()))

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for key, expression in zip(self.keys, self.get_source_expressions(), strict=True):
            sql, expression_params = compiler.compile(expression)
            parts.append(f"'{key}', {sql}")
            params.extend(expression_params)
        return f"json_build_object({', '.join(parts)})", params


class Label(Func):
    """The display label of a choices field's value, e.g. 已规划 for ``planned``.

    The labels are bound as one JSON parameter, translated when the query is compiled
    (the request's language), so SQL and Python agree on them.
    """

    output_field = TextField()

    def __init__(self, field, choices):
        self.choices = choices
        super().__init__(_parse(field))

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        labels = json.dumps({value: str(label) for value, label in self.choices.choices}, ensure_ascii=False)
        return f"(%s::json ->> {sql})", [labels, *params]


class SQL(Func):
    """A SQL fragment over ORM expressions: each ``{}`` is the next argument, compiled.

    ``SQL("round({}::numeric, 4)", "length_km")``. Arguments are field paths or
    expressions (``Value(x)`` for a bound parameter); a literal ``%`` is written ``%%``.
    For what the ORM has no function for (PostGIS JSON building, ``round(numeric)``).
    """

    def __init__(self, template: str, *expressions, output_field=None):
        self.fragment = template
        super().__init__(*(_parse(e) for e in expressions), output_field=output_field or Field())

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(expression_params)
        return self.fragment.format(*parts), params


def _features(queryset, *, geometry, properties: Mapping[str, object], id, order_by: Sequence, precision: int):
    """(sql, params) of the rows ``feature`` (a json Feature) and ``o0…`` (sort keys),
    for the rows of ``queryset`` (its own filters, order and limit choose them)."""
    feature = JSONObject({
        "type": SQL("'Feature'"),
        "id": _parse(id),
        "geometry": SQL(f"ST_AsGeoJSON({{}}, {int(precision)}, 0)::json", _parse(geometry)),
        "properties": JSONObject(properties),
    })
    keys = {f"o{i}": F(key.removeprefix("-")) if isinstance(key, str) else key for i, key in enumerate(order_by)}
    directions = ["DESC" if isinstance(key, str) and key.startswith("-") else "ASC" for key in order_by]
    rows = (queryset.model._base_manager.filter(pk__in=queryset.values("pk"))
            .order_by().values(feature=feature, **keys))
    sql, params = rows.query.sql_with_params()
    order = ", ".join(f"f.o{i} {direction}" for i, direction in enumerate(directions))
    return sql, params, order


def _fetch(sql: str, params) -> bytes | None:
    # The default connection, as the ORM's sql_with_params() compiled for it.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else None


EMPTY = b'{"type" : "FeatureCollection", "features" : []}'


def feature_collection(queryset, *, geometry, properties: Mapping[str, object], id="pk",
                       order_by: Sequence = ("pk",), precision: int = 7) -> bytes:
    """The rows of ``queryset`` as FeatureCollection bytes (UTF-8), in one statement.

    ``geometry`` and each of ``properties`` are a field path (``"division__code"``) or an
    ORM expression (``Label``, ``SQL``, ``Subquery``, ``Value``…); ``order_by`` lists field
    paths (``-`` for descending) or expressions that order the features; ``precision`` is the number of
    decimal places of the coordinates. An empty queryset gives an empty collection.
    """
    try:
        rows, params, order = _features(queryset, geometry=geometry, properties=properties, id=id,
                                        order_by=order_by, precision=precision)
    except EmptyResultSet:  # queryset.none(): the ORM refuses to compile it
        return EMPTY
    sql = (
        "SELECT convert_to(json_build_object('type', 'FeatureCollection', 'features', "
        f"COALESCE(json_agg(f.feature ORDER BY {order}), '[]'::json))::text, 'UTF8') FROM ({rows}) f"
    )
    return _fetch(sql, params) or EMPTY


def feature(queryset, *, geometry, properties: Mapping[str, object], id="pk", precision: int = 7) -> bytes:
    """The first row of ``queryset`` as one Feature (bytes), b"" when there is none."""
    try:
        rows, params, _order = _features(queryset, geometry=geometry, properties=properties, id=id,
                                         order_by=("pk",), precision=precision)
    except EmptyResultSet:
        return b""
    sql = f"SELECT convert_to(f.feature::text, 'UTF8') FROM ({rows}) f ORDER BY f.o0 LIMIT 1"
    return _fetch(sql, params) or b""
