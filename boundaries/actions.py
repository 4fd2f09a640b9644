"""Actions on boundaries that touch several models: deriving lines, editing them (four eyes).

Views, commands and tests call these; each is atomic.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from boundaries import edit_geometry, topology
from boundaries.models import EDIT_TRANSITIONS, BoundaryLine, Division, EditStatus, LineEdit, LineEditApproval
from geoapp.gis import CGCS2000
from geoapp.roles import Role


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
    slivers: list[topology.Sliver] = field(default_factory=list)

    @property
    def problems(self) -> list[topology.Sliver]:
        """Slivers too large to absorb: overlaps or gaps a person must resolve."""
        return [s for s in self.slivers if s.assigned_to is None]

    def summary(self, names: dict[int, str]) -> str:
        lines = [
            f"拓扑 {self.topology}：区划 {self.divisions} 个，界线 {self.lines} 条（新增 {self.created}，"
            f"更新 {self.updated}，停用 {self.retired}），总长 {self.total_km:.3f} 千米，用时 {self.seconds:.2f} 秒",
        ]
        kinds = {"overlap": "重叠", "gap": "缝隙"}
        absorbed = [s for s in self.slivers if s.assigned_to]
        if absorbed:
            lines.append(
                f"  已并入相邻区划的细小重叠/缝隙 {len(absorbed)} 处，共 {sum(s.area_m2 for s in absorbed):.1f} 平方米"
                f"（单处不超过 {topology.SLIVER_MAX_M2:,.0f} 平方米，最大 {max(s.area_m2 for s in absorbed):.1f}）"
            )
        for s in self.problems:
            who = "、".join(names.get(d, str(d)) for d in s.candidates) or "无"
            lines.append(
                f"  {kinds[s.kind]} {s.area_m2:,.1f} 平方米 @ ({s.lon:.6f}, {s.lat:.6f})，涉及 {who}：未处理，需人工核实"
            )
        return "\n".join(lines)


@transaction.atomic
def build_boundary_lines(
    *, parent: Division, level: str, progress: Callable[[int], None] | None = None
) -> LineBuildReport:
    """Derive the boundary lines between the current ``level`` divisions inside ``parent``.

    Idempotent: a line whose pair and geometry are unchanged is left as it is; lines
    whose pair no longer touches are end-dated, never deleted.
    """
    started = time.perf_counter()
    pending = LineEdit.objects.filter(line__parent=parent, line__level=level, status=EditStatus.PENDING)
    if pending.exists():
        # Pending edits name edges of the current topology; a rebuild renumbers them.
        raise edit_geometry.EditRefused(f"有 {pending.count()} 个待审核的界线变更，请先审核后再重建界线")
    divisions = list(
        Division.objects.current().within(parent.code).at_level(level).exclude(geom__isnull=True).order_by("code")
    )
    name = topology.topology_name(parent.code, level)
    report = LineBuildReport(topology=name, divisions=len(divisions))
    topo = topology.build_topology(name=name, division_ids=[d.id for d in divisions], progress=progress)
    report.slivers = topo.slivers
    by_id = {d.id: d for d in divisions}
    _adopt_face_unions(topo, by_id)
    existing = {(line.left_id, line.right_id): line for line in BoundaryLine.objects.current().of(parent=parent, level=level)}
    seen = set()
    for (a, b), edge_ids in topology.edges_by_pair(name).items():
        left, right = sorted((by_id[a], by_id[b]), key=lambda d: d.code) if b else (by_id[a], None)
        key = (left.id, right.id if right else None)
        seen.add(key)
        ewkb, length_m = topology.merged_edges(name, edge_ids)
        geom = GEOSGeometry(memoryview(bytes(ewkb)), srid=CGCS2000)
        values = {"geom": geom, "length_km": length_m / 1000, "topology": name, "edge_ids": edge_ids}
        report.lines += 1
        report.total_km += length_m / 1000
        line = existing.get(key)
        if line is None:
            BoundaryLine.objects.create(parent=parent, level=level, left=left, right=right, **values)
            report.created += 1
        elif not line.geom.equals_exact(geom, 1e-9):
            for attr, value in values.items():
                setattr(line, attr, value)
            line.save()
            report.updated += 1
        elif line.edge_ids != edge_ids or line.topology != name:
            # Same line, renumbered edges of the rebuilt topology: bookkeeping, not a new version.
            BoundaryLine.objects.filter(pk=line.pk).update(edge_ids=edge_ids, topology=name)
    today = timezone.localdate()
    for key, line in existing.items():
        if key not in seen:
            line.valid_to = today
            line.save(update_fields=["valid_to"])
            report.retired += 1
    report.seconds = time.perf_counter() - started
    return report


def _adopt_face_unions(topo: topology.Topology, by_id: dict[int, Division]) -> None:
    """Divisions that gained or lost an absorbed sliver take their outline from the
    topology, so the lines and the polygons agree exactly from now on (history kept)."""
    touched = {d for s in topo.slivers if s.assigned_to for d in s.candidates}
    for division_id in sorted(touched):
        division = by_id[division_id]
        division.geom = GEOSGeometry(memoryview(bytes(topology.face_union(topo.name, division_id))), srid=CGCS2000)
        division._change_reason = f"建立界线拓扑 {topo.name}：并入细小重叠/缝隙"
        division.save(update_fields=["geom"])


class _TrialRun(Exception):
    """Raised inside a savepoint to roll a trial edit back while keeping its result."""

    def __init__(self, result: edit_geometry.EditResult):
        super().__init__("trial run")
        self.result = result


EDITOR_ROLES = {Role.ZONING, Role.ADMIN}


def _check_editor(user, line: BoundaryLine) -> list[str]:
    """The side codes of ``line`` that ``user`` may act for; refuses anyone else."""
    if user.role not in EDITOR_ROLES:
        raise PermissionDenied("只有区划地名工作人员可以修改或审核界线")
    sides = [d.code for d in (line.left, line.right) if d is not None and user.can_act_on(d.code)]
    if not sides:
        raise PermissionDenied("这条界线不在您的辖区内")
    return sides


def _area_m2(division: Division) -> float:
    return Division.objects.filter(pk=division.pk).with_area().values_list("area_m2", flat=True).get()


@transaction.atomic
def propose_line_edit(
    *, line: BoundaryLine, base_version: int, edges: list[dict], reason: str, proposed_by, document_no: str = ""
) -> LineEdit:
    """Check an edit by applying it in a savepoint (then rolling back) and file it for approval."""
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
            raise _TrialRun(edit_geometry.apply_edges(line, edges))
    except _TrialRun as trial:
        result = trial.result
    changes = {
        d.code: round(result.areas_m2[d.id] - _area_m2(d), 3) for d in (line.left, line.right)
    }
    return LineEdit.objects.create(
        line=line, base_version=base_version, edges=edges, old_geom=line.geom, new_geom=result.line_geom,
        area_changes=changes, reason=reason.strip(), document_no=document_no.strip(), proposed_by=proposed_by,
    )


def approve_line_edit(*, edit: LineEdit, approved_by) -> LineEdit:
    """Record an approval; once every side is covered by an officer other than the
    proposer, apply the edit to the topology and both divisions.

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
    sides = _check_editor(approved_by, edit.line)
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
    result = edit_geometry.apply_edges(line, edit.edges)
    why = f"界线变更 #{edit.pk}：{edit.reason}" + (f"（{edit.document_no}）" if edit.document_no else "")
    for division in Division.objects.select_for_update().filter(pk__in=result.geoms):
        division.geom = result.geoms[division.pk]
        division._change_reason = why
        division.save(update_fields=["geom"])
    line.geom, line.length_km, line.version = result.line_geom, result.length_km, line.version + 1
    line._change_reason = why
    line.save(update_fields=["geom", "length_km", "version"])
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
    _check_editor(rejected_by, edit.line)
    _move(edit, EditStatus.REJECTED, note)
    return edit
