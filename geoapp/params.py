"""Query-string parameters read strictly: finite numbers in range, real dates.

``float("nan")``, ``float("-1")`` or ``int("-1")`` are valid Python but meaningless (or
harmful: a negative slice, a NaN box, a date past year 9999) as API input. Each reader
raises ``ParamError`` with a Chinese message naming the parameter; the APIs answer it
with 400.
"""

from __future__ import annotations

import datetime as dt
import math

# Dates the platform can mean: from the founding of the PRC's administrative system to
# well past any plan (also keeps "the next midnight" inside datetime's range).
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2200, 12, 31)


class ParamError(ValueError):
    pass


def finite_float(raw, what: str, *, low: float, high: float) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError) as exc:
        raise ParamError(f"{what} 应为数字") from exc
    if not math.isfinite(value) or not low <= value <= high:
        raise ParamError(f"{what} 应在 {low:g} 到 {high:g} 之间")
    return value


def bounded_int(raw, what: str, *, low: int, high: int) -> int:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError) as exc:
        raise ParamError(f"{what} 应为整数") from exc
    if not low <= value <= high:
        raise ParamError(f"{what} 应在 {low} 到 {high} 之间")
    return value


def iso_date(raw: str, what: str = "date") -> dt.date:
    try:
        value = dt.date.fromisoformat(str(raw).strip())
    except ValueError as exc:
        raise ParamError(f"{what} 应为 YYYY-MM-DD 格式的日期：{raw}") from exc
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ParamError(f"{what} 应在 {EARLIEST_DATE:%Y} 年至 {LATEST_DATE:%Y} 年之间")
    return value


def lonlat_bbox(raw: str, what: str = "bbox") -> tuple[float, float, float, float]:
    parts = str(raw).split(",")
    if len(parts) != 4:
        raise ParamError(f"{what} 应为 minx,miny,maxx,maxy 四个数")
    minx, maxx = (finite_float(parts[i], what, low=-180, high=180) for i in (0, 2))
    miny, maxy = (finite_float(parts[i], what, low=-90, high=90) for i in (1, 3))
    if minx >= maxx or miny >= maxy:
        raise ParamError(f"{what} 应为 minx,miny,maxx,maxy（min 小于 max）")
    return minx, miny, maxx, maxy


def lonlat_point(raw: str, what: str) -> tuple[float, float]:
    parts = str(raw).split(",")
    if len(parts) != 2:
        raise ParamError(f"{what} 应为“经度,纬度”")
    return finite_float(parts[0], what, low=-180, high=180), finite_float(parts[1], what, low=-90, high=90)
