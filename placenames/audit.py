"""Quality audit of the gazetteer (国家地名信息库数据质量建设).

``audit_placenames(division_code=None)`` looks at every standard name inside the
division (all of them without one) and reports, per name:

* ``romanization_missing`` / ``romanization_differs``: empty, or not what the
  romanization engine writes today for the name and its class;
* ``reading_review``: characters whose place-name reading a person must confirm (not
  once zoning staff confirmed the reading: a confirmed reading wins over the engine);
* ``rare_character``: characters outside the common-character table (``charset``);
* ``outside_division``: a geometry not inside its division's polygon (villages have
  only a seat point, so their township's polygon is used);
* ``duplicate`` / ``homophone``: another name of the same kind within the 2022 scope
  (``checks.SCOPES``: 乡/镇 only, committee seats, notable residential names) written the
  same (error) or read the same without tones (warning: 同音 as docs/adr/0016 defines it);
* ``missing_meaning`` / ``missing_origin``: the 含义 and 来历 the national database asks for;
* ``invalid_code``: a code that is not a 12-digit division code inside the name's division.

Counts per county and a CSV with a link to fix each name come with the report.
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.gis.db.models import MultiPolygonField
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from geoapp import csvsafe
from geoapp.gis import CGCS2000
from geoapp.jurisdiction import code_prefix, normalise_code
from placenames import charset
from placenames.checks import SCOPES, comparison_form, township_kinds
from placenames.indexing import name_keys
from placenames.models import Category, PlaceName
from placenames.romanization import romanize

RULES = {
    "romanization_missing": ("error", "缺少罗马字母拼写"),
    "romanization_differs": ("warning", "罗马字母拼写与拼写规则引擎结果不一致"),
    "reading_review": ("warning", "含多音字或无读音字，须人工核定读音"),
    "rare_character": ("warning", "含生僻字"),
    "outside_division": ("error", "位置不在所属行政区划范围内"),
    "duplicate": ("error", "在规定范围内重名"),
    "homophone": ("warning", "在规定范围内同音（无调拼音相同）"),
    "missing_meaning": ("warning", "缺少地名含义"),
    "missing_origin": ("warning", "缺少地名来历"),
    "invalid_code": ("error", "地名代码无效"),
}
CSV_COLUMNS = ("id", "standard_name", "category", "division_code", "division", "county_code", "rule", "severity", "message", "detail")
_CODE = re.compile(r"^[0-9]{12}$")


@dataclass
class AuditIssue:
    place_id: int
    standard_name: str
    category: str
    division_code: str
    division: str
    rule: str
    detail: str = ""

    @property
    def severity(self) -> str:
        return RULES[self.rule][0]

    @property
    def message(self) -> str:
        return RULES[self.rule][1]

    @property
    def county_code(self) -> str:
        return self.division_code[:6]


@dataclass
class AuditReport:
    scope: str
    names: int = 0
    issues: list[AuditIssue] = field(default_factory=list)

    def counts(self) -> dict[str, Counter]:
        """Issues per county code (6 digits) and rule."""
        table: dict[str, Counter] = defaultdict(Counter)
        for issue in self.issues:
            table[issue.county_code][issue.rule] += 1
        return dict(sorted(table.items()))

    def totals(self) -> Counter:
        return Counter(issue.rule for issue in self.issues)

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csvsafe.writer(out)
        writer.writerow(CSV_COLUMNS)
        for i in self.issues:
            writer.writerow([i.place_id, i.standard_name, i.category, i.division_code, i.division, i.county_code,
                             i.rule, i.severity, i.message, i.detail])
        return out.getvalue()


# Which naming-law scope a stored name belongs to, from its class and division level.
def _kind_of(place) -> str | None:
    """The scope of 第九条第一款第（七）、（八）项 a stored name belongs to, if any."""
    category, division = place.category, place.division
    level = division.level if division else None
    if category == Category.DIVISION:
        if level == "township":
            return "township" if division.kind in township_kinds() else None
        return {"county": "county", "prefecture": "county", "province": "county"}.get(level or "")
    if category == Category.COMMITTEE:
        return "village" if not division or division.kind != "village_like" else None
    if category == Category.TRANSPORT:
        return "street"
    if category in (Category.BUILDING, Category.SETTLEMENT) and place.geo_significant:
        return "residential"
    if category in (Category.WATER, Category.TERRAIN, Category.SEA):
        return "natural"
    return None


def audit_placenames(*, division_code: str | None = None) -> AuditReport:
    prefix = code_prefix(normalise_code(division_code)) if division_code else ""
    names = PlaceName.objects.standard().under(prefix).select_related("division").order_by("division__code", "id")
    report = AuditReport(scope=prefix or "全部")
    outside = set(_outside_ids(names))
    places = list(names)
    report.names = len(places)
    for place in places:
        report.issues += _place_issues(place, outside)
    report.issues += _scope_issues(places, prefix)
    report.issues.sort(key=lambda i: (i.division_code, i.standard_name, i.rule))
    return report


def _issue(place, rule: str, detail: str = "") -> AuditIssue:
    division = place.division
    return AuditIssue(place.pk, place.standard_name, place.category, division.code if division else "",
                      division.name if division else "", rule, detail)


def _place_issues(place, outside: set[int]) -> list[AuditIssue]:
    issues = []
    region = place.division.code if place.division else None
    try:
        engine = romanize(place.standard_name, category=place.category, region=region)
    except ValueError:
        engine = None
    if not place.romanization:
        issues.append(_issue(place, "romanization_missing"))
    elif engine is not None and engine.romanization != place.romanization and not place.reading_confirmed:
        issues.append(_issue(place, "romanization_differs", f"现为 {place.romanization}，规则引擎为 {engine.romanization}"))
    if engine is not None and engine.review and not place.reading_confirmed:
        issues.append(_issue(place, "reading_review", "；".join(r.reason for r in engine.review)))
    if rare := charset.rare_characters(place.standard_name):
        issues.append(_issue(place, "rare_character", "、".join(rare)))
    if place.pk in outside:
        issues.append(_issue(place, "outside_division"))
    if not place.meaning.strip():
        issues.append(_issue(place, "missing_meaning"))
    if not place.origin.strip():
        issues.append(_issue(place, "missing_origin"))
    if place.code and (
        not _CODE.match(place.code) or (place.division and not place.code.startswith(code_prefix(place.division.code)))
    ):
        issues.append(_issue(place, "invalid_code", place.code))
    return issues


def _outside_ids(names) -> list[int]:
    """Names whose geometry is not covered by their division's polygon (or, for a
    division without one, such as a village with only a seat, its nearest ancestor's)."""
    area = Coalesce(
        "division__geom", "division__parent__geom", "division__parent__parent__geom",
        output_field=MultiPolygonField(srid=CGCS2000),
    )
    return list(
        names.filter(geom__isnull=False).annotate(area=area).filter(area__isnull=False)
        .exclude(area__covers=F("geom")).values_list("id", flat=True)
    )


