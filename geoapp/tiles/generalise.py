"""Per-zoom generalisation of division polygons with shared edges simplified once.

For a set of sibling polygons (one level), the borders are noded into edges (one edge
between two junctions, stored once however many polygons it bounds), each edge is
simplified once with a tolerance of half a pixel at the band's largest zoom, the
simplified edges are re-noded and polygonised, and each face goes to the division that
contains its interior point. Two neighbours therefore draw the very same simplified
border: no slivers open between them at low zoom, which simplifying each polygon on its
own (``ST_Simplify`` per row) would produce.

This works on the polygons themselves, independent of the PostGIS topology schemas the
line editor keeps (``boundaries.topology``): the stored polygons are the register, the
topology is an editing structure, and the tiles only need the register.

Incremental maintenance: when divisions C change, their neighbours' faces change too
(the shared edges moved). The set to rebuild is S = C ∪ neighbours(C); an edge of a
division in S ends at junctions with divisions touching it, so the linework of
S ∪ neighbours(S) reproduces exactly the edges a full rebuild would make for S.
"""

from __future__ import annotations

from django.db import connection, transaction

from boundaries.codes import Level

# Band → tolerance in metres: half a pixel (256 px tiles) at the band's largest zoom.
EARTH_M = 40075016.68557849
BANDS = {"z5": 5, "z8": 8, "z11": 11}


def tolerance_m(zoom: int) -> float:
    return EARTH_M / (256 * 2**zoom) / 2


def band_for_zoom(zoom: int) -> str:
    """The stored column a tile at ``zoom`` reads: z5 up to 5, z8 up to 8, z11 up to 11, else full."""
    for band, max_zoom in BANDS.items():
        if zoom <= max_zoom:
            return band
    return "full"


_FULL = """
INSERT INTO tiles_divisiontilegeom (division_id, "full", built_at)
SELECT d.id, ST_Multi(ST_Transform(d.geom, 3857)), now()
FROM boundaries_division d WHERE d.id = ANY(%(targets)s) AND d.geom IS NOT NULL
ON CONFLICT (division_id) DO UPDATE SET "full" = EXCLUDED."full", built_at = now()
"""

# One statement per band: node the borders of the context, merge into edges between
# junctions, simplify each edge once, re-node, polygonise, give each face to the target
# division containing its interior point (faces of gaps and outside belong to nobody).
_BAND = """
WITH src AS (
    SELECT t.division_id AS id, t."full" AS g
    FROM tiles_divisiontilegeom t WHERE t.division_id = ANY(%(context)s) AND t."full" IS NOT NULL
), noded AS (
    SELECT ST_Union(ST_Boundary(g)) AS g FROM src
), edges AS (
    SELECT (ST_Dump(ST_LineMerge(g))).geom AS g FROM noded
), simplified AS (
    SELECT ST_Union(ST_SimplifyPreserveTopology(g, %(tolerance)s)) AS g FROM edges
), faces AS (
    SELECT (ST_Dump(ST_Polygonize(g))).geom AS g FROM simplified
), owned AS (
    SELECT s.id, ST_Multi(ST_Union(f.g)) AS g
    FROM faces f JOIN src s ON s.id = ANY(%(targets)s) AND ST_Intersects(s.g, ST_PointOnSurface(f.g))
    GROUP BY s.id
)
UPDATE tiles_divisiontilegeom t SET {band} = owned.g FROM owned WHERE t.division_id = owned.id
"""


def _neighbours(ids: list[int]) -> list[int]:
    """Current divisions of the same level touching any of ``ids`` (ids included)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT n.id FROM boundaries_division d
            JOIN boundaries_division n ON n.level = d.level AND n.geom && d.geom AND ST_Intersects(n.geom, d.geom)
                 AND n.valid_to IS NULL
            WHERE d.id = ANY(%s)
            """,
            [ids],
        )
        return sorted({row[0] for row in cursor.fetchall()} | set(ids))


@transaction.atomic
def rebuild(targets: list[int], context: list[int]) -> None:
    """Store the Web-Mercator copy of ``targets`` and their bands, noded within ``context``."""
    if not targets:
        return
    with connection.cursor() as cursor:
        cursor.execute(_FULL, {"targets": targets})
        cursor.execute("DELETE FROM tiles_divisiontilegeom t WHERE t.division_id = ANY(%s) AND NOT EXISTS "
                       "(SELECT 1 FROM boundaries_division d WHERE d.id = t.division_id AND d.geom IS NOT NULL)",
                       [targets])
        missing = set(context) - set(targets)
        if missing:  # context polygons must have their Web-Mercator copy too
            cursor.execute(_FULL.replace("ON CONFLICT (division_id) DO UPDATE SET \"full\" = EXCLUDED.\"full\", built_at = now()",
                                         "ON CONFLICT (division_id) DO NOTHING"), {"targets": sorted(missing)})
        for band, zoom in BANDS.items():
            cursor.execute(_BAND.format(band=band), {"context": context, "targets": targets, "tolerance": tolerance_m(zoom)})


def rebuild_divisions(changed: list[int]) -> list[int]:
    """Rebuild after ``changed`` divisions moved: returns the ids whose tile geometry changed."""
    targets = _neighbours(changed)
    context = _neighbours(targets)
    rebuild(targets, context)
    return targets


def rebuild_level(level: str, *, chunk_note=None) -> int:
    """Rebuild every current division of ``level`` in one pass (shared edges nation-wide)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM boundaries_division WHERE level = %s AND valid_to IS NULL AND geom IS NOT NULL",
                       [level])
        ids = [row[0] for row in cursor.fetchall()]
    rebuild(ids, ids)
    return len(ids)


def rebuild_all(stdout=None) -> dict[str, int]:
    counts = {}
    for level in Level.values:
        counts[level] = rebuild_level(level)
        if stdout:
            stdout.write(f"{level}: {counts[level]}")
    # Each band rewrote every row: nationally 12,500 dead rows behind 3,500 live ones and
    # no statistics until autovacuum came, which made the first minutes of tiles slower.
    # VACUUM where it can (outside a transaction), else ANALYZE.
    with connection.cursor() as cursor:
        cursor.execute(f"{'ANALYZE' if connection.in_atomic_block else 'VACUUM (ANALYZE)'} tiles_divisiontilegeom")
    return counts


def pixel_m(zoom: int) -> float:
    return EARTH_M / (256 * 2**zoom)


__all__ = ["BANDS", "band_for_zoom", "rebuild_all", "rebuild_divisions", "rebuild_level"]
