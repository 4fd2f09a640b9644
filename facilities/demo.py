"""Synthetic demo facilities for the demo counties (all ``source=synthetic``).

Generated, not surveyed: names, positions and numbers are invented from the demo
divisions so the map, the norms and the gap analysis have something realistic to show.
Generation is deterministic (one seeded RNG per county, rows in code order) and the
load is idempotent: every row has a stable ``source_ref`` and only missing rows are
created. Deliberate gaps, so the gap view has findings on a fresh install:

* 清水县: 秦亭镇, 贾川乡 and 丰望乡 have no child-protection station and 红堡镇's is
  only planned; elsewhere about one township in ten lacks one;
* 张家川回族自治县 and 海原县 have no county-level home focused on disabled residents;
* bed and staff numbers are drawn around the norms, so some homes fall short.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from boundaries.codes import Kind as DivisionKind
from boundaries.codes import Level
from boundaries.models import Division, Source
from facilities.models import CommunityDetails, ElderlyCareDetails, Facility, Kind, StationDetails, Status
from geoapp.gis import CGCS2000, GEOD

NO_STATION = {"620521104000", "620521206000", "620521207000"}  # 秦亭镇, 贾川乡, 丰望乡
PLANNED_STATION = {"620521101000"}  # 红堡镇
NO_COUNTY_DISABLED_HOME = {"620525000000", "640522000000"}  # 张家川回族自治县, 海原县
RESETTLEMENT_PROVINCES = ("62", "64")  # 易地扶贫搬迁 sites in the demo: 甘肃, 宁夏
AREA_CODES = {"6205": "0938", "6405": "0955", "3709": "0538"}  # telephone area codes of the demo cities
COMMUNITY_SUFFIXES = ("幸福家园", "新民小区", "阳光社区", "康居苑", "和谐小区")


@dataclass
class Planned:
    facility: Facility
    details: object | None = None


@dataclass
class DemoReport:
    created: int = 0
    existing: int = 0
    by_kind: dict = field(default_factory=dict)

    def summary(self) -> str:
        kinds = "，".join(f"{Kind(k).label} {n}" for k, n in sorted(self.by_kind.items()))
        return f"新建 {self.created} 个演示设施，已有 {self.existing} 个（{kinds}）"


def _offset(rng: random.Random, lon: float, lat: float, max_m: float) -> tuple[float, float]:
    lon2, lat2, _ = GEOD.fwd(lon, lat, rng.uniform(0, 360), rng.uniform(0, max_m))
    return lon2, lat2


def _point(lon: float, lat: float):
    from django.contrib.gis.geos import Point

    return Point(lon, lat, srid=CGCS2000)


def _place(rng, township: Division, seat, max_m: float):
    """A point near ``seat`` inside the township's polygon (the seat itself as fallback)."""
    for _attempt in range(5):
        point = _point(*_offset(rng, seat.x, seat.y, max_m))
        if township.geom is None or township.geom.covers(point):
            return point
    return _point(seat.x, seat.y)


def _opened(rng) -> dt.date:
    return dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(16 * 365))


def _home_details(rng, *, beds_range, nursing_share, disabled_share, county_level=False, disabled_focus=False):
    beds = rng.randint(*beds_range)
    nursing = min(beds, round(beds * rng.uniform(*nursing_share)))
    residents = round(beds * rng.uniform(0.45, 0.9))
    disabled = round(residents * rng.uniform(*disabled_share))
    semi = round((residents - disabled) * rng.uniform(0.2, 0.5))
    self_care = residents - disabled - semi
    required = disabled / 3 + semi / 6 + self_care / 10
    staff = max(1, round(required * rng.uniform(0.7, 1.3)))
    return ElderlyCareDetails(
        beds=beds, nursing_beds=nursing, residents_self_care=self_care, residents_semi=semi,
        residents_disabled=disabled, care_staff=staff,
        # All staff (the regional ratio counts them): care staff plus 1-4 others, derived without
        # drawing from ``rng`` so the demo's random stream (and its source_refs) stay as before.
        staff_total=staff + 1 + beds % 4, county_level=county_level, disabled_focus=disabled_focus,
    )


