"""Policy norms for care facilities (DOMAIN.md §7), as data plus pure evaluation functions.

Each ``Rule`` names its source document, the unit it is checked for (township, county
or one home), its parameters and, for a local document, the regions it applies in
(division-code prefixes; empty = national). A rule from the stored law carries a
``citation`` (``geoapp.law``) whose words the pages show. A region may override
parameters, or switch a regional rule on elsewhere, through
``settings.CIVATLAS_FACILITY_NORMS``, a dict keyed by a division-code prefix (the
longest matching prefix wins)::

    CIVATLAS_FACILITY_NORMS = {"62": {"nursing_bed_share_county": {"min_share": 0.6}},
                               "6205": {"care_staff_ratio": {}}}   # 中卫市's ratios in 天水市 too

The rules:

* ``child_protection_station`` — every 乡、镇 and 街道 has a child-protection work station
  **or** designated staff (未成年人保护法第八十一条第二款); units 400-599 are not 乡镇 or
  街道 and are not checked.
* ``county_disabled_care_home`` — at least one county-level home focused on 失能/半失能
  特困 residents per county: 泰安市民政局 泰民〔2021〕17号 (a local document: 泰安市).
* ``nursing_bed_share_county`` — nursing-type beds ≥ 55% of all beds of the county's
  homes, a national aggregate target for 2025 (国发〔2021〕35号), so per county, not per home.
* ``care_staff_ratio`` — all staff (工作人员) : residents at least 1:3 失能, 1:6 半失能,
  1:10 自理 in 特困供养 institutions (敬老院): 中卫市民政局 卫民发〔2019〕21号 (local: 中卫市).

Staff ratio (decision, docs/adr/0006): the required staff of a home is the exact sum
失能/3 + 半失能/6 + 自理/10, rounded **up once** (``ceil`` of the sum, with exact fractions).
Rounding each group up separately would demand up to two extra people per home for
fractions no one is split into; rounding the sum down would let a home fall short.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from fractions import Fraction
from types import MappingProxyType

from geoapp.jurisdiction import is_within
from geoapp.law import cite


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    source: str
    unit_level: str  # "township", "county" or "facility"
    measure: str  # what ``required`` and ``actual`` count
    params: Mapping = field(default_factory=lambda: MappingProxyType({}))
    regions: tuple[str, ...] = ()  # division-code prefixes a local norm applies in; () = national
    citation: object = None  # a geoapp.law.Citation for rules from the stored law

    @property
    def scope_note(self) -> str:
        return "地方规范" if self.regions else "全国规范"


@dataclass(frozen=True)
class Unit:
    """A division a rule is checked for (``kind``: its Division kind, e.g. ``town``;
    ``designated_staff``: people designated for child protection, 指定专门人员)."""

    code: str
    name: str
    kind: str = ""
    designated_staff: int = 0


@dataclass(frozen=True)
class FacilityFacts:
    """What the norms need to know about one facility (no Django objects)."""

    id: int
    name: str
    kind: str
    status: str
    division_code: str
    beds: int = 0
    nursing_beds: int = 0
    residents_self_care: int = 0
    residents_semi: int = 0
    residents_disabled: int = 0
    care_staff: int = 0
    staff_total: int = 0
    county_level: bool = False
    disabled_focus: bool = False

    @property
    def operating(self) -> bool:
        return self.status == "operating"


@dataclass(frozen=True)
class NormResult:
    rule_id: str
    title: str
    source: str
    unit_code: str
    unit_name: str
    measure: str
    required: float
    actual: float
    ok: bool
    shortfall: float = 0
    facility_id: int | None = None
    clause: str = ""  # the cited clause's own words, when the rule comes from the stored law
    note: str = ""

    def as_dict(self) -> dict:
        # Every field is a scalar: no deep copy (dataclasses.asdict took ~40 % of a
        # province's gap analysis, 1,400 townships × several rules).
        return {f.name: getattr(self, f.name) for f in fields(self)}


HOME_KINDS = ("care_home", "nursing_home", "elderly_service_center")
# 乡、镇、街道 (第八十一条第二款 names 乡镇人民政府和街道办事处); not the 400-599 units.
TOWNSHIP_GOVERNMENT_KINDS = ("subdistrict", "town", "township", "ethnic_township", "sumu")

RULES: tuple[Rule, ...] = (
    Rule(
        id="child_protection_station",
        title="每个乡镇（街道）设立未成年人保护工作站或者指定专门人员",
        source="《中华人民共和国未成年人保护法》第八十一条第二款",
        unit_level="township",
        measure="个（工作站或指定专门人员）",
        params=MappingProxyType({"min_stations": 1, "kinds": ("child_protection_station",)}),
        citation=cite("wcnr:81:2", "乡镇人民政府和街道办事处应当设立未成年人保护工作站或者指定专门人员"),
    ),
    Rule(
        id="county_disabled_care_home",
        title="每个县至少一所以失能、半失能特困人员为主的县级供养服务机构",
        source="泰安市民政局 泰民〔2021〕17号（地方规范，适用于泰安市）",
        unit_level="county",
        measure="所",
        params=MappingProxyType({"min_homes": 1, "kinds": ("care_home", "nursing_home")}),
        regions=("3709",),
    ),
    Rule(
        id="nursing_bed_share_county",
        title="全县养老机构护理型床位占比不低于55%（2025年目标，按全县合计）",
        source="《“十四五”国家老龄事业发展和养老服务体系规划》（国发〔2021〕35号）：2025年养老机构护理型床位占比55%",
        unit_level="county",
        measure="张",
        params=MappingProxyType({"min_share": 0.55, "kinds": HOME_KINDS}),
    ),
    Rule(
        id="care_staff_ratio",
        title="特困供养服务机构工作人员与失能、半失能、自理特困人员之比不低于1:3、1:6、1:10",
        source="中卫市民政局 卫民发〔2019〕21号（地方规范，适用于中卫市特困供养服务机构，计全部工作人员）",
        unit_level="facility",
        measure="人",
        params=MappingProxyType({"per_disabled": 3, "per_semi": 6, "per_self_care": 10, "kinds": ("care_home",)}),
        regions=("6405",),
    ),
)


def rules_for(code: str, overrides: Mapping[str, Mapping[str, Mapping]] | None = None) -> dict[str, Rule]:
    """The rules in force for division ``code``: national ones, the local ones of its
    region, any a matching override names, with the longest-prefix parameters."""
    if overrides is None:
        from django.conf import settings

        overrides = getattr(settings, "CIVATLAS_FACILITY_NORMS", {})
    matching = sorted((prefix for prefix in overrides if code.startswith(prefix)), key=len)
    named = {rule_id for prefix in matching for rule_id in overrides[prefix]}
    known = {rule.id: rule for rule in RULES}
    rules = {
        rule.id: rule for rule in RULES
        if not rule.regions or code.startswith(rule.regions) or rule.id in named
    }
    for prefix in matching:
        for rule_id, params in overrides[prefix].items():
            if rule_id not in known:
                raise KeyError(f"未知规范 {rule_id}（{prefix} 的地方设置）")
            rule = rules[rule_id]
            rules[rule_id] = replace(rule, params=MappingProxyType({**rule.params, **params}))
    return rules


def _inside(facilities: Iterable[FacilityFacts], unit: Unit) -> list[FacilityFacts]:
    return [f for f in facilities if is_within(f.division_code, unit.code)]


def _result(rule: Rule, unit: Unit, required, actual, *, facility_id=None, note="") -> NormResult:
    return NormResult(
        rule_id=rule.id, title=rule.title, source=rule.source, unit_code=unit.code, unit_name=unit.name,
        measure=rule.measure, required=required, actual=actual, ok=actual >= required,
        shortfall=max(0, required - actual), facility_id=facility_id,
        clause=rule.citation.text if rule.citation else "", note=note,
    )


def check_child_protection_station(rule: Rule, township: Unit, facilities: Iterable[FacilityFacts]) -> NormResult:
    """A station **or** designated staff (第八十一条第二款: 设立未成年人保护工作站或者指定专门人员):
    operating stations inside the township plus 1 when staff are designated ≥ ``min_stations``."""
    kinds = rule.params["kinds"]
    stations = sum(1 for f in _inside(facilities, township) if f.operating and f.kind in kinds)
    designated = 1 if township.designated_staff else 0
    note = f"已指定专门人员 {township.designated_staff} 名" if designated else ""
    return _result(rule, township, rule.params["min_stations"], stations + designated, note=note)


def applies_to_township(township: Unit) -> bool:
    """乡、镇、街道 only (a unit of unknown kind is checked)."""
    return not township.kind or township.kind in TOWNSHIP_GOVERNMENT_KINDS


def check_county_disabled_care_home(rule: Rule, county: Unit, facilities: Iterable[FacilityFacts]) -> NormResult:
    """Operating county-level homes focused on disabled residents inside the county."""
    kinds = rule.params["kinds"]
    actual = sum(
        1
        for f in _inside(facilities, county)
        if f.operating and f.kind in kinds and f.county_level and f.disabled_focus
    )
    return _result(rule, county, rule.params["min_homes"], actual)


def check_nursing_bed_share_county(rule: Rule, county: Unit, facilities: Iterable[FacilityFacts]) -> NormResult:
    """Nursing-type beds of all operating homes in the county ≥ ``min_share`` of their beds."""
    homes = [f for f in _inside(facilities, county) if f.operating and f.kind in rule.params["kinds"]]
    beds = sum(f.beds for f in homes)
    required = math.ceil(Fraction(str(rule.params["min_share"])) * beds)
    return _result(rule, county, required, sum(f.nursing_beds for f in homes))


def required_care_staff(rule: Rule, home: FacilityFacts) -> int:
    """Carers required: ceil(失能/3 + 半失能/6 + 自理/10), computed exactly (module docstring)."""
    p = rule.params
    exact = (
        Fraction(home.residents_disabled, p["per_disabled"])
        + Fraction(home.residents_semi, p["per_semi"])
        + Fraction(home.residents_self_care, p["per_self_care"])
    )
    return math.ceil(exact)


def check_care_staff_ratio(rule: Rule, unit: Unit, home: FacilityFacts) -> NormResult:
    """All staff (工作人员) of one home against ``required_care_staff``; shortfall in people."""
    return _result(rule, unit, required_care_staff(rule, home), home.staff_total, facility_id=home.id)


def evaluate_township(township: Unit, facilities: list[FacilityFacts], rules: Mapping[str, Rule]) -> list[NormResult]:
    """Township rules plus the per-home rules of the operating homes located in it."""
    results = []
    if "child_protection_station" in rules and applies_to_township(township):
        results.append(check_child_protection_station(rules["child_protection_station"], township, facilities))
    staff_rule = rules.get("care_staff_ratio")
    for home in _inside(facilities, township):
        if staff_rule is None or not home.operating or home.kind not in staff_rule.params["kinds"]:
            continue
        unit = Unit(township.code, f"{township.name}·{home.name}")
        results.append(check_care_staff_ratio(staff_rule, unit, home))
    return results


def evaluate_county(county: Unit, facilities: list[FacilityFacts], rules: Mapping[str, Rule]) -> list[NormResult]:
    results = []
    if "county_disabled_care_home" in rules:
        results.append(check_county_disabled_care_home(rules["county_disabled_care_home"], county, facilities))
    if "nursing_bed_share_county" in rules:
        results.append(check_nursing_bed_share_county(rules["nursing_bed_share_county"], county, facilities))
    return results
