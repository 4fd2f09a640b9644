"""Benchmark: the one topology of a province-sized set (ADR 0014), and moving one edge in it.

Prints measured numbers (no assertions). Everything runs in a transaction that is rolled
back, so the development database is left as it was (`make setup` first).

The set is SYNTHETIC: a province "99" (合成省, source = synthetic) whose 16 counties are
copies of the 16 real demo county outlines (3 prefectures, as in the demo), each
partitioned into 100 synthetic townships by the seeded Voronoi partition of
data/build_demo.py: 1,600 townships, like a real province (甘肃 has about 1,400).

* build: ``build_province_topology`` (townships → faces, slivers, hierarchical layers,
  polygons re-derived, lines of every level);
* edit: propose + approve a 200 m vertex move on the township line that lies on the copy
  of 清水县 | 张家川 (moves two townships and two counties, bumps both lines);
* demo: the full demo build (all three provinces), as `make setup` runs it.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoapp.settings")

import django  # noqa: E402

django.setup()

import shapely  # noqa: E402
from django.contrib.gis.geos import GEOSGeometry  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from boundaries import topology  # noqa: E402
from boundaries.actions import approve_line_edit, build_province_topology, propose_line_edit  # noqa: E402
from boundaries.models import BoundaryLine, Division, Source  # noqa: E402
from data.build_demo import partition  # noqa: E402
from geoapp.actions import set_up_user  # noqa: E402
from geoapp.gis import CGCS2000  # noqa: E402
from geoapp.roles import Role  # noqa: E402
from tests.boundaries.test_line_edits import _moved_vertex  # noqa: E402

TOWNSHIPS_PER_COUNTY = 100
NOTE = "合成（基准测试）：真实县界复制，乡镇为 Voronoi 合成划分"


class Rollback(Exception):
    pass


def _geos(geom) -> GEOSGeometry:
    return GEOSGeometry(memoryview(shapely.to_wkb(geom)), srid=CGCS2000)


def synthesise_province() -> tuple[Division, dict[str, str]]:
    """Province 99 with copies of the demo counties, 100 synthetic townships each.
    Returns it and {real county code: synthetic county code}."""
    rng = random.Random(20261201)
    make = dict(source=Source.SYNTHETIC, source_note=NOTE)
    province = Division.objects.create(code="990000000000", name="合成省", level="province", kind="province", **make)
    copies = {}
    # The demo's prefectures: those whose townships have real outlines (on the national
    # dataset every other township is a synthetic seat point, ADR 0034).
    demo = {code[:4] for code in Division.objects.current().at_level("township").exclude(geom=None)
            .values_list("code", flat=True)}
    prefectures = Division.objects.current().at_level("prefecture").filter(code__in=[d + "00000000" for d in demo])
    for p, prefecture in enumerate(prefectures.order_by("code"), start=1):
        pref = Division.objects.create(code=f"99{p:02d}00000000", name=f"合成地区{p}", level="prefecture",
                                       kind="prefecture", parent=province, geom=prefecture.geom, **make)
        for c, county in enumerate(prefecture.current_children().order_by("code"), start=1):
            code = f"99{p:02d}{c:02d}000000"
            copy = Division.objects.create(code=code, name=f"合成县{p}-{c}", level="county", kind="county",
                                           parent=pref, geom=county.geom, **make)
            copies[county.code] = code
            shape = shapely.from_wkb(bytes(county.geom.wkb))
            codes = [f"{code[:6]}{100 + i:03d}000" for i in range(TOWNSHIPS_PER_COUNTY)]
            pieces = partition(shape, codes, rng)
            Division.objects.bulk_create([
                Division(code=t, name=f"合成乡镇{t[6:9]}", level="township", kind="town", parent=copy,
                         geom=_geos(g), **make) for t, g in pieces.items()
            ])
            with connection.cursor() as cursor:  # the county is the union of its townships, as in the demo
                cursor.execute("UPDATE boundaries_division SET geom = (SELECT ST_Multi(ST_Union(geom)) FROM "
                               "boundaries_division WHERE parent_id = %s) WHERE id = %s", [copy.id, copy.id])
        with connection.cursor() as cursor:
            cursor.execute("UPDATE boundaries_division SET geom = (SELECT ST_Multi(ST_Union(geom)) FROM "
                           "boundaries_division WHERE parent_id = %s) WHERE id = %s", [pref.id, pref.id])
    return province, copies


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def province_scale():
    try:
        with transaction.atomic():
            (province, copies), seconds = timed(synthesise_province)
            townships = Division.objects.current().within("99").at_level("township").count()
            print(f"synthesised {townships} townships (SYNTHETIC, province 99) in {seconds:.1f} s")
            report, seconds = timed(lambda: build_province_topology(province=province))
            print(f"build topology + lines, {townships} townships: {seconds:.2f} s "
                  f"({report.divisions} townships as faces, lines {report.by_level}, "
                  f"slivers absorbed {sum(1 for s in report.slivers if s.assigned_to)}, "
                  f"problems {len(report.problems)})")
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM civ_99.edge_data")
                print(f"  edges in civ_99: {cursor.fetchone()[0]}")
            left, right = sorted((copies["620521000000"], copies["620525000000"]))
            line = BoundaryLine.objects.current().filter(
                level="township", left__code__startswith=left[:6], right__code__startswith=right[:6]
            ).order_by("-length_km").first()
            a = set_up_user(username="bench_tw", role=Role.ZONING, jurisdiction=line.left.code, password="bench-pass-1")
            b = set_up_user(username="bench_c1", role=Role.ZONING, jurisdiction=left, password="bench-pass-1")
            c = set_up_user(username="bench_c2", role=Role.ZONING, jurisdiction=right, password="bench-pass-1")
            propose_s, approve_s = [], []
            for metres in (200, -150, 120):
                line.refresh_from_db()
                edges = topology.edge_geometries(line.topology, line.edge_ids)
                edge_id = max(edges, key=lambda e: GEOSGeometry(edges[e]).num_points)
                coords = list(GEOSGeometry(edges[edge_id]).coords)
                if len(coords) == 2:
                    coords = [coords[0], tuple((p + q) / 2 for p, q in zip(*coords, strict=True)), coords[1]]
                edit, s = timed(lambda m=metres, e=edge_id, k=coords: propose_line_edit(
                    line=line, base_version=line.version, reason="bench", proposed_by=a,
                    edges=[{"edge_id": e, "coordinates": _moved_vertex(k, m)}]))
                propose_s.append(s)
                approve_line_edit(edit=edit, approved_by=b)
                _, s = timed(lambda ed=edit: approve_line_edit(edit=ed, approved_by=c))
                approve_s.append(s)
            print(f"move one edge on a county line at province scale ({len(edit.area_changes)} divisions change): "
                  f"propose median {statistics.median(propose_s) * 1000:.0f} ms, "
                  f"apply (last approval) median {statistics.median(approve_s) * 1000:.0f} ms")
            raise Rollback
    except Rollback:
        pass


def demo_build():
    samples = []
    for _ in range(3):
        try:
            with transaction.atomic():
                start = time.perf_counter()
                for province in Division.objects.current().at_level("province").order_by("code"):
                    build_province_topology(province=province)
                samples.append(time.perf_counter() - start)
                raise Rollback
        except Rollback:
            pass
    print(f"demo full build (3 provinces, 264 townships, every level): median {statistics.median(samples):.2f} s, "
          f"max {max(samples):.2f} s")


if __name__ == "__main__":
    demo_build()
    province_scale()