def _facility(ref, *, kind, name, division, location, rng, status=Status.OPERATING, operator="", address=""):
    return Facility(
        kind=kind, name=name, division=division, location=location, status=status, operator=operator,
        address=address or f"{division.name}{name}", opened_on=_opened(rng) if status == Status.OPERATING else None,
        contact=f"{AREA_CODES.get(division.code[:4], '0000')}-{rng.randrange(1000000, 9999999)}", source=Source.SYNTHETIC, source_ref=ref,
    )


def plan_county(county: Division, townships: list[Division], villages: dict[str, list[Division]]) -> list[Planned]:
    """Every demo facility of one county, deterministic for the county's code."""
    rng = random.Random(f"civatlas-facilities-{county.code}")
    planned: list[Planned] = []
    seat_township = next((t for t in townships if t.seat and t.geom and t.geom.covers(county.seat)), None)
    seat_township = seat_township or (townships[0] if townships else None)
    if seat_township is None:
        return planned
    civil_affairs = f"{county.name}民政局"

    if county.code not in NO_COUNTY_DISABLED_HOME:
        planned.append(Planned(
            _facility(f"demo:{county.code}:county_home", kind=Kind.CARE_HOME, name=f"{county.name}社会福利中心",
                      division=seat_township, location=_place(rng, seat_township, county.seat, 1500), rng=rng,
                      operator=civil_affairs),
            _home_details(rng, beds_range=(150, 300), nursing_share=(0.55, 0.8), disabled_share=(0.4, 0.7),
                          county_level=True, disabled_focus=True),
        ))
    for n in range(rng.randint(1, 3)):
        planned.append(Planned(
            _facility(f"demo:{county.code}:nursing_home:{n}", kind=Kind.NURSING_HOME,
                      name=f"{county.name}{('康乐', '颐养', '福寿')[n]}养老院", division=seat_township,
                      location=_place(rng, seat_township, county.seat, 3000), rng=rng, operator="民办非企业单位"),
            _home_details(rng, beds_range=(60, 200), nursing_share=(0.3, 0.75), disabled_share=(0.1, 0.4)),
        ))

    for township in townships:
        seat = township.seat
        is_street = township.kind == DivisionKind.SUBDISTRICT
        if township.code not in NO_STATION and (county.code == "620521000000" or rng.random() < 0.9):
            status = Status.PLANNED if township.code in PLANNED_STATION else Status.OPERATING
            planned.append(Planned(
                _facility(f"demo:{township.code}:child_protection_station", kind=Kind.CHILD_PROTECTION_STATION,
                          name=f"{township.name}未成年人保护工作站", division=township,
                          location=_place(rng, township, seat, 400), rng=rng, status=status,
                          operator=f"{township.name}人民政府"),
                StationDetails(floor_area_m2=rng.choice((20, 30, 36, 45, 60)), staff=rng.randint(1, 4),
                               children_directors=len(villages.get(township.code, ()))),
            ))
        if rng.random() < 0.8:
            planned.append(Planned(
                _facility(f"demo:{township.code}:social_work_station", kind=Kind.SOCIAL_WORK_STATION,
                          name=f"{township.name}社工站", division=township, location=_place(rng, township, seat, 400),
                          rng=rng, operator=f"{county.name}社会工作服务中心"),
                StationDetails(floor_area_m2=rng.choice((30, 40, 60)), staff=rng.randint(1, 3), children_directors=0),
            ))
        if not is_street and rng.random() < 0.55:
            planned.append(Planned(
                _facility(f"demo:{township.code}:care_home", kind=Kind.CARE_HOME, name=f"{township.name}敬老院",
                          division=township, location=_place(rng, township, seat, 2000), rng=rng,
                          operator=f"{township.name}人民政府"),
                _home_details(rng, beds_range=(30, 120), nursing_share=(0.2, 0.7), disabled_share=(0.1, 0.5)),
            ))
        if not is_street and rng.random() < 0.5:
            planned.append(Planned(
                _facility(f"demo:{township.code}:elderly_service_center", kind=Kind.ELDERLY_SERVICE_CENTER,
                          name=f"{township.name}综合养老服务中心", division=township,
                          location=_place(rng, township, seat, 600), rng=rng,
                          status=rng.choices((Status.OPERATING, Status.UNDER_CONSTRUCTION), (0.85, 0.15))[0],
                          operator=f"{township.name}人民政府"),
                _home_details(rng, beds_range=(20, 60), nursing_share=(0.3, 0.7), disabled_share=(0.1, 0.4)),
            ))
        for village in villages.get(township.code, ()):
            if rng.random() < 0.25:
                planned.append(Planned(
                    _facility(f"demo:{village.code}:happiness_home", kind=Kind.HAPPINESS_HOME,
                              name=f"{village.name}幸福院", division=village,
                              location=_place(rng, township, village.seat, 150), rng=rng,
                              status=rng.choices((Status.OPERATING, Status.SUSPENDED), (0.9, 0.1))[0],
                              operator=f"{village.name}村民委员会"),
                    ElderlyCareDetails(beds=rng.randint(0, 10)),
                ))

    if county.code[:2] in RESETTLEMENT_PROVINCES:
        rural = [v for t in townships for v in villages.get(t.code, ())]
        for n in range(rng.randint(1, 3) if rural else 0):
            urban = n == 0
            if urban:
                township, anchor = seat_township, county.seat
            else:
                village = rng.choice(rural)
                township = next(t for t in townships if t.code[:9] == village.code[:9])
                anchor = village.seat
            households = rng.randint(120, 1800)
            planned.append(Planned(
                _facility(f"demo:{county.code}:resettlement:{n}", kind=Kind.RESETTLEMENT_COMMUNITY,
                          name=f"{township.name}{COMMUNITY_SUFFIXES[n % len(COMMUNITY_SUFFIXES)]}",
                          division=township, location=_place(rng, township, anchor, 2500), rng=rng,
                          operator=f"{township.name}人民政府"),
                CommunityDetails(households=households, population=round(households * rng.uniform(3.6, 4.6)),
                                 relocation_year=rng.randint(2016, 2020), urban_site=urban,
                                 services=rng.sample(["幼儿园", "卫生室", "日间照料中心", "扶贫车间", "党群服务中心"], 3)),
            ))
    return planned


