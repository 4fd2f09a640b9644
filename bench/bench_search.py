"""Benchmark: the public name search through HTTP, per query type, on the gazetteer in DATABASE_URL.

Ten query types, QUERIES queries each, drawn (seeded) from the names in the
database so that every query finds something, the way people type them:

* exact — a whole standard name (永清镇);
* prefix — its first two characters (永清);
* infix — two characters from inside a name of four or more (清镇 of 永清镇);
* pinyin — its full toneless pinyin (yongqingzhen);
* initials — its initials (yqz);
* fuzzy — its pinyin with the usual confusions a typist makes (zh→z, sh→s, ch→c, n→l,
  ing→in, eng→en, ang→an), for names that have one (zanjiacun for 张家村);
* typing — the first keystrokes in a search-as-you-type box: its first character, or the
  first one, two or three letters of its pinyin (永, y, yo, yon), each matching up to
  150,000 names nationally.

Each request goes to ``/api/placenames/search?q=…`` on gunicorn as ``make serve``
runs it (bench/server.py; one client, keep-alive), once per query after a warm-up of
the first ten; p50/p95 per type against the 20 ms target. Prints the table and records
the figures; asserts nothing. On the national dataset (1.5 million names) this is the
issue's search figure; on the demo database it measures the demo gazetteer.
"""

from __future__ import annotations

import http.client
import os
import random
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoapp.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from pypinyin import lazy_pinyin  # noqa: E402

from bench.figures import percentile, record  # noqa: E402
from bench.server import served  # noqa: E402

QUERIES = int(os.environ.get("CIVATLAS_BENCH_QUERIES", "200"))
TARGET_MS = 20.0
CONFUSIONS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("ing", "in"), ("eng", "en"), ("ang", "an"), ("n", "l"))


def _names(count: int) -> list[tuple[str, str, str]]:
    """(standard name, pinyin, initials) of ``count`` random standard names (seeded)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT standard_name, pinyin, initials FROM placenames_placename TABLESAMPLE BERNOULLI (%s) "
                       "REPEATABLE (2026) WHERE status = 'standard' AND pinyin <> '' LIMIT %s",
                       [min(100.0, 100.0 * count * 20 / max(_count(), 1)), count * 20])
        rows = cursor.fetchall()
    random.Random(2026).shuffle(rows)
    return rows


def _count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM placenames_placename")
        return cursor.fetchone()[0]


def _confused(name: str) -> str | None:
    """The pinyin of ``name`` with one typist's confusion per syllable that has one, or None."""
    out, changed = [], False
    for syllable in lazy_pinyin(name, errors="ignore"):
        for right, wrong in CONFUSIONS:
            if right in ("ing", "eng", "ang") and syllable.endswith(right):
                syllable, changed = syllable[: -len(right)] + wrong, True
                break
            if right not in ("ing", "eng", "ang") and syllable.startswith(right):
                syllable, changed = wrong + syllable[len(right):], True
                break
        out.append(syllable)
    return "".join(out) if changed else None


def queries(rows: list[tuple[str, str, str]]) -> dict[str, list[str]]:
    types: dict[str, list[str]] = {kind: [] for kind in (
        "exact", "prefix", "infix", "pinyin", "initials", "fuzzy", "typing 1 character", "typing 1 letter",
        "typing 2 letters", "typing 3 letters")}
    for name, pinyin, initials in rows:
        candidates = {"exact": name, "prefix": name[:2] if len(name) >= 3 else None,
                      "infix": name[1:3] if len(name) >= 4 else None, "pinyin": pinyin,
                      "initials": initials if len(initials) >= 2 else None, "fuzzy": _confused(name),
                      # The first keystrokes of a search-as-you-type box (the public portal
                      # asks after each pause): a prefix matching up to 150,000 names.
                      "typing 1 character": name[:1], "typing 1 letter": pinyin[:1],
                      "typing 2 letters": pinyin[:2], "typing 3 letters": pinyin[:3]}
        for kind, query in candidates.items():
            if query and len(types[kind]) < QUERIES:
                types[kind].append(query)
    return types


def _get(conn: http.client.HTTPConnection, query: str) -> tuple[float, int]:
    started = time.perf_counter()
    conn.request("GET", "/api/placenames/search?" + urllib.parse.urlencode({"q": query}),
                 headers={"Accept-Encoding": "gzip", "Connection": "keep-alive"})
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != 200:
        raise SystemExit(f"search {query!r}: HTTP {response.status} {body[:200]!r}")
    return elapsed, len(body)


def main() -> None:
    total = _count()
    types = queries(_names(QUERIES))
    with served() as base:
        host = urllib.parse.urlparse(base)
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        for query in types["exact"][:10]:
            _get(conn, query)  # warm-up: connection, plans, caches
        print(f"search through HTTP ({base}), {total:,} names, {QUERIES} queries per type, one client")
        print("| type | example | n | p50 ms | p95 ms | max ms | p95 ÷ 20 ms |")
        print("|---|---|---|---|---|---|---|")
        for kind, items in types.items():
            times = [_get(conn, q)[0] for q in items]
            if not times:
                print(f"| {kind} | — | 0 | | | | |")
                continue
            p50, p95 = statistics.median(times), percentile(times, 95)
            print(f"| {kind} | {items[0]} | {len(times)} | {p50:.1f} | {p95:.1f} | {max(times):.1f} | "
                  f"{p95 / TARGET_MS:.2f} |")
            record("search", f"{kind} p95 ({total:,} names, HTTP)", p95, "ms", target=TARGET_MS,
                   note=f"p50 {p50:.1f} ms, n={len(times)}")
        conn.close()


if __name__ == "__main__":
    main()
