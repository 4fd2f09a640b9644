"""The joint-inspection schedule (联检计划): when each line is next due.

Every line is inspected jointly every five years (《行政区域界线管理条例》第十二条 “每5年联合
检查一次”; ``CIVATLAS_INSPECTION_CYCLE_YEARS``). A line's cycle restarts with its last
*filed regular* inspection (the date its fieldwork ended); special inspections check a
stretch (第十二条 “特定地段”) and do not restart it. A line never inspected is due now.
``BoundaryLine.last_inspected`` (dates recorded before this register existed) counts too.
One query for any number of lines; the page, the map and ``inspection_schedule`` use it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import DateField, OuterRef, Q, Subquery
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from boundaries.inspections.law import CITATIONS
from boundaries.inspections.models import InspectionKind, InspectionStatus, JointInspection
from boundaries.models import BoundaryLine
from geoapp.jurisdiction import code_prefix

NEVER = "never"
OVERDUE = "overdue"
DUE_THIS_YEAR = "due_this_year"
CURRENT = "current"

STATUS_LABELS = {
    NEVER: _("从未联检"), OVERDUE: _("已逾期"), DUE_THIS_YEAR: _("本年度到期"), CURRENT: _("周期内已检"),
}
STATUS_COLOURS = {NEVER: "#6b6b6b", OVERDUE: "#c0392b", DUE_THIS_YEAR: "#d97706", CURRENT: "#2e8b57"}
RULE = CITATIONS["five_year_cycle"]


def cycle_years() -> int:
    return int(getattr(settings, "CIVATLAS_INSPECTION_CYCLE_YEARS", 5))


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class LineDue:
    line: BoundaryLine
    last_inspected: dt.date | None
    due: dt.date | None
    status: str
    open_inspection: str | None  # status of an inspection in progress, if any

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass
class Schedule:
    today: dt.date
    rows: list[LineDue] = field(default_factory=list)

    def with_status(self, *statuses: str) -> list[LineDue]:
        return [r for r in self.rows if r.status in statuses]

    @property
    def overdue(self) -> list[LineDue]:
        return self.with_status(NEVER, OVERDUE)

    @property
    def due_this_year(self) -> list[LineDue]:
        return self.with_status(DUE_THIS_YEAR)

    @property
    def share_within_cycle(self) -> float:
        """Share of the lines (by count) whose last filed regular inspection is within the cycle."""
        if not self.rows:
            return 0.0
        return sum(1 for r in self.rows if r.status in (CURRENT, DUE_THIS_YEAR)) / len(self.rows)

    @property
    def share_within_cycle_by_length(self) -> float:
        total = sum(r.line.length_km for r in self.rows)
        done = sum(r.line.length_km for r in self.rows if r.status in (CURRENT, DUE_THIS_YEAR))
        return done / total if total else 0.0

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUS_LABELS, 0)
        for r in self.rows:
            out[r.status] += 1
        return out


def lines_touching(code: str):
    """Current lines with one side inside the division ``code`` (both levels)."""
    prefix = code_prefix(code)
    return BoundaryLine.objects.current().filter(Q(left__code__startswith=prefix) | Q(right__code__startswith=prefix))


def build_schedule(lines, *, today: dt.date | None = None) -> Schedule:
    """The schedule of ``lines`` (a BoundaryLine queryset) on ``today``."""
    today = today or timezone.localdate()
    last_filed = (
        JointInspection.objects.filter(line=OuterRef("pk"), status=InspectionStatus.FILED, kind=InspectionKind.REGULAR)
        .order_by("-inspected_on").values("inspected_on")[:1]
    )
    in_progress = (
        JointInspection.objects.filter(line=OuterRef("pk")).exclude(status=InspectionStatus.FILED)
        .order_by("-pk").values("status")[:1]
    )
    rows = (
        # The geometry is not needed for the dates (the map takes it as GeoJSON in SQL).
        lines.select_related("left", "right", "parent").defer("geom", "edge_ids", "left__geom", "right__geom",
                                                              "parent__geom", "left__seat", "right__seat",
                                                              "parent__seat")
        # PostgreSQL's GREATEST ignores NULLs: the later of the register and the legacy field.
        .annotate(last=Greatest(Subquery(last_filed, output_field=DateField()), "last_inspected"),
                  open_status=Subquery(in_progress))
        .order_by("level", "left__code", "right__code")
    )
    years = cycle_years()
    end_of_year = dt.date(today.year, 12, 31)
    schedule = Schedule(today=today)
    for line in rows:
        last = line.last
        if last is None:
            due, status = None, NEVER
        else:
            due = add_years(last, years)
            status = OVERDUE if due < today else DUE_THIS_YEAR if due <= end_of_year else CURRENT
        schedule.rows.append(LineDue(line, last, due, status, line.open_status))
    return schedule


def schedule_geojson(schedule: Schedule) -> dict:
    """The schedule as GeoJSON for the map (line geometry is not survey-sensitive; markers
    are not in it). Geometries are serialised in SQL (DESIGN.md: 18-27x faster than per row)."""
    import json

    from django.contrib.gis.db.models.functions import AsGeoJSON

    shapes = dict(BoundaryLine.objects.filter(pk__in=[r.line.pk for r in schedule.rows])
                  .annotate(shape=AsGeoJSON("geom", precision=6)).values_list("pk", "shape"))
    features = []
    for row in schedule.rows:
        line = row.line
        features.append({
            "type": "Feature", "geometry": json.loads(shapes[line.pk]),
            "properties": {
                "id": line.pk, "name": str(line), "level": line.level, "status": row.status,
                "status_label": row.status_label, "colour": STATUS_COLOURS[row.status],
                "last": row.last_inspected.isoformat() if row.last_inspected else None,
                "due": row.due.isoformat() if row.due else None, "length_km": round(line.length_km, 2),
            },
        })
    return {"type": "FeatureCollection", "features": features}
