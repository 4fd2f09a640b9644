"""Browser journey on a phone-sized screen with geolocation: a field worker of 永清镇 opens
the field page (the service worker caches it), loses the connection, reloads the page
offline, records an installation with a camera photo, and comes back online; the first
upload's answer is lost on the way back (the server stored it), the page sends again,
and the sign shows as installed with exactly one installation record."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from boundaries.models import Division
from geoapp.actions import set_up_user
from geoapp.gis import GEOD
from geoapp.roles import Role
from placenames.signs.models import Sign, SignInstallation, SignPhoto, SignStatus, SignType
from placenames.signs.photos import jpeg_with_gps
from placenames.signs.plans import plan_signs
from tests.e2e.conftest import LOCAL_HOSTS

pytestmark = pytest.mark.e2e

PASSWORD = "field-pass-1"
DONGGUAN = "620521100201"  # 东关村民委员会, a village of 永清镇


@pytest.fixture
def phone(browser, transactional_db, demo_data, live_server, outside_requests, page_errors):
    """A phone-sized Chinese-locale browser context with geolocation granted, cut off from
    the internet (like the shared ``page`` fixture)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True,
        locale="zh-CN", permissions=["geolocation"], geolocation={"longitude": 106.03, "latitude": 34.89, "accuracy": 6},
        bypass_csp=True,  # wait_for_function's string predicate is an eval; other journeys run under the CSP

    )

    def keep_local(route):
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", keep_local)
    yield context
    context.close()


