"""pygeoapi serving the same PostGIS table as our tiles: the peer of bench/bench_tiles.py.

pygeoapi (the OGC API reference server, installed by scripts/bench_peers.sh into its own
venv var/bench-peers) publishes the current counties and townships as OGC API Features
collections (its PostgreSQL provider: GeoJSON, ``items?bbox=…``) and as OGC API Tiles
(its MVT-postgresql provider: ``ST_AsMVT`` over the full geometry, no generalisation,
no cache). Its providers read a table or view with an id and a geometry column, so
``create_views`` publishes the app's own ``Division.objects.current().at_level(…)``
QuerySet as views in a schema ``bench_peers`` of the measured database (recreated on
every run: the QuerySet binds today's date). The config and OpenAPI document go to
var/pygeoapi/ (not committed); ``served`` starts pygeoapi under the venv's gunicorn on a
free loopback port with as many workers and threads as ours.

CRS: the geometry is stored in CGCS2000 (EPSG:4490). pygeoapi reads a ``bbox`` as CRS84
by default and transforms it to the storage CRS with pyproj in EPSG axis order
(latitude first), which makes a lon/lat envelope of nonsense; so requests name
``bbox-crs`` and ``crs`` EPSG:4490 (identity: the bbox goes to ``ST_MakeEnvelope`` as
given, lon/lat, and features come back as stored, as the naive GeoJSON's do).
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

from bench.server import await_answer, fetch, free_port
from boundaries.models import Division
from geoapp.gis import CGCS2000

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "var" / "bench-peers"
CONFIG_DIR = ROOT / "var" / "pygeoapi"
SCHEMA = "bench_peers"
LEVELS = ("county", "township")
MAX_ITEMS = 10_000
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
STORAGE_CRS = f"http://www.opengis.net/def/crs/EPSG/0/{CGCS2000}"


def missing() -> str:
    """Why pygeoapi cannot run here ('' when it can)."""
    for tool in ("pygeoapi", "gunicorn"):
        if not (VENV / "bin" / tool).exists():
            return f"{VENV / 'bin' / tool} is missing (run scripts/bench_peers.sh)"
    return ""


def version() -> str:
    return subprocess.run([str(VENV / "bin" / "python"), "-c", "import pygeoapi; print(pygeoapi.__version__)"],
                          capture_output=True, text=True, check=True).stdout.strip()


def collection(level: str) -> str:
    return f"current_{level}"


def create_views() -> None:
    """``bench_peers.current_<level>``: the app's current divisions of that level, as SQL."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
        for level in LEVELS:
            rows = Division.objects.current().at_level(level).order_by().values("id", "code", "name", "level", "geom")
            sql, params = rows.query.sql_with_params()
            # DDL takes no bound parameters: the QuerySet's own (a date and a level) are
            # quoted into the view by psycopg's client-side composition.
            cursor.execute(f"CREATE OR REPLACE VIEW {SCHEMA}.{collection(level)} AS "
                           + connection.ops.compose_sql(sql, params))


def _database() -> dict:
    """pygeoapi's connection block from Django's settings (socket when HOST is empty)."""
    settings = connection.settings_dict
    data = {"dbname": settings["NAME"], "port": int(settings.get("PORT") or 5432), "search_path": [SCHEMA, "public"]}
    for ours, theirs in (("HOST", "host"), ("USER", "user"), ("PASSWORD", "password")):
        if settings.get(ours):
            data[theirs] = settings[ours]
    return data


def _resource(level: str) -> dict:
    common = {"data": _database(), "id_field": "id", "table": collection(level), "geom_field": "geom",
              "storage_crs": STORAGE_CRS}
    return {
        "type": "collection",
        "title": f"Current divisions at level {level}",
        "description": f"CivAtlas boundaries_division rows in force today, level {level}",
        "keywords": ["divisions"],
        "extents": {"spatial": {"bbox": [73, 3, 136, 54], "crs": CRS84}},
        "providers": [
            {"type": "feature", "name": "PostgreSQL", "crs": [CRS84, STORAGE_CRS], **common},
            {"type": "tile", "name": "MVT-postgresql", **common, "options": {"zoom": {"min": 0, "max": 22}},
             "format": {"name": "pbf", "mimetype": "application/vnd.mapbox-vector-tile"}},
        ],
    }


