"""Load the demo data in data/shapefiles (real outlines, synthetic townships/villages).

Order matters: each level's parents must exist first. Every step is an idempotent
upsert through ``import_divisions``, so loading twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from boundaries.codes import Level
from boundaries.importer import import_divisions
from geoapp.imports import ImportReport

SHAPEFILES = Path(settings.BASE_DIR) / "data" / "shapefiles"


@dataclass(frozen=True)
class Layer:
    file: str
    level: str
    seats: bool


DEMO_LAYERS = (
    Layer("provinces.shp", Level.PROVINCE, seats=False),
    Layer("prefectures.shp", Level.PREFECTURE, seats=False),
    Layer("counties.shp", Level.COUNTY, seats=True),
    Layer("townships.shp", Level.TOWNSHIP, seats=True),
    Layer("villages.shp", Level.VILLAGE, seats=False),
)


def load_demo_divisions(*, directory: Path = SHAPEFILES, progress=None) -> list[ImportReport]:
    """Import every demo layer in order; stop at the first failure and return the reports."""
    reports = []
    for layer in DEMO_LAYERS:
        report = import_divisions(
            directory / layer.file, level=layer.level, code_field="CODE", name_field="NAME",
            parent_field="PARENT", seat_fields=("SEAT_X", "SEAT_Y") if layer.seats else None,
            source_field="SOURCE", note_field="SRC_NOTE", progress=progress,
        )
        reports.append(report)
        if not report.ok:
            break
    return reports


def build_demo_lines(changed: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The topology and boundary lines of every demo province (all levels at once, ADR 0014).

    Builds a province whose topology is missing (a database still holding the per-level
    topologies of ADR 0008 is migrated: they are dropped, the lines re-derived from the
    one topology), or whose divisions the import just changed (``changed``: codes; a
    re-import brings back the source outlines, so the slivers are resolved again).
    Otherwise it is left alone, so loading again never renumbers edges under pending
    edits. Returns one summary line per province built.
    """
    from boundaries import topology
    from boundaries.actions import build_province_topology
    from boundaries.edit_geometry import EditRefused
    from boundaries.models import Division

    built = []
    for province in Division.objects.current().at_level(Level.PROVINCE).order_by("code"):
        # Townships with outlines only: the national dataset's have none (boundaries.national).
        if not Division.objects.current().within(province.code).at_level(Level.TOWNSHIP).exclude(geom=None).exists():
            continue
        touched = any(code.startswith(province.code[:2]) for code in changed)
        if topology.exists(topology.topology_name(province.code)) and not touched:
            continue
        try:
            report = build_province_topology(province=province)
        except EditRefused as exc:  # pending edits: keep the topology they were drawn on
            built.append(f"{province.name}：{exc.message}，未重建")
            continue
        levels = "，".join(f"{Level(lv).label} {n} 条" for lv, n in report.by_level.items())
        built.append(f"{province.name}：界线 {levels}，{report.total_km:.1f} 千米；"
                     f"乡级并入细小重叠/缝隙 {sum(1 for s in report.slivers if s.assigned_to)} 处")
    return built
