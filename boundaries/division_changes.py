"""Actions for division changes (区划调整): merge, split, rename, re-code, move the seat.

Each is one atomic action recording a ``DivisionChange`` with its approval document and
effective date (DOMAIN.md §2: the old unit is retired, never deleted; a change of name
or code creates a new row and end-dates the old one on the effective date). Children
follow their parent: they are re-created under the new unit with codes under its
prefix (the statistical code *is* the hierarchy), keeping their own segment where it
is free. Lines of the level are re-derived afterwards.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.gis.geos import GEOSGeometry, LineString, MultiPolygon, Point
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction

from boundaries.actions import EDITOR_ROLES, build_boundary_lines
from boundaries.codes import kind_of, level_of, parent_code
from boundaries.edit_geometry import EditRefused
from boundaries.models import BoundaryLine, ChangeKind, Division, DivisionChange, Source
from geoapp.gis import CGCS2000
from geoapp.jurisdiction import SEGMENTS, code_prefix, normalise_code


def _check_user(user, divisions) -> None:
    if user.role not in EDITOR_ROLES:
        raise PermissionDenied("只有区划地名工作人员可以登记区划调整")
    outside = [d.name for d in divisions if not user.can_act_on(d.code)]
    if outside:
        raise PermissionDenied(f"{'、'.join(outside)}不在您的辖区内")


def _check_new_code(code: str, *, level: str, parent: Division, reusable: set[str] = frozenset()) -> str:
    try:
        code = normalise_code(code)
    except ValueError as exc:
        raise EditRefused(str(exc)) from exc
    if level_of(code) != level:
        raise EditRefused(f"代码 {code} 不是同一级别的区划代码")
    if parent_code(code) != parent.code:
        raise EditRefused(f"代码 {code} 不在上级区划 {parent.name}（{parent.code}）之下")
    if code not in reusable and Division.objects.filter(code=code, valid_to__isnull=True).exists():
        raise EditRefused(f"代码 {code} 已被现行区划使用")
    return code


def _retire(division: Division, on: dt.date, why: str) -> None:
    if on <= division.valid_from:
        raise EditRefused(f"生效日期须晚于{division.name}的设立日期 {division.valid_from}")
    division.valid_to = on
    division._change_reason = why
    division.save(update_fields=["valid_to"])


def _create(*, code, name, parent, geom, seat, on, why, level) -> Division:
    division = Division(
        code=code, name=name, level=level, kind=kind_of(code, name), parent=parent, geom=geom, seat=seat,
        valid_from=on, source=Source.IMPORTED, source_note=why[:300],
    )
    division._change_reason = why
    division.save()
    return division


def _move_children(olds: list[Division], new: Division, on: dt.date, why: str, pick=None) -> None:
    """Re-create the current children of ``olds`` under ``new`` (codes under its prefix)."""
    prefix = code_prefix(new.code)
    depth = len(prefix)
    seg_len = next(length for i, length in enumerate(SEGMENTS) if sum(SEGMENTS[:i]) == depth)
    taken = set(Division.objects.current(on).filter(code__startswith=prefix).values_list("code", flat=True))
    for old in olds:
        for child in Division.objects.current(on).filter(parent=old).order_by("code"):
            if pick and not pick(child):
                continue
            segment = int(child.code[depth : depth + seg_len])
            code = _child_code(prefix, segment, seg_len, taken)
            taken.add(code)
            _retire(child, on, why)
            _create(code=code, name=child.name, parent=new, geom=child.geom, seat=child.seat, on=on, why=why,
                    level=child.level)


def _child_code(prefix: str, segment: int, seg_len: int, taken: set[str]) -> str:
    """Keep the child's segment if free, else the next free one in the same hundred
    (the hundreds encode the kind: 街道/镇/乡, 居委会/村委会; DOMAIN.md §2)."""
    block = segment - segment % 100
    for candidate in [segment, *range(max(block, 1), block + 100)]:
        code = normalise_code((prefix + str(candidate).zfill(seg_len)).ljust(12, "0")[:12])
        if code not in taken:
            return code
    raise EditRefused(f"{prefix} 下已没有可用的代码段")


def _record(kind, *, document, body, on, note, user, retired, created) -> DivisionChange:
    change = DivisionChange.objects.create(
        kind=kind, approval_document=document, approved_by_body=body, effective_date=on, note=note, recorded_by=user,
    )
    change.retired.set(retired)
    change.created.set(created)
    return change


def _rebuild_lines(parent: Division, level: str) -> None:
    if BoundaryLine.objects.current().of(parent=parent, level=level).exists():
        build_boundary_lines(parent=parent, level=level)


def _why(kind: str, document: str) -> str:
    return f"区划调整（{ChangeKind(kind).label}）：{document}"


@transaction.atomic
def merge_divisions(
    *, divisions: list[Division], code: str, name: str, approval_document: str, effective_date: dt.date,
    recorded_by, approved_by_body: str = "", seat: Point | None = None, note: str = "",
) -> DivisionChange:
    """Merge neighbouring divisions of one parent into a new one (合并)."""
    if len(divisions) < 2:
        raise EditRefused("合并至少需要两个区划")
    _check_user(recorded_by, divisions)
    parents = {d.parent_id for d in divisions}
    levels = {d.level for d in divisions}
    if len(parents) != 1 or len(levels) != 1:
        raise EditRefused("只能合并同一上级、同一级别的区划")
    parent, level = divisions[0].parent, divisions[0].level
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_AsEWKB(ST_Multi(ST_Union(geom))), ST_NumGeometries(ST_Union(geom)) "
            "FROM boundaries_division WHERE id = ANY(%s)",
            [[d.id for d in divisions]],
        )
        ewkb, parts = cursor.fetchone()
    if parts != 1:
        raise EditRefused("这些区划互不相邻，合并后不连通")
    code = _check_new_code(code, level=level, parent=parent, reusable={d.code for d in divisions})
    why = _why(ChangeKind.MERGE, approval_document)
    for d in divisions:
        _retire(d, effective_date, why)
    new = _create(code=code, name=name, parent=parent, geom=GEOSGeometry(memoryview(bytes(ewkb)), srid=CGCS2000),
                  seat=seat or divisions[0].seat, on=effective_date, why=why, level=level)
    _move_children(divisions, new, effective_date, why)
    _rebuild_lines(parent, level)
    return _record(ChangeKind.MERGE, document=approval_document, body=approved_by_body, on=effective_date, note=note,
                   user=recorded_by, retired=divisions, created=[new])


@transaction.atomic
def split_division(
    *, division: Division, cut: list[tuple[float, float]], parts: list[dict], approval_document: str,
    effective_date: dt.date, recorded_by, approved_by_body: str = "", note: str = "",
) -> DivisionChange:
    """Split a division along a drawn line (分设). ``parts``: two dicts {code, name, point},
    each new unit being the piece that contains its point."""
    _check_user(recorded_by, [division])
    if len(parts) != 2:
        raise EditRefused("分设须给出两个新区划")
    blade = LineString(cut, srid=CGCS2000)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_AsEWKB((ST_Dump(ST_Split(geom, ST_GeomFromEWKB(%s)))).geom) FROM boundaries_division WHERE id = %s",
            [bytes(blade.ewkb), division.id],
        )
        pieces = [GEOSGeometry(memoryview(bytes(row[0])), srid=CGCS2000) for row in cursor.fetchall()]
    if len(pieces) != 2:
        raise EditRefused(f"分割线须完整穿过{division.name}一次，把它分为两部分（现为 {len(pieces)} 部分）")
    chosen = []
    for part in parts:
        point = Point(*part["point"], srid=CGCS2000)
        match = [p for p in pieces if p.covers(point)]
        if len(match) != 1:
            raise EditRefused(f"“{part['name']}”的位置点不在分割后的任一部分内")
        chosen.append(match[0])
    if chosen[0].equals(chosen[1]):
        raise EditRefused("两个新区划的位置点落在同一部分内")
    codes = [_check_new_code(p["code"], level=division.level, parent=division.parent, reusable={division.code})
             for p in parts]
    if codes[0] == codes[1]:
        raise EditRefused("两个新区划的代码相同")
    why = _why(ChangeKind.SPLIT, approval_document)
    _retire(division, effective_date, why)
    created = []
    for part, piece, code in zip(parts, chosen, codes, strict=True):
        geom = piece if piece.geom_type == "MultiPolygon" else MultiPolygon(piece, srid=CGCS2000)
        new = _create(code=code, name=part["name"], parent=division.parent, geom=geom,
                      seat=Point(*part["point"], srid=CGCS2000), on=effective_date, why=why, level=division.level)
        _move_children([division], new, effective_date, why, pick=lambda c, g=piece: c.seat is not None and g.covers(c.seat))
        created.append(new)
    _rebuild_lines(division.parent, division.level)
    return _record(ChangeKind.SPLIT, document=approval_document, body=approved_by_body, on=effective_date, note=note,
                   user=recorded_by, retired=[division], created=created)


@transaction.atomic
def rename_division(
    *, division: Division, name: str = "", code: str = "", approval_document: str, effective_date: dt.date,
    recorded_by, approved_by_body: str = "", note: str = "",
) -> DivisionChange:
    """Rename (更名) and/or re-code (代码变更): the old row is end-dated, a new one created."""
    _check_user(recorded_by, [division])
    name = name.strip() or division.name
    code = _check_new_code(code, level=division.level, parent=division.parent, reusable={division.code}) \
        if code else division.code
    if name == division.name and code == division.code:
        raise EditRefused("名称和代码都没有变化")
    kind = ChangeKind.RECODE if code != division.code else ChangeKind.RENAME
    why = _why(kind, approval_document)
    _retire(division, effective_date, why)
    new = _create(code=code, name=name, parent=division.parent, geom=division.geom, seat=division.seat,
                  on=effective_date, why=why, level=division.level)
    _move_children([division], new, effective_date, why)
    if division.parent:
        _rebuild_lines(division.parent, division.level)
    return _record(kind, document=approval_document, body=approved_by_body, on=effective_date, note=note,
                   user=recorded_by, retired=[division], created=[new])


@transaction.atomic
def move_seat(
    *, division: Division, seat: Point, approval_document: str, effective_date: dt.date, recorded_by,
    approved_by_body: str = "", note: str = "",
) -> DivisionChange:
    """Move the seat (驻地迁移): the new seat must lie inside the division."""
    _check_user(recorded_by, [division])
    seat.srid = seat.srid or CGCS2000
    if division.geom is not None and not division.geom.covers(seat):
        raise EditRefused(f"新驻地不在{division.name}范围内")
    division.seat = seat
    division._change_reason = _why(ChangeKind.MOVE_SEAT, approval_document)
    division.save(update_fields=["seat"])
    return _record(ChangeKind.MOVE_SEAT, document=approval_document, body=approved_by_body, on=effective_date,
                   note=note, user=recorded_by, retired=[], created=[])


def split_points(division: Division, cut: list[tuple[float, float]]) -> tuple[tuple[float, float], tuple[float, float]]:
    """A point inside each piece of ``division`` cut by ``cut``: (left of the line as drawn, right).

    Lets a form name "the part left of the line" and "the part right of it" without
    asking for a click in each; refuses a cut that does not make exactly two pieces.
    """
    blade = LineString(cut, srid=CGCS2000)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface((ST_Dump(ST_Split(geom, ST_GeomFromEWKB(%s)))).geom) p "
            "FROM boundaries_division WHERE id = %s) a",
            [bytes(blade.ewkb), division.id],
        )
        points = cursor.fetchall()
    if len(points) != 2:
        raise EditRefused(f"分割线须完整穿过{division.name}一次，把它分为两部分（现为 {len(points)} 部分）")
    (x0, y0), (x1, y1) = cut[0], cut[-1]

    def side(point):  # > 0: left of the line from its first to its last point
        return (x1 - x0) * (point[1] - y0) - (y1 - y0) * (point[0] - x0)

    left, right = sorted(points, key=side, reverse=True)
    return (left[0], left[1]), (right[0], right[1])
