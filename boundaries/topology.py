"""One PostGIS topology per province for every polygon level (ADR 0014).

``civ_<province code prefix>`` (e.g. ``civ_62``) holds the townships of the province
as faces; every edge is stored once. Four TopoGeometry layers sit on it:

* ``township_units`` (layer 1): each township is a set of faces (the base layer);
* ``county_units``, ``prefecture_units``, ``province_units``: hierarchical layers, each
  unit built (``CreateTopoGeom``) from the TopoGeometries of its children in the layer
  below, so a county *is* the union of its townships and its outline is the chain of
  township edges on it.

Real data is rarely a perfect coverage (the AMap county outlines overlap and leave gaps
of a few m² between counties, so their townships do too). This is resolved once, at
the base: a face claimed by two townships (overlap) or enclosed by townships but
claimed by none (gap) goes to the township that shares most of its outline (ties: the
smaller id), when it is at most ``SLIVER_MAX_M2``; bigger ones are reported and left
for a person. Every level above inherits the result. The resolved owner of every face
is kept in ``<topology>.face_owner``.

Division polygons follow the topology: a township is the union of its faces, a county
the union of its townships, and so on; ``<topology>.follows`` lists the divisions whose
``geom`` is re-derived after an edit. A parent whose own outline differs from the union
of its children by more than a sliver (a province of which the demo holds only one
prefecture) keeps its outline and is reported as not following.

Lines of every level come from the same edges: an edge is a township line when the
townships on its two sides differ, a county line when their counties differ, and so on
(the sides are read through the hierarchical layers).

Raw SQL: the ORM cannot call topology functions. Identifiers (the topology schema and
its tables) are built only from a code prefix and fixed level names and quoted with
psycopg's ``sql`` module; values are always bound.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone
from psycopg import sql

from geoapp.gis import CGCS2000

# Snapping tolerance of the topology, in degrees (1e-7° ≈ 1 cm): vertices closer than
# this are one node. Real neighbours from one source share vertices exactly.
TOLERANCE_DEG = 1e-7
# Overlap and gap faces up to this area are absorbed into a neighbour (a sliver from
# digitising); bigger ones are real problems for a person to resolve.
SLIVER_MAX_M2 = 10_000.0
UNIVERSE_FACE = 0
# The polygon levels of one topology, base first; each is a layer (layer id = index + 1).
LEVELS = ("township", "county", "prefecture", "province")
# Levels whose boundary lines are kept as ``BoundaryLine`` records. Province lines would
# lie between two topologies (one per province), so they are not derived here.
LINE_LEVELS = ("township", "county", "prefecture")


class TopologyRefused(Exception):
    """A change the topology cannot take; ``message`` is for the user (Chinese)."""

    def __init__(self, message: str, location: tuple[float, float] | None = None):
        super().__init__(message)
        self.message = message
        self.location = location


@dataclass
class Sliver:
    kind: str  # "overlap" or "gap"
    face_id: int
    area_m2: float
    lon: float
    lat: float
    candidates: list[int]  # division ids involved
    assigned_to: int | None  # division id, or None when left alone (too big)


@dataclass
class Topology:
    name: str
    layers: dict[str, int] = field(default_factory=dict)  # level → layer id
    owners: dict[int, int] = field(default_factory=dict)  # face_id → township id
    slivers: list[Sliver] = field(default_factory=list)
    adopted: list[int] = field(default_factory=list)  # divisions whose geom was re-derived
    not_following: list[tuple[int, float]] = field(default_factory=list)  # (division id, largest difference m²)


def topology_name(code: str) -> str:
    """The topology holding a division: one per province, ``civ_<2-digit prefix>``."""
    return f"civ_{code[:2]}"


def _exec(cursor, query, params=None):
    cursor.execute(query, params or ())
    return cursor


def _table(name: str, table: str) -> sql.Composed:
    return sql.SQL("{}.{}").format(sql.Identifier(name), sql.Identifier(table))


def drop_topology(name: str) -> None:
    with connection.cursor() as cursor:
        exists = _exec(cursor, "SELECT count(*) FROM topology.topology WHERE name = %s", [name]).fetchone()[0]
        if exists:
            cursor.execute("SELECT topology.DropTopology(%s)", [name])


def exists(name: str) -> bool:
    with connection.cursor() as cursor:
        return bool(_exec(cursor, "SELECT count(*) FROM topology.topology WHERE name = %s", [name]).fetchone()[0])


def drop_legacy_topologies(province_code: str) -> list[str]:
    """Drop the per-parent-and-level topologies of ADR 0008 (``civ_6205_county``…) of a province."""
    with connection.cursor() as cursor:
        names = [r[0] for r in _exec(
            cursor, "SELECT name FROM topology.topology WHERE name ~ %s ORDER BY name",
            [rf"^civ_{province_code[:2]}[0-9]*_[a-z]+$"],
        ).fetchall()]
    for name in names:
        drop_topology(name)
    return names


def build_topology(
    *, province_code: str, progress: Callable[[int], None] | None = None
) -> Topology:
    """(Re)create the topology of a province from its current township polygons,
    resolve slivers at the base and build the hierarchical layers above it."""
    name = topology_name(province_code)
    drop_topology(name)
    topo = Topology(name=name)
    schema = sql.Identifier(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT topology.CreateTopology(%s, %s, %s)", [name, CGCS2000, TOLERANCE_DEG])
        cursor.execute(sql.SQL(
            "CREATE TABLE {}.face_owner (face_id integer PRIMARY KEY, division_id bigint NOT NULL)").format(schema))
        cursor.execute(sql.SQL(
            "CREATE TABLE {}.follows (division_id bigint PRIMARY KEY, level text NOT NULL)").format(schema))
        child = None
        for level in LEVELS:
            table = f"{level}_units"
            cursor.execute(sql.SQL(
                "CREATE TABLE {} (division_id bigint PRIMARY KEY, parent_id bigint)").format(_table(name, table)))
            args = [name, name, table, "tg", "POLYGON"] + ([child] if child else [])
            placeholders = ", ".join(["%s"] * len(args))
            topo.layers[level] = child = _exec(
                cursor, f"SELECT topology.AddTopoGeometryColumn({placeholders})", args).fetchone()[0]
        townships = _exec(
            cursor,
            "SELECT id FROM boundaries_division WHERE level = 'township' AND code LIKE %s AND geom IS NOT NULL "
            "AND valid_from <= %s AND (valid_to IS NULL OR valid_to > %s) ORDER BY code",
            # Today in the site's time zone (what ``Division.objects.current()`` means), not the
            # database session's CURRENT_DATE (UTC): they differ for eight hours of every day.
            [province_code[:2] + "%", timezone.localdate(), timezone.localdate()],
        ).fetchall()
        insert = sql.SQL(
            "INSERT INTO {} (division_id, parent_id, tg) SELECT id, parent_id, "
            "topology.toTopoGeom(geom, %s, %s, %s) FROM boundaries_division WHERE id = %s"
        ).format(_table(name, "township_units"))
        for (division_id,) in townships:
            cursor.execute(insert, [name, topo.layers["township"], TOLERANCE_DEG, division_id])
            if progress:
                progress(1)
    _resolve_owners(topo)
    _save_owners(topo)
    _build_upper_layers(topo)
    return topo


def _resolve_owners(topo: Topology) -> None:
    schema = sql.Identifier(topo.name)
    with connection.cursor() as cursor:
        claims: dict[int, list[int]] = defaultdict(list)
        rows = _exec(
            cursor,
            sql.SQL(
                "SELECT r.element_id, m.division_id FROM {0}.relation r "
                "JOIN {0}.township_units m ON (m.tg).id = r.topogeo_id WHERE r.layer_id = %s ORDER BY 1, 2"
            ).format(schema),
            [topo.layers["township"]],
        ).fetchall()
        for face_id, division_id in rows:
            claims[face_id].append(division_id)
        faces = [r[0] for r in _exec(cursor, sql.SQL("SELECT face_id FROM {}.face WHERE face_id > 0").format(schema))]
        edges = _exec(
            cursor,
            sql.SQL("SELECT left_face, right_face, ST_Length(geom::geography, true) FROM {}.edge_data").format(schema),
        ).fetchall()
    for face_id, owners in claims.items():
        if len(owners) == 1:
            topo.owners[face_id] = owners[0]
    problem_faces = sorted(f for f in faces if len(claims.get(f, [])) != 1)
    # Shared outline length between each problem face and each neighbouring face.
    touching: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for left, right, length in edges:
        touching[left][right] += length
        touching[right][left] += length
    for face_id in problem_faces:
        _resolve_face(topo, face_id, claims.get(face_id, []), touching[face_id])


def _resolve_face(topo: Topology, face_id: int, claimants: list[int], touching: dict[int, float]) -> None:
    if not claimants and UNIVERSE_FACE in touching:
        return  # a notch open to the outside: not between the divisions, nothing to own it
    score: dict[int, float] = defaultdict(float)
    for neighbour_face, length in touching.items():
        owner = topo.owners.get(neighbour_face)
        if owner is not None and (not claimants or owner in claimants):
            score[owner] += length
    candidates = claimants or sorted(score)
    with connection.cursor() as cursor:
        area, lon, lat = cursor.execute(
            "SELECT ST_Area(g::geography, true), ST_X(p), ST_Y(p) FROM "
            "(SELECT g, ST_PointOnSurface(g) p FROM (SELECT topology.ST_GetFaceGeometry(%s, %s) g) a) b",
            [topo.name, face_id],
        ).fetchone()
    chosen = None
    if area <= SLIVER_MAX_M2 and candidates:
        chosen = max(candidates, key=lambda d: (score.get(d, 0.0), -d))
        topo.owners[face_id] = chosen
    topo.slivers.append(
        Sliver(
            kind="overlap" if claimants else "gap", face_id=face_id, area_m2=area, lon=lon, lat=lat,
            candidates=candidates, assigned_to=chosen,
        )
    )


def _save_owners(topo: Topology) -> None:
    """Store the owners and make the township layer say exactly that (one owner per face)."""
    layer = topo.layers["township"]
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DELETE FROM {}").format(_table(topo.name, "face_owner")))
        cursor.executemany(
            sql.SQL("INSERT INTO {} (face_id, division_id) VALUES (%s, %s)").format(_table(topo.name, "face_owner")),
            list(topo.owners.items()),
        )
        cursor.execute(sql.SQL("DELETE FROM {}.relation WHERE layer_id = %s").format(sql.Identifier(topo.name)),
                       [layer])
        cursor.execute(
            sql.SQL(
                "INSERT INTO {0}.relation (topogeo_id, layer_id, element_id, element_type) "
                "SELECT (u.tg).id, %s, f.face_id, 3 FROM {0}.face_owner f "
                "JOIN {0}.township_units u ON u.division_id = f.division_id"
            ).format(sql.Identifier(topo.name)),
            [layer],
        )


def _build_upper_layers(topo: Topology) -> None:
    """County, prefecture, province units as TopoGeometries of their children (hierarchical)."""
    for child_level, level in zip(LEVELS, LEVELS[1:], strict=False):
        child_layer, layer = topo.layers[child_level], topo.layers[level]
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL(
                    "INSERT INTO {units} (division_id, parent_id, tg) "
                    "SELECT d.id, d.parent_id, topology.CreateTopoGeom(%s, 3, %s, "
                    "  ARRAY(SELECT ARRAY[(c.tg).id, %s] FROM {children} c WHERE c.parent_id = d.id "
                    "        ORDER BY c.division_id)::topology.topoelementarray) "
                    "FROM boundaries_division d WHERE d.level = %s "
                    "AND d.id IN (SELECT parent_id FROM {children})"
                ).format(units=_table(topo.name, f"{level}_units"), children=_table(topo.name, f"{child_level}_units")),
                [topo.name, layer, child_layer, level],
            )


@dataclass
class FaceChain:
    """The division at every level that owns a face (None above where the chain stops)."""

    township: int | None = None
    county: int | None = None
    prefecture: int | None = None
    province: int | None = None

    def at(self, level: str) -> int | None:
        return getattr(self, level)


def face_chains(name: str) -> dict[int, FaceChain]:
    """{face_id: FaceChain} read through the hierarchical layers (face → township → … → province)."""
    with connection.cursor() as cursor:
        layers = dict(_exec(cursor, "SELECT table_name, layer_id FROM topology.layer l JOIN topology.topology t "
                                    "ON t.id = l.topology_id WHERE t.name = %s", [name]).fetchall())
        joins = []
        for child_level, level in zip(LEVELS, LEVELS[1:], strict=False):
            joins.append(sql.SQL(
                "LEFT JOIN {rel} r_{lv} ON r_{lv}.layer_id = {lid} AND r_{lv}.element_id = (u_{ch}.tg).id "
                "LEFT JOIN {units} u_{lv} ON (u_{lv}.tg).id = r_{lv}.topogeo_id "
            ).format(rel=_table(name, "relation"), lv=sql.SQL(level), ch=sql.SQL(child_level),
                     lid=sql.Literal(layers[f"{level}_units"]), units=_table(name, f"{level}_units")))
        query = sql.SQL(
            "SELECT r.element_id, u_township.division_id, u_county.division_id, u_prefecture.division_id, "
            "u_province.division_id FROM {rel} r JOIN {units} u_township ON (u_township.tg).id = r.topogeo_id "
            "{joins} WHERE r.layer_id = {lid}"
        ).format(rel=_table(name, "relation"), units=_table(name, "township_units"), joins=sql.SQL("").join(joins),
                 lid=sql.Literal(layers["township_units"]))
        rows = _exec(cursor, query).fetchall()
    return {face: FaceChain(*ids) for face, *ids in rows}


@dataclass
class EdgeSides:
    edge_id: int
    left: FaceChain
    right: FaceChain
    length_m: float

    def top_level(self) -> str | None:
        """The highest level at which the two sides are different divisions (None: inside one township)."""
        for level in reversed(LEVELS):
            if self.left.at(level) != self.right.at(level):
                return level
        return None

    @property
    def outer(self) -> bool:
        return self.left.township is None or self.right.township is None


def edge_sides(name: str, edge_ids: list[int] | None = None) -> list[EdgeSides]:
    chains = face_chains(name)
    empty = FaceChain()
    with connection.cursor() as cursor:
        query = sql.SQL("SELECT edge_id, left_face, right_face, ST_Length(geom::geography, true) FROM {}").format(
            _table(name, "edge_data"))
        if edge_ids is None:
            rows = _exec(cursor, query + sql.SQL(" ORDER BY edge_id")).fetchall()
        else:
            rows = _exec(cursor, query + sql.SQL(" WHERE edge_id = ANY(%s) ORDER BY edge_id"), [list(edge_ids)])
            rows = rows.fetchall()
    return [EdgeSides(e, chains.get(lf, empty), chains.get(rf, empty), length) for e, lf, rf, length in rows]


def lines_by_level(name: str) -> dict[tuple[str, int, int | None], list[int]]:
    """Edge ids grouped by (level, division a, division b or None for an outer edge),
    for every level of ``LINE_LEVELS``: the same edge is in the township line of its two
    townships, and also in the county line when their counties differ, and so on."""
    pairs: dict[tuple[str, int, int | None], list[int]] = defaultdict(list)
    for sides in edge_sides(name):
        for level in LINE_LEVELS:
            a, b = sides.left.at(level), sides.right.at(level)
            if a == b:
                continue
            ids = sorted(d for d in (a, b) if d is not None)
            pairs[(level, ids[0], ids[1] if len(ids) == 2 else None)].append(sides.edge_id)
    return dict(pairs)


def merged_edges(name: str, edge_ids: list[int]) -> tuple[str, float]:
    """(EWKB of the merged MultiLineString, ellipsoidal length in m) of some edges."""
    with connection.cursor() as cursor:
        return _exec(
            cursor,
            sql.SQL(
                "SELECT ST_AsEWKB(ST_Multi(ST_LineMerge(ST_Collect(geom ORDER BY edge_id)))), "
                "sum(ST_Length(geom::geography, true)) FROM {} WHERE edge_id = ANY(%s)"
            ).format(_table(name, "edge_data")),
            [edge_ids],
        ).fetchone()


def merged_lines(name: str, groups: list[list[int]]) -> list[tuple[bytes, float]]:
    """``merged_edges`` for many groups of edges in one query (in the order given)."""
    keys = [i for i, edges in enumerate(groups) for _ in edges]
    edge_ids = [e for edges in groups for e in edges]
    with connection.cursor() as cursor:
        rows = _exec(
            cursor,
            sql.SQL(
                "SELECT m.k, ST_AsEWKB(ST_Multi(ST_LineMerge(ST_Collect(e.geom ORDER BY e.edge_id)))), "
                "sum(ST_Length(e.geom::geography, true)) FROM {} e "
                "JOIN unnest(%s::int[], %s::int[]) AS m(edge_id, k) ON m.edge_id = e.edge_id GROUP BY m.k"
            ).format(_table(name, "edge_data")),
            [edge_ids, keys],
        ).fetchall()
    found = {k: (ewkb, length) for k, ewkb, length in rows}
    return [found[i] for i in range(len(groups))]


def face_union(name: str, division_id: int):
    """EWKB of a township re-derived from its faces."""
    with connection.cursor() as cursor:
        return _exec(
            cursor,
            sql.SQL(
                "SELECT ST_AsEWKB(ST_Multi(ST_Union(topology.ST_GetFaceGeometry(%s, face_id)))) "
                "FROM {} WHERE division_id = %s"
            ).format(_table(name, "face_owner")),
            [name, division_id],
        ).fetchone()[0]


def townships_off_their_faces(name: str) -> list[tuple[int, bytes]]:
    """(township id, EWKB of its faces' union) for each township whose polygon is not
    exactly (vertex for vertex, after normalising) the union of its faces."""
    with connection.cursor() as cursor:
        return _exec(
            cursor,
            sql.SQL(
                "SELECT f.division_id, ST_AsEWKB(f.u) FROM (SELECT division_id, "
                "  ST_Multi(ST_Union(topology.ST_GetFaceGeometry(%s, face_id))) u FROM {} GROUP BY division_id) f "
                "JOIN boundaries_division d ON d.id = f.division_id "
                "WHERE NOT ST_OrderingEquals(ST_Normalize(f.u), ST_Normalize(d.geom)) "
                "ORDER BY f.division_id"
            ).format(_table(name, "face_owner")),
            [name],
        ).fetchall()


def followers(name: str) -> dict[int, str]:
    """{division id: level} of the divisions whose polygon follows the topology."""
    with connection.cursor() as cursor:
        return dict(_exec(cursor, sql.SQL("SELECT division_id, level FROM {}").format(_table(name, "follows"))))


def set_followers(name: str, rows: list[tuple[int, str]]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DELETE FROM {}").format(_table(name, "follows")))
        cursor.executemany(sql.SQL("INSERT INTO {} (division_id, level) VALUES (%s, %s)").format(
            _table(name, "follows")), rows)


def owners_of_faces(name: str, face_ids: list[int]) -> set[int]:
    with connection.cursor() as cursor:
        rows = _exec(cursor, sql.SQL("SELECT DISTINCT division_id FROM {} WHERE face_id = ANY(%s)").format(
            _table(name, "face_owner")), [list(face_ids)]).fetchall()
    return {r[0] for r in rows}


@dataclass
class EdgeRecord:
    edge_id: int
    start_node: int
    end_node: int
    left_face: int
    right_face: int
    coords: list[tuple[float, float]]


def edge_records(name: str, edge_ids: list[int] | None = None, *, nodes: list[int] | None = None
                 ) -> dict[int, EdgeRecord]:
    """Edges by id, or the edges meeting some nodes, with their coordinates."""
    query = sql.SQL(
        "SELECT edge_id, start_node, end_node, left_face, right_face, ST_AsText(geom) FROM {} WHERE "
    ).format(_table(name, "edge_data"))
    if nodes is not None:
        query += sql.SQL("start_node = ANY(%s) OR end_node = ANY(%s)")
        params = [list(nodes), list(nodes)]
    else:
        query += sql.SQL("edge_id = ANY(%s)")
        params = [list(edge_ids or [])]
    from django.contrib.gis.geos import GEOSGeometry

    with connection.cursor() as cursor:
        rows = _exec(cursor, query, params).fetchall()
    return {r[0]: EdgeRecord(r[0], r[1], r[2], r[3], r[4], list(GEOSGeometry(r[5]).coords)) for r in rows}


def edge_geometries(name: str, edge_ids: list[int]) -> dict[int, str]:
    """{edge_id: WKT} of some edges (the editor's starting point)."""
    with connection.cursor() as cursor:
        rows = _exec(
            cursor,
            sql.SQL("SELECT edge_id, ST_AsText(geom) FROM {} WHERE edge_id = ANY(%s)").format(
                _table(name, "edge_data")),
            [edge_ids],
        ).fetchall()
    return dict(rows)


def change_edge(name: str, edge_id: int, wkt: str) -> None:
    """Move an edge's interior for both faces (``ST_ChangeEdgeGeom``); PostGIS refuses an
    edge that crosses another edge or a node, is not simple, or moves past another edge."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT topology.ST_ChangeEdgeGeom(%s, %s, ST_GeomFromText(%s, %s))",
                       [name, edge_id, wkt, CGCS2000])


def first_crossing(name: str, edge_id: int, wkt: str) -> tuple[float, float] | None:
    """Where a proposed edge geometry first meets another edge (not at its own ends)."""
    with connection.cursor() as cursor:
        row = _exec(
            cursor,
            sql.SQL(
                "WITH g AS (SELECT ST_GeomFromText(%s, %s) AS geom), "
                "x AS (SELECT ST_Intersection(g.geom, e.geom) AS geom FROM {} e, g "
                "      WHERE e.edge_id <> %s AND ST_Intersects(g.geom, e.geom) "
                "        AND NOT ST_Touches(g.geom, e.geom)) "
                "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p FROM x LIMIT 1) a"
            ).format(_table(name, "edge_data")),
            [wkt, CGCS2000, edge_id],
        ).fetchone()
    return (row[0], row[1]) if row else None


def _azimuth_order(records: list[tuple[int, list[tuple[float, float]], bool]]) -> list[int]:
    """Edge ids around a node in the order of their first segment's direction."""
    def angle(coords, at_start):
        (x0, y0), (x1, y1) = (coords[0], coords[1]) if at_start else (coords[-1], coords[-2])
        return math.atan2(y1 - y0, x1 - x0)

    ends = [(angle(coords, at_start), edge_id) for edge_id, coords, at_start in records]
    return [edge_id for _, edge_id in sorted(ends)]


def _same_cycle(a: list[int], b: list[int]) -> bool:
    if len(a) != len(b):
        return False
    if not a:
        return True
    i = b.index(a[0]) if a[0] in b else -1
    return i >= 0 and b[i:] + b[:i] == a


def move_nodes(name: str, moves: dict[int, tuple[float, float]], submitted: dict[int, list[tuple[float, float]]]
               ) -> set[int]:
    """Move nodes (triple points) and every edge meeting them; returns the edges changed.

    ``submitted`` gives new coordinates for some of those edges (the ones the user drew);
    the others keep their course with the end at the node moved. Refused, before anything
    is written, when a moved edge is not simple, meets another edge or node except at its
    own ends, or when the order of the edges around a node would change; after writing,
    ``ValidateTopology`` over the area checks what is left (the caller's savepoint undoes
    the writes on a refusal).
    """
    from django.contrib.gis.geos import LineString

    incident = edge_records(name, nodes=list(moves))
    new: dict[int, list[tuple[float, float]]] = {}
    for edge_id, rec in incident.items():
        coords = list(submitted.get(edge_id, rec.coords))
        if rec.start_node in moves:
            coords[0] = moves[rec.start_node]
        if rec.end_node in moves:
            coords[-1] = moves[rec.end_node]
        new[edge_id] = coords
    changed = set(new)
    wkts = {e: LineString(c, srid=CGCS2000).wkt for e, c in new.items()}
    for node, (x, y) in moves.items():
        around = [(e, r.coords, r.start_node == node) for e, r in incident.items() if node in (r.start_node, r.end_node)]
        after = [(e, new[e], r.start_node == node) for e, r in incident.items() if node in (r.start_node, r.end_node)]
        if not _same_cycle(_azimuth_order(around), _azimuth_order(after)):
            raise TopologyRefused("移动后交点处各条界线的先后次序改变（界线在交点处交叉）", (x, y))
    with connection.cursor() as cursor:
        for edge_id, wkt in wkts.items():
            simple, length = _exec(cursor, "SELECT ST_IsSimple(g), ST_Length(g) FROM (SELECT ST_GeomFromText(%s) g) a",
                                   [wkt]).fetchone()
            if not simple or length == 0:
                raise TopologyRefused("新界线自相交", new[edge_id][len(new[edge_id]) // 2])
            # Another (unchanged) edge meeting this one anywhere but at a shared, unmoved node.
            row = _exec(
                cursor,
                sql.SQL(
                    "WITH g AS (SELECT ST_GeomFromText(%s, %s) AS geom) "
                    "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(ST_Difference(ST_Intersection(g.geom, e.geom),"
                    "  ST_Collect(ST_StartPoint(e.geom), ST_EndPoint(e.geom)))) p "
                    "  FROM {} e, g WHERE e.edge_id <> ALL(%s) AND ST_Intersects(g.geom, e.geom)) a "
                    "WHERE p IS NOT NULL AND NOT ST_IsEmpty(p) LIMIT 1"
                ).format(_table(name, "edge_data")),
                [wkt, CGCS2000, list(changed)],
            ).fetchone()
            if row is None:
                row = _exec(  # a node moved onto another edge, or an edge through a node that is not its own
                    cursor,
                    sql.SQL(
                        "WITH g AS (SELECT ST_GeomFromText(%s, %s) AS geom) SELECT ST_X(n.geom), ST_Y(n.geom) "
                        "FROM {} n, g WHERE ST_Intersects(g.geom, n.geom) AND n.node_id <> ALL(%s) "
                        "AND NOT ST_Equals(n.geom, ST_StartPoint(g.geom)) AND NOT ST_Equals(n.geom, ST_EndPoint(g.geom)) "
                        "LIMIT 1"
                    ).format(_table(name, "node")),
                    [wkt, CGCS2000, list(moves)],
                ).fetchone()
            if row is not None:
                raise TopologyRefused("新界线与另一条界线相交或经过其他界线的节点", (row[0], row[1]))
        for a in wkts:
            for b in wkts:
                if a < b:
                    row = _exec(
                        cursor,
                        "WITH g AS (SELECT ST_GeomFromText(%s) a, ST_GeomFromText(%s) b) "
                        "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(ST_Difference(ST_Intersection(a, b), "
                        "ST_Collect(ARRAY[ST_StartPoint(a), ST_EndPoint(a), ST_StartPoint(b), ST_EndPoint(b)]))) p "
                        "FROM g) x WHERE p IS NOT NULL AND NOT ST_IsEmpty(p)",
                        [wkts[a], wkts[b]],
                    ).fetchone()
                    if row is not None:
                        raise TopologyRefused("移动交点后两条界线相交", (row[0], row[1]))
        # Write: the nodes, the edges, the bounding boxes of the faces beside them.
        for node, (x, y) in moves.items():
            cursor.execute(sql.SQL("UPDATE {} SET geom = ST_SetSRID(ST_MakePoint(%s, %s), %s) WHERE node_id = %s")
                           .format(_table(name, "node")), [x, y, CGCS2000, node])
        for edge_id, wkt in wkts.items():
            cursor.execute(sql.SQL("UPDATE {} SET geom = ST_GeomFromText(%s, %s) WHERE edge_id = %s")
                           .format(_table(name, "edge_data")), [wkt, CGCS2000, edge_id])
        faces = sorted({f for e in changed for f in (incident[e].left_face, incident[e].right_face) if f > 0})
        cursor.execute(
            sql.SQL("UPDATE {} SET mbr = ST_Envelope(topology.ST_GetFaceGeometry(%s, face_id)) WHERE face_id = ANY(%s)")
            .format(_table(name, "face")), [name, faces])
        # ValidateTopology calls other topology functions unqualified: put the schema on
        # the search path for this statement only.
        path = _exec(cursor, "SELECT current_setting('search_path')").fetchone()[0]
        cursor.execute("SELECT set_config('search_path', %s, true)", [f"{path}, topology"])
        bad = _exec(
            cursor,
            sql.SQL("SELECT v.error, v.id1, v.id2 FROM topology.ValidateTopology(%s, "
                    "(SELECT ST_Expand(ST_Envelope(ST_Collect(mbr)), 1e-4) FROM {} WHERE face_id = ANY(%s))) v")
            .format(_table(name, "face")),
            [name, faces],
        ).fetchone()
        cursor.execute("SELECT set_config('search_path', %s, true)", [path])
    if bad is not None:
        node = next(iter(moves.values()))
        raise TopologyRefused(f"移动交点后拓扑检查未通过（{bad[0]}）", node)
    return changed
