"""Each norm on constructed cases (pure functions, no database)."""

from __future__ import annotations

import pytest

from facilities import norms

TOWNSHIP = norms.Unit("620521100000", "永清镇", "town")
OTHER_TOWNSHIP = norms.Unit("620521101000", "红堡镇", "town")
COUNTY = norms.Unit("620521000000", "清水县")
# Every rule, the local ones switched on for 清水县 as a region may do through settings.
RULES = norms.rules_for("620521000000", overrides={"6205": {"care_staff_ratio": {}, "county_disabled_care_home": {}}})


def facts(kind="care_home", status="operating", code="620521100000", **kwargs):
    return norms.FacilityFacts(id=kwargs.pop("id", 1), name=kwargs.pop("name", "测试"), kind=kind, status=status,
                               division_code=code, **kwargs)


def test_a_township_without_a_station_or_designated_staff_fails_with_a_shortfall_of_one():
    result = norms.check_child_protection_station(RULES["child_protection_station"], TOWNSHIP, [])
    assert (result.required, result.actual, result.ok, result.shortfall) == (1, 0, False, 1)
    assert "第八十一条第二款" in result.source and "或者指定专门人员" in result.clause
    assert (result.unit_code, result.unit_name) == ("620521100000", "永清镇")


def test_designated_staff_meet_the_child_protection_norm_without_a_station():
    with_staff = norms.Unit("620521100000", "永清镇", "town", designated_staff=1)
    result = norms.check_child_protection_station(RULES["child_protection_station"], with_staff, [])
    assert result.ok and result.actual == 1 and "指定专门人员" in result.note


def test_the_child_protection_norm_is_for_townships_towns_and_subdistricts_only():
    farm = norms.Unit("620521400000", "某农场", "township_like")
    assert norms.evaluate_township(farm, [], RULES) == []
    subdistrict = norms.Unit("620502001000", "某街道", "subdistrict")
    assert [r.rule_id for r in norms.evaluate_township(subdistrict, [], RULES)] == ["child_protection_station"]


def test_a_planned_station_or_one_in_another_township_does_not_count():
    stations = [
        facts("child_protection_station", status="planned"),
        facts("child_protection_station", code="620521101000"),
        facts("social_work_station"),
    ]
    result = norms.check_child_protection_station(RULES["child_protection_station"], TOWNSHIP, stations)
    assert not result.ok and result.actual == 0


def test_an_operating_station_in_a_village_of_the_township_satisfies_the_rule():
    result = norms.check_child_protection_station(
        RULES["child_protection_station"], TOWNSHIP, [facts("child_protection_station", code="620521100201")]
    )
    assert result.ok and result.actual == 1


def test_the_county_needs_an_operating_county_level_home_focused_on_disabled_residents():
    rule = RULES["county_disabled_care_home"]
    not_enough = [
        facts(county_level=True, disabled_focus=False),
        facts(county_level=False, disabled_focus=True),
        facts(county_level=True, disabled_focus=True, status="closed"),
        facts(county_level=True, disabled_focus=True, code="620522100000"),
    ]
    assert not norms.check_county_disabled_care_home(rule, COUNTY, not_enough).ok
    enough = [*not_enough, facts(kind="nursing_home", county_level=True, disabled_focus=True)]
    result = norms.check_county_disabled_care_home(rule, COUNTY, enough)
    assert result.ok and result.actual == 1


def test_nursing_beds_are_checked_per_county_not_per_home():
    homes = [facts(beds=100, nursing_beds=10)]  # one home far below 55%, alone in the county
    township_results = norms.evaluate_township(TOWNSHIP, homes, RULES)
    assert "nursing_bed_share_home" not in {r.rule_id for r in township_results}
    assert not norms.check_nursing_bed_share_county(RULES["nursing_bed_share_county"], COUNTY, homes).ok


