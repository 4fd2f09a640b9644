"""Read the walked track from a GPX 1.0/1.1 file (track segments and routes).

Plain Python. Files with a DOCTYPE or entity declarations are refused before parsing
(no entity expansion); coordinates are WGS84 in GPX, taken as CGCS2000 (they differ by
centimetres, DOMAIN.md §8).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

MAX_BYTES = 20 * 1024 * 1024


class GPXError(ValueError):
    """The file is not a usable GPX track (message in Chinese)."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_gpx(data: bytes) -> list[list[tuple[float, float]]]:
    """Segments of (lon, lat) points: every ``trkseg`` and every ``rte``."""
    if len(data) > MAX_BYTES:
        raise GPXError(f"GPX 文件超过 {MAX_BYTES // 1024 // 1024} MB")
    head = data[:4096].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data.upper():
        raise GPXError("GPX 文件含有 DOCTYPE/ENTITY 声明，已拒绝")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise GPXError(f"无法读取 GPX 文件：{exc}") from exc
    if _local(root.tag) != "gpx":
        raise GPXError("不是 GPX 文件（根元素应为 gpx）")
    segments = []
    for element in root.iter():
        name = _local(element.tag)
        if name in ("trkseg", "rte"):
            points = []
            for point in element:
                if _local(point.tag) in ("trkpt", "rtept"):
                    try:
                        lon, lat = float(point.attrib["lon"]), float(point.attrib["lat"])
                    except (KeyError, ValueError) as exc:
                        raise GPXError("GPX 点缺少有效的 lat/lon 属性") from exc
                    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                        raise GPXError(f"GPX 点坐标超出范围：{lon}, {lat}")
                    points.append((lon, lat))
            if len(points) >= 2:
                segments.append(points)
    if not segments:
        raise GPXError("GPX 文件中没有至少含两个点的轨迹段")
    return segments


def write_gpx(segments: list[list[tuple[float, float]]], *, name: str = "track") -> bytes:
    """A GPX 1.1 file of the segments (for tests and the demo)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<gpx version="1.1" creator="CivAtlas" xmlns="http://www.topografix.com/GPX/1/1">',
           f"<trk><name>{name}</name>"]
    for seg in segments:
        out.append("<trkseg>" + "".join(f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"/>' for lon, lat in seg) + "</trkseg>")
    out.append("</trk></gpx>")
    return "\n".join(out).encode()
