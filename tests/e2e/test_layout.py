"""The header on a phone (390 px) and a desktop (1440 px), in Chinese and English: the
navigation never wraps or overflows; on a phone it collapses behind one 菜单 button."""

from __future__ import annotations

import pytest

from geoapp.actions import set_up_user
from geoapp.roles import Role
from tests.conftest import PASSWORD
from tests.e2e.personas import DESKTOP, PHONE, log_in, new_page, shot

pytestmark = pytest.mark.e2e

ENTRIES = 10  # the administrator: every NavEntry the apps register (geoapp.registry)

# Geometry of the header, measured in the page.
MEASURE = """() => {
  const header = document.querySelector('.app-header').getBoundingClientRect();
  const links = [...document.querySelectorAll('.main-nav a')].map(a => a.getBoundingClientRect());
  const visible = links.filter(r => r.width > 0);
  const tools = document.querySelector('.header-tools').getBoundingClientRect();
  const nav = document.querySelector('.main-nav').getBoundingClientRect();
  return {
    page: document.documentElement.scrollWidth, viewport: window.innerWidth, header: header.height,
    tops: visible.map(r => Math.round(r.top)), rights: visible.map(r => r.right),
    links: links.length, visible: visible.length, navRight: nav.right, toolsLeft: tools.left,
    toolsRight: tools.right, toolsWidth: tools.width,
    overflowing: [...document.querySelectorAll('.app-header *')].filter(el => el.scrollWidth > el.clientWidth + 1
      && getComputedStyle(el).overflowX !== 'auto' && el.clientWidth > 0).map(el => el.className),
  };
}"""


def test_the_navigation_is_one_line_on_a_desktop_and_a_menu_on_a_phone_in_both_languages(
    browser, live_server, transactional_db, demo_data, artifacts
):
    # The administrator sees the most entries: the widest header there is.
    set_up_user(username="admin_qs", role=Role.ADMIN, jurisdiction="620521000000", password=PASSWORD)
    outside, errors = [], []
    for language in ("zh-hans", "en"):
        for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page = new_page(browser, viewport, outside, errors)
            page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
            log_in(page, live_server.url, "admin_qs", PASSWORD)
            m = page.evaluate(MEASURE)
            where = f"{language} {name}: {m}"
            assert m["page"] <= m["viewport"], where  # nothing wider than the screen
            assert m["header"] <= 56, where  # one header line
            # 区划地图 地名查询 界线编辑 区划调整 命名更名 地名标志 民政设施 缺口分析 (an
            # administrator records no sign installations: geoapp.roles gives that to field teams).
            assert m["links"] == ENTRIES, where
            if name == "desktop":
                assert m["visible"] == ENTRIES and len(set(m["tops"])) == 1, where  # one line
                assert max(m["rights"]) <= m["toolsLeft"], where  # no entry under the tools
                assert m["toolsRight"] <= m["viewport"], where
                assert m["overflowing"] == [], where
            else:
                assert m["visible"] == 0, where  # collapsed behind the button
                page.click(".nav-toggle")
                opened = page.evaluate(MEASURE)
                assert opened["visible"] == ENTRIES, where
                assert len(set(opened["tops"])) == ENTRIES, where  # one entry per line, readable
                assert max(opened["rights"]) <= opened["viewport"], where
                assert opened["page"] <= opened["viewport"], where
                assert opened["toolsRight"] <= opened["viewport"], where
            shot(page, f"layout_{name}_{language}")
            page.context.close()
    assert outside == []
    assert errors == []
