"""Naming-law checks (地名命名审查) of a proposed name, per 《地名管理条例》(2022).

``check_name(name=…, kind=…, division_code=…, renaming=None)`` returns a
``CheckResult``: ``ok`` is False when any problem is an error. Each problem names its
rule, severity, a Chinese message, the clauses it rests on (``citations``: label and
the clause's own words from the stored law, ``geoapp.law``) and the conflicting names
with their full administrative path and code. The rules:

* Text rules (pure, ``text_problems``): 第九条第一款第（一）至（六）项 — national leaders'
  names, personal names (with the implementing measures' pen names, aliases and
  characters of literary works, 民政部令第71号第三条), foreign names, enterprise names and
  trademarks, unhealthy and grandiose words, rare characters, non-Chinese script, a
  generic that does not fit the kind — and 第（九）项 for division names: a specific that
  is a nationally famous natural feature or heritage site (``lists/famous_features.tsv``).
  Word lists are data in ``placenames/lists/``.
* Scope rules (``scope_problems``): 第（七）项 — county-level and above, the whole
  country; 第（八）项 — 乡 and 镇 names in the province, village and residents'
  committee seats in the county, streets in the built-up area (a recorded
  ``BuiltUpArea`` around the name, else the county, saying so), residential areas and
  buildings of important geographic significance in the built-up area. No broader:
  街道 and the 400-599 units meet township names only when
  ``PLACENAMES_TOWNSHIP_SCOPE_KINDS`` says so. Names are looked up in the gazetteer
  and, for division scopes, in the national reference list (``ReferenceDivision``).
  重名 ("不应重名") is an error that blocks approval; 同音 ("避免同音": the same toneless
  pinyin, docs/adr/0016) is a warning an officer may accept with a recorded reason;
  a reading that is only close (zh/z, n/l, -n/-ng) and duplicates among local natural
  features are warnings of ours, labelled as such.
* Protection (第十条第二款, 第二十五条): a name on the protection list is not renamed
  before protection measures are recorded.

Rules of ours (``too_long``, ``renaming_target``, ``near_homophone``,
``natural_local``) cite no law: their citation says "本系统数据质量规则".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

from geoapp.csvsafe import formula_problem
from geoapp.law import cite, own_rule
from placenames import charset, wordlists
from placenames.indexing import name_keys
from placenames.naming import clean_name
from placenames.referencekeys import COMMITTEE_SUFFIXES, SEAT_ENDINGS, compare_form, seat_core

__all__ = ["KINDS", "SCOPES", "CheckResult", "Problem", "check_name", "comparison_form", "seat_core"]

# Rule → the clauses it rests on, checked against the stored text at import.
_NINE = "dmgl:9:1:{}"
CITATIONS = {
    "unhealthy": [cite(_NINE.format(1), "含义明确、健康，不违背公序良俗")],
    "grandiose": [cite(_NINE.format(2), "符合地理实体的实际地域、规模、性质等特征")],
    "generic_mismatch": [cite(_NINE.format(2), "符合地理实体的实际地域、规模、性质等特征")],
    "rare_character": [cite(_NINE.format(3), "避免使用生僻字")],
    "script": [cite(_NINE.format(3), "使用国家通用语言文字")],
    "leader_name": [cite(_NINE.format(4), "不以国家领导人的名字作地名")],
    "personal_name": [cite(_NINE.format(4), "一般不以人名作地名")],
    "pen_name": [cite(_NINE.format(4), "一般不以人名作地名"), cite("dmss:3:1:1", "本名以及其别名、化名等")],
    "fictional_name": [cite(_NINE.format(4), "一般不以人名作地名"), cite("dmss:3:1:2", "文艺作品中的人物角色名称")],
    "foreign_name": [cite(_NINE.format(5), "不以外国人名、地名作地名")],
    "enterprise_name": [cite(_NINE.format(6), "不以企业名称或者商标名称作地名")],
    "trademark": [cite(_NINE.format(6), "不以企业名称或者商标名称作地名"),
                  cite("dmss:4:1", "不存在特定联系的除外")],
    "famous_feature": [cite(_NINE.format(9), "不以国内著名的自然地理实体、历史文化遗产遗址、超出本行政区域范围的地理实体名称作行政区划专名")],
    "protected": [cite("dmgl:10:2", "具有重要历史文化价值、体现中华历史文脉的地名，一般不得更名"),
                  cite("dmgl:25", "列入保护名录的地名确需更名的，所在地县级以上地方人民政府应当预先制定相应的保护措施")],
    "empty": [cite("dmgl:9:1", "地名由专名和通名两部分组成")],
    "too_long": [own_rule("名称过长不便使用（本系统提示，非法规条文）")],
    "renaming_target": [own_rule("更名须针对现有的地名（本系统数据核对）")],
    "near_homophone": [own_rule("读音相近易混（平翘舌、前后鼻音、n/l），本系统提示，非法规所称同音")],
    "natural_local": [own_rule("本县级行政区域内自然地理实体重名或同音，本系统提示（法规只对国内著名的自然地理实体规定全国不重名）")],
}

KINDS = ("county", "township", "village", "street", "residential", "natural")

_TOWN_KINDS = ("town", "township", "ethnic_township", "sumu")


@dataclass(frozen=True)
class Scope:
    """Where a kind of name must not be duplicated, per 第九条第一款第（七）、（八）项."""

    digits: int  # length of the division-code prefix that bounds the scope (0 = nation)
    label: str  # the scope in the law's words
    citation_key: str
    quote: str
    categories: tuple[str, ...]  # gazetteer classes compared
    levels: tuple[str, ...] = ()  # gazetteer division levels compared, if limited
    reference_levels: tuple[str, ...] = ()  # national reference list levels compared
    built_up: bool = False  # bounded by a built-up area where one is recorded

    @property
    def citation(self):
        return cite(self.citation_key, self.quote)


SCOPES = {
    "county": Scope(0, "全国范围内的县级以上行政区划名称", "dmgl:9:1:7", "全国范围内的县级以上行政区划名称",
                    ("division",), ("province", "prefecture", "county"), ("province", "prefecture", "county")),
    "township": Scope(2, "同一个省级行政区域内的乡、镇名称", "dmgl:9:1:8", "同一个省级行政区域内的乡、镇名称",
                      ("division",), ("township",), ("township",)),
    "village": Scope(6, "同一个县级行政区域内的村民委员会、居民委员会所在地名称", "dmgl:9:1:8",
                     "同一个县级行政区域内的村民委员会、居民委员会所在地名称", ("committee",), (), ("village",)),
    "street": Scope(6, "同一个建成区内的街路巷名称", "dmgl:9:1:8", "同一个建成区内的街路巷名称",
                    ("transport",), built_up=True),
    "residential": Scope(6, "同一个建成区内的具有重要地理方位意义的住宅区、楼宇名称", "dmgl:9:1:8",
                         "同一个建成区内的具有重要地理方位意义的住宅区、楼宇名称", ("settlement", "building"),
                         built_up=True),
    "natural": Scope(6, "本县级行政区域内的自然地理实体名称（本系统提示）", "", "", ("water", "terrain", "sea")),
}
for _scope in SCOPES.values():
    if _scope.citation_key:
        _scope.citation  # noqa: B018 — checked against the stored law at import
_NOT_DUPLICATE = {key: cite(key, "不应重名") for key in ("dmgl:9:1:7", "dmgl:9:1:8")}
_AVOID_HOMOPHONE = {key: cite(key, "并避免同音") for key in ("dmgl:9:1:7", "dmgl:9:1:8")}

# Generic endings a name of each kind should have (第九条第一款第（二）项: fit the entity).
KIND_GENERICS = {
    "county": ("县", "市", "区", "旗", "自治县", "自治旗", "林区", "特区"),
    "township": ("镇", "乡", "街道", "苏木", "民族乡", "街道办事处"),
    "village": ("村", "社区", "村民委员会", "村委会", "居民委员会", "居委会", "嘎查", "居"),
}
DIVISION_GENERICS = tuple(sorted({g for k in ("county", "township") for g in KIND_GENERICS[k]} |
                                 {"省", "自治区", "自治州", "地区", "盟", "办事处"}, key=len, reverse=True))
MAX_LENGTH = 20
FEATURES_FILE = Path(__file__).resolve().parent / "lists" / "famous_features.tsv"


@dataclass
class Problem:
    rule: str
    severity: str  # "error" | "warning"
    message: str
    conflicts: list[dict] = field(default_factory=list)
    citations: list[dict] = field(default_factory=list)
    acceptable: bool = False  # a warning an officer may accept with a recorded reason (同音)


@dataclass
class CheckResult:
    ok: bool
    problems: list[Problem]

    def to_dict(self) -> dict:
        return {"ok": self.ok, "problems": [asdict(p) for p in self.problems]}

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def _problem(rule: str, severity: str, text: str, conflicts: list[dict] | None = None, *, citations=None,
             acceptable: bool = False) -> Problem:
    sources = citations if citations is not None else CITATIONS[rule]
    basis = "；".join(dict.fromkeys(str(c) for c in sources))
    return Problem(rule, severity, f"{text}（依据：{basis}）", conflicts or [], [c.as_dict() for c in sources], acceptable)


def check_name(*, name: str, kind: str, division_code: str, renaming: str | None = None, renaming_place=None,
               geom=None, significant: bool | None = None) -> CheckResult:
    """Check a proposed name; ``renaming`` is the code of the name being replaced.

    ``renaming_place`` (a ``PlaceName``) does the same for a name without a code, as
    the workflow passes it. ``geom`` places a street or residential name in a recorded
    built-up area; ``significant`` says whether a residential area or building is of
    important geographic significance (only those have a statutory scope). Raises
    ``ValueError`` for an unknown kind or a malformed division code.
    """
    from geoapp.jurisdiction import normalise_code

    if kind not in KINDS:
        raise ValueError(f"未知地名类型 {kind!r}；可用类型：{', '.join(KINDS)}")
    division_code = normalise_code(division_code)
    name = clean_name(name)
    problems = text_problems(name, kind)
    if name:
        targets, target_problems = _renaming_targets(renaming, renaming_place)
        problems += target_problems
        problems += protection_problems(targets)
        problems += scope_problems(name, kind, division_code, exclude=targets, geom=geom, significant=significant,
                                   exclude_codes={renaming.strip()} if renaming else set())
    problems.sort(key=lambda p: (p.severity != "error",))
    return CheckResult(ok=not any(p.severity == "error" for p in problems), problems=problems)


# --- text rules (pure) ---------------------------------------------------------------------


def text_problems(name: str, kind: str) -> list[Problem]:
    """Every rule that looks only at the name itself."""
    if not name:
        return [_problem("empty", "error", "名称为空")]
    problems: list[Problem] = []
    if len(name) > MAX_LENGTH:
        problems.append(_problem("too_long", "warning", f"名称有 {len(name)} 个字，超过 {MAX_LENGTH} 个字，不便使用"))
    leaders = wordlists.find("leaders", name)
    if sure := [w for w in leaders if not w.endswith("?")]:
        problems.append(_problem("leader_name", "error", f"含有国家领导人姓名“{'、'.join(sure)}”"))
    if words_too := [w.rstrip("?") for w in leaders if w.endswith("?")]:
        problems.append(_problem(
            "leader_name", "warning", f"含有与国家领导人姓名相同的词“{'、'.join(words_too)}”，请核实命名含义"
        ))
    for rule, list_name, severity, text in (
        ("foreign_name", "foreign_places", "error", "含有外国地名或人名“{}”"),
        ("enterprise_name", "enterprise_forms", "error", "含有企业名称用语“{}”"),
        ("trademark", "brands", "warning", "含有知名企业字号或商标“{}”，请核实是否以企业名称或商标命名"),
        ("unhealthy", "unhealthy", "error", "含有不健康或违背公序良俗的用语“{}”"),
        ("grandiose", "grandiose", "warning", "含有夸大用语“{}”，请核实是否与地理实体的规模、性质相符"),
        ("personal_name", "person_hints", "warning", "含有指人用语“{}”，可能以人名作地名"),
    ):
        hits = wordlists.find(list_name, name)
        if hits:
            problems.append(_problem(rule, severity, text.format("、".join(hits))))
    if pens := wordlists.find("pen_names", name):
        problems.append(_problem("pen_name", "warning", f"含有人的别名、笔名“{'、'.join(pens)}”，请核实是否以人名作地名"))
    if roles := wordlists.find("literary_characters", name):
        problems.append(_problem(
            "fictional_name", "warning", f"含有文艺作品中的人物角色名称“{'、'.join(roles)}”，请核实命名用字与该人物是否存在特定联系"
        ))
    if kind in ("county", "township") and (feature := famous_feature(name)):
        feature_name, source = feature
        problems.append(_problem(
            "famous_feature", "error", f"行政区划专名“{feature_name}”是国内著名的自然地理实体或历史文化遗产遗址名称（参照：{source}）"
        ))
    if person := _personal_name_hint(name, kind):
        problems.append(_problem("personal_name", "warning", f"专名“{person}”形似人名（姓氏加名），请核实是否以人名作地名"))
    problems += _script_problems(name)
    if (generic := _generic_mismatch(name, kind)) is not None:
        problems.append(_problem("generic_mismatch", "warning", generic))
    return problems


def _script_problems(name: str) -> list[Problem]:
    problems = []
    letters = sorted({c for c in name if c.isalpha() and not charset.is_han(c)})
    if letters:
        problems.append(_problem("script", "error", f"含有非汉字字母“{''.join(letters)}”，应使用规范汉字"))
    others = sorted({c for c in name if not (c.isalnum() or charset.is_han(c) or c in "·-（）()")})
    if others:
        problems.append(_problem("script", "error", f"含有符号“{''.join(others)}”"))
    if formula := formula_problem(name):  # "-", "+" … would run in a spreadsheet
        problems.append(_problem("script", "error", f"名称{formula}"))
    rare = charset.rare_characters(name)
    if rare:
        chars = "、".join(rare)
        if charset.is_exact():
            problems.append(_problem("rare_character", "error", f"“{chars}”不在《通用规范汉字表》内，属生僻字"))
        else:
            problems.append(_problem(
                "rare_character", "warning",
                f"“{chars}”不在 GB 2312 一、二级字内，可能不在《通用规范汉字表》内（近似判定，请人工核对）",
            ))
    return problems


def _personal_name_hint(name: str, kind: str) -> str | None:
    """A specific shaped like a person's name on a street or residential name: a
    surname and one or two characters common in given names (李强路). Place words
    (白沙, 王河, 张家庄) stay silent."""
    if kind not in ("street", "residential"):
        return None
    from placenames.romanization import romanize

    try:
        specific = romanize(name).specific
    except ValueError:
        return None
    given_chars = wordlists.words("given_name_chars")
    for surname in sorted(wordlists.words("surnames"), key=len, reverse=True):
        if specific.startswith(surname):
            given = specific[len(surname) :]
            return specific if 1 <= len(given) <= 2 and all(c in given_chars for c in given) else None
    return None


def _generic_mismatch(name: str, kind: str) -> str | None:
    endings = KIND_GENERICS.get(kind)
    if endings is None or name.endswith(endings):
        return None
    label = {"county": "县级行政区域", "township": "乡级行政区域", "village": "村（居）民委员会驻地"}[kind]
    return f"{label}名称通常以“{'、'.join(endings[:4])}”等结尾，请核实通名是否与实体类型相符"


# --- 第（九）项: famous features as a division's specific ---------------------------------------


@cache
def famous_features() -> dict[str, str]:
    """Name → source of the reference list of famous natural features and heritage sites."""
    table: dict[str, str] = {}
    for line in FEATURES_FILE.read_text("utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        feature, _type, source = line.split("\t")
        table.setdefault(feature, source)
    return table


def division_specific(name: str) -> str:
    """The specific (专名) of a division name: 黄山市 → 黄山, 泰山区 → 泰山."""
    for generic in DIVISION_GENERICS:
        if name.endswith(generic) and len(name) > len(generic):
            return name[: -len(generic)]
    return name


def famous_feature(name: str) -> tuple[str, str] | None:
    specific = division_specific(name)
    features = famous_features()
    if specific in features:
        return specific, features[specific]
    return None


# --- scope rules (database) ----------------------------------------------------------------


def comparison_form(name: str, kind: str) -> str:
    return compare_form(name, kind)


def _variants(name: str, kind: str) -> set[str]:
    """Stored names that may denote the same seat as ``name`` (for indexed lookup)."""
    if kind != "village":
        return {name}
    core = seat_core(name)
    return {core + ending + suffix for ending in ("", *SEAT_ENDINGS) for suffix in ("", *COMMITTEE_SUFFIXES)}


def township_kinds() -> tuple[str, ...]:
    """Division kinds a township name meets: 乡 and 镇 (第（八）项); a setting may add 街道
    (``subdistrict``) or the 400-599 units (``township_like``)."""
    from django.conf import settings

    extra = tuple(getattr(settings, "PLACENAMES_TOWNSHIP_SCOPE_KINDS", ()))
    return (*_TOWN_KINDS, *extra)


def _in_scope(kind: str, name: str) -> bool:
    """Whether a proposed name has a statutory scope at all (a 街道 name has none unless
    the setting adds 街道 to the township scope)."""
    if kind == "township" and name.endswith(("街道", "街道办事处")):
        return "subdistrict" in township_kinds()
    return True


def scope_problems(name: str, kind: str, division_code: str, *, exclude=(), geom=None,
                   significant: bool | None = None, exclude_codes: set[str] | frozenset = frozenset()) -> list[Problem]:
    """Duplicates (error), homophones (warning) and close readings (our warning) among the
    names of the kind's scope, in the gazetteer and the national reference list."""
    from django.conf import settings

    scope = SCOPES[kind]
    if not _in_scope(kind, name):
        return []
    if kind == "residential" and not significant:
        return []  # only names of important geographic significance have a scope (第（八）项)
    if kind == "natural" and not getattr(settings, "PLACENAMES_LOCAL_NATURAL_CHECK", True):
        return []
    mine = comparison_form(name, kind)
    my_keys = name_keys(mine)
    area, where = _scope_area(scope, division_code, geom)
    conflicts = _gazetteer_candidates(name, kind, scope, division_code, exclude, area)
    conflicts = [(c, n) for c, n in conflicts if c["code"] not in exclude_codes]
    conflicts += _reference_candidates(name, kind, scope, division_code, exclude, conflicts, exclude_codes)
    found: dict[str, list[dict]] = {"duplicate": [], "homophone": [], "fuzzy": []}
    for conflict, theirs in conflicts:
        their_keys = name_keys(theirs)
        if theirs == mine:
            found["duplicate"].append(conflict)
        elif my_keys.pinyin and their_keys.pinyin == my_keys.pinyin:
            conflict["same_tones"] = their_keys.tones == my_keys.tones
            found["homophone"].append(conflict)
        elif my_keys.fuzzy_key and their_keys.fuzzy_key == my_keys.fuzzy_key:
            found["fuzzy"].append(conflict)
    problems = []
    if kind == "natural":
        both = found["duplicate"] + found["homophone"]
        if both:
            problems.append(_problem("natural_local", "warning", f"与{where}重名或同音：{_list(both)}", both))
        return problems
    statute = [scope.citation]
    if found["duplicate"]:
        problems.append(_problem("duplicate", "error", f"与{where}重名：{_list(found['duplicate'])}", found["duplicate"],
                                 citations=[*statute, _NOT_DUPLICATE[scope.citation_key]]))
    if found["homophone"]:
        stronger = [c for c in found["homophone"] if c["same_tones"]]
        if len(stronger) == len(found["homophone"]):
            note = "（声调也相同）"
        else:
            note = f"（其中{_list(stronger)}声调也相同）" if stronger else "（声调不同）"
        problems.append(_problem(
            "homophone", "warning", f"与{where}同音{note}：{_list(found['homophone'])}；如确需使用，须登记理由",
            found["homophone"], citations=[*statute, _AVOID_HOMOPHONE[scope.citation_key]], acceptable=True,
        ))
    if found["fuzzy"]:
        problems.append(_problem(
            "near_homophone", "warning",
            f"与{where}读音相近（平翘舌、前后鼻音或 n/l 易混）：{_list(found['fuzzy'])}", found["fuzzy"],
        ))
    return problems


