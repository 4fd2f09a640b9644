"""The boundaries part of ``check_register``: codes, kinds, hierarchy, coverage, lines.

Each check takes a code prefix (``within``; '' = everything) and returns
``register.Problem`` rows. Coverage runs through ``boundaries.coverage.check_coverage``
for every current division whose current children have polygons (every level), so the
register and the editor's coverage button report the same gaps and overlaps.
Raw SQL where one statement answers for the whole set (spatial joins the ORM cannot say).
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.db.models import Count

from boundaries.codes import kind_mismatch, kind_of, level_of, parent_code
from boundaries.coverage import check_coverage
from boundaries.models import BoundaryLine, Division
from boundaries.register import Problem, register_check
from geoapp.jurisdiction import code_prefix


def _prefix(within: str) -> str:
    return code_prefix(within) if within else ""


def check_codes(within: str) -> list[Problem]:
    """No current code used twice; level and parent follow from the code (DOMAIN.md §2)."""
    current = Division.objects.current().filter(code__startswith=_prefix(within))
    problems = [
        Problem("codes", row["code"], f"代码被 {row['n']} 个现行区划同时使用")
        for row in current.values("code").annotate(n=Count("id")).filter(n__gt=1)
    ]
    for d in current.select_related("parent"):
        if level_of(d.code) != d.level:
            problems.append(Problem("codes", d.code, f"{d.name}的级别为{d.get_level_display()}，与代码不符"))
        expected = parent_code(d.code)
        if expected is None:
            continue
        if d.parent is None or d.parent.code != expected:
            problems.append(Problem("codes", d.code, f"{d.name}的上级应为 {expected}，现为 {d.parent.code if d.parent else '无'}"))
        elif not d.parent.is_current:
            problems.append(Problem("codes", d.code, f"{d.name}的上级{d.parent.name}（{d.parent.code}）已不是现行区划"))
    return problems


def check_kinds(within: str) -> list[Problem]:
    """The kind agrees with the code's segment range and with the name's generic part."""
    problems = []
    for d in Division.objects.current().filter(code__startswith=_prefix(within)):
        if reason := kind_mismatch(d.code, d.name):
            problems.append(Problem("kinds", d.code, reason))
        elif d.kind != kind_of(d.code, d.name):
            problems.append(Problem("kinds", d.code, f"{d.name}登记为“{d.get_kind_display()}”，按代码和名称应为“"
                                    f"{Division(kind=kind_of(d.code, d.name)).get_kind_display()}”"))
    return problems


_SEATS_OUTSIDE = """
SELECT c.code, c.name, ST_X(c.seat), ST_Y(c.seat) FROM boundaries_division c
JOIN boundaries_division p ON p.id = c.parent_id
WHERE c.valid_to IS NULL AND c.code LIKE %(prefix)s AND c.geom IS NULL AND c.seat IS NOT NULL
  AND p.geom IS NOT NULL AND NOT ST_Covers(p.geom, c.seat)
"""


def check_coverage_everywhere(within: str) -> list[Problem]:
    """Every current child lies in its parent and the children tile it, at every level."""
    parents = (Division.objects.current().filter(code__startswith=_prefix(within), geom__isnull=False,
                                                 children__valid_to__isnull=True, children__geom__isnull=False)
               .distinct().order_by("code"))
    problems = []
    partial = set(settings.CIVATLAS_REGISTER_PARTIAL_PARENTS)
    for parent in parents:
        if parent.code in partial:
            problems.append(Problem("coverage", parent.code, f"{parent.name}：本库只含其部分下级区划（"
                                    f"CIVATLAS_REGISTER_PARTIAL_PARENTS），未检查下级是否铺满", severity="note"))
            continue
        report = check_coverage(parent)
        for p in report.problems:
            problems.append(Problem("coverage", parent.code, f"{parent.name}：{p.label} {p.area_m2:,.1f} 平方米"
                                    f"{'（' + '、'.join(p.codes) + '）' if p.codes else ''} {p.reason}".rstrip(),
                                    p.lon, p.lat))
    with connection.cursor() as cursor:
        # Units without a polygon (villages: a seat only) must have their seat inside the parent.
        cursor.execute(_SEATS_OUTSIDE, {"prefix": _prefix(within) + "%"})
        for code, name, lon, lat in cursor.fetchall():
            problems.append(Problem("coverage", code, f"{name}的驻地不在上级区划范围内", lon, lat))
    return problems


_LINES_OFF = """
SELECT l.id, d.code, d.name FROM boundaries_boundaryline l
JOIN boundaries_division d ON d.id IN (l.left_id, l.right_id)
JOIN boundaries_division p ON p.id = l.parent_id
WHERE l.valid_to IS NULL AND p.code LIKE %(prefix)s AND d.geom IS NOT NULL
  AND NOT ST_Covers(ST_Buffer(ST_Boundary(d.geom), %(tolerance)s), l.geom)
"""
_UNLINED = """
WITH sets AS (SELECT DISTINCT parent_id, level FROM boundaries_boundaryline WHERE valid_to IS NULL)
SELECT d.code, d.name FROM sets s
JOIN boundaries_division p ON p.id = s.parent_id
JOIN boundaries_division d ON d.parent_id = s.parent_id AND d.level = s.level
WHERE d.valid_to IS NULL AND d.geom IS NOT NULL AND p.code LIKE %(prefix)s
  AND NOT EXISTS (SELECT 1 FROM boundaries_boundaryline l WHERE l.valid_to IS NULL AND l.level = s.level
                  AND (l.left_id = d.id OR l.right_id = d.id))
"""
# 1e-6 degrees (~0.1 m): lines are derived from the polygons by the topology and the
# polygons adopt the topology's faces, so a current line lies on both boundaries.
LINE_TOLERANCE_DEG = 1e-6


def check_lines(within: str) -> list[Problem]:
    """Lines join current divisions and lie on their current boundaries; every division of
    a level that has lines has at least one."""
    prefix = _prefix(within)
    problems = []
    lines = BoundaryLine.objects.current().filter(parent__code__startswith=prefix).select_related("left", "right")
    for line in lines:
        for side in (line.left, line.right):
            if side is not None and not side.is_current:
                problems.append(Problem("lines", side.code, f"界线“{line}”连接的{side.name}已不是现行区划"))
    with connection.cursor() as cursor:
        cursor.execute(_LINES_OFF, {"prefix": prefix + "%", "tolerance": LINE_TOLERANCE_DEG})
        for line_id, code, name in cursor.fetchall():
            problems.append(Problem("lines", code, f"界线 #{line_id} 不在{name}的现行边界上（界线未随区划更新）"))
        cursor.execute(_UNLINED, {"prefix": prefix + "%"})
        for code, name in cursor.fetchall():
            problems.append(Problem("lines", code, f"{name}没有任何界线（同级区划已有界线：它在界线构建后新增或调整，需重建上级的界线）"))
    return problems


def register_boundary_checks() -> None:
    register_check("codes", "区划代码唯一，级别与上级与代码一致", check_codes)
    register_check("kinds", "区划类型与代码段、通名一致", check_kinds)
    register_check("coverage", "下级区划位于上级之内并无缝无叠地铺满上级（各级）", check_coverage_everywhere)
    register_check("lines", "界线与现行区划范围一致", check_lines)
