"""Progress of the sign programme for a county, township (or any division): coverage of
villages, signs by status, installations per team per week, inspections due, CSV.

Counties aim for full coverage within a few years (DOMAIN.md §6); the dashboard
answers "how many villages have their sign up" per unit one level down, in a few
grouped queries (grouping by the code prefix: the code *is* the hierarchy).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import Substr, TruncWeek
from django.utils import timezone

from boundaries.codes import LEVEL_ORDER, Level
from boundaries.models import Division
from geoapp import csvsafe
from geoapp.jurisdiction import SEGMENTS, code_prefix
from placenames.signs.models import (
    STANDING,
    Sign,
    SignInstallation,
    SignStatus,
    SignType,
)

WEEKS = 12


@dataclass
class UnitRow:
    code: str
    name: str
    villages: int = 0
    covered: int = 0  # villages with a village sign standing
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def signs(self) -> int:
        return sum(self.by_status.values())

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.villages if self.villages else 0.0

    def status_cells(self) -> list[int]:
        return [self.by_status.get(s, 0) for s in SignStatus.values]


@dataclass
class Progress:
    division: Division
    rows: list[UnitRow]
    total: UnitRow
    weeks: list[dt.date]
    teams: list[tuple[str, list[int], int]]  # (team, installations per week, total)
    due: list[Sign]
    due_count: int


def _child_prefix_length(division: Division) -> int:
    """Digits that identify the units one level below ``division``."""
    depth = LEVEL_ORDER.index(Level(division.level))
    return sum(SEGMENTS[: min(depth + 2, len(SEGMENTS))])


def progress(division: Division, *, today: dt.date | None = None, due_rows: int = 200) -> Progress:
    today = today or timezone.localdate()
    prefix = code_prefix(division.code)
    n = _child_prefix_length(division)
    children = {
        d.code[:n]: UnitRow(code=d.code, name=d.name)
        for d in Division.objects.current().filter(code__startswith=prefix, level=_child_level(division)).order_by("code")
    }
    if division.level == Level.VILLAGE:
        children = {division.code[:n]: UnitRow(code=division.code, name=division.name)}
    total = UnitRow(code=division.code, name=division.name)

    def row(unit: str) -> UnitRow:
        # A sign of the division itself (the township seat sign in a township's view).
        name = f"{division.name}（驻地）" if unit.ljust(12, "0") == division.code else unit
        return children.setdefault(unit, UnitRow(code=unit.ljust(12, "0"), name=name))

    signs = Sign.objects.within(division.code)
    for item in signs.annotate(unit=Substr("division__code", 1, n)).values("unit", "status").annotate(n=Count("id")):
        row(item["unit"]).by_status[item["status"]] = item["n"]
        total.by_status[item["status"]] = total.by_status.get(item["status"], 0) + item["n"]
    standing_sign = Sign.objects.filter(division=OuterRef("pk"), sign_type=SignType.VILLAGE, status__in=STANDING)
    villages = (
        Division.objects.current().within(division.code).at_level(Level.VILLAGE)
        .annotate(unit=Substr("code", 1, n), covered=Exists(standing_sign))
        .values("unit", "covered").annotate(n=Count("id"))
    )
    for item in villages:
        unit = row(item["unit"])
        unit.villages += item["n"]
        total.villages += item["n"]
        if item["covered"]:
            unit.covered += item["n"]
            total.covered += item["n"]
    weeks, teams = installations_per_team(division, today=today)
    due = signs.due_for_inspection(on=today).select_related("division").order_by("last_inspected_at", "installed_at")
    return Progress(
        division=division, rows=[r for r in children.values() if r.villages or r.signs], total=total, weeks=weeks,
        teams=teams, due=list(due[:due_rows]), due_count=due.count(),
    )


def _child_level(division: Division) -> str:
    depth = LEVEL_ORDER.index(Level(division.level))
    return LEVEL_ORDER[min(depth + 1, len(LEVEL_ORDER) - 1)]


def installations_per_team(division: Division, *, today: dt.date, weeks: int = WEEKS):
    """(week starts, [(team, counts per week, total)]) for the last ``weeks`` weeks, Monday-based."""
    monday = today - dt.timedelta(days=today.weekday())
    starts = [monday - dt.timedelta(weeks=i) for i in range(weeks - 1, -1, -1)]
    since = timezone.make_aware(dt.datetime.combine(starts[0], dt.time.min))
    rows = (
        SignInstallation.objects.filter(sign__division__code__startswith=code_prefix(division.code), installed_at__gte=since)
        .annotate(week=TruncWeek("installed_at", tzinfo=timezone.get_current_timezone()))
        .values("team", "week").annotate(n=Count("id"))
    )
    index = {start: i for i, start in enumerate(starts)}
    table: dict[str, list[int]] = {}
    for item in rows:
        week = item["week"].date() if isinstance(item["week"], dt.datetime) else item["week"]
        if week in index:
            table.setdefault(item["team"] or "—", [0] * weeks)[index[week]] += item["n"]
    return starts, sorted(((team, counts, sum(counts)) for team, counts in table.items()), key=lambda r: (-r[2], r[0]))


CSV_COLUMNS = (
    "编号", "标志类型", "标准名称", "牌面汉字", "牌面拼音", "乡镇", "所在区划代码", "所在区划", "状态",
    "规划经度", "规划纬度", "设置经度", "设置纬度", "设置时间", "最近巡检时间", "待巡检", "数据来源",
)


def signs_csv(signs, *, today: dt.date | None = None) -> str:
    """Every sign of ``signs`` as CSV (UTF-8; the caller adds a BOM for spreadsheet programs)."""
    due = set(signs.due_for_inspection(on=today).values_list("pk", flat=True))
    out = io.StringIO()
    writer = csvsafe.writer(out)
    writer.writerow(CSV_COLUMNS)
    for s in signs.select_related("place", "division__parent").order_by("division__code", "sign_type", "pk"):
        township = s.division if s.division.level == Level.TOWNSHIP else s.division.parent
        writer.writerow([
            s.pk, s.get_sign_type_display(), s.place.standard_name, s.text_cn, s.text_pinyin,
            township.name if township else "", s.division.code, s.division.name, s.get_status_display(),
            f"{s.planned_geom.x:.7f}", f"{s.planned_geom.y:.7f}",
            f"{s.installed_geom.x:.7f}" if s.installed_geom else "", f"{s.installed_geom.y:.7f}" if s.installed_geom else "",
            _iso(s.installed_at), _iso(s.last_inspected_at), "是" if s.pk in due else "", s.get_source_display(),
        ])
    return out.getvalue()


def _iso(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""
