"""Place names (地名): the gazetteer, former names and the naming/renaming workflow.

``PlaceName`` carries the fields of the national place-name database (DOMAIN.md §4:
standard name, romanization, class, former names, meaning 含义, origin 来历, history
沿革, minority-script name, geometry) plus the derived search keys of
``placenames.indexing``, which actions fill through ``name_keys`` (never ``save()``).
``NamingApplication`` (地名命名更名申请) is a workflow whose states and edges are the
``TRANSITIONS`` table below; ``placenames.actions`` is the only code that moves it.
Geometry is CGCS2000 (EPSG:4490): a point, line or polygon.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.geos import Polygon
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Left, Length
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from boundaries.models import Division, Source
from geoapp.gis import CGCS2000
from geoapp.jurisdiction import JurisdictionQuerySet
from geoapp.law import cite
from placenames.generic_terms import CATEGORIES

# The app's other tables live beside their code (the reference list, the signs
# subpackage: docs/adr/0027); importing them here registers them with the app.
from placenames.reference_models import ReferenceDivision as ReferenceDivision
from placenames.signs.models import Sign as Sign


class Category(models.TextChoices):
    """GB/T 18521 classes (DOMAIN.md §4); the slugs are those of the romanizer."""

    SEA = "sea", _("海域")
    WATER = "water", _("陆地水系")
    TERRAIN = "terrain", _("陆地地形")
    DIVISION = "division", _("行政区域")
    COMMITTEE = "committee", _("群众自治组织")
    AREA = "area", _("非行政区域")
    SETTLEMENT = "settlement", _("居民点")
    TRANSPORT = "transport", _("交通运输设施")
    UTILITY = "utility", _("水利电力通信设施")
    LANDMARK = "landmark", _("纪念地旅游景点")
    BUILDING = "building", _("建筑物")
    ORGANISATION = "organisation", _("单位")


assert tuple(Category.values) == CATEGORIES, "Category must list the romanizer's classes in the same order"


class NameStatus(models.TextChoices):
    STANDARD = "standard", _("标准名称")
    PROPOSED = "proposed", _("拟用名称")
    RETIRED = "retired", _("已废止")


class NameKind(models.TextChoices):
    """What a name names, for the naming-law checks (scopes of 《地名管理条例》)."""

    COUNTY = "county", _("县级及以上行政区域")
    TOWNSHIP = "township", _("乡、镇、街道")
    VILLAGE = "village", _("村（居）民委员会驻地")
    STREET = "street", _("街、路、巷")
    RESIDENTIAL = "residential", _("居民区、建筑物")
    NATURAL = "natural", _("自然地理实体")


# The GB/T 18521 class a new name of each kind gets, when the applicant gives none.
KIND_CATEGORY = {
    NameKind.COUNTY: Category.DIVISION,
    NameKind.TOWNSHIP: Category.DIVISION,
    NameKind.VILLAGE: Category.COMMITTEE,
    NameKind.STREET: Category.TRANSPORT,
    NameKind.RESIDENTIAL: Category.SETTLEMENT,
    NameKind.NATURAL: Category.TERRAIN,
}


class PlaceNameQuerySet(JurisdictionQuerySet):
    jurisdiction_field = "division__code"

    def standard(self):
        """Names in force (标准名称): the only ones the public sees."""
        return self.filter(status=NameStatus.STANDARD)

    def in_category(self, *categories: str):
        return self.filter(category__in=categories)

    def under(self, prefix: str):
        """Names whose division code starts with ``prefix`` ('' = everywhere)."""
        return self.filter(division__code__startswith=prefix) if prefix else self

    def in_bbox(self, bbox: tuple[float, float, float, float]):
        """Names whose geometry meets the lon/lat box (minx, miny, maxx, maxy)."""
        box = Polygon.from_bbox(bbox)
        box.srid = CGCS2000
        return self.filter(geom__intersects=box)

    def search(self, query: str, *, centre=None):
        """Ranked search (exact > prefix > infix > fuzzy, then nearer ``centre``): see
        ``placenames.search``."""
        from placenames.search import search_queryset

        return search_queryset(self, query, centre=centre)


# Prominence of a name read from its own 12-digit code (a county and above end in
# 000000, a township in 000), not from a join to its division: a county or township first
# (someone typing "yongqing" means 永清镇 more often than one of several 永庆村), then
# other names, village committees last; within each, shorter names first.
BIG_DIVISION, TOWNSHIP, OTHER, COMMITTEE = range(4)
PROMINENCE = Case(
    When(category="division", code__endswith="000000", then=Value(BIG_DIVISION)),
    When(category="division", code__endswith="000", then=Value(TOWNSHIP)),
    When(category="committee", then=Value(COMMITTEE)),
    default=Value(OTHER), output_field=models.IntegerField(),
)
SEARCH_ORDER = PROMINENCE * 1000 + Length("standard_name")  # names are at most 100 characters
# Standard names of divisions down to townships (~42,000 of 1.5 million nationally): they
# sort first, so a short prefix's page comes from their own partial indexes (search.py).
PROMINENT = Q(search_order__lt=OTHER * 1000)
FIRST_CHARACTER = Left("standard_name", 1)
_PROMINENT_STANDARD = Q(status="standard") & PROMINENT


class PlaceName(models.Model):
    """A standard place name (标准地名) with the national database's fields."""

    standard_name = models.CharField(_("标准名称"), max_length=100)
    specific = models.CharField(_("专名"), max_length=100, blank=True)
    generic = models.CharField(_("通名"), max_length=30, blank=True)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    subclass = models.CharField(_("小类"), max_length=50, blank=True, help_text=_("GB/T 18521 小类，如“街、路”"))
    romanization = models.CharField(_("罗马字母拼写"), max_length=200, blank=True)
    sign_text = models.CharField(_("标志拼写（无声调）"), max_length=200, blank=True)
    division = models.ForeignKey(
        Division, verbose_name=_("所属行政区划"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="place_names",
    )
    geom = models.GeometryField(_("位置"), srid=CGCS2000, null=True, blank=True)
    meaning = models.TextField(_("含义"), blank=True)
    origin = models.TextField(_("来历"), blank=True)
    history_text = models.TextField(_("沿革"), blank=True)
    minority_name = models.CharField(_("少数民族文字名称"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=NameStatus.choices, default=NameStatus.STANDARD)
    protected = models.BooleanField(_("列入保护名录"), default=False)
    protection_measures = models.TextField(_("保护措施"), blank=True)
    source = models.CharField(_("数据来源"), max_length=16, choices=Source.choices, default=Source.IMPORTED)
    source_note = models.CharField(_("来源说明"), max_length=300, blank=True)
    code = models.CharField(_("地名代码"), max_length=32, blank=True)
    named_on = models.DateField(_("命名日期"), null=True, blank=True)
    geo_significant = models.BooleanField(
        _("具有重要地理方位意义"), default=False,
        help_text=_("住宅区、楼宇等由主管部门认定；只有认定的才在建成区内比对重名、同音"),
    )
    # Readings (地名读音): the romanizer's review list, kept with the name, and an
    # officer's confirmation, which wins over the engine everywhere (placenames.readings).
    reading_review = models.JSONField(_("待核定读音"), default=list, blank=True)
    reading_confirmed = models.BooleanField(_("读音已核定"), default=False)
    reading_reason = models.TextField(_("读音核定依据"), blank=True)
    reading_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("读音核定人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    reading_confirmed_at = models.DateTimeField(_("读音核定时间"), null=True, blank=True)
    # Derived from standard_name by placenames.indexing.name_keys (set by actions).
    # Indexed in Meta, each by one pattern index (equality and prefixes), not two.
    pinyin = models.CharField(_("拼音（无调）"), max_length=400, blank=True)
    initials = models.CharField(_("拼音首字母"), max_length=100, blank=True)
    fuzzy_key = models.CharField(_("模糊拼音"), max_length=400, blank=True)
    # Fragments (and the fragment list's text columns) compare by bytes (COLLATE "C"): the
    # order of the C.UTF-8 databases the project creates, without a strcoll() per
    # comparison, which made their index builds ~40 % slower (placenames.fragment_list).
    fragments = ArrayField(models.CharField(max_length=8, db_collation="C"), verbose_name=_("检索片段"), default=list,
                           blank=True)
    # Search order within one match kind (placenames.search): a county or township's name
    # first, then other names, village committees last, shorter first. Stored by
    # PostgreSQL and indexed after the initials and the pinyin, so that the 7,000 names
    # with the initials "zjc" nationally give their first page in index order.
    search_order = models.GeneratedField(expression=SEARCH_ORDER, output_field=models.IntegerField(), db_persist=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_order"])
    objects = PlaceNameQuerySet.as_manager()

    class Meta:
        verbose_name = _("地名")
        verbose_name_plural = _("地名")
        ordering = ["standard_name"]
        indexes = [
            # GIN, not GiST: with GiST the planner used it even for equality (DESIGN.md).
            GinIndex(fields=["standard_name"], opclasses=["gin_trgm_ops"], name="placename_name_trgm"),
            GinIndex(fields=["fragments"], name="placename_fragments_gin"),
            models.Index(fields=["standard_name"], name="placename_name_idx"),
            # One index per key, not Django's two for db_index (a B-tree and a _like one):
            # varchar_pattern_ops serves equality, IN and LIKE 'x%' alike, and nothing
            # sorts by these keys; the national names load builds 4 fewer (~4 s of 47).
            models.Index(fields=["pinyin"], opclasses=["varchar_pattern_ops"], name="placename_pinyin"),
            models.Index(fields=["initials"], opclasses=["varchar_pattern_ops"], name="placename_initials"),
            models.Index(fields=["fuzzy_key"], opclasses=["varchar_pattern_ops"], name="placename_fuzzy_key"),
            models.Index(fields=["code"], opclasses=["varchar_pattern_ops"], name="placename_code"),
            models.Index(fields=["category"], name="placename_category"),
            # The public search's page of one initials or pinyin in order (placenames.search).
            # No index on search_order alone: the planner would walk it for a common infix
            # (村民) and meet the village committees, which sort last, after 880,000 names.
            models.Index(fields=["initials", "search_order", "standard_name"], name="placename_initials_order",
                         condition=Q(status="standard")),
            models.Index(fields=["pinyin", "search_order", "standard_name"], name="placename_pinyin_order",
                         condition=Q(status="standard")),
            # A short prefix or infix among the prominent names first (search._prominent_first).
            models.Index(fields=["pinyin"], opclasses=["varchar_pattern_ops"], name="placename_prominent_pinyin",
                         condition=_PROMINENT_STANDARD),
            models.Index(fields=["initials"], opclasses=["varchar_pattern_ops"], name="placename_prominent_initials",
                         condition=_PROMINENT_STANDARD),
            models.Index(fields=["standard_name"], opclasses=["varchar_pattern_ops"], name="placename_prominent_name",
                         condition=_PROMINENT_STANDARD),
            GinIndex(fields=["fragments"], name="placename_prominent_fragments", condition=_PROMINENT_STANDARD),
            # The first keystroke: the names starting with one character in search order
            # (search: FIRST_CHARACTER). 5,000 generated names start with 狗 nationally,
            # read from the table one by one to be sorted: 17 ms, the p95 of one character.
            models.Index(FIRST_CHARACTER, F("search_order"), F("standard_name"), name="placename_first_char_order",
                         condition=Q(status="standard")),
        ]

    def __str__(self) -> str:
        return self.standard_name

    @property
    def is_standard(self) -> bool:
        return self.status == NameStatus.STANDARD

    @property
    def reading_unconfirmed(self) -> bool:
        """A flagged reading (地名多音字) no officer has confirmed yet."""
        return bool(self.reading_review) and not self.reading_confirmed

    @property
    def point(self):
        """A representative point (for lines and polygons: a point on the geometry)."""
        if self.geom is None:
            return None
        return self.geom if self.geom.geom_type == "Point" else self.geom.point_on_surface


class NameFragment(models.Model):
    """One two-character fragment of a standard name, with the name's search order: the
    inverted list that gives a common infix (村民: 189,000 names nationally) its first
    page from a B-tree in search order instead of sorting every match
    (placenames.fragment_list). PostgreSQL keeps it with the names (a trigger on
    ``PlaceName``, migration 0005); nothing in Python writes it."""

    pk = models.CompositePrimaryKey("fragment", "search_order", "standard_name", "name")
    fragment = models.CharField(max_length=2, db_collation="C")
    search_order = models.IntegerField()
    standard_name = models.CharField(max_length=100, db_collation="C")
    # No constraint and no index of its own: the trigger deletes by the whole key.
    name = models.ForeignKey(PlaceName, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
                             related_name="+")

    class Meta:
        verbose_name = _("地名检索片段")
        verbose_name_plural = _("地名检索片段")


class BuiltUpAreaQuerySet(JurisdictionQuerySet):
    jurisdiction_field = "county__code"

    def covering(self, geom):
        """Recorded built-up areas that a name's geometry lies in (meets)."""
        return self.filter(geom__intersects=geom)


class BuiltUpArea(models.Model):
    """A recorded built-up area (建成区): the scope of street and notable residential
    names (《地名管理条例》第九条第一款第（八）项). Without one the county is used."""

    name = models.CharField(_("名称"), max_length=100)
    county = models.ForeignKey(Division, verbose_name=_("所属县级行政区划"), on_delete=models.PROTECT, related_name="+")
    geom = models.MultiPolygonField(_("范围"), srid=CGCS2000)
    source_note = models.CharField(_("依据"), max_length=300, blank=True, help_text=_("如城市总体规划批复文号"))

    history = HistoricalRecords()
    objects = BuiltUpAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("建成区")
        verbose_name_plural = _("建成区")
        ordering = ["county__code", "name"]

    def __str__(self) -> str:
        return self.name


class FormerName(models.Model):
    """A former name (曾用名/历史地名) of a place, with the period it was in use."""

    place = models.ForeignKey(PlaceName, verbose_name=_("地名"), on_delete=models.PROTECT, related_name="former_names")
    name = models.CharField(_("曾用名"), max_length=100)
    romanization = models.CharField(_("罗马字母拼写"), max_length=200, blank=True)
    start = models.DateField(_("起用日期"), null=True, blank=True)
    end = models.DateField(_("停用日期"), null=True, blank=True)
    period_note = models.CharField(_("时期说明"), max_length=100, blank=True, help_text=_("如“明代至1958年”"))
    note = models.TextField(_("备注"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("曾用名")
        verbose_name_plural = _("曾用名")
        ordering = ["place", "-end", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.period}）"

    @property
    def period(self) -> str:
        if self.period_note:
            return self.period_note
        if self.start and self.end:
            return f"{self.start.isoformat()}—{self.end.isoformat()}"
        if self.end:
            return f"至 {self.end.isoformat()}"
        return f"{self.start.isoformat()} 起" if self.start else ""


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已受理，评估论证中")
    CONSULTATION = "consultation", _("征求意见中")
    APPROVED = "approved", _("已批准，待公告备案")
    COMPLETED = "completed", _("已公告并备案")
    REJECTED = "rejected", _("不予批准")
    WITHDRAWN = "withdrawn", _("已撤回")


# Workflow as data (STYLE.md). Articles are those of 《地名管理条例》(2022) and its
# implementing measures (民政部令第71号), cited by key into the stored text (geoapp.law).
TRANSITIONS: dict[str, set[str]] = {
    # Filing: the application states reasons, location, scale and nature (申请材料).
    ApplicationStatus.DRAFT: {ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN},
    # After the overall assessment and expert assessment (综合评估、专家论证) the approving
    # body asks the public (征求意见); it may refuse at any point before deciding.
    ApplicationStatus.SUBMITTED: {ApplicationStatus.CONSULTATION, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN},
    # Decision by the body of the right level once the consultation period has ended,
    # every report is in (risk assessment too for division names) and no check fails.
    ApplicationStatus.CONSULTATION: {ApplicationStatus.APPROVED, ApplicationStatus.REJECTED},
    # Announcement (公告) and filing (备案) within 15 days each; both done → completed.
    ApplicationStatus.APPROVED: {ApplicationStatus.COMPLETED},
    ApplicationStatus.COMPLETED: set(),
    ApplicationStatus.REJECTED: set(),
    ApplicationStatus.WITHDRAWN: set(),
}

EDITABLE_STATES = {ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED}
# Reports by kind of name (《地名管理条例》第十一条第二款).
DIVISION_REPORTS = ("risk_assessment", "expert_assessment", "consultation_report")
OTHER_REPORTS = ("overall_assessment", "expert_assessment", "consultation_report")
REPORT_CITATIONS = {
    "division": cite("dmgl:11:2", "提交风险评估报告、专家论证报告、征求社会公众等意见报告"),
    "other": cite("dmgl:11:2", "组织开展综合评估、专家论证、征求意见并提交相关报告"),
    "materials": cite("dmgl:11:1:2", "地理实体的位置、规模、性质等基本情况"),
    "announcement": cite("dmgl:14", "自按规定报送备案之日起15日内，由同级人民政府地名行政主管部门向社会公告"),
    "announcement_approval": cite("dmgl:14", "自批准之日起15日内，由同级人民政府地名行政主管部门向社会公告"),
    "filing": cite("dmgl:13", "由批准机关自批准之日起15日内按照下列规定报送备案"),
}
# Announcement and filing each within 15 days of approval (DOMAIN.md §4).
ANNOUNCEMENT_DAYS = 15
FILING_DAYS = 15


def default_consultation_days() -> int:
    """Public consultation length; set locally (DOMAIN.md §4, verify): default 30 days."""
    return int(getattr(settings, "PLACENAMES_CONSULTATION_DAYS", 30))


class NamingApplicationQuerySet(JurisdictionQuerySet):
    jurisdiction_field = "division__code"

    def open(self):
        return self.exclude(status__in=[ApplicationStatus.COMPLETED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN])


class NamingApplication(models.Model):
    """An application to name or rename (地名命名、更名申请), with its checks and reports."""

    applicant = models.CharField(_("申请人"), max_length=200, help_text=_("申请单位或个人，如“永清镇人民政府”"))
    place = models.ForeignKey(
        PlaceName, verbose_name=_("更名对象"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="applications", help_text=_("更名时为现有地名；命名新地理实体时留空"),
    )
    proposed_name = models.CharField(_("拟用名称"), max_length=100)
    kind = models.CharField(_("地名类型"), max_length=16, choices=NameKind.choices)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices, blank=True)
    division = models.ForeignKey(Division, verbose_name=_("所在行政区划"), on_delete=models.PROTECT, related_name="+")
    location_description = models.TextField(_("位置描述"), blank=True)
    # 第十一条第一款第（二）项: 地理实体的位置、规模、性质等基本情况.
    scale = models.CharField(_("规模"), max_length=300, blank=True, help_text=_("如长度、面积、户数、人口"))
    nature = models.CharField(_("性质"), max_length=300, blank=True, help_text=_("如城市次干道、农村居民点、住宅小区"))
    geo_significant = models.BooleanField(_("具有重要地理方位意义"), default=False)
    homophone_reason = models.TextField(
        _("接受同音的理由"), blank=True, help_text=_("自动审查提示同音（避免同音）而仍拟使用时须填写"),
    )
    geom = models.GeometryField(_("位置"), srid=CGCS2000, null=True, blank=True)
    reasons = models.TextField(_("申请理由"))
    meaning = models.TextField(_("含义"), blank=True)
    origin = models.TextField(_("来历"), blank=True)
    # Automatic naming-law checks, re-run by every action (placenames.checks).
    check_result = models.JSONField(_("自动审查结果"), default=dict, blank=True)
    checked_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    overall_assessment = models.TextField(_("综合评估报告"), blank=True)
    expert_assessment = models.TextField(_("专家论证报告"), blank=True)
    consultation_report = models.TextField(_("征求意见报告"), blank=True)
    risk_assessment = models.TextField(_("风险评估报告"), blank=True, help_text=_("行政区划名称必须提供"))
    consultation_start = models.DateField(_("征求意见开始"), null=True, blank=True)
    consultation_end = models.DateField(_("征求意见截止"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT)
    approving_body = models.CharField(_("批准机关"), max_length=200, blank=True)
    decision_date = models.DateField(_("决定日期"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记决定的工作人员"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    announcement_date = models.DateField(_("公告日期"), null=True, blank=True)
    announcement_no = models.CharField(_("公告文号"), max_length=100, blank=True)
    filing_date = models.DateField(_("备案日期"), null=True, blank=True)
    result_place = models.ForeignKey(
        PlaceName, verbose_name=_("批准后的地名"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords()
    objects = NamingApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("地名命名更名申请")
        verbose_name_plural = _("地名命名更名申请")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consultation_end__isnull=True) | Q(consultation_start__isnull=True)
                | Q(consultation_end__gte=models.F("consultation_start")),
                name="naming_consultation_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        action = _("更名") if self.place_id else _("命名")
        return f"{self.proposed_name}（{action}，{self.get_status_display()}）"

    @property
    def is_renaming(self) -> bool:
        return self.place_id is not None

    @property
    def is_division_name(self) -> bool:
        """Division names need a risk assessment too (风险评估)."""
        return self.kind in (NameKind.COUNTY, NameKind.TOWNSHIP)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATES

    @property
    def blocking_problems(self) -> list[dict]:
        return [p for p in self.check_result.get("problems", []) if p.get("severity") == "error"]

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]

    def can_be_decided_by(self, user) -> bool:
        """Those who may change applications (zoning staff, administrators) whose
        jurisdiction holds it."""
        return bool(user and user.is_authenticated) and (
            user.is_superuser
            or (user.has_perm("placenames.change_namingapplication") and user.can_act_on(self.division.code))
        )

    def missing_reports(self) -> list[str]:
        """Reports still missing before a decision, per kind (第十一条第二款): division
        names need the risk-assessment, expert and public-opinion reports, other names the
        overall-assessment, expert and consultation reports."""
        fields = DIVISION_REPORTS if self.is_division_name else OTHER_REPORTS
        return [str(self._meta.get_field(f).verbose_name) for f in fields if not getattr(self, f).strip()]

    @property
    def approved_by_other_department(self) -> bool:
        """Residential areas and buildings are approved by the housing department
        (第十二条第（六）项), not by a government or the 地名行政主管部门."""
        return self.kind == NameKind.RESIDENTIAL

    @property
    def announcement_due(self) -> dt.date | None:
        """15 days from approval; for names approved by another department, 15 days
        from filing (第十四条), so unknown until the filing is recorded."""
        if self.approved_by_other_department:
            return self.filing_date + dt.timedelta(days=ANNOUNCEMENT_DAYS) if self.filing_date else None
        return self.decision_date + dt.timedelta(days=ANNOUNCEMENT_DAYS) if self.decision_date else None

    @property
    def filing_due(self) -> dt.date | None:
        return self.decision_date + dt.timedelta(days=FILING_DAYS) if self.decision_date else None

    def announcing_body(self) -> str:
        """Who announces (第十四条): the 地名行政主管部门 (civil affairs) of the approving
        government's level — 民政部 for names the State Council approves, the province's
        民政厅 for township names, the county's 民政局 for the rest."""
        chain = {d.level: d for d in [*self.division.ancestors(), self.division]}
        if self.kind == NameKind.COUNTY:
            return "中华人民共和国民政部"
        if self.kind == NameKind.TOWNSHIP and "province" in chain:
            return f"{chain['province'].name}民政厅"
        county = chain.get("county") or self.division
        return f"{county.name}民政局"

    def deadline_state(self, which: str, *, today: dt.date | None = None) -> str | None:
        """'done', 'due' or 'overdue' for ``which`` in ('announcement', 'filing'); None before approval."""
        due = getattr(self, f"{which}_due")
        if due is None or self.status not in (ApplicationStatus.APPROVED, ApplicationStatus.COMPLETED):
            return None
        if getattr(self, f"{which}_date"):
            return "done"
        today = today or timezone.localdate()
        return "overdue" if today > due else "due"

    @property
    def announcement_state(self) -> str | None:
        return self.deadline_state("announcement")

    @property
    def filing_state(self) -> str | None:
        return self.deadline_state("filing")

