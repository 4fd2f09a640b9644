"""Every change of the inspection register: keyword-only, atomic actions (STYLE.md).

Views, the field API, the importer, commands, the demo and the tests call these; nothing
else moves a state. Refusals raise ``InspectionError`` with one Chinese message per
problem and write nothing. The rules, with their articles of 《行政区域界线管理条例》
(``boundaries.inspections.law``):

* an inspection is planned and run by both neighbours (第十二条 联合检查); its edges are
  ``INSPECTION_TRANSITIONS``;
* the report is signed by a user of each side, each signing only for a side inside their
  own jurisdiction, two different people; one side alone cannot file, because the result
  is reported jointly (第十二条 共同报送…备案);
* signed and filed records are read only; a correction is a new inspection that names
  the one it corrects (archives are kept, 第十三条);
* field records (marker checks, findings, tracks) carry a phone-made ``client_id``: a
  retried upload is stored once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, LineString, MultiLineString, Point
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from boundaries.inspections.geometry import displacement_m
from boundaries.inspections.law import CITATIONS
from boundaries.inspections.models import (
    CONDITION_ACTIONS,
    INSPECTION_TRANSITIONS,
    ISSUE_TRANSITIONS,
    READ_ONLY,
    BoundaryIssue,
    BoundaryMarker,
    FindingKind,
    InspectionKind,
    InspectionPhoto,
    InspectionSignature,
    InspectionStatus,
    IssueCategory,
    IssueKind,
    IssueStatus,
    JointInspection,
    LineFinding,
    MarkerCheck,
    MarkerCondition,
    MediationEntry,
    RiskLevel,
    TrackLog,
    TrackSource,
)
from boundaries.models import BoundaryLine, Division, Source
from geoapp.gis import CGCS2000, GEOD, as_cgcs2000
from geoapp.photos import PhotoInfo


class InspectionError(Exception):
    """A refused change: ``errors`` holds one Chinese message per problem."""

    def __init__(self, *errors: str):
        self.errors = list(errors)
        super().__init__("；".join(self.errors))


@dataclass(frozen=True)
class Thresholds:
    max_accuracy_m: float
    displaced_m: float
    photo_offset_m: float

    @classmethod
    def from_settings(cls) -> Thresholds:
        return cls(
            max_accuracy_m=float(settings.CIVATLAS_MARKER_MAX_ACCURACY_M),
            displaced_m=float(settings.CIVATLAS_MARKER_DISPLACED_M),
            photo_offset_m=float(settings.CIVATLAS_SIGN_PHOTO_OFFSET_M),
        )


def _sides_of(user, inspection_or_line) -> list[Division]:
    """The sides of a line (or inspection) inside the user's jurisdiction."""
    if isinstance(inspection_or_line, JointInspection):
        sides = inspection_or_line.sides()
    else:
        sides = [d for d in (inspection_or_line.left, inspection_or_line.right) if d is not None]
    return [d for d in sides if user.can_act_on(d.code)]


def _require_side(user, target, what: str) -> None:
    if not _sides_of(user, target):
        raise InspectionError(f"您的辖区不在此界线的任何一方，不能{what}")


def _require_perm(user, perm: str, what: str) -> None:
    if not user.has_perm(f"boundaries.{perm}"):
        raise InspectionError(f"您的角色无权{what}")


# --- inspections ---------------------------------------------------------------------------------------


@transaction.atomic
def plan_inspection(*, line: BoundaryLine, round_year: int, planned_start: dt.date, planned_end: dt.date,
                    created_by, kind: str = InspectionKind.REGULAR, special_reason: str = "",
                    team_left: str = "", team_right: str = "", walk_tolerance_m: float | None = None,
                    amends: JointInspection | None = None, source: str = Source.OFFICIAL) -> JointInspection:
    """Plan a joint inspection of ``line``; the planner must belong to one of its sides."""
    errors = []
    if created_by is not None:
        _require_perm(created_by, "add_jointinspection", "安排联检")
        _require_side(created_by, line, "安排联检")
    if line.right_id is None:
        errors.append("该界线为外边界，毗邻方不在本系统中：请与毗邻方在其系统中办理联检")
    if kind == InspectionKind.SPECIAL and not special_reason.strip():
        errors.append(f"特殊联检须写明原因（{CITATIONS['special_inspection']}）")
    if planned_end < planned_start:
        errors.append("计划结束日期早于开始日期")
    if kind == InspectionKind.REGULAR and amends is None and JointInspection.objects.filter(
        line=line, kind=InspectionKind.REGULAR
    ).exclude(status=InspectionStatus.FILED).exists():
        errors.append("该界线已有一次尚未备案的定期联检")
    if errors:
        raise InspectionError(*errors)
    return JointInspection.objects.create(
        line=line, round_year=round_year, kind=kind, special_reason=special_reason.strip(),
        party_left=line.left, party_right=line.right, team_left=team_left, team_right=team_right,
        planned_start=planned_start, planned_end=planned_end, amends=amends, created_by=created_by,
        walk_tolerance_m=walk_tolerance_m or float(settings.CIVATLAS_INSPECTION_WALK_TOLERANCE_M), source=source,
    )


