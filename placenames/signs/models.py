"""Place-name signs (地名标志, GB 17733-2008): the signs, their installation and inspection
records, and the photos taken in the field.

A ``Sign`` is planned by ``placenames.signs.plans`` (a village sign for every village and
community, a seat sign at every township seat; DOMAIN.md §6), then installed and
inspected by field teams from a phone (``placenames.signs.api``). Its states and the
edges between them are the ``TRANSITIONS`` table below; ``placenames.signs.actions`` is
the only code that moves a sign. ``SignInstallation`` and ``SignInspection`` carry a
``client_id`` generated on the phone, unique, so a retried upload of a record made
offline is stored once. Positions are CGCS2000 (EPSG:4490) points.

Imported at the end of ``placenames.models`` so Django registers them with the app.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from boundaries.models import Division, Source
from geoapp.gis import CGCS2000, GeodesicDistance, GeodesicDWithin, as_cgcs2000
from geoapp.jurisdiction import JurisdictionQuerySet


class SignType(models.TextChoices):
    """Sign types of GB 17733-2008 as used in county work plans (DOMAIN.md §6)."""

    VILLAGE = "village", _("村牌")
    # 乡镇驻地标志: the rural programme (乡镇驻地和新建村落地名标志设置) names township
    # seats separately from villages, so they get a type of their own.
    SEAT = "seat", _("乡镇驻地牌")
    STREET = "street", _("街牌")
    LANE = "lane", _("巷牌")
    ROAD = "road", _("路牌")
    BUILDING = "building", _("楼牌")
    DOOR = "door", _("门牌")
    DIRECTION = "direction", _("指示牌")
    NATURAL = "natural", _("自然地理实体标志")
    BOUNDARY = "boundary", _("界位标志")


# Default size, material and style per type. Same-type signs in one area share one style
# (DOMAIN.md §6); 1000 × 600 mm, blue background, white text is observed local practice
# for community and village signs, not a national constant: change it here.
SIGN_SPECS: dict[str, dict[str, str]] = {
    SignType.VILLAGE: {"size": "1000×600 mm", "material": "铝合金板、反光膜", "style": "蓝底白字"},
    SignType.SEAT: {"size": "1500×800 mm", "material": "铝合金板、反光膜", "style": "蓝底白字"},
    SignType.STREET: {"size": "1000×300 mm", "material": "铝合金板、反光膜", "style": "蓝底白字"},
    SignType.LANE: {"size": "800×250 mm", "material": "铝合金板、反光膜", "style": "蓝底白字"},
    SignType.ROAD: {"size": "1200×400 mm", "material": "铝合金板、反光膜", "style": "蓝底白字"},
}


class SignStatus(models.TextChoices):
    PLANNED = "planned", _("已规划")
    INSTALLED = "installed", _("已设置")
    INSPECTED = "inspected", _("已巡检")
    DAMAGED = "damaged", _("损坏")
    MISSING = "missing", _("丢失")
    NEEDS_REPLACEMENT = "needs_replacement", _("待更换")
    REMOVED = "removed", _("已撤除")


# Workflow as data (STYLE.md); ``placenames.signs.actions.move_sign`` enforces it. Signs
# are records with archives (地名标志档案, DOMAIN.md §6): nothing is deleted, a sign that
# is taken down is "removed".
TRANSITIONS: dict[str, set[str]] = {
    # A planned sign is installed by a field team (installation record with GPS fix and
    # photo); a plan may be withdrawn before installation.
    SignStatus.PLANNED: {SignStatus.INSTALLED, SignStatus.REMOVED},
    # An inspection finds it intact, damaged, missing or with wrong text (wrong text means a
    # new sign); a renaming makes its text wrong (the rename cascade).
    SignStatus.INSTALLED: {
        SignStatus.INSPECTED, SignStatus.DAMAGED, SignStatus.MISSING, SignStatus.NEEDS_REPLACEMENT, SignStatus.REMOVED,
    },
    # Re-inspection keeps an intact sign "inspected" (inspection records are the archive).
    SignStatus.INSPECTED: {
        SignStatus.INSPECTED, SignStatus.DAMAGED, SignStatus.MISSING, SignStatus.NEEDS_REPLACEMENT, SignStatus.REMOVED,
    },
    # A damaged sign is repaired in place (a new installation record) or found intact after
    # repair by an inspection; damaged beyond repair → replacement.
    SignStatus.DAMAGED: {
        SignStatus.INSTALLED, SignStatus.INSPECTED, SignStatus.DAMAGED, SignStatus.MISSING,
        SignStatus.NEEDS_REPLACEMENT, SignStatus.REMOVED,
    },
    # A missing sign is re-erected at its registered position (installation record), or
    # turns up again (inspection intact), or is replaced by a new one.
    SignStatus.MISSING: {
        SignStatus.INSTALLED, SignStatus.INSPECTED, SignStatus.MISSING, SignStatus.NEEDS_REPLACEMENT,
        SignStatus.REMOVED,
    },
    # The next plan adds a new sign that ``replaces`` this one; installing the new sign
    # removes this one. Inspections in the meantime keep it waiting for replacement.
    # A correction (更正) of the division change that made its text wrong restores the
    # printed name as the standard one: the sign stands again, as checked against the
    # register (placenames.register). Not "installed": no installation may be recorded.
    SignStatus.NEEDS_REPLACEMENT: {SignStatus.NEEDS_REPLACEMENT, SignStatus.REMOVED, SignStatus.INSPECTED},
    SignStatus.REMOVED: set(),
}

# States in which a sign stands (or stood) in the field and can be inspected.
INSPECTABLE = {
    SignStatus.INSTALLED, SignStatus.INSPECTED, SignStatus.DAMAGED, SignStatus.MISSING, SignStatus.NEEDS_REPLACEMENT,
}
# States that count as "has a sign" for plans and coverage: a sign that needs replacement
# does not (the plan replaces it), a removed one does not.
ACTIVE = {SignStatus.PLANNED, SignStatus.INSTALLED, SignStatus.INSPECTED, SignStatus.DAMAGED, SignStatus.MISSING}
# States of a sign that is up (for coverage: "villages with an installed village sign").
STANDING = {SignStatus.INSTALLED, SignStatus.INSPECTED, SignStatus.DAMAGED}


class Condition(models.TextChoices):
    """What an inspection finds (cf. the marker conditions of DOMAIN.md §3)."""

    INTACT = "intact", _("完好")
    DAMAGED = "damaged", _("损坏")
    MISSING = "missing", _("丢失")
    WRONG_TEXT = "wrong_text", _("文字错误")


def inspection_interval_days() -> int:
    """Signs not inspected for this long are due (CIVATLAS_SIGN_INSPECTION_DAYS, default 365)."""
    return int(settings.CIVATLAS_SIGN_INSPECTION_DAYS)


class SignQuerySet(JurisdictionQuerySet):
    jurisdiction_field = "division__code"

    def of_type(self, *types: str):
        return self.filter(sign_type__in=types)

    def in_status(self, *statuses: str):
        return self.filter(status__in=statuses)

    def active(self):
        """Signs that count as present or coming (not removed, not awaiting replacement)."""
        return self.filter(status__in=ACTIVE)

    def near(self, point, radius_m: float):
        """Signs whose position (installed, else planned) lies within ``radius_m`` metres
        of ``point`` on the ellipsoid."""
        return self.alias(position=Coalesce("installed_geom", "planned_geom")).filter(
            GeodesicDWithin("position", _point_value(point), radius_m)
        )

    def by_distance(self, point):
        """Annotate ``distance_m`` (ellipsoidal, from the installed else planned position) and
        order by it."""
        return self.annotate(
            distance_m=GeodesicDistance(Coalesce("installed_geom", "planned_geom"), _point_value(point))
        ).order_by("distance_m", "pk")

    def due_for_inspection(self, *, on: dt.date | None = None, days: int | None = None):
        """Signs standing in the field whose last inspection (or installation, if never
        inspected) is older than ``days`` (default ``CIVATLAS_SIGN_INSPECTION_DAYS``)."""
        on = on or timezone.localdate()
        days = inspection_interval_days() if days is None else days
        cutoff = timezone.make_aware(dt.datetime.combine(on - dt.timedelta(days=days), dt.time.min))
        return self.filter(status__in=STANDING).filter(
            Q(last_inspected_at__lt=cutoff) | Q(last_inspected_at__isnull=True, installed_at__lt=cutoff)
        )


def _point_value(point):
    return models.Value(as_cgcs2000(point), output_field=models.PointField(srid=CGCS2000))


class Sign(models.Model):
    """A place-name sign (地名标志): what it says, where it is planned and where it stands."""

    sign_type = models.CharField(_("标志类型"), max_length=16, choices=SignType.choices, db_index=True)
    place = models.ForeignKey(
        "placenames.PlaceName", verbose_name=_("标准地名"), on_delete=models.PROTECT, related_name="signs"
    )
    # The division the sign stands in (the village, or the township for a seat sign):
    # jurisdiction scoping and progress per township go through its code.
    division = models.ForeignKey(Division, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    text_cn = models.CharField(_("汉字"), max_length=100)
    text_pinyin = models.CharField(_("汉语拼音"), max_length=200, help_text=_("罗马字母拼写，标志上不标声调"))
    text_minority = models.CharField(
        _("少数民族文字"), max_length=200, blank=True, help_text=_("民族自治地方在汉字上方加注")
    )
    planned_geom = models.PointField(_("规划位置"), srid=CGCS2000)
    installed_geom = models.PointField(_("设置位置"), srid=CGCS2000, null=True, blank=True)
    size = models.CharField(_("规格"), max_length=50, blank=True)
    material = models.CharField(_("材质"), max_length=50, blank=True)
    style = models.CharField(_("样式"), max_length=50, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=SignStatus.choices, default=SignStatus.PLANNED, db_index=True
    )
    replaces = models.ForeignKey(
        "self", verbose_name=_("替换的标志"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    installed_at = models.DateTimeField(_("设置时间"), null=True, blank=True)
    last_inspected_at = models.DateTimeField(_("最近巡检时间"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    source = models.CharField(_("数据来源"), max_length=16, choices=Source.choices, default=Source.OFFICIAL)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("规划人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("规划时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()
    objects = SignQuerySet.as_manager()

    class Meta:
        verbose_name = _("地名标志")
        verbose_name_plural = _("地名标志")
        ordering = ["division__code", "sign_type", "pk"]
        indexes = [models.Index(fields=["place", "sign_type"], name="sign_place_type_idx")]

    def __str__(self) -> str:
        return f"{self.text_cn}（{self.get_sign_type_display()}，{self.get_status_display()}）"

    @property
    def position(self):
        """Where the sign is: installed position, else the planned one."""
        return self.installed_geom or self.planned_geom

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]

    @property
    def is_inspectable(self) -> bool:
        return self.status in INSPECTABLE


class FieldRecord(models.Model):
    """What installation and inspection records share: who, when, the device's GPS fix,
    the text as printed, notes, warnings, and the phone's id for idempotent retries."""

    client_id = models.UUIDField(_("客户端编号"), unique=True, help_text=_("手机生成的编号；重复上传只保存一次"))
    team = models.CharField(_("作业组"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    device_geom = models.PointField(_("设备定位"), srid=CGCS2000)
    accuracy_m = models.FloatField(_("定位精度（米）"))
    text_cn = models.CharField(_("牌面汉字"), max_length=100, blank=True)
    text_pinyin = models.CharField(_("牌面拼音"), max_length=200, blank=True)
    notes = models.TextField(_("说明"), blank=True)
    # Checks that flag without rejecting (e.g. photo position far from the fix).
    warnings = models.JSONField(_("提示"), default=list, blank=True)
    source = models.CharField(_("数据来源"), max_length=16, choices=Source.choices, default=Source.OFFICIAL)
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)

    class Meta:
        abstract = True


class SignInstallation(FieldRecord):
    """An installation record (设置记录): the sign put up, where, by whom, with photos."""

    sign = models.ForeignKey(Sign, verbose_name=_("地名标志"), on_delete=models.PROTECT, related_name="installations")
    installed_at = models.DateTimeField(_("设置时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("标志设置记录")
        verbose_name_plural = _("标志设置记录")
        ordering = ["-installed_at", "-pk"]

    kind = "installation"

    def __str__(self) -> str:
        return f"{self.sign.text_cn} {self.installed_at:%Y-%m-%d}"

    @property
    def when(self):
        return self.installed_at


class SignInspection(FieldRecord):
    """An inspection record (巡检记录): the sign's condition found on a visit."""

    sign = models.ForeignKey(Sign, verbose_name=_("地名标志"), on_delete=models.PROTECT, related_name="inspections")
    inspected_at = models.DateTimeField(_("巡检时间"))
    condition = models.CharField(_("状况"), max_length=16, choices=Condition.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("标志巡检记录")
        verbose_name_plural = _("标志巡检记录")
        ordering = ["-inspected_at", "-pk"]

    kind = "inspection"

    def __str__(self) -> str:
        return f"{self.sign.text_cn} {self.inspected_at:%Y-%m-%d} {self.get_condition_display()}"

    @property
    def when(self):
        return self.inspected_at


def _photo_path(instance: SignPhoto, filename: str) -> str:
    today = timezone.localdate()
    return f"signs/{today:%Y/%m}/{filename}"


class SignPhoto(models.Model):
    """A photo of an installation or inspection, with its thumbnail and EXIF position."""

    installation = models.ForeignKey(
        SignInstallation, null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    inspection = models.ForeignKey(SignInspection, null=True, blank=True, on_delete=models.PROTECT, related_name="photos")
    image = models.FileField(_("照片"), upload_to=_photo_path, max_length=200)
    thumbnail = models.FileField(_("缩略图"), upload_to=_photo_path, max_length=200)
    content_type = models.CharField(_("类型"), max_length=40)
    size_bytes = models.PositiveIntegerField(_("大小（字节）"))
    width = models.PositiveIntegerField(_("宽"))
    height = models.PositiveIntegerField(_("高"))
    sha256 = models.CharField(max_length=64)
    exif_lon = models.FloatField(_("照片经度（EXIF）"), null=True, blank=True)
    exif_lat = models.FloatField(_("照片纬度（EXIF）"), null=True, blank=True)
    exif_taken_at = models.DateTimeField(_("拍摄时间（EXIF）"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("标志照片")
        verbose_name_plural = _("标志照片")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(installation__isnull=False, inspection__isnull=True)
                | Q(installation__isnull=True, inspection__isnull=False),
                name="signphoto_one_record",
            ),
        ]

    def __str__(self) -> str:
        return self.image.name

    @property
    def record(self):
        return self.installation or self.inspection

    @property
    def sign(self) -> Sign:
        return self.record.sign
