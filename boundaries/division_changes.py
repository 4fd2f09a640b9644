"""Division changes (区划调整): proposal, four-eyes approval, application, reversal.

A change (合并 merge, 分设 split, 更名 rename, 代码变更 re-code, 驻地迁移 seat move, and
更正 the reversal of an earlier one) is one legal event with an approval document and an
effective date (DOMAIN.md §2). It goes through the same four-eyes rule as a line edit:

* ``propose_division_change`` stores what is asked (``params``) and its *trial result*:
  the change is applied in a savepoint — divisions, lines and every registered follower
  (gazetteer, signs, facilities, ``boundaries.register``) — its effects are recorded and
  the savepoint is rolled back. A refusal (bad code, kind that does not fit the name,
  cut that does not cross…) is raised then, with its reason, and nothing is stored.
* ``approve_division_change`` by another officer whose jurisdiction holds every
  division concerned applies it for real, in one transaction: old units end-dated on
  the effective date (never deleted), new rows created with codes whose township
  segment fits the kind their name states, children re-created under the new prefix,
  source and synthetic flags carried, lines re-derived, followers called.
* ``propose_reversal`` files a correction: a new change that retires what the first
  created and restores what it retired under the original codes (nothing is deleted).

``rename_division_by_naming`` is the way in from the naming workflow: an approved
renaming of a division's name renames the Division through the same application code.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from django.contrib.gis.geos import GEOSGeometry, LineString, MultiPolygon, Point
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from boundaries import register
from boundaries.actions import build_boundary_lines
from boundaries.codes import LEVEL_ORDER, Level, generic_range, kind_mismatch, kind_of, level_of, parent_code
from boundaries.edit_geometry import EditConflict, EditRefused
from boundaries.models import BoundaryLine, ChangeKind, ChangeStatus, Division, DivisionChange, Source
from geoapp.gis import CGCS2000
from geoapp.jurisdiction import SEGMENTS, code_prefix, normalise_code

# Changes at these levels are approved by a government whose document must be recorded
# (DOMAIN.md §2: township-level changes are approved by the provincial government).
DOCUMENT_LEVELS = {Level.PROVINCE, Level.PREFECTURE, Level.COUNTY, Level.TOWNSHIP}

# Who records and approves changes of the register: zoning staff and administrators (geoapp.roles).
CHANGE_DIVISIONS = "boundaries.change_division"


def _check_user(user, divisions, *, verb: str = "登记") -> None:
    if not user.has_perm(CHANGE_DIVISIONS):
        raise PermissionDenied(f"只有区划地名工作人员可以{verb}区划调整")
    outside = [d.name for d in divisions if not user.can_act_on(d.code)]
    if outside:
        raise PermissionDenied(f"{'、'.join(outside)}不在您的辖区内")


def _free_code(parent: Division, span: tuple[int, int], level: str) -> str | None:
    """The first code in ``span`` (segment range) under ``parent`` not used by a current row."""
    prefix = code_prefix(parent.code)
    seg_len = SEGMENTS[LEVEL_ORDER.index(Level(level))]
    taken = set(Division.objects.filter(code__startswith=prefix, valid_to__isnull=True).values_list("code", flat=True))
    for segment in range(max(span[0], 1), span[1] + 1):
        code = (prefix + str(segment).zfill(seg_len)).ljust(12, "0")
        if code not in taken:
            return code
    return None


def _check_kind(code: str, name: str, parent: Division | None) -> None:
    """Refuse a name whose generic part (镇/乡/街道…) does not fit the code's segment range,
    and offer the free code that would fit (DOMAIN.md §2)."""
    problem = kind_mismatch(code, name)
    if not problem:
        return
    found = generic_range(level_of(code), name)
    offer = _free_code(parent, found[0], level_of(code)) if parent is not None and found else None
    raise EditRefused(problem + (f"；请同时变更代码，例如可用代码 {offer}" if offer else "；该范围内已无可用代码"))


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


def _carried_source(olds: list[Division]) -> tuple[str, str, str]:
    """(source, note, datum) of a row made from ``olds``: synthetic if any part was, the
    common source otherwise (a merge must not turn demo data into "imported")."""
    sources = {d.source for d in olds}
    if Source.SYNTHETIC in sources:
        source = Source.SYNTHETIC
    elif len(sources) == 1:
        source = sources.pop()
    else:
        source = Source.IMPORTED
    notes = list(dict.fromkeys(d.source_note for d in olds if d.source_note))
    return source, "；".join(notes)[:300], olds[0].source_datum if olds else "cgcs2000"


def _create(*, code, name, parent, geom, seat, on, why, level, like: list[Division], kind: str = "") -> Division:
    source, note, datum = _carried_source(like)
    division = Division(
        code=code, name=name, level=level, kind=kind or kind_of(code, name), parent=parent, geom=geom, seat=seat,
        valid_from=on, source=source, source_note=note or why[:300], source_datum=datum,
    )
    division._change_reason = why
    division.save()
    return division


@dataclass
class _Outcome:
    """What the geometry part of a change did (before lines and followers)."""

    retired: list[Division] = field(default_factory=list)  # the units named in the change
    created: list[Division] = field(default_factory=list)
    pairs: list[tuple[Division, Division]] = field(default_factory=list)  # (old, new) every level, top first
    continuing: dict[int, Division] = field(default_factory=dict)
    parent: Division | None = None
    level: str = ""
    moved_seats: list[Division] = field(default_factory=list)


def _move_children(olds: list[Division], new: Division, on: dt.date, why: str, out: _Outcome, pick=None) -> None:
    """Re-create the current children of ``olds`` under ``new`` (codes under its prefix),
    and theirs under them: the code prefix is the hierarchy (DOMAIN.md §2)."""
    if new.level == Level.VILLAGE:
        return
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
            moved = _create(code=code, name=child.name, parent=new, geom=child.geom, seat=child.seat, on=on, why=why,
                            level=child.level, like=[child], kind=child.kind)
            out.pairs.append((child, moved))
            out.continuing[child.id] = moved
            _move_children([child], moved, on, why, out)


def _child_code(prefix: str, segment: int, seg_len: int, taken: set[str]) -> str:
    """Keep the child's segment if free, else the next free one in the same hundred
    (the hundreds encode the kind: 街道/镇/乡, 居委会/村委会; DOMAIN.md §2)."""
    block = segment - segment % 100
    for candidate in [segment, *range(max(block, 1), block + 100)]:
        code = normalise_code((prefix + str(candidate).zfill(seg_len)).ljust(12, "0")[:12])
        if code not in taken:
            return code
    raise EditRefused(f"{prefix} 下已没有可用的代码段")


def _why(change: DivisionChange) -> str:
    return f"区划调整 #{change.pk}（{ChangeKind(change.kind).label}）：{change.approval_document}"


def _subjects(change: DivisionChange) -> list[Division]:
    """The current divisions the change acts on, as they were when it was proposed; a
    stale proposal (one of them changed since) raises ``EditConflict``."""
    ids = change.params.get("ids", [])
    found = {d.id: d for d in Division.objects.current().filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        gone = Division.objects.filter(pk__in=missing).values_list("name", flat=True)
        raise EditConflict(f"{'、'.join(gone)}已不是现行区划（已被另一调整改变），此调整已失效")
    return [found[i] for i in ids]


# --- the kinds ------------------------------------------------------------------------------


def _apply_merge(change: DivisionChange, divisions: list[Division], on: dt.date, why: str) -> _Outcome:
    p = change.params
    if len(divisions) < 2:
        raise EditRefused("合并至少需要两个区划")
    if len({d.parent_id for d in divisions}) != 1 or len({d.level for d in divisions}) != 1:
        raise EditRefused("只能合并同一上级、同一级别的区划")
    parent, level = divisions[0].parent, divisions[0].level
    with connection.cursor() as cursor:
        # One statement: the union of the polygons and how many parts it has (PostGIS).
        cursor.execute(
            "SELECT ST_AsEWKB(ST_Multi(ST_Union(geom))), ST_NumGeometries(ST_Union(geom)) "
            "FROM boundaries_division WHERE id = ANY(%s)",
            [[d.id for d in divisions]],
        )
        ewkb, parts = cursor.fetchone()
    if parts != 1:
        raise EditRefused("这些区划互不相邻，合并后不连通")
    name = (p.get("name") or "").strip()
    if not name:
        raise EditRefused("请填写合并后的名称")
    code = _check_new_code(p.get("code") or "", level=level, parent=parent, reusable={d.code for d in divisions})
    _check_kind(code, name, parent)
    for d in divisions:
        _retire(d, on, why)
    seat = Point(*p["seat"], srid=CGCS2000) if p.get("seat") else None
    keeper = next((d for d in divisions if d.code == code), None) or next((d for d in divisions if d.name == name), None)
    new = _create(code=code, name=name, parent=parent, geom=GEOSGeometry(memoryview(bytes(ewkb)), srid=CGCS2000),
                  seat=seat or (keeper or divisions[0]).seat, on=on, why=why, level=level, like=divisions)
    out = _Outcome(retired=list(divisions), created=[new], parent=parent, level=level)
    out.pairs = [(d, new) for d in divisions]
    if keeper is not None:
        out.continuing[keeper.id] = new
    _move_children(divisions, new, on, why, out)
    return out


def _split_pieces(division: Division, cut: list) -> list:
    blade = LineString([tuple(c) for c in cut], srid=CGCS2000)
    with connection.cursor() as cursor:
        # ST_Split has no ORM equivalent: one statement returning each piece.
        cursor.execute(
            "SELECT ST_AsEWKB((ST_Dump(ST_Split(geom, ST_GeomFromEWKB(%s)))).geom) FROM boundaries_division WHERE id = %s",
            [bytes(blade.ewkb), division.id],
        )
        return [GEOSGeometry(memoryview(bytes(row[0])), srid=CGCS2000) for row in cursor.fetchall()]


def _apply_split(change: DivisionChange, divisions: list[Division], on: dt.date, why: str) -> _Outcome:
    (division,) = divisions
    parts = change.params.get("parts", [])
    if len(parts) != 2:
        raise EditRefused("分设须给出两个新区划")
    pieces = _split_pieces(division, change.params.get("cut", []))
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
    for part, code in zip(parts, codes, strict=True):
        if not (part.get("name") or "").strip():
            raise EditRefused("请填写两个新区划的名称")
        _check_kind(code, part["name"].strip(), division.parent)
    _retire(division, on, why)
    out = _Outcome(retired=[division], parent=division.parent, level=division.level)
    for part, piece, code in zip(parts, chosen, codes, strict=True):
        geom = piece if piece.geom_type == "MultiPolygon" else MultiPolygon(piece, srid=CGCS2000)
        new = _create(code=code, name=part["name"].strip(), parent=division.parent, geom=geom,
                      seat=Point(*part["point"], srid=CGCS2000), on=on, why=why, level=division.level, like=[division])
        out.created.append(new)
        out.pairs.append((division, new))
        if code == division.code or new.name == division.name:
            out.continuing.setdefault(division.id, new)
    for new, piece in zip(out.created, chosen, strict=True):
        _move_children([division], new, on, why, out, pick=lambda c, g=piece: c.seat is not None and g.covers(c.seat))
    return out


def _apply_rename(change: DivisionChange, divisions: list[Division], on: dt.date, why: str) -> _Outcome:
    (division,) = divisions
    p = change.params
    name = (p.get("name") or "").strip() or division.name
    code = _check_new_code(p["code"], level=division.level, parent=division.parent, reusable={division.code}) \
        if p.get("code") else division.code
    if name == division.name and code == division.code:
        raise EditRefused("名称和代码都没有变化")
    _check_kind(code, name, division.parent)
    _retire(division, on, why)
    new = _create(code=code, name=name, parent=division.parent, geom=division.geom, seat=division.seat, on=on,
                  why=why, level=division.level, like=[division])
    out = _Outcome(retired=[division], created=[new], parent=division.parent, level=division.level,
                   pairs=[(division, new)], continuing={division.id: new})
    _move_children([division], new, on, why, out)
    return out


def _apply_seat(change: DivisionChange, divisions: list[Division], on: dt.date, why: str) -> _Outcome:
    (division,) = divisions
    seat = Point(*change.params["seat"], srid=CGCS2000)
    if division.geom is not None and not division.geom.covers(seat):
        raise EditRefused(f"新驻地不在{division.name}范围内")
    division.seat = seat
    division._change_reason = why
    division.save(update_fields=["seat"])
    return _Outcome(parent=division.parent, level=division.level, moved_seats=[division])


def _apply_reversal(change: DivisionChange, divisions: list[Division], on: dt.date, why: str) -> _Outcome:
    """Retire what the reversed change created and restore what it retired, under the
    original codes, names, polygons and seats (new rows: the history keeps both)."""
    original = change.reverses
    if original is None or original.status != ChangeStatus.APPLIED:
        raise EditRefused("只能更正已生效的区划调整")
    if original.kind == ChangeKind.MOVE_SEAT:
        raise EditRefused("驻地迁移的更正请登记一次新的驻地迁移")
    pairs = [(Division.objects.get(pk=a), Division.objects.get(pk=b)) for a, b in original.successors]
    news = list(dict.fromkeys(new for _, new in pairs))
    stale = [n for n in news if n.valid_to is not None]
    if stale:
        raise EditRefused(f"{'、'.join(n.name for n in stale)}已被后来的调整改变，请先更正后来的调整")
    for new in news:
        _retire(new, on, why)
    tops = {d.id for d in original.retired.all()}
    out = _Outcome(retired=[n for n in news if n.id in set(original.created.values_list("id", flat=True))])
    restored: dict[int, Division] = {}
    for old in dict.fromkeys(old for old, _ in pairs):
        parent = restored.get(old.parent_id, old.parent)
        if Division.objects.filter(code=old.code, valid_to__isnull=True).exists():
            raise EditRefused(f"代码 {old.code} 已被另一现行区划使用，不能恢复{old.name}")
        again = _create(code=old.code, name=old.name, parent=parent, geom=old.geom, seat=old.seat, on=on, why=why,
                        level=old.level, like=[old], kind=old.kind)
        restored[old.id] = again
        if old.id in tops:
            out.created.append(again)
    for old, new in pairs:
        again = restored[old.id]
        out.pairs.append((new, again))
        if again.code == new.code or (again.name == new.name and new.id not in out.continuing):
            out.continuing.setdefault(new.id, again)
    out.parent, out.level = (out.created[0].parent, out.created[0].level) if out.created else (None, "")
    return out


APPLY = {
    ChangeKind.MERGE: _apply_merge, ChangeKind.SPLIT: _apply_split, ChangeKind.RENAME: _apply_rename,
    ChangeKind.RECODE: _apply_rename, ChangeKind.MOVE_SEAT: _apply_seat, ChangeKind.REVERSAL: _apply_reversal,
}


# --- applying: divisions, lines, followers --------------------------------------------------


def _current_lines(parent_ids: set[int], level: str | None = None) -> dict[int, BoundaryLine]:
    lines = BoundaryLine.objects.current().filter(parent_id__in=parent_ids)
    if level:
        lines = lines.filter(level=level)
    # Only what the report prints: the divisions' polygons are large and not needed here.
    lines = lines.select_related("left", "right").only(
        "pk", "left_id", "right_id", "length_km", "left__name", "left__code", "right__name", "right__code")
    return {line.pk: line for line in lines}


def _rederive_lines(out: _Outcome, on: dt.date, why: str, context: register.ChangeContext) -> None:
    """Lines of the changed level re-derived from the new polygons; lines drawn inside a
    retired unit (its children's) end-dated and derived again inside its successors."""
    touched = {d.id for d in out.retired} | {d.id for d in out.created}
    before = {}
    if out.parent is not None and out.created:
        before = {pk: line for pk, line in _current_lines({out.parent.id}, out.level).items()
                  if line.left_id in touched or line.right_id in touched}
        if BoundaryLine.objects.current().of(parent=out.parent, level=out.level).exists():
            build_boundary_lines(parent=out.parent, level=out.level)
    inner_levels = set()
    for old, _ in out.pairs:
        for line in BoundaryLine.objects.current().filter(parent=old):
            inner_levels.add(line.level)
            line.valid_to, line._change_reason = on, why
            line.save(update_fields=["valid_to"])
            context.count("lines_retired")
    for _, new in out.pairs:
        for level in inner_levels:
            if level in LEVEL_ORDER[LEVEL_ORDER.index(Level(new.level)) + 1:] and new.current_children().exists():
                report = build_boundary_lines(parent=new, level=level)
                context.count("lines_created", report.lines)
    if out.parent is None or not out.created:
        return
    after = {pk: line for pk, line in _current_lines({out.parent.id}, out.level).items()
             if line.left_id in touched or line.right_id in touched}
    for pk, line in before.items():
        if pk not in after:
            context.count("lines_retired")
            context.note("lines", f"停用：{line}（{line.length_km:.2f} 千米）")
    for pk, line in after.items():
        if pk not in before:
            context.count("lines_created")
            context.note("lines", f"新界线：{line}（{line.length_km:.2f} 千米）")


def _apply(change: DivisionChange, on: dt.date) -> register.ChangeContext:
    """Apply ``change`` now (inside the caller's transaction); returns what it did."""
    why = _why(change)
    divisions = _subjects(change)
    out = APPLY[ChangeKind(change.kind)](change, divisions, on, why)
    context = register.ChangeContext(change=change, on=on, why=why, reversed_change=change.reverses,
                                     moved_seats=out.moved_seats)
    for old, new in out.pairs:
        context.retired[old.id] = old
        context.successors.setdefault(old.id, []).append(new)
        context.created.append(new)
    context.continuing = dict(out.continuing)
    _rederive_lines(out, on, why, context)
    for _, follower in register.followers():
        follower(context)
    change.retired.set(out.retired)
    change.created.set(out.created)
    change.successors = [[old.id, new.id] for old, new in out.pairs]
    change.trial = _summary(change, out, context)
    return context


def _summary(change: DivisionChange, out: _Outcome, context: register.ChangeContext) -> dict:
    """The trial (or actual) result shown on the review page: areas, names, signs,
    facilities, lines, applications, and the new polygons for the map."""
    ids = [d.id for d in out.retired + out.created + out.moved_seats]
    with connection.cursor() as cursor:
        # Ellipsoidal areas and lon/lat GeoJSON in one statement (DESIGN.md: payloads in SQL).
        cursor.execute(
            "SELECT id, ST_Area(geom::geography, true), ST_AsGeoJSON(geom, 6) FROM boundaries_division WHERE id = ANY(%s)",
            [ids],
        )
        rows = {pk: (area, geojson) for pk, area, geojson in cursor.fetchall()}
    def unit(d: Division, role: str) -> dict:
        area, geojson = rows.get(d.id, (None, None))
        return {"role": role, "code": d.code, "name": d.name, "kind": d.get_kind_display(), "source": d.source,
                "area_km2": round(area / 1e6, 3) if area else None, "geometry": json.loads(geojson) if geojson else None}

    return {
        "units": [unit(d, "retired") for d in out.retired] + [unit(d, "created") for d in out.created]
        + [unit(d, "seat") for d in out.moved_seats],
        "children_moved": sum(1 for old, _ in out.pairs if old not in out.retired),
        "sections": context.report, "counts": context.counts,
    }


class _TrialRun(Exception):
    """Raised inside a savepoint to roll a trial application back, keeping its result."""

    def __init__(self, trial: dict):
        super().__init__("trial run")
        self.trial = trial


def _trial(change: DivisionChange) -> dict:
    try:
        with transaction.atomic():
            _apply(change, change.effective_date)
            raise _TrialRun(change.trial)
    except _TrialRun as run:
        return run.trial


def _level_of_change(divisions: list[Division]) -> str:
    return divisions[0].level if divisions else Level.VILLAGE


@transaction.atomic
def propose_division_change(
    *, kind: str, divisions: list[Division], params: dict, approval_document: str, effective_date: dt.date,
    proposed_by, approved_by_body: str = "", note: str = "", reverses: DivisionChange | None = None,
) -> DivisionChange:
    """File a change for approval, with its trial result; refusals are raised now."""
    _check_user(proposed_by, divisions)
    if not divisions:
        raise EditRefused("请选择要调整的区划")
    if not approval_document.strip():
        raise EditRefused("请填写批准文件")
    if _level_of_change(divisions) in DOCUMENT_LEVELS and not approved_by_body.strip():
        raise EditRefused("乡级及以上区划调整须登记批准机关（如省人民政府）及其批准文件")
    busy = [c for c in DivisionChange.objects.filter(status=ChangeStatus.PROPOSED) if set(c.params.get("ids", [])) & {d.id for d in divisions}]
    if busy:
        raise EditRefused(f"{'、'.join(d.name for d in divisions)}已有待审核的区划调整 #{busy[0].pk}，请先审核")
    change = DivisionChange.objects.create(
        kind=kind, approval_document=approval_document.strip(), approved_by_body=approved_by_body.strip(),
        effective_date=effective_date, note=note, recorded_by=proposed_by, reverses=reverses,
        params={**params, "divisions": [d.code for d in divisions], "ids": [d.id for d in divisions]},
    )
    change.trial = _trial(change)
    change.save(update_fields=["trial"])
    return change


def propose_merge(*, divisions: list[Division], code: str, name: str, seat: Point | None = None, **common):
    """合并: neighbouring divisions of one parent into one (``code`` may be one of theirs)."""
    params = {"code": code, "name": name.strip(), "seat": [seat.x, seat.y] if seat else None}
    return propose_division_change(kind=ChangeKind.MERGE, divisions=list(divisions), params=params, **common)


def propose_split(*, division: Division, cut: list, parts: list[dict], **common):
    """分设 along a drawn line; ``parts``: two {code, name, point}, each the piece holding its point."""
    params = {"cut": [list(c) for c in cut],
              "parts": [{"code": p["code"], "name": p["name"], "point": list(p["point"])} for p in parts]}
    return propose_division_change(kind=ChangeKind.SPLIT, divisions=[division], params=params, **common)


def propose_rename(*, division: Division, name: str = "", code: str = "", **common):
    """更名 and/or 代码变更: the old row is end-dated, a new one created."""
    kind = ChangeKind.RECODE if code and normalise_code(code) != division.code else ChangeKind.RENAME
    return propose_division_change(kind=kind, divisions=[division], params={"name": name.strip(), "code": code},
                                   **common)


def propose_seat_move(*, division: Division, seat: Point, **common):
    """驻地迁移: the new seat must lie inside the division."""
    return propose_division_change(kind=ChangeKind.MOVE_SEAT, divisions=[division], params={"seat": [seat.x, seat.y]},
                                   **common)


def propose_reversal(*, change: DivisionChange, proposed_by, approval_document: str, effective_date: dt.date,
                     approved_by_body: str = "", note: str = "") -> DivisionChange:
    """A correction (更正): a new change that undoes ``change`` (offered from its page)."""
    if change.status != ChangeStatus.APPLIED:
        raise EditRefused("只能更正已生效的区划调整")
    if change.reversals.exclude(status__in=[ChangeStatus.REJECTED, ChangeStatus.STALE]).exists():
        raise EditRefused("该调整已有更正")
    divisions = list(change.created.all())
    return propose_division_change(
        kind=ChangeKind.REVERSAL, divisions=divisions, params={"reverses": change.pk},
        approval_document=approval_document, effective_date=effective_date, proposed_by=proposed_by,
        approved_by_body=approved_by_body or change.approved_by_body, note=note or f"更正区划调整 #{change.pk}",
        reverses=change,
    )


def _move(change: DivisionChange, status: str, *, by=None, note: str = "") -> None:
    if not change.can_move_to(status):
        raise EditRefused(f"不能从“{change.get_status_display()}”变为“{ChangeStatus(status).label}”")
    change.status, change.decided_at = status, timezone.now()
    if by is not None:
        change.decided_by = by
    if note:
        change.decision_note = note
    change.save()


def approve_division_change(*, change: DivisionChange, approved_by, note: str = "") -> DivisionChange:
    """Apply a proposed change once another officer of the right jurisdiction approves.

    A proposal whose divisions changed since is marked stale (that is committed) and
    reported as a conflict: nothing is applied blindly."""
    try:
        return _approve(change, approved_by, note)
    except EditConflict as conflict:
        _mark_stale(change, str(conflict))
        raise


@transaction.atomic
def _mark_stale(change: DivisionChange, why: str) -> None:
    change = DivisionChange.objects.select_for_update().get(pk=change.pk)
    if change.status == ChangeStatus.PROPOSED:
        _move(change, ChangeStatus.STALE, note=why)


@transaction.atomic
def _approve(change: DivisionChange, approved_by, note: str) -> DivisionChange:
    change = DivisionChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ChangeStatus.PROPOSED:
        raise EditRefused(f"该调整{change.get_status_display()}，不能再审核")
    if approved_by.pk == change.recorded_by_id:
        raise PermissionDenied("提交人不能审核自己提交的区划调整（须另一名工作人员审核）")
    if not approved_by.has_perm(CHANGE_DIVISIONS):
        raise PermissionDenied("只有区划地名工作人员可以审核区划调整")
    outside = [c for c in change.params.get("divisions", []) if not approved_by.can_act_on(c)]
    if outside:
        raise PermissionDenied(f"{'、'.join(outside)}不在您的辖区内")
    if change.effective_date > timezone.localdate():
        raise EditRefused(f"生效日期 {change.effective_date} 未到，请到期后再批准生效")
    _subjects(change)  # stale → EditConflict before anything is written
    _apply(change, change.effective_date)
    _move(change, ChangeStatus.APPLIED, by=approved_by, note=note)
    return change


@transaction.atomic
def reject_division_change(*, change: DivisionChange, rejected_by, note: str) -> DivisionChange:
    change = DivisionChange.objects.select_for_update().get(pk=change.pk)
    _check_user(rejected_by, Division.objects.filter(pk__in=change.params.get("ids", [])), verb="审核")
    if not note.strip():
        raise EditRefused("驳回须说明理由")
    _move(change, ChangeStatus.REJECTED, by=rejected_by, note=note.strip())
    return change


@transaction.atomic
def rename_division_by_naming(*, division: Division, name: str, approving_body: str, document: str,
                              on: dt.date, proposed_by, decided_by) -> DivisionChange:
    """An approved renaming (naming workflow) of a division's name: the Division follows.

    The naming decision is the approval (the workflow's own checks and second officer
    apply), so the change is recorded as applied; the followers rename the place name
    (former name kept, signs marked) exactly as for a change entered here."""
    _check_user(decided_by, [division], verb="审核")
    change = DivisionChange.objects.create(
        kind=ChangeKind.RENAME, approval_document=document, approved_by_body=approving_body, effective_date=on,
        note="由地名更名审批生效", recorded_by=proposed_by,
        params={"name": name, "code": "", "divisions": [division.code], "ids": [division.id]},
    )
    _apply(change, on)
    _move(change, ChangeStatus.APPLIED, by=decided_by, note="地名更名已批准")
    return change


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
