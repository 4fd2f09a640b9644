"""The sign API: duplicate-safe retries on client_id, inspections and what they do to a
sign, and the GeoJSON list (built in SQL: lon/lat, no crs, id/type/place_name/status)."""

from __future__ import annotations

import json
import uuid

import pytest

from placenames.signs.models import SignInspection, SignInstallation, SignPhoto, SignStatus
from tests.placenames.signs.helpers import (
    DONGGUAN,
    YONGQING,
    inspect_url,
    inspection_data,
    install_url,
    installation_data,
    photo_upload,
)

# Load the gazetteer outside the test transaction before any fixture opens it (see conftest).
pytestmark = pytest.mark.usefixtures("_demo_placenames_loaded")


@pytest.fixture
def worker(client, field_worker):
    client.force_login(field_worker)
    return client


def _same_record_again(data: dict, lon: str, lat: str) -> dict:
    """The phone resends the very same record (a new upload object with the same photo)."""
    return {**data, "photo": photo_upload(float(lon), float(lat))}


def test_the_same_record_submitted_three_times_is_stored_once(worker, village_sign, media):
    data = installation_data(village_sign)
    answers = [worker.post(install_url(village_sign), _same_record_again(data, data["lon"], data["lat"])) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 200, 200]
    ids = {a.json()["id"] for a in answers}
    assert len(ids) == 1
    assert SignInstallation.objects.count() == 1
    assert SignPhoto.objects.count() == 1
    assert len(list((media / "signs").rglob("*.jpg"))) == 2  # the photo and its thumbnail, once
    assert [a.json()["status"] for a in answers] == ["installed"] * 3
    village_sign.refresh_from_db()
    assert village_sign.history.filter(status=SignStatus.INSTALLED).count() == 1


def test_a_retry_after_the_sign_changed_still_answers_with_the_stored_record(worker, village_sign):
    data = installation_data(village_sign)
    first = worker.post(install_url(village_sign), _same_record_again(data, data["lon"], data["lat"]))
    worker.post(inspect_url(village_sign), inspection_data(village_sign, condition="damaged"))
    again = worker.post(install_url(village_sign), _same_record_again(data, data["lon"], data["lat"]))
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]


def test_a_client_id_used_for_another_sign_is_refused(worker, yongqing_plan, village_sign):
    data = installation_data(village_sign)
    worker.post(install_url(village_sign), data)
    other = yongqing_plan.saved[0]
    answer = worker.post(install_url(other), installation_data(other, client_id=data["client_id"]))
    assert answer.status_code == 400 and "另一块标志" in answer.json()["errors"][0]


def test_the_installation_is_stored_with_its_fix_photo_and_thumbnail(worker, village_sign, field_worker):
    data = installation_data(village_sign)
    record_id = worker.post(install_url(village_sign), data).json()["id"]
    record = SignInstallation.objects.get(pk=record_id)
    assert record.client_id == uuid.UUID(data["client_id"])
    assert record.recorded_by == field_worker and record.team == "永清镇外业一组"
    assert record.accuracy_m == 8 and abs(record.device_geom.x - float(data["lon"])) < 1e-7
    photo = record.photos.get()
    assert photo.content_type == "image/jpeg" and abs(photo.exif_lat - float(data["lat"])) < 1e-5
    assert photo.thumbnail.name.endswith("-thumb.jpg")
    village_sign.refresh_from_db()
    assert village_sign.installed_geom.equals_exact(record.device_geom, 1e-9)
    assert worker.get(f"/signs/photos/{photo.pk}/thumb/").status_code == 200


@pytest.mark.parametrize(
    ("condition", "status"),
    [("intact", "inspected"), ("damaged", "damaged"), ("missing", "missing"), ("wrong_text", "needs_replacement")],
)
def test_an_inspection_moves_the_sign_by_what_it_found(worker, village_sign, condition, status):
    worker.post(install_url(village_sign), installation_data(village_sign))
    village_sign.refresh_from_db()
    answer = worker.post(inspect_url(village_sign), inspection_data(village_sign, condition=condition))
    assert answer.status_code == 201, answer.content
    assert answer.json()["status"] == status
    village_sign.refresh_from_db()
    assert village_sign.status == status and village_sign.last_inspected_at is not None
    assert SignInspection.objects.get().condition == condition


