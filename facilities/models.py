"""Facility (民政设施): one registry, one map layer for every kind of care facility.

Nursing homes, township child-protection stations, resettlement communities and the
rest share one table (``Facility``: kind, name, division, location, status…) so the map
has one layer and one query; what differs by kind lives in one-to-one detail tables
(``ElderlyCareDetails``, ``StationDetails``, ``CommunityDetails``). Locations are
CGCS2000 (EPSG:4490). Policy norms on these facts are in ``facilities.norms``;
distance coverage in ``facilities.coverage``; saved site suggestions are
``SiteScenario`` rows (``facilities.scenarios``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from boundaries.models import Division, Source
from geoapp.gis import CGCS2000, GeodesicDistance, as_cgcs2000
from geoapp.jurisdiction import JurisdictionQuerySet


class Kind(models.TextChoices):
    """Facility kinds; the slugs are used in URLs and exports."""

    CARE_HOME = "care_home", _("敬老院/特困供养服务机构")
    NURSING_HOME = "nursing_home", _("养老院")
    ELDERLY_SERVICE_CENTER = "elderly_service_center", _("乡镇综合养老服务中心")
    HAPPINESS_HOME = "happiness_home", _("农村幸福院")
    CHILD_PROTECTION_STATION = "child_protection_station", _("未成年人保护工作站")
    RESETTLEMENT_COMMUNITY = "resettlement_community", _("易地扶贫搬迁集中安置社区")
    SOCIAL_WORK_STATION = "social_work_station", _("社工站")


# Which detail table describes which kind.
ELDERLY_CARE_KINDS = frozenset({Kind.CARE_HOME, Kind.NURSING_HOME, Kind.ELDERLY_SERVICE_CENTER, Kind.HAPPINESS_HOME})
STATION_KINDS = frozenset({Kind.CHILD_PROTECTION_STATION, Kind.SOCIAL_WORK_STATION})
COMMUNITY_KINDS = frozenset({Kind.RESETTLEMENT_COMMUNITY})


# Kind → the one-to-one relation holding its details (facility.elderly_care etc.).
DETAIL_RELATION = {
    **{kind: "elderly_care" for kind in ELDERLY_CARE_KINDS},
    **{kind: "station" for kind in STATION_KINDS},
    **{kind: "community" for kind in COMMUNITY_KINDS},
}


class Status(models.TextChoices):
    PLANNED = "planned", _("规划中")
    UNDER_CONSTRUCTION = "under_construction", _("在建")
    OPERATING = "operating", _("运营中")
    SUSPENDED = "suspended", _("暂停运营")
    CLOSED = "closed", _("已关闭")


class FacilityQuerySet(JurisdictionQuerySet):
    jurisdiction_field = "division__code"

    def operating(self):
        return self.filter(status=Status.OPERATING)

    def of_kind(self, *kinds: str):
        return self.filter(kind__in=kinds)

    def nearest(self, point, *, kind: str | None = None, n: int = 5):
        """The ``n`` facilities closest to ``point`` on the ellipsoid, with ``distance_m``.

        Exact geodesic ordering over the (small, per-kind) candidate set: ordering by
        ``<->`` on lon/lat degrees picks the wrong facility for ~6% of villages
        (DESIGN.md, measured). For many
        points at once use ``facilities.coverage`` (KD-tree), not this in a loop.
        """
        rows = self if kind is None else self.of_kind(kind)
        point = models.Value(as_cgcs2000(point), output_field=models.PointField(srid=CGCS2000))
        return rows.annotate(distance_m=GeodesicDistance("location", point)).order_by("distance_m", "pk")[:n]


class Facility(models.Model):
    """A civil-affairs facility (民政设施) of one ``Kind``, located in one division."""

    kind = models.CharField(_("类型"), max_length=32, choices=Kind.choices, db_index=True)
    name = models.CharField(_("名称"), max_length=100)
    division = models.ForeignKey(
        Division, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="facilities"
    )
    location = models.PointField(_("位置"), srid=CGCS2000)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    operator = models.CharField(_("运营主体"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.OPERATING, db_index=True)
    opened_on = models.DateField(_("开业日期"), null=True, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    source = models.CharField(_("数据来源"), max_length=16, choices=Source.choices, default=Source.OFFICIAL)
    # Stable key of the row in its source (demo generator, import file), for idempotent loads.
    source_ref = models.CharField(_("来源编号"), max_length=64, blank=True)

    history = HistoricalRecords()
    objects = FacilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("民政设施")
        verbose_name_plural = _("民政设施")
        ordering = ["division__code", "kind", "name"]
        # Gap analysis, site suggestions, scenarios and reports: planning work, not registry upkeep.
        permissions = [("analyse_facility", "可进行缺口分析和设施选址")]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_ref"], condition=~Q(source_ref=""), name="facility_source_ref_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    def clean(self):
        """The position must lie inside the stated division (form validation)."""
        super().clean()
        if self.location is None or not self.division_id:
            return
        if not self.lies_in_division():
            raise ValidationError({"location": _("位置不在所选区划范围内")})

    def lies_in_division(self) -> bool:
        """True when ``location`` is covered by the division's polygon (or it has none)."""
        division = Division.objects.filter(pk=self.division_id)
        return (division.filter(geom__isnull=True) | division.containing(self.location)).exists()

    @property
    def details(self):
        """The detail row of this facility's kind (``None`` when not recorded yet)."""
        name = DETAIL_RELATION.get(self.kind)
        return getattr(self, name, None) if name else None


