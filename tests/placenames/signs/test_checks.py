"""Submit checks: each problem gives one clear Chinese message; the EXIF position only
flags; every threshold is a setting."""

from __future__ import annotations

import datetime as dt

import pytest

from placenames.signs.models import SignInstallation, SignStatus
from tests.placenames.signs.helpers import (
    install_url,
    installation_data,
    moved,
    photo_upload,
    township,
)

# Load the gazetteer outside the test transaction before any fixture opens it (see conftest).
pytestmark = pytest.mark.usefixtures("_demo_placenames_loaded")


@pytest.fixture
def worker(client, field_worker):
    client.force_login(field_worker)
    return client


def errors_of(response) -> list[str]:
    assert response.status_code == 400, response.content
    return response.json()["errors"]


def test_a_good_installation_passes_every_check(worker, village_sign):
    response = worker.post(install_url(village_sign), installation_data(village_sign))
    assert response.status_code == 201, response.content
    assert response.json()["warnings"] == []
    village_sign.refresh_from_db()
    assert village_sign.status == SignStatus.INSTALLED


def test_a_gps_fix_worse_than_30_m_is_refused(worker, village_sign):
    (message,) = errors_of(worker.post(install_url(village_sign), installation_data(village_sign, accuracy_m="45")))
    assert "定位精度为 45 米，超过允许的 30 米" in message


def test_the_accuracy_threshold_is_a_setting(worker, village_sign, settings):
    settings.CIVATLAS_SIGN_MAX_ACCURACY_M = 50
    assert worker.post(install_url(village_sign), installation_data(village_sign, accuracy_m="45")).status_code == 201


def test_a_position_far_from_the_planned_point_is_refused(worker, village_sign):
    (message,) = errors_of(worker.post(install_url(village_sign), installation_data(village_sign, metres=350)))
    assert "定位点距规划位置 350 米，超过允许的 200 米" in message


def test_the_distance_threshold_is_a_setting(worker, village_sign, settings):
    settings.CIVATLAS_SIGN_MAX_OFFSET_M = 400
    assert worker.post(install_url(village_sign), installation_data(village_sign, metres=350)).status_code == 201


def test_a_position_outside_the_villages_township_is_refused(worker, village_sign, settings):
    settings.CIVATLAS_SIGN_MAX_OFFSET_M = 100_000
    outside = township("620521101000").seat  # 红堡镇's seat
    data = installation_data(village_sign, lon=f"{outside.x}", lat=f"{outside.y}", photo=photo_upload(outside.x, outside.y))
    (message,) = errors_of(worker.post(install_url(village_sign), data))
    assert message == "定位点不在“东关村民委员会”所属的永清镇范围内"


def test_a_missing_photo_is_refused(worker, village_sign):
    data = installation_data(village_sign)
    del data["photo"]
    (message,) = errors_of(worker.post(install_url(village_sign), data))
    assert message.startswith("缺少照片")


def test_a_file_that_is_not_a_photo_is_refused(worker, village_sign):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = installation_data(village_sign, photo=SimpleUploadedFile("notes.jpg", b"not an image", "image/jpeg"))
    (message,) = errors_of(worker.post(install_url(village_sign), data))
    assert message == "照片“notes.jpg”无法识别或已损坏，请重新拍摄"


def test_a_photo_over_the_size_limit_is_refused(worker, village_sign, settings):
    settings.CIVATLAS_SIGN_PHOTO_MAX_BYTES = 1000
    (message,) = errors_of(worker.post(install_url(village_sign), installation_data(village_sign)))
    assert "超过上限" in message


def test_a_photo_taken_far_from_the_fix_is_flagged_not_refused(worker, village_sign):
    far = moved(village_sign.planned_geom, 800, azimuth=180)
    response = worker.post(install_url(village_sign), installation_data(village_sign, photo=photo_upload(*far)))
    assert response.status_code == 201
    (warning,) = response.json()["warnings"]
    assert "拍摄位置（EXIF）距设备定位" in warning and "超过 500 米" in warning
    assert SignInstallation.objects.get().warnings == [warning]


def test_a_photo_without_exif_position_passes(worker, village_sign):
    response = worker.post(install_url(village_sign), installation_data(village_sign, photo=photo_upload(None, None)))
    assert response.status_code == 201 and response.json()["warnings"] == []


def test_printed_text_must_match_the_standard_name_and_romanization(worker, village_sign):
    # A village sign shows the village (东关村 Dongguan Cun), not its committee (docs/adr/0021).
    data = installation_data(village_sign, text_cn="东关村民委员会", text_pinyin="Dongguan Cunmin Weiyuanhui")
    messages = errors_of(worker.post(install_url(village_sign), data))
    assert messages == [
        "牌面汉字“东关村民委员会”与标准名称“东关村”不一致",
        "牌面拼音“Dongguan Cunmin Weiyuanhui”与标准罗马字母拼写“Dongguan Cun”不一致",
    ]


def test_a_village_sign_printed_as_real_village_signs_are_is_accepted(worker, village_sign):
    assert (village_sign.text_cn, village_sign.text_pinyin) == ("东关村", "Dongguan Cun")
    data = installation_data(village_sign, text_cn="东关村", text_pinyin="Dongguan Cun")
    assert worker.post(install_url(village_sign), data).status_code == 201


def test_text_is_compared_without_case_or_spaces(worker, village_sign):
    data = installation_data(village_sign, text_cn=" 东关 村", text_pinyin="DONGGUAN cun")
    assert worker.post(install_url(village_sign), data).status_code == 201


def test_a_second_sign_of_the_same_type_for_the_same_place_nearby_is_refused(worker, village_sign, settings):
    worker.post(install_url(village_sign), installation_data(village_sign))
    # A second village sign for the same village, added by hand at the same point.
    second = village_sign
    second.pk = None
    second.status = SignStatus.PLANNED
    second.installed_geom = None
    second.save()
    (message,) = errors_of(worker.post(install_url(second), installation_data(second, metres=40)))
    assert "“东关村民委员会”已有一块村牌" in message and "米内" in message
    settings.CIVATLAS_SIGN_DUPLICATE_M = 10
    assert worker.post(install_url(second), installation_data(second, metres=40)).status_code == 201


def test_an_installed_sign_cannot_be_installed_again(worker, village_sign):
    worker.post(install_url(village_sign), installation_data(village_sign))
    (message,) = errors_of(worker.post(install_url(village_sign), installation_data(village_sign)))
    assert message.startswith("该标志已设置")


def test_a_time_in_the_future_is_refused(worker, village_sign):
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).isoformat()
    (message,) = errors_of(worker.post(install_url(village_sign), installation_data(village_sign, installed_at=later)))
    assert "晚于当前时间" in message


def test_every_problem_is_reported_at_once(worker, village_sign):
    data = installation_data(village_sign, accuracy_m="60", metres=500, text_cn="东关村民委员会")
    del data["photo"]
    messages = errors_of(worker.post(install_url(village_sign), data))
    for expected in ("定位精度", "距规划位置", "缺少照片", "牌面汉字"):
        assert any(expected in m for m in messages), (expected, messages)
    assert SignInstallation.objects.count() == 0


def test_bad_fields_are_named(worker, village_sign):
    messages = errors_of(worker.post(install_url(village_sign), {"lon": "x", "lat": "95"}))
    assert any("client_id" in m for m in messages)
    assert any("经度" in m for m in messages) and any("纬度" in m for m in messages)

