"""Facility pages: the gap view, CSV tables, the printable report, the offline folium map,
and the map workspace's facility layer configuration."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from facilities.demo import NO_STATION, PLANNED_STATION
from facilities.models import Kind, SiteScenario
from tests.conftest import PASSWORD

GAPS = "/facilities/gaps/"
QUERY = {"division": "620521", "kind": Kind.CHILD_PROTECTION_STATION}
FACILITIES = Path(settings.BASE_DIR) / "facilities"
URL = re.compile(r"https?://[^\s\"'<>)]+")


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


class _Page(HTMLParser):
    """Script src / link href of a page, the gap table rows, and json_script blocks."""

    def __init__(self):
        super().__init__()
        self.resources: list[str] = []
        self.links: list[str] = []
        self.failing_rows: list[str] = []
        self.rows: list[str] = []
        self.json: dict[str, str] = {}
        self._json_id = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.resources.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.resources.append(attrs["href"])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "tr" and attrs.get("data-code"):
            self.rows.append(attrs["data-name"])
            if "norm-failing" in (attrs.get("class") or ""):
                self.failing_rows.append(attrs["data-name"])
        self._json_id = attrs.get("id") if tag == "script" and attrs.get("type") == "application/json" else None

    def handle_data(self, data):
        if self._json_id:
            self.json[self._json_id] = self.json.get(self._json_id, "") + data

    def handle_endtag(self, tag):
        self._json_id = None


def parse(response) -> _Page:
    page = _Page()
    page.feed(response.content.decode())
    return page


@pytest.fixture
def gap_page(client, demo_facilities, planner):
    login(client, planner)
    response = client.get(GAPS, QUERY)
    assert response.status_code == 200
    return parse(response)


def names(codes):
    from boundaries.models import Division

    return set(Division.objects.current().filter(code__in=codes).values_list("name", flat=True))


def test_the_gap_page_marks_the_townships_without_a_station(gap_page):
    assert set(gap_page.failing_rows) == names(NO_STATION | PLANNED_STATION) == {"秦亭镇", "贾川乡", "丰望乡", "红堡镇"}
    assert len(gap_page.rows) == 19


def test_the_gap_page_gives_its_map_the_analysis_and_our_own_urls(gap_page):
    config = json.loads(gap_page.json["gaps-config"])
    assert config["division"]["code"] == "620521000000" and config["kind"] == Kind.CHILD_PROTECTION_STATION
    failing = {r["name"] for r in config["rows"] if r["failing"]}
    assert failing == {"秦亭镇", "贾川乡", "丰望乡", "红堡镇"}
    assert config["uncovered"] and all(v["distance_km"] > 10 for v in config["uncovered"])
    assert config["urls"]["suggest"] == reverse("facilities:suggest")
    assert all(url.startswith("/") for url in config["urls"].values())
    assert len(config["bins"]) == 5


def test_every_script_and_stylesheet_of_the_gap_page_is_local(gap_page, client):
    assert any(u.endswith("facilities/gaps.js") for u in gap_page.resources)
    for url in gap_page.resources:
        if url == reverse("javascript-catalog"):
            continue
        assert url.startswith(settings.STATIC_URL), url
        assert finders.find(url.removeprefix(settings.STATIC_URL)), url


def test_the_gap_page_needs_a_login(client, demo_facilities):
    response = client.get(GAPS, QUERY)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_gap_page_is_for_analysts_inside_their_jurisdiction(client, demo_facilities, outsider, field_worker):
    login(client, outsider)
    assert client.get(GAPS, QUERY).status_code in (400, 403)  # 清水县 is not even offered to 中卫市
    client.logout()
    login(client, field_worker)
    assert client.get(GAPS, QUERY).status_code == 403


def test_the_gap_page_defaults_to_the_users_county(client, demo_facilities, zoning_officer):
    login(client, zoning_officer)
    page = parse(client.get(GAPS))
    assert json.loads(page.json["gaps-config"])["division"]["code"] == "620521000000"


def test_the_gap_page_offers_the_counties_of_the_jurisdiction(client, demo_facilities, planner):
    login(client, planner)
    html = client.get(GAPS, QUERY).content.decode()
    assert 'value="620525000000"' in html and 'value="640502000000"' not in html


def test_the_gap_table_downloads_as_csv(client, demo_facilities, planner):
    login(client, planner)
    response = client.get(reverse("facility-report-csv", args=["townships"]), QUERY)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:3] == ["名次", "乡镇代码", "乡镇（街道）"]
    assert len(rows) == 20
    uncovered = [int(r[4]) for r in rows[1:]]
    assert uncovered == sorted(uncovered, reverse=True)
    failing = {r[2] for r in rows[1:] if r[7]}
    assert failing == {"秦亭镇", "贾川乡", "丰望乡", "红堡镇"}


@pytest.mark.parametrize("table", ["villages", "norms", "communities"])
def test_the_other_report_tables_download_as_csv(client, demo_facilities, planner, table):
    login(client, planner)
    response = client.get(reverse("facility-report-csv", args=[table]), QUERY)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) > 1


def test_an_unknown_table_is_not_found(client, demo_facilities, planner):
    login(client, planner)
    assert client.get("/facilities/report/secrets.csv", QUERY).status_code == 404


def test_the_printable_report_lists_the_failing_townships(client, demo_facilities, planner):
    login(client, planner)
    response = client.get(reverse("facility-report"), QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "清水县未成年人保护工作站服务缺口分析报告" in html
    assert html.count('class="norm-failing"') >= 4
    assert "《中华人民共和国未成年人保护法》第八十一条" in html
    assert "@media print" in (FACILITIES / "static/facilities/pages.css").read_text(encoding="utf-8")


class _Resources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe") and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])
        if tag == "script" and not attrs.get("src"):
            self.inline_scripts += 1


def test_the_folium_map_is_self_contained_and_offline(client, demo_facilities, planner):
    login(client, planner)
    response = client.get(reverse("facility-report-map"), {**QUERY, "download": "1"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    html = response.content.decode()
    resources = _Resources()
    resources.feed(html)
    assert resources.urls == []  # no <script src>, <link href>, <img src> at all
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "cdn.jsdelivr" not in html and "code.jquery" not in html and "bootstrapcdn" not in html
    assert "Leaflet 1.9" in html  # the vendored Leaflet, inlined
    assert "url(images/" not in html  # stylesheet images inlined as data: URIs
    assert "$(" not in html.split("</head>", 1)[1]  # no jQuery-dependent folium elements
    for text in ("红堡镇", "乡镇覆盖情况"):  # folium writes JSON with \u escapes
        assert text in html or json.dumps(text)[1:-1] in html, text


def test_the_folium_map_can_show_a_saved_scenario(client, demo_facilities, planner):
    login(client, planner)
    client.post("/api/facilities/suggest", data=json.dumps({"division": "620521", "kind": QUERY["kind"], "count": 2,
                "name": "会议方案"}), content_type="application/json")
    scenario = SiteScenario.objects.get(name="会议方案")
    html = client.get(reverse("facility-report-map"), {**QUERY, "scenario": scenario.pk}).content.decode()
    assert "建议新站点：会议方案" in html or json.dumps("建议新站点：会议方案")[1:-1] in html
    report = client.get(reverse("facility-report"), QUERY).content.decode()
    assert "会议方案" in report


def test_the_facility_pages_reference_nothing_outside():
    found = []
    for folder in (FACILITIES / "templates", FACILITIES / "static"):
        for path in folder.rglob("*"):
            if path.suffix in {".html", ".css", ".js"}:
                text = path.read_text(encoding="utf-8")
                found += [f"{path.name}: {u}" for u in URL.findall(text) if u != "http://www.w3.org/2000/svg"]
    assert found == []


def test_the_map_workspace_is_configured_for_the_facility_layer(client, db):
    html = client.get("/").content.decode()
    page = _Page()
    page.feed(html)
    config = json.loads(page.json["map-config"])
    assert config["api"]["facilities"] == reverse("facilities:list")
    assert config["api"]["facility_gaps"] == reverse("facilities:gaps")
    assert [k["value"] for k in config["facilities"]["kinds"]] == list(Kind.values)
    assert {"planned", "operating", "closed"} <= {s["value"] for s in config["facilities"]["statuses"]}
    assert config["facilities"]["labels"]["beds"] == "床位数"
    assert any(u.endswith("facilities/facility_icons.js") for u in page.resources)
    assert any(u.endswith("facilities/facilities.css") for u in page.resources)
