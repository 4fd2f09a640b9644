"""JSON API for facilities: the map layer (GeoJSON) and the gap analysis.

Views parse input, pick rows with QuerySet methods or call one analysis function, and
return JSON. Registry fields are public (a nursing home's name and place are on its
gate); ``details`` follow the user's role and jurisdiction; gap analysis is for
logged-in users inside their jurisdiction.
"""

from __future__ import annotations

import math

from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from boundaries.codes import Level
from boundaries.models import Division
from facilities import geojson
from facilities.gaps import MAX_RADIUS_KM, analyse_gaps
from facilities.models import Facility, Kind
from geoapp.decorators import api_login_required
from geoapp.jurisdiction import normalise_code

GEOJSON = "application/geo+json; charset=utf-8"
JSON_PARAMS = {"ensure_ascii": False}


class BadRequest(ValueError):
    pass


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status, json_dumps_params=JSON_PARAMS)


def _division(request) -> Division:
    raw = request.GET.get("division", "")
    if not raw:
        raise BadRequest("缺少参数 division（区划代码）")
    try:
        code = normalise_code(raw)
    except ValueError as exc:
        raise BadRequest(str(exc)) from exc
    division = Division.objects.current().filter(code=code).first()
    if division is None:
        raise BadRequest(f"没有代码为 {code} 的现行行政区划")
    return division


def _kind(request, *, required: bool) -> str | None:
    kind = request.GET.get("kind", "")
    if not kind and not required:
        return None
    if kind not in Kind.values:
        raise BadRequest(f"设施类型 kind 应为 {', '.join(Kind.values)} 之一")
    return kind


def _radius_km(request) -> float | None:
    raw = request.GET.get("radius_km", "")
    if not raw:
        return None
    try:
        radius = float(raw)
    except ValueError as exc:
        raise BadRequest(f"服务半径 radius_km 应为数字：{raw}") from exc
    if not math.isfinite(radius) or not 0 < radius <= MAX_RADIUS_KM:
        raise BadRequest(f"服务半径 radius_km 应大于 0 且不超过 {MAX_RADIUS_KM:g} 千米")
    return radius


def _detail_prefix(user) -> str | None:
    """The code prefix whose facilities' details this user may read (None: none)."""
    if not user.is_authenticated or not user.is_active or not user.has_perm("facilities.view_facility"):
        return None
    return user.jurisdiction_prefix


@require_GET
def facility_list(request):
    """``?division=CODE[&kind=K]``: the facilities inside the division, as GeoJSON."""
    try:
        division = _division(request)
        kind = _kind(request, required=False)
    except BadRequest as exc:
        return _error(str(exc))
    facilities = Facility.objects.within(division.code)
    if kind:
        facilities = facilities.of_kind(kind)
    body = geojson.feature_collection(facilities, detail_prefix=_detail_prefix(request.user))
    return HttpResponse(body, content_type=GEOJSON)


@require_GET
@api_login_required
def gaps(request):
    """``?division=CODE&kind=K[&radius_km=R]``: township gap table and uncovered villages."""
    try:
        division = _division(request)
        kind = _kind(request, required=True)
        radius_km = _radius_km(request)
    except BadRequest as exc:
        return _error(str(exc))
    if division.level == Level.VILLAGE:
        return _error("缺口分析按乡镇汇总，请选择县级或乡级区划")
    if not request.user.can_act_on(division.code) or not request.user.has_perm("facilities.view_facility"):
        return _error(f"{division.name}不在您的辖区内", status=403)
    report = analyse_gaps(division=division, kind=kind, radius_km=radius_km)
    return JsonResponse(report.as_dict(), json_dumps_params=JSON_PARAMS)
