"""The gazetteer and the signs follow a division change; their part of ``check_register``.

``follow_division_change`` is registered with ``boundaries.register`` (placenames.apps)
and called inside the change's transaction (docs/adr/0012):

* the name of a unit that goes on (rename, re-code, the unit of a merge keeping its name
  or code, a re-coded village) is the same ``PlaceName``: a new name goes through
  ``rename_place`` (the old one becomes a former name 曾用名 with its period; the sign
  cascade marks printed signs), the code and division follow;
* a new unit gets a new standard name with romanization and class;
* the name of an abolished unit is retired (已废止) and becomes a former name of each
  successor, with its period and the change's document;
* other names inside a retired unit (streets, rivers) and open naming applications move
  to the unit that now holds them; signs are re-coded to the successor, and those of an
  abolished unit need replacement (planned ones are withdrawn);
* a reversal (更正) undoes exactly what the reversed change wrote: its former names are
  removed (history kept), retired names revived, signs it marked restored.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from boundaries.codes import Kind
from boundaries.models import Source
from boundaries.register import ChangeContext, Problem, register_check, register_follower
from geoapp.jurisdiction import code_prefix
from placenames.actions import create_place_name, rename_place
from placenames.demo import division_category
from placenames.models import FormerName, NameStatus, NamingApplication, PlaceName
from placenames.naming import clean_name, set_name
from placenames.signs.actions import mark_signs_for_replacement, move_sign, withdraw_planned_sign
from placenames.signs.models import Sign, SignStatus
from placenames.signs.plans import sign_text

_KIND_LABELS = dict(Kind.choices)


def _append(text: str, line: str) -> str:
    return f"{text}\n{line}" if text else line


def _own_name(division) -> PlaceName | None:
    """A division's own standard name: same code, pointing at that row."""
    return PlaceName.objects.filter(division=division, code=division.code, status=NameStatus.STANDARD).first()


def _retarget(place: PlaceName, division, context: ChangeContext) -> None:
    place.code, place.division = division.code, division
    place.category = division_category(division)
    place.subclass = str(_KIND_LABELS.get(division.kind, place.subclass))
    place.history_text = _append(place.history_text, f"{context.on:%Y-%m-%d} {context.why}：{division.name}（{division.code}）")
    place._change_reason = context.why
    place.save()


def _undo_former(place: PlaceName, name: str, context: ChangeContext) -> None:
    """Remove the former name the reversed change added (its deletion is in the history)."""
    marker = f"区划调整 #{context.reversed_change.pk}"
    for former in FormerName.objects.filter(place=place, name=name, note__contains=marker):
        former._change_reason = context.why
        former.delete()


def _restore_signs(place: PlaceName, context: ChangeContext) -> int:
    """Signs the reversed change marked for replacement are right again once the
    correction restores their printed name: back to standing (sign TRANSITIONS)."""
    marker = f"区划调整 #{context.reversed_change.pk}"
    cn, pinyin = sign_text(place)
    restored = 0
    for sign in Sign.objects.select_for_update().filter(place=place, status=SignStatus.NEEDS_REPLACEMENT,
                                                        note__contains=marker):
        if (sign.text_cn, sign.text_pinyin) != (cn, pinyin):
            continue
        move_sign(sign, SignStatus.INSPECTED)
        sign.note = _append(sign.note, f"{context.why}：牌面文字重新与标准名称一致")
        sign.save()
        restored += 1
    for sign in Sign.objects.filter(place=place, status=SignStatus.PLANNED).exclude(text_cn=cn):
        sign.text_cn, sign.text_pinyin = cn, pinyin
        sign.save()
    return restored


