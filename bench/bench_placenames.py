"""Benchmark: place-name search and check_name latency, on the demo gazetteer and on
1 million generated names (prints measured numbers; asserts nothing).

Runs against the development database (`make setup` first). The demo part loads the
demo place names if they are missing. The million-name part builds a scratch schema
``bench_placenames`` holding a copy of ``placenames_placename`` (same columns, same
indexes), fills it with COPY, and runs the *same* ORM code with ``search_path`` set to
that schema first, so every query hits the big table while divisions still come from
``public``. The schema is dropped at the end (``--keep`` keeps it for a second run,
``--skip-million`` skips the part). About 2-4 minutes on 2 cores.

The demo names are copied in as well, so checks still meet their real conflicts.
Generated names: a two-character specific from ~400 place-name characters plus a
generic of a class (村, 路, 河, 山, 小区 …), spread over every demo village and
township; keys come from per-character readings (no phrase context), which is what
matters for index behaviour, not for linguistics.
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoapp.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from pypinyin import Style, pinyin  # noqa: E402

from boundaries.models import Division  # noqa: E402
from placenames.checks import check_name  # noqa: E402
from placenames.demo import load_demo_placenames  # noqa: E402
from placenames.indexing import fragments, fuzzy_syllable  # noqa: E402
from placenames.models import PlaceName  # noqa: E402

SCHEMA = "bench_placenames"
TABLE = "placenames_placename"
SEARCHES = ["qsx", "清水县", "永清", "水", "上湾", "qingshui", "Qīngshuǐ Xiàn", "zanjiacun", "清水线", "620521"]
CHECKS = [
    ("兴国镇", "township", "620521100"),
    ("育新路", "street", "620521100"),
    ("山上湾村", "village", "620522107"),
    ("青水县", "county", "620500"),
    ("曼哈顿花园", "residential", "620521100"),
]
CHARS = (
    "东西南北中上下前后大小新老高低长短红白黑青黄金银石土山水河川沟湾坪塬梁峁岭峰坡洼台岔口坝渠湖塘泉井"
    "桥园场窑庙寺庵关门城堡寨营屯集店铺庄村家里林松柏杨柳桃李杏梨枣桑竹花草禾麦谷稻豆瓜菜牛马羊鸡狗龙凤"
    "虎鹿鹤燕雁云雨雪风霜月日星光明清平安宁康泰和顺兴旺盛昌隆丰富贵福寿喜庆吉祥瑞永长春秋夏冬阳阴东湖"
    "张王刘陈赵孙周吴郑冯蒋沈韩杨朱秦许何吕施孔曹严华金魏陶姜谢邹喻柏窦章苏潘葛范彭鲁马苗方任袁柳鲍史"
    "唐薛雷贺倪汤殷罗毕郝安常乐于傅齐康伍余顾孟黄穆萧尹姚邵汪祁毛狄米贝明臧计成戴宋庞熊纪舒屈项祝董梁"
    "杜阮蓝闵季贾路江童颜郭梅盛林钟徐邱骆高夏蔡田樊胡凌霍虞万柯管卢莫房解应丁宣邓单杭洪包左石崔吉龚程"
    "邢裴陆荣翁荀羊惠甄曲封储靳松井段富巫乌焦巴弓牧山谷车侯全班仰秋仲伊宫宁仇栾暴甘厉戎祖武符刘景詹束"
)
GENERICS = [
    ("村", "settlement", 30), ("庄", "settlement", 8), ("堡", "settlement", 3), ("路", "transport", 15),
    ("街", "transport", 8), ("巷", "transport", 6), ("河", "water", 5), ("沟", "water", 5), ("渠", "water", 2),
    ("山", "terrain", 4), ("梁", "terrain", 3), ("岭", "terrain", 2), ("小区", "building", 5), ("大厦", "building", 2),
    ("社区", "committee", 2),
]
COLUMNS = (
    "standard_name", "specific", "generic", "category", "subclass", "romanization", "sign_text", "geom", "meaning",
    "origin", "history_text", "minority_name", "status", "protected", "protection_measures", "source", "source_note",
    "code", "pinyin", "initials", "fuzzy_key", "fragments", "updated_at", "division_id",
)


def timed(fn, repeat=15):
    fn()  # warm the cache and the plan
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def measure(label: str, client: Client) -> None:
    print(f"-- {label}: {PlaceName.objects.count():,} names")
    url = "/api/placenames/search"
    for q in SEARCHES:
        n = len(client.get(url, {"q": q}).json()["results"])
        median, worst = timed(lambda q=q: client.get(url, {"q": q}))
        print(f"search q={q!r:18} median {median:7.1f} ms  max {worst:7.1f} ms  ({n} results)")
    for name, kind, code in CHECKS:
        result = check_name(name=name, kind=kind, division_code=code)
        median, worst = timed(lambda a=(name, kind, code): check_name(name=a[0], kind=a[1], division_code=a[2]))
        rules = ",".join(sorted({p.rule for p in result.problems})) or "ok"
        print(f"check_name {name}/{kind:11} median {median:7.1f} ms  max {worst:7.1f} ms  ({rules})")


def _readings() -> dict[str, tuple[str, str]]:
    table = {}
    for char in set(CHARS + "".join(g for g, _c, _w in GENERICS)):
        (reading,) = pinyin(char, style=Style.TONE3, neutral_tone_with_five=True)[0:1]
        plain = reading[0].rstrip("012345").replace("ü", "v")
        table[char] = (plain, fuzzy_syllable(plain))
    return table


def _array(items: list[str]) -> str:
    return "{" + ",".join('"' + i + '"' for i in items) + "}"


def build_million(n: int) -> None:
    readings = _readings()
    divisions = list(
        Division.objects.current().filter(level__in=["village", "township"]).exclude(seat=None).values_list("id", "seat")
    )
    generics = [(g, c) for g, c, w in GENERICS for _ in range(w)]
    rng = random.Random(20260101)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {SCHEMA}")
        cursor.execute(f"CREATE TABLE {SCHEMA}.{TABLE} (LIKE public.{TABLE} INCLUDING DEFAULTS INCLUDING IDENTITY)")
        buffer = io.StringIO()
        columns = ", ".join(COLUMNS)
        with cursor.cursor.copy(f"COPY {SCHEMA}.{TABLE} ({columns}) FROM STDIN") as copy:
            for i in range(n):
                specific = rng.choice(CHARS) + rng.choice(CHARS)
                generic, category = rng.choice(generics)
                name = specific + generic
                syllables = [readings[c] for c in name]
                division_id, seat = divisions[i % len(divisions)]
                x, y = seat.x + rng.uniform(-0.02, 0.02), seat.y + rng.uniform(-0.02, 0.02)
                plain = "".join(s[0] for s in syllables)
                buffer.write("\t".join((
                    name, specific, generic, category, "", plain, plain, f"SRID=4490;POINT({x:.6f} {y:.6f})",
                    "", "", "", "", "standard", "f", "", "synthetic", "bench", "",
                    plain, "".join(s[0][0] for s in syllables), "".join(s[1] for s in syllables),
                    _array(fragments(name)), "2026-01-01 00:00:00+08", str(division_id),
                )) + "\n")
                if i % 50_000 == 49_999:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())
        # The real demo names too, so the checks meet their real conflicts.
        cursor.execute(f"INSERT INTO {SCHEMA}.{TABLE} ({columns}) SELECT {columns} FROM public.{TABLE}")
        loaded = time.perf_counter()
        # Same indexes as the real table (names prefixed so they do not clash).
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = %s", [TABLE])
        for index_name, definition in cursor.fetchall():
            definition = definition.replace(f"ON public.{TABLE}", f"ON {SCHEMA}.{TABLE}")
            definition = definition.replace(f"INDEX {index_name} ", f"INDEX bench_{index_name} ", 1)
            cursor.execute(definition)
        cursor.execute(f"ANALYZE {SCHEMA}.{TABLE}")
    done = time.perf_counter()
    print(f"generated and copied {n:,} names in {loaded - start:.1f} s; indexes + analyze {done - loaded:.1f} s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--names", type=int, default=1_000_000)
    parser.add_argument("--skip-million", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the scratch schema")
    args = parser.parse_args()
    if not PlaceName.objects.filter(code="620521100000").exists():
        print(load_demo_placenames().summary())
    client = Client(HTTP_HOST="localhost")
    measure("demo gazetteer", client)
    if args.skip_million:
        return
    build_million(args.names)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SET search_path TO {SCHEMA}, public")
        measure(f"{args.names:,} generated names", client)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET search_path TO public")
            if not args.keep:
                cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")


if __name__ == "__main__":
    main()
