"""The tile endpoint: ``/tiles/<layer>/<z>/<x>/<y>.mvt`` (Mapbox Vector Tile, gzipped).

Thin: pick the layer, check login for the non-public layers, answer from the cache or
render the tile in one SQL statement (``tiles.mvt``), store it, send it with an ETag.
``Cache-Control: no-cache`` makes browsers revalidate (a 304 from the cache costs one
Redis read), so an edit is visible at once; scoped tiles are ``private``.
"""

from __future__ import annotations

import gzip
import hashlib

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from geoapp.access import json_error
from geoapp.tiles import cache
from geoapp.tiles.mvt import COMPOSITES, LAYERS, MAX_ZOOM, is_public, render

MVT = "application/vnd.mapbox-vector-tile"


def scope_of(public: bool, user) -> str:
    """The cache scope: tiles are shared by everyone who may see the same rows."""
    if public:
        return "public"
    if user.is_superuser:
        return "all"
    return f"p:{user.jurisdiction_prefix}"


@require_GET
def tile(request, layer: str, z: int, x: int, y: int):
    if layer not in LAYERS and layer not in COMPOSITES:
        raise Http404(f"没有图层 {layer}")
    public = is_public(layer)
    if z > MAX_ZOOM or not (0 <= x < 2**z and 0 <= y < 2**z):
        raise Http404("瓦片编号超出范围")
    if not public and not (request.user.is_authenticated and request.user.is_active):
        return json_error("请先登录（login required）", 401)
    scope = scope_of(public, request.user)
    cached = cache.get(layer, z, x, y, scope)
    if cached:
        etag, gzipped = cached
        state = "hit"
    else:
        body = render(layer, request.user, z, x, y)
        etag = hashlib.blake2b(body, digest_size=8).hexdigest()
        gzipped = gzip.compress(body, compresslevel=6, mtime=0)
        cache.put(layer, z, x, y, scope, etag, gzipped)
        state = "miss"
    quoted = f'"{etag}"'
    if quoted in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
    elif "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(gzipped, content_type=MVT)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(gzipped), content_type=MVT)
    response["ETag"] = quoted
    response["Cache-Control"] = "public, no-cache" if public else "private, no-cache"
    response["Vary"] = "Accept-Encoding" if public else "Accept-Encoding, Cookie, Authorization"
    response["X-Tile-Cache"] = state
    return response
