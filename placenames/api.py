"""JSON API of the gazetteer (mounted under /api/placenames/).

* ``GET search?q=…&category=&division=&bbox=minx,miny,maxx,maxy&centre=lon,lat``:
  public, standard names only, non-sensitive fields (name, romanization, class,
  division, a representative point).
* ``GET romanize?name=…&category=…``: the romanize command's JSON, public.
* ``POST check`` (JSON or form: name, kind, division, renaming): the naming-law checks
  of ``check_name``; login; conflicts with names still in the workflow are shown only
  to users who may view applications there (``placenames.disclosure``).
"""

from __future__ import annotations

from django.contrib.gis.db.models.functions import PointOnSurface
from django.contrib.gis.geos import Point
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from boundaries.models import Division
from geoapp.access import json_error, require
from geoapp.gis import CGCS2000
from geoapp.jsonbody import JsonBodyError, parse_json_body
from geoapp.jurisdiction import normalise_code
from geoapp.params import ParamError, lonlat_bbox, lonlat_point
from placenames.checks import check_name
from placenames.disclosure import redact_check_result
from placenames.exchange import ExportFailed, export_csv, export_gpkg
from placenames.models import Category, PlaceName
from placenames.romanization import CATEGORIES, romanize
from placenames.search import administrative_paths, search_names

SEARCH_LIMIT = 20
_JSON = {"ensure_ascii": False}


BadRequest = ParamError


def _search_params(params) -> tuple:
    names = PlaceName.objects.standard()
    if category := params.get("category"):
        if category not in Category.values:
            raise BadRequest(f"未知类别 {category}；可用类别：{', '.join(Category.values)}")
        names = names.in_category(category)
    if division := params.get("division"):
        try:
            names = names.within(normalise_code(division))
        except ValueError as exc:
            raise BadRequest(str(exc)) from exc
    centre = None
    if bbox := params.get("bbox"):
        minx, miny, maxx, maxy = lonlat_bbox(bbox)
        names = names.in_bbox((minx, miny, maxx, maxy))
        centre = Point((minx + maxx) / 2, (miny + maxy) / 2, srid=CGCS2000)
    if raw_centre := params.get("centre") or params.get("center"):
        lon, lat = lonlat_point(raw_centre, "centre")
        centre = Point(lon, lat, srid=CGCS2000)
    return names, centre


@require_GET
def search(request):
    """Public name search, ranked (see ``placenames.search``)."""
    try:
        names, centre = _search_params(request.GET)
    except BadRequest as exc:
        return json_error(str(exc))
    # No join in the ranked queries: the page's divisions are read afterwards by id. Joined,
    # the planner hashed all 665,000 divisions for "x" nationally (100 ms) to name 20.
    rows = search_names(
        names.annotate(point=PointOnSurface("geom")).values(
            "id", "standard_name", "romanization", "category", "division_id", "point"
        ),
        request.GET.get("q", ""), centre=centre, limit=SEARCH_LIMIT,
    )
    wanted = {row["division_id"] for row in rows if row["division_id"]}
    divisions = {pk: (code, name) for pk, code, name in
                 Division.objects.filter(pk__in=wanted).values_list("pk", "code", "name")}
    for row in rows:
        row["division__code"], row["division__name"] = divisions.get(row["division_id"], (None, None))
    labels = dict(Category.choices)
    paths = administrative_paths({row["division__code"] for row in rows if row["division__code"]})
    results = [
        {
            "id": row["id"],
            "name": row["standard_name"],
            "romanization": row["romanization"],
            "category": row["category"],
            "category_label": str(labels[row["category"]]),
            "division": row["division__name"] or "",
            "division_code": row["division__code"] or "",
            # The divisions above, and the named division itself when this is not its own name.
            "path": paths.get(row["division__code"], []) + (
                [row["division__name"]] if row["division__name"] and row["division__name"] != row["standard_name"] else []),
            "lonlat": [round(row["point"].x, 6), round(row["point"].y, 6)] if row["point"] else None,
            "match": ("exact", "initials", "prefix", "infix", "fuzzy")[row["rank"]],
            "url": reverse("placename-page", args=[row["id"]]),
        }
        for row in rows
    ]
    return JsonResponse({"results": results}, json_dumps_params=_JSON)


@require_GET
def romanize_view(request):
    """The same JSON object as ``manage.py romanize``."""
    name = request.GET.get("name", "")
    category = request.GET.get("category") or None
    if category is not None and category not in CATEGORIES:
        return json_error(f"未知类别 {category!r}；可用类别：{', '.join(CATEGORIES)}")
    try:
        result = romanize(name[:100], category=category, region=request.GET.get("region") or None)
    except ValueError as exc:
        return json_error(str(exc))
    return JsonResponse(result.as_dict(), json_dumps_params=_JSON)


@require_POST
@require(json=True)
def check(request):
    """Naming-law checks: ``{"ok": bool, "problems": [...]}`` (JSON body or form)."""
    if request.content_type == "application/json":
        try:
            data = parse_json_body(request.body)
        except JsonBodyError as exc:
            return json_error(str(exc))
    else:
        data = request.POST
    missing = [f for f in ("name", "kind", "division") if not str(data.get(f) or "").strip()]
    if missing:
        return json_error(f"缺少参数：{', '.join(missing)}")
    if too_long := [f for f in ("name", "kind", "division", "renaming") if len(str(data.get(f) or "")) > 100]:
        return json_error(f"参数过长（最多 100 个字符）：{', '.join(too_long)}")
    try:
        result = check_name(
            name=str(data["name"]), kind=str(data["kind"]), division_code=str(data["division"]),
            renaming=str(data.get("renaming") or "") or None,
        )
    except ValueError as exc:
        return json_error(str(exc))
    # Conflicts with names still in the workflow: shown only to whom may see them.
    return JsonResponse(redact_check_result(result.to_dict(), user=request.user), json_dumps_params=_JSON)


@require_GET
@require(json=True)
def export(request):
    """``?within=CODE&format=csv|gpkg``: the names inside the user's jurisdiction."""
    fmt = request.GET.get("format", "csv")
    try:
        code = normalise_code(request.GET.get("within") or request.user.jurisdiction_code)
    except ValueError as exc:
        return json_error(str(exc))
    if fmt not in ("csv", "gpkg"):
        return json_error("format 应为 csv 或 gpkg")
    if not request.user.can_act_on(code):
        return json_error("不在您的辖区内", 403)
    places = PlaceName.objects.within(code)
    try:
        data = export_csv(places) if fmt == "csv" else export_gpkg(places)
    except ExportFailed as exc:
        return json_error(str(exc), 500)
    response = HttpResponse(data, content_type="text/csv; charset=utf-8" if fmt == "csv" else "application/geopackage+sqlite3")
    response["Content-Disposition"] = f'attachment; filename="placenames_{code}.{fmt}"'
    return response
