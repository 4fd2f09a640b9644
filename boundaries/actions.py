"""Actions on boundaries that touch several models: deriving boundary lines.

Views, commands and tests call these; each is atomic.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.gis.geos import GEOSGeometry
from django.db import transaction
from django.utils import timezone

from boundaries import topology
from boundaries.models import BoundaryLine, Division
from geoapp.gis import CGCS2000


@dataclass
class LineBuildReport:
    topology: str
    divisions: int = 0
    lines: int = 0
    created: int = 0
    updated: int = 0
    retired: int = 0
    total_km: float = 0.0
    seconds: float = 0.0
    slivers: list[topology.Sliver] = field(default_factory=list)

    @property
    def problems(self) -> list[topology.Sliver]:
        """Slivers too large to absorb: overlaps or gaps a person must resolve."""
        return [s for s in self.slivers if s.assigned_to is None]

    def summary(self, names: dict[int, str]) -> str:
        lines = [
            f"拓扑 {self.topology}：区划 {self.divisions} 个，界线 {self.lines} 条（新增 {self.created}，"
            f"更新 {self.updated}，停用 {self.retired}），总长 {self.total_km:.3f} 千米，用时 {self.seconds:.2f} 秒",
        ]
        kinds = {"overlap": "重叠", "gap": "缝隙"}
        for s in self.slivers:
            who = "、".join(names.get(d, str(d)) for d in s.candidates) or "无"
            fate = f"并入{names.get(s.assigned_to, '')}" if s.assigned_to else "未处理，需人工核实"
            lines.append(
                f"  {kinds[s.kind]} {s.area_m2:.1f} 平方米 @ ({s.lon:.6f}, {s.lat:.6f})，涉及 {who}：{fate}"
            )
        return "\n".join(lines)


@transaction.atomic
def build_boundary_lines(
    *, parent: Division, level: str, progress: Callable[[int], None] | None = None
) -> LineBuildReport:
    """Derive the boundary lines between the current ``level`` divisions inside ``parent``.

    Idempotent: a line whose pair and geometry are unchanged is left as it is; lines
    whose pair no longer touches are end-dated, never deleted.
    """
    started = time.perf_counter()
    divisions = list(
        Division.objects.current().within(parent.code).at_level(level).exclude(geom__isnull=True).order_by("code")
    )
    name = topology.topology_name(parent.code, level)
    report = LineBuildReport(topology=name, divisions=len(divisions))
    topo = topology.build_topology(name=name, division_ids=[d.id for d in divisions], progress=progress)
    report.slivers = topo.slivers
    by_id = {d.id: d for d in divisions}
    existing = {(line.left_id, line.right_id): line for line in BoundaryLine.objects.current().of(parent=parent, level=level)}
    seen = set()
    for (a, b), edge_ids in topology.edges_by_pair(name).items():
        left, right = sorted((by_id[a], by_id[b]), key=lambda d: d.code) if b else (by_id[a], None)
        key = (left.id, right.id if right else None)
        seen.add(key)
        ewkb, length_m = topology.merged_edges(name, edge_ids)
        geom = GEOSGeometry(memoryview(bytes(ewkb)), srid=CGCS2000)
        values = {"geom": geom, "length_km": length_m / 1000, "topology": name, "edge_ids": edge_ids}
        report.lines += 1
        report.total_km += length_m / 1000
        line = existing.get(key)
        if line is None:
            BoundaryLine.objects.create(parent=parent, level=level, left=left, right=right, **values)
            report.created += 1
        elif not line.geom.equals_exact(geom, 1e-9) or line.edge_ids != edge_ids or line.topology != name:
            for attr, value in values.items():
                setattr(line, attr, value)
            line.save()
            report.updated += 1
    today = timezone.localdate()
    for key, line in existing.items():
        if key not in seen:
            line.valid_to = today
            line.save(update_fields=["valid_to"])
            report.retired += 1
    report.seconds = time.perf_counter() - started
    return report
