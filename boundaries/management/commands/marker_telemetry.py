"""manage.py marker_telemetry: subscribe to the smart markers' MQTT topic and store readings.

Runs against a real broker (Debian's mosquitto; CIVATLAS_MQTT_HOST/PORT/TOPIC). Each
message on ``civatlas/markers/<device_id>/telemetry`` carries JSON with the device's
``token`` and its reading; ``telemetry.handle_mqtt_message`` stores it (and raises one
alert and one hazard record for readings beyond the thresholds). ``--max-messages`` and
``--timeout`` end the loop (for tests and one-off runs); otherwise it runs until stopped.
"""

import time

import paho.mqtt.client as mqtt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from boundaries.inspections.telemetry import TelemetryError, handle_mqtt_message


class Command(BaseCommand):
    help = "订阅智慧界桩的 MQTT 主题并保存读数（超过阈值时告警并登记隐患）。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.CIVATLAS_MQTT_HOST)
        parser.add_argument("--port", type=int, default=settings.CIVATLAS_MQTT_PORT)
        parser.add_argument("--topic", default=settings.CIVATLAS_MQTT_TOPIC)
        parser.add_argument("--max-messages", type=int, default=0, help="处理这么多条消息后退出")
        parser.add_argument("--timeout", type=float, default=0, help="运行这么多秒后退出")

    def handle(self, *args, **opts):
        state = {"count": 0, "subscribed": False}
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"civatlas-telemetry-{time.time_ns()}")

        def on_connect(client, userdata, flags, reason_code, properties):
            client.subscribe(opts["topic"], qos=1)

        def on_subscribe(client, userdata, mid, reason_codes, properties):
            state["subscribed"] = True
            self.stdout.write(f"已订阅 {opts['topic']}（{opts['host']}:{opts['port']}）")
            self.stdout.flush()

        def on_message(client, userdata, message):
            close_old_connections()
            try:
                result = handle_mqtt_message(message.topic, message.payload)
            except TelemetryError as exc:
                self.stderr.write(f"{message.topic}：拒绝（{exc}）")
            else:
                note = "重复读数" if result.duplicate else "告警，已登记隐患" if result.alert_created else (
                    "告警（已有未处理告警）" if result.alert else "正常")
                self.stdout.write(f"{message.topic}：{note}")
            self.stdout.flush()
            state["count"] += 1

        client.on_connect = on_connect
        client.on_subscribe = on_subscribe
        client.on_message = on_message
        try:
            client.connect(opts["host"], opts["port"], keepalive=30)
        except OSError as exc:
            raise CommandError(f"无法连接 MQTT 服务器 {opts['host']}:{opts['port']}：{exc}（请安装并启动 mosquitto）") from exc
        started = time.monotonic()
        try:
            while True:
                client.loop(timeout=0.5)
                if opts["max_messages"] and state["count"] >= opts["max_messages"]:
                    break
                if opts["timeout"] and time.monotonic() - started > opts["timeout"]:
                    break
        except KeyboardInterrupt:
            pass
        finally:
            client.disconnect()
        self.stdout.write(f"共处理 {state['count']} 条消息")
