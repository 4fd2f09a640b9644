"""Policy norms for care facilities (DOMAIN.md §7), as data plus pure evaluation functions.

Each ``Rule`` names its source document, the unit it is checked for (township, county
or one home) and its parameters. ``RULES`` holds the national defaults; a region may
override parameters through ``settings.CIVATLAS_FACILITY_NORMS``, a dict keyed by a
division-code prefix (the longest matching prefix wins)::

    CIVATLAS_FACILITY_NORMS = {"62": {"nursing_bed_share_county": {"min_share": 0.6}}}

Evaluation works on plain ``FacilityFacts`` and ``Unit`` values, so it is tested without
a database; ``facilities.gaps`` turns model rows into these facts.

Staff ratio (decision, docs/adr/0006): the required care staff of a home is the exact sum
失能/3 + 半失能/6 + 自理/10, rounded **up once** (``ceil`` of the sum, with exact fractions).
Rounding each group up separately would demand up to two extra carers per home for
fractions no carer is split into; rounding the sum down would let a home fall short.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from fractions import Fraction
from types import MappingProxyType

from geoapp.jurisdiction import is_within


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    source: str
    unit_level: str  # "township", "county" or "facility"
    measure: str  # what ``required`` and ``actual`` count
    params: Mapping = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Unit:
    """A division a rule is checked for."""

    code: str
    name: str


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

    def as_dict(self) -> dict:
        return asdict(self)


HOME_KINDS = ("care_home", "nursing_home", "elderly_service_center")

RULES: tuple[Rule, ...] = (
    Rule(
        id="child_protection_station",
        title="每个乡镇（街道）至少一个运营中的未成年人保护工作站",
        source="《中华人民共和国未成年人保护法》第八十一条",
        unit_level="township",
        measure="个",
        params=MappingProxyType({"min_stations": 1, "kinds": ("child_protection_station",)}),
    ),
    Rule(
        id="county_disabled_care_home",
        title="每个县至少一所以失能、半失能特困人员为主的县级供养服务机构",
        source="民政部特困人员供养服务设施建设改造要求：2022年底前每县至少1所（文号待核实，DOMAIN.md §7）",
        unit_level="county",
        measure="所",
        params=MappingProxyType({"min_homes": 1, "kinds": ("care_home", "nursing_home")}),
    ),
    Rule(
        id="nursing_bed_share_home",
        title="养老机构护理型床位占比不低于55%",
        source="《“十四五”国家老龄事业发展和养老服务体系规划》（国发〔2021〕35号）：2025年护理型床位占比55%",
        unit_level="facility",
        measure="张",
        params=MappingProxyType({"min_share": 0.55, "kinds": HOME_KINDS}),
    ),
    Rule(
        id="nursing_bed_share_county",
        title="全县养老机构护理型床位占比不低于55%",
        source="《“十四五”国家老龄事业发展和养老服务体系规划》（国发〔2021〕35号）",
        unit_level="county",
        measure="张",
        params=MappingProxyType({"min_share": 0.55, "kinds": HOME_KINDS}),
    ),
    Rule(
        id="care_staff_ratio",
        title="护理人员与失能、半失能、自理老人之比不低于1:3、1:6、1:10",
        source="《特困人员供养服务设施（敬老院）管理办法》护理人员配比要求（条款待核实，DOMAIN.md §7）",
        unit_level="facility",
        measure="人",
        params=MappingProxyType({"per_disabled": 3, "per_semi": 6, "per_self_care": 10, "kinds": HOME_KINDS}),
    ),
)


def rules_for(code: str, overrides: Mapping[str, Mapping[str, Mapping]] | None = None) -> dict[str, Rule]:
    """The rules in force for division ``code``: defaults, then the longest-prefix override."""
    if overrides is None:
        from django.conf import settings

        overrides = getattr(settings, "CIVATLAS_FACILITY_NORMS", {})
    rules = {rule.id: rule for rule in RULES}
    matching = sorted((prefix for prefix in overrides if code.startswith(prefix)), key=len)
    for prefix in matching:
        for rule_id, params in overrides[prefix].items():
            if rule_id not in rules:
                raise KeyError(f"未知规范 {rule_id}（{prefix} 的地方设置）")
            rule = rules[rule_id]
            rules[rule_id] = replace(rule, params=MappingProxyType({**rule.params, **params}))
    return rules


def _inside(facilities: Iterable[FacilityFacts], unit: Unit) -> list[FacilityFacts]:
    return [f for f in facilities if is_within(f.division_code, unit.code)]


def _result(rule: Rule, unit: Unit, required, actual, *, facility_id=None) -> NormResult:
    return NormResult(
        rule_id=rule.id, title=rule.title, source=rule.source, unit_code=unit.code, unit_name=unit.name,
        measure=rule.measure, required=required, actual=actual, ok=actual >= required,
        shortfall=max(0, required - actual), facility_id=facility_id,
    )


def check_child_protection_station(rule: Rule, township: Unit, facilities: Iterable[FacilityFacts]) -> NormResult:
    """Operating child-protection stations inside the township ≥ ``min_stations``."""
    kinds = rule.params["kinds"]
    actual = sum(1 for f in _inside(facilities, township) if f.operating and f.kind in kinds)
    return _result(rule, township, rule.params["min_stations"], actual)


def check_county_disabled_care_home(rule: Rule, county: Unit, facilities: Iterable[FacilityFacts]) -> NormResult:
    """Operating county-level homes focused on disabled residents inside the county."""
    kinds = rule.params["kinds"]
    actual = sum(
        1
        for f in _inside(facilities, county)
        if f.operating and f.kind in kinds and f.county_level and f.disabled_focus
    )
    return _result(rule, county, rule.params["min_homes"], actual)


def check_nursing_bed_share_home(rule: Rule, unit: Unit, home: FacilityFacts) -> NormResult:
    """Nursing-type beds of one home ≥ ``min_share`` of its beds (required in beds, rounded up)."""
    required = math.ceil(Fraction(str(rule.params["min_share"])) * home.beds)
    return _result(rule, unit, required, home.nursing_beds, facility_id=home.id)


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
    """Care staff of one home against ``required_care_staff``; shortfall in people."""
    return _result(rule, unit, required_care_staff(rule, home), home.care_staff, facility_id=home.id)


def evaluate_township(township: Unit, facilities: list[FacilityFacts], rules: Mapping[str, Rule]) -> list[NormResult]:
    """Township rules plus the per-home rules of the operating homes located in it."""
    results = [check_child_protection_station(rules["child_protection_station"], township, facilities)]
    for home in _inside(facilities, township):
        if not home.operating or home.kind not in HOME_KINDS:
            continue
        unit = Unit(township.code, f"{township.name}·{home.name}")
        if home.kind in rules["nursing_bed_share_home"].params["kinds"] and home.beds:
            results.append(check_nursing_bed_share_home(rules["nursing_bed_share_home"], unit, home))
        if home.kind in rules["care_staff_ratio"].params["kinds"]:
            results.append(check_care_staff_ratio(rules["care_staff_ratio"], unit, home))
    return results


def evaluate_county(county: Unit, facilities: list[FacilityFacts], rules: Mapping[str, Rule]) -> list[NormResult]:
    return [
        check_county_disabled_care_home(rules["county_disabled_care_home"], county, facilities),
        check_nursing_bed_share_county(rules["nursing_bed_share_county"], county, facilities),
    ]
