"""The synthetic inspection demo (idempotent, every record marked synthetic, a filed round,
one in fieldwork, a telemetry alert and an overdue line) and the offline machinery shared by both field pages."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from boundaries.inspections.models import (
    BoundaryIssue,
    BoundaryMarker,
    InspectionStatus,
    JointInspection,
    TelemetryAlert,
)
from boundaries.inspections.schedule import NEVER, OVERDUE, build_schedule, lines_touching


@pytest.fixture
def demo(county_lines, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("load_demo_inspections", verbosity=0)


def test_the_demo_shows_each_inspection_state_and_loading_again_changes_nothing(demo):
    counts = (BoundaryMarker.objects.count(), JointInspection.objects.count(), BoundaryIssue.objects.count())
    assert counts[0] >= 40
    assert JointInspection.objects.filter(round_year=2021, status=InspectionStatus.FILED).exists()
    assert JointInspection.objects.filter(status=InspectionStatus.FIELDWORK).count() == 1
    assert TelemetryAlert.objects.count() == 1 and TelemetryAlert.objects.get().readings_count == 2
    schedule = build_schedule(lines_touching("620521").filter(level="county", right__isnull=False))
    assert [r.status for r in schedule.rows].count(OVERDUE) + [r.status for r in schedule.rows].count(NEVER) == 1
    for model in (BoundaryMarker, JointInspection, BoundaryIssue):
        assert set(model.objects.values_list("source", flat=True)) == {"synthetic"}
    call_command("load_demo_inspections", verbosity=0)
    assert (BoundaryMarker.objects.count(), JointInspection.objects.count(), BoundaryIssue.objects.count()) == counts


def test_both_field_pages_share_one_worker_and_manifest(client, county_field_worker):
    client.force_login(county_field_worker)
    manifest = client.get("/field/offline.json").json()
    assert manifest["shells"] == ["/field/", "/field/inspections/"]
    assert "/static/geoapp/offline-queue.js" in manifest["assets"]
    assert set(manifest["data"]) == {"/api/signs/", "/api/inspections/field/"}
    worker = client.get("/field/sw.js")
    assert worker["Service-Worker-Allowed"] == "/field/"
    for page in ("/field/", "/field/inspections/"):
        html = client.get(page).content.decode()
        assert "/static/geoapp/offline-queue.js" in html and f"/field/sw.js?v={manifest['version']}" in html
