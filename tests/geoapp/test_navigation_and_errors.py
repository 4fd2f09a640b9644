"""The header shows each role what it may do; field workers land on their phone page;
refusals come before the work; error pages speak the site's language (HTML for pages,
JSON under /api/); forms use full-width colons and sensible defaults."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from geoapp.actions import set_up_user
from geoapp.roles import Role
from tests.conftest import PASSWORD

QINGSHUI = "620521000000"


def nav_entries(response) -> list[str]:
    return re.findall(r'data-nav="([a-z]+)"', response.content.decode())


@pytest.fixture
def viewer(db):
    """A viewer (查看者) of 清水县."""
    return set_up_user(username="viewer_qs", role=Role.VIEWER, jurisdiction=QINGSHUI, password=PASSWORD)


@pytest.mark.parametrize(("persona", "expected"), [
    ("anonymous", ["map", "names", "help"]),
    ("viewer", ["map", "names", "signs", "facilities", "help"]),
    ("field_worker", ["map", "names", "field", "signs", "facilities", "help"]),
    ("planner", ["map", "names", "signs", "facilities", "gaps", "help"]),
    ("zoning_officer", ["map", "names", "editor", "changes", "naming", "signs", "facilities", "gaps", "help"]),
])
def test_the_navigation_lists_only_the_pages_a_role_may_use(client, db, request, persona, expected):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    assert nav_entries(client.get("/")) == expected


def test_every_entry_a_role_is_shown_opens_for_that_role(client, request):
    for persona in ("viewer", "field_worker", "planner", "zoning_officer"):
        user = request.getfixturevalue(persona)
        client.force_login(user)
        page = client.get("/").content.decode()
        for url in re.findall(r'<a href="([^"]+)" data-nav="[a-z]+"', page):
            assert client.get(url).status_code == 200, (persona, url)


def test_a_field_worker_lands_on_the_field_page_and_others_on_the_map(db, field_worker, planner):
    for user, landing in ((field_worker, "/field/"), (planner, "/")):
        client = Client()
        response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302 and response["Location"] == landing
    # An explicit next wins.
    response = Client().post("/accounts/login/?next=/signs/", {"username": field_worker.username, "password": PASSWORD})
    assert response["Location"] == "/signs/"


def test_anonymous_visitors_are_told_why_they_must_log_in(client, db):
    response = client.get("/boundaries/editor/", follow=True)
    page = response.content.decode()
    assert "/boundaries/editor/" in page and "只对本单位的工作人员开放" in page
    assert "只对本单位的工作人员开放" not in client.get("/accounts/login/").content.decode()


def test_a_viewer_is_refused_the_change_form_before_filling_it_in_chinese(client, viewer):
    client.force_login(viewer)
    for url, reason in (("/boundaries/changes/new/", "区划调整仅限区划地名工作人员和管理员登记"),
                        ("/boundaries/editor/", "界线编辑仅限区划地名工作人员和管理员使用")):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 403
        assert reason in page and "没有权限" in page
        assert 'class="app-header"' in page and "<form method=\"post\"" not in page.split("</header>")[1]


def test_error_pages_are_html_in_the_layout_and_json_under_the_api(client, db):
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and "页面不存在" in page.content.decode()
    assert 'class="app-header"' in page.content.decode()
    api = client.get("/api/no-such-endpoint/")
    assert api.status_code == 404 and api["Content-Type"].startswith("application/json")
    assert "error" in api.json()


def test_a_failed_csrf_check_is_explained_in_the_site_language(db, zoning_officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(zoning_officer)
    response = client.post("/boundaries/changes/new/", {"kind": "rename"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "CSRF 校验失败" in page and "没有保存任何内容" in page and 'class="app-header"' in page
    english = Client(enforce_csrf_checks=True)
    english.cookies["django_language"] = "en"
    english.force_login(zoning_officer)
    assert english.post("/boundaries/changes/new/", {}).status_code == 403


def test_a_server_error_page_needs_no_database(rf):
    from geoapp.errors import server_error

    request = rf.get("/boundaries/editor/")
    response = server_error(request)
    assert response.status_code == 500 and "服务器内部错误" in response.content.decode()
    assert server_error(rf.get("/api/divisions/")).status_code == 500


def test_the_naming_form_defaults_to_a_village_and_uses_full_width_colons(client, zoning_officer):
    client.force_login(zoning_officer)
    page = client.get("/names/applications/new/").content.decode()
    assert re.search(r'<option value="village" selected>', page)
    assert "拟用名称：</label>" in page and "拟用名称:</label>" not in page
    assert "data-division-picker" in page  # a picker, not a code to type
    assert 'type="date"' not in page


def test_the_help_page_renders_the_operator_guide_with_its_screenshots(client, db):
    page = client.get("/help/").content.decode()
    assert "使用指南" in page
    images = re.findall(r'<img alt="[^"]*" src="([^"]+)"', page)
    assert len(images) >= 4
    for src in images:
        response = client.get(src)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert client.get("/help/..%2Fsettings.py").status_code == 404