def test_the_county_bed_share_pools_operating_homes_only():
    homes = [
        facts(beds=100, nursing_beds=80),
        facts(beds=100, nursing_beds=20, code="620521101000"),
        facts(beds=500, nursing_beds=0, status="closed"),
        facts(kind="happiness_home", beds=10, nursing_beds=0),
    ]
    result = norms.check_nursing_bed_share_county(RULES["nursing_bed_share_county"], COUNTY, homes)
    assert (result.required, result.actual, result.ok) == (110, 100, False)
    assert result.shortfall == 10


@pytest.mark.parametrize(
    ("disabled", "semi", "self_care", "required"),
    [(3, 6, 10, 3), (1, 1, 1, 1), (0, 0, 0, 0), (4, 0, 0, 2), (30, 12, 25, 15)],
)
def test_required_care_staff_is_the_exact_sum_rounded_up_once(disabled, semi, self_care, required):
    home = facts(residents_disabled=disabled, residents_semi=semi, residents_self_care=self_care)
    assert norms.required_care_staff(RULES["care_staff_ratio"], home) == required


def test_a_staff_shortfall_is_reported_in_people_counting_all_staff():
    home = facts(residents_disabled=9, residents_semi=6, residents_self_care=20, care_staff=3, staff_total=4)
    result = norms.check_care_staff_ratio(RULES["care_staff_ratio"], TOWNSHIP, home)
    assert (result.required, result.actual, result.ok, result.shortfall, result.measure) == (6, 4, False, 2, "人")


def test_local_norms_apply_in_their_region_only_unless_a_setting_names_them():
    zhongwei, taian, qingshui = "640502000000", "370902000000", "620521000000"
    assert "care_staff_ratio" in norms.rules_for(zhongwei, {})
    assert "care_staff_ratio" not in norms.rules_for(qingshui, {})
    assert "county_disabled_care_home" in norms.rules_for(taian, {})
    assert "county_disabled_care_home" not in norms.rules_for(zhongwei, {})
    assert "卫民发〔2019〕21号" in norms.rules_for(zhongwei, {})["care_staff_ratio"].source
    assert "泰民〔2021〕17号" in norms.rules_for(taian, {})["county_disabled_care_home"].source


def test_staff_ratios_apply_to_care_homes_for_people_in_extreme_poverty_only():
    nursing_home = facts(kind="nursing_home", residents_disabled=30, staff_total=1)
    assert norms.evaluate_township(TOWNSHIP, [nursing_home], RULES)[1:] == []


def test_no_rule_source_reads_as_unverified_or_names_a_file():
    for rule in norms.RULES:
        assert "待核实" not in rule.source and ".md" not in rule.source and "DOMAIN" not in rule.source


def test_a_region_override_changes_parameters_for_its_codes_only():
    overrides = {"62": {"nursing_bed_share_county": {"min_share": 0.6}},
                 "6205": {"nursing_bed_share_county": {"min_share": 0.7}}}
    assert norms.rules_for("620521000000", overrides)["nursing_bed_share_county"].params["min_share"] == 0.7
    assert norms.rules_for("620100000000", overrides)["nursing_bed_share_county"].params["min_share"] == 0.6
    assert norms.rules_for("640502000000", overrides)["nursing_bed_share_county"].params["min_share"] == 0.55
    assert norms.RULES[2].params["min_share"] == 0.55


def test_an_override_naming_an_unknown_rule_is_refused():
    with pytest.raises(KeyError):
        norms.rules_for("620521000000", {"62": {"no_such_rule": {}}})


def test_a_township_evaluation_checks_the_station_and_each_operating_home():
    homes = [facts(id=7, beds=50, nursing_beds=10, residents_disabled=30, staff_total=2), facts(kind="happiness_home")]
    results = norms.evaluate_township(TOWNSHIP, homes, RULES)
    assert [r.rule_id for r in results] == ["child_protection_station", "care_staff_ratio"]
    assert all(r.facility_id == 7 for r in results[1:])
    assert not any(r.ok for r in results)
    assert norms.evaluate_township(OTHER_TOWNSHIP, homes, RULES)[0].actual == 0