def _scope_area(scope: Scope, division_code: str, geom):
    """The built-up area bounding a street or residential scope, and the scope in words."""
    if not scope.built_up:
        return None, scope.label
    from placenames.models import BuiltUpArea

    area = BuiltUpArea.objects.covering(geom).first() if geom is not None else None
    if area is not None:
        return area, f"{scope.label}（建成区：{area.name}）"
    return None, f"{scope.label}（未登记建成区，按本县级行政区域比对）"


def _gazetteer_candidates(name, kind, scope, division_code, exclude, area) -> list[tuple[dict, str]]:
    from django.db.models import Q

    from placenames.models import NameStatus, PlaceName

    variants = _variants(name, kind)
    keys = [name_keys(v) for v in variants]
    candidates = (
        PlaceName.objects.filter(status__in=[NameStatus.STANDARD, NameStatus.PROPOSED])
        .filter(category__in=scope.categories)
        .filter(
            Q(standard_name__in=variants)
            | Q(pinyin__in={k.pinyin for k in keys if k.pinyin})
            | Q(fuzzy_key__in={k.fuzzy_key for k in keys if k.fuzzy_key})
        )
        .exclude(pk__in=[t.pk for t in exclude])
        .select_related("division__parent__parent__parent__parent")
        .order_by("division__code", "standard_name")
    )
    if area is not None:
        candidates = candidates.filter(geom__intersects=area.geom)
    else:
        candidates = candidates.under(division_code[: scope.digits])
    if scope.levels:
        candidates = candidates.filter(division__level__in=scope.levels)
    if kind == "township":
        candidates = candidates.filter(division__kind__in=township_kinds())
    if kind == "village":
        candidates = candidates.exclude(division__kind="village_like")
    if kind == "residential":
        candidates = candidates.filter(geo_significant=True)
    return [(_conflict(place), comparison_form(place.standard_name, kind)) for place in candidates[:200]]


