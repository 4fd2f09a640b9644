"""Load the demo data in data/shapefiles (real outlines, synthetic townships/villages).

Order matters: each level's parents must exist first. Every step is an idempotent
upsert through ``import_divisions``, so loading twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from boundaries.codes import Level
from boundaries.importer import ImportReport, import_divisions

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


def build_demo_lines() -> list[str]:
    """Boundary lines for every demo prefecture (counties) and county (townships).

    Skips a set whose lines exist already, so loading again never renumbers the
    topology under pending edits. Returns one summary line per set built.
    """
    from boundaries.actions import build_boundary_lines
    from boundaries.models import BoundaryLine, Division

    built = []
    for parent_level, level in ((Level.PREFECTURE, Level.COUNTY), (Level.COUNTY, Level.TOWNSHIP)):
        for parent in Division.objects.current().at_level(parent_level).order_by("code"):
            if BoundaryLine.objects.current().of(parent=parent, level=level).exists():
                continue
            report = build_boundary_lines(parent=parent, level=level)
            built.append(f"{parent.name}：{report.lines} 条{Level(level).label}界线，{report.total_km:.1f} 千米")
    return built
