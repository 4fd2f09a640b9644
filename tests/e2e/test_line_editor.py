"""The boundary editor in a real browser: one officer drags a vertex of a township line
and saves, a second officer approves, and both townships change on the map."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from boundaries.actions import build_boundary_lines
from boundaries.models import BoundaryLine, Division, EditStatus, LineEdit
from geoapp.actions import set_up_user
from geoapp.roles import Role

pytestmark = pytest.mark.e2e

PASSWORD = "editor-pass-1"


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page.locator(".user-name")).to_have_text(username)


def log_out(page):
    page.click(".logout-form button")


def areas(page, codes):
    """The areas (km², 4 decimals from the API) the editor's list shows for ``codes``."""
    return {c: float(page.locator(f'li[data-code="{c}"] .area').get_attribute("data-area-km2")) for c in codes}


def test_an_officer_drags_a_vertex_a_colleague_approves_and_both_townships_change(
    page, live_server, page_errors, outside_requests, artifacts
):
    qingshui = Division.objects.current().get(code="620521000000")
    build_boundary_lines(parent=qingshui, level="township")
    set_up_user(username="zoning_a", role=Role.ZONING, jurisdiction="620521000000", password=PASSWORD)
    set_up_user(username="zoning_b", role=Role.ZONING, jurisdiction="620521000000", password=PASSWORD)
    line = (BoundaryLine.objects.current().of(parent=qingshui, level="township").exclude(right=None)
            .select_related("left", "right").order_by("-length_km").first())
    codes = [line.left.code, line.right.code]

    log_in(page, live_server, "zoning_a")
    page.goto(f"{live_server.url}/boundaries/editor/?parent=620521&level=township")
    page.wait_for_selector("body[data-ready=true]")
    before = areas(page, codes)
    page.click("#check-coverage")
    expect(page.locator("#coverage-result")).to_contain_text("覆盖完整")

    page.locator(f'path[data-line-id="{line.pk}"]').first.dispatch_event("click")
    expect(page.locator("#line-name")).to_have_text(f"{line.left.name} — {line.right.name}")
    page.wait_for_timeout(300)
    handle = page.locator(".marker-icon-middle").first
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x + 4 * step, y + 3 * step)
    page.mouse.up()
    expect(page.locator("#edit-form")).to_be_visible()
    page.fill("#edit-reason", "联检核实：界线应沿山脊走")
    page.fill("#edit-document", "清政发〔2026〕8号")
    page.click("#edit-save")
    expect(page.locator("#review-link")).to_be_visible()
    review_url = page.locator("#review-link").get_attribute("href")
    edit = LineEdit.objects.get(line=line)
    assert edit.status == EditStatus.PENDING and edit.proposed_by.username == "zoning_a"
    # The panel shows the pending change, and the line can no longer be dragged.
    expect(page.locator("#line-pending")).to_have_text(f"#{edit.pk}")
    expect(page.locator("#map .marker-icon")).to_have_count(0)
    expect(page.locator("#line-hint")).to_contain_text("待审核")
    # The proposer's review page offers no 批准 (four eyes).
    page.goto(f"{live_server.url}{review_url}")
    expect(page.locator("#proposer-note")).to_be_visible()
    expect(page.locator("#approve")).to_have_count(0)
    log_out(page)

    log_in(page, live_server, "zoning_b")
    page.goto(f"{live_server.url}{review_url}")
    rows = page.locator("#area-changes tbody tr")
    expect(rows).to_have_count(2)
    page.screenshot(path=str(artifacts / "line_edit_review.png"), full_page=True)
    page.click("#approve")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator(".flash-success")).to_be_visible()
    after = areas(page, codes)
    expect(page.locator("li.changed")).to_have_count(2)  # both townships highlighted
    page.screenshot(path=str(artifacts / "line_edit_applied.png"))

    edit.refresh_from_db()
    assert edit.status == EditStatus.APPLIED
    change = {c: after[c] - before[c] for c in codes}
    assert abs(change[codes[0]]) > 0.001, change  # the map shows the new areas…
    assert change[codes[0]] == pytest.approx(-change[codes[1]], abs=0.0002)  # …equal and opposite
    assert page_errors == [] and outside_requests == []