def _reference_candidates(name, kind, scope, division_code, exclude, seen, exclude_codes=()) -> list[tuple[dict, str]]:
    """Units of the national reference list in the scope (division scopes only)."""
    if not scope.reference_levels:
        return []
    from placenames.models import ReferenceDivision

    mine = comparison_form(name, kind)
    keys = name_keys(mine)
    rows = (
        ReferenceDivision.objects.under(division_code[: scope.digits]).at_levels(*scope.reference_levels)
        .sounding_like(names={mine}, pinyin={keys.pinyin} - {""}, fuzzy_keys={keys.fuzzy_key} - {""})
    )
    if kind == "township":
        rows = rows.of_kinds(*township_kinds())
    if kind == "village":
        rows = rows.of_kinds("residents_committee", "village_committee")
    skip = {c["code"] for c, _ in seen} | {c["division_code"] for c, _ in seen if c.get("own_division")}
    skip |= set(exclude_codes)
    for target in exclude:
        skip |= {target.code, getattr(target.division, "code", "")}
    out = []
    for row in rows.order_by("code")[:200]:
        if row.code in skip:
            continue
        out.append(({"name": row.name, "code": row.code, "division": row.path.removesuffix(row.name),
                     "division_code": row.code, "path": row.path, "source": "reference", "id": None},
                    row.compare_name))
    return out


