"""JSON API of the boundary editor: load a line's edges, propose an edit, approve or reject.

Every view gets the line or edit loaded through ``for_user`` (jurisdiction) by
``geoapp.access.require`` and calls one action; refusals come back as JSON with a Chinese message and, where known, the
place on the map (``location`` [lon, lat]). Conflicts (optimistic locking) are 409.
"""

from __future__ import annotations

import json
import math

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from boundaries import actions, topology
from boundaries.edit_geometry import EditConflict, EditRefused
from boundaries.models import BoundaryLine, LineEdit
from geoapp.access import Load, json_error, require
from geoapp.jsonbody import JsonBodyError, parse_json_request


def _json(payload: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})


def _refusal(exc: Exception) -> JsonResponse:
    if isinstance(exc, PermissionDenied):
        return json_error(str(exc), 403)
    status = 409 if isinstance(exc, EditConflict) else 400
    return json_error(exc.message, status, location=exc.location, conflict=status == 409)


def _body(request) -> dict:
    try:
        return parse_json_request(request)
    except JsonBodyError as exc:
        raise EditRefused(str(exc)) from exc


MAX_EDGES = 500
MAX_VERTICES = 20_000


def _edges(raw) -> list[dict]:
    """The ``edges`` of an edit, shape-checked before the topology sees them: a list of
    ``{"edge_id": int, "coordinates": [[lon, lat], ...]}`` with finite numbers."""
    if not isinstance(raw, list) or len(raw) > MAX_EDGES:
        raise EditRefused(f"edges 应为最多 {MAX_EDGES} 条边的列表")
    for item in raw:
        if not isinstance(item, dict) or type(item.get("edge_id")) is not int:
            raise EditRefused("每条边应为 {\"edge_id\": 整数, \"coordinates\": [[经度, 纬度], …]}")
        coords = item.get("coordinates")
        if not isinstance(coords, list) or not 2 <= len(coords) <= MAX_VERTICES or not all(
            isinstance(c, list) and len(c) == 2 and all(type(v) in (int, float) and math.isfinite(v) for v in c)
            for c in coords
        ):
            raise EditRefused(f"拓扑边 {item['edge_id']} 的坐标应为 2 至 {MAX_VERTICES} 个有限的 [经度, 纬度]")
    return raw


# The current lines, and the edits of any line, inside the user's jurisdiction.
LINE = Load("line", lambda user: BoundaryLine.objects.current().for_user(user).select_related("left", "right"),
            kwarg="line_id")
EDIT = Load("edit", lambda user: LineEdit.objects.select_related("line__left", "line__right").filter(
    line__in=BoundaryLine.objects.for_user(user)), kwarg="edit_id")


def _coords(wkt: str) -> list[list[float]]:
    from django.contrib.gis.geos import GEOSGeometry

    return [list(c) for c in GEOSGeometry(wkt).coords]


@require_GET
@require(json=True, load=LINE)
def line_detail(request, line: BoundaryLine):
    """The line's editable edges and its version (the optimistic lock the editor sends back)."""
    edges = topology.edge_geometries(line.topology, line.edge_ids)
    sides = [d for d in (line.left, line.right) if d is not None]
    return _json({
        "id": line.pk, "version": line.version, "level": line.level, "length_km": round(line.length_km, 4),
        "left": {"code": line.left.code, "name": line.left.name},
        "right": {"code": line.right.code, "name": line.right.name} if line.right_id else None,
        "edges": [{"edge_id": e, "coordinates": _coords(edges[e])} for e in sorted(edges)],
        "can_edit": line.right_id is not None and request.user.has_perm(actions.EDIT_LINES)
        and any(request.user.can_act_on(d.code) for d in sides),
        "pending_edits": list(line.edits.filter(status="pending").values_list("pk", flat=True)),
    })


@require_POST
@require(json=True, load=LINE)
def propose(request, line: BoundaryLine):
    """Body: {"version": n, "edges": [{"edge_id", "coordinates"}], "reason", "document_no"}."""
    try:
        data = _body(request)
        version = data.get("version")
        if type(version) is not int:
            raise EditRefused("缺少界线版本号（version）")
        edit = actions.propose_line_edit(
            line=line, base_version=version, edges=_edges(data.get("edges") or []), reason=str(data.get("reason", "")),
            document_no=str(data.get("document_no", "")), proposed_by=request.user,
        )
    except (EditRefused, PermissionDenied) as exc:
        return _refusal(exc)
    return _json({"id": edit.pk, "status": edit.status, "area_changes": edit.area_changes}, 201)


@require_GET
@require(json=True, load=EDIT)
def edit_detail(request, edit: LineEdit):
    return _json({
        "id": edit.pk, "status": edit.status, "status_label": edit.get_status_display(),
        "reason": edit.reason, "document_no": edit.document_no,
        "old": json.loads(edit.old_geom.geojson), "new": json.loads(edit.new_geom.geojson),
        "area_changes": edit.area_changes,
    })


@require_POST
@require(json=True, load=EDIT)
def decide(request, edit: LineEdit, decision: str):
    try:
        if decision == "approve":
            edit = actions.approve_line_edit(edit=edit, approved_by=request.user)
        elif decision == "reject":
            edit = actions.reject_line_edit(edit=edit, rejected_by=request.user, note=str(_body(request).get("note", "")))
        else:
            raise Http404
    except (EditRefused, PermissionDenied) as exc:
        return _refusal(exc)
    return _json({"id": edit.pk, "status": edit.status, "status_label": edit.get_status_display()})
