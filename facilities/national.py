"""Synthetic facilities for the national dataset (all ``source=synthetic``), by ``COPY``.

``load_national_facilities(count=100_000)`` spreads ``count`` invented facilities over the
townships and villages that have a (synthetic) position: happiness homes (农村幸福院) in
villages, the other kinds at township seats, in the proportions the demo generator gives
(``facilities.demo``). Names, positions and numbers are invented; no detail rows
(beds, staff) are written, which the registry shows as "not recorded". Every row has
the stable ``source_ref`` ``national:<scope>:<n>``, so a second run creates nothing and
a larger ``count`` adds only the missing ones. No history rows (source data).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.db import connection, transaction

from boundaries.codes import Level
from boundaries.models import Division, Source
from facilities.models import Facility, Kind, Status
from geoapp.bulk import copy_rows, indexes_rebuilt
from geoapp.gis import CGCS2000

SEED = 20260103
# (kind, name suffix, at villages?, weight): roughly the demo generator's mix per township.
KINDS = (
    (Kind.HAPPINESS_HOME, "幸福院", True, 40),
    (Kind.CHILD_PROTECTION_STATION, "未成年人保护工作站", False, 15),
    (Kind.SOCIAL_WORK_STATION, "社工站", False, 14),
    (Kind.CARE_HOME, "敬老院", False, 11),
    (Kind.ELDERLY_SERVICE_CENTER, "综合养老服务中心", False, 9),
    (Kind.NURSING_HOME, "养老院", False, 8),
    (Kind.RESETTLEMENT_COMMUNITY, "幸福家园", False, 3),
)
STATUSES = ((Status.OPERATING, 0.85), (Status.PLANNED, 0.05), (Status.UNDER_CONSTRUCTION, 0.05),
            (Status.SUSPENDED, 0.05))
_COLUMNS = ("kind", "name", "division_id", "location", "address", "operator", "status", "opened_on", "contact",
            "source", "source_ref")


@dataclass
class FacilitiesReport:
    created: int = 0
    existing: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


def _places(level: str, province: str) -> list[tuple[int, str, float, float]]:
    rows = (Division.objects.current().at_level(level).filter(code__startswith=province).exclude(seat=None)
            .order_by("code").values_list("id", "name", "seat"))
    return [(i, name, seat.x, seat.y) for i, name, seat in rows]


def load_national_facilities(*, count: int, province: str = "",
                             progress: Callable[[int], None] | None = None) -> FacilitiesReport:
    """``count`` synthetic facilities in ``province`` (or the country); only missing refs are made."""
    prefix = f"national:{province or 'cn'}:"
    report = FacilitiesReport()
    existing = set(Facility.objects.filter(source=Source.SYNTHETIC, source_ref__startswith=prefix)
                   .values_list("source_ref", flat=True))
    missing = [n for n in range(count) if f"{prefix}{n:06d}" not in existing]
    report.existing = count - len(missing)
    if not missing:
        return report
    villages, townships = _places(Level.VILLAGE, province), _places(Level.TOWNSHIP, province)
    if not townships:
        return report
    rng = np.random.default_rng([SEED, int(province or 0)])
    weights = np.array([w for *_rest, w in KINDS], dtype=float)
    kinds = rng.choice(len(KINDS), count, p=weights / weights.sum())
    picks = rng.random(count)
    offsets = rng.normal(0, 0.004, (count, 2))  # ~400 m around the seat
    statuses = rng.choice(len(STATUSES), count, p=[p for _s, p in STATUSES])
    opened = rng.integers(0, 16 * 365, count)
    phones = rng.integers(1_000_000, 9_999_999, count)
    start = dt.date(2008, 1, 1)

    def rows():
        for n in missing:
            kind, suffix, at_village, _w = KINDS[kinds[n]]
            places = villages if at_village and villages else townships
            division_id, name, x, y = places[int(picks[n] * len(places))]
            status = STATUSES[statuses[n]][0]
            report.by_kind[kind] = report.by_kind.get(kind, 0) + 1
            yield (kind.value, f"{name}{suffix}", division_id,
                   f"SRID={CGCS2000};POINT({x + offsets[n, 0]:.7f} {y + offsets[n, 1]:.7f})",
                   f"{name}{suffix}（合成地址）", f"{name}（合成）", status.value,
                   start + dt.timedelta(days=int(opened[n])) if status == Status.OPERATING else None,
                   f"0000-{phones[n]}", Source.SYNTHETIC.value, f"{prefix}{n:06d}")

    def counted():
        for row in rows():
            report.created += 1
            if progress and report.created % 5000 == 0:
                progress(5000)
            yield row

    table = Facility._meta.db_table
    with transaction.atomic(), indexes_rebuilt(table, when=len(missing) > Facility.objects.count()):
        copy_rows(table, _COLUMNS, counted())
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
    if progress:
        progress(report.created % 5000)
    return report