class ElderlyCareDetails(models.Model):
    """Beds, residents by self-care level (自理/半失能/失能) and care staff of a home."""

    facility = models.OneToOneField(Facility, on_delete=models.CASCADE, related_name="elderly_care")
    beds = models.PositiveIntegerField(_("床位数"), default=0)
    nursing_beds = models.PositiveIntegerField(_("护理型床位数"), default=0)
    residents_self_care = models.PositiveIntegerField(_("自理老人"), default=0)
    residents_semi = models.PositiveIntegerField(_("半失能老人"), default=0)
    residents_disabled = models.PositiveIntegerField(_("失能老人"), default=0)
    care_staff = models.PositiveIntegerField(_("护理人员"), default=0)
    staff_total = models.PositiveIntegerField(
        _("工作人员总数"), default=0, help_text=_("全部工作人员（含护理、管理、后勤），特困供养服务机构人员配比按此计")
    )
    county_level = models.BooleanField(_("县级机构"), default=False)
    disabled_focus = models.BooleanField(_("以失能、半失能特困人员为主"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("养老机构信息")
        verbose_name_plural = _("养老机构信息")
        constraints = [
            models.CheckConstraint(condition=Q(nursing_beds__lte=F("beds")), name="elderly_nursing_beds_le_beds"),
            models.CheckConstraint(
                condition=Q(residents_self_care__lte=F("beds") - F("residents_semi") - F("residents_disabled")),
                name="elderly_residents_le_beds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility.name}：{self.beds} 床"

    @property
    def residents(self) -> int:
        return self.residents_self_care + self.residents_semi + self.residents_disabled


class DesignationQuerySet(JurisdictionQuerySet):
    jurisdiction_field = "township__code"

    def current(self):
        return self.filter(ended_on__isnull=True)


class ChildProtectionDesignation(models.Model):
    """Staff a 乡镇人民政府 or 街道办事处 designates for child protection (指定专门人员), which
    meets 未成年人保护法第八十一条第二款 where no work station is set up."""

    township = models.ForeignKey("boundaries.Division", verbose_name=_("乡镇（街道）"), on_delete=models.PROTECT,
                                 related_name="+")
    staff_name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=100, blank=True)
    document_no = models.CharField(_("指定文件文号"), max_length=100, blank=True)
    designated_on = models.DateField(_("指定日期"))
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)

    history = HistoricalRecords()
    objects = DesignationQuerySet.as_manager()

    class Meta:
        verbose_name = _("未成年人保护指定专门人员")
        verbose_name_plural = _("未成年人保护指定专门人员")
        ordering = ["township__code", "designated_on"]

    def __str__(self) -> str:
        return f"{self.township.name} {self.staff_name}"


class StationDetails(models.Model):
    """Child-protection (未成年人保护工作站) or social-work station: space and people."""

    facility = models.OneToOneField(Facility, on_delete=models.CASCADE, related_name="station")
    floor_area_m2 = models.FloatField(_("面积（平方米）"), null=True, blank=True)
    staff = models.PositiveIntegerField(_("工作人员"), default=0)
    children_directors = models.PositiveIntegerField(_("所服务村（社区）儿童主任"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("工作站信息")
        verbose_name_plural = _("工作站信息")

    def __str__(self) -> str:
        return f"{self.facility.name}：{self.staff} 人"


class CommunityDetails(models.Model):
    """Relocation resettlement community (易地扶贫搬迁集中安置社区)."""

    facility = models.OneToOneField(Facility, on_delete=models.CASCADE, related_name="community")
    households = models.PositiveIntegerField(_("户数"), default=0)
    population = models.PositiveIntegerField(_("人口"), default=0)
    relocation_year = models.PositiveSmallIntegerField(_("搬迁年份"), null=True, blank=True)
    urban_site = models.BooleanField(_("城镇安置"), default=False)
    services = models.JSONField(_("配套服务"), default=list, blank=True, help_text="如 [“幼儿园”, “日间照料中心”]")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("安置社区信息")
        verbose_name_plural = _("安置社区信息")

    def __str__(self) -> str:
        return f"{self.facility.name}：{self.population} 人"


class SiteScenarioQuerySet(JurisdictionQuerySet):
    jurisdiction_field = "division__code"


class SiteScenario(models.Model):
    """A named site-suggestion scenario (选址方案) for one kind of facility in one division.

    A snapshot, not a live view: ``sites`` holds the chosen candidate sites in the order
    they were picked, each with the villages it newly covers (code, name, lon/lat), and
    the coverage counts are those of the day it was computed, so two scenarios can be
    compared later even after the registry changed. Computed by
    ``facilities.scenarios.plan_sites``, saved by ``facilities.actions.create_site_scenario``.
    """

    name = models.CharField(_("方案名称"), max_length=100)
    division = models.ForeignKey(
        Division, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="site_scenarios"
    )
    kind = models.CharField(_("设施类型"), max_length=32, choices=Kind.choices)
    radius_km = models.FloatField(_("服务半径（千米）"))
    count = models.PositiveSmallIntegerField(_("新增站点数"))
    sites = models.JSONField(_("建议站点"), default=list)
    villages = models.PositiveIntegerField(_("村（社区）数"), default=0)
    covered_before = models.PositiveIntegerField(_("新增前覆盖村数"), default=0)
    covered_after = models.PositiveIntegerField(_("新增后覆盖村数"), default=0)
    # How the sites were chosen (facilities.sites.SiteChoice): scenarios saved before the
    # exact model (docs/adr/0010) were greedy, hence the default.
    method = models.CharField(_("选址方法"), max_length=16, default="greedy")
    optimal = models.BooleanField(_("已证明最优"), default=False)
    note = models.CharField(_("计算说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = SiteScenarioQuerySet.as_manager()

    class Meta:
        verbose_name = _("选址方案")
        verbose_name_plural = _("选址方案")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def covered_new(self) -> int:
        return self.covered_after - self.covered_before