def test_inspections_are_idempotent_too(worker, village_sign):
    worker.post(install_url(village_sign), installation_data(village_sign))
    village_sign.refresh_from_db()
    data = inspection_data(village_sign)
    codes = [worker.post(inspect_url(village_sign), {**data, "photo": photo_upload(float(data["lon"]), float(data["lat"]))}).status_code
             for _ in range(3)]
    assert codes == [201, 200, 200] and SignInspection.objects.count() == 1


def test_a_planned_sign_cannot_be_inspected(worker, village_sign):
    answer = worker.post(inspect_url(village_sign), inspection_data(village_sign))
    assert answer.status_code == 400 and "尚未设置" in answer.json()["errors"][0]


def test_an_inspection_needs_a_condition(worker, village_sign):
    data = inspection_data(village_sign)
    del data["condition"]
    answer = worker.post(inspect_url(village_sign), data)
    assert answer.status_code == 400 and "标志状况" in answer.json()["errors"][0]


def test_an_intact_sign_reported_with_other_text_asks_for_wrong_text(worker, village_sign):
    worker.post(install_url(village_sign), installation_data(village_sign))
    village_sign.refresh_from_db()
    answer = worker.post(inspect_url(village_sign), inspection_data(village_sign, text_cn="东关村民委员会"))
    assert answer.status_code == 400 and any("文字错误" in e for e in answer.json()["errors"])


def test_the_list_is_a_geojson_feature_collection_built_in_sql(worker, yongqing_plan, village_sign):
    worker.post(install_url(village_sign), installation_data(village_sign))
    answer = worker.get("/api/signs/", {"division": YONGQING})
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/geo+json")
    collection = json.loads(answer.content)
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    assert len(collection["features"]) == 26
    feature = next(f for f in collection["features"] if f["properties"]["division"] == DONGGUAN)
    assert feature["id"] == village_sign.pk
    assert {"id", "type", "place_name", "status"} <= set(feature["properties"])
    assert feature["properties"]["type"] == "village" and feature["properties"]["place_name"] == "东关村民委员会"
    assert feature["properties"]["status"] == "installed"
    lon, lat = feature["geometry"]["coordinates"]
    village_sign.refresh_from_db()
    assert (round(lon, 6), round(lat, 6)) == (round(village_sign.installed_geom.x, 6), round(village_sign.installed_geom.y, 6))


def test_the_list_filters_by_status_and_orders_by_distance(worker, yongqing_plan, village_sign):
    worker.post(install_url(village_sign), installation_data(village_sign))
    installed = json.loads(worker.get("/api/signs/", {"status": "installed"}).content)
    assert [f["id"] for f in installed["features"]] == [village_sign.pk]
    planned = json.loads(worker.get("/api/signs/", {"status": "planned,installed"}).content)
    assert len(planned["features"]) == 26
    seat = yongqing_plan.saved[0]
    near = json.loads(worker.get("/api/signs/", {"near": f"{seat.planned_geom.x},{seat.planned_geom.y}", "limit": 3}).content)
    distances = [f["properties"]["distance_m"] for f in near["features"]]
    assert len(distances) == 3 and distances[0] == 0 and distances == sorted(distances)


def test_bad_list_parameters_are_named(worker, yongqing_plan):
    answer = worker.get("/api/signs/", {"status": "lost", "division": "123"})
    assert answer.status_code == 400
    assert len(answer.json()["errors"]) == 2


def test_anonymous_clients_get_401(client, village_sign):
    assert client.get("/api/signs/").status_code == 401
    assert client.post(install_url(village_sign), {}).status_code == 401


def test_an_unknown_sign_is_404(worker, yongqing_plan):
    assert worker.post("/api/signs/999999/installations/", {}).status_code == 404

