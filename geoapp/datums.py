"""Datum shifts for China's non-standard consumer-map coordinates.

AMap (高德), Tencent and most Chinese consumer maps publish coordinates in GCJ-02,
the "Mars" datum: WGS84 plus a deliberate, non-linear offset of several hundred
metres (DOMAIN.md §8). Baidu adds a second offset on top (BD-09). Neither has an
EPSG code, so PROJ cannot convert them; this module implements the publicly
documented algorithm (the same one used by eviltransform, coordtransform and
PROJ's out-of-tree grids) in pure Python:

* ``wgs84_to_gcj02`` is the forward obfuscation, computed in closed form.
* ``gcj02_to_wgs84`` has no closed form; it is inverted by fixed-point iteration
  until the round trip is below 1e-9° (about 0.1 mm), so converting AMap data to
  CGCS2000 loses nothing measurable.
* ``gcj02_to_bd09`` is Baidu's published rotation + offset; ``bd09_to_gcj02``
  inverts it by iteration as well.

Points outside mainland China's bounding box are not shifted, as in the
reference algorithm. CGCS2000 and WGS84 differ by centimetres, so the WGS84
result is used as CGCS2000 directly (DOMAIN.md §8).
"""

from __future__ import annotations

import math

import numpy as np

# Krasovsky 1940 ellipsoid parameters used by the GCJ-02 algorithm.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0

DATUMS = ("cgcs2000", "wgs84", "gcj02", "bd09")


def out_of_china(lon: float, lat: float) -> bool:
    """True where the GCJ-02 algorithm applies no offset (outside its box)."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _offset(lon: float, lat: float) -> tuple[float, float]:
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return dlon, dlat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Apply the GCJ-02 offset to a WGS84/CGCS2000 coordinate."""
    if out_of_china(lon, lat):
        return lon, lat
    dlon, dlat = _offset(lon, lat)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float, *, tolerance: float = 1e-9) -> tuple[float, float]:
    """Invert the GCJ-02 offset by fixed-point iteration (converges in < 10 steps)."""
    if out_of_china(lon, lat):
        return lon, lat
    wlon, wlat = lon, lat
    for _ in range(30):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        dlon, dlat = glon - lon, glat - lat
        wlon, wlat = wlon - dlon, wlat - dlat
        if abs(dlon) < tolerance and abs(dlat) < tolerance:
            break
    return wlon, wlat


def gcj02_to_wgs84_many(lon: np.ndarray, lat: np.ndarray, *, tolerance: float = 1e-9) -> tuple[np.ndarray, np.ndarray]:
    """``gcj02_to_wgs84`` for arrays of coordinates, in numpy: the same formulas and the
    same fixed-point iteration, each point stopping when it converges (as the scalar
    loop does), ~100× faster for whole outlines (a national load converts ~6 million
    vertices)."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    wlon, wlat = lon.copy(), lat.copy()
    active = (lon >= 72.004) & (lon <= 137.8347) & (lat >= 0.8293) & (lat <= 55.8271)
    for _ in range(30):
        if not active.any():
            break
        x, y = wlon[active], wlat[active]
        dlon, dlat = _offset_many(x, y)
        # wgs84_to_gcj02 shifts nothing outside the box; an iterate may step out of it.
        inside = (x >= 72.004) & (x <= 137.8347) & (y >= 0.8293) & (y <= 55.8271)
        dlon, dlat = np.where(inside, x + dlon, x) - lon[active], np.where(inside, y + dlat, y) - lat[active]
        wlon[active], wlat[active] = x - dlon, y - dlat
        done = (np.abs(dlon) < tolerance) & (np.abs(dlat) < tolerance)
        index = np.flatnonzero(active)
        active[index[done]] = False
    return wlon, wlat


def _offset_many(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_offset`` over arrays (``_transform_lat``/``_transform_lon`` as written above)."""
    x, y = lon - 105.0, lat - 35.0
    pi = math.pi
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    dlat += (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlat += (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * pi) + 320 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    dlon += (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlon += (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * pi)
    return dlon, dlat


def _bd09_to_gcj02_approx(lon: float, lat: float) -> tuple[float, float]:
    x, y = lon - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.cos(theta), z * math.sin(theta)


def bd09_to_gcj02(lon: float, lat: float, *, tolerance: float = 1e-10) -> tuple[float, float]:
    """Remove Baidu's BD-09 rotation and offset, giving GCJ-02.

    Baidu's published inverse is only good to ~20 cm; it is refined here by
    fixed-point iteration against the exact forward formula.
    """
    glon, glat = _bd09_to_gcj02_approx(lon, lat)
    for _ in range(10):
        blon, blat = gcj02_to_bd09(glon, glat)
        dlon, dlat = blon - lon, blat - lat
        glon, glat = glon - dlon, glat - dlat
        if abs(dlon) < tolerance and abs(dlat) < tolerance:
            break
    return glon, glat


def gcj02_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    """Apply Baidu's BD-09 rotation and offset to a GCJ-02 coordinate."""
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def to_cgcs2000(lon: float, lat: float, datum: str) -> tuple[float, float]:
    """Convert one lon/lat pair in ``datum`` to CGCS2000 (≈ WGS84 at cm level)."""
    if datum in ("cgcs2000", "wgs84"):
        return lon, lat
    if datum == "gcj02":
        return gcj02_to_wgs84(lon, lat)
    if datum == "bd09":
        return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))
    raise ValueError(f"unknown datum {datum!r}; expected one of {', '.join(DATUMS)}")
