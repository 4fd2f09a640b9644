"""OpenAPI 3.0 description of CivAtlas's JSON API, served at ``/api/openapi.json``.

Written by hand from the views (each path below names its view), so that it says
what the API promises, including who may call it: ``security: [session]`` operations
need a logged-in session (Django's session cookie, and for POST the CSRF token in
``X-CSRFToken``); the others are public. The enumerations are read from the models'
choices by name, so geoapp imports no app (imports flow one way, DESIGN.md). The
schemathesis run in tests/geoapp/test_openapi_fuzz.py drives every operation here.
"""

from __future__ import annotations

from django.apps import apps
from django.http import JsonResponse
from django.views.decorators.http import require_GET

CODE = {"type": "string", "pattern": "^[0-9]{2,12}$", "description": "区划代码（2/4/6/9/12 位）", "example": "620521"}
DATE = {"type": "string", "format": "date", "description": "YYYY-MM-DD：当日现行的区划与边界"}
ERROR = {"type": "object", "properties": {"error": {"type": "string"}, "errors": {"type": "array", "items": {"type": "string"}}}}
ID = {"type": "integer", "minimum": 1}


def _choices(label: str, field: str) -> list[str]:
    app_label, model = label.split(".")
    return [value for value, _label in apps.get_model(app_label, model)._meta.get_field(field).choices]


def _q(name, schema, *, required=False, description=""):
    return {"name": name, "in": "query", "required": required, "schema": schema, "description": description}


def _path(name, schema=ID):
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _responses(ok: str, *codes: int, content: str = "application/json") -> dict:
    texts = {201: "已创建", 400: "参数错误（中文说明）", 401: "未登录", 403: "无权限或不在辖区内", 404: "不存在或不在辖区内",
             409: "版本冲突"}
    out = {"200": {"description": ok, "content": {content: {"schema": {"type": "object"}}}}}
    for code in codes:
        out[str(code)] = {"description": texts[code], "content": {"application/json": {"schema": ERROR}}}
    return out


def _get(summary, view, params=(), *, login=False, codes=(400,), content="application/json"):
    op = {"summary": summary, "description": f"View: `{view}`", "parameters": list(params),
          "responses": _responses("成功", *codes, *((401,) if login else ()), content=content)}
    if login:
        op["security"] = [{"session": []}]
    return {"get": op}


