"""Smart markers (智慧界桩): readings from tilt/movement sensors on markers.

Devices report over HTTP (``POST /api/markers/telemetry``) or MQTT (``manage.py
marker_telemetry`` subscribes to ``CIVATLAS_MQTT_TOPIC`` on a real broker, Debian's
mosquitto). Both paths call ``record_reading``: the device is found by its id and
authenticated by its own token (only the SHA-256 is stored, compared in constant time).
A reading beyond the device's thresholds raises an alert on the marker and opens one
hazard record (category marker damage, 第六条 “不得擅自移动或者损坏界桩”); while that alert
is open, further alarming readings are counted on it and open nothing new. The device
row is locked for the check, so concurrent readings cannot open two hazards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from boundaries.inspections.law import CITATIONS
from boundaries.inspections.models import (
    BoundaryIssue,
    BoundaryMarker,
    IssueCategory,
    IssueKind,
    IssueStatus,
    MarkerDevice,
    RiskLevel,
    TelemetryAlert,
    TelemetryReading,
)
from boundaries.models import Source


class TelemetryError(Exception):
    """A reading refused: ``status`` is the HTTP status the endpoint answers with."""

    def __init__(self, message: str, status: int = 400):
        self.status = status
        super().__init__(message)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def register_device(*, marker: BoundaryMarker, device_id: str, tilt_threshold_deg: float = 5.0,
                    movement_threshold_mm: float = 50.0, token: str | None = None,
                    source: str = Source.OFFICIAL) -> tuple[MarkerDevice, str]:
    """Fit a device to a marker; returns (device, token). The token is shown once."""
    token = token or secrets.token_urlsafe(24)
    device = MarkerDevice.objects.create(
        marker=marker, device_id=device_id, token_sha256=_digest(token), tilt_threshold_deg=tilt_threshold_deg,
        movement_threshold_mm=movement_threshold_mm, source=source,
    )
    return device, token


@dataclass(frozen=True)
class ReadingResult:
    reading: TelemetryReading
    alert: TelemetryAlert | None
    alert_created: bool
    duplicate: bool = False


def _number(payload: dict, key: str) -> float | None:
    value = payload.get(key)
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise TelemetryError(f"{key} 应为数字") from exc
    if number != number or abs(number) > 1e9:
        raise TelemetryError(f"{key} 超出范围")
    return number


def parse_payload(raw: bytes | str) -> dict:
    try:
        payload = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise TelemetryError("读数应为 JSON") from exc
    if not isinstance(payload, dict):
        raise TelemetryError("读数应为 JSON 对象")
    return payload


def record_reading(*, device_id: str, token: str, payload: dict, channel: str) -> ReadingResult:
    """Store one reading of ``device_id`` (authenticated by ``token``) and alarm if needed.
    ``payload``: ``measured_at`` (ISO 8601, default now), ``tilt_deg``, ``movement_mm``,
    ``battery_pct``. The same device and time again is a duplicate and changes nothing."""
    tilt = _number(payload, "tilt_deg")
    movement = _number(payload, "movement_mm")
    battery = _number(payload, "battery_pct")
    if tilt is None and movement is None:
        raise TelemetryError("读数须含 tilt_deg 或 movement_mm")
    raw_time = payload.get("measured_at")
    measured_at = parse_datetime(str(raw_time)) if raw_time else timezone.now()
    if measured_at is None:
        raise TelemetryError(f"measured_at 时间格式无效：{raw_time}")
    if timezone.is_naive(measured_at):
        measured_at = timezone.make_aware(measured_at)
    with transaction.atomic():
        device = MarkerDevice.objects.select_for_update(of=("self",)).select_related("marker__line").filter(
            device_id=str(device_id)).first()
        if device is None or not hmac.compare_digest(device.token_sha256, _digest(str(token or ""))):
            raise TelemetryError("设备编号或令牌无效", status=403)
        if not device.active:
            raise TelemetryError("设备已停用", status=403)
        existing = TelemetryReading.objects.filter(device=device, measured_at=measured_at).first()
        if existing is not None:
            return ReadingResult(existing, device.alerts.filter(closed_at__isnull=True).first(), False, True)
        reasons = []
        if tilt is not None and tilt > device.tilt_threshold_deg:
            reasons.append(f"倾斜 {tilt:g}° > {device.tilt_threshold_deg:g}°")
        if movement is not None and movement > device.movement_threshold_mm:
            reasons.append(f"位移 {movement:g} mm > {device.movement_threshold_mm:g} mm")
        reading = TelemetryReading.objects.create(
            device=device, measured_at=measured_at, tilt_deg=tilt, movement_mm=movement, battery_pct=battery,
            alarm=bool(reasons), channel=channel,
        )
        if device.last_seen_at is None or measured_at > device.last_seen_at:
            device.last_seen_at = measured_at
            device.save(update_fields=["last_seen_at"])
        if not reasons:
            return ReadingResult(reading, None, False)
        alert = device.alerts.filter(closed_at__isnull=True).first()
        if alert is not None:
            alert.readings_count += 1
            alert.save(update_fields=["readings_count"])
            return ReadingResult(reading, alert, False)
        marker = device.marker
        line = marker.line
        issue = BoundaryIssue.objects.create(
            line=line, kind=IssueKind.HAZARD, category=IssueCategory.MARKER_DAMAGE, risk=RiskLevel.HIGH,
            title=f"界桩 {marker.number} 传感器告警", geom=marker.geom, party_left=line.left, party_right=line.right,
            description=f"{'；'.join(reasons)}（{measured_at:%Y-%m-%d %H:%M}）。{CITATIONS['marker_moving']}",
            marker=marker, reported_on=timezone.localdate(measured_at), source=device.source,
        )
        alert = TelemetryAlert.objects.create(
            device=device, marker=marker, opened_at=measured_at, first_reading=reading, reason="；".join(reasons),
            issue=issue,
        )
        BoundaryMarker.objects.filter(pk=marker.pk).update(alert_open=True)
        return ReadingResult(reading, alert, True)


@transaction.atomic
def close_alert(*, alert: TelemetryAlert, by=None) -> TelemetryAlert:
    """The alarm has been checked on site: close it (the hazard record keeps its own status)."""
    alert = TelemetryAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.closed_at is None:
        alert.closed_at = timezone.now()
        alert.save(update_fields=["closed_at"])
    if not TelemetryAlert.objects.filter(marker=alert.marker, closed_at__isnull=True).exists():
        BoundaryMarker.objects.filter(pk=alert.marker_id).update(alert_open=False)
    return alert


def stale_devices(queryset=None, *, days: int | None = None, now: dt.datetime | None = None):
    days = int(days if days is not None else settings.CIVATLAS_MARKER_STALE_DAYS)
    return (queryset if queryset is not None else MarkerDevice.objects.all()).stale(days=days, now=now)


def open_issue_count(marker: BoundaryMarker) -> int:
    return BoundaryIssue.objects.filter(marker=marker).exclude(status=IssueStatus.RESOLVED).count()


# --- MQTT ------------------------------------------------------------------------------------------------


def device_from_topic(topic: str) -> str | None:
    """``civatlas/markers/<device_id>/telemetry`` → device_id."""
    parts = topic.split("/")
    return parts[-2] if len(parts) >= 3 and parts[-1] == "telemetry" else None


def handle_mqtt_message(topic: str, raw: bytes) -> ReadingResult:
    """One MQTT message: the device id from the topic, the token inside the JSON payload."""
    device_id = device_from_topic(topic)
    if not device_id:
        raise TelemetryError(f"无法从主题识别设备：{topic}")
    payload = parse_payload(raw)
    return record_reading(device_id=device_id, token=str(payload.get("token", "")), payload=payload, channel="mqtt")
