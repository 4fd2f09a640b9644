"""Naming-law checks (地名命名审查) of a proposed name, per 《地名管理条例》(2022).

``check_name(name=…, kind=…, division_code=…, renaming=None)`` returns a
``CheckResult``: ``ok`` is False when any problem is an error. Each problem names its
rule, severity, a Chinese message citing the article, and the conflicting names with
their codes. The rules:

* Text rules (pure, ``text_problems``): national leaders' names, foreign place and
  personal names, enterprise names and trademarks, unhealthy and grandiose words,
  personal-name hints, rare characters, non-Chinese script, a generic that does not
  fit the kind of entity. Word lists are data in ``placenames/lists/``.
* Scope rules (``scope_problems``, one indexed query): no duplicate and no homophone
  within the 2022 scopes (DOMAIN.md §4): county-level names nationally, township
  names within the province, village (committee seat) names within the county,
  streets and residential areas within the built-up area — the county, since no
  built-up areas are recorded — and natural features within the county. A homophone
  is the same reading including tones; a reading that differs only in tones, or only
  in the usual confusions (zh/z, ch/c, sh/s, n/l, an/ang, en/eng, in/ing: the fuzzy
  key of ``placenames.indexing``) is a near-homophone warning. The entity being
  renamed is left out.
* Protection: a name on the protection list (保护名录) is not renamed before
  protection measures are recorded.

Village names are compared by their seat name: 山上湾村, 山上湾村委会 and
山上湾村民委员会 all name the seat 山上湾, so the committee suffix is set aside
(``seat_core``). Article numbers are data (``ARTICLES``) because they were written
from the regulation's structure without the official text at hand (docs/adr/0007).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from geoapp.csvsafe import formula_problem
from placenames import charset, wordlists
from placenames.indexing import name_keys
from placenames.naming import clean_name

REGULATION = "《地名管理条例》"

# Rule → the clause it comes from (verify against the official text; see ADR 0007).
ARTICLES = {
    "unhealthy": "第九条第（一）项（含义健康，不违背公序良俗）",
    "grandiose": "第九条第（二）项（符合地理实体的规模、性质等特征）",
    "generic_mismatch": "第九条第（二）项（符合地理实体的规模、性质等特征）",
    "rare_character": "第九条第（三）项（避免使用生僻字）",
    "script": "第九条第（三）项（使用国家通用语言文字）",
    "leader_name": "第九条第（四）项（不以国家领导人的名字作地名）",
    "personal_name": "第九条第（四）项（一般不以人名作地名）",
    "foreign_name": "第九条第（五）项（不以外国人名、地名作地名）",
    "enterprise_name": "第九条第（六）项（不以企业名称或者商标名称作地名）",
    "trademark": "第九条第（六）项（不以企业名称或者商标名称作地名）",
    "duplicate": "第九条第（七）项（在规定范围内不应重名）",
    "homophone": "第九条第（七）项（在规定范围内避免同音）",
    "near_homophone": "第九条第（七）项（在规定范围内避免同音）",
    "protected": "第十一条（列入地名文化保护名录的地名一般不得更名）",
    "empty": "第八条（地名由专名和通名组成）",
    "too_long": "第八条（地名应当简洁）",
    "renaming_target": "第十三条（更名应当针对已有的标准地名）",
}

KINDS = ("county", "township", "village", "street", "residential", "natural")


@dataclass(frozen=True)
class Scope:
    """Where a kind of name must be unique, and which classes of names it meets there."""

    digits: int  # length of the division-code prefix that bounds the scope (0 = nation)
    categories: tuple[str, ...]
    levels: tuple[str, ...] = ()  # division levels the compared names belong to, if limited
    label: str = ""


SCOPES = {
    "county": Scope(0, ("division",), ("province", "prefecture", "county"), "全国范围内的县级以上行政区域名称"),
    "township": Scope(2, ("division", "area"), ("township",), "本省（自治区、直辖市）范围内的乡、镇、街道名称"),
    "village": Scope(6, ("committee", "settlement"), (), "本县级行政区域内的村（居）民委员会驻地名称"),
    "street": Scope(6, ("transport",), (), "本城镇区域（未登记城镇区域的，按本县级行政区域）内的街、路、巷名称"),
    "residential": Scope(6, ("settlement", "building"), (), "本城镇区域（未登记城镇区域的，按本县级行政区域）内的居民区、建筑物名称"),
    "natural": Scope(6, ("water", "terrain", "sea"), (), "本县级行政区域内的自然地理实体名称"),
}

# Generic endings a name of each kind should have (第九条第（二）项: fit the entity).
KIND_GENERICS = {
    "county": ("县", "市", "区", "旗", "自治县", "自治旗", "林区", "特区"),
    "township": ("镇", "乡", "街道", "苏木", "民族乡", "街道办事处"),
    "village": ("村", "社区", "村民委员会", "村委会", "居民委员会", "居委会", "嘎查", "居"),
}
# Set aside to compare village seat names: the committee, then the 村/社区 ending.
COMMITTEE_SUFFIXES = ("村民委员会", "居民委员会", "村委会", "居委会")
SEAT_ENDINGS = ("社区", "村")
MAX_LENGTH = 20


@dataclass
class Problem:
    rule: str
    severity: str  # "error" | "warning"
    message: str
    conflicts: list[dict] = field(default_factory=list)


@dataclass
class CheckResult:
    ok: bool
    problems: list[Problem]

    def to_dict(self) -> dict:
        return {"ok": self.ok, "problems": [asdict(p) for p in self.problems]}

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def _problem(rule: str, severity: str, text: str, conflicts: list[dict] | None = None) -> Problem:
    return Problem(rule, severity, f"{text}（{REGULATION}{ARTICLES[rule]}）", conflicts or [])


def check_name(*, name: str, kind: str, division_code: str, renaming: str | None = None, renaming_place=None) -> CheckResult:
    """Check a proposed name; ``renaming`` is the code of the name being replaced.

    ``renaming_place`` (a ``PlaceName``) does the same for a name without a code, as
    the workflow passes it. Raises ``ValueError`` for an unknown kind or a malformed
    division code; any name text is accepted.
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
        problems += scope_problems(name, kind, division_code, exclude_ids=[t.pk for t in targets])
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
    if formula := formula_problem(name):  # issue 16 #7: "-", "+" … would run in a spreadsheet
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