def _post_json(summary, view, schema, params=(), *, codes=(400, 403)):
    return {"post": {
        "summary": summary, "description": f"View: `{view}`", "parameters": list(params),
        "security": [{"session": []}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
        "responses": _responses("成功", *codes, 401),
    }}


def build_spec() -> dict:
    levels = _choices("boundaries.Division", "level")
    categories = _choices("placenames.PlaceName", "category")
    kinds = _choices("facilities.Facility", "kind")
    sign_status = _choices("placenames.Sign", "status")
    sign_types = _choices("placenames.Sign", "sign_type")
    conditions = _choices("placenames.SignInspection", "condition")
    name_kinds = _choices("placenames.NamingApplication", "kind")
    record = {
        "type": "object", "required": ["client_id", "lon", "lat", "accuracy_m"],
        "properties": {
            "client_id": {"type": "string", "format": "uuid"}, "lon": {"type": "number"}, "lat": {"type": "number"},
            "accuracy_m": {"type": "number", "minimum": 0}, "text_cn": {"type": "string"},
            "text_pinyin": {"type": "string"}, "team": {"type": "string"}, "notes": {"type": "string"},
            "photo": {"type": "array", "items": {"type": "string", "format": "binary"}},
        },
    }
    inspection = {**record, "required": [*record["required"], "condition"],
                  "properties": {**record["properties"], "inspected_at": {"type": "string", "format": "date-time"},
                                 "condition": {"type": "string", "enum": conditions}}}
    installation = {**record, "properties": {**record["properties"],
                                             "installed_at": {"type": "string", "format": "date-time"}}}
    paths = {
        "/api/divisions/": _get("区划列表（GeoJSON）", "boundaries.api.division_list", [
            _q("parent", CODE), _q("level", {"type": "string", "enum": levels}), _q("within", CODE), _q("date", DATE),
            _q("simplify", {"type": "number", "minimum": 0, "maximum": 0.1}, description="简化容差（度）"),
        ], content="application/geo+json"),
        "/api/divisions/search": _get("按名称或代码查找区划", "boundaries.api.division_search",
                                      [_q("q", {"type": "string", "maxLength": 50})], codes=()),
        "/api/divisions/{code}/": _get("一个区划（GeoJSON Feature）", "boundaries.api.division_detail",
                                       [_path("code", CODE), _q("date", DATE)], codes=(400, 404),
                                       content="application/geo+json"),
        "/api/boundary-lines/": _get("界线（辖区内至少一侧）", "boundaries.api.boundary_line_list", [
            _q("parent", CODE, required=True), _q("level", {"type": "string", "enum": levels}, required=True),
            _q("date", DATE)], login=True, codes=(400, 404), content="application/geo+json"),
        "/api/coverage/": _get("覆盖检查：缝隙、重叠、越界", "boundaries.api.coverage",
                               [_q("parent", CODE, required=True)], login=True, codes=(400, 404)),
        "/api/boundary-lines/{line_id}/": _get("一条界线的可编辑边与版本", "boundaries.edit_api.line_detail",
                                               [_path("line_id")], login=True, codes=(404,)),
        "/api/boundary-lines/{line_id}/edits/": _post_json(
            "提交界线修改（待第二人审批）", "boundaries.edit_api.propose",
            {"type": "object", "required": ["version", "edges"], "properties": {
                "version": {"type": "integer"}, "reason": {"type": "string"}, "document_no": {"type": "string"},
                "edges": {"type": "array", "items": {"type": "object", "required": ["edge_id", "coordinates"],
                          "properties": {"edge_id": {"type": "integer"}, "coordinates": {
                              "type": "array", "items": {"type": "array", "items": {"type": "number"}}}}}},
            }}, [_path("line_id")], codes=(400, 403, 404, 409)),
        "/api/line-edits/{edit_id}/": _get("一次界线修改", "boundaries.edit_api.edit_detail", [_path("edit_id")],
                                           login=True, codes=(404,)),
        "/api/line-edits/{edit_id}/{decision}": _post_json(
            "批准或退回界线修改", "boundaries.edit_api.decide",
            {"type": "object", "properties": {"note": {"type": "string"}}},
            [_path("edit_id"), _path("decision", {"type": "string", "enum": ["approve", "reject"]})],
            codes=(400, 403, 404)),
        "/api/export/boundaries": _get("导出区划与界线（GPKG/SHP/GeoJSON）", "boundaries.export_views.export_view", [
            _q("within", CODE, required=True), _q("levels", {"type": "string"}, required=True,
                                                  description="逗号分隔：" + ",".join(levels)),
            _q("format", {"type": "string", "enum": ["gpkg", "shp", "geojson"]}, required=True), _q("date", DATE),
            _q("lines", {"type": "string", "enum": ["0", "1"]})], login=True, codes=(400, 403),
            content="application/octet-stream"),
        "/api/placenames/search": _get("地名检索（公开，仅标准地名）", "placenames.api.search", [
            _q("q", {"type": "string"}), _q("category", {"type": "string", "enum": categories}), _q("division", CODE),
            _q("bbox", {"type": "string"}, description="minx,miny,maxx,maxy"),
            _q("centre", {"type": "string"}, description="lon,lat")]),
        "/api/placenames/romanize": _get("地名罗马字母拼写", "placenames.api.romanize_view", [
            _q("name", {"type": "string"}), _q("category", {"type": "string"}), _q("region", CODE)]),
        "/api/placenames/check": _post_json(
            "地名命名审查（未公开申请的冲突只告知存在）", "placenames.api.check",
            {"type": "object", "required": ["name", "kind", "division"], "properties": {
                "name": {"type": "string"}, "kind": {"type": "string", "enum": ["county", "township", "village",
                                                                               "street", "residential", "natural"]},
                "division": CODE, "renaming": {"type": "string"}}}, codes=(400,)),
        "/api/placenames/export": _get("导出地名（CSV/GeoPackage）", "placenames.api.export", [
            _q("within", CODE), _q("format", {"type": "string", "enum": ["csv", "gpkg"]})], login=True,
            codes=(400, 403), content="text/csv"),
        "/api/signs/": _get("地名标志（GeoJSON）", "placenames.signs.api.sign_list", [
            _q("division", CODE), _q("status", {"type": "string"}, description=",".join(sign_status)),
            _q("type", {"type": "string"}, description=",".join(sign_types)),
            _q("near", {"type": "string"}, description="lon,lat"),
            _q("limit", {"type": "integer", "minimum": 1, "maximum": 5000})], login=True, codes=(400, 403),
            content="application/geo+json"),
        "/api/facilities/": _get("民政设施（GeoJSON）", "facilities.api.facility_list", [
            _q("division", CODE, required=True), _q("kind", {"type": "string", "enum": kinds})],
            content="application/geo+json"),
        "/api/facilities/gaps": _get("缺口分析", "facilities.api.gaps", [
            _q("division", CODE, required=True), _q("kind", {"type": "string", "enum": kinds}, required=True),
            _q("radius_km", {"type": "number", "exclusiveMinimum": True, "minimum": 0})], login=True,
            codes=(400, 403)),
        "/api/facilities/suggest": _post_json(
            "选址建议并保存为方案", "facilities.api.suggest",
            {"type": "object", "required": ["division", "kind", "count"], "properties": {
                "division": CODE, "kind": {"type": "string", "enum": kinds},
                "radius_km": {"type": "number"}, "count": {"type": "integer", "minimum": 1, "maximum": 20},
                "name": {"type": "string"}}}, codes=(400, 403)),
        "/api/facilities/scenarios": _get("已保存的选址方案", "facilities.api.scenarios", [
            _q("division", CODE, required=True), _q("kind", {"type": "string", "enum": kinds})], login=True,
            codes=(400, 403)),
        "/api/facilities/scenarios/compare": _get("比较两个方案", "facilities.api.scenario_compare", [
            _q("a", ID, required=True), _q("b", ID, required=True)], login=True, codes=(400, 403, 404)),
        "/api/facilities/scenarios/{scenario_id}": _get("一个选址方案", "facilities.api.scenario_detail",
                                                        [_path("scenario_id")], login=True, codes=(403, 404)),
    }
    obj = {"type": "object"}
    paths.update({
        "/api/divisions/at": _get("某点处辖区内最小的现行区划", "boundaries.api.division_at", [
            _q("lon", {"type": "number"}, required=True), _q("lat", {"type": "number"}, required=True),
            _q("levels", {"type": "string"}), _q("date", DATE)], login=True, codes=(400, 404)),
        "/api/inspections/field/": _get("联检外业：本人可见的联检与界桩", "boundaries.inspections.api.field_data",
                                        login=True, codes=(403,)),
        "/api/inspections/markers/": _get("一条界线的界桩（仅限界线两侧辖区）", "boundaries.inspections.api.markers",
                                          [_q("line", ID, required=True)], login=True, codes=(400, 403, 404)),
        "/api/inspections/{pk}/start": _post_json("开始外业", "boundaries.inspections.api.start", obj,
                                                  [_path("pk")], codes=(400, 403, 404)),
        "/api/inspections/{pk}/checks/": _post_json("登记界桩检查", "boundaries.inspections.api.checks", obj,
                                                    [_path("pk")], codes=(400, 403, 404)),
        "/api/inspections/{pk}/findings/": _post_json("登记界线发现", "boundaries.inspections.api.findings", obj,
                                                      [_path("pk")], codes=(400, 403, 404)),
        "/api/inspections/{pk}/tracks/": _post_json("上传巡线轨迹", "boundaries.inspections.api.tracks", obj,
                                                    [_path("pk")], codes=(400, 403, 404)),
        "/api/inspections/telemetry": _post_json("智慧界桩上报（设备令牌）", "boundaries.inspections.api.telemetry", obj,
                                                 codes=(400, 403)),
        "/api/jobs/": _post_json("提交后台任务（管理员）", "geoapp.jobs.views.submit", obj, codes=(400, 403)),
        "/api/jobs/{job_id}": _get("后台任务状态", "geoapp.jobs.views.job_json", [_path("job_id")], login=True,
                                   codes=(403, 404)),
    })
    for name, schema in (("installations", installation), ("inspections", inspection)):
        paths[f"/api/signs/{{sign_id}}/{name}/"] = {"post": {
            "summary": "登记安装" if name == "installations" else "登记巡检", "security": [{"session": []}],
            "description": f"View: `placenames.signs.api.{name}`（同一 client_id 重复提交返回 200）",
            "parameters": [_path("sign_id")],
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}},
            "responses": {**_responses("重复提交：已有记录", 400, 401, 403, 404),
                          "201": {"description": "已登记", "content": {"application/json": {"schema": {"type": "object"}}}}},
        }}
    return {
        "openapi": "3.0.3",
        "info": {"title": "CivAtlas 民政地理信息平台 API", "version": "1",
                 "description": "JSON API of CivAtlas. Errors carry a Chinese message. Coordinates are CGCS2000 "
                                "lon/lat (RFC 7946 order). Naming-application kinds: " + ", ".join(name_kinds)},
        "servers": [{"url": "/"}],
        "components": {"securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "sessionid"}}},
        "paths": paths,
    }


@require_GET
def openapi_json(request):
    return JsonResponse(build_spec(), json_dumps_params={"ensure_ascii": False})
