"""GeoJSON for divisions and boundary lines, built in one SQL statement by ``geoapp.geojson``.

Serialising geometries row by row in Python is 18-27× slower than letting PostGIS
build the JSON (DESIGN.md, measured), so the ORM only chooses *which* rows (current,
jurisdiction, parent…) and ``geoapp.geojson`` turns that queryset into bytes with
``ST_AsGeoJSON`` and ``json_agg``. Areas are ellipsoidal (``::geography``).
"""

from __future__ import annotations

import datetime as dt
import json

from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from boundaries.codes import Kind, Level
from boundaries.models import BoundaryLine, Division, Source
from geoapp import geojson
from geoapp.geojson import SQL, Label


def _cutoff(on) -> dt.datetime | None:
    """Start of the day after ``on`` when ``on`` is in the past, else None (current data)."""
    if on is None or on >= timezone.localdate():
        return None
    return timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))


def geometry_on(model, on):
    """``geom`` of ``model``'s rows as it was on ``on`` (today's for a current date).

    The outline in force then, from django-simple-history: the latest record before the
    next local midnight; a row with no record that early keeps its first one (history
    began when the data was loaded); a row with no history, its live geometry. Which rows
    existed then is the queryset's business (validity dates), not this expression's.
    """
    cutoff = _cutoff(on)
    if cutoff is None:
        return F("geom")
    history = model.history.model.objects.filter(id=OuterRef("pk"))
    return Coalesce(
        Subquery(history.filter(history_date__lt=cutoff).order_by("-history_date", "-history_id").values("geom")[:1]),
        Subquery(history.order_by("history_date", "history_id").values("geom")[:1]),
        F("geom"),
    )


def _division_properties(on, shape) -> dict:
    """Properties shared by list and detail features; ``shape`` is the outline shown."""
    children = (Division.objects.current(on).filter(parent=OuterRef("pk")).order_by()
                .values("parent").annotate(n=Count("pk")).values("n"))
    around = SQL("COALESCE({}, {})", shape, "seat")
    return {
        "code": "code", "name": "name",
        "level": "level", "level_label": Label("level", Level),
        "kind": "kind", "kind_label": Label("kind", Kind),
        "parent": "parent__code", "parent_name": "parent__name",
        "area_km2": SQL("round((ST_Area({}::geography, true) / 1e6)::numeric, 4)", shape),
        "seat": SQL("CASE WHEN {} IS NULL THEN NULL ELSE json_build_array(ST_X({}), ST_Y({})) END",
                    "seat", "seat", "seat"),
        "label": SQL("CASE WHEN {} IS NULL THEN NULL ELSE json_build_array("
                     "round(ST_X(ST_PointOnSurface({}))::numeric, 6), round(ST_Y(ST_PointOnSurface({}))::numeric, 6)) END",
                     shape, shape, shape),
        "children": Coalesce(Subquery(children), Value(0)),
        "source": "source", "source_label": Label("source", Source), "source_note": "source_note",
        "valid_from": "valid_from", "valid_to": "valid_to",
        "bbox": SQL("CASE WHEN {} IS NULL THEN NULL ELSE json_build_array(ST_XMin({}), ST_YMin({}), ST_XMax({}), ST_YMax({})) END",
                    around, around, around, around, around),
    }


def _division_geometry(shape, tolerance: float):
    return SQL("COALESCE(ST_Multi(ST_SimplifyPreserveTopology({}, {})), {})", shape, Value(float(tolerance)), "seat")


def feature_collection(queryset, *, on, tolerance: float = 0.0) -> bytes:
    """A FeatureCollection (bytes) of the divisions in ``queryset``, ordered by code.

    ``tolerance`` (degrees) simplifies outlines for small-scale maps; 0 keeps them.
    """
    shape = geometry_on(Division, on)
    return geojson.feature_collection(queryset, id="code", geometry=_division_geometry(shape, tolerance),
                                      properties=_division_properties(on, shape), order_by=["code"], precision=6)


def feature(division: Division, *, on) -> bytes:
    """One Feature (bytes) with its ancestors from the province down."""
    shape = geometry_on(Division, on)
    ancestors = list(division.ancestors().values("code", "name", "level"))
    properties = {**_division_properties(on, shape),
                  "ancestors": SQL("{}::json", Value(json.dumps(ancestors, ensure_ascii=False)))}
    return geojson.feature(Division.objects.filter(pk=division.pk), id="code", precision=6,
                           geometry=_division_geometry(shape, 0.0), properties=properties)


def line_collection(queryset, *, on=None) -> bytes:
    """A FeatureCollection (bytes) of boundary lines with their two sides' codes; for a
    past ``on``, each line's course as it was that day (from its history)."""
    return geojson.feature_collection(queryset, geometry=geometry_on(BoundaryLine, on), precision=7, properties={
        "id": "id", "level": "level",
        "left": "left__code", "left_name": "left__name", "right": "right__code", "right_name": "right__name",
        "length_km": SQL("round({}::numeric, 4)", "length_km"), "agreement_ref": "agreement_ref",
        "last_inspected": "last_inspected", "edges": SQL("json_array_length({}::json)", "edge_ids"),
    }, order_by=["left__code", "right__code"])
