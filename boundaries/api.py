"""JSON API for divisions (public read: outlines and names are not sensitive).

Views parse input, pick rows with QuerySet methods, and return bytes built in SQL by
``boundaries.geojson``. ``?date=YYYY-MM-DD`` gives the divisions in force that day.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.gis.db.models.functions import Envelope
from django.contrib.gis.geos import Point
from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from boundaries import geojson
from boundaries.codes import LEVEL_ORDER, Level
from boundaries.coverage import check_coverage
from boundaries.models import BoundaryLine, Division
from geoapp.access import json_error, require
from geoapp.gis import CGCS2000
from geoapp.jurisdiction import normalise_code
from geoapp.params import ParamError, finite_float, iso_date

GEOJSON = "application/geo+json; charset=utf-8"
SEARCH_LIMIT = 20


BadRequest = ParamError
MAX_SIMPLIFY = 0.1  # degrees (~11 km): beyond it outlines degenerate


def _date(request) -> dt.date:
    raw = request.GET.get("date")
    if not raw:
        return timezone.localdate()
    return iso_date(raw)


def _code(raw: str) -> str:
    try:
        return normalise_code(raw)
    except ValueError as exc:
        raise BadRequest(str(exc)) from exc


@require_GET
def division_list(request):
    """``?parent=CODE`` children, or ``?level=L[&within=CODE]``, or the top level."""
    try:
        on = _date(request)
        divisions = Division.objects.current(on)
        if parent := request.GET.get("parent"):
            divisions = divisions.filter(parent__code=_code(parent), parent__in=Division.objects.current(on))
        elif level := request.GET.get("level"):
            if level not in Level.values:
                raise BadRequest(f"未知级别 {level}")
            divisions = divisions.at_level(level)
            if within := request.GET.get("within"):
                divisions = divisions.within(_code(within))
        else:
            divisions = divisions.filter(parent__isnull=True)
        tolerance = finite_float(request.GET.get("simplify") or 0, "simplify", low=0, high=MAX_SIMPLIFY)
    except (BadRequest, ValueError) as exc:
        return json_error(str(exc))
    return HttpResponse(geojson.feature_collection(divisions, on=on, tolerance=tolerance), content_type=GEOJSON)


@require_GET
def division_detail(request, code: str):
    try:
        on = _date(request)
        division = Division.objects.current(on).filter(code=_code(code)).select_related("parent").first()
    except BadRequest as exc:
        return json_error(str(exc))
    if division is None:
        raise Http404(f"没有代码为 {code} 的现行区划")
    return HttpResponse(geojson.feature(division, on=on), content_type=GEOJSON)


@require_GET
def division_search(request):
    """Divisions by name substring or code prefix: exact name first, then by level, code."""
    query = request.GET.get("q", "").strip()[:50]
    shown = list(
        Division.objects.current()
        .ranked_search(query)
        .select_related("parent")
        .defer("geom", "parent__geom")
        .annotate(envelope=Envelope("geom"))[:SEARCH_LIMIT]
    )
    paths = Division.objects.current().paths([d.code for d in shown])
    payload = [
        {
            "code": d.code,
            "path": paths.get(d.code, []),
            "name": d.name,
            "level": d.level,
            "level_label": d.get_level_display(),
            "kind_label": d.get_kind_display(),
            "parent_name": d.parent.name if d.parent else "",
            "bbox": list((d.envelope or d.seat).extent) if (d.envelope or d.seat) else None,
        }
        for d in shown
    ]
    return JsonResponse({"results": payload}, json_dumps_params={"ensure_ascii": False})


@require_GET
@require(json=True)
def division_at(request):
    """``?lon=&lat=[&levels=a,b][&date=]``: the smallest division in force that covers the
    point, among those in the user's jurisdiction (the division picker's click on a map)."""
    try:
        on = _date(request)
        point = Point(float(request.GET["lon"]), float(request.GET["lat"]), srid=CGCS2000)
        levels = [v for v in request.GET.get("levels", "").split(",") if v]
        if unknown := [v for v in levels if v not in Level.values]:
            raise BadRequest(f"未知级别 {'、'.join(unknown)}")
    except (KeyError, ValueError) as exc:
        return json_error(str(exc) if isinstance(exc, BadRequest) else "请给出经纬度 lon 与 lat（数字）")
    found = Division.objects.current(on).for_user(request.user).containing(point).defer("geom")
    if levels:
        found = found.filter(level__in=levels)
    depth = {level: i for i, level in enumerate(LEVEL_ORDER)}
    smallest = max(found, key=lambda d: depth[d.level], default=None)
    if smallest is None:
        return json_error("该位置不在您辖区内可选的区划中", 404)
    return JsonResponse({
        "code": smallest.code, "name": smallest.name, "level": smallest.level,
        "level_label": smallest.get_level_display(), "kind_label": smallest.get_kind_display(),
        "path": Division.objects.current(on).paths([smallest.code]).get(smallest.code, []),
    }, json_dumps_params={"ensure_ascii": False})


@require_GET
@require(json=True)
def boundary_line_list(request):
    """``?parent=CODE&level=L``: the current lines among that level inside the parent,
    limited to lines with at least one side in the user's jurisdiction."""
    try:
        on = _date(request)
        level = request.GET.get("level", "")
        if level not in Level.values:
            raise BadRequest(f"level 应为 {', '.join(Level.values)} 之一")
        parent = Division.objects.current(on).filter(code=_code(request.GET.get("parent", ""))).first()
    except BadRequest as exc:
        return json_error(str(exc))
    if parent is None:
        raise Http404("没有该上级区划")
    lines = BoundaryLine.objects.current(on).of(parent=parent, level=level).for_user(request.user)
    return HttpResponse(geojson.line_collection(lines, on=on), content_type=GEOJSON)


@require_GET
@require(json=True)
def coverage(request):
    """``?parent=CODE``: gaps, overlaps, parts outside and invalid geometries among its
    children, each with its area (m²), a point and its geometry for the map."""
    try:
        parent = Division.objects.current().for_user(request.user).filter(code=_code(request.GET.get("parent", ""))).first()
    except BadRequest as exc:
        return json_error(str(exc))
    if parent is None:
        raise Http404("没有该区划，或不在您的辖区内")
    report = check_coverage(parent)
    payload = {"parent": parent.code, "children": report.children, "ok": report.ok,
               "problems": [p.as_dict() for p in report.problems]}
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