def write_config(url: str) -> tuple[Path, Path]:
    """The pygeoapi config for a server at ``url`` (JSON, which is YAML) and its OpenAPI document."""
    CONFIG_DIR.mkdir(parents=True, exist_ok=True)
    config = {
        "server": {"bind": {"host": "127.0.0.1", "port": urllib.parse.urlparse(url).port}, "url": url,
                   "mimetype": "application/json; charset=UTF-8", "encoding": "utf-8", "gzip": True,
                   "languages": ["en-US"], "limits": {"default_items": 10, "max_items": MAX_ITEMS},
                   "map": {"url": "", "attribution": ""}},
        "logging": {"level": "CRITICAL"},  # an empty tile is logged as an ERROR (its 204)
        "metadata": {
            "identification": {"title": "CivAtlas benchmark peer", "description": "make bench", "keywords": ["bench"],
                               "keywords_type": "theme", "terms_of_service": url, "url": url},
            "license": {"name": "CC-BY 4.0", "url": url}, "provider": {"name": "CivAtlas", "url": url},
            "contact": {"name": "CivAtlas", "url": url},
        },
        "resources": {collection(level): _resource(level) for level in LEVELS},
    }
    config_path, openapi_path = CONFIG_DIR / "config.yml", CONFIG_DIR / "openapi.yml"
    config_path.write_text(json.dumps(config, indent=1, ensure_ascii=False), encoding="utf-8")
    subprocess.run([str(VENV / "bin" / "pygeoapi"), "openapi", "generate", str(config_path),
                    "--output-file", str(openapi_path)], check=True, capture_output=True)
    return config_path, openapi_path


@contextmanager
def served(*, workers: int = 2, threads: int = 2) -> Iterator[str]:
    """Yield the base URL of pygeoapi serving the measured database; stopped afterwards."""
    create_views()
    url = f"http://127.0.0.1:{free_port()}"
    config_path, openapi_path = write_config(url)
    env = {**os.environ, "PYGEOAPI_CONFIG": str(config_path), "PYGEOAPI_OPENAPI": str(openapi_path)}
    process = subprocess.Popen(
        [str(VENV / "bin" / "gunicorn"), "pygeoapi.flask_app:APP", "--bind", url.removeprefix("http://"),
         "--workers", str(workers), "--threads", str(threads), "--log-level", "warning"], cwd=CONFIG_DIR, env=env)
    try:
        await_answer(process, f"{url}/collections/{collection(LEVELS[0])}?f=json", name="pygeoapi")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _get(url: str) -> bytes:
    """The body as it crossed the wire (gzip when the server compressed it)."""
    return fetch(url, {"Accept-Encoding": "gzip"})[0]  # kept alive, as our endpoint is measured


def features(base: str, level: str, bbox: tuple[float, float, float, float]) -> bytes:
    """Every current division of ``level`` intersecting ``bbox`` (lon/lat) as GeoJSON."""
    query = urllib.parse.urlencode({"bbox": ",".join(f"{v:.7f}" for v in bbox), "bbox-crs": STORAGE_CRS,
                                    "crs": STORAGE_CRS, "limit": MAX_ITEMS, "f": "json"})
    return _get(f"{base}/collections/{collection(level)}/items?{query}")


def tile(base: str, level: str, z: int, x: int, y: int) -> bytes:
    """The Web Mercator vector tile z/x/y of ``level`` (OGC API Tiles orders it z/row/col)."""
    return _get(f"{base}/collections/{collection(level)}/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt")
