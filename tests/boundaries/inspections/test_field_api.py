"""The field API behind the phone page: a marker check with photo and GPS fix is stored
once per client_id (a retry is answered 200 before the photo is read), bad fixes and
missing photos are refused with Chinese reasons, tracks come as JSON or GPX, and
nothing reaches an inspection outside the user's jurisdiction."""

from __future__ import annotations

import json
import uuid

import pytest
from pyproj import Geod

from boundaries.inspections.gpx import write_gpx
from boundaries.inspections.models import InspectionPhoto, LineFinding, MarkerCheck, TrackLog
from geoapp.photos import jpeg_with_gps

GRS80 = Geod(ellps="GRS80")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _post_check(client, inspection, marker, *, client_id, lon, lat, accuracy=5, condition="displaced", photo=True):
    data = {"client_id": str(client_id), "marker": str(marker.pk), "condition": condition, "lon": str(lon),
            "lat": str(lat), "accuracy_m": str(accuracy)}
    if photo:
        from django.core.files.uploadedfile import SimpleUploadedFile

        data["photo"] = SimpleUploadedFile("IMG_1.jpg", jpeg_with_gps(lon, lat), content_type="image/jpeg")
    return client.post(f"/api/inspections/{inspection.pk}/checks/", data)


def test_a_check_is_stored_once_however_often_it_is_sent(client, fieldwork, markers, county_field_worker):
    client.force_login(county_field_worker)
    marker = markers[2]
    lon, lat, _ = GRS80.fwd(marker.geom.x, marker.geom.y, 30, 27.5)
    client_id = uuid.uuid4()
    first = _post_check(client, fieldwork, marker, client_id=client_id, lon=lon, lat=lat)
    assert first.status_code == 201, first.content
    assert first.json()["displacement_m"] == pytest.approx(27.5, abs=0.01)
    again = _post_check(client, fieldwork, marker, client_id=client_id, lon=lon, lat=lat)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert MarkerCheck.objects.count() == 1 and InspectionPhoto.objects.count() == 1
    marker.refresh_from_db()
    assert marker.condition == "displaced"


def test_bad_fixes_and_missing_photos_are_refused_with_reasons(client, fieldwork, markers, county_field_worker):
    client.force_login(county_field_worker)
    m = markers[0]
    vague = _post_check(client, fieldwork, m, client_id=uuid.uuid4(), lon=m.geom.x, lat=m.geom.y, accuracy=80)
    assert vague.status_code == 400 and "定位精度" in vague.json()["errors"][0]
    no_photo = _post_check(client, fieldwork, m, client_id=uuid.uuid4(), lon=m.geom.x, lat=m.geom.y, photo=False)
    assert no_photo.status_code == 400 and any("照片" in e for e in no_photo.json()["errors"])
    wrong = _post_check(client, fieldwork, m, client_id=uuid.uuid4(), lon=m.geom.x, lat=m.geom.y, condition="gone")
    assert wrong.status_code == 400 and "状况" in wrong.json()["errors"][0]
    assert MarkerCheck.objects.count() == 0 and InspectionPhoto.objects.count() == 0


def test_a_photo_taken_far_from_the_fix_is_flagged_not_refused(client, fieldwork, markers, county_field_worker):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(county_field_worker)
    m = markers[1]
    far = GRS80.fwd(m.geom.x, m.geom.y, 0, 2000)
    response = client.post(f"/api/inspections/{fieldwork.pk}/checks/", {
        "client_id": str(uuid.uuid4()), "marker": str(m.pk), "condition": "intact", "lon": str(m.geom.x),
        "lat": str(m.geom.y), "accuracy_m": "4",
        "photo": SimpleUploadedFile("a.jpg", jpeg_with_gps(far[0], far[1]), content_type="image/jpeg")})
    assert response.status_code == 201
    assert any("EXIF" in w for w in response.json()["warnings"])


def test_a_recorded_track_and_a_gpx_file_are_stored_once(client, fieldwork, qinan_line, county_field_worker):
    client.force_login(county_field_worker)
    coords = [list(c) for c in qinan_line.geom[0].coords[:50]]
    body = {"client_id": str(uuid.uuid4()), "lines": [coords]}
    first = client.post(f"/api/inspections/{fieldwork.pk}/tracks/", json.dumps(body), content_type="application/json")
    again = client.post(f"/api/inspections/{fieldwork.pk}/tracks/", json.dumps(body), content_type="application/json")
    assert first.status_code == 201 and again.status_code == 200 and TrackLog.objects.count() == 1
    from django.core.files.uploadedfile import SimpleUploadedFile

    gpx = SimpleUploadedFile("walk.gpx", write_gpx([[tuple(c) for c in coords[10:40]]]))
    assert client.post(f"/api/inspections/{fieldwork.pk}/tracks/", {"gpx": gpx}).status_code == 201
    assert TrackLog.objects.filter(track_source="gpx").get().points == 30


def test_a_finding_opens_a_hazard_record_in_one_step(client, fieldwork, markers, zoning_officer):
    client.force_login(zoning_officer)
    m = markers[0]
    response = client.post(f"/api/inspections/{fieldwork.pk}/findings/", {
        "client_id": str(uuid.uuid4()), "kind": "construction", "lon": str(m.geom.x), "lat": str(m.geom.y),
        "accuracy_m": "5", "description": "跨界修建养殖场"})
    assert response.status_code == 201
    finding = LineFinding.objects.get()
    opened = client.post(f"/boundaries/inspections/findings/{finding.pk}/issue", {"kind": "dispute", "risk": "high"})
    assert opened.status_code == 302
    issue = finding.issue
    assert (issue.kind, issue.category, issue.risk, issue.inspection_id) == ("dispute", "construction", "high",
                                                                              fieldwork.pk)
    assert issue.geom.equals_exact(finding.geom, 1e-9)
    client.post(f"/boundaries/inspections/findings/{finding.pk}/issue")
    assert type(issue).objects.count() == 1  # once per finding


def test_nothing_reaches_an_inspection_outside_the_jurisdiction(client, fieldwork, markers, outsider, field_worker):
    for user in (outsider, field_worker):  # 中卫市; a 永清镇 worker does not touch the county line
        client.force_login(user)
        m = markers[0]
        response = _post_check(client, fieldwork, m, client_id=uuid.uuid4(), lon=m.geom.x, lat=m.geom.y)
        assert response.status_code in (403, 404)
    assert MarkerCheck.objects.count() == 0


def test_the_field_data_lists_the_users_inspections_with_markers(client, fieldwork, markers, county_field_worker):
    client.force_login(county_field_worker)
    payload = client.get("/api/inspections/field/").json()
    assert [i["id"] for i in payload["inspections"]] == [fieldwork.pk]
    assert len(payload["inspections"][0]["markers"]) == len(markers)
    assert client.get("/field/inspections/").status_code == 200
