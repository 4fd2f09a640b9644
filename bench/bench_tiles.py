"""Vector tiles against their limit and two peers, on the database in DATABASE_URL.

For each tile of CASES (z5 and z8 county layer, z12 township layer): our endpoint through
HTTP (one kept-alive connection, as a map client keeps it) cold (cache emptied, after a
warm-up) and warm (from Redis); the raw SQL of the same tile (the limit:
the one ST_AsMVT statement, no HTTP, no Python); the same area as GeoJSON from a naive
GeoDjango view (every division of the layer intersecting the tile, full geometry,
Django's serializer, in-process); and pygeoapi serving the same table
(bench/pygeoapi_peer.py) through HTTP, as OGC API Features GeoJSON of the same area and
as its own vector tile of the same z/x/y. Median time of REPEAT runs (3 for the GeoJSON
peers) and bytes on the wire (gzip). Prints the tables, writes them to
bench/results/tiles.md and records the figures (bench/figures.py). Set
CIVATLAS_BENCH_URL to a running server (``make serve``), else gunicorn is started for
the run (bench/server.py). Without var/bench-peers (scripts/bench_peers.sh) the pygeoapi
columns are left empty.
"""

from __future__ import annotations

import gzip
import json
import os
import statistics
import sys
import time
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoapp.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.contrib.gis.geos import Polygon  # noqa: E402
from django.core.serializers import serialize  # noqa: E402
from django.db import connection  # noqa: E402

from bench import pygeoapi_peer  # noqa: E402
from bench.figures import machine, record  # noqa: E402
from bench.server import fetch, served  # noqa: E402
from boundaries.models import Division  # noqa: E402
from geoapp.tiles import cache  # noqa: E402
from geoapp.tiles.mvt import LAYERS, tile_box_lonlat, tile_sql  # noqa: E402

REPEAT = int(os.environ.get("CIVATLAS_BENCH_REPEAT", "7"))
WARM_UP = 4
CASES = [  # label, layer, z, x, y
    ("z5 泰安市一带", "county", 5, 26, 12),
    ("z5 湖北湖南", "county", 5, 26, 13),
    ("z8 清水县一带", "county", 8, 203, 101),
    ("z8 苏锡常", "county", 8, 213, 104),
    ("z12 清水县城", "township", 12, 3255, 1625),
]
RAW_FACTOR, WARM_MS, Z5_MS, Z5_KB = 1.3, 5.0, 80.0, 150.0
TARGETS = (f"Targets: cold ≤ {RAW_FACTOR} × raw SQL; cached ≤ {WARM_MS:.0f} ms; a z5 national tile "
           f"≤ {Z5_MS:.0f} ms and ≤ {Z5_KB:.0f} KB.")


@dataclass
class Row:
    label: str
    zxy: str
    count: int
    cold_ms: float
    warm_ms: float
    raw_ms: float
    kb: float
    naive_ms: float
    naive_kb: float
    peer_ms: float | None = None
    peer_kb: float | None = None
    peer_mvt_ms: float | None = None
    peer_mvt_kb: float | None = None


def _ms(fn, repeat=REPEAT, before=None):
    times = []
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), out


def _http(url):
    body, response = fetch(url, {"Accept-Encoding": "gzip"})  # kept alive, as a map client does
    return body, response.getheader("X-Tile-Cache")


def _raw(sql, params):
    # One execution as a client would send it: parsed and planned every time
    # (psycopg would otherwise prepare a statement repeated 5 times).
    with connection.connection.cursor() as cursor:
        cursor.execute(sql, params, prepare=False)
        return bytes(cursor.fetchone()[0] or b"")


def _naive(layer, box):
    rows = Division.objects.current().at_level(layer).filter(geom__intersects=box)
    return serialize("geojson", rows, geometry_field="geom", fields=["code", "name", "level"]).encode()


def _measure(base, peer, label, layer, z, x, y) -> Row:
    path = f"/tiles/{layer}/{z}/{x}/{y}.mvt"
    # Warm-up, rendering each time: both workers imported and connected, their database
    # sessions past their first statements of this shape (PostgreSQL's and PostGIS's
    # per-session caches), as the raw SQL's session below is and as pygeoapi's are.
    _ms(lambda: _http(base + path), repeat=WARM_UP, before=cache.flush)
    cold_ms, (body, state) = _ms(lambda: _http(base + path), before=cache.flush)
    assert state == "miss", state
    warm_ms, (_, state) = _ms(lambda: _http(base + path))
    assert state == "hit", state
    sql, params = tile_sql(LAYERS[layer], AnonymousUser(), z, x, y)
    _ms(lambda: _raw(sql, params), repeat=WARM_UP)
    raw_ms, _ = _ms(lambda: _raw(sql, params))
    box = Polygon.from_bbox(tile_box_lonlat(z, x, y).extent)
    naive_ms, naive_body = _ms(lambda: _naive(layer, box), repeat=3)
    count = len(json.loads(naive_body)["features"])
    row = Row(label, f"{z}/{x}/{y}", count, cold_ms, warm_ms, raw_ms, len(body) / 1024, naive_ms,
              len(gzip.compress(naive_body)) / 1024)
    if peer:
        for fetch in (lambda: pygeoapi_peer.features(peer, layer, box.extent),
                      lambda: pygeoapi_peer.tile(peer, layer, z, x, y)):
            fetch(), fetch()  # warm-up: both workers load their providers
        row.peer_ms, features = _ms(lambda: pygeoapi_peer.features(peer, layer, box.extent), repeat=3)
        returned = json.loads(gzip.decompress(features))
        assert returned["numberMatched"] == returned["numberReturned"] == count, (returned["numberMatched"], count)
        row.peer_kb = len(features) / 1024
        row.peer_mvt_ms, mvt = _ms(lambda: pygeoapi_peer.tile(peer, layer, z, x, y))
        row.peer_mvt_kb = len(mvt) / 1024
    return row


