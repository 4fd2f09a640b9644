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
