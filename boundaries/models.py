"""Division (行政区划): the administrative hierarchy from province to village.

A division is identified by its 12-digit statistical code, which is unique among
*current* rows only: when a unit is retired (撤销/合并/更名, DOMAIN.md §2) its row is
end-dated with ``valid_to`` and kept, never deleted, and a code may later be reused.
Geometry is CGCS2000 (EPSG:4490); areas are measured on the ellipsoid.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Case, IntegerField, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from boundaries.codes import Kind, Level
from geoapp.datums import DATUMS
from geoapp.gis import CGCS2000, M2_PER_KM2, GeodesicArea, as_cgcs2000
from geoapp.jurisdiction import JurisdictionQuerySet
from geoapp.law import cite


class Source(models.TextChoices):
    OFFICIAL = "official", _("官方数据")
    SYNTHETIC = "synthetic", _("合成（演示）数据")
    IMPORTED = "imported", _("导入文件")


# Code lengths of the levels above a village: province, prefecture, county, township.
ANCESTOR_PREFIXES = (2, 4, 6, 9)


class DivisionQuerySet(JurisdictionQuerySet):
    jurisdiction_field = "code"

    def current(self, on: dt.date | None = None):
        """Divisions in force on ``on`` (today by default): valid_from ≤ on < valid_to."""
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gt=on)))

    def at_level(self, level: str):
        return self.filter(level=level)

    def containing(self, point):
        """Divisions whose polygon covers ``point`` (a GEOS Point; boundary points included)."""
        return self.filter(geom__covers=as_cgcs2000(point))

    def with_area(self):
        """Annotate ``area_m2``: ellipsoidal area (PostGIS geography), never degrees."""
        return self.annotate(area_m2=GeodesicArea("geom"))

    def search(self, text: str):
        """Divisions whose name contains ``text`` or whose code starts with its digits."""
        text = text.strip()
        if not text:
            return self.none()
        if text.isdigit():
            return self.filter(code__startswith=text)
        return self.filter(name__contains=text)

    def ranked_search(self, text: str):
        """``search(text)``, best match first: the exact name, then names starting with
        it, then the higher level (a province before its villages), then by code."""
        text = text.strip()
        level_rank = Case(*(When(level=level, then=i) for i, level in enumerate(Level.values)),
                          output_field=IntegerField())
        return self.search(text).alias(
            not_exact=Case(When(name=text, then=0), default=1, output_field=IntegerField()),
            not_prefix=Case(When(name__startswith=text, then=0), default=1, output_field=IntegerField()),
            level_rank=level_rank,
        ).order_by("not_exact", "not_prefix", "level_rank", "code")

    def paths(self, codes) -> dict[str, list[str]]:
        """``{code: names of the divisions above it}`` (省 › 市 › 县 › 乡), in one query.

        By code prefix (2, 4, 6 and 9 digits of the 12-digit code), so a search result
        shows where it lies: four 兴隆村委会 in four townships can be told apart.
        """
        prefixes = ANCESTOR_PREFIXES
        wanted = {c[:n].ljust(12, "0") for c in codes if c for n in prefixes}
        names = dict(self.filter(code__in=wanted).values_list("code", "name"))
        paths = {}
        for code in codes:
            if code:
                ancestors = dict.fromkeys(code[:n].ljust(12, "0") for n in prefixes)
                paths[code] = [names[a] for a in ancestors if a != code and a in names]
        return paths


class Division(models.Model):
    """An administrative division (行政区划) at one of five levels."""

    code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices, db_index=True)
    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    geom = models.MultiPolygonField(_("范围"), srid=CGCS2000, null=True, blank=True)
    seat = models.PointField(_("驻地"), srid=CGCS2000, null=True, blank=True)
    valid_from = models.DateField(_("生效日期"), default=dt.date(2000, 1, 1))
    valid_to = models.DateField(_("终止日期"), null=True, blank=True)
    source = models.CharField(_("数据来源"), max_length=16, choices=Source.choices, default=Source.IMPORTED)
    source_note = models.CharField(_("来源说明"), max_length=300, blank=True)
    source_datum = models.CharField(
        _("原始坐标系"), max_length=10, choices=[(d, d.upper()) for d in DATUMS], default="cgcs2000"
    )

    history = HistoricalRecords()
    objects = DivisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_to__isnull=True), name="division_code_unique_while_current"
            ),
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{12}$"), name="division_code_12_digits"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="division_valid_to_after_valid_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.valid_from <= today and (self.valid_to is None or self.valid_to > today)

    @property
    def area_km2(self) -> float | None:
        """Ellipsoidal area in km², from the annotation when present, else one query."""
        if self.geom is None:
            return None
        area_m2 = getattr(self, "area_m2", None)
        if area_m2 is None:
            area_m2 = Division.objects.filter(pk=self.pk).with_area().values_list("area_m2", flat=True).get()
        return area_m2 / M2_PER_KM2

    def current_children(self):
        return Division.objects.current().filter(parent=self)

    def ancestors(self):
        """The divisions above this one, from the province down (省 › 市 › 县 › 乡), in one query.

        By code prefix: the 12-digit code is the hierarchy (2, 4, 6 and 9 digits padded
        with zeros, DOMAIN.md §2), so no walk up ``parent`` one query per level. Only rows
        in force while this one was count: a retired division keeps the ancestors it had,
        not later rows under a reused code. A QuerySet ordered by code (= top down).
        """
        codes = {self.code[:n].ljust(12, "0") for n in ANCESTOR_PREFIXES} - {self.code}
        overlapping = Q(valid_to__isnull=True) | Q(valid_to__gt=self.valid_from)
        if self.valid_to is not None:
            overlapping &= Q(valid_from__lt=self.valid_to)
        return (Division.objects.filter(overlapping, code__in=codes)
                .order_by("code", "-valid_from").distinct("code"))


class BoundaryLineQuerySet(JurisdictionQuerySet):
    """Lines are scoped through their left division; a line between two jurisdictions
    is visible from both sides (``for_user`` also admits the right division)."""

    jurisdiction_field = "left__code"

    def current(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gt=on)))

    def of(self, *, parent: Division, level: str):
        """Lines of ``level`` with at least one side inside ``parent`` (a township line on a
        county line belongs to both counties' sets)."""
        return self.filter(Q(left__parent=parent) | Q(right__parent=parent), level=level)

    def for_user(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        prefix = user.jurisdiction_prefix
        if prefix is None:
            return self.none()
        return self.filter(Q(left__code__startswith=prefix) | Q(right__code__startswith=prefix))


class BoundaryLine(models.Model):
    """A boundary line (行政区域界线) between two neighbouring divisions of one level.

    Derived through the one PostGIS topology of the province (``boundaries.topology``,
    ADR 0014): every edge is stored once and belongs to the line of every level whose
    divisions differ on its two sides, so a county line is the chain of township edges on
    it. One record per neighbour pair and level. ``left`` is the division with the smaller
    code (GB/T 17796 puts marker A on that side); ``right`` is empty for an outer edge
    (the edge of the data); ``parent`` is the left side's parent.
    """

    level = models.CharField(_("级别"), max_length=16, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        Division, verbose_name=_("所属上级区划"), on_delete=models.PROTECT, related_name="child_lines"
    )
    left = models.ForeignKey(Division, verbose_name=_("左侧区划"), on_delete=models.PROTECT, related_name="+")
    right = models.ForeignKey(
        Division, verbose_name=_("右侧区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    geom = models.MultiLineStringField(_("界线"), srid=CGCS2000)
    length_km = models.FloatField(_("长度（千米）"))
    topology = models.CharField(_("拓扑"), max_length=63, editable=False)
    edge_ids = models.JSONField(_("拓扑边"), default=list, editable=False)
    agreement_ref = models.CharField(_("界线协议书编号"), max_length=100, blank=True)
    last_inspected = models.DateField(_("最近联检日期"), null=True, blank=True)
    # Optimistic locking: an edit names the version it was drawn on; a mismatch is a conflict.
    version = models.PositiveIntegerField(_("版本"), default=1)
    valid_from = models.DateField(_("生效日期"), default=dt.date(2000, 1, 1))
    valid_to = models.DateField(_("终止日期"), null=True, blank=True)

    history = HistoricalRecords()
    objects = BoundaryLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("界线")
        verbose_name_plural = _("界线")
        ordering = ["left__code", "right__code"]
        # Lines change only through the editor's propose/approve actions (never the admin's
        # change form, so no role holds change_boundaryline): this is who may use them.
        permissions = [("edit_boundaryline", "可修改和审核界线")]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "left", "right"], condition=Q(valid_to__isnull=True) & Q(right__isnull=False),
                name="boundaryline_pair_unique_while_current",
            ),
            models.UniqueConstraint(
                fields=["level", "left"], condition=Q(valid_to__isnull=True) & Q(right__isnull=True),
                name="boundaryline_outer_unique_while_current",
            ),
        ]

    def __str__(self) -> str:
        right = self.right.name if self.right_id else _("（外边界）")
        return f"{self.left.name} — {right}"


class EditStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPLIED = "applied", _("已批准并生效")
    REJECTED = "rejected", _("已驳回")
    STALE = "stale", _("已失效（界线已被他人修改）")


# Workflow as data (STYLE.md). No side changes a line alone (NO_UNILATERAL_CHANGE),
# hence a second officer, and one from each side for a line between two jurisdictions.
NO_UNILATERAL_CHANGE = cite("jxgl:2:2", "任何组织或者个人不得擅自变更行政区域界线")
EDIT_TRANSITIONS = {
    EditStatus.PENDING: {EditStatus.APPLIED, EditStatus.REJECTED, EditStatus.STALE},
    EditStatus.APPLIED: set(),
    EditStatus.REJECTED: set(),
    EditStatus.STALE: set(),
}


class LineEdit(models.Model):
    """A proposed new course for a boundary line (界线变更申请), applied after approval."""

    line = models.ForeignKey(BoundaryLine, verbose_name=_("界线"), on_delete=models.PROTECT, related_name="edits")
    base_version = models.PositiveIntegerField(_("依据版本"))
    edges = models.JSONField(_("修改的拓扑边"), help_text="[{edge_id, coordinates: [[lon, lat], …]}]")
    old_geom = models.MultiLineStringField(_("原界线"), srid=CGCS2000)
    new_geom = models.MultiLineStringField(_("新界线"), srid=CGCS2000)
    area_changes = models.JSONField(_("面积变化（平方米）"), default=dict)
    # The divisions that must approve: those of the highest level the moved edges belong
    # to (ADR 0014). Empty for edits filed before it: then the line's two sides.
    approval_sides = models.JSONField(_("须审核的一方"), default=list)
    top_level = models.CharField(_("最高级别"), max_length=16, choices=Level.choices, blank=True)
    reason = models.TextField(_("变更理由"))
    document_no = models.CharField(_("批准文件文号"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=EditStatus.choices, default=EditStatus.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("界线变更")
        verbose_name_plural = _("界线变更")
        ordering = ["-proposed_at"]

    def __str__(self) -> str:
        return f"{self.line}（{self.get_status_display()}）"

    def sides(self) -> list[Division]:
        """The divisions whose officers must approve (one officer may cover several)."""
        if self.approval_sides:
            found = {d.code: d for d in Division.objects.current().filter(code__in=self.approval_sides)}
            return [found[c] for c in self.approval_sides if c in found]
        return [d for d in (self.line.left, self.line.right) if d is not None]


class LineEditApproval(models.Model):
    """One officer's approval of a line edit, for the side(s) inside their jurisdiction."""

    edit = models.ForeignKey(LineEdit, on_delete=models.CASCADE, related_name="approvals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sides = models.JSONField(_("代表的一侧"), default=list)  # division codes this approval covers
    approved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edit", "user"], name="one_approval_per_officer")]


class ChangeKind(models.TextChoices):
    """Kinds of division change (区划调整, DOMAIN.md §2: 设立/撤销/合并/更名/边界变更/驻地迁移)."""

    MERGE = "merge", _("合并")
    SPLIT = "split", _("分设")
    RENAME = "rename", _("更名")
    RECODE = "recode", _("代码变更")
    MOVE_SEAT = "move_seat", _("驻地迁移")
    REVERSAL = "reversal", _("更正（恢复调整前状态）")


class ChangeStatus(models.TextChoices):
    PROPOSED = "proposed", _("待审核")
    APPLIED = "applied", _("已批准并生效")
    REJECTED = "rejected", _("已驳回")
    STALE = "stale", _("已失效（区划已被另一调整改变）")


# Workflow as data (STYLE.md). A division change is a legal event (DOMAIN.md §2) entered
# by one officer and applied only when another officer of the right jurisdiction
# approves it: the same four-eyes rule as line edits (《行政区域界线管理条例》第十二条:
# no one changes a line alone; a merge or split moves lines too). A correction is a new
# change that reverses an applied one: nothing moves back along these edges.
CHANGE_TRANSITIONS = {
    ChangeStatus.PROPOSED: {ChangeStatus.APPLIED, ChangeStatus.REJECTED, ChangeStatus.STALE},
    ChangeStatus.APPLIED: set(),
    ChangeStatus.REJECTED: set(),
    ChangeStatus.STALE: set(),
}


class DivisionChange(models.Model):
    """A legal change of divisions: approval document, effective date, what it retires
    and what it creates. Retired divisions are end-dated, never deleted.

    ``params`` holds what the proposal asks for (codes, names, cut line, seat) and
    ``trial`` what applying it would do (areas, names, signs, facilities, lines), found by
    applying it in a savepoint that is rolled back; the approval applies it for real.
    ``successors`` maps every retired row to the row that took its place (children
    included), which is what the cascade and a reversal follow."""

    kind = models.CharField(_("调整类型"), max_length=16, choices=ChangeKind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=ChangeStatus.choices, default=ChangeStatus.PROPOSED)
    approval_document = models.CharField(_("批准文件"), max_length=200)
    approved_by_body = models.CharField(_("批准机关"), max_length=100, blank=True)
    effective_date = models.DateField(_("生效日期"))
    note = models.TextField(_("说明"), blank=True)
    params = models.JSONField(_("调整内容"), default=dict, blank=True)
    trial = models.JSONField(_("试算结果"), default=dict, blank=True)
    successors = models.JSONField(_("承继关系"), default=list, blank=True, help_text="[[retired id, successor id], …]")
    reverses = models.ForeignKey(
        "self", verbose_name=_("更正的调整"), null=True, blank=True, on_delete=models.PROTECT, related_name="reversals"
    )
    retired = models.ManyToManyField(Division, verbose_name=_("撤销的区划"), related_name="retired_by", blank=True)
    created = models.ManyToManyField(Division, verbose_name=_("新设的区划"), related_name="created_by", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("区划调整")
        verbose_name_plural = _("区划调整")
        ordering = ["-effective_date", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.approval_document}，{self.effective_date}）"

    @property
    def is_pending(self) -> bool:
        return self.status == ChangeStatus.PROPOSED

    def can_move_to(self, status: str) -> bool:
        return status in CHANGE_TRANSITIONS[self.status]

    def subject_codes(self) -> list[str]:
        """Codes of the current divisions the proposal acts on (for jurisdiction checks)."""
        return list(self.params.get("divisions", []))


# Agreements, markers, inspections, disputes and telemetry (boundaries.inspections, ADR 0019).
from boundaries.inspections.models import *  # noqa: E402,F401,F403
