"""Site suggestions on the demo data: planning, the suggest API, saved scenarios, comparison."""

from __future__ import annotations

import json

import numpy as np
import pytest
from pyproj import Geod

from facilities import sites
from facilities.actions import create_site_scenario
from facilities.gaps import analyse_gaps, village_seats
from facilities.mclp import MclpError
from facilities.models import Facility, Kind, SiteScenario
from facilities.scenarios import TOWNSHIP_SEAT, VILLAGE_SEAT, candidate_sites, plan_sites
from geoapp.actions import set_up_user
from geoapp.roles import Role
from tests.conftest import PASSWORD

GEOD = Geod(ellps="GRS80")
SUGGEST = "/api/facilities/suggest"
SCENARIOS = "/api/facilities/scenarios"
STATION = Kind.CHILD_PROTECTION_STATION


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def post(client, body):
    return client.post(SUGGEST, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def plan(demo_facilities, qingshui):
    return plan_sites(division=qingshui, kind=STATION, radius_km=10, count=2)


def test_coverage_before_matches_the_gap_analysis(plan, qingshui):
    report = analyse_gaps(division=qingshui, kind=STATION, radius_km=10)
    assert plan.villages == sum(r["villages"] for r in report.rows)
    assert plan.covered_before == plan.villages - len(report.uncovered)


def test_two_stations_are_chosen_among_township_and_village_seats(plan, qingshui):
    assert len(plan.sites) == 2
    seats = {code: site_type for site_type, code, *_rest in candidate_sites(qingshui)}
    assert all(seats[s["code"]] == s["site_type"] in {TOWNSHIP_SEAT, VILLAGE_SEAT} for s in plan.sites)
    assert [s["rank"] for s in plan.sites] == [1, 2]


def test_suggested_sites_cover_only_villages_that_were_uncovered_and_within_the_radius(plan, qingshui):
    uncovered = {v["code"] for v in analyse_gaps(division=qingshui, kind=STATION, radius_km=10).uncovered}
    covered = [v for s in plan.sites for v in s["covers"]]
    assert covered and {v["code"] for v in covered} <= uncovered
    assert len({v["code"] for v in covered}) == len(covered)  # nobody counted twice
    for site in plan.sites:
        for v in site["covers"]:
            _az, _baz, d = GEOD.inv(site["lon"], site["lat"], v["lon"], v["lat"])
            assert d <= 10_000
    assert plan.covered_after == plan.covered_before + len(covered)


def test_the_first_site_is_the_best_single_candidate(plan, qingshui):
    """Sites are ranked by what they add; on the demo data the exact model's first site
    is also the best single candidate (no candidate alone covers more)."""
    villages = village_seats(qingshui)
    uncovered = {v["code"] for v in analyse_gaps(division=qingshui, kind=STATION, radius_km=10).uncovered}
    points = [(lon, lat) for code, _name, lon, lat in villages if code in uncovered]
    best = 0
    for *_info, lon, lat in candidate_sites(qingshui):
        _az, _baz, d = GEOD.inv(np.full(len(points), lon), np.full(len(points), lat), *np.array(points).T)
        best = max(best, int(np.count_nonzero(d <= 10_000)))
    assert len(plan.sites[0]["covers"]) == best


def test_no_site_is_suggested_when_every_village_is_already_covered(demo_facilities, qingshui):
    plan = plan_sites(division=qingshui, kind=STATION, radius_km=60, count=3)
    assert plan.covered_before == plan.villages and plan.sites == []


def test_the_action_saves_a_named_scenario(demo_facilities, qingshui, planner):
    scenario = create_site_scenario(
        division=qingshui, kind=STATION, radius_km=10, count=2, name="两站方案", created_by=planner
    )
    scenario.refresh_from_db()
    assert scenario.name == "两站方案" and scenario.created_by == planner and scenario.created_at
    assert len(scenario.sites) == 2 and scenario.covered_after > scenario.covered_before
    assert not Facility.objects.filter(name__contains="两站方案").exists()  # a plan, not a registration


def test_a_planner_runs_a_suggestion_through_the_api(client, demo_facilities, planner):
    login(client, planner)
    response = post(client, {"division": "620521", "kind": STATION, "radius_km": 10, "count": 2, "name": "甲方案"})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["name"] == "甲方案" and data["division"]["code"] == "620521000000"
    assert data["kind"] == STATION and data["radius_km"] == 10 and data["count"] == 2
    assert len(data["sites"]) == 2 and all(s["covers"] for s in data["sites"])
    assert {"code", "name", "lon", "lat"} <= data["sites"][0]["covers"][0].keys()
    assert data["covered_after"] - data["covered_before"] == sum(len(s["covers"]) for s in data["sites"])
    assert data["created_by"] == planner.username
    assert SiteScenario.objects.filter(pk=data["id"], created_by=planner).exists()


def test_the_answer_says_how_the_sites_were_chosen(client, demo_facilities, planner):
    login(client, planner)
    data = post(client, {"division": "620521", "kind": STATION, "radius_km": 10, "count": 2}).json()
    assert (data["method"], data["optimal"], data["note"]) == ("mclp", True, "")
    assert SiteScenario.objects.get(pk=data["id"]).method == "mclp"


def test_a_solver_failure_reaches_the_planner_and_the_saved_scenario(client, demo_facilities, planner, monkeypatch):
    def broken(*_args, **_kwargs):
        raise MclpError("求解器运行失败（测试）")

    monkeypatch.setattr(sites, "solve_mclp", broken)
    login(client, planner)
    data = post(client, {"division": "620521", "kind": STATION, "radius_km": 10, "count": 2}).json()
    assert (data["method"], data["optimal"]) == ("greedy", False)
    assert "求解器运行失败（测试）" in data["note"] and "贪心" in data["note"]
    assert len(data["sites"]) == 2  # greedy stood in
    assert client.get(f"{SCENARIOS}/{data['id']}").json()["note"] == data["note"]


def test_a_suggestion_without_a_name_or_radius_gets_defaults(client, demo_facilities, planner):
    login(client, planner)
    data = post(client, {"division": "620521000000", "kind": STATION, "count": 1}).json()
    assert data["radius_km"] == 10  # DEFAULT_RADIUS_KM for stations
    assert "清水县" in data["name"] and "未成年人保护工作站" in data["name"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"kind": STATION, "count": 2}, "division"),
        ({"division": "620521", "kind": "school", "count": 2}, "kind"),
        ({"division": "620521", "kind": STATION, "count": 0}, "count"),
        ({"division": "620521", "kind": STATION, "count": 99}, "count"),
        ({"division": "620521", "kind": STATION, "count": "two"}, "count"),
        ({"division": "620521", "kind": STATION, "count": 2, "radius_km": -1}, "radius_km"),
        ({"division": "620521100201", "kind": STATION, "count": 2}, "县级"),
    ],
)
def test_bad_suggestion_requests_are_refused_in_words(client, demo_facilities, planner, body, words):
    login(client, planner)
    response = post(client, body)
    assert response.status_code == 400
    assert words in response.json()["error"]


