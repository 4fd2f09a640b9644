"""The map workspace page: configured through json_script, every asset served by us, Chinese first.

Government intranets have no internet, so the page may reference nothing outside the
server: no CDN script, stylesheet or web font, and no outside URL in our templates,
CSS or JavaScript at all.
"""

import gettext
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

GEOAPP = Path(settings.BASE_DIR) / "geoapp"
LOCALE = GEOAPP / "locale" / "en" / "LC_MESSAGES"
URL = re.compile(r"https?://[^\s\"'<>)]+")
# XML namespaces are names, not addresses the browser fetches.
ALLOWED_URLS = {"http://www.w3.org/2000/svg"}


class _Assets(HTMLParser):
    """Collects <script src>, <link href> and the json_script config of a page."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.config_blocks: list[str] = []
        self._in_config = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])
        self._in_config = tag == "script" and attrs.get("id") == "map-config"

    def handle_endtag(self, tag):
        self._in_config = False

    def handle_data(self, data):
        if self._in_config:
            self.config_blocks.append(data)


def parse(html: str) -> _Assets:
    parser = _Assets()
    parser.feed(html)
    return parser


def page(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_map_page_carries_its_configuration_as_json(client, db):
    assets = parse(page(client))
    assert len(assets.config_blocks) == 1
    config = json.loads(assets.config_blocks[0])
    assert config["home"] == settings.CIVATLAS_HOME_DIVISION
    assert config["basemaps"] == settings.CIVATLAS_BASEMAPS
    assert config["api"]["divisions"] == reverse("division-list")
    assert config["api"]["division_search"] == reverse("division-search")
    assert config["api"]["division_detail"].replace("{code}", "620521000000") == reverse(
        "division-detail", args=["620521000000"]
    )


def test_every_script_and_stylesheet_of_the_page_is_a_local_static_file(client, db):
    urls = parse(page(client)).urls
    assert any(u.endswith("/leaflet.js") for u in urls) and any(u.endswith("geoapp/map.js") for u in urls)
    for url in urls:
        if url == reverse("javascript-catalog"):
            assert client.get(url).status_code == 200
            continue
        assert url.startswith(settings.STATIC_URL), url
        assert finders.find(url.removeprefix(settings.STATIC_URL)), f"{url} is not a static file"


VENDOR = GEOAPP / "static" / "vendor"


def test_no_outside_url_appears_in_our_templates_css_or_javascript():
    found = []
    for folder in (GEOAPP / "templates", GEOAPP / "static"):
        for path in folder.rglob("*"):
            if VENDOR in path.parents:
                continue  # third-party builds: their banners name home pages; checked below
            if path.suffix in {".html", ".css", ".js", ".svg", ".txt", ".json"}:
                text = path.read_text(encoding="utf-8")
                found += [f"{path.relative_to(GEOAPP)}: {u}" for u in URL.findall(text) if u not in ALLOWED_URLS]
    assert found == []


def test_the_page_is_chinese_by_default_with_a_language_switch_and_a_login_link(client, db):
    html = page(client)
    assert 'lang="zh-hans"' in html and "民政地理信息平台" in html and "搜索区划、地名或拼音" in html
    assert 'action="/i18n/setlang/" method="post"' in html and "csrfmiddlewaretoken" in html
    assert 'value="en"' in html and "English" in html
    assert 'href="/accounts/login/?next=/"' in html


def test_the_page_is_english_when_the_language_cookie_says_so(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = page(client)
    assert 'lang="en"' in html
    assert "Civil Affairs Geographic Information Platform" in html and "Search divisions, place names or pinyin" in html
    assert "搜索区划、地名" not in html
    assert json.loads(parse(html).config_blocks[0])["language"] == "en"


def test_the_javascript_strings_are_english_when_the_language_cookie_says_so(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    catalog = page(client, reverse("javascript-catalog"))
    assert "\\u52a0\\u8f7d\\u4e2d\\u2026" in catalog or "加载中…" in catalog  # msgid 加载中…
    assert "Loading" in catalog


def test_the_login_page_is_chinese(client, db):
    html = page(client, reverse("login"))
    assert 'lang="zh-hans"' in html
    assert "登录" in html and "用户名" in html and "密码" in html


def test_a_signed_in_user_sees_name_role_jurisdiction_and_a_logout_form(client, zoning_officer):
    client.force_login(zoning_officer)
    html = page(client)
    assert "zoning_qs" in html and "区划地名工作人员" in html and "620521000000" in html
    # Django 5 logs out by POST only.
    assert 'action="/accounts/logout/" method="post"' in html


def _po_entries(path: Path) -> list[dict]:
    """The entries of a .po file as {"msgid", "msgstr", "msgctxt"?, "msgid_plural"?, "fuzzy"}, header excluded."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict = {"fuzzy": False}
        key = None
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                entry["fuzzy"] = True
            elif match := re.match(r'(msgctxt|msgid|msgid_plural|msgstr(?:\[0\])?)\s+(".*")$', line):
                key = match.group(1).replace("[0]", "")
                entry[key] = json.loads(match.group(2))
            elif line.startswith('"') and key:
                entry[key] += json.loads(line)
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def _compiled(catalog: gettext.GNUTranslations, entry: dict) -> str:
    if "msgid_plural" in entry:
        return catalog.ngettext(entry["msgid"], entry["msgid_plural"], 1)
    if "msgctxt" in entry:
        return catalog.pgettext(entry["msgctxt"], entry["msgid"])
    return catalog.gettext(entry["msgid"])


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_english_message_is_translated_and_compiled(domain):
    entries = _po_entries(LOCALE / f"{domain}.po")
    assert entries
    assert [e["msgid"] for e in entries if not e.get("msgstr") or e["fuzzy"]] == []
    with open(LOCALE / f"{domain}.mo", "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    stale = [e["msgid"] for e in entries if _compiled(catalog, e) != e["msgstr"]]
    assert stale == [], "run `make messages` to compile the .po files"


def test_vendored_stylesheets_load_nothing_from_outside():
    """Vendored CSS may only reference data: URIs, in-document fragments or local files."""
    css_urls = re.compile(r"url\(\s*['\"]?([^'\")]+)")
    outside = []
    for path in VENDOR.rglob("*.css"):
        for ref in css_urls.findall(path.read_text(encoding="utf-8")):
            if ref.startswith(("http:", "https:", "//")):
                outside.append(f"{path.name}: {ref}")
    assert list(VENDOR.rglob("*.css")) and outside == []


def test_an_english_browser_still_gets_chinese_until_english_is_chosen(client, db):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "民政地理信息平台" in html and 'lang="zh-hans"' in html
    client.cookies["django_language"] = "en"
    assert 'lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()


_TEMPLATE_STRINGS = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.+?)\1""")
_JS_STRINGS = re.compile(r"""\bgettext\(\s*(["'])(.+?)\1\s*\)""")


@pytest.mark.parametrize(
    ("domain", "pattern", "suffix"), [("django", _TEMPLATE_STRINGS, ".html"), ("djangojs", _JS_STRINGS, ".js")]
)
def test_every_ui_string_in_our_templates_and_scripts_has_an_english_translation(domain, pattern, suffix):
    """Catches a string added to a page after the catalogue was last updated (`make messages`)."""
    translated = {e["msgid"] for e in _po_entries(LOCALE / f"{domain}.po") if e.get("msgstr")}
    root = Path(settings.BASE_DIR)
    missing = []
    for app in ("geoapp", "boundaries", "placenames", "facilities"):
        for path in (root / app).rglob(f"*{suffix}"):
            if VENDOR in path.parents:
                continue
            for _quote, msgid in pattern.findall(path.read_text(encoding="utf-8")):
                if msgid not in translated:
                    missing.append(f"{path.relative_to(root)}: {msgid}")
    assert missing == [], "run `make messages` and translate"