def _follow_names(context: ChangeContext) -> dict[int, PlaceName]:
    """The division names; returns the own name of every new division."""
    reversal = context.reversed_change is not None
    own = {}
    for rid, old in context.retired.items():
        place = PlaceName.objects.select_for_update().filter(division_id=rid, code=old.code,
                                                             status=NameStatus.STANDARD).first()
        if place is not None:
            own[rid] = place
    tops = {d.id for d in context.change.retired.all()} | set(context.change.params.get("ids", []))
    names_of_new: dict[int, PlaceName] = {}
    # 1. Units that go on keep their PlaceName (renamed through the rename cascade).
    for rid, new in context.continuing.items():
        place = own.pop(rid, None)
        if place is None:
            continue
        old_name = place.standard_name
        if old_name != new.name:
            if reversal:
                _undo_former(place, new.name, context)
                set_name(place, new.name, region=new.code)
            else:
                rename_place(place=place, new_name=new.name, effective=context.on, note=context.why,
                             sign_reason=f"{context.why}：更名为“{new.name}”")
        _retarget(place, new, context)
        if reversal:
            _restore_signs(place, context)
        names_of_new[new.id] = place
        if rid in tops:
            context.note("names", f"{old_name}（{context.retired[rid].code}）→ {new.name}（{new.code}）"
                         + ("，原名列为曾用名" if old_name != new.name and not reversal else ""))
        else:
            context.count("names_recoded")
    # 2. New units: a new standard name (or, for a correction, the retired one revived).
    for new in context.created:
        if new.id in names_of_new:
            continue
        revived = None
        if reversal:
            revived = (PlaceName.objects.filter(code=new.code, standard_name=new.name, status=NameStatus.RETIRED)
                       .order_by("-pk").first())
        if revived is not None:
            revived.status = NameStatus.STANDARD
            for holder in PlaceName.objects.filter(former_names__name=new.name,
                                                   former_names__note__contains=f"区划调整 #{context.reversed_change.pk}"):
                _undo_former(holder, new.name, context)
            _retarget(revived, new, context)
            _restore_signs(revived, context)
            names_of_new[new.id] = revived
            context.note("names", f"恢复标准名称：{new.name}（{new.code}）")
            continue
        predecessors = [own_place for rid, own_place in own.items() if new in context.successors.get(rid, [])]
        source = Source.SYNTHETIC if any(p.source == Source.SYNTHETIC for p in predecessors) else Source.OFFICIAL
        place = create_place_name(
            standard_name=new.name, category=division_category(new), division=new,
            geom=new.seat or (new.geom.point_on_surface if new.geom else None), code=new.code,
            status=NameStatus.STANDARD, source=source, source_note=f"{context.why}新设"[:300], named_on=context.on,
            subclass=str(_KIND_LABELS.get(new.kind, "")),
            history_text=f"{context.on:%Y-%m-%d} {context.why}设立",
        )
        names_of_new[new.id] = place
        context.note("names", f"新设标准名称：{new.name}（{new.code}），{place.romanization}")
    # 3. Abolished units: the name is retired and becomes a former name of each successor.
    for rid, place in own.items():
        old = context.retired[rid]
        successors = context.successors.get(rid, [])
        place.status = NameStatus.RETIRED
        place.history_text = _append(place.history_text, f"{context.on:%Y-%m-%d} 撤销（{context.why}），"
                                     f"区域划归{'、'.join(s.name for s in successors)}")
        place._change_reason = context.why
        place.save()
        for successor in successors:
            holder = names_of_new.get(successor.id) or _own_name(successor)
            if holder is None:
                continue
            FormerName.objects.create(
                place=holder, name=place.standard_name, romanization=place.romanization, start=place.named_on,
                end=context.on, note=f"{context.why}：{place.standard_name}（{old.code}）撤销，区域划归{successor.name}",
            )
            if rid in tops:
                context.note("names", f"{place.standard_name}（{old.code}）撤销，列为{holder.standard_name}的曾用名")
        reason = f"{context.why}：{place.standard_name}已撤销"
        for sign in Sign.objects.filter(place=place, status=SignStatus.PLANNED):
            withdraw_planned_sign(sign=sign, reason=reason)
            context.count("signs_withdrawn")
        context.count("signs_replace", mark_signs_for_replacement(place=place, reason=reason))
    # 4. Other names inside a retired unit move to the unit now holding them.
    for place in PlaceName.objects.select_for_update().filter(division_id__in=list(context.retired),
                                                              status=NameStatus.STANDARD):
        successor = context.successor_of(place.division_id, place.point)
        place.division = successor
        place._change_reason = context.why
        place.save(update_fields=["division", "updated_at"])
        context.count("names_moved")
    return names_of_new


def _follow_signs(context: ChangeContext) -> None:
    moved = {}
    # Removed signs too: they are the archive of that place, and the dashboard groups every
    # sign by its division's code, so none may stay under a dead code (no orphan rows).
    for sign in Sign.objects.select_for_update().filter(division_id__in=list(context.retired)).select_related("division"):
        successor = context.successor_of(sign.division_id, sign.position)
        sign.note = _append(sign.note, f"{context.why}：{sign.division.code} → {successor.code}")
        sign.division = successor
        sign._change_reason = context.why
        sign.save(update_fields=["division", "note", "updated_at"])
        moved[successor.code] = moved.get(successor.code, 0) + 1
    context.count("signs_moved", sum(moved.values()))
    replace = Sign.objects.filter(note__contains=context.marker, status=SignStatus.NEEDS_REPLACEMENT).count()
    if moved:
        context.note("signs", f"{sum(moved.values())} 块标志改挂到新代码（{len(moved)} 个区划）")
    if replace:
        context.note("signs", f"{replace} 块已设置的标志牌面文字已不是标准名称，需更换")
    if context.counts.get("signs_withdrawn"):
        context.note("signs", f"{context.counts['signs_withdrawn']} 块规划标志随区划撤销而撤销")


def _follow_applications(context: ChangeContext) -> None:
    for application in NamingApplication.objects.open().select_for_update().filter(division_id__in=list(context.retired)):
        point = application.geom.point_on_surface if application.geom else None
        successor = context.successor_of(application.division_id, point)
        application.division = successor
        application._change_reason = context.why
        application.save(update_fields=["division"])
        context.note("applications", f"地名申请“{application.proposed_name}”改由{successor.name}（{successor.code}）办理")
        context.count("applications_redirected")


