"""Vector tiles against their limit and a naive GeoJSON peer, on the database in DATABASE_URL.

For z5 (eastern China, around 泰安市), z8 and z12 (around 清水县): our endpoint through
HTTP cold (cache emptied) and warm (from Redis), the raw SQL of the same tile (the limit:
the one ST_AsMVT statement, no HTTP, no Python), and the same area as GeoJSON from a
naive GeoDjango view (every county intersecting the tile, full geometry, Django's
serializer) — median time of REPEAT runs and bytes on the wire (gzip). Writes the table
to bench/results/tiles.md and prints it. Set CIVATLAS_BENCH_URL to a running server
(``make serve``), else the script starts gunicorn (2 workers, DEBUG off) on a free
loopback port for the run. pygeoapi is not installed, so it has no column (see docs/scaling.md).
"""

from __future__ import annotations

import gzip
import os
import platform
import statistics
import sys
import time
import urllib.request
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoapp.settings")
django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.contrib.gis.geos import Polygon  # noqa: E402
from django.core.serializers import serialize  # noqa: E402
from django.db import connection  # noqa: E402

from boundaries.models import Division  # noqa: E402
from geoapp.tiles import cache  # noqa: E402
from geoapp.tiles.cache import lonlat_to_tile_xy  # noqa: E402
from geoapp.tiles.mvt import LAYERS, tile_box_lonlat, tile_sql  # noqa: E402

BASE = os.environ.get("CIVATLAS_BENCH_URL", "")
raw_db = None
REPEAT = int(os.environ.get("CIVATLAS_BENCH_REPEAT", "7"))
CASES = [("z5 泰安市一带", "county", 5, 117.1, 36.2), ("z8 清水县一带", "county", 8, 106.1, 34.75),
         ("z12 清水县城", "township", 12, 106.13, 34.75)]


def _ms(fn, repeat=REPEAT, before=None):
    times = []
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), out


def _http(path):
    request = urllib.request.Request(BASE + path, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read(), response.headers.get("X-Tile-Cache")


def _start_server():
    """gunicorn as ``make serve`` runs it, on a free loopback port; returns (url, process)."""
    import socket
    import subprocess

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "CIVATLAS_DEBUG": "0", "CIVATLAS_SECRET_KEY": os.environ.get("CIVATLAS_SECRET_KEY", "bench-only"),
           "CIVATLAS_DB_CONN_MAX_AGE": "60"}
    process = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "geoapp.wsgi:application", "--bind",
                                f"127.0.0.1:{port}", "--workers", "2", "--log-level", "warning"], cwd=root, env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(url + "/tiles/province/0/0/0.mvt", timeout=5).read()
            return url, process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def main():
    global BASE
    server = None
    if not BASE:
        BASE, server = _start_server()
    try:
        _run()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)


TARGETS = "Targets: cold ≤ 1.3 × raw SQL; cached ≤ 5 ms; a z5 national tile ≤ 80 ms and ≤ 150 KB."


def _run():
    global raw_db
    connection.ensure_connection()
    raw_db = connection.connection  # the psycopg connection, with GeoDjango's adapters
    rows = []
    for label, layer, z, lon, lat in CASES:
        x, y = (int(v) for v in lonlat_to_tile_xy(lon, lat, z))
        path = f"/tiles/{layer}/{z}/{x}/{y}.mvt"

        cold_ms, (body, state) = _ms(lambda path=path: _http(path), before=cache.flush)
        assert state == "miss", state
        warm_ms, (_, state) = _ms(lambda path=path: _http(path))
        assert state == "hit", state
        sql, params = tile_sql(LAYERS[layer], AnonymousUser(), z, x, y)

        def raw(sql=sql, params=params):
            # One execution as a client would send it: parsed and planned every time
            # (psycopg would otherwise prepare a statement repeated 5 times).
            with raw_db.cursor() as cursor:
                cursor.execute(sql, params, prepare=False)
                return bytes(cursor.fetchone()[0] or b"")

        raw_ms, raw_body = _ms(raw)
        box = Polygon.from_bbox(tile_box_lonlat(z, x, y).extent)

        def naive(layer=layer, box=box):
            rows_ = Division.objects.current().at_level(layer).filter(geom__intersects=box)
            return serialize("geojson", rows_, geometry_field="geom", fields=["code", "name", "level"]).encode()

        naive_ms, naive_body = _ms(naive, repeat=3)
        rows.append((label, f"{z}/{x}/{y}", cold_ms, warm_ms, raw_ms, len(body), len(gzip.compress(raw_body)),
                     naive_ms, len(gzip.compress(naive_body))))
    lines = [
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; "
        f"database {connection.settings_dict['NAME']} ({Division.objects.count()} divisions); server {BASE}",
        "",
        "| tile | z/x/y | ours cold ms | ours warm ms | raw SQL ms | cold/raw | ours KB (gz) | naive GeoJSON ms | naive KB (gz) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, zxy, cold_ms, warm_ms, raw_ms, size, _raw_size, naive_ms, naive_size in rows:
        lines.append(f"| {label} | {zxy} | {cold_ms:.1f} | {warm_ms:.1f} | {raw_ms:.1f} | {cold_ms / raw_ms:.2f} | "
                     f"{size / 1024:.1f} | {naive_ms:.1f} | {naive_size / 1024:.1f} |")
    lines += ["", TARGETS, "", "| tile | cold ÷ (1.3 × raw) | warm ÷ 5 ms | z5: cold ÷ 80 ms | z5: KB ÷ 150 KB | naive GeoJSON ÷ ours cold (time) | naive ÷ ours (bytes) |",
              "|---|---|---|---|---|---|---|"]
    for label, _zxy, cold_ms, warm_ms, raw_ms, size, _raw_size, naive_ms, naive_size in rows:
        z5 = label.startswith("z5")
        lines.append(f"| {label} | {cold_ms / (1.3 * raw_ms):.2f} | {warm_ms / 5:.2f} | "
                     f"{f'{cold_ms / 80:.2f}' if z5 else '—'} | {f'{size / 1024 / 150:.3f}' if z5 else '—'} | "
                     f"{naive_ms / cold_ms:.1f} | {naive_size / max(size, 1):.0f} |")
    text = "\n".join(lines)
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "tiles.md").write_text(text + "\n", encoding="utf-8")
    (out / "latest.md").write_text(
        "# make bench: tiles (bench/bench_tiles.py)\n\nDemo database, not the national dataset (load_national is "
        "not built yet); figures on a 2-core machine shared with other work.\n\n" + text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
