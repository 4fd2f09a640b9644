"""The one register in a real browser: officer A proposes merging 黄门镇 into 王河镇 (two
townships of 清水县) on the map form, officer B approves on the review page, the public
portal shows 黄门镇 as a former name of 王河镇, and the sign dashboard shows 王河镇's signs
with no row left under the abolished code."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from boundaries.actions import build_boundary_lines
from boundaries.models import ChangeStatus, Division, DivisionChange
from geoapp.actions import set_up_user
from geoapp.roles import Role
from placenames.signs.models import Sign
from placenames.signs.plans import plan_signs

pytestmark = pytest.mark.e2e

PASSWORD = "register-pass-1"
WANGHE, HUANGMEN = "620521107000", "620521109000"


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator(".user-name")).to_have_text(username)


def test_officer_a_proposes_a_merge_officer_b_approves_and_portal_and_dashboard_follow(
    page, live_server, live_gazetteer, page_errors, outside_requests, artifacts
):
    qingshui = Division.objects.current().get(code="620521000000")
    build_boundary_lines(parent=qingshui, level="township")
    for code in (WANGHE, HUANGMEN):
        plan_signs(township=Division.objects.current().get(code=code), dry_run=False)
    signs = Sign.objects.filter(division__code__regex=r"^62052110[79]").count()
    set_up_user(username="zoning_a", role=Role.ZONING, jurisdiction="620521000000", password=PASSWORD)
    set_up_user(username="zoning_b", role=Role.ZONING, jurisdiction="620521000000", password=PASSWORD)

    log_in(page, live_server, "zoning_a")
    page.goto(f"{live_server.url}/boundaries/changes/new/?parent=620521")
    page.wait_for_selector("body[data-ready=true]")
    page.select_option("#id_kind", "merge")
    for code in (WANGHE, HUANGMEN):
        page.locator(f'path[data-code="{code}"]').dispatch_event("click")
    expect(page.locator("#chosen-names")).to_contain_text("黄门镇")
    page.fill("#id_new_code", WANGHE)
    page.fill("#id_new_name", "王河镇")
    page.fill("#id_approval_document", "甘政函〔2026〕7号")
    page.fill("#id_approved_by_body", "甘肃省人民政府")
    page.fill("#id_effective_date", "2026-01-01")
    page.click("#change-submit")
    expect(page.locator("#change-status")).to_contain_text("待审核")
    expect(page.locator("#change-units tbody tr")).to_have_count(3)
    expect(page.locator(".change-section").first).to_contain_text("黄门镇（620521109000）撤销，列为王河镇的曾用名")
    expect(page.locator("#approve")).to_have_count(0)  # not for the proposer
    review_url = page.url
    page.click(".logout-form button")

    log_in(page, live_server, "zoning_b")
    page.goto(review_url)
    page.screenshot(path=str(artifacts / "division_change_review.png"), full_page=True)
    page.click("#approve")
    expect(page.locator("#change-status")).to_contain_text("已批准并生效")
    change = DivisionChange.objects.get()
    assert change.status == ChangeStatus.APPLIED and (change.recorded_by.username, change.decided_by.username) == (
        "zoning_a", "zoning_b")

    page.goto(f"{live_server.url}/signs/?division=620521")
    row = page.locator(f'tr[data-code^="{WANGHE[:9]}"]')
    expect(row).to_have_count(1)
    expect(page.locator(f'tr[data-code^="{HUANGMEN[:9]}"]')).to_have_count(0)
    cells = row.locator("td").all_inner_texts()
    assert sum(int(t) for t in cells[2:] if t.strip().isdigit()) == signs  # all of both towns' signs
    page.screenshot(path=str(artifacts / "division_change_signs.png"), full_page=True)

    page.click(".logout-form button")
    page.goto(f"{live_server.url}/names/?q=wanghezhen")
    page.click("#pn-results a:has-text('王河镇')")
    expect(page.locator(".pn-title")).to_have_text("王河镇")
    expect(page.locator(".pn-former")).to_contain_text("黄门镇")
    expect(page.locator(".pn-former")).to_contain_text("2026-01-01")
    page.screenshot(path=str(artifacts / "division_change_portal.png"), full_page=True)
    assert outside_requests == []
    assert page_errors == []
