"""JSON API of place-name signs (mounted under /api/signs/), used by the field page and
by any other client with a session login.

* ``GET /api/signs/?division=<code>&status=<s>[,<s>…]&type=<t>&near=<lon>,<lat>&limit=<n>``
  → GeoJSON FeatureCollection (lon/lat) of the signs in the user's jurisdiction, with
  ``id``, ``type``, ``place_name``, ``status`` (+ labels, text, planned point, dates,
  ``inspection_due``; ``distance_m`` nearest first when ``near`` is given).
* ``POST /api/signs/<id>/installations/`` (multipart): ``client_id`` (UUID made on the
  phone), ``lon``, ``lat``, ``accuracy_m``, ``text_cn``, ``text_pinyin``, ``photo`` (one
  or more), ``installed_at`` (ISO 8601; default now), optional ``team``, ``notes``.
  201 ``{"id", "sign", "status", "warnings"}``; the same ``client_id`` again → 200 with
  the same id and nothing stored; failed checks → 400 ``{"errors": [one per problem]}``;
  a sign outside the user's jurisdiction → 403.
* ``POST /api/signs/<id>/inspections/``: the same with ``inspected_at`` and
  ``condition`` (intact | damaged | missing | wrong_text).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.gis.geos import Point
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_GET, require_POST

from geoapp.access import Load, json_error, require
from geoapp.jurisdiction import normalise_code
from geoapp.params import ParamError, bounded_int, lonlat_point
from placenames.signs.actions import SignError, record_inspection, record_installation, stored_record
from placenames.signs.geojson import feature_collection
from placenames.signs.models import Condition, Sign, SignStatus, SignType
from placenames.signs.photos import PhotoError, check_size, read_photo

GEOJSON = "application/geo+json; charset=utf-8"
MAX_LIMIT = 2000
_JSON = {"ensure_ascii": False}


# A field record's sign, inside the user's jurisdiction; one of another township is
# refused by name (403), so the worker knows it is not theirs rather than missing.
SIGN = Load(
    "sign", lambda user: Sign.objects.for_user(user).select_related("place", "division__parent"), kwarg="sign_id",
    missing=["没有编号为 {pk} 的地名标志"],
    outside=lambda sign: [f"“{sign.text_cn}”不在您的辖区内（须为该辖区的外业人员）"],
)
NOT_A_FIELD_TEAM = ["您的角色无权登记地名标志的安装和检查（须为该辖区的外业人员）"]


# --- reading ----------------------------------------------------------------------------------


def _list_params(user, params) -> tuple:
    """(queryset, near, errors) from the query string."""
    signs = Sign.objects.for_user(user)
    errors = []
    if division := params.get("division"):
        try:
            signs = signs.within(normalise_code(division))
        except ValueError as exc:
            errors.append(str(exc))
    if raw := params.get("status"):
        statuses = [s for s in raw.split(",") if s]
        if unknown := [s for s in statuses if s not in SignStatus.values]:
            errors.append(f"未知状态 {'、'.join(unknown)}；可用：{', '.join(SignStatus.values)}")
        signs = signs.in_status(*statuses)
    if raw := params.get("type"):
        types = [t for t in raw.split(",") if t]
        if unknown := [t for t in types if t not in SignType.values]:
            errors.append(f"未知标志类型 {'、'.join(unknown)}；可用：{', '.join(SignType.values)}")
        signs = signs.of_type(*types)
    near = None
    if raw := params.get("near"):
        try:
            near = lonlat_point(raw, "near")
        except ParamError as exc:
            errors.append(str(exc))
    try:
        limit = bounded_int(params.get("limit", MAX_LIMIT), "limit", low=1, high=MAX_LIMIT)
    except ParamError as exc:
        errors.append(str(exc))
        limit = MAX_LIMIT
    if near:
        signs = signs.by_distance(Point(*near))
    else:
        signs = signs.order_by("division__code", "sign_type", "pk")
    return signs[:limit], near, errors


@require_GET
@require("placenames.view_sign", json=True, message=["您无权查看地名标志"])
def sign_list(request):
    signs, near, errors = _list_params(request.user, request.GET)
    if errors:
        return json_error(errors)
    return HttpResponse(feature_collection(signs, near=near), content_type=GEOJSON)


# --- field records ----------------------------------------------------------------------------


def _retry(request, sign: Sign, kind: str) -> JsonResponse | None:
    """The answer to a record already stored under this client_id, before anything is
    parsed or any photo read; None for a new record (or an unreadable id)."""
    try:
        client_id = uuid.UUID(str(request.POST.get("client_id", "")))
    except ValueError:
        return None
    try:
        record = stored_record(kind, client_id=client_id, sign=sign)
    except SignError as exc:
        return json_error(exc.errors)
    return _answer(record, False, sign) if record is not None else None


def _parse_common(data, files, *, time_field: str) -> tuple[dict, list[str]]:
    errors: list[str] = []
    fields: dict = {}
    try:
        fields["client_id"] = uuid.UUID(str(data.get("client_id", "")))
    except ValueError:
        errors.append("缺少或无效的客户端编号 client_id（应为 UUID）")
    for name, label, low, high in (("lon", "经度", -180, 180), ("lat", "纬度", -90, 90), ("accuracy_m", "定位精度", 0, 1e7)):
        raw = data.get(name, "")
        try:
            value = float(raw)
        except ValueError:
            errors.append(f"缺少或无效的{label}（{name}）：请开启手机定位后重试")
            continue
        if not (low <= value <= high) or value != value:  # NaN
            errors.append(f"{label}（{name}）超出范围：{raw}")
            continue
        fields[name] = value
    raw_time = data.get(time_field, "")
    if raw_time:
        try:
            when = parse_datetime(raw_time)  # None when malformed, ValueError when impossible (02-30, +25:00)
        except ValueError:
            when = None
        if when is None:
            errors.append(f"时间格式无效（{time_field}）：{raw_time}")
        else:
            fields[time_field] = when if timezone.is_aware(when) else timezone.make_aware(when)
    else:
        fields[time_field] = timezone.now()
    fields["text_cn"] = data.get("text_cn", "")
    fields["text_pinyin"] = data.get("text_pinyin", "")
    fields["team"] = data.get("team", "")[:100]
    fields["notes"] = data.get("notes", "")
    photos = []
    uploads = files.getlist("photo")
    if len(uploads) > settings.CIVATLAS_SIGN_MAX_PHOTOS:
        # Counted before any photo is read: one record is a few photos of one sign.
        errors.append(f"每条记录最多 {settings.CIVATLAS_SIGN_MAX_PHOTOS} 张照片，收到 {len(uploads)} 张")
        uploads = []
    for upload in uploads:
        try:
            check_size(upload.size, name=upload.name)
            photos.append(read_photo(upload.read(), name=upload.name))
        except PhotoError as exc:
            errors.append(str(exc))
    fields["photos"] = photos
    return fields, errors


def _answer(record, created: bool, sign: Sign) -> JsonResponse:
    sign.refresh_from_db(fields=["status"])
    return JsonResponse(
        {"id": record.pk, "sign": sign.pk, "status": sign.status, "warnings": record.warnings, "created": created},
        status=201 if created else 200, json_dumps_params=_JSON,
    )


def _run(action, request, sign: Sign, fields: dict, errors: list[str]) -> JsonResponse:
    if errors:
        return json_error(errors)
    try:
        record, created = action(sign=sign, recorded_by=request.user, **fields)
    except SignError as exc:
        return json_error(exc.errors)
    return _answer(record, created, sign)


@require_POST
@require("placenames.add_signinstallation", json=True, load=SIGN, message=NOT_A_FIELD_TEAM)
def installations(request, sign: Sign):
    if (answer := _retry(request, sign, "installation")) is not None:
        return answer
    fields, errors = _parse_common(request.POST, request.FILES, time_field="installed_at")
    return _run(record_installation, request, sign, fields, errors)


@require_POST
@require("placenames.add_signinspection", json=True, load=SIGN, message=NOT_A_FIELD_TEAM)
def inspections(request, sign: Sign):
    if (answer := _retry(request, sign, "inspection")) is not None:
        return answer
    fields, errors = _parse_common(request.POST, request.FILES, time_field="inspected_at")
    condition = request.POST.get("condition", "")
    if condition not in Condition.values:
        errors.append(f"请选择标志状况（condition）：{'、'.join(str(c.label) for c in Condition)}")
    fields["condition"] = condition
    return _run(record_inspection, request, sign, fields, errors)

