"""The tile cache in Redis: already-gzipped bytes per (layer, z, x, y, scope), exact invalidation.

Keys: ``<prefix>:<layer>:<z>:<x>:<y>`` is a Redis hash whose fields are the viewer scopes
(``public``, ``all`` for superusers, ``p:<code prefix>`` for a jurisdiction) and whose
values are ``<etag>\\n<gzipped tile>``. The prefix carries the tile format version and the
database name, so two deployments (or test runs) on one Redis never share tiles. An
edit deletes the hashes of exactly the tiles whose buffered box meets the old or new
geometry, at every cached zoom (0 … ``CACHE_MAX_ZOOM``); deeper tiles are small and
rendered live. Without Redis (not installed, down, ``CIVATLAS_REDIS_URL`` empty) every
call is a miss and the endpoint renders each tile.
"""

from __future__ import annotations

import logging
import math
import time

from django.conf import settings

from geoapp.tiles.mvt import BUFFER, EXTENT, HALF

log = logging.getLogger(__name__)
FORMAT_VERSION = 1
CACHE_MAX_ZOOM = 14
_client = None
_down_until = 0.0


def client():
    """The Redis client, or None when Redis is not configured or unreachable (retried after 30 s)."""
    global _client, _down_until
    url = getattr(settings, "CIVATLAS_REDIS_URL", "")
    if not url or time.monotonic() < _down_until:
        return None
    if _client is None:
        import redis

        _client = redis.Redis.from_url(url, socket_connect_timeout=0.2, socket_timeout=0.5)
    return _client


def _failed(exc: Exception) -> None:
    global _down_until
    _down_until = time.monotonic() + 30
    log.warning("tile cache unavailable, rendering without it: %s", exc)


def prefix() -> str:
    return f"civatlas:{settings.DATABASES['default']['NAME']}:tiles:v{FORMAT_VERSION}"


def key(layer: str, z: int, x: int, y: int) -> str:
    return f"{prefix()}:{layer}:{z}:{x}:{y}"


def get(layer: str, z: int, x: int, y: int, scope: str) -> tuple[str, bytes] | None:
    redis = client()
    if redis is None or z > CACHE_MAX_ZOOM:
        return None
    try:
        value = redis.hget(key(layer, z, x, y), scope)
    except Exception as exc:  # noqa: BLE001 — any Redis failure means "render it"
        _failed(exc)
        return None
    if value is None:
        return None
    etag, _, body = value.partition(b"\n")
    return etag.decode(), body


def put(layer: str, z: int, x: int, y: int, scope: str, etag: str, gzipped: bytes) -> None:
    redis = client()
    if redis is None or z > CACHE_MAX_ZOOM:
        return
    try:
        redis.hset(key(layer, z, x, y), scope, etag.encode() + b"\n" + gzipped)
    except Exception as exc:  # noqa: BLE001
        _failed(exc)


def lonlat_to_tile_xy(lon: float, lat: float, z: int) -> tuple[float, float]:
    lat = max(min(lat, 85.0511), -85.0511)
    n = 2**z
    x = (lon + 180.0) / 360.0 * n
    y = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n
    return x, y


def tiles_touching(extent: tuple[float, float, float, float], max_zoom: int = CACHE_MAX_ZOOM):
    """(z, x, y) of every tile whose buffered box meets the lon/lat ``extent``."""
    minlon, minlat, maxlon, maxlat = extent
    pad = BUFFER / EXTENT
    for z in range(max_zoom + 1):
        n = 2**z
        x0, y1 = lonlat_to_tile_xy(minlon, minlat, z)
        x1, y0 = lonlat_to_tile_xy(maxlon, maxlat, z)
        for x in range(max(0, math.floor(x0 - pad)), min(n - 1, math.floor(x1 + pad)) + 1):
            for y in range(max(0, math.floor(y0 - pad)), min(n - 1, math.floor(y1 + pad)) + 1):
                yield z, x, y


def invalidate(layers, extents) -> int:
    """Delete the cached tiles of ``layers`` meeting any of the lon/lat ``extents``; the count of keys."""
    redis = client()
    if redis is None:
        return 0
    keys = {key(layer, z, x, y) for extent in extents if extent for layer in layers for z, x, y in tiles_touching(extent)}
    try:
        deleted = 0
        batch = list(keys)
        for i in range(0, len(batch), 1000):
            deleted += redis.delete(*batch[i : i + 1000])
        return deleted
    except Exception as exc:  # noqa: BLE001
        _failed(exc)
        return 0


def flush() -> int:
    """Delete every cached tile of this deployment (after a bulk load)."""
    redis = client()
    if redis is None:
        return 0
    deleted = 0
    try:
        for found in redis.scan_iter(match=f"{prefix()}:*", count=1000):
            deleted += redis.delete(found)
    except Exception as exc:  # noqa: BLE001
        _failed(exc)
    return deleted


__all__ = ["HALF", "flush", "get", "invalidate", "put", "tiles_touching"]
