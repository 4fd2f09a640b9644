"""Checks on a field record before it is stored: one clear Chinese message per problem.

A field team on a hillside with a phone gets what it did wrong in words it can act on
(DOMAIN.md §1: "refuses obvious mistakes"). Errors refuse the record; warnings are
stored with it and shown, never refused (a photo whose EXIF position is far from the
fix may come from a phone whose camera had no fresh GPS fix). Every threshold is a
setting (``CIVATLAS_SIGN_*``, defaults in ``geoapp.settings`` and the README).
Distances are measured on the ellipsoid (``geoapp.gis.GEOD``), never in degrees.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils import timezone

from geoapp.gis import CGCS2000, GEOD
from placenames.signs.models import STANDING, Condition, Sign, SignStatus
from placenames.signs.photos import PhotoInfo
from placenames.signs.plans import sign_text

# A phone clock may run a little ahead of the server's; beyond this a time is refused.
CLOCK_SKEW = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Thresholds:
    max_accuracy_m: float
    max_offset_m: float
    photo_offset_m: float
    duplicate_m: float

    @classmethod
    def from_settings(cls) -> Thresholds:
        return cls(
            max_accuracy_m=settings.CIVATLAS_SIGN_MAX_ACCURACY_M,
            max_offset_m=settings.CIVATLAS_SIGN_MAX_OFFSET_M,
            photo_offset_m=settings.CIVATLAS_SIGN_PHOTO_OFFSET_M,
            duplicate_m=settings.CIVATLAS_SIGN_DUPLICATE_M,
        )


@dataclass
class Submission:
    """What the phone sent, parsed (``placenames.signs.api``)."""

    kind: str  # "installation" | "inspection"
    lon: float
    lat: float
    accuracy_m: float
    when: dt.datetime
    text_cn: str = ""
    text_pinyin: str = ""
    photos: list[PhotoInfo] = field(default_factory=list)
    condition: str | None = None  # inspections

    @property
    def point(self) -> Point:
        return Point(self.lon, self.lat, srid=CGCS2000)


@dataclass
class CheckResult:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def distance_m(a: Point, b: Point) -> float:
    """Ellipsoidal distance in metres between two lon/lat points."""
    _az1, _az2, metres = GEOD.inv(a.x, a.y, b.x, b.y)
    return metres


def _m(metres: float) -> str:
    return f"{metres:,.0f} 米" if metres < 10_000 else f"{metres / 1000:,.1f} 千米"


def normalise_text(text: str) -> str:
    """For comparing printed text: NFKC, no whitespace, case-folded, one apostrophe."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2032", "'")
    return "".join(text.split()).casefold()


# --- the checks, each returning its messages -----------------------------------------------


def check_status(sign: Sign, sub: Submission) -> list[str]:
    """Installations go to signs that are planned (or damaged/missing: re-erected);
    inspections to signs that stand (or stood) in the field."""
    if sub.kind == "installation" and not sign.can_move_to(SignStatus.INSTALLED):
        if sign.status in STANDING:
            when = f"（{timezone.localtime(sign.installed_at):%Y-%m-%d}）" if sign.installed_at else ""
            return [f"该标志已设置{when}，不能重复登记设置；如需记录现状请登记巡检"]
        return [f"该标志状态为“{sign.get_status_display()}”，不能登记设置"]
    if sub.kind == "inspection" and not sign.is_inspectable:
        return [f"该标志状态为“{sign.get_status_display()}”，尚未设置，不能登记巡检"]
    return []


def check_time(sub: Submission, *, now: dt.datetime | None = None) -> list[str]:
    now = now or timezone.now()
    if sub.when > now + CLOCK_SKEW:
        return [f"记录时间 {timezone.localtime(sub.when):%Y-%m-%d %H:%M} 晚于当前时间，请检查手机时间设置"]
    return []


def check_accuracy(sub: Submission, t: Thresholds) -> list[str]:
    if sub.accuracy_m > t.max_accuracy_m:
        return [
            f"GPS 定位精度为 {sub.accuracy_m:.0f} 米，超过允许的 {t.max_accuracy_m:.0f} 米；"
            "请到开阔处等待定位稳定后再记录"
        ]
    return []


def reference_point(sign: Sign, sub: Submission) -> tuple[Point, str]:
    """Where the team should stand: the planned point for an installation, the installed
    position (else the planned one) for an inspection."""
    if sub.kind == "inspection" and sign.installed_geom is not None:
        return sign.installed_geom, "设置位置"
    return sign.planned_geom, "规划位置"


def check_offset(sign: Sign, sub: Submission, t: Thresholds) -> list[str]:
    target, label = reference_point(sign, sub)
    metres = distance_m(sub.point, target)
    if metres > t.max_offset_m:
        return [f"定位点距{label} {_m(metres)}，超过允许的 {_m(t.max_offset_m)}；请确认是否在“{sign.text_cn}”的标志处"]
    return []