def _move(inspection: JointInspection, to: str) -> None:
    if to not in INSPECTION_TRANSITIONS[inspection.status]:
        raise InspectionError(
            f"联检记录当前为“{inspection.get_status_display()}”，不能改为“{InspectionStatus(to).label}”"
        )
    inspection.status = to


def _locked(inspection: JointInspection) -> JointInspection:
    return JointInspection.objects.select_for_update(of=("self",)).select_related(
        "line__left", "line__right", "party_left", "party_right").get(pk=inspection.pk)


@transaction.atomic
def start_fieldwork(*, inspection: JointInspection, by) -> JointInspection:
    inspection = _locked(inspection)
    _require_side(by, inspection, "开始外业检查")
    _move(inspection, InspectionStatus.FIELDWORK)
    inspection.save(update_fields=["status"])
    return inspection


@transaction.atomic
def draft_report(*, inspection: JointInspection, by, summary: str,
                 inspected_on: dt.date | None = None) -> JointInspection:
    """Fieldwork done: the joint report is drafted (the field records are closed)."""
    inspection = _locked(inspection)
    _require_perm(by, "change_jointinspection", "起草联检报告")
    _require_side(by, inspection, "起草联检报告")
    _move(inspection, InspectionStatus.DRAFTED)
    last = inspection.marker_checks.order_by("-checked_at").values_list("checked_at", flat=True).first()
    inspection.inspected_on = inspected_on or (timezone.localtime(last).date() if last else timezone.localdate())
    inspection.summary = summary.strip()
    inspection.save(update_fields=["status", "inspected_on", "summary"])
    return inspection


@transaction.atomic
def reopen_fieldwork(*, inspection: JointInspection, by) -> JointInspection:
    """Back to the field before anyone signed (after a signature the draft is fixed)."""
    inspection = _locked(inspection)
    _require_side(by, inspection, "退回外业")
    if inspection.signatures.exists():
        raise InspectionError("已有一方签字，报告不能再修改；请在签字后另行提交更正记录")
    _move(inspection, InspectionStatus.FIELDWORK)
    inspection.save(update_fields=["status"])
    return inspection


@transaction.atomic
def sign_inspection(*, inspection: JointInspection, user, side: Division | None = None,
                    signer_name: str = "") -> InspectionSignature:
    """One side signs the drafted report. ``side`` may be omitted when the user's
    jurisdiction covers exactly one side. After both sides the report is SIGNED."""
    inspection = _locked(inspection)
    _require_perm(user, "change_jointinspection", "在联检报告上签字")
    mine = _sides_of(user, inspection)
    if not mine:
        raise InspectionError("您的辖区不在此界线的任何一方，不能代表任何一方签字")
    if inspection.status != InspectionStatus.DRAFTED:
        raise InspectionError(f"只有“报告已起草”的联检记录可以签字，当前为“{inspection.get_status_display()}”")
    signed = {s.side_id: s for s in inspection.signatures.select_related("user")}
    if side is None:
        open_sides = [d for d in mine if d.pk not in signed]
        if not open_sides:
            side = mine[0]  # already signed: refused below with who signed
        elif len(open_sides) > 1:
            raise InspectionError("请选择您代表的一方")
        else:
            side = open_sides[0]
    if side.pk not in {d.pk for d in mine}:
        raise InspectionError(f"您的辖区不包括{side.name}，不能代表{side.name}签字")
    if side.pk in signed:
        raise InspectionError(f"{side.name}一方已由 {signed[side.pk].signer_name} 签字")
    if any(s.user_id == user.pk for s in signed.values()):
        raise InspectionError(f"您已代表另一方签字；双方须由各自的工作人员签字（{CITATIONS['joint_filing']}）")
    signature = InspectionSignature.objects.create(
        inspection=inspection, side=side, user=user,
        signer_name=signer_name.strip() or user.get_full_name() or user.get_username(),
    )
    if len(signed) + 1 == len(inspection.sides()):
        _move(inspection, InspectionStatus.SIGNED)
        inspection.save(update_fields=["status"])
    return signature