def test_a_body_that_is_not_json_is_refused(client, demo_facilities, planner):
    login(client, planner)
    response = client.post(SUGGEST, data="count=2", content_type="application/json")
    assert response.status_code == 400


def test_suggestions_need_a_login_an_analysis_role_and_the_jurisdiction(client, demo_facilities, outsider, field_worker):
    body = {"division": "620521", "kind": STATION, "count": 2}
    assert post(client, body).status_code == 401
    login(client, outsider)
    assert post(client, body).status_code == 403
    client.logout()
    login(client, field_worker)
    assert post(client, body).status_code == 403
    assert not SiteScenario.objects.exists()


def test_suggest_only_accepts_post(client, demo_facilities, planner):
    login(client, planner)
    assert client.get(SUGGEST).status_code == 405


def test_scenarios_are_listed_inside_the_division_and_the_jurisdiction(client, demo_facilities, planner, outsider):
    login(client, planner)
    first = post(client, {"division": "620521", "kind": STATION, "count": 1, "name": "一站"}).json()
    second = post(client, {"division": "620521", "kind": STATION, "count": 2, "name": "两站"}).json()
    post(client, {"division": "620525", "kind": STATION, "count": 1, "name": "张家川"})
    listed = client.get(SCENARIOS, {"division": "620521"}).json()["scenarios"]
    assert [s["name"] for s in listed] == ["两站", "一站"]  # newest first
    assert "sites" not in listed[0] and listed[0]["covered_after"] == second["covered_after"]
    assert client.get(f"{SCENARIOS}/{first['id']}").json()["sites"] == first["sites"]
    client.logout()
    login(client, outsider)
    assert client.get(SCENARIOS, {"division": "620521"}).status_code == 403
    assert client.get(f"{SCENARIOS}/{first['id']}").status_code == 404


def test_two_scenarios_are_compared_side_by_side(client, demo_facilities, planner):
    login(client, planner)
    one = post(client, {"division": "620521", "kind": STATION, "count": 1, "name": "一站"}).json()
    two = post(client, {"division": "620521", "kind": STATION, "count": 2, "name": "两站"}).json()
    response = client.get(f"{SCENARIOS}/compare", {"a": one["id"], "b": two["id"]})
    assert response.status_code == 200
    data = response.json()
    a, b = data["scenarios"]
    assert (a["name"], b["name"]) == ("一站", "两站")
    assert a["covered_before"] == b["covered_before"]
    assert b["covered_after"] >= a["covered_after"]
    assert set(data["only_a"]) | set(data["both"]) == {v["code"] for s in one["sites"] for v in s["covers"]}
    assert len(data["both"]) + len(data["only_b"]) == b["covered_new"]
    assert client.get(f"{SCENARIOS}/compare", {"a": one["id"], "b": 999999}).status_code == 404
    assert client.get(f"{SCENARIOS}/compare", {"a": "x"}).status_code == 400


def test_a_viewer_may_not_run_gap_analyses(client, demo_facilities):
    viewer = set_up_user(username="viewer_qs", role=Role.VIEWER, jurisdiction="620521000000", password=PASSWORD)
    login(client, viewer)
    response = client.get("/api/facilities/gaps", {"division": "620521", "kind": STATION})
    assert response.status_code == 403