def township_of(sign: Sign):
    """The division with a polygon that must contain the sign: the sign's township (a
    village has only a seat point, DOMAIN.md / boundaries.models)."""
    if sign.division.geom is not None:
        return sign.division
    above = list(sign.division.ancestors().filter(geom__isnull=False).defer("geom"))
    return above[-1] if above else None


def check_inside(sign: Sign, sub: Submission) -> list[str]:
    township = township_of(sign)
    if township is None or township.geom.covers(sub.point):
        return []
    if township.pk != sign.division_id:
        return [f"定位点不在“{sign.division.name}”所属的{township.name}范围内"]
    return [f"定位点不在{township.name}范围内"]


def check_photos(sub: Submission) -> list[str]:
    if not sub.photos:
        return ["缺少照片：请拍摄标志现场照片（设置、巡检均须留存影像）"]
    return []


def photo_warnings(sub: Submission, t: Thresholds) -> list[str]:
    """Flag (never refuse) photos whose EXIF position is far from the device's fix."""
    found = []
    for number, photo in enumerate(sub.photos, start=1):
        if not photo.has_position:
            continue
        metres = distance_m(sub.point, Point(photo.exif_lon, photo.exif_lat, srid=CGCS2000))
        if metres > t.photo_offset_m:
            found.append(f"第 {number} 张照片的拍摄位置（EXIF）距设备定位 {_m(metres)}，超过 {_m(t.photo_offset_m)}，请核实")
    return found


def check_text(sign: Sign, sub: Submission) -> list[str]:
    """The printed text must be the standard name and its romanization (GB 17733: standard
    characters and Hanyu Pinyin; signs carry no tone marks, DOMAIN.md §5 rule 9)."""
    # What this sign should show now: the gazetteer's standard name in the form of the
    # sign's type (a village sign shows 东关村, not 东关村民委员会: docs/adr/0021).
    expected_cn, expected_pinyin = sign_text(sign.place, sign.sign_type)
    expected_pinyin = expected_pinyin or sign.text_pinyin
    if sub.kind == "inspection":
        # An inspection reports what it finds: a wrong text is a condition, not an error;
        # the text fields only need to agree with "intact" or "damaged" when given.
        if sub.condition in (Condition.WRONG_TEXT, Condition.MISSING):
            return []
        if not sub.text_cn and not sub.text_pinyin:
            return []
    problems = []
    if not sub.text_cn.strip():
        problems.append("请填写牌面实际印制的汉字")
    elif normalise_text(sub.text_cn) != normalise_text(expected_cn):
        problems.append(f"牌面汉字“{sub.text_cn.strip()}”与标准名称“{expected_cn}”不一致")
    if not sub.text_pinyin.strip():
        problems.append("请填写牌面实际印制的拼音")
    elif normalise_text(sub.text_pinyin) != normalise_text(expected_pinyin):
        problems.append(f"牌面拼音“{sub.text_pinyin.strip()}”与标准罗马字母拼写“{expected_pinyin}”不一致")
    if problems and sub.kind == "inspection":
        problems.append("如牌面文字确有错误，请将状况选为“文字错误”")
    return problems


def check_duplicate(sign: Sign, sub: Submission, t: Thresholds) -> list[str]:
    """GB 17733 practice: one sign of a type per place and spot; a second one within
    ``duplicate_m`` is a mistake (or the old sign should be recorded as replaced)."""
    if sub.kind != "installation":
        return []
    others = (
        Sign.objects.filter(place=sign.place_id, sign_type=sign.sign_type, status__in=STANDING)
        .exclude(pk=sign.pk)
        .near(sub.point, t.duplicate_m)
    )
    if sign.replaces_id:
        others = others.exclude(pk=sign.replaces_id)
    return [
        f"“{sign.place.standard_name}”已有一块{other.get_sign_type_display()}（编号 {other.pk}，"
        f"{other.get_status_display()}）在 {_m(distance_m(sub.point, other.position))}内，同一地名同类标志不应重复设置"
        for other in others.order_by("pk")
    ]


def check_submission(sign: Sign, sub: Submission, *, thresholds: Thresholds | None = None) -> CheckResult:
    """Every check on one record; the API answers 400 with ``errors`` when there are any."""
    t = thresholds or Thresholds.from_settings()
    result = CheckResult()
    result.errors += check_status(sign, sub)
    result.errors += check_time(sub)
    result.errors += check_accuracy(sub, t)
    result.errors += check_offset(sign, sub, t)
    result.errors += check_inside(sign, sub)
    result.errors += check_photos(sub)
    result.errors += check_text(sign, sub)
    result.errors += check_duplicate(sign, sub, t)
    result.warnings += photo_warnings(sub, t)
    return result
