"""Sign plans (地名标志设置规划): which signs a township still needs.

Rural priorities (DOMAIN.md §6): a village sign (村牌) for every administrative and
natural village and community, and a sign at every township seat. ``plan_signs`` lists,
for one township, every such place that has no sign of the right type yet, plus a new
sign for each one that needs replacement (after a renaming, wrong text, damage beyond
repair) and has no replacement planned. It is reviewable: ``dry_run=True`` (the
default) only returns the list; the command ``plan_signs --commit`` and the plan page's
"save" store it. Planning twice plans nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from boundaries.codes import Kind, Level
from boundaries.models import Division, Source
from placenames.models import NameStatus, PlaceName
from placenames.romanization import romanize
from placenames.signs.models import SIGN_SPECS, Sign, SignStatus, SignType

# Kinds whose divisions are autonomous areas: their signs carry the designated minority
# script above the Chinese (DOMAIN.md §6).
AUTONOMOUS_KINDS = {
    Kind.AUTONOMOUS_REGION, Kind.AUTONOMOUS_PREFECTURE, Kind.AUTONOMOUS_COUNTY, Kind.AUTONOMOUS_BANNER,
    Kind.ETHNIC_TOWNSHIP,
}


class PlanError(ValueError):
    """A plan refused: the message says why, in Chinese."""


@dataclass
class PlannedSign:
    sign_type: str
    place: PlaceName
    division: Division
    position: object  # GEOS Point
    text_cn: str
    text_pinyin: str
    text_minority: str = ""
    replaces: Sign | None = None
    warnings: list[str] = field(default_factory=list)
    reading_unconfirmed: bool = False  # pinyin from a flagged reading nobody confirmed

    @property
    def type_label(self) -> str:
        return str(SignType(self.sign_type).label)

    @property
    def reason(self) -> str:
        if self.replaces is not None:
            return f"替换待更换标志（编号 {self.replaces.pk}）"
        return "新设"


@dataclass
class SignPlan:
    township: Division
    items: list[PlannedSign] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    already: int = 0  # places that have their sign (planned or standing)
    saved: list[Sign] = field(default_factory=list)
    dry_run: bool = True

    def summary(self) -> str:
        verb = "试算" if self.dry_run else "已保存"
        text = f"{self.township.name}：{verb}新规划 {len(self.items)} 块标志，已有标志 {self.already} 处"
        if self.skipped:
            text += f"，跳过 {len(self.skipped)} 处"
        return text


def requires_minority_script(division: Division) -> bool:
    """True inside an autonomous area (the division or one above it)."""
    return any(d.kind in AUTONOMOUS_KINDS for d in [*division.ancestors(), division])


def place_for(division: Division) -> PlaceName | None:
    """The standard place name of a division: by its code, else by its name inside it."""
    names = PlaceName.objects.filter(status=NameStatus.STANDARD)
    return names.filter(code=division.code).first() or names.filter(division=division, standard_name=division.name).first()


def sign_text(place: PlaceName, sign_type: str | None = None) -> tuple[str, str]:
    """(Chinese, pinyin as printed): the standard name and the romanizer's sign text; on a
    village sign (村牌) the village's form of it (``village_sign_form``, docs/adr/0021)."""
    pinyin = place.sign_text
    if not pinyin:
        try:
            pinyin = romanize(place.standard_name, category=place.category or None,
                              region=place.division.code if place.division_id else None).sign_text
        except ValueError:
            pinyin = ""
    if sign_type == SignType.VILLAGE:
        return village_sign_form(place.standard_name, pinyin)
    return place.standard_name, pinyin


# A committee's standard name → what its village sign shows (docs/adr/0021): the 专名 with
# the settlement's own 通名 (村 / 社区), as 村牌 are printed (GB 17733 地名标志: the
# standard name of the *place* in standard characters and Hanyu Pinyin, without tone
# marks; the place is the village, not its committee). Longest suffix first. The toneless
# committee spellings are those of placenames/generic_terms.py.
VILLAGE_SIGN_FORMS = (
    ("社区居民委员会", "Shequ Jumin Weiyuanhui", "社区", "Shequ"),
    ("社区居委会", "Shequ Juweihui", "社区", "Shequ"),
    ("村民委员会", "Cunmin Weiyuanhui", "村", "Cun"),
    ("居民委员会", "Jumin Weiyuanhui", "社区", "Shequ"),
    ("村委会", "Cunweihui", "村", "Cun"),
    ("居委会", "Juweihui", "社区", "Shequ"),
)