@transaction.atomic
def file_inspection(*, inspection: JointInspection, by, filed_on: dt.date | None = None) -> JointInspection:
    """File the signed report (备案). Needs both sides' signatures (第十二条 共同报送)."""
    inspection = _locked(inspection)
    _require_perm(by, "change_jointinspection", "备案联检报告")
    _require_side(by, inspection, "备案联检报告")
    signed = set(inspection.signatures.values_list("side_id", flat=True))
    missing = [d.name for d in inspection.sides() if d.pk not in signed]
    if missing:
        raise InspectionError(f"尚缺{'、'.join(missing)}一方签字，不能单方备案（{CITATIONS['joint_filing']}）")
    _move(inspection, InspectionStatus.FILED)
    inspection.filed_on = filed_on or timezone.localdate()
    inspection.save(update_fields=["status", "filed_on"])
    if inspection.kind == InspectionKind.REGULAR and inspection.inspected_on:
        # Keep the line's summary field in step (a queryset update: no other line field changes).
        BoundaryLine.objects.filter(pk=inspection.line_id).exclude(
            last_inspected__gte=inspection.inspected_on).update(last_inspected=inspection.inspected_on)
    return inspection


@transaction.atomic
def amend_inspection(*, original: JointInspection, by, reason: str) -> JointInspection:
    """A correction of a signed or filed inspection: a new record naming the original,
    which stays unchanged (第十三条 立卷归档)."""
    original = JointInspection.objects.select_related("line__left", "line__right").get(pk=original.pk)
    if original.status not in READ_ONLY:
        raise InspectionError("尚未签字的联检记录可直接修改，无需更正记录")
    if not reason.strip():
        raise InspectionError("请写明更正原因")
    today = timezone.localdate()
    amendment = plan_inspection(
        line=original.line, round_year=original.round_year, kind=original.kind,
        special_reason=original.special_reason, planned_start=today, planned_end=today, created_by=by,
        team_left=original.team_left, team_right=original.team_right, walk_tolerance_m=original.walk_tolerance_m,
        amends=original,
    )
    amendment.summary = f"更正 {original.round_year} 年联检记录 #{original.pk}：{reason.strip()}"
    amendment.save(update_fields=["summary"])
    return amendment


def _writable(inspection: JointInspection, user, perm: str, what: str) -> None:
    if inspection.status != InspectionStatus.FIELDWORK:
        if inspection.status in READ_ONLY:
            raise InspectionError("联检记录已签字，只读；如需更正请提交更正记录")
        raise InspectionError(f"联检记录为“{inspection.get_status_display()}”，只有外业检查中可以{what}")
    if user is not None:
        _require_perm(user, perm, what)
        _require_side(user, inspection, what)


# --- field records -------------------------------------------------------------------------------------


def _store_photos(photos: list[PhotoInfo], *, owner: dict, client_id: uuid.UUID) -> list[str]:
    stored = []
    for number, photo in enumerate(photos, start=1):
        stem = f"{client_id.hex}-{number}"
        item = InspectionPhoto(
            **owner, content_type=photo.content_type, size_bytes=len(photo.data), width=photo.width,
            height=photo.height, sha256=photo.sha256, exif_lon=photo.exif_lon, exif_lat=photo.exif_lat,
            exif_taken_at=photo.exif_taken_at,
        )
        item.image.save(f"{stem}.{photo.extension}", ContentFile(photo.data), save=False)
        item.thumbnail.save(f"{stem}-thumb.jpg", ContentFile(photo.thumbnail), save=False)
        stored += [item.image.name, item.thumbnail.name]
        item.save()
    return stored


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def _photo_warnings(photos: list[PhotoInfo], lon: float, lat: float, limit_m: float) -> list[str]:
    out = []
    for photo in photos:
        if photo.has_position:
            far = GEOD.inv(lon, lat, photo.exif_lon, photo.exif_lat)[2]
            if far > limit_m:
                out.append(f"照片拍摄位置（EXIF）距设备定位 {far:.0f} 米，超过 {limit_m:.0f} 米，请核实")
    return out


