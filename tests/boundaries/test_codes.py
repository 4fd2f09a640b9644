"""Level, kind and parent from division codes (DOMAIN.md §2 segment ranges)."""

import pytest

from boundaries.codes import Kind, Level, kind_mismatch, kind_of, level_of, parent_code


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("620000000000", Level.PROVINCE),
        ("620500000000", Level.PREFECTURE),
        ("620521000000", Level.COUNTY),
        ("620521100000", Level.TOWNSHIP),
        ("620521100201", Level.VILLAGE),
    ],
)
def test_level_is_the_deepest_non_zero_segment(code, level):
    assert level_of(code) == level


@pytest.mark.parametrize(
    ("code", "name", "kind"),
    [
        ("620502001000", "大城街道", Kind.SUBDISTRICT),
        ("620521100000", "永清镇", Kind.TOWN),
        ("620521206000", "贾川乡", Kind.TOWNSHIP),
        ("620525201000", "某某回族乡", Kind.TOWNSHIP),
        ("620525210000", "恭门民族乡", Kind.ETHNIC_TOWNSHIP),
        ("150000201000", "某苏木", Kind.SUMU),
        ("620521400000", "清水县科技养殖示范园区", Kind.TOWNSHIP_LIKE),
        ("620521100001", "城关社区居委会", Kind.RESIDENTS_COMMITTEE),
        ("620521100201", "某村委会", Kind.VILLAGE_COMMITTEE),
        ("620521100401", "某农场", Kind.VILLAGE_LIKE),
        ("620521000000", "清水县", Kind.COUNTY),
        ("620525000000", "张家川回族自治县", Kind.AUTONOMOUS_COUNTY),
        ("620502000000", "秦州区", Kind.DISTRICT),
        ("370982000000", "新泰市", Kind.COUNTY_CITY),
        ("620500000000", "天水市", Kind.PREFECTURE_CITY),
        ("640000000000", "宁夏回族自治区", Kind.AUTONOMOUS_REGION),
        ("620000000000", "甘肃省", Kind.PROVINCE),
    ],
)
def test_kind_follows_code_ranges_and_name_suffixes(code, name, kind):
    assert kind_of(code, name) == kind


def test_parent_code_walks_one_level_up():
    assert parent_code("620521100201") == "620521100000"
    assert parent_code("620521100000") == "620521000000"
    assert parent_code("620521000000") == "620500000000"
    assert parent_code("620500000000") == "620000000000"
    assert parent_code("620000000000") is None


@pytest.mark.parametrize(
    ("code", "name", "fits"),
    [
        ("620521100201", "某村民委员会", True),
        ("620521100001", "某村民委员会", False),  # a 村委会 needs 200-399
        ("211381111001", "翟家营社区村民委员会", True),  # a community (real: the 2023 list)
        ("340122100035", "赵岗社区村委会", True),
        ("370921001201", "泥家村社区居民委员会", True),  # 村改居: keeps its 2xx code (real)
        ("620521200000", "某镇", False),  # a 镇 needs 100-199
    ],
)
def test_the_name_fixes_the_code_range_except_where_real_data_shows_otherwise(code, name, fits):
    assert (kind_mismatch(code, name) == "") is fits
