"""Permissions: a field team sees and writes only its jurisdiction; only field teams
write records; zoning staff plan; everyone else views."""

from __future__ import annotations

import json

import pytest

from geoapp.actions import set_up_user
from geoapp.roles import Role
from placenames.signs.models import SignInstallation
from tests.conftest import PASSWORD
from tests.placenames.signs.helpers import (
    HONGBAO,
    YONGQING,
    inspect_url,
    inspection_data,
    install_url,
    installation_data,
)

# Load the gazetteer outside the test transaction before any fixture opens it (see conftest).
pytestmark = pytest.mark.usefixtures("_demo_placenames_loaded")


@pytest.fixture
def viewer(db):
    """A viewer (查看者) of 清水县."""
    return set_up_user(username="viewer_qs", role=Role.VIEWER, jurisdiction="620521000000", password=PASSWORD)


def test_a_field_worker_sees_only_signs_of_their_township(client, field_worker, yongqing_plan, other_sign):
    client.force_login(field_worker)
    everything = json.loads(client.get("/api/signs/").content)["features"]
    assert len(everything) == 26
    assert all(f["properties"]["division"].startswith("620521100") for f in everything)
    assert json.loads(client.get("/api/signs/", {"division": HONGBAO}).content)["features"] == []


def test_a_field_worker_cannot_record_outside_their_township(client, field_worker, other_sign):
    client.force_login(field_worker)
    answer = client.post(install_url(other_sign), installation_data(other_sign))
    assert answer.status_code == 403
    assert "不在您的辖区内" in answer.json()["errors"][0]
    assert client.post(inspect_url(other_sign), inspection_data(other_sign)).status_code == 403
    assert SignInstallation.objects.count() == 0


def test_zoning_staff_of_the_county_see_every_township(client, zoning_officer, yongqing_plan, other_sign):
    client.force_login(zoning_officer)
    divisions = {f["properties"]["division"][:9] for f in json.loads(client.get("/api/signs/").content)["features"]}
    assert divisions == {YONGQING[:9], HONGBAO[:9]}


def test_only_field_teams_record_installations(client, zoning_officer, viewer, village_sign):
    for user in (zoning_officer, viewer):
        client.force_login(user)
        assert client.post(install_url(village_sign), installation_data(village_sign)).status_code == 403


def test_an_outsider_sees_no_signs_and_no_pages(client, outsider, yongqing_plan, village_sign):
    client.force_login(outsider)
    assert json.loads(client.get("/api/signs/").content)["features"] == []
    assert client.get(f"/signs/{village_sign.pk}/").status_code == 404
    assert client.get("/signs/", {"division": YONGQING}).status_code == 403
    assert client.get("/signs/export.csv", {"division": YONGQING}).status_code == 403


def test_photos_are_served_only_inside_the_jurisdiction(client, field_worker, outsider, village_sign):
    client.force_login(field_worker)
    record_id = client.post(install_url(village_sign), installation_data(village_sign)).json()["id"]
    photo = SignInstallation.objects.get(pk=record_id).photos.get()
    served = client.get(f"/signs/photos/{photo.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == photo.content_type
    with photo.image.open("rb") as stored:
        assert b"".join(served.streaming_content) == stored.read()
    client.force_login(outsider)
    assert client.get(f"/signs/photos/{photo.pk}/").status_code == 403


def test_the_field_worker_dashboard_covers_their_township_only(client, field_worker, yongqing_plan):
    client.force_login(field_worker)
    assert client.get("/signs/").status_code == 200
    assert client.get("/signs/", {"division": "620521000000"}).status_code == 403
    assert client.get("/field/").status_code == 200


def test_the_field_page_needs_a_login(client):
    answer = client.get("/field/")
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


def test_zoning_staff_see_signs_and_records_read_only_in_the_admin(client, zoning_officer, village_sign):
    client.force_login(zoning_officer)
    assert client.get("/admin/placenames/sign/").status_code == 200
    assert client.get(f"/admin/placenames/sign/{village_sign.pk}/change/").status_code == 200
    assert client.get("/admin/placenames/signinstallation/").status_code == 200
    assert client.get("/admin/placenames/sign/add/").status_code == 403
