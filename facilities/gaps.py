"""Gap analysis: which villages and resettlement communities lie beyond reach of a kind
of facility, and which norms each township and county fails.

A village counts as covered when its seat is within the radius of an *operating*
facility of the kind, distance measured on the ellipsoid
(``facilities.coverage``). Facilities anywhere in the same province count, because a
village on a county border is often served from across it. Radii per kind are settings
with documented defaults (``DEFAULT_RADIUS_KM``; DOMAIN.md §7: rural radii are set by
each county, so every radius is a parameter).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import FloatField, Func
from django.utils.translation import gettext_lazy as _

from boundaries.codes import Level
from boundaries.models import Division
from facilities import norms
from facilities.coverage import nearest
from facilities.models import Facility, Kind
from geoapp.jurisdiction import code_prefix, normalise_code

# Default service radius per kind, km. Urban planning (GB 50180-2018) puts elderly care in
# the 15-minute living circle; rural values below are working defaults for a county to
# adjust through settings.CIVATLAS_FACILITY_RADIUS_KM = {"happiness_home": 3, ...}.
DEFAULT_RADIUS_KM: dict[str, float] = {
    Kind.CARE_HOME: 15.0,  # township-or-county home: within a township's reach
    Kind.NURSING_HOME: 15.0,
    Kind.ELDERLY_SERVICE_CENTER: 10.0,  # one per township, serving its villages
    Kind.HAPPINESS_HOME: 2.0,  # village mutual-aid day care: walking distance
    Kind.CHILD_PROTECTION_STATION: 10.0,  # one per township (Minors Protection Law art. 81)
    Kind.SOCIAL_WORK_STATION: 10.0,
    Kind.RESETTLEMENT_COMMUNITY: 10.0,
}
MAX_RADIUS_KM = 200.0


def radius_km_for(kind: str) -> float:
    overrides = getattr(settings, "CIVATLAS_FACILITY_RADIUS_KM", {})
    return float(overrides.get(kind, DEFAULT_RADIUS_KM[kind]))


class X(Func):
    function = "ST_X"
    output_field = FloatField()


class Y(Func):
    function = "ST_Y"
    output_field = FloatField()


@dataclass
class GapReport:
    division: Division
    kind: str
    radius_km: float
    rows: list[dict] = field(default_factory=list)
    uncovered: list[dict] = field(default_factory=list)
    communities: list[dict] = field(default_factory=list)
    county_results: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "division": {"code": self.division.code, "name": self.division.name, "level": self.division.level},
            "kind": self.kind,
            "kind_label": str(Kind(self.kind).label),
            "radius_km": self.radius_km,
            "rows": self.rows,
            "uncovered": self.uncovered,
            "communities": self.communities,
            "county_results": self.county_results,
        }


def _lonlat(queryset, field_name: str, *extra: str) -> list[tuple]:
    return list(queryset.annotate(_lon=X(field_name), _lat=Y(field_name)).values_list(*extra, "_lon", "_lat"))


def facility_facts(queryset) -> list[norms.FacilityFacts]:
    """The facts the norms read, in one query (details joined, absent details as zeros)."""
    fields = (
        "id", "name", "kind", "status", "division__code",
        "elderly_care__beds", "elderly_care__nursing_beds", "elderly_care__residents_self_care",
        "elderly_care__residents_semi", "elderly_care__residents_disabled", "elderly_care__care_staff",
        "elderly_care__staff_total", "elderly_care__county_level", "elderly_care__disabled_focus",
    )
    facts = []
    for row in queryset.values_list(*fields):
        base, details = row[:5], row[5:]
        facts.append(norms.FacilityFacts(*base, *[value or 0 for value in details[:7]], *[bool(v) for v in details[7:]]))
    return facts


def village_seats(division: Division) -> list[tuple[str, str, float, float]]:
    """(code, name, lon, lat) of the current villages of ``division`` that have a seat."""
    villages = Division.objects.current().at_level(Level.VILLAGE).within(division.code)
    return _lonlat(villages.filter(seat__isnull=False).order_by("code"), "seat", "code", "name")


def operating_points(kind: str, division: Division) -> np.ndarray:
    """(lon, lat) of the operating facilities of ``kind`` that serve ``division``.

    Anywhere in the same province (module docstring: border villages are served across
    county lines).
    """
    sources = _lonlat(Facility.objects.operating().of_kind(kind).within(division.code[:2]).order_by("pk"), "location", "pk")
    return np.array([(lon, lat) for _pk, lon, lat in sources], dtype=float).reshape(-1, 2)


def _township_code(village_code: str) -> str:
    return village_code[:9] + "000"


def analyse_gaps(*, division: Division, kind: str, radius_km: float | None = None) -> GapReport:
    """Coverage of ``division``'s villages by operating facilities of ``kind``, and the norms."""
    radius_km = radius_km_for(kind) if radius_km is None else radius_km
    radius_m = radius_km * 1000
    report = GapReport(division=division, kind=kind, radius_km=radius_km)
    current = Division.objects.current()

    townships = list(current.at_level(Level.TOWNSHIP).within(division.code).values_list("code", "name", "kind"))
    villages = village_seats(division)
    source_points = operating_points(kind, division)

    found = nearest([(lon, lat) for _c, _n, lon, lat in villages], source_points)
    stats = {code: [0, 0] for code, _name, _kind in townships}
    township_names = {code: name for code, name, _kind in townships}
    for (code, name, lon, lat), distance in zip(villages, found.distance_m, strict=True):
        township = _township_code(code)
        counts = stats.setdefault(township, [0, 0])
        counts[0] += 1
        if distance > radius_m:
            counts[1] += 1
            report.uncovered.append({
                "code": code, "name": name, "township": township, "township_name": township_names.get(township, ""),
                "distance_km": None if not np.isfinite(distance) else round(float(distance) / 1000, 3),
                "lon": lon, "lat": lat,
            })
    report.uncovered.sort(key=lambda v: (v["distance_km"] is not None, -(v["distance_km"] or 0), v["code"]))

    facts = facility_facts(Facility.objects.within(division.code))
    in_kind = [f for f in facts if f.kind == kind and f.operating]
    kind_of = {f.id: f.kind for f in facts}
    designated = designated_staff(division)
    facts_in, kind_in = _by_prefix(facts), _by_prefix(in_kind)
    for code, name, township_kind in townships:
        rules = norms.rules_for(code)
        unit = norms.Unit(code, name, township_kind, designated.get(code, 0))
        results = [r.as_dict() for r in norms.evaluate_township(unit, facts_in(code), rules)]
        villages_total, uncovered = stats[code]
        in_township = sum(1 for f in kind_in(code) if f.division_code.startswith(code[:9]))
        failed = [r for r in results if not r["ok"] and _concerns(r, kind, rules, kind_of)]
        report.rows.append({
            "code": code, "name": name, "villages": villages_total, "villages_uncovered": uncovered,
            "share_uncovered": round(uncovered / villages_total, 4) if villages_total else None,
            "facilities": in_township,
            "norms_failed": sum(1 for r in results if not r["ok"]),
            "kind_norms_failed": failed,
            "norm_results": results,
            "status": township_status(failed=failed, facilities=in_township, villages=villages_total, uncovered=uncovered),
        })
    report.rows.sort(key=lambda r: (-r["villages_uncovered"], -r["norms_failed"], r["code"]))

    for code, name in current.at_level(Level.COUNTY).within(division.code).values_list("code", "name"):
        rules = norms.rules_for(code)
        report.county_results += [r.as_dict() for r in norms.evaluate_county(norms.Unit(code, name), facts_in(code), rules)]

    report.communities = _community_reach(division, kind, source_points, radius_m)
    return report


