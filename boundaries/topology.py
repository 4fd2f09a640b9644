"""PostGIS topology for boundary lines (界线): every shared edge stored once.

One topology per set of sibling divisions (a parent and a level, e.g. the counties of
天水市): ``civ_<parent prefix>_<level>``. Each division polygon becomes a TopoGeometry
of faces; the edges between faces are the boundary lines, each edge stored once, so
moving it (``ST_ChangeEdgeGeom``) moves it for both neighbours (DESIGN.md, data model).

Real data is rarely a perfect coverage: two neighbours may overlap by a sliver or
leave a gap. Faces owned by two divisions (overlaps) and enclosed faces owned by none
(gaps) are given to the neighbour that shares most of their outline when they are
smaller than ``SLIVER_MAX_M2``; larger ones are reported and left alone. The resolved
owner of every face is kept in ``<topology>.face_owner`` so later edits re-derive each
division as the union of its faces.

Raw SQL: the ORM cannot call topology functions. Identifiers (the topology schema) are
built only from a code prefix and a level slug and quoted with psycopg's ``sql``
module; values are always bound.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from psycopg import sql

from geoapp.gis import CGCS2000
from geoapp.jurisdiction import code_prefix

# Snapping tolerance of the topology, in degrees (1e-7° ≈ 1 cm): vertices closer than
# this are one node. Real neighbours from one source share vertices exactly.
TOLERANCE_DEG = 1e-7
# Overlap and gap faces up to this area are absorbed into a neighbour (a sliver from
# digitising); bigger ones are real problems for a person to resolve.
SLIVER_MAX_M2 = 10_000.0
UNIVERSE_FACE = 0


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
    layer_id: int
    owners: dict[int, int] = field(default_factory=dict)  # face_id → division id
    slivers: list[Sliver] = field(default_factory=list)


def topology_name(parent_code: str, level: str) -> str:
    return f"civ_{code_prefix(parent_code)}_{level}"


def _exec(cursor, query, params=None):
    cursor.execute(query, params or ())
    return cursor


def drop_topology(name: str) -> None:
    with connection.cursor() as cursor:
        exists = _exec(cursor, "SELECT count(*) FROM topology.topology WHERE name = %s", [name]).fetchone()[0]
        if exists:
            cursor.execute("SELECT topology.DropTopology(%s)", [name])


def build_topology(
    *, name: str, division_ids: list[int], progress: Callable[[int], None] | None = None
) -> Topology:
    """(Re)create topology ``name`` from the polygons of ``division_ids`` and resolve slivers."""
    drop_topology(name)
    schema = sql.Identifier(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT topology.CreateTopology(%s, %s, %s)", [name, CGCS2000, TOLERANCE_DEG])
        cursor.execute(sql.SQL("CREATE TABLE {}.members (division_id bigint PRIMARY KEY)").format(schema))
        cursor.execute(
            sql.SQL("CREATE TABLE {}.face_owner (face_id integer PRIMARY KEY, division_id bigint NOT NULL)").format(
                schema
            )
        )
        layer_id = _exec(
            cursor, "SELECT topology.AddTopoGeometryColumn(%s, %s, 'members', 'tg', 'POLYGON')", [name, name]
        ).fetchone()[0]
        insert = sql.SQL(
            "INSERT INTO {}.members (division_id, tg) SELECT id, topology.toTopoGeom(geom, %s, %s, %s) "
            "FROM boundaries_division WHERE id = %s"
        ).format(schema)
        for division_id in division_ids:
            cursor.execute(insert, [name, layer_id, TOLERANCE_DEG, division_id])
            if progress:
                progress(1)
    topo = Topology(name=name, layer_id=layer_id)
    _resolve_owners(topo)
    _save_owners(topo)
    return topo


def _resolve_owners(topo: Topology) -> None:
    schema = sql.Identifier(topo.name)
    with connection.cursor() as cursor:
        claims: dict[int, list[int]] = defaultdict(list)
        rows = _exec(
            cursor,
            sql.SQL(
                "SELECT r.element_id, m.division_id FROM {0}.relation r "
                "JOIN {0}.members m ON (m.tg).id = r.topogeo_id WHERE r.layer_id = %s ORDER BY 1, 2"
            ).format(schema),
            [topo.layer_id],
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
    problem_faces = [f for f in faces if len(claims.get(f, [])) != 1]
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
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DELETE FROM {}.face_owner").format(sql.Identifier(topo.name)))
        cursor.executemany(
            sql.SQL("INSERT INTO {}.face_owner (face_id, division_id) VALUES (%s, %s)").format(
                sql.Identifier(topo.name)
            ),
            list(topo.owners.items()),
        )


def edges_by_pair(name: str) -> dict[tuple[int, int | None], list[int]]:
    """Edge ids grouped by the (unordered) pair of divisions on their two sides.

    Keys are ``(a, b)`` division ids with ``b`` None for an outer edge; edges with the
    same division on both sides (between two of its own faces) are not boundaries.
    """
    schema = sql.Identifier(name)
    with connection.cursor() as cursor:
        rows = _exec(
            cursor,
            sql.SQL(
                "SELECT e.edge_id, lo.division_id, ro.division_id FROM {0}.edge_data e "
                "LEFT JOIN {0}.face_owner lo ON lo.face_id = e.left_face "
                "LEFT JOIN {0}.face_owner ro ON ro.face_id = e.right_face ORDER BY e.edge_id"
            ).format(schema),
        ).fetchall()
    pairs: dict[tuple[int, int | None], list[int]] = defaultdict(list)
    for edge_id, left, right in rows:
        if left == right:
            continue
        sides = sorted(d for d in (left, right) if d is not None)
        key = (sides[0], sides[1] if len(sides) == 2 else None)
        pairs[key].append(edge_id)
    return dict(pairs)


def merged_edges(name: str, edge_ids: list[int]) -> tuple[str, float]:
    """(EWKB hex of the merged MultiLineString, ellipsoidal length in m) of some edges."""
    with connection.cursor() as cursor:
        return _exec(
            cursor,
            sql.SQL(
                "SELECT ST_AsEWKB(ST_Multi(ST_LineMerge(ST_Collect(geom ORDER BY edge_id)))), "
                "sum(ST_Length(geom::geography, true)) FROM {}.edge_data WHERE edge_id = ANY(%s)"
            ).format(sql.Identifier(name)),
            [edge_ids],
        ).fetchone()


def face_union(name: str, division_id: int):
    """EWKB of a division re-derived from its faces (after an edge moved)."""
    with connection.cursor() as cursor:
        return _exec(
            cursor,
            sql.SQL(
                "SELECT ST_AsEWKB(ST_Multi(ST_Union(topology.ST_GetFaceGeometry(%s, face_id)))) "
                "FROM {}.face_owner WHERE division_id = %s"
            ).format(sql.Identifier(name)),
            [name, division_id],
        ).fetchone()[0]


def edge_geometries(name: str, edge_ids: list[int]) -> dict[int, str]:
    """{edge_id: WKT} of some edges (the editor's starting point)."""
    with connection.cursor() as cursor:
        rows = _exec(
            cursor,
            sql.SQL("SELECT edge_id, ST_AsText(geom) FROM {}.edge_data WHERE edge_id = ANY(%s)").format(
                sql.Identifier(name)
            ),
            [edge_ids],
        ).fetchall()
    return dict(rows)


def change_edge(name: str, edge_id: int, wkt: str) -> None:
    """Move an edge for both faces (``ST_ChangeEdgeGeom``); PostGIS refuses an edge that
    crosses another edge or a node, is not simple, or moves past another edge."""
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
                "x AS (SELECT ST_Intersection(g.geom, e.geom) AS geom FROM {}.edge_data e, g "
                "      WHERE e.edge_id <> %s AND ST_Intersects(g.geom, e.geom) "
                "        AND NOT ST_Touches(g.geom, e.geom)) "
                "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) p FROM x LIMIT 1) a"
            ).format(sql.Identifier(name)),
            [wkt, CGCS2000, edge_id],
        ).fetchone()
    return (row[0], row[1]) if row else None