def test_an_installation_recorded_offline_is_sent_once_when_back_online(
    phone, live_server, live_gazetteer, settings, tmp_path, page_errors, outside_requests, artifacts
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    plan_signs(township=Division.objects.current().get(code="620521100000"), dry_run=False)
    sign = Sign.objects.get(division__code=DONGGUAN, sign_type=SignType.VILLAGE)
    set_up_user(username="field_phone", role=Role.FIELD, jurisdiction="620521100000", password=PASSWORD)
    # The worker stands 12 m from the planned point, with a 6 m fix.
    lon, lat, _back = GEOD.fwd(sign.planned_geom.x, sign.planned_geom.y, 60, 12)
    phone.set_geolocation({"longitude": lon, "latitude": lat, "accuracy": 6})

    page = phone.new_page()
    page.set_default_timeout(20_000)
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/?next=/field/")
    page.fill("#id_username", "field_phone")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")

    row = page.locator(f'li.fd-sign[data-sign-id="{sign.pk}"]')
    page.select_option("#fd-where", DONGGUAN)
    expect(row).to_be_visible()
    expect(row.locator(".fd-distance")).to_contain_text("米")
    expect(page.locator("#fd-gps")).to_contain_text("6")
    # The service worker has cached the shell and controls the page.
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null")

    phone.set_offline(True)
    offline = page.reload()
    assert offline is not None and offline.from_service_worker  # the cached shell
    expect(page.locator("#fd-net")).to_have_attribute("data-online", "false")
    page.select_option("#fd-where", DONGGUAN)
    row.get_by_role("button", name="登记设置").click()
    expect(page.locator("#fd-text-cn")).to_have_value("东关村")  # the village sign's form (ADR 0021)
    page.set_input_files("#fd-photo", files=[
        {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps(lon, lat)},
    ])
    page.fill("#fd-team", "永清镇外业一组")
    page.click("#fd-save")
    expect(page.locator("#fd-outbox-count")).to_have_text("1")
    expect(page.locator("#fd-outbox-list li")).to_contain_text("东关村")
    expect(row.locator(".fd-waiting")).to_be_visible()
    page.screenshot(path=str(artifacts / "sign-field-offline-queued.png"), full_page=True)
    assert SignInstallation.objects.count() == 0

    # Back online: the first upload reaches the server, but its answer is lost.
    posts = []

    def lose_first_answer(route):
        posts.append(route.request.url)
        if len(posts) == 1:
            route.fetch()  # the server stores the record…
            route.abort()  # …and the phone never hears back
        else:
            route.continue_()

    page.route("**/api/signs/*/installations/", lose_first_answer)
    phone.set_offline(False)  # the page sends on the "online" event
    _wait_until(page, lambda: len(posts) == 1)
    page.wait_for_selector('body[data-sending="false"]', state="attached")
    expect(page.locator("#fd-outbox-count")).to_have_text("1")  # still waiting for an answer
    assert SignInstallation.objects.count() == 1  # stored, although the phone does not know

    page.click("#fd-send")  # the worker retries (the page also retries every 30 s)
    expect(page.locator("#fd-outbox")).to_be_hidden()
    expect(page.locator("#fd-sent")).to_contain_text("已上传 1")
    page.select_option("#fd-mode", "all")
    expect(row).to_have_attribute("data-status", "installed")
    page.screenshot(path=str(artifacts / "sign-field-sent.png"), full_page=True)

    assert len(posts) == 2
    assert SignInstallation.objects.count() == 1 and SignPhoto.objects.count() == 1
    sign.refresh_from_db()
    assert sign.status == SignStatus.INSTALLED
    record = SignInstallation.objects.get()
    assert record.team == "永清镇外业一组" and record.accuracy_m == 6
    assert page_errors == [] and outside_requests == []


def test_a_refused_record_is_corrected_on_the_phone_and_sent_again(
    phone, live_server, live_gazetteer, settings, tmp_path, page_errors, outside_requests, artifacts
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    plan_signs(township=Division.objects.current().get(code="620521100000"), dry_run=False)
    sign = Sign.objects.get(division__code=DONGGUAN, sign_type=SignType.VILLAGE)
    set_up_user(username="field_fix", role=Role.FIELD, jurisdiction="620521100000", password=PASSWORD)
    lon, lat, _back = GEOD.fwd(sign.planned_geom.x, sign.planned_geom.y, 60, 12)
    phone.set_geolocation({"longitude": lon, "latitude": lat, "accuracy": 6})
    page = phone.new_page()
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "field_fix")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/field/")  # a field worker lands here

    # The committee's name typed instead of what the village sign shows: refused.
    row = page.locator(f'li.fd-sign[data-sign-id="{sign.pk}"]')
    page.select_option("#fd-where", DONGGUAN)
    row.get_by_role("button", name="登记设置").click()
    page.fill("#fd-text-cn", "东关村民委员会")
    page.fill("#fd-text-pinyin", "Dongguan Cunmin Weiyuanhui")
    page.set_input_files("#fd-photo", files=[
        {"name": "IMG_0002.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps(lon, lat)},
    ])
    page.click("#fd-save")
    item = page.locator("#fd-outbox-list li.fd-state-failed")
    expect(item).to_contain_text("与标准名称“东关村”不一致")
    assert SignInstallation.objects.count() == 0

    # Corrected, not deleted: the form comes back with what was recorded.
    item.get_by_role("button", name="修改后重新提交").click()
    expect(page.locator("#fd-text-cn")).to_have_value("东关村民委员会")
    expect(page.locator("#fd-photo-info")).to_contain_text("1")
    page.fill("#fd-text-cn", "东关村")
    page.fill("#fd-text-pinyin", "Dongguan Cun")
    page.screenshot(path=str(artifacts / "sign-field-correcting.png"), full_page=True)
    page.click("#fd-save")
    expect(page.locator("#fd-outbox")).to_be_hidden()
    expect(page.locator("#fd-sent")).to_contain_text("已上传 1")
    record = SignInstallation.objects.get()
    assert (record.text_cn, record.text_pinyin) == ("东关村", "Dongguan Cun")
    assert SignPhoto.objects.count() == 1
    assert page_errors == [] and outside_requests == []


def _wait_until(page, condition, seconds: float = 15.0) -> None:
    for _ in range(int(seconds * 4)):
        if condition():
            return
        page.wait_for_timeout(250)
    raise AssertionError("condition not met in time")