def _conflict(place) -> dict:
    """A conflicting gazetteer name with the full path of where it lies (the division's
    own name is not repeated: 兴国镇 reads as 甘肃省天水市秦安县兴国镇)."""
    division = place.division
    own = division is not None and division.name == place.standard_name
    chain = [*division.ancestors(), division] if division is not None else []
    if own:
        chain.pop()
    where = division.parent if own and division.parent is not None else division
    return {
        "name": place.standard_name,
        "code": place.code,
        "division": where.name if where else "",
        "division_code": division.code if division else "",
        "path": "".join(d.name for d in chain) + place.standard_name,
        "source": "gazetteer",
        "own_division": own,
        "id": place.pk,
    }


def _list(conflicts: list[dict], limit: int = 5) -> str:
    shown = "、".join(f"{c['path']}（{c['code'] or c['division_code']}）" for c in conflicts[:limit])
    return shown + (f" 等 {len(conflicts)} 个" if len(conflicts) > limit else "")


# --- renaming and protection -----------------------------------------------------------------


def _renaming_targets(renaming: str | None, renaming_place) -> tuple[list, list[Problem]]:
    if renaming_place is not None:
        return [renaming_place], []
    if not renaming:
        return [], []
    from placenames.models import NameStatus, PlaceName, ReferenceDivision

    targets = list(PlaceName.objects.filter(code=renaming.strip()).exclude(status=NameStatus.RETIRED))
    if not targets and not ReferenceDivision.objects.filter(code=renaming.strip()).exists():
        return [], [_problem("renaming_target", "warning", f"没有代码为 {renaming} 的现行地名，无法排除被更名的地名本身")]
    return targets, []


def protection_problems(targets) -> list[Problem]:
    problems = []
    for place in targets:
        if place.protected and not place.protection_measures.strip():
            problems.append(_problem(
                "protected", "error",
                f"“{place.standard_name}”已列入地名文化保护名录，须先制定并登记保护措施方可更名",
                [_conflict(place)],
            ))
    return problems