def stored_check(*, client_id: uuid.UUID, inspection: JointInspection) -> MarkerCheck | None:
    record = MarkerCheck.objects.filter(client_id=client_id).first()
    if record is not None and record.inspection_id != inspection.pk:
        raise InspectionError("该客户端编号（client_id）已用于另一次联检的记录，请重新生成")
    return record


def record_marker_check(*, inspection: JointInspection, marker: BoundaryMarker, client_id: uuid.UUID,
                        condition: str, lon: float, lat: float, accuracy_m: float, recorded_by,
                        photos: list[PhotoInfo] = (), action_required: str = "", notes: str = "",
                        checked_at: dt.datetime | None = None, thresholds: Thresholds | None = None,
                        source: str = Source.OFFICIAL) -> tuple[MarkerCheck, bool]:
    """Store one marker check; (check, created). A retry with the same ``client_id``
    returns the stored check. The displacement from the registered position is measured
    on the ellipsoid; an "intact" marker further than the threshold is flagged."""
    if (existing := stored_check(client_id=client_id, inspection=inspection)) is not None:
        return existing, False
    thresholds = thresholds or Thresholds.from_settings()
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = _locked(inspection)
            if (existing := stored_check(client_id=client_id, inspection=locked)) is not None:
                return existing, False
            _writable(locked, recorded_by, "add_markercheck", "登记界桩检查")
            errors = []
            if marker.line_id != locked.line_id:
                errors.append(f"界桩 {marker.number} 不在本次联检的界线上")
            if condition not in MarkerCondition.values:
                errors.append(f"请选择界桩状况：{'、'.join(str(c.label) for c in MarkerCondition)}")
            if accuracy_m > thresholds.max_accuracy_m:
                errors.append(f"GPS 定位精度 {accuracy_m:.0f} 米，超过允许的 {thresholds.max_accuracy_m:.0f} 米：请到开阔处等待")
            if not photos:
                errors.append("请拍摄界桩现场照片")
            if errors:
                raise InspectionError(*errors)
            measured = Point(lon, lat, srid=CGCS2000)
            moved = displacement_m(marker.geom, measured)
            warnings = _photo_warnings(list(photos), lon, lat, thresholds.photo_offset_m)
            flagged = condition == MarkerCondition.INTACT and moved > thresholds.displaced_m
            if flagged:
                warnings.append(f"记录为“完好”，但实测位置距登记位置 {moved:.1f} 米，超过 {thresholds.displaced_m:g} 米：请核实是否移位")
            check = MarkerCheck.objects.create(
                inspection=locked, marker=marker, client_id=client_id, condition=condition, measured_geom=measured,
                accuracy_m=accuracy_m, displacement_m=moved, flagged=flagged,
                action_required=action_required.strip() or str(CONDITION_ACTIONS[condition]), notes=notes,
                warnings=warnings, checked_at=checked_at or timezone.now(), recorded_by=recorded_by, source=source,
            )
            stored = _store_photos(list(photos), owner={"check_record": check}, client_id=client_id)
            BoundaryMarker.objects.filter(pk=marker.pk).update(condition=condition)
            return check, True
    except IntegrityError:
        _delete_files(stored)
        # The same client_id stored concurrently: that one is the record.
        if (existing := stored_check(client_id=client_id, inspection=inspection)) is not None:
            return existing, False
        raise
    except InspectionError:
        _delete_files(stored)
        raise