def village_sign_form(name: str, pinyin: str) -> tuple[str, str]:
    """东关村民委员会 / Dongguan Cunmin Weiyuanhui → 东关村 / Dongguan Cun; 张家村村委会 →
    张家村 / Zhangjiacun; a name without a committee generic is printed as it is."""
    for suffix, committee_roman, generic, generic_roman in VILLAGE_SIGN_FORMS:
        if not name.endswith(suffix) or len(name) == len(suffix):
            continue
        specific = name[: -len(suffix)]
        if not pinyin.lower().endswith(committee_roman.lower()):
            return name, pinyin  # an unusual spelling: keep the standard name rather than guess
        specific_roman = pinyin[: -len(committee_roman)].strip()
        if specific.endswith(generic):  # the specific already is the village's name
            return specific, specific_roman
        return specific + generic, f"{specific_roman} {generic_roman}"
    return name, pinyin


def _targets(township: Division) -> list[tuple[str, Division]]:
    """(sign type, division) for the township seat and every current village in it."""
    targets = [(SignType.SEAT, township)]
    villages = Division.objects.current().at_level(Level.VILLAGE).filter(parent=township).order_by("code")
    targets += [(SignType.VILLAGE, v) for v in villages]
    return targets


def _item(sign_type: str, division: Division, place: PlaceName, position, *, minority: bool,
          replaces: Sign | None = None) -> PlannedSign:
    cn, pinyin = sign_text(place, sign_type)
    item = PlannedSign(sign_type=sign_type, place=place, division=division, position=position, text_cn=cn,
                       text_pinyin=pinyin, replaces=replaces)
    if not pinyin:
        item.warnings.append("罗马字母拼写为空，请先在地名库中补正")
    if place.reading_unconfirmed:
        # Rule 8: a flagged reading is not printed as if it were settled.
        chars = "、".join(dict.fromkeys(r.get("char", "") for r in place.reading_review))
        item.reading_unconfirmed = True
        item.warnings.append(f"读音待核定（{chars}）：拼音未经区划地名工作人员核定，制作前须核定")
    if minority:
        item.text_minority = place.minority_name
        if not place.minority_name:
            item.warnings.append("民族自治地方应加注少数民族文字，地名库中缺少")
    return item


def can_plan(user, township: Division) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("placenames.add_sign") and user.can_act_on(township.code))


def plan_signs(*, township: Division, created_by=None, dry_run: bool = True,
               source: str = Source.OFFICIAL) -> SignPlan:
    """The signs ``township`` still needs; stored only when ``dry_run`` is False.

    ``created_by`` (a user allowed to plan signs in the township) is recorded as the
    planner; ``None`` is for the command and the demo loader (``source`` synthetic).
    """
    if township.level != Level.TOWNSHIP:
        raise PlanError(f"“{township.name}”不是乡级区划，请选择乡、镇或街道")
    if created_by is not None and not can_plan(created_by, township):
        raise PlanError(f"您无权为{township.name}规划地名标志")
    with transaction.atomic():
        if not dry_run:
            # One planner per township at a time: two concurrent saves would plan twice.
            Division.objects.select_for_update().filter(pk=township.pk).exists()
        plan = _build(township)
        plan.dry_run = dry_run
        if not dry_run:
            plan.saved = [_save(item, created_by, source) for item in plan.items]
    return plan


def _build(township: Division) -> SignPlan:
    plan = SignPlan(township=township)
    # Villages are never autonomous units themselves: the township's answer holds for all.
    minority = requires_minority_script(township)
    for sign_type, division in _targets(township):
        place = place_for(division)
        if place is None:
            plan.skipped.append((division.name, "地名库中没有该区划的标准名称"))
            continue
        signs = Sign.objects.filter(place=place, sign_type=sign_type)
        if signs.active().exists():
            plan.already += 1
            continue
        waiting = signs.filter(status=SignStatus.NEEDS_REPLACEMENT).exclude(
            replaced_by__status__in=[s for s in SignStatus.values if s != SignStatus.REMOVED]
        )
        if waiting:
            plan.items += [
                _item(sign_type, division, place, old.position, minority=minority, replaces=old)
                for old in waiting.order_by("pk")
            ]
            continue
        position = division.seat or place.point
        if position is None:
            plan.skipped.append((division.name, "没有驻地坐标，无法确定规划位置"))
            continue
        plan.items.append(_item(sign_type, division, place, position, minority=minority))
    return plan


def _save(item: PlannedSign, created_by, source: str) -> Sign:
    spec = SIGN_SPECS.get(item.sign_type, {})
    return Sign.objects.create(
        sign_type=item.sign_type, place=item.place, division=item.division, text_cn=item.text_cn,
        text_pinyin=item.text_pinyin, text_minority=item.text_minority, planned_geom=item.position,
        size=spec.get("size", ""), material=spec.get("material", ""), style=spec.get("style", ""),
        replaces=item.replaces, planned_by=created_by, source=source,
        note="；".join(item.warnings),
    )
