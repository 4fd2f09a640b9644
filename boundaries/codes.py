"""Division codes (统计用区划代码): level and kind from the 12-digit code and the name.

Pure functions, no Django models. The code prefix is the hierarchy (DOMAIN.md §2):
2 digits province, 2 prefecture, 2 county (GB/T 2260), 3 township, 3 village.
Township segment 001-099 街道, 100-199 镇, 200-399 乡 (incl. 民族乡, 苏木), 400-599
township-like units (development zones, farms…); village segment 001-199 居委会,
200-399 村委会, 400-599 village-like units.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from geoapp.jurisdiction import SEGMENTS, code_prefix, normalise_code


class Level(models.TextChoices):
    PROVINCE = "province", _("省级")
    PREFECTURE = "prefecture", _("地级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡级")
    VILLAGE = "village", _("村级")


LEVEL_ORDER = [Level.PROVINCE, Level.PREFECTURE, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE]


class Kind(models.TextChoices):
    PROVINCE = "province", _("省")
    AUTONOMOUS_REGION = "autonomous_region", _("自治区")
    MUNICIPALITY = "municipality", _("直辖市")
    SAR = "sar", _("特别行政区")
    PREFECTURE_CITY = "prefecture_city", _("地级市")
    PREFECTURE = "prefecture", _("地区")
    AUTONOMOUS_PREFECTURE = "autonomous_prefecture", _("自治州")
    LEAGUE = "league", _("盟")
    DISTRICT = "district", _("市辖区")
    COUNTY = "county", _("县")
    COUNTY_CITY = "county_city", _("县级市")
    AUTONOMOUS_COUNTY = "autonomous_county", _("自治县")
    BANNER = "banner", _("旗")
    AUTONOMOUS_BANNER = "autonomous_banner", _("自治旗")
    FOREST_DISTRICT = "forest_district", _("林区")
    SPECIAL_DISTRICT = "special_district", _("特区")
    SUBDISTRICT = "subdistrict", _("街道")
    TOWN = "town", _("镇")
    TOWNSHIP = "township", _("乡")
    ETHNIC_TOWNSHIP = "ethnic_township", _("民族乡")
    SUMU = "sumu", _("苏木")
    TOWNSHIP_LIKE = "township_like", _("乡级单位（开发区、农场等）")
    RESIDENTS_COMMITTEE = "residents_committee", _("居委会")
    VILLAGE_COMMITTEE = "village_committee", _("村委会")
    VILLAGE_LIKE = "village_like", _("村级单位")


def level_of(code: str) -> Level:
    """The level a code denotes: the deepest non-zero segment (620521000000 → county)."""
    depth = 0
    end = 0
    code = normalise_code(code)
    for index, length in enumerate(SEGMENTS):
        if set(code[end : end + length]) != {"0"}:
            depth = index
        end += length
    return LEVEL_ORDER[depth]


def parent_code(code: str) -> str | None:
    """The code of the unit one level up (620521100000 → 620521000000), None for provinces."""
    prefix = code_prefix(code)
    if len(prefix) <= SEGMENTS[0]:
        return None
    cut = 0
    for length in SEGMENTS:
        if cut + length >= len(prefix):
            break
        cut += length
    return normalise_code(prefix[:cut]) if cut else None


# Name suffixes, longest first, for levels whose kind is not encoded in the code.
_SUFFIX_KINDS = {
    Level.PROVINCE: [("特别行政区", Kind.SAR), ("自治区", Kind.AUTONOMOUS_REGION), ("省", Kind.PROVINCE), ("市", Kind.MUNICIPALITY)],
    Level.PREFECTURE: [("自治州", Kind.AUTONOMOUS_PREFECTURE), ("地区", Kind.PREFECTURE), ("盟", Kind.LEAGUE), ("市", Kind.PREFECTURE_CITY)],
    Level.COUNTY: [
        ("自治县", Kind.AUTONOMOUS_COUNTY), ("自治旗", Kind.AUTONOMOUS_BANNER), ("林区", Kind.FOREST_DISTRICT),
        ("特区", Kind.SPECIAL_DISTRICT), ("区", Kind.DISTRICT), ("县", Kind.COUNTY), ("市", Kind.COUNTY_CITY),
        ("旗", Kind.BANNER),
    ],
}
_DEFAULT_KIND = {Level.PROVINCE: Kind.PROVINCE, Level.PREFECTURE: Kind.PREFECTURE_CITY, Level.COUNTY: Kind.COUNTY}


def kind_of(code: str, name: str) -> Kind:
    """Kind from the code's segment range (townships, villages) or the name's suffix (above)."""
    code = normalise_code(code)
    level = level_of(code)
    name = (name or "").strip()
    if level == Level.TOWNSHIP:
        seg = int(code[6:9])
        if seg < 100:
            return Kind.SUBDISTRICT
        if seg < 200:
            return Kind.TOWN
        if seg < 400:
            if name.endswith("民族乡"):
                return Kind.ETHNIC_TOWNSHIP
            if name.endswith("民族苏木") or name.endswith("苏木"):
                return Kind.SUMU
            return Kind.TOWNSHIP
        return Kind.TOWNSHIP_LIKE
    if level == Level.VILLAGE:
        seg = int(code[9:12])
        if seg < 200:
            return Kind.RESIDENTS_COMMITTEE
        if seg < 400:
            return Kind.VILLAGE_COMMITTEE
        return Kind.VILLAGE_LIKE
    for suffix, kind in _SUFFIX_KINDS[level]:
        if name.endswith(suffix):
            return kind
    return _DEFAULT_KIND[level]


# The generic part (通名) a name ends with fixes the segment range its code must use
# (DOMAIN.md §2: 001-099 街道, 100-199 镇, 200-399 乡; 001-199 居委会, 200-399 村委会).
# Longest suffix first; a name with none of these (开发区, 农场 …) is not constrained.
_GENERIC_RANGES = {
    Level.TOWNSHIP: [
        ("街道办事处", (1, 99), "街道"), ("街道", (1, 99), "街道"), ("民族乡", (200, 399), "乡"),
        ("苏木", (200, 399), "乡"), ("镇", (100, 199), "镇"), ("乡", (200, 399), "乡"),
    ],
    # Villages: only 村委会 names are held to 200-399. Communities converted from villages
    # (村改居) keep their 2xx code in the official list (e.g. 370921001201 泥家村社区居民委员会),
    # so a 居委会 name in 2xx is real data, not an error. The other way round, a 社区 whose
    # committee is still a 村民委员会 is a community (DOMAIN.md §2: 001-199 居委会 /
    # community): 198 units of the 2023 list, e.g. 211381111001 翟家营社区村民委员会.
    Level.VILLAGE: [
        ("社区村民委员会", None, ""), ("社区村委会", None, ""),
        ("居民委员会", None, ""), ("社区", None, ""), ("居委会", None, ""),
        ("村民委员会", (200, 399), "村委会"), ("村委会", (200, 399), "村委会"), ("村", (200, 399), "村委会"),
    ],
}
_SEGMENT_SLICE = {Level.TOWNSHIP: slice(6, 9), Level.VILLAGE: slice(9, 12)}


def generic_range(level: str, name: str) -> tuple[tuple[int, int], str] | None:
    """The segment range a division of ``level`` named ``name`` must have, and the kind
    it names (e.g. 丰望镇 → ((100, 199), "镇")); None when the name does not fix one."""
    for suffix, span, label in _GENERIC_RANGES.get(level, []):
        if (name or "").endswith(suffix):
            return (span, label) if span else None
    return None


def kind_mismatch(code: str, name: str) -> str:
    """Why the code's segment does not fit the kind the name states ('' when it fits).

    A 乡 renamed 丰望镇 is a 镇 and needs a 1xx code (DOMAIN.md §2), so the register and
    the change actions refuse the pair rather than store "丰望镇 · 乡"."""
    code = normalise_code(code)
    level = level_of(code)
    found = generic_range(level, name)
    if found is None or level not in _SEGMENT_SLICE:
        return ""
    (low, high), label = found
    segment = int(code[_SEGMENT_SLICE[level]])
    if low <= segment <= high or segment >= 400:  # 400-599: township-/village-like units, any name
        return ""
    return (f"“{name}”是{label}，其代码 {code} 的第 {_SEGMENT_SLICE[level].start + 1}-{_SEGMENT_SLICE[level].stop} 位"
            f"应在 {low:03d}-{high:03d} 之间（现为 {segment:03d}）")