def _cell(value, digits=1):
    return "—" if value is None else f"{value:.{digits}f}"


def _ratio(ours, theirs):
    return "—" if theirs is None or not ours else f"{theirs / ours:.1f}"


def _record(row: Row) -> None:
    z5 = row.label.startswith("z5")
    name = f"{row.label} {row.zxy}"
    time_peers = {"naive GeoJSON": row.naive_ms}
    size_peers = {"naive GeoJSON": row.naive_kb}
    if row.peer_ms is not None:
        time_peers |= {"pygeoapi GeoJSON": row.peer_ms, "pygeoapi MVT": row.peer_mvt_ms}
        size_peers |= {"pygeoapi GeoJSON": row.peer_kb, "pygeoapi MVT": row.peer_mvt_kb}
    record("tiles", f"{name} cold, HTTP", row.cold_ms, "ms", target=RAW_FACTOR * row.raw_ms, peers=time_peers,
           note=f"target {RAW_FACTOR} × raw SQL {row.raw_ms:.1f} ms; {row.count} divisions")
    if z5:
        record("tiles", f"{name} cold, z5 bound", row.cold_ms, "ms", target=Z5_MS)
    record("tiles", f"{name} cached (Redis)", row.warm_ms, "ms", target=WARM_MS)
    record("tiles", f"{name} size (gz)", row.kb, "KB", target=Z5_KB if z5 else None, peers=size_peers)


def _tables(rows: list[Row], base: str, peer_note: str) -> str:
    lines = [
        f"Machine: {machine()}; database {connection.settings_dict['NAME']} ({Division.objects.count()} divisions); "
        f"server {base}; {peer_note}",
        "",
        "| tile | z/x/y | divisions | ours cold ms | ours warm ms | raw SQL ms | cold/raw | ours KB (gz) | "
        "naive GeoJSON ms | naive KB (gz) | pygeoapi GeoJSON ms | pygeoapi KB (gz) | pygeoapi MVT ms | "
        "pygeoapi MVT KB (gz) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r.label} | {r.zxy} | {r.count} | {r.cold_ms:.1f} | {r.warm_ms:.1f} | {r.raw_ms:.1f} | "
                     f"{r.cold_ms / r.raw_ms:.2f} | {r.kb:.1f} | {r.naive_ms:.1f} | {r.naive_kb:.1f} | "
                     f"{_cell(r.peer_ms)} | {_cell(r.peer_kb)} | {_cell(r.peer_mvt_ms)} | {_cell(r.peer_mvt_kb)} |")
    lines += ["", TARGETS, "",
              "| tile | cold ÷ (1.3 × raw) | warm ÷ 5 ms | z5: cold ÷ 80 ms | z5: KB ÷ 150 KB | "
              "naive GeoJSON ÷ ours cold (time, bytes) | pygeoapi GeoJSON ÷ ours cold (time, bytes) | "
              "pygeoapi MVT ÷ ours cold (time, bytes) |",
              "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        z5 = r.label.startswith("z5")
        lines.append(f"| {r.label} | {r.cold_ms / (RAW_FACTOR * r.raw_ms):.2f} | {r.warm_ms / WARM_MS:.2f} | "
                     f"{f'{r.cold_ms / Z5_MS:.2f}' if z5 else '—'} | {f'{r.kb / Z5_KB:.3f}' if z5 else '—'} | "
                     f"{_ratio(r.cold_ms, r.naive_ms)}, {_ratio(r.kb, r.naive_kb)} | "
                     f"{_ratio(r.cold_ms, r.peer_ms)}, {_ratio(r.kb, r.peer_kb)} | "
                     f"{_ratio(r.cold_ms, r.peer_mvt_ms)}, {_ratio(r.kb, r.peer_mvt_kb)} |")
    return "\n".join(lines)


def main():
    connection.ensure_connection()
    missing = pygeoapi_peer.missing()
    if missing:
        print(f"pygeoapi columns skipped: {missing}", flush=True)
    with served() as base, (nullcontext() if missing else pygeoapi_peer.served()) as peer:
        rows = [_measure(base, peer, *case) for case in CASES]
    for row in rows:
        _record(row)
    peer_note = (f"pygeoapi not measured ({missing})" if missing else
                 f"pygeoapi {pygeoapi_peer.version()} under gunicorn (2 workers × 2 threads, gzip on), bbox-crs and crs EPSG:4490")
    text = _tables(rows, base, peer_note)
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "tiles.md").write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