def record_finding(*, inspection: JointInspection, client_id: uuid.UUID, kind: str, lon: float, lat: float,
                   description: str, recorded_by, accuracy_m: float | None = None, photos: list[PhotoInfo] = (),
                   found_at: dt.datetime | None = None, source: str = Source.OFFICIAL) -> tuple[LineFinding, bool]:
    """Store a finding along the line (river/terrain change, construction, hazard)."""
    existing = LineFinding.objects.filter(client_id=client_id).first()
    if existing is not None:
        if existing.inspection_id != inspection.pk:
            raise InspectionError("该客户端编号（client_id）已用于另一次联检的记录，请重新生成")
        return existing, False
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = _locked(inspection)
            _writable(locked, recorded_by, "add_linefinding", "登记界线情况")
            errors = []
            if kind not in FindingKind.values:
                errors.append(f"请选择类别：{'、'.join(str(c.label) for c in FindingKind)}")
            if not description.strip():
                errors.append("请描述发现的情况")
            if errors:
                raise InspectionError(*errors)
            finding = LineFinding.objects.create(
                inspection=locked, client_id=client_id, kind=kind, geom=Point(lon, lat, srid=CGCS2000),
                accuracy_m=accuracy_m, description=description.strip(), found_at=found_at or timezone.now(),
                recorded_by=recorded_by, source=source,
            )
            stored = _store_photos(list(photos), owner={"finding": finding}, client_id=client_id)
            return finding, True
    except InspectionError:
        _delete_files(stored)
        raise


def record_track(*, inspection: JointInspection, client_id: uuid.UUID, lines: list[list[tuple[float, float]]],
                 track_source: str, recorded_by) -> tuple[TrackLog, bool]:
    """Store a walked track (one or more segments of lon/lat points)."""
    existing = TrackLog.objects.filter(client_id=client_id).first()
    if existing is not None:
        if existing.inspection_id != inspection.pk:
            raise InspectionError("该客户端编号（client_id）已用于另一次联检的记录，请重新生成")
        return existing, False
    segments = [seg for seg in lines if len(seg) >= 2]
    if not segments:
        raise InspectionError("轨迹至少需要两个点")
    for seg in segments:
        for lon, lat in seg:
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise InspectionError(f"轨迹点坐标超出范围：{lon}, {lat}")
    with transaction.atomic():
        locked = _locked(inspection)
        _writable(locked, recorded_by, "add_tracklog", "上传行进轨迹")
        geom = MultiLineString([LineString(seg, srid=CGCS2000) for seg in segments], srid=CGCS2000)
        track = TrackLog.objects.create(
            inspection=locked, client_id=client_id, geom=geom, track_source=track_source,
            points=sum(len(s) for s in segments), recorded_by=recorded_by,
        )
    return track, True


def import_gpx(*, inspection: JointInspection, data: bytes, recorded_by, client_id: uuid.UUID | None = None):
    """A GPX file's tracks (trkseg) and routes as one walked track."""
    from boundaries.inspections.gpx import GPXError, read_gpx

    try:
        segments = read_gpx(data)
    except GPXError as exc:
        raise InspectionError(str(exc)) from exc
    return record_track(inspection=inspection, client_id=client_id or uuid.uuid4(), lines=segments,
                        track_source=TrackSource.GPX, recorded_by=recorded_by)


# --- disputes and hazards --------------------------------------------------------------------------------


@transaction.atomic
def open_issue(*, line: BoundaryLine, kind: str, category: str, title: str, geom: GEOSGeometry, reported_by,
               risk: str = RiskLevel.MEDIUM, description: str = "", inspection: JointInspection | None = None,
               finding: LineFinding | None = None, marker: BoundaryMarker | None = None,
               reported_on: dt.date | None = None, source: str = Source.OFFICIAL) -> BoundaryIssue:
    """Register a dispute or hazard on ``line`` (纠纷隐患排查)."""
    errors = []
    if reported_by is not None:
        _require_perm(reported_by, "add_boundaryissue", "登记纠纷隐患")
        _require_side(reported_by, line, "登记纠纷隐患")
    if kind not in IssueKind.values:
        errors.append("请选择性质：纠纷或隐患")
    if category not in IssueCategory.values:
        errors.append(f"请选择类别：{'、'.join(str(c.label) for c in IssueCategory)}")
    if risk not in RiskLevel.values:
        errors.append("请选择风险等级：低、中、高")
    if not title.strip():
        errors.append("请填写名称")
    if geom is None or geom.geom_type not in ("Point", "LineString", "MultiLineString"):
        errors.append("位置应为一个点或界线上的一段")
    if errors:
        raise InspectionError(*errors)
    geom = as_cgcs2000(geom)
    return BoundaryIssue.objects.create(
        line=line, kind=kind, category=category, risk=risk, title=title.strip(), description=description,
        geom=geom, party_left=line.left, party_right=line.right, inspection=inspection, finding=finding,
        marker=marker, reported_by=reported_by, reported_on=reported_on or timezone.localdate(), source=source,
    )


