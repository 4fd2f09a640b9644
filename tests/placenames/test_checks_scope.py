"""Duplicates, homophones and protection (placenames.checks) against the demo gazetteer.

Scopes of 2022 (《地名管理条例》第九条第一款第（七）、（八）项): county-level names nationally,
乡/镇 names in the province, village seat names in the county, streets and notable
residential names in the built-up area (the county when none is recorded). 兴国镇 (620522100) is a real township of 秦安县, 甘肃; 永清镇
(620521100) one of 清水县, 甘肃; 宁夏 is another province.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from placenames.checks import check_name, seat_core
from tests.placenames.builders import place_name


def problems(**kwargs):
    return {(p.rule, p.severity): p for p in check_name(**kwargs).problems}


def test_a_township_name_used_elsewhere_in_the_province_is_a_duplicate_error(gazetteer):
    result = check_name(name="兴国镇", kind="township", division_code="620521100")
    assert not result.ok
    (dup,) = result.errors
    assert dup.rule == "duplicate" and "同一个省级行政区域内的乡、镇名称" in dup.message
    assert "第九条第一款第（八）项" in dup.message
    assert dup.conflicts[0]["name"] == "兴国镇"
    assert dup.conflicts[0]["code"] == "620522100000"
    assert dup.conflicts[0]["division"] == "秦安县"


def test_a_township_name_used_only_in_another_province_passes(gazetteer):
    # 宣和镇 is a township of 沙坡头区, 宁夏 (640502): another province.
    assert gazetteer.filter(standard_name="宣和镇", code__startswith="64").exists()
    assert check_name(name="宣和镇", kind="township", division_code="620521100").ok


def test_renaming_a_township_leaves_the_township_itself_out(gazetteer):
    assert check_name(name="永清镇", kind="township", division_code="620521100", renaming="620521100000").ok
    assert not check_name(name="永清镇", kind="township", division_code="620521100").ok


def test_an_unknown_renaming_code_is_a_warning(gazetteer):
    found = problems(name="育新路", kind="street", division_code="620521100", renaming="999")
    assert ("renaming_target", "warning") in found


def test_a_county_name_is_unique_nationally(gazetteer):
    assert not check_name(name="清水县", kind="county", division_code="640502").ok


def test_a_homophone_with_the_same_tones_is_an_acceptable_warning_marked_stronger(gazetteer):
    # 青水县 reads qīng shuǐ xiàn exactly like 清水县: 避免同音 is a warning, not a ban.
    result = check_name(name="青水县", kind="county", division_code="620500")
    assert result.ok
    homophone = next(p for p in result.problems if p.rule == "homophone")
    assert homophone.severity == "warning" and homophone.acceptable
    assert homophone.conflicts[0]["name"] == "清水县" and "声调也相同" in homophone.message
    assert "并避免同音" in [c["quote"] for c in homophone.citations]


def test_the_same_toneless_reading_with_other_tones_is_still_a_homophone(gazetteer):
    # 庆水县 qìng vs 清水县 qīng: a sign shows both as "Qingshui Xian" (docs/adr/0016).
    result = check_name(name="庆水县", kind="county", division_code="620500")
    assert result.ok
    assert [(p.rule, p.severity) for p in result.problems] == [("homophone", "warning")]
    assert "声调不同" in result.problems[0].message


def test_a_near_homophone_by_the_fuzzy_key_is_a_warning(gazetteer):
    # 秦水县 (qín) vs 清水县 (qīng): in/ing merged by the fuzzy key.
    found = problems(name="秦水县", kind="county", division_code="620500")
    assert ("near_homophone", "warning") in found
    assert "平翘舌" in found[("near_homophone", "warning")].message


def test_a_village_seat_name_is_compared_without_the_committee_suffix(gazetteer):
    # 山上湾村民委员会 is a real village committee of 秦安县 (620522).
    assert seat_core("山上湾村民委员会") == seat_core("山上湾村") == "山上湾"
    result = check_name(name="山上湾村", kind="village", division_code="620522107")
    assert [p.rule for p in result.errors] == ["duplicate"]


def test_a_village_name_in_another_county_passes(gazetteer):
    assert check_name(name="山上湾村", kind="village", division_code="620521100").ok


def test_street_names_are_unique_within_the_county(gazetteer):
    place_name("育新路", category="transport", where="620521101000")  # 红堡镇, same county
    assert not check_name(name="育新路", kind="street", division_code="620521100").ok
    assert check_name(name="育新路", kind="street", division_code="620522100").ok  # 秦安县


def test_notable_residential_names_meet_notable_ones_in_the_county(gazetteer):
    place_name("锦绣花园", category="settlement", geo_significant=True)
    assert not check_name(name="锦绣花园", kind="residential", division_code="620521", significant=True).ok
    # Only names of important geographic significance have a scope (第（八）项).
    assert check_name(name="锦绣花园", kind="residential", division_code="620521", significant=False).ok
    place_name("锦华花园", category="settlement")
    assert check_name(name="锦华花园", kind="residential", division_code="620521", significant=True).ok


def test_names_of_other_classes_do_not_conflict(gazetteer):
    place_name("育新河", category="water")
    assert check_name(name="育新河", kind="street", division_code="620521").ok


def test_retired_names_do_not_conflict(gazetteer):
    place_name("旧街", category="transport", status="retired")
    assert check_name(name="旧街", kind="street", division_code="620521").ok


def test_a_protected_name_cannot_be_renamed_without_protection_measures(gazetteer):
    old = place_name("古城街", category="transport", protected=True, code="PN-TEST-1")
    result = check_name(name="新城街", kind="street", division_code="620521100", renaming="PN-TEST-1")
    assert [p.rule for p in result.errors] == ["protected"]
    assert "保护" in result.errors[0].message
    old.protection_measures = "原名刻石保留，设立历史地名标志"
    old.save()
    assert check_name(name="新城街", kind="street", division_code="620521100", renaming="PN-TEST-1").ok


def test_an_unknown_kind_or_bad_code_is_refused():
    with pytest.raises(ValueError, match="未知地名类型"):
        check_name(name="永清路", kind="road", division_code="620521")
    with pytest.raises(ValueError, match="区划代码"):
        check_name(name="永清路", kind="street", division_code="62x")


def run_command(*args):
    out = StringIO()
    call_command("check_name", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_command_prints_ok_and_problems_as_json(gazetteer):
    payload = run_command("--name", "兴国镇", "--kind", "township", "--division", "620521100")
    assert payload["ok"] is False
    assert list(payload["problems"][0]) == ["rule", "severity", "message", "conflicts", "citations", "acceptable"]
    assert payload["problems"][0]["conflicts"][0]["code"] == "620522100000"


def test_the_command_succeeds_for_a_passing_name_and_takes_renaming(gazetteer):
    payload = run_command("--name", "永清镇", "--kind", "township", "--division", "620521100", "--renaming", "620521100000")
    assert payload == {"ok": True, "problems": []}


def test_the_api_checks_json_and_form_bodies_for_staff(client, gazetteer, zoning_officer):
    client.force_login(zoning_officer)
    body = {"name": "兴国镇", "kind": "township", "division": "620521100"}
    by_json = client.post("/api/placenames/check", json.dumps(body), content_type="application/json")
    by_form = client.post("/api/placenames/check", body)
    assert by_json.status_code == by_form.status_code == 200
    assert by_json.json() == by_form.json()
    assert by_json.json()["ok"] is False


def test_the_api_answers_bad_input_with_400(client, gazetteer, zoning_officer):
    client.force_login(zoning_officer)
    assert client.post("/api/placenames/check", {"name": "x", "kind": "road", "division": "620521"}).status_code == 400
    assert client.post("/api/placenames/check", {"name": "x"}).status_code == 400
    assert client.post("/api/placenames/check", "[1]", content_type="application/json").status_code == 400


def test_the_check_api_needs_a_login(client, gazetteer):
    response = client.post("/api/placenames/check", {"name": "永清路", "kind": "street", "division": "620521"})
    assert response.status_code == 401
