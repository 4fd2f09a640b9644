"""Browser journey: a zoning officer of 清水县 files a renaming of 永清镇 whose proposed
name duplicates a township elsewhere in 甘肃 (兴国镇, 秦安县), sees the error, changes
the name, takes the application to consultation; once the period has run its course a
second officer approves (four eyes), and the public portal shows the new name with the
old one as a former name."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from geoapp.actions import set_up_user
from geoapp.roles import Role
from placenames.models import NamingApplication

pytestmark = pytest.mark.e2e

PASSWORD = "naming-pass-1"


def _log_in(page, url: str, username: str) -> None:
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")


def test_a_renaming_with_a_duplicate_name_is_corrected_approved_and_published(
    page, live_server, live_gazetteer, page_errors, outside_requests, artifacts  # noqa: F811
):
    set_up_user(username="zoning_names", role=Role.ZONING, jurisdiction="620521000000", password=PASSWORD)
    set_up_user(username="zoning_second", role=Role.ZONING, jurisdiction="620521000000", password=PASSWORD)
    _log_in(page, f"{live_server.url}/accounts/login/?next=/names/applications/new/", "zoning_names")

    page.fill("#id_applicant", "清水县永清镇人民政府")
    page.fill("#id_proposed_name", "兴国镇")
    page.select_option("#id_kind", "township")
    # The division is picked by name (a picker, not a code to type).
    page.fill("#id_division_code_search", "永清镇")
    page.locator(".division-picker-results button", has_text="清水县").first.click()
    expect(page.locator("#id_division_code")).to_have_value("620521100000")
    page.fill("#id_place_code", "620521100000")
    page.fill("#id_location_description", "清水县城所在地")
    page.fill("#id_scale", "面积 132 平方千米，人口约 6 万")  # 第十一条第一款第（二）项
    page.fill("#id_nature", "建制镇，县人民政府驻地")
    page.fill("#id_reasons", "恢复历史名称")
    page.click("form.pn-form button[type=submit]")

    error = page.locator('.pn-problem.error[data-rule="duplicate"]')
    expect(error).to_contain_text("秦安县兴国镇")
    page.screenshot(path=str(artifacts / "placenames-duplicate-error.png"), full_page=True)

    page.click("text=修改申请")
    page.fill("#id_proposed_name", "清源镇")
    page.click("form.pn-form button[type=submit]")
    expect(page.locator(".pn-ok")).to_be_visible()

    page.click("text=提交受理")
    page.fill("#id_reports-overall_assessment", "综合评估：更名必要、可行。")
    page.fill("#id_reports-expert_assessment", "专家论证：用字规范，含义健康。")
    page.fill("#id_reports-consultation_report", "征求意见：无反对意见。")
    page.fill("#id_reports-risk_assessment", "风险评估：低风险。")
    page.click("text=保存报告")
    page.click("text=开始征求意见")  # starts today (a past start is refused)
    expect(page.locator('.pn-steps [aria-current="step"]')).to_have_text("征求意见中")
    # 40 days pass: the consultation dates move back as time would have moved them.
    application = NamingApplication.objects.get(proposed_name="清源镇")
    shift = dt.timedelta(days=40)
    NamingApplication.objects.filter(pk=application.pk).update(
        consultation_start=application.consultation_start - shift, consultation_end=application.consultation_end - shift)
    detail_url = page.url
    page.click(".logout-form button")
    _log_in(page, f"{live_server.url}/accounts/login/?next={detail_url.removeprefix(live_server.url)}", "zoning_second")
    page.screenshot(path=str(artifacts / "placenames-before-approval.png"), full_page=True)
    page.click("text=登记批准")
    expect(page.locator('.pn-steps [aria-current="step"]')).to_have_text("已批准，待公告备案")
    expect(page.locator(".pn-badge.due").first).to_be_visible()

    page.click(".logout-form button")
    page.goto(f"{live_server.url}/names/?q=qingyuanzhen")
    page.click("#pn-results a:has-text('清源镇')")
    expect(page.locator(".pn-title")).to_have_text("清源镇")
    expect(page.locator(".pn-title-roman")).to_have_text("Qīngyuán Zhèn")
    expect(page.locator(".pn-former")).to_contain_text("永清镇")
    page.screenshot(path=str(artifacts / "placenames-portal-page.png"), full_page=True)
    assert outside_requests == []
    assert page_errors == []