def _by_prefix(facts: list) -> Callable[[str], list]:
    """``facts_in(code)``: the facts that can lie inside the township or county ``code``,
    grouped once by the 6- and 9-digit prefix of their division's code. The norms still
    check each fact (``norms._inside``); grouping only spares them every other one:
    a province's 1,387 townships against all its facilities took 20 s nationally."""
    groups: dict[str, list] = {}
    for fact in facts:
        padded = normalise_code(fact.division_code)
        groups.setdefault(padded[:6], []).append(fact)
        groups.setdefault(padded[:9], []).append(fact)

    def facts_in(code: str) -> list:
        prefix = code_prefix(code)
        return groups.get(prefix, []) if len(prefix) in (6, 9) else facts

    return facts_in


TOWNSHIP_STATUS_LABELS = {
    "ok": _("达标"),
    "failing": _("未达标"),
    "uncovered": _("无本类设施，全部村未覆盖"),
    "partly_uncovered": _("规范达标，部分村未覆盖"),
}


def township_status(*, failed: list, facilities: int, villages: int, uncovered: int) -> str:
    """What a township's row says: never 达标 while villages lie beyond reach — a township
    with no facility of the kind and every village uncovered reads as such."""
    if failed:
        return "failing"
    if villages and uncovered == villages and not facilities:
        return "uncovered"
    if uncovered:
        return "partly_uncovered"
    return "ok"


def designated_staff(division: Division) -> dict[str, int]:
    """Township code → people currently designated for child protection (第八十一条第二款)."""
    from django.db.models import Count

    from facilities.models import ChildProtectionDesignation

    rows = ChildProtectionDesignation.objects.current().within(division.code).values("township__code").annotate(n=Count("id"))
    return {row["township__code"]: row["n"] for row in rows}


def _concerns(result: dict, kind: str, rules, kind_of: dict[int, str]) -> bool:
    """Whether a norm result is about facilities of ``kind`` (what the gap view highlights).

    A per-home result concerns the kind of that home; a township or county result
    concerns the kinds its rule counts (the station rule: child-protection stations).
    """
    if result["facility_id"] is not None:
        return kind_of.get(result["facility_id"]) == kind
    return kind in rules[result["rule_id"]].params.get("kinds", ())


def _community_reach(division, kind, source_points, radius_m) -> list[dict]:
    """Resettlement communities in ``division`` and their distance to the nearest ``kind``."""
    if kind == Kind.RESETTLEMENT_COMMUNITY:
        return []
    communities = _lonlat(
        Facility.objects.operating().of_kind(Kind.RESETTLEMENT_COMMUNITY).within(division.code).order_by("pk"),
        "location", "pk", "name", "division__code",
    )
    found = nearest([(lon, lat) for *_rest, lon, lat in communities], source_points)
    rows = []
    for (pk, name, code, lon, lat), distance in zip(communities, found.distance_m, strict=True):
        finite = bool(np.isfinite(distance))
        rows.append({
            "id": pk, "name": name, "division": code, "lon": lon, "lat": lat,
            "distance_km": round(float(distance) / 1000, 3) if finite else None,
            "covered": finite and bool(distance <= radius_m),
        })
    rows.sort(key=lambda r: (r["covered"], r["division"]))
    return rows
