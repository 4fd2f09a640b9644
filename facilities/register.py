"""Facilities follow a division change; their part of ``check_register``.

A facility inside a retired unit belongs to the unit that now contains its position
(for a split: the part covering it), so the norms, computed from ``Facility.division``,
follow at once. Saved site scenarios are snapshots (facilities.models.SiteScenario):
they keep their division and are marked with the change in their note. Registered with
``boundaries.register`` from facilities.apps (docs/adr/0012).
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from boundaries.register import ChangeContext, Problem, register_check, register_follower
from facilities.models import Facility, SiteScenario, Status
from geoapp.jurisdiction import code_prefix


def follow_division_change(context: ChangeContext) -> None:
    if not context.retired:
        return
    moved = 0
    for facility in Facility.objects.select_for_update().filter(division_id__in=list(context.retired)):
        old = context.retired[facility.division_id]
        successor = context.successor_of(facility.division_id, facility.location)
        facility.division = successor
        facility._change_reason = context.why
        facility.save(update_fields=["division"])
        moved += 1
        if old.level in ("township", "county"):
            context.note("facilities", f"{facility.name}：{old.name}（{old.code}）→ {successor.name}（{successor.code}）")
    context.count("facilities_moved", moved)
    for scenario in SiteScenario.objects.filter(division_id__in=list(context.retired)):
        successor = context.successor_of(scenario.division_id)
        mark = f"区划已调整（{context.why}），现属{successor.name}（{successor.code}）；本方案为调整前的快照"
        scenario.note = f"{scenario.note}；{mark}"[-300:] if scenario.note else mark[:300]
        scenario.save(update_fields=["note"])
        context.note("scenarios", f"选址方案“{scenario.name}”已标注：{mark}")


_FACILITIES = """
SELECT f.id, f.name, d.code, d.name,
       NOT (d.valid_from <= %(today)s AND (d.valid_to IS NULL OR d.valid_to > %(today)s)) AS dead,
       ST_X(f.location), ST_Y(f.location)
FROM facilities_facility f JOIN boundaries_division d ON d.id = f.division_id
WHERE f.status <> %(closed)s AND d.code LIKE %(prefix)s
  AND (NOT (d.valid_from <= %(today)s AND (d.valid_to IS NULL OR d.valid_to > %(today)s))
       OR (d.geom IS NOT NULL AND NOT ST_Covers(d.geom, f.location)))
"""


def check_facilities(within: str) -> list[Problem]:
    """Every facility not closed belongs to a current division whose polygon holds it."""
    params = {"prefix": (code_prefix(within) if within else "") + "%", "today": timezone.localdate(),
              "closed": Status.CLOSED}
    with connection.cursor() as cursor:
        cursor.execute(_FACILITIES, params)
        rows = cursor.fetchall()
    return [
        Problem("facilities", code, f"设施“{name}”（#{pk}）" + (f"所属的{dname}已撤销" if dead else f"不在所属的{dname}范围内"),
                lon, lat)
        for pk, name, code, dname, dead, lon, lat in rows
    ]


def register_facility_followers_and_checks() -> None:
    register_follower("facilities", follow_division_change)
    register_check("facilities", "民政设施都属于现行区划并位于其范围内", check_facilities)