# --- scope rules (database) ----------------------------------------------------------------


def seat_core(name: str) -> str:
    """The seat a village committee is named after, without 村/社区: 山上湾村民委员会,
    山上湾村委会 and 山上湾村 → 山上湾; 张家村村委会 → 张家; 东街社区居委会 → 东街."""
    for suffixes in (COMMITTEE_SUFFIXES, SEAT_ENDINGS):
        for suffix in suffixes:
            if name.endswith(suffix) and len(name) > len(suffix):
                name = name[: -len(suffix)]
                break
    return name


def comparison_form(name: str, kind: str) -> str:
    return seat_core(name) if kind == "village" else name


def _variants(name: str, kind: str) -> set[str]:
    """Stored names that may denote the same seat as ``name`` (for indexed lookup)."""
    if kind != "village":
        return {name}
    core = seat_core(name)
    return {core + ending + suffix for ending in ("", *SEAT_ENDINGS) for suffix in ("", *COMMITTEE_SUFFIXES)}


def scope_problems(name: str, kind: str, division_code: str, *, exclude_ids=()) -> list[Problem]:
    """Duplicates, homophones and near-homophones among the names in the kind's scope."""
    from django.db.models import Q

    from placenames.models import NameStatus, PlaceName

    scope = SCOPES[kind]
    variants = _variants(name, kind)
    keys = [name_keys(v) for v in variants]
    candidates = (
        PlaceName.objects.filter(status__in=[NameStatus.STANDARD, NameStatus.PROPOSED])
        .under(division_code[: scope.digits])
        .filter(category__in=scope.categories)
        .filter(
            Q(standard_name__in=variants)
            | Q(pinyin__in={k.pinyin for k in keys if k.pinyin})
            | Q(fuzzy_key__in={k.fuzzy_key for k in keys if k.fuzzy_key})
        )
        .exclude(pk__in=list(exclude_ids))
        .select_related("division__parent")
        .order_by("division__code", "standard_name")
    )
    if scope.levels:
        candidates = candidates.filter(division__level__in=scope.levels)
    mine = comparison_form(name, kind)
    my_keys = name_keys(mine)
    found: dict[str, list[dict]] = {"duplicate": [], "homophone": [], "tone": [], "fuzzy": []}
    for place in candidates[:200]:
        theirs = comparison_form(place.standard_name, kind)
        their_keys = name_keys(theirs)
        conflict = _conflict(place)
        if theirs == mine:
            found["duplicate"].append(conflict)
        elif my_keys.pinyin and their_keys.pinyin == my_keys.pinyin:
            found["homophone" if their_keys.tones == my_keys.tones else "tone"].append(conflict)
        elif my_keys.fuzzy_key and their_keys.fuzzy_key == my_keys.fuzzy_key:
            found["fuzzy"].append(conflict)
    problems = []
    where = scope.label
    if found["duplicate"]:
        problems.append(_problem("duplicate", "error", f"与{where}重名：{_list(found['duplicate'])}", found["duplicate"]))
    if found["homophone"]:
        problems.append(_problem("homophone", "error", f"与{where}同音：{_list(found['homophone'])}", found["homophone"]))
    if found["tone"]:
        problems.append(_problem(
            "near_homophone", "warning", f"与{where}仅声调不同：{_list(found['tone'])}", found["tone"]
        ))
    if found["fuzzy"]:
        problems.append(_problem(
            "near_homophone", "warning",
            f"与{where}读音相近（平翘舌、前后鼻音或 n/l 易混）：{_list(found['fuzzy'])}", found["fuzzy"],
        ))
    return problems


def _conflict(place) -> dict:
    """A conflicting name; ``division`` is where it lies (the parent when the name is
    the division's own, so 兴国镇 reads as in 秦安县)."""
    division = place.division
    if division is not None and division.name == place.standard_name and division.parent is not None:
        division = division.parent
    return {
        "name": place.standard_name,
        "code": place.code,
        "division": division.name if division else "",
        "division_code": division.code if division else "",
        "id": place.pk,
    }


def _list(conflicts: list[dict], limit: int = 5) -> str:
    shown = "、".join(f"{c['division']}{c['name']}" for c in conflicts[:limit])
    return shown + (f" 等 {len(conflicts)} 个" if len(conflicts) > limit else "")


# --- renaming and protection -----------------------------------------------------------------


def _renaming_targets(renaming: str | None, renaming_place) -> tuple[list, list[Problem]]:
    if renaming_place is not None:
        return [renaming_place], []
    if not renaming:
        return [], []
    from placenames.models import NameStatus, PlaceName

    targets = list(PlaceName.objects.filter(code=renaming.strip()).exclude(status=NameStatus.RETIRED))
    if not targets:
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
