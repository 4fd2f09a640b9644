"""JSON API of the inspection work (mounted under /api/inspections/).

* ``GET field/`` — what the phone page needs: the user's inspections that are planned or
  in fieldwork, each with its line and markers (registered positions: only for users
  whose jurisdiction touches the line, as everywhere).
* ``POST <id>/start`` — start the fieldwork of a planned inspection.
* ``POST <id>/checks/`` (multipart) — a marker check: ``client_id`` (UUID made on the
  phone), ``marker``, ``condition``, ``lon``, ``lat``, ``accuracy_m``, ``photo`` (one or
  more), optional ``action_required``, ``notes``, ``checked_at``. 201 ``{"id",
  "displacement_m", "flagged", "warnings"}``; the same ``client_id`` again → 200 with the
  same record, answered before any photo is read; refused → 400 ``{"errors": […]}``.
* ``POST <id>/findings/`` (multipart) — ``client_id``, ``kind``, ``lon``, ``lat``,
  ``description``, optional ``accuracy_m``, ``photo``.
* ``POST <id>/tracks/`` — JSON ``{"client_id", "lines": [[[lon, lat], …], …]}`` recorded
  on the phone, or multipart ``gpx`` (a GPX file).
* ``GET markers/?line=<id>`` — GeoJSON of a line's markers (scoped; 404 otherwise).
* ``POST telemetry`` — a smart marker's reading: header ``Authorization: Device <id>:<token>``
  and JSON ``{"measured_at", "tilt_deg", "movement_mm", "battery_pct"}``; no session.
"""

from __future__ import annotations

import json
import uuid

from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from boundaries.inspections import actions
from boundaries.inspections.actions import InspectionError
from boundaries.inspections.models import (
    CONDITION_ACTIONS,
    BoundaryMarker,
    FindingKind,
    InspectionStatus,
    JointInspection,
    LineFinding,
    MarkerCheck,
    MarkerCondition,
    TrackSource,
)
from boundaries.inspections.telemetry import TelemetryError, parse_payload, record_reading
from boundaries.models import BoundaryLine
from geoapp.access import Load, json_error, require
from geoapp.photos import PhotoError, check_size, read_photo

_JSON = {"ensure_ascii": False}


def _ok(payload: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(payload, status=status, json_dumps_params=_JSON)


# The inspection ``pk`` among the user's; the phone shows the messages of ``{"errors": […]}``.
INSPECTION = Load("inspection", lambda user: JointInspection.objects.for_user(user).select_related(
    "line__left", "line__right", "party_left", "party_right"), missing=["没有编号为 {pk} 的联检记录，或不在您的辖区内"])
NOT_AN_INSPECTOR = ["您的角色无权登记联检记录"]
NOT_SHOWN_MARKERS = ["您的角色无权查看界桩"]


def _marker_json(marker: BoundaryMarker) -> dict:
    return {"id": marker.pk, "number": marker.number, "lon": marker.geom.x, "lat": marker.geom.y,
            "condition": marker.condition, "condition_label": marker.get_condition_display(),
            "alert": marker.alert_open}


@require_GET
@require("boundaries.view_boundarymarker", json=True, message=NOT_SHOWN_MARKERS)
def field_data(request):
    inspections = (JointInspection.objects.for_user(request.user)
                   .filter(status__in=[InspectionStatus.PLANNED, InspectionStatus.FIELDWORK])
                   .select_related("line__left", "line__right").order_by("planned_start", "pk"))
    out = []
    for inspection in inspections:
        checked = set(inspection.marker_checks.values_list("marker_id", flat=True))
        out.append({
            "id": inspection.pk, "title": str(inspection), "status": inspection.status,
            "status_label": inspection.get_status_display(), "line": str(inspection.line),
            "planned": f"{inspection.planned_start} — {inspection.planned_end}",
            "markers": [{**_marker_json(m), "checked": m.pk in checked}
                        for m in BoundaryMarker.objects.along(inspection.line)],
        })
    return _ok({"inspections": out, "conditions": {c.value: str(c.label) for c in MarkerCondition},
                "actions": {k: str(v) for k, v in CONDITION_ACTIONS.items()},
                "finding_kinds": {c.value: str(c.label) for c in FindingKind}})


@require_POST
@require("boundaries.view_jointinspection", json=True, load=INSPECTION, message=NOT_AN_INSPECTOR)
def start(request, inspection: JointInspection):
    try:
        inspection = actions.start_fieldwork(inspection=inspection, by=request.user)
    except InspectionError as exc:
        return json_error(exc.errors)
    return _ok({"id": inspection.pk, "status": inspection.status, "status_label": inspection.get_status_display()})


def _client_id(data) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(data.get("client_id", "")))
    except ValueError:
        return None


def _position(data, errors: list[str]) -> tuple[float | None, float | None, float | None]:
    values = []
    for name, label, low, high in (("lon", "经度", -180, 180), ("lat", "纬度", -90, 90), ("accuracy_m", "定位精度", 0, 1e6)):
        try:
            value = float(data.get(name, ""))
        except ValueError:
            errors.append(f"缺少或无效的{label}（{name}）：请开启手机定位后重试")
            values.append(None)
            continue
        if value != value or not (low <= value <= high):
            errors.append(f"{label}（{name}）超出范围")
            values.append(None)
            continue
        values.append(value)
    return tuple(values)


def _photos(files, errors: list[str]):
    photos = []
    for upload in files.getlist("photo"):
        try:
            check_size(upload.size, name=upload.name)
            photos.append(read_photo(upload.read(), name=upload.name))
        except PhotoError as exc:
            errors.append(str(exc))
    return photos