def follow_division_change(context: ChangeContext) -> None:
    for division in context.moved_seats:
        place = _own_name(division)
        if place is not None and division.seat is not None:
            place.geom, place._change_reason = division.seat, context.why
            place.save(update_fields=["geom", "updated_at"])
            context.note("names", f"{place.standard_name}的位置改为新驻地")
    if not context.retired:
        return
    _follow_names(context)
    _follow_signs(context)
    _follow_applications(context)


# --- checks ---------------------------------------------------------------------------------

_CURRENT = "d.valid_from <= %(today)s AND (d.valid_to IS NULL OR d.valid_to > %(today)s)"

_DIVISION_NAMES = f"""
SELECT d.code, d.name, count(p.id), coalesce(array_agg(p.standard_name) FILTER (WHERE p.id IS NOT NULL), '{{}}')
FROM boundaries_division d
LEFT JOIN placenames_placename p ON p.division_id = d.id AND p.code = d.code AND p.status = 'standard'
WHERE {_CURRENT} AND d.code LIKE %(prefix)s
GROUP BY d.id, d.code, d.name
HAVING count(p.id) <> 1 OR bool_or(p.standard_name <> d.name)
ORDER BY d.code
"""
_NAMES_ELSEWHERE = f"""
SELECT p.id, p.standard_name, d.code, d.name, {_CURRENT} AS current,
       p.code <> '' AND p.code <> d.code AS wrong_code
FROM placenames_placename p JOIN boundaries_division d ON d.id = p.division_id
WHERE p.status = 'standard' AND d.code LIKE %(prefix)s
  AND (NOT ({_CURRENT}) OR (p.code <> '' AND p.code <> d.code))
"""
_SIGNS = f"""
SELECT s.id, s.text_cn, d.code, NOT ({_CURRENT}) AS dead_division, p.status <> 'standard' AS dead_name
FROM placenames_sign s JOIN boundaries_division d ON d.id = s.division_id
JOIN placenames_placename p ON p.id = s.place_id
WHERE s.status NOT IN ('removed') AND d.code LIKE %(prefix)s
  AND (NOT ({_CURRENT}) OR (p.status <> 'standard' AND s.status <> 'needs_replacement'))
"""


def _params(within: str) -> dict:
    return {"prefix": (code_prefix(within) if within else "") + "%", "today": timezone.localdate()}


def check_division_names(within: str) -> list[Problem]:
    """Every current division has exactly one current standard name with its name and code."""
    with connection.cursor() as cursor:
        cursor.execute(_DIVISION_NAMES, _params(within))
        rows = cursor.fetchall()
    problems = []
    for code, name, count, names in rows:
        if count == 0:
            problems.append(Problem("names", code, f"{name}没有现行标准地名"))
        elif count > 1:
            problems.append(Problem("names", code, f"{name}有 {count} 个现行标准地名：{'、'.join(names)}"))
        elif clean_name(name) != names[0]:
            # The gazetteer stores a name as set_name cleans it (NFKC: 中国矿业大学（北京）… is
            # stored with ASCII brackets); the same name so written is no disagreement (316
            # units of the 2023 list were reported as one).
            problems.append(Problem("names", code, f"区划名称“{name}”与标准地名“{names[0]}”不一致"))
    return problems


def check_names_refer(within: str) -> list[Problem]:
    """Every standard name refers to a current division, under that division's code."""
    with connection.cursor() as cursor:
        cursor.execute(_NAMES_ELSEWHERE, _params(within))
        rows = cursor.fetchall()
    return [
        Problem("names_refer", code, f"标准地名“{name}”（#{pk}）" + (
            f"所属的{dname}已不是现行区划" if not current else f"的地名代码与所属区划{dname}的代码不一致"))
        for pk, name, code, dname, current, _wrong in rows
    ]


def check_signs(within: str) -> list[Problem]:
    """Every sign not removed stands in a current division; a sign of a retired name waits for replacement."""
    with connection.cursor() as cursor:
        cursor.execute(_SIGNS, _params(within))
        rows = cursor.fetchall()
    return [
        Problem("signs", code, f"标志“{text}”（#{pk}）" + ("挂在已撤销的区划代码下" if dead_division else
                                                       "的地名已废止，但未标为待更换"))
        for pk, text, code, dead_division, _dead_name in rows
    ]


def check_applications(within: str) -> list[Problem]:
    """Every open naming application names a current division."""
    today = timezone.localdate()
    rows = NamingApplication.objects.open().filter(division__code__startswith=code_prefix(within) if within else "")
    return [
        Problem("applications", a.division.code, f"办理中的地名申请“{a.proposed_name}”（#{a.pk}）所在区划{a.division.name}已撤销")
        for a in rows.select_related("division")
        if not (a.division.valid_from <= today and (a.division.valid_to is None or a.division.valid_to > today))
    ]


def register_placename_followers_and_checks() -> None:
    register_follower("placenames", follow_division_change)
    register_check("names", "每个现行区划有且只有一个同名同代码的标准地名", check_division_names)
    register_check("names_refer", "标准地名都属于现行区划", check_names_refer)
    register_check("signs", "地名标志都挂在现行区划下", check_signs)
    register_check("applications", "办理中的地名申请都属于现行区划", check_applications)

