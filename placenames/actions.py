"""Actions on place names and naming applications: the only code that changes them.

Keyword-only, atomic functions (STYLE.md). Each workflow action re-runs the
naming-law checks (``placenames.checks``) and stores the result on the application,
then moves it along an edge of ``models.TRANSITIONS``; ``_move`` refuses any other
edge. Approval refuses an application with blocking check errors, missing reports or
an open consultation, and applies the name: a renaming keeps the old name as a
``FormerName`` with its period, and the place's signs need replacement
(``placenames.signs.actions.mark_signs_for_replacement``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from boundaries.models import Source
from placenames import naming_rules
from placenames.checks import check_name
from placenames.models import (
    DIVISION_REPORTS,
    KIND_CATEGORY,
    OTHER_REPORTS,
    ApplicationStatus,
    FormerName,
    NameKind,
    NameStatus,
    NamingApplication,
    PlaceName,
    default_consultation_days,
)
from placenames.naming import clean_name, set_name
from placenames.romanization import strip_tones
from placenames.signs.actions import mark_signs_for_replacement, update_sign_texts


class WorkflowError(ValueError):
    """An action refused: the message says why, in Chinese, for the officer."""


# --- place names ---------------------------------------------------------------------------


@transaction.atomic
def create_place_name(*, standard_name: str, category: str, division, geom=None, **fields) -> PlaceName:
    """A new place name with its romanization and search keys."""
    place = PlaceName(category=category, division=division, geom=geom, **fields)
    set_name(place, standard_name, region=division.code if division else None)
    place.save()
    return place


@transaction.atomic
def rename_place(*, place: PlaceName, new_name: str, effective: dt.date, note: str = "",
                 sign_reason: str = "") -> FormerName | None:
    """Give ``place`` a new standard name; the old one becomes a former name ending
    on ``effective`` (its period starts when the place was named, if known)."""
    new_name = clean_name(new_name)
    if new_name == place.standard_name:
        return None
    former = FormerName.objects.create(
        place=place, name=place.standard_name, romanization=place.romanization,
        start=place.named_on, end=effective, note=note,
    )
    set_name(place, new_name, region=place.division.code if place.division else None)
    place.named_on = effective
    place.save()
    # Rename cascade: signs in the field now show a former name (DOMAIN.md §6).
    mark_signs_for_replacement(place=place, reason=sign_reason or f"{effective:%Y-%m-%d} 更名为“{place.standard_name}”")
    return former


# --- readings ---------------------------------------------------------------------------------

_WRITTEN = re.compile(r"^[A-Za-zÀ-ɏ̀-ͯ0-9' \-]+$")


def can_confirm_reading(user, place: PlaceName) -> bool:
    """Those who may change names (zoning staff, administrators) whose jurisdiction holds it."""
    if not (user and user.is_authenticated):
        return False
    return user.is_superuser or (user.has_perm("placenames.change_placename") and place.division is not None
                                 and user.can_act_on(place.division.code))


@transaction.atomic
def confirm_reading(*, place: PlaceName, romanization: str, reason: str, confirmed_by) -> PlaceName:
    """Zoning staff confirm or correct the reading of ``place`` (地名读音核定), with the
    reason (e.g. the local pronunciation survey or the province's 审音 document).

    The confirmed romanization wins over the engine everywhere from now on (gazetteer,
    signs, announcements, audit) until the name itself changes; history records who and
    why. Planned signs take the new text; installed signs printed otherwise need
    replacement (DOMAIN.md §6).
    """
    if not can_confirm_reading(confirmed_by, place):
        raise WorkflowError("您无权核定该地名的读音（须为辖区内的区划地名工作人员）")
    romanization = " ".join(unicodedata.normalize("NFC", romanization or "").split())
    if not romanization or not _WRITTEN.match(romanization):
        raise WorkflowError("请填写罗马字母拼写（汉语拼音，可标声调），如 Lù'ān Shì")
    if not reason.strip():
        raise WorkflowError("核定读音须说明依据")
    place = PlaceName.objects.select_for_update().get(pk=place.pk)
    place.romanization, place.sign_text = romanization, strip_tones(romanization)
    place.reading_confirmed, place.reading_reason = True, reason.strip()
    place.reading_confirmed_by, place.reading_confirmed_at = confirmed_by, timezone.now()
    place._change_reason = f"读音核定：{romanization}（{reason.strip()}）"
    place.save()
    update_sign_texts(place=place, reason=f"读音核定为 {place.sign_text}")
    return place


# --- naming applications -------------------------------------------------------------------


def _move(application: NamingApplication, status: str) -> None:
    if not application.can_move_to(status):
        raise WorkflowError(
            f"申请处于“{application.get_status_display()}”状态，不能转为“{ApplicationStatus(status).label}”"
        )
    application.status = status


def run_checks(*, application: NamingApplication) -> dict:
    """Re-run the naming-law checks and store them on the application (not saved)."""
    result = check_name(
        name=application.proposed_name, kind=application.kind, division_code=application.division.code,
        renaming_place=application.place, geom=application.geom, significant=application.geo_significant,
    )
    application.check_result = result.to_dict()
    application.checked_at = timezone.now()
    return application.check_result


@transaction.atomic
def file_application(*, created_by, applicant: str, proposed_name: str, kind: str, division, reasons: str,
                     place: PlaceName | None = None, **fields) -> NamingApplication:
    """Register a draft application (命名或更名) and run the checks once."""
    application = NamingApplication(
        created_by=created_by, applicant=applicant, proposed_name=clean_name(proposed_name), kind=kind,
        division=division, reasons=reasons, place=place, **fields,
    )
    if not application.category:
        application.category = place.category if place else KIND_CATEGORY[NameKind(kind)]
    run_checks(application=application)
    application.save()
    return application


@transaction.atomic
def update_application(*, application: NamingApplication, **fields) -> NamingApplication:
    """Change a draft or submitted application (e.g. a new proposed name) and re-check."""
    if not application.is_editable:
        raise WorkflowError("申请已进入征求意见或已决定，不能再修改")
    for field, value in fields.items():
        setattr(application, field, clean_name(value) if field == "proposed_name" else value)
    if not application.category:
        application.category = application.place.category if application.place else KIND_CATEGORY[NameKind(application.kind)]
    run_checks(application=application)
    application.save()
    return application


# The reports of 《地名管理条例》第十一条第二款, and the reason a name may sound like a
# neighbour's (the homophone check): what the "reports" step of the workflow records.
REPORT_FIELDS = frozenset({*DIVISION_REPORTS, *OTHER_REPORTS, "homophone_reason"})


@transaction.atomic
def record_reports(*, application: NamingApplication, **reports: str) -> NamingApplication:
    """Store the application's reports and re-run the naming-law checks."""
    if unknown := set(reports) - REPORT_FIELDS:
        raise TypeError(f"not report fields: {', '.join(sorted(unknown))}")
    for field, value in reports.items():
        setattr(application, field, value)
    run_checks(application=application)
    application.save()
    return application


@transaction.atomic
def submit_application(*, application: NamingApplication) -> NamingApplication:
    """Draft → submitted: the application states reasons and location (申请材料)."""
    missing = []
    if not application.reasons.strip():
        missing.append("申请理由")
    if not (application.location_description.strip() or application.geom or application.place_id):
        missing.append("位置描述")
    # 第十一条第一款第（二）项: 位置、规模、性质等基本情况.
    missing += [label for field, label in (("scale", "规模"), ("nature", "性质")) if not getattr(application, field).strip()]
    if missing:
        raise WorkflowError(f"申请材料不全：缺少{'、'.join(missing)}")
    run_checks(application=application)
    _move(application, ApplicationStatus.SUBMITTED)
    application.save()
    return application


@transaction.atomic
def start_consultation(*, application: NamingApplication, start: dt.date | None = None,
                       days: int | None = None) -> NamingApplication:
    """Submitted → consultation, after the assessments (第十一条第二款: 综合评估、专家论证
    for most names, 风险评估、专家论证 for division names); the period defaults to
    ``PLACENAMES_CONSULTATION_DAYS`` (30)."""
    before = ("risk_assessment", "expert_assessment") if application.is_division_name else (
        "overall_assessment", "expert_assessment")
    missing = [
        str(application._meta.get_field(f).verbose_name) for f in before if not getattr(application, f).strip()
    ]
    if missing:
        raise WorkflowError(f"征求意见前须完成{'、'.join(missing)}")
    start = start or timezone.localdate()
    days = default_consultation_days() if days is None else days
    if days < 1:
        raise WorkflowError("征求意见期限至少 1 天")
    if problems := naming_rules.consultation_start_problems(start, today=timezone.localdate()):
        raise WorkflowError("；".join(problems))
    application.consultation_start = start
    application.consultation_end = start + dt.timedelta(days=days)
    run_checks(application=application)
    _move(application, ApplicationStatus.CONSULTATION)
    application.save()
    return application


def approval_obstacles(application: NamingApplication, *, on: dt.date) -> list[str]:
    """Why the application cannot be approved on ``on`` (empty when it can)."""
    obstacles = []
    if application.status != ApplicationStatus.CONSULTATION:
        obstacles.append("只有征求意见阶段的申请可以批准")
    if application.consultation_end and on < application.consultation_end:
        obstacles.append(f"征求意见期至 {application.consultation_end:%Y-%m-%d} 才结束")
    if missing := application.missing_reports():
        obstacles.append(f"缺少{'、'.join(missing)}")
    if errors := application.blocking_problems:
        obstacles.append("自动审查有错误：" + "；".join(p["message"] for p in errors))
    obstacles += _unaccepted_warnings(application)
    return obstacles


def _unaccepted_warnings(application: NamingApplication) -> list[str]:
    """同音 is to be avoided (第九条第一款第（七）、（八）项 "并避免同音"): approvable only
    with the officer's recorded reason for accepting it."""
    acceptable = [p for p in application.check_result.get("problems", []) if p.get("acceptable")]
    if acceptable and not application.homophone_reason.strip():
        return ["自动审查提示同音，须登记接受同音的理由"]
    return []


@transaction.atomic
def approve_naming(*, application: NamingApplication, approved_by, approving_body: str = "",
                   decision_date: dt.date | None = None, note: str = "") -> NamingApplication:
    """Consultation → approved: record the decision and apply the name.

    Refused while any check error, missing report or open consultation remains. A
    renaming moves the old name into ``FormerName`` (period ending on the decision
    date); a new entity gets a new standard ``PlaceName``.
    """
    application = NamingApplication.objects.select_for_update().get(pk=application.pk)
    if not application.can_be_decided_by(approved_by):
        raise WorkflowError("您无权登记该申请的审批决定（须为辖区内的区划地名工作人员）")
    decision_date = decision_date or timezone.localdate()
    if problems := naming_rules.decision_problems(application, decided_by=approved_by, decision_date=decision_date,
                                                  today=timezone.localdate()):
        raise WorkflowError("不能批准：" + "；".join(problems))
    run_checks(application=application)
    if obstacles := approval_obstacles(application, on=decision_date):
        application.save(update_fields=["check_result", "checked_at"])
        raise WorkflowError("不能批准：" + "；".join(obstacles))
    _move(application, ApplicationStatus.APPROVED)
    application.decided_by = approved_by
    application.decision_date = decision_date
    application.approving_body = approving_body or default_approving_body(application)
    application.decision_note = note
    if application.place_id and _names_a_division(application.place):
        place = _rename_division(application, approved_by, decision_date)
        _copy_story(application, place)
    elif application.place_id:
        place = application.place
        rename_place(place=place, new_name=application.proposed_name, effective=decision_date,
                     note=f"依{application.approving_body}{_chinese_date(decision_date)}批准更名")
        _copy_story(application, place)
    else:
        place = create_place_name(
            standard_name=application.proposed_name, category=application.category, division=application.division,
            geom=application.geom or application.division.seat, status=NameStatus.STANDARD,
            source=Source.OFFICIAL, source_note=f"{application.approving_body}批准命名", named_on=decision_date,
            meaning=application.meaning, origin=application.origin,
        )
    application.result_place = place
    application.save()
    return application


def _names_a_division(place: PlaceName) -> bool:
    """The place is a current division's own name (same code, pointing at that row)."""
    division = place.division
    return bool(division and place.code == division.code and division.is_current and place.is_standard)


def _rename_division(application: NamingApplication, approved_by, decision_date: dt.date) -> PlaceName:
    """Renaming a division's name renames the Division through the division-change action,
    whose followers rename this place (former name, signs) like any other change."""
    from boundaries.division_changes import rename_division_by_naming
    from boundaries.edit_geometry import EditRefused

    place = application.place
    document = (f"地名更名申请 #{application.pk}（{application.approving_body}"
                f"{_chinese_date(decision_date)}批准）")
    old_division_id = place.division_id
    try:
        change = rename_division_by_naming(
            division=place.division, name=application.proposed_name, approving_body=application.approving_body,
            document=document, on=decision_date, proposed_by=application.created_by, decided_by=approved_by,
        )
    except (EditRefused, PermissionDenied) as exc:
        raise WorkflowError(f"不能批准：{getattr(exc, 'message', str(exc))}") from exc
    if application.division_id == old_division_id:  # the application now belongs to the renamed row
        application.division = change.created.get()
    place.refresh_from_db()
    return place


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _copy_story(application: NamingApplication, place: PlaceName) -> None:
    changed = False
    for field in ("meaning", "origin"):
        if getattr(application, field).strip():
            setattr(place, field, getattr(application, field))
            changed = True
    if changed:
        place.save()


@transaction.atomic
def reject_naming(*, application: NamingApplication, rejected_by, note: str) -> NamingApplication:
    """Submitted or consultation → rejected, with the reason."""
    if not application.can_be_decided_by(rejected_by):
        raise WorkflowError("您无权登记该申请的审批决定")
    if not note.strip():
        raise WorkflowError("不予批准须说明理由")
    _move(application, ApplicationStatus.REJECTED)
    application.decided_by = rejected_by
    application.decision_date = timezone.localdate()
    application.decision_note = note
    run_checks(application=application)
    application.save()
    return application


@transaction.atomic
def withdraw_application(*, application: NamingApplication) -> NamingApplication:
    _move(application, ApplicationStatus.WITHDRAWN)
    application.save()
    return application


@transaction.atomic
def record_announcement(*, application: NamingApplication, date: dt.date, number: str = "") -> NamingApplication:
    """The announcement (公告, number ``number``) was published on ``date``: due within 15
    days of approval, or of filing for names another department approved (第十四条)."""
    if application.approved_by_other_department and not application.filing_date:
        raise WorkflowError("该地名由其他部门批准，须先登记备案，再自备案之日起15日内公告")
    if application.approved_by_other_department and date < application.filing_date:
        raise WorkflowError("公告日期不能早于备案日期")
    application.announcement_no = number.strip()
    return _record(application, "announcement_date", date)


@transaction.atomic
def record_filing(*, application: NamingApplication, date: dt.date) -> NamingApplication:
    """The approval was filed upward (备案) on ``date`` (due within 15 days)."""
    return _record(application, "filing_date", date)


def _record(application: NamingApplication, field: str, date: dt.date) -> NamingApplication:
    if application.status not in (ApplicationStatus.APPROVED, ApplicationStatus.COMPLETED):
        raise WorkflowError("只有已批准的申请才能登记公告或备案")
    if date < application.decision_date:
        raise WorkflowError("日期不能早于批准日期")
    setattr(application, field, date)
    if application.announcement_date and application.filing_date and application.status == ApplicationStatus.APPROVED:
        _move(application, ApplicationStatus.COMPLETED)
    application.save()
    return application


# Approvers by kind (DOMAIN.md §4): the body whose name the announcement carries.
def default_approving_body(application: NamingApplication) -> str:
    division = application.division
    by_level = {d.level: d for d in [*division.ancestors(), division]}
    if application.kind == NameKind.COUNTY:
        return "国务院"
    if application.kind == NameKind.TOWNSHIP and "province" in by_level:
        return f"{by_level['province'].name}人民政府"
    county = by_level.get("county")
    if application.kind == NameKind.RESIDENTIAL and county:
        return f"{county.name}住房和城乡建设局（征求民政部门意见后）"
    if county:
        return f"{county.name}人民政府"
    return f"{division.name}人民政府"
