"""Boundary agreements (界线协议书), markers (界桩) with reference objects (方位物), joint
inspections (联检) with marker checks, line findings and walked tracks, the dispute and
hazard register (纠纷隐患排查), peaceful-boundary agreements (平安边界共建协议) and
smart-marker telemetry (智慧界桩).

Every record hangs off a ``BoundaryLine`` and is scoped through it: a user sees a record
when their jurisdiction touches one side of its line (``BoundaryLine.objects.for_user``).
Marker positions are survey data (DOMAIN.md §3): no public page, API, tile or export
carries them. Workflows are ``TRANSITIONS`` tables whose edges cite the stored text of
《行政区域界线管理条例》 (``boundaries.inspections.law``); ``boundaries.inspections.actions``
is the only code that moves a state. Imported at the end of ``boundaries.models`` so that
the models belong to the ``boundaries`` app (docs/adr/0019).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from boundaries.models import BoundaryLine, Division, Source
from geoapp.gis import CGCS2000


class LineScopedQuerySet(models.QuerySet):
    """Rows scoped through a boundary line: visible when the user's jurisdiction touches
    either side of the line (``line_field`` names the path to the line)."""

    line_field = "line"

    def for_user(self, user):
        lines = BoundaryLine.objects.for_user(user)
        return self.filter(**{f"{self.line_field}__in": lines.values("pk")})

    def on_line(self, line):
        return self.filter(**{self.line_field: line})


def _upload_path(folder: str, filename: str) -> str:
    today = timezone.localdate()
    return f"boundaries/{folder}/{today:%Y/%m}/{filename}"


# upload_to must name module-level functions (migrations serialise them by path).
def agreement_upload(instance, filename: str) -> str:
    return _upload_path("agreements", filename)


def reference_upload(instance, filename: str) -> str:
    return _upload_path("references", filename)


def inspection_upload(instance, filename: str) -> str:
    return _upload_path("inspections", filename)


def mediation_upload(instance, filename: str) -> str:
    return _upload_path("mediation", filename)


def peace_upload(instance, filename: str) -> str:
    return _upload_path("peace", filename)


# --- agreements ----------------------------------------------------------------------------------


class BoundaryAgreement(models.Model):
    """A boundary agreement (界线协议书): the legal act that fixed a line, with its
    attached map (附图) and marker table (界桩成果表) as uploaded files. An amendment is a
    new agreement that names the one it amends."""

    line = models.ForeignKey(BoundaryLine, verbose_name=_("界线"), on_delete=models.PROTECT, related_name="agreements")
    number = models.CharField(_("协议书编号"), max_length=100)
    signed_on = models.DateField(_("签订日期"))
    party_left = models.ForeignKey(Division, verbose_name=_("甲方"), on_delete=models.PROTECT, related_name="+")
    party_right = models.ForeignKey(
        Division, verbose_name=_("乙方"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by_body = models.CharField(_("批准机关"), max_length=100, blank=True)
    line_version = models.PositiveIntegerField(_("所确定的界线版本"), default=1)
    map_file = models.FileField(_("协议书附图"), upload_to=agreement_upload, blank=True, max_length=200)
    marker_table_file = models.FileField(_("界桩成果表"), upload_to=agreement_upload, blank=True, max_length=200)
    amends = models.ForeignKey(
        "self", verbose_name=_("修订的协议书"), null=True, blank=True, on_delete=models.PROTECT, related_name="amendments"
    )
    note = models.TextField(_("说明"), blank=True)
    source = models.CharField(_("数据来源"), max_length=16, choices=Source.choices, default=Source.OFFICIAL)

    history = HistoricalRecords()
    objects = LineScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("界线协议书")
        verbose_name_plural = _("界线协议书")
        ordering = ["-signed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.number}（{self.signed_on}）"


# --- markers --------------------------------------------------------------------------------------


class MarkerLetter(models.TextChoices):
    """Type letters of GB/T 17796: Q single; A/B a same-number pair (A on the side with the
    smaller code); C/D/E a same-number triple."""

    Q = "Q", _("Q 单立界桩")
    A = "A", _("A 同号双立（代码较小一侧）")
    B = "B", _("B 同号双立")
    C = "C", _("C 同号三立")
    D = "D", _("D 同号三立")
    E = "E", _("E 同号三立")


class MarkerCondition(models.TextChoices):
    """Marker conditions found in an inspection and what follows (DOMAIN.md §3)."""

    INTACT = "intact", _("完好")
    DAMAGED = "damaged", _("损坏")
    MISSING = "missing", _("丢失")
    DISPLACED = "displaced", _("移位")
    REFERENCE_CHANGED = "reference_changed", _("方位物变化")


# What the team must do for each condition (DOMAIN.md §3; repairs with the neighbour
# present: 《行政区域界线管理条例》第六条; new reference objects: 第八条).
CONDITION_ACTIONS = {
    MarkerCondition.INTACT: _("清洁界桩，描红注记，拍照存档"),
    MarkerCondition.DAMAGED: _("由分工管理方在毗邻方在场的情况下修复"),
    MarkerCondition.MISSING: _("在毗邻方在场的情况下按登记位置重新埋设"),
    MarkerCondition.DISPLACED: _("恢复至登记位置"),
    MarkerCondition.REFERENCE_CHANGED: _("重新选定方位物，更新登记表"),
}


class BoundaryMarkerQuerySet(LineScopedQuerySet):
    def along(self, line):
        return self.filter(line=line).order_by("serial", "letter")

    def with_alert(self):
        return self.filter(alert_open=True)


class BoundaryMarker(models.Model):
    """A boundary marker (界桩) on a line, numbered per GB/T 17796 (``numbering``).

    ``geom`` is the registered position (CGCS2000) from the marker register: survey data,
    never shown outside the jurisdictions of the line's two sides."""

    line = models.ForeignKey(BoundaryLine, verbose_name=_("界线"), on_delete=models.PROTECT, related_name="markers")
    number = models.CharField(_("界桩编号"), max_length=40)
    serial = models.PositiveIntegerField(_("序号"))
    letter = models.CharField(_("类型字母"), max_length=1, choices=MarkerLetter.choices)
    geom = models.PointField(_("登记位置"), srid=CGCS2000)
    elevation_m = models.FloatField(_("高程（米）"), null=True, blank=True)
    material = models.CharField(_("材质"), max_length=40, blank=True)
    set_on = models.DateField(_("埋设日期"), null=True, blank=True)
    managed_by = models.ForeignKey(
        Division, verbose_name=_("分工管理方"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    condition = models.CharField(
        _("最近状况"), max_length=20, choices=MarkerCondition.choices, default=MarkerCondition.INTACT
    )
    alert_open = models.BooleanField(_("有未处理的传感器告警"), default=False)
    note = models.TextField(_("说明"), blank=True)
    source = models.CharField(_("数据来源"), max_length=16, choices=Source.choices, default=Source.OFFICIAL)

    history = HistoricalRecords()
    objects = BoundaryMarkerQuerySet.as_manager()

    class Meta:
        verbose_name = _("界桩")
        verbose_name_plural = _("界桩")
        ordering = ["line_id", "serial", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["line", "serial", "letter"], name="marker_number_unique_on_line"),
        ]

    def __str__(self) -> str:
        return self.number


class ReferenceObject(models.Model):
    """A reference object (方位物) of a marker: a feature near it, with bearing and
    distance from the marker, so that a lost marker can be re-erected."""

    marker = models.ForeignKey(BoundaryMarker, on_delete=models.CASCADE, related_name="references")
    name = models.CharField(_("方位物名称"), max_length=100)
    bearing_deg = models.FloatField(_("方位角（度）"), null=True, blank=True)
    distance_m = models.FloatField(_("距离（米）"), null=True, blank=True)
    description = models.CharField(_("描述"), max_length=300, blank=True)
    photo = models.FileField(_("照片"), upload_to=reference_upload, blank=True, max_length=200)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("方位物")
        verbose_name_plural = _("方位物")
        ordering = ["marker", "pk"]

    def __str__(self) -> str:
        return self.name


# --- inspections ------------------------------------------------------------------------------------


class InspectionKind(models.TextChoices):
    REGULAR = "regular", _("五年一次的定期联检")
    SPECIAL = "special", _("特殊情况联检（特定地段）")


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("已计划")
    FIELDWORK = "fieldwork", _("外业检查中")
    DRAFTED = "drafted", _("报告已起草")
    SIGNED = "signed", _("双方已签字")
    FILED = "filed", _("已备案")


# Workflow as data (STYLE.md); ``actions.move_inspection`` enforces it. Edges and their rules:
INSPECTION_TRANSITIONS: dict[str, dict[str, str]] = {
    # The neighbours run the inspection together (第十二条 "联合检查"): the team starts fieldwork.
    InspectionStatus.PLANNED: {InspectionStatus.FIELDWORK: "five_year_cycle"},
    # The walk is done: a joint report is drafted from the marker checks and findings.
    InspectionStatus.FIELDWORK: {InspectionStatus.DRAFTED: "joint_filing"},
    # Before anyone signed, a draft can go back to the field; once both sides have signed
    # it is reached SIGNED (第十二条: the result is reported jointly, 共同报送).
    InspectionStatus.DRAFTED: {InspectionStatus.FIELDWORK: "five_year_cycle", InspectionStatus.SIGNED: "joint_filing"},
    # Filed with the approving body, jointly (第十二条 共同报送…备案); kept as an archive (第十三条).
    InspectionStatus.SIGNED: {InspectionStatus.FILED: "joint_filing"},
    InspectionStatus.FILED: {},
}
# States in which nothing of the record may change any more (amend with a new record).
READ_ONLY = {InspectionStatus.SIGNED, InspectionStatus.FILED}


class JointInspectionQuerySet(LineScopedQuerySet):
    def filed(self):
        return self.filter(status=InspectionStatus.FILED)

    def regular(self):
        return self.filter(kind=InspectionKind.REGULAR)

    def open(self):
        return self.exclude(status=InspectionStatus.FILED)


class JointInspection(models.Model):
    """A joint inspection (联检) of one line for one round, by both neighbouring sides."""

    line = models.ForeignKey(BoundaryLine, verbose_name=_("界线"), on_delete=models.PROTECT, related_name="inspections")
    round_year = models.PositiveIntegerField(_("联检年度"))
    kind = models.CharField(_("类型"), max_length=16, choices=InspectionKind.choices, default=InspectionKind.REGULAR)
    special_reason = models.CharField(_("特殊联检原因"), max_length=300, blank=True)
    party_left = models.ForeignKey(Division, verbose_name=_("甲方"), on_delete=models.PROTECT, related_name="+")
    party_right = models.ForeignKey(Division, verbose_name=_("乙方"), on_delete=models.PROTECT, related_name="+")
    team_left = models.TextField(_("甲方检查组成员"), blank=True)
    team_right = models.TextField(_("乙方检查组成员"), blank=True)
    planned_start = models.DateField(_("计划开始日期"))
    planned_end = models.DateField(_("计划结束日期"))
    inspected_on = models.DateField(_("实地检查完成日期"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED
    )
    walk_tolerance_m = models.FloatField(_("轨迹覆盖判定距离（米）"), default=50)
    summary = models.TextField(_("检查结论"), blank=True)
    amends = models.ForeignKey(
        "self", verbose_name=_("更正的联检记录"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="amendments",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    source = models.CharField(_("数据来源"), max_length=16, choices=Source.choices, default=Source.OFFICIAL)

    history = HistoricalRecords()
    objects = JointInspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("界线联检")
        verbose_name_plural = _("界线联检")
        ordering = ["-round_year", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(planned_end__gte=models.F("planned_start")), name="inspection_dates_ordered"),
            models.CheckConstraint(
                condition=~Q(kind="special") | ~Q(special_reason=""), name="special_inspection_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.round_year}年{self.get_kind_display()}"

    @property
    def is_read_only(self) -> bool:
        return self.status in READ_ONLY

    def sides(self) -> list[Division]:
        return [self.party_left, self.party_right]


class InspectionSignature(models.Model):
    """One side's signature (签字) on an inspection report, by a user of that side."""

    inspection = models.ForeignKey(JointInspection, on_delete=models.PROTECT, related_name="signatures")
    side = models.ForeignKey(Division, verbose_name=_("代表一方"), on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签字人"), on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(_("签字人姓名"), max_length=100)
    signed_at = models.DateTimeField(_("签字时间"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("联检签字")
        verbose_name_plural = _("联检签字")
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "side"], name="one_signature_per_side"),
            models.UniqueConstraint(fields=["inspection", "user"], name="one_side_per_signer"),
        ]


class MarkerCheck(models.Model):
    """The check of one marker in an inspection (界桩检查记录), made on a phone: condition,
    the measured position with its GPS accuracy and the displacement from the registered
    position in metres on the ellipsoid."""

    inspection = models.ForeignKey(JointInspection, on_delete=models.PROTECT, related_name="marker_checks")
    marker = models.ForeignKey(BoundaryMarker, on_delete=models.PROTECT, related_name="checks")
    client_id = models.UUIDField(_("客户端编号"), unique=True)
    condition = models.CharField(_("状况"), max_length=20, choices=MarkerCondition.choices)
    measured_geom = models.PointField(_("实测位置"), srid=CGCS2000)
    accuracy_m = models.FloatField(_("定位精度（米）"))
    displacement_m = models.FloatField(_("偏离登记位置（米）"))
    flagged = models.BooleanField(_("需核实"), default=False)
    action_required = models.CharField(_("处理措施"), max_length=300, blank=True)
    notes = models.TextField(_("说明"), blank=True)
    warnings = models.JSONField(_("提示"), default=list, blank=True)
    checked_at = models.DateTimeField(_("检查时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(_("数据来源"), max_length=16, choices=Source.choices, default=Source.OFFICIAL)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("界桩检查记录")
        verbose_name_plural = _("界桩检查记录")
        ordering = ["marker__serial", "marker__letter", "checked_at"]


class FindingKind(models.TextChoices):
    RIVER = "river", _("河流改道")
    TERRAIN = "terrain", _("地形变化")
    CONSTRUCTION = "construction", _("跨界建设")
    HAZARD = "hazard", _("隐患")
    OTHER = "other", _("其他")


class LineFinding(models.Model):
    """A finding along the line (界线情况): river or terrain change, cross-boundary
    construction (第十条), a hazard; any finding can open a dispute/hazard record."""

    inspection = models.ForeignKey(JointInspection, on_delete=models.PROTECT, related_name="findings")
    client_id = models.UUIDField(_("客户端编号"), unique=True)
    kind = models.CharField(_("类别"), max_length=16, choices=FindingKind.choices)
    geom = models.PointField(_("位置"), srid=CGCS2000)
    accuracy_m = models.FloatField(_("定位精度（米）"), null=True, blank=True)
    description = models.TextField(_("描述"))
    found_at = models.DateTimeField(_("发现时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("数据来源"), max_length=16, choices=Source.choices, default=Source.OFFICIAL)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("界线发现")
        verbose_name_plural = _("界线发现")
        ordering = ["found_at", "pk"]


class InspectionPhoto(models.Model):
    """A photo of a marker check or a finding (EXIF position checked as for sign photos)."""

    check_record = models.ForeignKey(MarkerCheck, null=True, blank=True, on_delete=models.PROTECT, related_name="photos")
    finding = models.ForeignKey(LineFinding, null=True, blank=True, on_delete=models.PROTECT, related_name="photos")
    image = models.FileField(_("照片"), upload_to=inspection_upload, max_length=200)
    thumbnail = models.FileField(_("缩略图"), upload_to=inspection_upload, max_length=200)
    content_type = models.CharField(max_length=40)
    size_bytes = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    exif_lon = models.FloatField(null=True, blank=True)
    exif_lat = models.FloatField(null=True, blank=True)
    exif_taken_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("联检照片")
        verbose_name_plural = _("联检照片")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(check_record__isnull=False, finding__isnull=True)
                | Q(check_record__isnull=True, finding__isnull=False),
                name="inspectionphoto_one_record",
            ),
        ]

    @property
    def inspection(self) -> JointInspection:
        return (self.check_record or self.finding).inspection


class TrackSource(models.TextChoices):
    GPX = "gpx", _("GPX 文件")
    RECORDED = "recorded", _("手机记录")


class TrackLog(models.Model):
    """The team's walked GPS track (行进轨迹), from a GPX file or recorded on the phone."""

    inspection = models.ForeignKey(JointInspection, on_delete=models.PROTECT, related_name="tracks")
    client_id = models.UUIDField(_("客户端编号"), unique=True)
    geom = models.MultiLineStringField(_("轨迹"), srid=CGCS2000)
    track_source = models.CharField(_("来源"), max_length=16, choices=TrackSource.choices)
    points = models.PositiveIntegerField(_("点数"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("行进轨迹")
        verbose_name_plural = _("行进轨迹")
        ordering = ["pk"]


# --- disputes and hazards ---------------------------------------------------------------------------


class IssueKind(models.TextChoices):
    DISPUTE = "dispute", _("纠纷")
    HAZARD = "hazard", _("隐患")


class IssueCategory(models.TextChoices):
    LAND = "land", _("土地")
    WATER = "water", _("水利")
    GRAZING = "grazing", _("草场放牧")
    MINING = "mining", _("矿产")
    CONSTRUCTION = "construction", _("工程建设")
    MARKER_DAMAGE = "marker_damage", _("界桩损毁")
    OTHER = "other", _("其他")


class RiskLevel(models.TextChoices):
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class IssueStatus(models.TextChoices):
    REPORTED = "reported", _("已登记")
    MEDIATING = "mediating", _("调处中")
    RESOLVED = "resolved", _("已化解")
    ESCALATED = "escalated", _("已上报批准机关")


ISSUE_TRANSITIONS: dict[str, dict[str, str]] = {
    # Screening finds it; the neighbours mediate together (第四条 共同管理).
    IssueStatus.REPORTED: {
        IssueStatus.MEDIATING: "joint_management", IssueStatus.RESOLVED: "joint_management",
        IssueStatus.ESCALATED: "disputes",
    },
    # A dispute over where the line lies goes to the approving body (第十五条).
    IssueStatus.MEDIATING: {IssueStatus.RESOLVED: "joint_management", IssueStatus.ESCALATED: "disputes"},
    # The approving body's decision settles it (第十五条); it then goes back to mediation
    # to carry out the decision or is resolved.
    IssueStatus.ESCALATED: {IssueStatus.RESOLVED: "disputes", IssueStatus.MEDIATING: "disputes"},
    IssueStatus.RESOLVED: {},
}


class BoundaryIssueQuerySet(LineScopedQuerySet):
    def open(self):
        return self.exclude(status=IssueStatus.RESOLVED)


class BoundaryIssue(models.Model):
    """A dispute or hazard (纠纷/隐患) on or near a line, with both parties, category, risk
    level, status and a mediation log; linked to the inspection, finding, marker or
    telemetry alert it came from."""

    line = models.ForeignKey(BoundaryLine, verbose_name=_("界线"), on_delete=models.PROTECT, related_name="issues")
    kind = models.CharField(_("性质"), max_length=16, choices=IssueKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("情况描述"), blank=True)
    category = models.CharField(_("类别"), max_length=20, choices=IssueCategory.choices)
    risk = models.CharField(_("风险等级"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.MEDIUM)
    status = models.CharField(_("状态"), max_length=16, choices=IssueStatus.choices, default=IssueStatus.REPORTED)
    # A point or a stretch of the line.
    geom = models.GeometryField(_("位置"), srid=CGCS2000)
    party_left = models.ForeignKey(Division, verbose_name=_("甲方"), on_delete=models.PROTECT, related_name="+")
    party_right = models.ForeignKey(
        Division, verbose_name=_("乙方"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_on = models.DateField(_("登记日期"), default=timezone.localdate)
    resolved_on = models.DateField(_("化解日期"), null=True, blank=True)
    inspection = models.ForeignKey(
        JointInspection, verbose_name=_("相关联检"), null=True, blank=True, on_delete=models.PROTECT, related_name="issues"
    )
    finding = models.OneToOneField(
        LineFinding, verbose_name=_("来源发现"), null=True, blank=True, on_delete=models.PROTECT, related_name="issue"
    )
    marker = models.ForeignKey(
        BoundaryMarker, verbose_name=_("相关界桩"), null=True, blank=True, on_delete=models.PROTECT, related_name="issues"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("数据来源"), max_length=16, choices=Source.choices, default=Source.OFFICIAL)

    history = HistoricalRecords()
    objects = BoundaryIssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("纠纷隐患")
        verbose_name_plural = _("纠纷隐患")
        ordering = ["-reported_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.title}"


class MediationEntry(models.Model):
    """One entry of an issue's mediation log (调处记录): date, what happened, a document."""

    issue = models.ForeignKey(BoundaryIssue, on_delete=models.PROTECT, related_name="mediation")
    on = models.DateField(_("日期"))
    text = models.TextField(_("调处情况"))
    document = models.FileField(_("文件"), upload_to=mediation_upload, blank=True, max_length=200)
    status_after = models.CharField(_("之后状态"), max_length=16, choices=IssueStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("调处记录")
        verbose_name_plural = _("调处记录")
        ordering = ["on", "pk"]


class PeacefulBoundaryAgreementQuerySet(models.QuerySet):
    def for_user(self, user):
        lines = BoundaryLine.objects.for_user(user)
        return self.filter(lines__in=lines.values("pk")).distinct()


class PeacefulBoundaryAgreement(models.Model):
    """A peaceful-boundary co-building agreement (平安边界共建协议) between neighbours."""

    title = models.CharField(_("协议名称"), max_length=200)
    party_a = models.ForeignKey(Division, verbose_name=_("甲方"), on_delete=models.PROTECT, related_name="+")
    party_b = models.ForeignKey(Division, verbose_name=_("乙方"), on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField(_("签订日期"))
    term_end = models.DateField(_("有效期至"), null=True, blank=True)
    lines = models.ManyToManyField(BoundaryLine, verbose_name=_("涉及界线"), related_name="peace_agreements")
    document = models.FileField(_("协议文本"), upload_to=peace_upload, blank=True, max_length=200)
    source = models.CharField(_("数据来源"), max_length=16, choices=Source.choices, default=Source.OFFICIAL)

    history = HistoricalRecords()
    objects = PeacefulBoundaryAgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("平安边界共建协议")
        verbose_name_plural = _("平安边界共建协议")
        ordering = ["-signed_on"]

    def __str__(self) -> str:
        return self.title

    def in_force(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.signed_on <= on and (self.term_end is None or on <= self.term_end)


# --- smart markers ------------------------------------------------------------------------------------


class MarkerDeviceQuerySet(LineScopedQuerySet):
    line_field = "marker__line"

    def stale(self, *, days: int, now=None):
        """Active devices with no reading for ``days`` days (or never)."""
        since = (now or timezone.now()) - dt.timedelta(days=days)
        return self.filter(active=True).filter(Q(last_seen_at__isnull=True) | Q(last_seen_at__lt=since))


class MarkerDevice(models.Model):
    """A sensor fitted to a marker (智慧界桩) reporting tilt and movement. It authenticates
    with a per-device token; only its SHA-256 is stored."""

    marker = models.ForeignKey(BoundaryMarker, on_delete=models.PROTECT, related_name="devices")
    device_id = models.CharField(_("设备编号"), max_length=64, unique=True)
    token_sha256 = models.CharField(max_length=64, editable=False)
    tilt_threshold_deg = models.FloatField(_("倾斜告警阈值（度）"), default=5.0)
    movement_threshold_mm = models.FloatField(_("位移告警阈值（毫米）"), default=50.0)
    active = models.BooleanField(_("启用"), default=True)
    last_seen_at = models.DateTimeField(_("最近上报时间"), null=True, blank=True)
    source = models.CharField(_("数据来源"), max_length=16, choices=Source.choices, default=Source.OFFICIAL)

    objects = MarkerDeviceQuerySet.as_manager()

    class Meta:
        verbose_name = _("界桩传感器")
        verbose_name_plural = _("界桩传感器")
        ordering = ["device_id"]

    def __str__(self) -> str:
        return self.device_id


class TelemetryReading(models.Model):
    """One reading of a device: tilt from vertical, movement since installation, battery."""

    device = models.ForeignKey(MarkerDevice, on_delete=models.PROTECT, related_name="readings")
    measured_at = models.DateTimeField(_("测量时间"))
    tilt_deg = models.FloatField(_("倾斜（度）"), null=True, blank=True)
    movement_mm = models.FloatField(_("位移（毫米）"), null=True, blank=True)
    battery_pct = models.FloatField(_("电量（%）"), null=True, blank=True)
    alarm = models.BooleanField(_("超过阈值"), default=False)
    channel = models.CharField(_("通道"), max_length=8)  # http | mqtt
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("传感器读数")
        verbose_name_plural = _("传感器读数")
        ordering = ["-measured_at"]
        constraints = [
            models.UniqueConstraint(fields=["device", "measured_at"], name="one_reading_per_device_and_time"),
        ]


class TelemetryAlert(models.Model):
    """An alarm on a marker raised by readings beyond their thresholds. One open alert per
    device: repeated alarming readings are counted on it and open no new hazard."""

    device = models.ForeignKey(MarkerDevice, on_delete=models.PROTECT, related_name="alerts")
    marker = models.ForeignKey(BoundaryMarker, on_delete=models.PROTECT, related_name="alerts")
    opened_at = models.DateTimeField(_("告警时间"))
    first_reading = models.ForeignKey(TelemetryReading, on_delete=models.PROTECT, related_name="+")
    readings_count = models.PositiveIntegerField(_("告警读数次数"), default=1)
    reason = models.CharField(_("原因"), max_length=200)
    issue = models.OneToOneField(BoundaryIssue, on_delete=models.PROTECT, related_name="telemetry_alert")
    closed_at = models.DateTimeField(_("解除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("传感器告警")
        verbose_name_plural = _("传感器告警")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(fields=["device"], condition=Q(closed_at__isnull=True), name="one_open_alert_per_device"),
        ]
