"""Browser journey on a phone-sized screen: an inspector of 清水县 opens a planned joint
inspection of the 清水县|秦安县 line on the inspection field page and starts the fieldwork,
loses the connection, reloads the page offline (the shared service worker serves it),
records a displaced marker with a camera photo and the phone's position, comes back
online; the first upload's answer is lost, the page sends again, and exactly one check
is stored. The PDF report (text extracted with pdftotext) shows the displacement."""

from __future__ import annotations

import datetime as dt
import subprocess
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from boundaries.actions import build_boundary_lines
from boundaries.inspections import actions
from boundaries.inspections.demo import _markers
from boundaries.inspections.models import InspectionPhoto, InspectionStatus, MarkerCheck
from boundaries.models import BoundaryLine, Division
from geoapp.actions import set_up_user
from geoapp.gis import GEOD
from geoapp.photos import jpeg_with_gps
from geoapp.roles import Role
from tests.e2e.conftest import LOCAL_HOSTS

pytestmark = pytest.mark.e2e

PASSWORD = "inspect-pass-1"


@pytest.fixture
def phone(browser, transactional_db, demo_data, live_server, outside_requests, page_errors):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True,
        locale="zh-CN", permissions=["geolocation"], geolocation={"longitude": 106.0, "latitude": 34.8, "accuracy": 5},
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


def test_a_displaced_marker_recorded_offline_syncs_once_and_shows_in_the_pdf_report(
    phone, live_server, settings, tmp_path, page_errors, outside_requests, artifacts
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    tianshui = Division.objects.current().get(code="620500000000")
    if not BoundaryLine.objects.current().of(parent=tianshui, level="county").exists():
        build_boundary_lines(parent=tianshui, level="county")
    line = BoundaryLine.objects.current().get(level="county", left__code="620521000000", right__code="620522000000")
    marker = _markers(line)[3]
    officer = set_up_user(username="zoning_e2e", role=Role.ZONING, jurisdiction="620521000000")
    set_up_user(username="inspector", role=Role.FIELD, jurisdiction="620521000000", password=PASSWORD)
    inspection = actions.plan_inspection(line=line, round_year=2026, planned_start=dt.date(2026, 5, 1),
                                         planned_end=dt.date(2026, 5, 10), created_by=officer,
                                         team_left="清水县民政局 2 人", team_right="秦安县民政局 2 人")
    # The marker was pushed 18.5 m to the north-east: the inspector stands at it, 5 m fix.
    lon, lat, _back = GEOD.fwd(marker.geom.x, marker.geom.y, 45, 18.5)
    phone.set_geolocation({"longitude": lon, "latitude": lat, "accuracy": 5})

    page = phone.new_page()
    page.set_default_timeout(20_000)
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/?next=/field/inspections/")
    page.fill("#id_username", "inspector")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")

    row = page.locator(f'li.if-inspection[data-inspection-id="{inspection.pk}"]')
    expect(row).to_have_attribute("data-status", "planned")
    row.get_by_role("button", name="开始外业检查").click()
    marker_row = page.locator(f'li.if-marker[data-marker-id="{marker.pk}"]')
    expect(marker_row).to_be_visible()
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.FIELDWORK
    expect(marker_row.locator(".if-distance")).to_contain_text("米")
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null")

    phone.set_offline(True)
    offline = page.reload()
    assert offline is not None and offline.from_service_worker
    expect(page.locator("#if-net")).to_have_attribute("data-online", "false")
    page.locator(f'li.if-inspection[data-inspection-id="{inspection.pk}"]').get_by_role("button", name="进入检查").click()
    marker_row.get_by_role("button", name="检查此界桩").click()
    page.check('#if-conditions input[value="displaced"]')
    page.set_input_files("#if-photo", files=[
        {"name": "IMG_0042.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps(lon, lat)},
    ])
    expect(page.locator("#if-fix")).to_contain_text("距登记位置 18.")
    page.click("#if-save")
    expect(page.locator("#if-outbox-count")).to_have_text("1")
    expect(marker_row.locator(".if-waiting")).to_be_visible()
    page.screenshot(path=str(artifacts / "inspection-field-offline-queued.png"), full_page=True)
    assert MarkerCheck.objects.count() == 0

    posts = []

    def lose_first_answer(route):
        posts.append(route.request.url)
        if len(posts) == 1:
            route.fetch()  # the server stores the check…
            route.abort()  # …and the phone never hears back
        else:
            route.continue_()

    page.route("**/api/inspections/*/checks/", lose_first_answer)
    phone.set_offline(False)
    _wait_until(page, lambda: len(posts) == 1)
    page.wait_for_selector('body[data-sending="false"]', state="attached")
    expect(page.locator("#if-outbox-count")).to_have_text("1")
    assert MarkerCheck.objects.count() == 1

    page.click("#if-send")
    expect(page.locator("#if-outbox")).to_be_hidden()
    expect(page.locator("#if-sent")).to_contain_text("已上传 1")
    page.screenshot(path=str(artifacts / "inspection-field-sent.png"), full_page=True)
    assert len(posts) == 2
    check = MarkerCheck.objects.get()
    assert InspectionPhoto.objects.count() == 1
    assert check.condition == "displaced" and check.accuracy_m == 5
    assert check.displacement_m == pytest.approx(GEOD.inv(marker.geom.x, marker.geom.y, lon, lat)[2], abs=0.01)

    pdf = page.request.get(f"{live_server.url}/boundaries/inspections/{inspection.pk}/report.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.body())
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert marker.number in text
    row_text = next(line for line in text.splitlines() if marker.number in line and "移位" in line)
    assert f"{check.displacement_m:.1f}" in row_text  # 18.5
    assert "清水县" in text and "秦安县" in text
    assert page_errors == [] and outside_requests == []


def _wait_until(page, condition, seconds: float = 15.0) -> None:
    for _ in range(int(seconds * 4)):
        if condition():
            return
        page.wait_for_timeout(250)
    raise AssertionError("condition not met in time")
