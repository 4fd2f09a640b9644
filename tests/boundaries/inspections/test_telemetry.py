"""Smart markers: readings by HTTP and through a real MQTT broker (mosquitto on
127.0.0.1:1883, ``manage.py marker_telemetry``); readings beyond the thresholds raise one
alert and one hazard record however often they repeat; stale devices are listed."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import uuid
from io import StringIO

import paho.mqtt.client as mqtt
import pytest
from django.core.management import call_command
from django.utils import timezone

from boundaries.inspections.models import BoundaryIssue, TelemetryAlert, TelemetryReading
from boundaries.inspections.telemetry import TelemetryError, record_reading, register_device, stale_devices


@pytest.fixture
def device(markers):
    return register_device(marker=markers[3], device_id=f"T-{uuid.uuid4().hex[:8]}", token="secret-token",
                           tilt_threshold_deg=5, movement_threshold_mm=50)[0]


def _post(client, device_id, token, **reading):
    return client.post("/api/inspections/telemetry", json.dumps(reading), content_type="application/json",
                       HTTP_AUTHORIZATION=f"Device {device_id}:{token}")


def test_repeated_alarms_open_one_hazard_record(client, device):
    now = timezone.now()
    assert _post(client, device.device_id, "secret-token", tilt_deg=0.5,
                 measured_at=(now - dt.timedelta(hours=3)).isoformat()).json()["alarm"] is False
    answers = [_post(client, device.device_id, "secret-token", tilt_deg=9 + i,
                     measured_at=(now - dt.timedelta(minutes=60 - i)).isoformat()).json() for i in range(4)]
    assert [a["alert_created"] for a in answers] == [True, False, False, False]
    assert BoundaryIssue.objects.filter(marker=device.marker, kind="hazard", category="marker_damage").count() == 1
    alert = TelemetryAlert.objects.get()
    assert alert.readings_count == 4 and alert.issue.risk == "high"
    device.marker.refresh_from_db()
    assert device.marker.alert_open
    # The same reading again (same time) is a duplicate: nothing new.
    again = _post(client, device.device_id, "secret-token", tilt_deg=12,
                  measured_at=(now - dt.timedelta(minutes=57)).isoformat())
    assert again.status_code == 200 and again.json()["duplicate"]
    assert TelemetryReading.objects.count() == 5


def test_a_wrong_token_or_no_credentials_is_refused(client, device):
    assert _post(client, device.device_id, "guess", tilt_deg=20).status_code == 403
    assert client.post("/api/inspections/telemetry", "{}", content_type="application/json").status_code == 401
    assert not TelemetryReading.objects.exists()
    with pytest.raises(TelemetryError):
        record_reading(device_id=device.device_id, token="secret-token", payload={"battery_pct": 50}, channel="http")


def test_devices_without_readings_for_n_days_are_stale(device, markers):
    quiet = register_device(marker=markers[4], device_id=f"Q-{uuid.uuid4().hex[:8]}", token="t2")[0]
    now = timezone.now()
    record_reading(device_id=device.device_id, token="secret-token", channel="http",
                   payload={"tilt_deg": 0.2, "measured_at": (now - dt.timedelta(hours=5)).isoformat()})
    record_reading(device_id=quiet.device_id, token="t2", channel="http",
                   payload={"tilt_deg": 0.2, "measured_at": (now - dt.timedelta(days=4)).isoformat()})
    never = register_device(marker=markers[5], device_id=f"N-{uuid.uuid4().hex[:8]}", token="t3")[0]
    assert set(stale_devices(days=3)) == {quiet, never}


@pytest.mark.django_db(transaction=True)
def test_the_mqtt_subscriber_stores_readings_from_a_real_broker(demo_data):
    from boundaries.inspections.demo import _markers
    from boundaries.models import BoundaryLine

    # The county lines come with the demo data (built, or rebuilt after a flush, by demo_data).
    line = BoundaryLine.objects.current().get(level="county", left__code="620521000000", right__code="620522000000")
    marker = _markers(line)[0]
    device_id = f"M-{uuid.uuid4().hex[:8]}"
    register_device(marker=marker, device_id=device_id, token="mqtt-token")
    prefix = f"civatlas-test-{uuid.uuid4().hex[:8]}"
    out = StringIO()
    runner = threading.Thread(target=call_command, args=("marker_telemetry",), daemon=True, kwargs={
        "topic": f"{prefix}/+/telemetry", "max_messages": 3, "timeout": 30, "stdout": out})
    runner.start()
    for _ in range(100):
        if "已订阅" in out.getvalue():
            break
        time.sleep(0.1)
    assert "已订阅" in out.getvalue(), out.getvalue()
    publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    publisher.connect("127.0.0.1", 1883)
    publisher.loop_start()
    now = timezone.now()
    for i, tilt in enumerate((0.3, 11.0, 12.0)):
        payload = {"token": "mqtt-token", "tilt_deg": tilt, "measured_at": (now - dt.timedelta(minutes=10 - i)).isoformat()}
        publisher.publish(f"{prefix}/{device_id}/telemetry", json.dumps(payload), qos=1).wait_for_publish(5)
    runner.join(30)
    publisher.loop_stop()
    publisher.disconnect()
    assert not runner.is_alive()
    assert TelemetryReading.objects.filter(device__device_id=device_id, channel="mqtt").count() == 3
    assert BoundaryIssue.objects.filter(marker=marker).count() == 1
    assert "告警，已登记隐患" in out.getvalue()
