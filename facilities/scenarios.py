"""Site suggestions for a division (选址建议): demand, candidates and fixed facilities from
the database, the choice from ``facilities.sites`` (exact maximal covering, greedy as floor).

* Demand: the division's village seats, each weighing one village (divisions carry no
  population yet; ``suggest_sites`` takes weights once they do).
* Candidate sites: the seats of the division's townships and villages — places with a
  building and a road, where a station is actually opened.
* Existing facilities: the operating facilities of the kind that ``facilities.gaps``
  counts (same province), fixed; villages they already reach earn nothing.

``plan_sites`` returns a ``SitePlan`` (plain data, the shape saved in
``SiteScenario.sites``); ``facilities.actions.create_site_scenario`` saves it.
``compare_scenarios`` puts two saved scenarios side by side.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from boundaries.codes import Level
from boundaries.models import Division
from facilities.coverage import nearest
from facilities.gaps import X, Y, operating_points, village_seats
from facilities.sites import suggest_sites

TOWNSHIP_SEAT = "township_seat"
VILLAGE_SEAT = "village_seat"
MAX_COUNT = 20


@dataclass
class SitePlan:
    division: Division
    kind: str
    radius_km: float
    count: int
    villages: int = 0
    covered_before: int = 0
    sites: list[dict] = field(default_factory=list)
    method: str = ""  # "mclp" or "greedy" (facilities.sites.SiteChoice)
    optimal: bool = False
    note: str = ""  # shown to the planner when the answer is not proven optimal

    @property
    def covered_after(self) -> int:
        return self.covered_before + sum(len(site["covers"]) for site in self.sites)


def candidate_sites(division: Division) -> list[tuple[str, str, str, float, float]]:
    """(site type, code, name, lon, lat) of every township and village seat in ``division``."""
    seats = (
        Division.objects.current().within(division.code)
        .filter(level__in=(Level.TOWNSHIP, Level.VILLAGE), seat__isnull=False)
        .annotate(_lon=X("seat"), _lat=Y("seat")).order_by("code")
    )
    return [
        (TOWNSHIP_SEAT if level == Level.TOWNSHIP else VILLAGE_SEAT, code, name, lon, lat)
        for level, code, name, lon, lat in seats.values_list("level", "code", "name", "_lon", "_lat")
    ]


def plan_sites(*, division: Division, kind: str, radius_km: float, count: int) -> SitePlan:
    """Up to ``count`` new sites for ``kind`` covering the most villages not yet reached."""
    plan = SitePlan(division=division, kind=kind, radius_km=radius_km, count=count)
    villages = village_seats(division)
    candidates = candidate_sites(division)
    existing = operating_points(kind, division)
    demand = np.array([(lon, lat) for *_rest, lon, lat in villages], dtype=float).reshape(-1, 2)
    radius_m = radius_km * 1000
    plan.villages = len(villages)
    plan.covered_before = int(np.count_nonzero(nearest(demand, existing).distance_m <= radius_m))
    chosen = suggest_sites(
        demand, [(lon, lat) for *_rest, lon, lat in candidates], existing, radius_m=radius_m, n=count
    )
    plan.method, plan.optimal, plan.note = chosen.method, chosen.optimal, chosen.note[:300]  # SiteScenario.note
    for rank, suggestion in enumerate(chosen, start=1):
        site_type, code, name, lon, lat = candidates[suggestion.candidate]
        plan.sites.append({
            "rank": rank, "site_type": site_type, "code": code, "name": name, "lon": lon, "lat": lat,
            "covers": [
                {"code": villages[i][0], "name": villages[i][1], "lon": villages[i][2], "lat": villages[i][3]}
                for i in suggestion.covers
            ],
        })
    return plan


def compare_scenarios(a, b) -> dict:
    """Two saved scenarios side by side: coverage before/after and the villages each adds."""
    added = [{v["code"] for site in s.sites for v in site["covers"]} for s in (a, b)]
    return {
        "scenarios": [scenario_dict(s) for s in (a, b)],
        "both": sorted(added[0] & added[1]),
        "only_a": sorted(added[0] - added[1]),
        "only_b": sorted(added[1] - added[0]),
    }


def scenario_dict(scenario, *, with_sites: bool = True) -> dict:
    """A saved ``SiteScenario`` as JSON-ready data (the API's answer)."""
    data = {
        "id": scenario.pk, "name": scenario.name,
        "division": {"code": scenario.division.code, "name": scenario.division.name},
        "kind": scenario.kind, "kind_label": str(scenario.get_kind_display()),
        "radius_km": scenario.radius_km, "count": scenario.count,
        "villages": scenario.villages, "covered_before": scenario.covered_before,
        "covered_after": scenario.covered_after, "covered_new": scenario.covered_new,
        "sites_found": len(scenario.sites),
        "method": scenario.method, "optimal": scenario.optimal, "note": scenario.note,
        "created_by": scenario.created_by.get_username(),
        "created_at": scenario.created_at.isoformat(timespec="seconds"),
    }
    if with_sites:
        data["sites"] = scenario.sites
    return data
