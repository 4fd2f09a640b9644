"""Actions on boundaries that touch several models: deriving lines, editing them (four eyes).

Views, commands and tests call these; each is atomic.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from boundaries import edit_geometry, topology
from boundaries.codes import Level
from boundaries.models import EDIT_TRANSITIONS, BoundaryLine, Division, EditStatus, LineEdit, LineEditApproval
from geoapp.gis import CGCS2000


@dataclass
class LineBuildReport:
    topology: str
    divisions: int = 0
    lines: int = 0
    created: int = 0
    updated: int = 0
    retired: int = 0
    total_km: float = 0.0
    seconds: float = 0.0
    by_level: dict[str, int] = field(default_factory=dict)  # level → lines
    slivers: list[topology.Sliver] = field(default_factory=list)
    adopted: list[int] = field(default_factory=list)  # divisions whose outline now comes from the topology
    not_following: list[tuple[int, float]] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # legacy per-level topologies removed

    @property
    def problems(self) -> list[topology.Sliver]:
        """Slivers too large to absorb: overlaps or gaps a person must resolve."""
        return [s for s in self.slivers if s.assigned_to is None]

    def summary(self, names: dict[int, str]) -> str:
        levels = "，".join(f"{Level(lv).label} {n} 条" for lv, n in self.by_level.items())
        lines = [
            f"拓扑 {self.topology}：乡级区划 {self.divisions} 个（拓扑面），界线 {self.lines} 条（{levels}；新增 "
            f"{self.created}，更新 {self.updated}，停用 {self.retired}），总长 {self.total_km:.3f} 千米，"
            f"用时 {self.seconds:.2f} 秒",
        ]
        kinds = {"overlap": "重叠", "gap": "缝隙"}
        absorbed = [s for s in self.slivers if s.assigned_to]
        if absorbed:
            lines.append(
                f"  已在乡级并入相邻乡镇的细小重叠/缝隙 {len(absorbed)} 处，共 {sum(s.area_m2 for s in absorbed):.1f} 平方米"
                f"（单处不超过 {topology.SLIVER_MAX_M2:,.0f} 平方米，最大 {max(s.area_m2 for s in absorbed):.1f}；"
                f"并入规则：共边最长的乡镇）"
            )
            for s in absorbed:
                lines.append(f"    {kinds[s.kind]} {s.area_m2:,.2f} 平方米 @ ({s.lon:.6f}, {s.lat:.6f}) → "
                             f"{names.get(s.assigned_to, s.assigned_to)}")
        if self.adopted:
            lines.append(f"  {len(self.adopted)} 个区划的范围改由拓扑导出（历史记录保留原范围）")
        for division_id, diff in self.not_following:
            lines.append(f"  {names.get(division_id, division_id)}：范围与下级之和相差 {diff:,.0f} 平方米，"
                         "保留原范围，不随拓扑更新（下级数据不全）")
        if self.dropped:
            lines.append(f"  已删除旧的分级拓扑：{'、'.join(self.dropped)}")
        for s in self.problems:
            who = "、".join(names.get(d, str(d)) for d in s.candidates) or "无"
            lines.append(
                f"  {kinds[s.kind]} {s.area_m2:,.1f} 平方米 @ ({s.lon:.6f}, {s.lat:.6f})，涉及 {who}：未处理，需人工核实"
            )
        return "\n".join(lines)

    def names_needed(self) -> set[int]:
        return ({d for s in self.slivers for d in s.candidates} | {d for d, _ in self.not_following})


def province_of(division: Division) -> Division:
    """The province (topology root) a division belongs to."""
    return Division.objects.current().get(code=division.code[:2].ljust(12, "0"))


@transaction.atomic
def build_boundary_lines(
    *, parent: Division, level: str | None = None, progress: Callable[[int], None] | None = None
) -> LineBuildReport:
    """Rebuild the one topology of ``parent``'s province and the lines of every level.

    ``level`` is accepted for the callers of the per-level design (ADR 0008) and ignored:
    every level is derived from the same edges, so they are always rebuilt together.
    """
    return build_province_topology(province=province_of(parent), progress=progress)


@transaction.atomic
def build_province_topology(*, province: Division, progress: Callable[[int], None] | None = None) -> LineBuildReport:
    """Build the province's topology (townships as faces, counties/prefectures/province as
    hierarchical layers), re-derive the polygons that follow it and the lines of every level.

    Idempotent: a line whose pair and geometry are unchanged is left as it is; lines
    whose pair no longer touches are end-dated, never deleted.
    """
    started = time.perf_counter()
    name = topology.topology_name(province.code)
    pending = LineEdit.objects.filter(status=EditStatus.PENDING, line__left__code__startswith=province.code[:2])
    if pending.exists():
        # Pending edits name edges of the current topology; a rebuild renumbers them.
        raise edit_geometry.EditRefused(f"有 {pending.count()} 个待审核的界线变更，请先审核后再重建界线")
    report = LineBuildReport(topology=name)
    report.dropped = topology.drop_legacy_topologies(province.code)
    topo = topology.build_topology(province_code=province.code, progress=progress)
    report.slivers = topo.slivers
    report.divisions = len(set(topo.owners.values()))
    _adopt_topology_geoms(topo, report)
    _upsert_lines(topo, report, province)
    report.seconds = time.perf_counter() - started
    return report


def _save_geom(division_id: int, ewkb, why: str) -> None:
    division = Division.objects.get(pk=division_id)
    division.geom = GEOSGeometry(memoryview(bytes(ewkb)), srid=CGCS2000)
    division._change_reason = why
    division.save(update_fields=["geom"])


def _adopt_topology_geoms(topo: topology.Topology, report: LineBuildReport) -> None:
    """Townships that gained or lost a sliver take the union of their faces; each parent
    takes the union of its children when that differs from its outline by slivers only
    (history keeps the original). Records who follows the topology from now on."""
    why = f"建立界线拓扑 {topo.name}：细小重叠/缝隙在乡级统一处理，上级范围由下级组成"
    # A township whose faces differ from its outline: it gained or lost a sliver, or the
    # topology snapped one of its vertices (≤ TOLERANCE_DEG) onto a neighbour's.
    for division_id, ewkb in topology.townships_off_their_faces(topo.name):
        _save_geom(division_id, ewkb, why)
        report.adopted.append(division_id)
    follows = [(d, "township") for d in sorted(set(topo.owners.values()))]
    following = {d for d, _ in follows}
    for level in topology.LEVELS[1:]:
        parents = Division.objects.filter(
            level=level, children__id__in=following, children__valid_to__isnull=True).distinct()
        next_following = set()
        for parent in parents:
            with connection.cursor() as cursor:
                cursor.execute(
                    "WITH u AS (SELECT ST_Multi(ST_Union(geom)) g FROM boundaries_division "
                    "           WHERE parent_id = %s AND id = ANY(%s)), "
                    "     p AS (SELECT geom g FROM boundaries_division WHERE id = %s) "
                    "SELECT ST_AsEWKB(u.g), abs(ST_Area(u.g::geography, true) - ST_Area(p.g::geography, true)) FROM u, p",
                    [parent.id, list(following), parent.id],
                )
                ewkb, area_diff = cursor.fetchone()
                equal = False
                if area_diff is None:  # a parent without an outline of its own takes its children's
                    area_diff = 0.0
                elif area_diff <= topology.SLIVER_MAX_M2 * 100:  # else plainly not made of these children
                    cursor.execute(
                        "SELECT ST_Equals(ST_GeomFromEWKB(%s), geom), (SELECT COALESCE(max(ST_Area(d.g::geography, true)), 0) "
                        " FROM (SELECT (ST_Dump(ST_SymDifference(ST_GeomFromEWKB(%s), geom))).geom g) d) "
                        "FROM boundaries_division WHERE id = %s", [ewkb, ewkb, parent.id])
                    equal, area_diff = cursor.fetchone()
            if equal or area_diff <= topology.SLIVER_MAX_M2:
                if not equal:
                    _save_geom(parent.id, ewkb, why)
                    report.adopted.append(parent.id)
                next_following.add(parent.id)
                follows.append((parent.id, level))
            else:
                report.not_following.append((parent.id, area_diff))
        following = next_following
    topology.set_followers(topo.name, follows)


def _same_course(a: GEOSGeometry, b: GEOSGeometry) -> bool:
    """Same line up to the topology's snapping tolerance (a rebuild may merge the parts
    in another order or drop a vertex closer than the tolerance)."""
    if a.equals_exact(b, 1e-9):
        return True
    return shapely.hausdorff_distance(shapely.from_wkb(bytes(a.wkb)), shapely.from_wkb(bytes(b.wkb))) <= \
        topology.TOLERANCE_DEG


def _upsert_lines(topo: topology.Topology, report: LineBuildReport, province: Division) -> None:
    pairs = topology.lines_by_level(topo.name)
    ids = {d for _, a, b in pairs for d in (a, b) if d}
    by_id = Division.objects.in_bulk(ids)
    existing = {
        (line.level, line.left_id, line.right_id): line
        for line in BoundaryLine.objects.current().filter(level__in=topology.LINE_LEVELS,
                                                         left__code__startswith=province.code[:2])
    }
    seen = set()
    ordered = sorted(pairs.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or 0))
    merged = topology.merged_lines(topo.name, [edge_ids for _, edge_ids in ordered])
    bookkeeping = []
    for ((level, a, b), edge_ids), (ewkb, length_m) in zip(ordered, merged, strict=True):
        left, right = sorted((by_id[a], by_id[b]), key=lambda d: d.code) if b else (by_id[a], None)
        key = (level, left.id, right.id if right else None)
        seen.add(key)
        geom = GEOSGeometry(memoryview(bytes(ewkb)), srid=CGCS2000)
        values = {"geom": geom, "length_km": length_m / 1000, "topology": topo.name, "edge_ids": edge_ids}
        report.lines += 1
        report.by_level[level] = report.by_level.get(level, 0) + 1
        report.total_km += length_m / 1000
        line = existing.get(key)
        if line is None:
            # A line new in a rebuild starts today (the "as of" view of an earlier day shows
            # the lines that were current then); the lines of a first build have no start.
            start = {"valid_from": timezone.localdate()} if existing else {}
            BoundaryLine.objects.create(parent=left.parent, level=level, left=left, right=right, **values, **start)
            report.created += 1
        elif not _same_course(line.geom, geom):
            for attr, value in values.items():
                setattr(line, attr, value)
            line.parent = left.parent
            line._change_reason = f"重建拓扑 {topo.name}"
            line.save()
            report.updated += 1
        elif line.edge_ids != edge_ids or line.topology != topo.name or line.parent_id != left.parent_id:
            # Same line, renumbered edges of the rebuilt topology: bookkeeping, not a new version.
            line.edge_ids, line.topology, line.parent_id = edge_ids, topo.name, left.parent_id
            bookkeeping.append(line)
    BoundaryLine.objects.bulk_update(bookkeeping, ["edge_ids", "topology", "parent"], batch_size=500)
    today = timezone.localdate()
    for key, line in existing.items():
        if key not in seen:
            line.valid_to = today
            line._change_reason = f"重建拓扑 {topo.name}：两侧不再相邻"
            line.save(update_fields=["valid_to"])
            report.retired += 1


class _TrialRun(Exception):
    """Raised inside a savepoint to roll a trial edit back while keeping its result."""

    def __init__(self, result: edit_geometry.EditResult):
        super().__init__("trial run")
        self.result = result


EDIT_LINES = "boundaries.edit_boundaryline"  # zoning staff and administrators (geoapp.roles)


def _check_editor(user, line: BoundaryLine) -> list[str]:
    """The side codes of ``line`` that ``user`` may act for; refuses anyone else."""
    if not user.has_perm(EDIT_LINES):
        raise PermissionDenied("只有区划地名工作人员可以修改或审核界线")
    sides = [d.code for d in (line.left, line.right) if d is not None and user.can_act_on(d.code)]
    if not sides:
        raise PermissionDenied("这条界线不在您的辖区内")
    return sides


def _check_approver(user, edit: LineEdit) -> list[str]:
    """The approval sides of ``edit`` (its highest level) that ``user`` may approve for."""
    if not user.has_perm(EDIT_LINES):
        raise PermissionDenied("只有区划地名工作人员可以修改或审核界线")
    codes = [d.code for d in edit.sides()]
    sides = [code for code in codes if user.can_act_on(code)]
    if not sides:
        names = "、".join(d.name for d in edit.sides())
        raise PermissionDenied(f"这项变更须由{names}各自的工作人员审核，不在您的辖区内")
    return sides


@transaction.atomic
def propose_line_edit(
    *, line: BoundaryLine, base_version: int, edges: list[dict], reason: str, proposed_by, document_no: str = ""
) -> LineEdit:
    """Check an edit by applying it in a savepoint (then rolling back) and file it for approval.

    The proposal records the area change of every division it touches, at every level,
    and the sides that must approve it: the divisions of the highest level its edges
    belong to (a county line: each county; a prefecture line: each prefecture).
    """
    line = BoundaryLine.objects.select_for_update().get(pk=line.pk)
    _check_editor(proposed_by, line)
    if line.version != base_version:
        raise edit_geometry.EditConflict(
            f"界线已被他人修改（当前版本 {line.version}，您编辑的是版本 {base_version}），请重新加载后再编辑"
        )
    if not reason.strip():
        raise edit_geometry.EditRefused("请填写变更理由")
    try:
        with transaction.atomic():
            raise _TrialRun(edit_geometry.apply_edges(line, edges, why="试算"))
    except _TrialRun as trial:
        result = trial.result
    return LineEdit.objects.create(
        line=line, base_version=base_version, edges=edges, old_geom=line.geom, new_geom=result.line_geom,
        area_changes=result.area_changes, approval_sides=result.approval_sides, top_level=result.top_level,
        reason=reason.strip(), document_no=document_no.strip(), proposed_by=proposed_by,
    )


def approve_line_edit(*, edit: LineEdit, approved_by) -> LineEdit:
    """Record an approval; once every approval side is covered by an officer other than
    the proposer, apply the edit to the topology and every division and line it touches.

    An edit drawn on an older version of the line is marked stale (that is committed)
    and then reported as a conflict: no update is lost, none is applied blindly.
    """
    edit = _approve(edit, approved_by)
    if edit.status == EditStatus.STALE:
        raise edit_geometry.EditConflict("界线在此变更提交后已被修改，此变更已失效，请重新编辑")
    return edit


@transaction.atomic
def _approve(edit: LineEdit, approved_by) -> LineEdit:
    edit = LineEdit.objects.select_for_update().select_related("line").get(pk=edit.pk)
    if edit.status != EditStatus.PENDING:
        raise edit_geometry.EditRefused(f"该变更{edit.get_status_display()}，不能再审核")
    if approved_by.pk == edit.proposed_by_id:
        raise PermissionDenied("提交人不能审核自己的变更（须另一名工作人员审核）")
    sides = _check_approver(approved_by, edit)
    LineEditApproval.objects.get_or_create(edit=edit, user=approved_by, defaults={"sides": sides})
    covered = {code for a in edit.approvals.all() for code in a.sides}
    if covered >= {d.code for d in edit.sides()}:
        _apply_line_edit(edit)
    return edit


def _apply_line_edit(edit: LineEdit) -> None:
    line = BoundaryLine.objects.select_for_update().get(pk=edit.line_id)
    if line.version != edit.base_version:
        _move(edit, EditStatus.STALE)
        return
    why = f"界线变更 #{edit.pk}：{edit.reason}" + (f"（{edit.document_no}）" if edit.document_no else "")
    edit_geometry.apply_edges(line, edit.edges, why=why)
    _move(edit, EditStatus.APPLIED)


def _move(edit: LineEdit, status: str, note: str = "") -> None:
    if status not in EDIT_TRANSITIONS[edit.status]:
        raise edit_geometry.EditRefused(f"不能从“{edit.get_status_display()}”变为“{EditStatus(status).label}”")
    edit.status, edit.decided_at = status, timezone.now()
    if note:
        edit.decision_note = note
    edit.save(update_fields=["status", "decided_at", "decision_note"])


@transaction.atomic
def reject_line_edit(*, edit: LineEdit, rejected_by, note: str) -> LineEdit:
    edit = LineEdit.objects.select_for_update().select_related("line").get(pk=edit.pk)
    _check_approver(rejected_by, edit)
    _move(edit, EditStatus.REJECTED, note)
    return edit