def _when(data, name: str, errors: list[str]):
    raw = data.get(name, "")
    if not raw:
        return timezone.now()
    when = parse_datetime(raw)
    if when is None:
        errors.append(f"时间格式无效（{name}）：{raw}")
        return None
    return when if timezone.is_aware(when) else timezone.make_aware(when)


def _check_answer(check: MarkerCheck, created: bool) -> JsonResponse:
    return _ok({"id": check.pk, "marker": check.marker_id, "condition": check.condition,
                "displacement_m": round(check.displacement_m, 2), "flagged": check.flagged,
                "warnings": check.warnings, "created": created}, status=201 if created else 200)


@require_POST
@require("boundaries.add_markercheck", json=True, load=INSPECTION, message=NOT_AN_INSPECTOR)
def checks(request, inspection: JointInspection):
    data = request.POST
    client_id = _client_id(data)
    if client_id is None:
        return json_error(["缺少或无效的客户端编号 client_id（应为 UUID）"])
    # A retry of a stored record is answered before anything else is read.
    try:
        if (stored := actions.stored_check(client_id=client_id, inspection=inspection)) is not None:
            return _check_answer(stored, False)
    except InspectionError as exc:
        return json_error(exc.errors)
    errors: list[str] = []
    marker = BoundaryMarker.objects.filter(pk=data.get("marker") if str(data.get("marker", "")).isdigit() else None,
                                           line=inspection.line).first()
    if marker is None:
        errors.append("请选择本界线上的界桩（marker）")
    lon, lat, accuracy = _position(data, errors)
    when = _when(data, "checked_at", errors)
    photos = _photos(request.FILES, errors)
    if errors:
        return json_error(errors)
    try:
        check, created = actions.record_marker_check(
            inspection=inspection, marker=marker, client_id=client_id, condition=data.get("condition", ""),
            lon=lon, lat=lat, accuracy_m=accuracy, photos=photos, action_required=data.get("action_required", ""),
            notes=data.get("notes", ""), checked_at=when, recorded_by=request.user,
        )
    except InspectionError as exc:
        return json_error(exc.errors)
    return _check_answer(check, created)


@require_POST
@require("boundaries.add_linefinding", json=True, load=INSPECTION, message=NOT_AN_INSPECTOR)
def findings(request, inspection: JointInspection):
    data = request.POST
    client_id = _client_id(data)
    if client_id is None:
        return json_error(["缺少或无效的客户端编号 client_id（应为 UUID）"])
    stored = LineFinding.objects.filter(client_id=client_id, inspection=inspection).first()
    if stored is not None:
        return _ok({"id": stored.pk, "created": False})
    errors: list[str] = []
    lon, lat, accuracy = _position(data, errors)
    when = _when(data, "found_at", errors)
    photos = _photos(request.FILES, errors)
    if errors:
        return json_error(errors)
    try:
        finding, created = actions.record_finding(
            inspection=inspection, client_id=client_id, kind=data.get("kind", ""), lon=lon, lat=lat,
            accuracy_m=accuracy, description=data.get("description", ""), photos=photos, found_at=when,
            recorded_by=request.user,
        )
    except InspectionError as exc:
        return json_error(exc.errors)
    return _ok({"id": finding.pk, "created": created}, status=201 if created else 200)


@require_POST
@require("boundaries.add_tracklog", json=True, load=INSPECTION, message=NOT_AN_INSPECTOR)
def tracks(request, inspection: JointInspection):
    try:
        if upload := request.FILES.get("gpx"):
            track, created = actions.import_gpx(inspection=inspection, data=upload.read(), recorded_by=request.user,
                                                client_id=_client_id(request.POST))
        else:
            try:
                body = json.loads(request.body or b"{}")
                client_id = uuid.UUID(str(body.get("client_id", "")))
                lines = [[(float(lon), float(lat)) for lon, lat, *_rest in seg] for seg in body.get("lines", [])]
            except (ValueError, TypeError, AttributeError):
                return json_error(["轨迹应为 JSON：{client_id, lines: [[[经度, 纬度], …], …]}"])
            track, created = actions.record_track(inspection=inspection, client_id=client_id, lines=lines,
                                                  track_source=TrackSource.RECORDED, recorded_by=request.user)
    except InspectionError as exc:
        return json_error(exc.errors)
    return _ok({"id": track.pk, "points": track.points, "created": created}, status=201 if created else 200)


@require_GET
@require("boundaries.view_boundarymarker", json=True, message=NOT_SHOWN_MARKERS)
def marker_list(request):
    line_id = request.GET.get("line", "")
    line = BoundaryLine.objects.for_user(request.user).filter(pk=int(line_id) if line_id.isdigit() else None).first()
    if line is None:
        return json_error(["请指定您辖区内的界线（line）"], 404)
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [m.geom.x, m.geom.y]},
                 "properties": _marker_json(m)} for m in BoundaryMarker.objects.along(line)]
    return JsonResponse({"type": "FeatureCollection", "features": features}, json_dumps_params=_JSON,
                        content_type="application/geo+json; charset=utf-8")


@csrf_exempt  # devices authenticate with their own token, not a browser session
@require_POST
def telemetry(request):
    header = request.headers.get("Authorization", "")
    scheme, _space, credentials = header.partition(" ")
    device_id, _colon, token = credentials.partition(":")
    if scheme != "Device" or not device_id or not token:
        return json_error(["缺少设备凭据（Authorization: Device <设备编号>:<令牌>）"], 401)
    try:
        result = record_reading(device_id=device_id, token=token, payload=parse_payload(request.body), channel="http")
    except TelemetryError as exc:
        return json_error([str(exc)], exc.status)
    return _ok({"reading": result.reading.pk, "alarm": result.reading.alarm, "duplicate": result.duplicate,
                "alert": result.alert.pk if result.alert else None, "alert_created": result.alert_created},
               status=200 if result.duplicate else 201)
