"""Actions on place-name signs: the only code that changes a sign's state.

Keyword-only, atomic functions (STYLE.md). ``record_installation`` and
``record_inspection`` are idempotent on the phone's ``client_id``: a record already
stored under that id is returned as it is (``created`` False), before any check runs,
so a retry after a lost answer never stores twice and never fails on the state the
first upload already changed. ``mark_signs_for_replacement`` is the rename cascade
called by ``placenames.actions.rename_place``.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from boundaries.models import Source
from placenames.signs.checks import Submission, Thresholds, check_submission
from placenames.signs.models import (
    Condition,
    Sign,
    SignInspection,
    SignInstallation,
    SignPhoto,
    SignStatus,
)
from placenames.signs.photos import PhotoInfo
from placenames.signs.plans import sign_text


class SignError(ValueError):
    """An action refused; ``errors`` holds one Chinese message per problem."""

    def __init__(self, errors: list[str] | str):
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("；".join(self.errors))


# What an inspection's finding does to the sign (TRANSITIONS holds every edge). A sign
# awaiting replacement keeps waiting whatever is found: only its replacement ends that.
CONDITION_STATUS = {
    Condition.INTACT: SignStatus.INSPECTED,
    Condition.DAMAGED: SignStatus.DAMAGED,
    Condition.MISSING: SignStatus.MISSING,
    Condition.WRONG_TEXT: SignStatus.NEEDS_REPLACEMENT,
}


def move_sign(sign: Sign, status: str) -> None:
    """Set ``status`` along an edge of ``TRANSITIONS`` (not saved); refuse any other."""
    if not sign.can_move_to(status):
        raise SignError(f"标志状态为“{sign.get_status_display()}”，不能转为“{SignStatus(status).label}”")
    sign.status = status


def stored_record(kind: str, *, client_id: uuid.UUID, sign: Sign):
    """The record already stored under ``client_id`` (``kind`` "installation" or
    "inspection"), or None: the API asks before reading any photo, so a retry is cheap."""
    return _existing(SignInstallation if kind == "installation" else SignInspection, client_id, sign)


def _existing(model, client_id: uuid.UUID, sign: Sign):
    record = model.objects.filter(client_id=client_id).first()
    if record is not None and record.sign_id != sign.pk:
        raise SignError("该客户端编号（client_id）已用于另一块标志的记录，请重新生成")
    return record


def _store_photos(record, photos: list[PhotoInfo], *, field: str) -> list[str]:
    """Save each photo and its thumbnail under MEDIA_ROOT; returns the stored names."""
    stored = []
    for number, photo in enumerate(photos, start=1):
        stem = f"{record.client_id.hex}-{number}"
        item = SignPhoto(
            **{field: record}, content_type=photo.content_type, size_bytes=len(photo.data), width=photo.width,
            height=photo.height, sha256=photo.sha256, exif_lon=photo.exif_lon, exif_lat=photo.exif_lat,
            exif_taken_at=photo.exif_taken_at,
        )
        item.image.save(f"{stem}.{photo.extension}", ContentFile(photo.data), save=False)
        stored.append(item.image.name)
        item.thumbnail.save(f"{stem}-thumb.jpg", ContentFile(photo.thumbnail), save=False)
        stored.append(item.thumbnail.name)
        item.save()
    return stored


def _record(model, *, sign: Sign, sub: Submission, client_id: uuid.UUID, recorded_by, team: str, notes: str,
            source: str, thresholds: Thresholds | None, apply) -> tuple:
    if (record := _existing(model, client_id, sign)) is not None:
        return record, False
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = Sign.objects.select_for_update(of=("self",)).select_related("place", "division__parent").get(pk=sign.pk)
            # A concurrent upload of the same record waited for the lock above: it is stored now.
            if (record := _existing(model, client_id, sign)) is not None:
                return record, False
            result = check_submission(locked, sub, thresholds=thresholds)
            if not result.ok:
                raise SignError(result.errors)
            fields = {"installed_at": sub.when} if model is SignInstallation else {
                "inspected_at": sub.when, "condition": sub.condition,
            }
            record = model.objects.create(
                sign=locked, client_id=client_id, team=team or _team_of(recorded_by), recorded_by=recorded_by,
                device_geom=sub.point, accuracy_m=sub.accuracy_m, text_cn=sub.text_cn.strip(),
                text_pinyin=sub.text_pinyin.strip(), notes=notes, warnings=result.warnings, source=source, **fields,
            )
            stored = _store_photos(record, sub.photos, field="installation" if model is SignInstallation else "inspection")
            apply(locked, record)
            locked.save()
    except IntegrityError:
        _delete_files(stored)
        # The same client_id arrived twice at once: the other request stored it first.
        if (record := _existing(model, client_id, sign)) is not None:
            return record, False
        raise
    except SignError:
        _delete_files(stored)
        raise
    sign.refresh_from_db()
    return record, True


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _team_of(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def record_installation(*, sign: Sign, client_id: uuid.UUID, lon: float, lat: float, accuracy_m: float,
                        installed_at: dt.datetime, text_cn: str, text_pinyin: str, photos: list[PhotoInfo],
                        recorded_by=None, team: str = "", notes: str = "", source: str = Source.OFFICIAL,
                        thresholds: Thresholds | None = None) -> tuple[SignInstallation, bool]:
    """Record that ``sign`` was put up; returns (record, created).

    The sign becomes "installed" at the device's position; a sign it replaces is removed
    (the new one stands in its place). Raises ``SignError`` with every failed check.
    """
    sub = Submission(kind="installation", lon=lon, lat=lat, accuracy_m=accuracy_m, when=installed_at,
                     text_cn=text_cn, text_pinyin=text_pinyin, photos=photos)

    def apply(locked: Sign, record: SignInstallation) -> None:
        move_sign(locked, SignStatus.INSTALLED)
        locked.installed_geom = record.device_geom
        locked.installed_at = record.installed_at
        if locked.replaces_id:
            old = Sign.objects.select_for_update().get(pk=locked.replaces_id)
            if old.status != SignStatus.REMOVED:
                move_sign(old, SignStatus.REMOVED)
                old.note = _append(old.note, f"已由新标志（编号 {locked.pk}）替换，{record.installed_at:%Y-%m-%d}")
                old.save()

    return _record(SignInstallation, sign=sign, sub=sub, client_id=client_id, recorded_by=recorded_by, team=team,
                   notes=notes, source=source, thresholds=thresholds, apply=apply)


def record_inspection(*, sign: Sign, client_id: uuid.UUID, lon: float, lat: float, accuracy_m: float,
                      inspected_at: dt.datetime, condition: str, photos: list[PhotoInfo], text_cn: str = "",
                      text_pinyin: str = "", recorded_by=None, team: str = "", notes: str = "",
                      source: str = Source.OFFICIAL, thresholds: Thresholds | None = None) -> tuple[SignInspection, bool]:
    """Record an inspection of ``sign`` and move it by what was found; returns (record, created)."""
    sub = Submission(kind="inspection", lon=lon, lat=lat, accuracy_m=accuracy_m, when=inspected_at,
                     text_cn=text_cn, text_pinyin=text_pinyin, photos=photos, condition=condition)

    def apply(locked: Sign, record: SignInspection) -> None:
        target = CONDITION_STATUS[Condition(condition)]
        if locked.status == SignStatus.NEEDS_REPLACEMENT:
            target = SignStatus.NEEDS_REPLACEMENT
        move_sign(locked, target)
        if locked.last_inspected_at is None or record.inspected_at > locked.last_inspected_at:
            locked.last_inspected_at = record.inspected_at

    return _record(SignInspection, sign=sign, sub=sub, client_id=client_id, recorded_by=recorded_by, team=team,
                   notes=notes, source=source, thresholds=thresholds, apply=apply)


def _append(note: str, line: str) -> str:
    return f"{note}\n{line}" if note else line


@transaction.atomic
def mark_signs_for_replacement(*, place, reason: str) -> int:
    """The rename cascade: the place's signs in the field now show a former name, so they
    need replacement (and the next plan replaces them); signs only planned are not made
    yet, so their text simply becomes the new standard name. Returns how many changed."""
    changed = 0
    for sign in Sign.objects.select_for_update().filter(place=place).exclude(status=SignStatus.REMOVED):
        cn, pinyin = sign_text(place, sign.sign_type)
        if sign.status == SignStatus.PLANNED:
            if (sign.text_cn, sign.text_pinyin) == (cn, pinyin):
                continue
            sign.text_cn, sign.text_pinyin = cn, pinyin
            sign.note = _append(sign.note, f"{reason}；规划文字已改为“{cn} {pinyin}”")
        elif sign.status != SignStatus.NEEDS_REPLACEMENT:
            move_sign(sign, SignStatus.NEEDS_REPLACEMENT)
            sign.note = _append(sign.note, f"{reason}；牌面文字已不是标准名称，需更换")
        else:
            continue
        sign.save()
        changed += 1
    return changed


def update_sign_texts(*, place, reason: str) -> int:
    """A confirmed reading reaches the signs: planned ones take the new pinyin, installed
    ones printed with another pinyin need replacement; signs already right are left."""
    cn, pinyin = sign_text(place)
    changed = 0
    for sign in Sign.objects.select_for_update().filter(place=place).exclude(status=SignStatus.REMOVED):
        if sign.text_pinyin == pinyin:
            continue
        if sign.status == SignStatus.PLANNED:
            sign.text_cn, sign.text_pinyin = cn, pinyin
            sign.note = _append(sign.note, f"{reason}；规划文字已改为“{cn} {pinyin}”")
        elif sign.status != SignStatus.NEEDS_REPLACEMENT:
            move_sign(sign, SignStatus.NEEDS_REPLACEMENT)
            sign.note = _append(sign.note, f"{reason}；牌面拼音与核定读音不符，需更换")
        else:
            continue
        sign.save()
        changed += 1
    return changed


@transaction.atomic
def withdraw_planned_sign(*, sign: Sign, reason: str) -> Sign:
    """A planned sign that will not be made (e.g. planned twice by mistake) is removed."""
    sign = Sign.objects.select_for_update().get(pk=sign.pk)
    if sign.status != SignStatus.PLANNED:
        raise SignError("只能撤销尚未设置的规划标志")
    move_sign(sign, SignStatus.REMOVED)
    sign.note = _append(sign.note, f"撤销规划：{reason}")
    sign.save()
    return sign