def _scope_issues(places: list[PlaceName], prefix: str) -> list[AuditIssue]:
    """Duplicates and homophones: the audited names against every name of their scope."""
    audited = {p.pk for p in places}
    groups: dict[tuple, list[PlaceName]] = defaultdict(list)
    kinds = {p.pk: _kind_of(p) for p in places}
    scope_prefixes = {
        (p.division.code[: SCOPES[kinds[p.pk]].digits] if p.division else "") for p in places if kinds[p.pk]
    }
    # Names outside the audited division that share a scope with it (a township is
    # compared with the whole province).
    pool = {p.pk: p for p in places}
    wider = [s for s in scope_prefixes if not s.startswith(prefix) or len(s) < len(prefix)]
    if wider:
        query = Q()
        for s in wider:
            query |= Q(division__code__startswith=s)
        for p in PlaceName.objects.standard().filter(query).select_related("division"):
            pool.setdefault(p.pk, p)
            kinds.setdefault(p.pk, _kind_of(p))
    for place in pool.values():
        kind = kinds.get(place.pk)
        if kind is None or place.division is None:
            continue
        keys = name_keys(comparison_form(place.standard_name, kind))
        if not keys.pinyin:
            continue
        scope_key = (kind, place.division.code[: SCOPES[kind].digits])
        groups[(*scope_key, "pinyin", keys.pinyin)].append(place)
    issues = []
    for (kind, _scope, _how, _key), members in groups.items():
        if len(members) < 2:
            continue
        for place in members:
            if place.pk not in audited:
                continue
            others = [m for m in members if m.pk != place.pk]
            mine = comparison_form(place.standard_name, kind)
            same = [m for m in others if comparison_form(m.standard_name, kind) == mine]
            sounds = [m for m in others if m not in same]
            if same:
                issues.append(_issue(place, "duplicate", _names(same)))
            if sounds:
                mine_tones = name_keys(mine).tones
                same_tones = [m for m in sounds if name_keys(comparison_form(m.standard_name, kind)).tones == mine_tones]
                note = "（声调也相同）" if len(same_tones) == len(sounds) else ("（部分声调也相同）" if same_tones else "（声调不同）")
                issues.append(_issue(place, "homophone", _names(sounds) + note))
    return issues


def _names(places: list[PlaceName], limit: int = 5) -> str:
    shown = "、".join(f"{p.standard_name}（{p.code or p.pk}）" for p in places[:limit])
    return shown + (f" 等 {len(places)} 个" if len(places) > limit else "")
