"""JSON API for facilities: the map layer (GeoJSON), the gap analysis and site scenarios.

Views parse input, pick rows with QuerySet methods or call one analysis function or
action, and return JSON. Registry fields are public (a nursing home's name and place
are on its gate); ``details`` follow the user's role and jurisdiction; gap analysis and
site scenarios need ``facilities.analyse_facility`` (``facilities.access``) inside their
jurisdiction.
"""

from __future__ import annotations

import math

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from boundaries.codes import Level
from boundaries.models import Division
from facilities import geojson
from facilities.access import ANALYSE, ANALYSIS_REFUSED, may_analyse_in
from facilities.actions import create_site_scenario
from facilities.forms import SuggestForm
from facilities.gaps import MAX_RADIUS_KM, analyse_gaps, radius_km_for
from facilities.models import Facility, Kind, SiteScenario
from facilities.scenarios import compare_scenarios, scenario_dict
from geoapp.access import json_error, require
from geoapp.jsonbody import JsonBodyError, parse_json_request
from geoapp.jurisdiction import normalise_code

GEOJSON = "application/geo+json; charset=utf-8"
JSON_PARAMS = {"ensure_ascii": False}


class BadRequest(ValueError):
    pass


def _division(request) -> Division:
    return _division_from(request.GET.get("division", ""))


def _division_from(raw: str) -> Division:
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
    return _radius_value(raw)


def _radius_value(raw) -> float:
    try:
        radius = float(raw)
    except (TypeError, ValueError) as exc:
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
        return json_error(str(exc))
    facilities = Facility.objects.within(division.code)
    if kind:
        facilities = facilities.of_kind(kind)
    body = geojson.feature_collection(facilities, detail_prefix=_detail_prefix(request.user))
    return HttpResponse(body, content_type=GEOJSON)


@require_GET
@require(ANALYSE, json=True, message=ANALYSIS_REFUSED)
def gaps(request):
    """``?division=CODE&kind=K[&radius_km=R]``: township gap table and uncovered villages."""
    try:
        division = _division(request)
        kind = _kind(request, required=True)
        radius_km = _radius_km(request)
    except BadRequest as exc:
        return json_error(str(exc))
    if division.level == Level.VILLAGE:
        return json_error("缺口分析按乡镇汇总，请选择县级或乡级区划")
    if not may_analyse_in(request.user, division.code):
        return json_error(f"{division.name}不在您的辖区内", 403)
    report = analyse_gaps(division=division, kind=kind, radius_km=radius_km)
    return JsonResponse(report.as_dict(), json_dumps_params=JSON_PARAMS)


def _suggest_params(body: dict) -> dict:
    """Validate the JSON body of a suggestion request into create_site_scenario's arguments."""
    if not isinstance(body, dict):
        raise BadRequest(_("请求体应为 JSON 对象"))
    division = _division_from(str(body.get("division", "")))
    if division.level in (Level.VILLAGE, Level.TOWNSHIP):
        raise BadRequest(_("选址建议按县级或以上区划计算"))
    kind = body.get("kind", "")
    if kind not in Kind.values:
        raise BadRequest(f"设施类型 kind 应为 {', '.join(Kind.values)} 之一")
    raw_radius = body.get("radius_km")
    radius_km = radius_km_for(kind) if raw_radius in (None, "") else _radius_value(raw_radius)
    form = SuggestForm(data={"count": body.get("count"), "name": body.get("name") or ""})
    if not form.is_valid():
        raise BadRequest(next(iter(form.errors.values()))[0])
    count, name = form.cleaned_data["count"], form.cleaned_data["name"]
    if not name:
        name = _("%(division)s%(kind)s选址方案（%(count)d 个，%(radius)g 千米）") % {
            "division": division.name, "kind": Kind(kind).label, "count": count, "radius": radius_km,
        }
    return {"division": division, "kind": kind, "radius_km": radius_km, "count": count, "name": name}


@require_POST
@require(ANALYSE, json=True, message=ANALYSIS_REFUSED)
def suggest(request):
    """POST ``{division, kind, radius_km, count, name}``: compute, save and return a scenario."""
    try:
        params = _suggest_params(parse_json_request(request))
    except JsonBodyError as exc:
        return json_error(str(exc))
    except BadRequest as exc:
        return json_error(str(exc))
    if not may_analyse_in(request.user, params["division"].code):
        return json_error(f"{params['division'].name}不在您的辖区内", 403)
    scenario = create_site_scenario(**params, created_by=request.user)
    return JsonResponse(scenario_dict(scenario), status=201, json_dumps_params=JSON_PARAMS)


def _scenarios_for(user):
    return SiteScenario.objects.for_user(user).select_related("division", "created_by")


@require_GET
@require(ANALYSE, json=True, message=ANALYSIS_REFUSED)
def scenarios(request):
    """``?division=CODE[&kind=K]``: saved scenarios inside the division, newest first."""
    try:
        division = _division(request)
        kind = _kind(request, required=False)
    except BadRequest as exc:
        return json_error(str(exc))
    if not may_analyse_in(request.user, division.code):
        return json_error(f"{division.name}不在您的辖区内", 403)
    rows = _scenarios_for(request.user).within(division.code)
    if kind:
        rows = rows.filter(kind=kind)
    data = [scenario_dict(s, with_sites=False) for s in rows[:200]]
    return JsonResponse({"scenarios": data}, json_dumps_params=JSON_PARAMS)


@require_GET
@require(ANALYSE, json=True, message=ANALYSIS_REFUSED)
def scenario_detail(request, scenario_id: int):
    scenario = _scenarios_for(request.user).filter(pk=scenario_id).first()
    if scenario is None:
        return json_error(_("没有这个选址方案，或它不在您的辖区内"), 404)
    return JsonResponse(scenario_dict(scenario), json_dumps_params=JSON_PARAMS)


@require_GET
@require(ANALYSE, json=True, message=ANALYSIS_REFUSED)
def scenario_compare(request):
    """``?a=ID&b=ID``: two saved scenarios side by side."""
    try:
        ids = [int(request.GET.get(key, "")) for key in ("a", "b")]
    except ValueError:
        return json_error(_("请用 a 和 b 指定两个方案编号"))
    found = _scenarios_for(request.user).in_bulk(ids)
    if len(found) != len(set(ids)):
        return json_error(_("没有这个选址方案，或它不在您的辖区内"), 404)
    return JsonResponse(compare_scenarios(found[ids[0]], found[ids[1]]), json_dumps_params=JSON_PARAMS)