@transaction.atomic
def load_demo_facilities(*, county_codes: list[str] | None = None) -> DemoReport:
    """Create the missing demo facilities for every current county (or ``county_codes``)."""
    current = Division.objects.current()
    counties = current.at_level(Level.COUNTY).filter(seat__isnull=False).order_by("code")
    if county_codes:
        counties = counties.filter(code__in=county_codes)
    existing = set(Facility.objects.filter(source=Source.SYNTHETIC).values_list("source_ref", flat=True))
    report = DemoReport()
    to_create: list[Planned] = []
    for county in counties:
        townships = list(current.at_level(Level.TOWNSHIP).within(county.code).filter(seat__isnull=False).order_by("code"))
        villages: dict[str, list[Division]] = {}
        for village in current.at_level(Level.VILLAGE).within(county.code).filter(seat__isnull=False).order_by("code"):
            villages.setdefault(village.code[:9] + "000", []).append(village)
        for item in plan_county(county, townships, villages):
            report.by_kind[item.facility.kind] = report.by_kind.get(item.facility.kind, 0) + 1
            if item.facility.source_ref in existing:
                report.existing += 1
            else:
                to_create.append(item)
    created = bulk_create_with_history([p.facility for p in to_create], Facility, batch_size=1000)
    for planned, facility in zip(to_create, created, strict=True):
        if planned.details is not None:
            planned.details.facility = facility
    for model in (ElderlyCareDetails, StationDetails, CommunityDetails):
        rows = [p.details for p in to_create if isinstance(p.details, model)]
        if rows:
            bulk_create_with_history(rows, model, batch_size=1000)
    report.created = len(created)
    return report