_FINDING_CATEGORY = {
    FindingKind.RIVER: IssueCategory.WATER, FindingKind.TERRAIN: IssueCategory.LAND,
    FindingKind.CONSTRUCTION: IssueCategory.CONSTRUCTION, FindingKind.HAZARD: IssueCategory.OTHER,
    FindingKind.OTHER: IssueCategory.OTHER,
}


@transaction.atomic
def open_issue_from_finding(*, finding: LineFinding, by, kind: str = IssueKind.HAZARD,
                            risk: str = RiskLevel.MEDIUM, category: str | None = None) -> BoundaryIssue:
    """One step from a finding to a dispute/hazard record (once per finding)."""
    if BoundaryIssue.objects.filter(finding=finding).exists():
        raise InspectionError("该情况已登记为纠纷隐患")
    inspection = finding.inspection
    return open_issue(
        line=inspection.line, kind=kind, category=category or _FINDING_CATEGORY[finding.kind],
        title=f"{finding.get_kind_display()}（{inspection.round_year}年联检发现）", description=finding.description,
        geom=finding.geom, risk=risk, inspection=inspection, finding=finding, reported_by=by,
        source=finding.source,
    )


@transaction.atomic
def move_issue(*, issue: BoundaryIssue, to: str, by, text: str, on: dt.date | None = None,
               document=None) -> MediationEntry:
    """Move an issue along ``ISSUE_TRANSITIONS`` and log it in its mediation record."""
    issue = BoundaryIssue.objects.select_for_update(of=("self",)).select_related("line__left", "line__right").get(pk=issue.pk)
    if by is not None:
        _require_perm(by, "change_boundaryissue", "调处纠纷隐患")
        _require_side(by, issue.line, "调处纠纷隐患")
    if to != issue.status and to not in ISSUE_TRANSITIONS[issue.status]:
        raise InspectionError(f"纠纷隐患当前为“{issue.get_status_display()}”，不能改为“{IssueStatus(to).label}”")
    if not text.strip():
        raise InspectionError("请填写调处情况")
    on = on or timezone.localdate()
    entry = MediationEntry(issue=issue, on=on, text=text.strip(), status_after=to, recorded_by=by)
    if document is not None:
        entry.document.save(document.name, document, save=False)
    entry.save()
    issue.status = to
    issue.resolved_on = on if to == IssueStatus.RESOLVED else None
    issue.save(update_fields=["status", "resolved_on"])
    return entry


# --- agreements -------------------------------------------------------------------------------------------


@transaction.atomic
def record_agreement(*, line: BoundaryLine, number: str, signed_on: dt.date, recorded_by, approved_by_body: str = "",
                     map_file=None, marker_table_file=None, amends=None, note: str = "",
                     source: str = Source.OFFICIAL):
    """Register the boundary agreement (界线协议书) that fixed ``line``, with its attached map
    and marker table; an amendment names the agreement it amends (第二条: agreements bind)."""
    from boundaries.inspections.models import BoundaryAgreement

    if recorded_by is not None:
        _require_perm(recorded_by, "add_boundaryagreement", "登记界线协议书")
        _require_side(recorded_by, line, "登记界线协议书")
    errors = []
    if not number.strip():
        errors.append("请填写协议书编号")
    if amends is not None and amends.line_id != line.pk:
        errors.append("被修订的协议书不属于这条界线")
    if errors:
        raise InspectionError(*errors)
    agreement = BoundaryAgreement(
        line=line, number=number.strip(), signed_on=signed_on, party_left=line.left, party_right=line.right,
        approved_by_body=approved_by_body, line_version=line.version, amends=amends, note=note, source=source,
    )
    if map_file is not None:
        agreement.map_file.save(map_file.name, map_file, save=False)
    if marker_table_file is not None:
        agreement.marker_table_file.save(marker_table_file.name, marker_table_file, save=False)
    agreement.save()
    return agreement
