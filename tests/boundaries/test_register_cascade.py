"""One register: a division change of 清水县 reaches names, signs, facilities and lines.

Each change is proposed by one officer, approved by another (four eyes), applied in one
transaction, and followed by ``check_register`` within 清水县 coming out clean. The
assertions name the rows that moved: which names became former names, which signs were
re-coded or need replacement, which facilities changed division, which lines changed.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone
from shapely import wkb
from shapely.geometry import LineString
from shapely.ops import split

from boundaries.division_changes import (
    approve_division_change,
    propose_merge,
    propose_rename,
    propose_reversal,
    propose_split,
)
from boundaries.edit_geometry import EditRefused
from boundaries.models import BoundaryLine, ChangeKind, ChangeStatus, Division, Source
from boundaries.register import check_register
from facilities.models import Facility
from geoapp.actions import set_up_user
from geoapp.roles import Role
from placenames.models import FormerName, NameStatus, PlaceName
from placenames.signs.actions import record_installation
from placenames.signs.models import Sign, SignStatus
from placenames.signs.plans import plan_signs
from tests.conftest import PASSWORD
from tests.placenames.signs.helpers import photo_info

ON = dt.date(2026, 1, 1)
DOC = "甘政函〔2025〕99号"
BODY = "甘肃省人民政府"
WANGHE, HUANGMEN, FENGWANG = "620521107000", "620521109000", "620521207000"


@pytest.fixture
def second_officer(db):
    """Another zoning officer of 清水县 (620521): the second pair of eyes."""
    return set_up_user(username="zoning_qs2", role=Role.ZONING, jurisdiction="620521000000", password=PASSWORD)


@pytest.fixture
def register(_demo_placenames_loaded, gazetteer, demo_facilities, qingshui, media):
    """清水县 with its lines (as set-up built them), names, facilities, and the signs of 王河镇
    and 黄门镇 (黄门镇's seat sign installed, the rest planned)."""
    for code in (WANGHE, HUANGMEN, FENGWANG):
        plan_signs(township=Division.objects.current().get(code=code), dry_run=False)
    seat = Sign.objects.get(division__code=HUANGMEN, sign_type="seat")
    lon, lat = seat.planned_geom.x, seat.planned_geom.y
    record_installation(sign=seat, client_id=uuid.uuid4(), lon=lon, lat=lat, accuracy_m=5.0,
                        installed_at=timezone.now(), text_cn=seat.text_cn, text_pinyin=seat.text_pinyin,
                        photos=[photo_info(lon, lat)])
    assert check_register("620521").ok, check_register("620521").summary()
    return qingshui


def _current(code: str) -> Division:
    return Division.objects.current().get(code=code)


def _under(prefix: str):
    return Division.objects.current().filter(code__startswith=prefix)


def _neighbours(division: Division) -> set[str]:
    lines = BoundaryLine.objects.current().filter(level="township").exclude(right=None)
    return ({line.right.code for line in lines.filter(left=division)}
            | {line.left.code for line in lines.filter(right=division)})


def _approve(change, officer):
    approve_division_change(change=change, approved_by=officer)
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPLIED
    return change


def _assert_clean():
    report = check_register("620521")
    assert report.ok, report.summary()


def test_merging_huangmen_into_wanghe_reaches_names_signs_facilities_and_lines(
        register, zoning_officer, second_officer):
    wanghe, huangmen = _current(WANGHE), _current(HUANGMEN)
    wanghe_name, huangmen_name = PlaceName.objects.get(code=WANGHE), PlaceName.objects.get(code=HUANGMEN)
    villages = {d.name for d in _under("620521109").filter(level="village")}
    village_names = set(PlaceName.objects.filter(division__in=_under("620521109").filter(level="village"))
                        .values_list("pk", flat=True))
    signs = {s.pk: s.status for s in Sign.objects.filter(division__code__regex=r"^62052110[79]").exclude(status="removed")}
    facilities = set(Facility.objects.filter(division__code__startswith="620521109").values_list("pk", flat=True))
    streets = set(PlaceName.objects.filter(division=huangmen).exclude(code=HUANGMEN).values_list("pk", flat=True))
    neighbours = (_neighbours(wanghe) | _neighbours(huangmen)) - {WANGHE, HUANGMEN}
    assert facilities and streets and len(signs) > 20

    change = propose_merge(divisions=[wanghe, huangmen], code=WANGHE, name="王河镇", approval_document=DOC,
                           approved_by_body=BODY, effective_date=ON, proposed_by=zoning_officer)
    # The proposal changed nothing yet, but its trial says what approval will do.
    assert change.status == ChangeStatus.PROPOSED and _current(HUANGMEN).pk == huangmen.pk
    assert change.trial["counts"]["facilities_moved"] >= len(facilities)
    assert any("黄门镇（620521109000）撤销，列为王河镇的曾用名" in t for t in change.trial["sections"]["names"])
    assert {u["role"] for u in change.trial["units"]} == {"retired", "created"}

    _approve(change, second_officer)
    new = _current(WANGHE)
    assert new.pk not in (wanghe.pk, huangmen.pk)
    assert (new.name, new.kind, new.source) == ("王河镇", "town", Source.SYNTHETIC)  # synthetic flag carried
    assert not _under("620521109").exists()
    assert Division.objects.get(pk=huangmen.pk).valid_to == ON  # end-dated, never deleted
    # Names: 王河镇 goes on (same row), 黄门镇 is retired and a former name of 王河镇.
    wanghe_name.refresh_from_db()
    huangmen_name.refresh_from_db()
    assert (wanghe_name.division_id, wanghe_name.code, wanghe_name.status) == (new.pk, WANGHE, NameStatus.STANDARD)
    assert huangmen_name.status == NameStatus.RETIRED
    former = FormerName.objects.get(place=wanghe_name)
    assert (former.name, former.end) == ("黄门镇", ON) and DOC in former.note
    # 黄门镇's villages are 王河镇's now, under 620521107 codes, their names with them.
    moved = _under("620521107").filter(level="village", name__in=villages)
    assert moved.count() == len(villages)
    assert set(PlaceName.objects.filter(pk__in=village_names, division__in=moved, code__startswith="620521107")
               .values_list("pk", flat=True)) == village_names
    assert set(PlaceName.objects.filter(pk__in=streets, division=new).values_list("pk", flat=True)) == streets
    # Signs: every one re-coded onto a current 620521107 division; the installed seat
    # sign of the abolished town needs replacement, its planned village signs stay planned.
    after = {s.pk: s for s in Sign.objects.filter(pk__in=signs).select_related("division")}
    assert all(s.division.is_current and s.division.code.startswith("620521107") for s in after.values())
    seat = Sign.objects.get(place=huangmen_name, sign_type="seat")
    assert seat.status == SignStatus.NEEDS_REPLACEMENT and seat.division_id == new.pk
    assert {pk: s.status for pk, s in after.items() if pk != seat.pk} == {pk: st for pk, st in signs.items() if pk != seat.pk}
    # Facilities: inside the unit that now contains them.
    for facility in Facility.objects.filter(pk__in=facilities).select_related("division"):
        assert facility.division.code.startswith("620521107") and facility.division.is_current
        assert facility.lies_in_division()
    # Lines: no current line touches a retired unit; 王河镇 borders both towns' neighbours.
    assert not BoundaryLine.objects.current().filter(left__in=[wanghe, huangmen]).exists()
    assert not BoundaryLine.objects.current().filter(right__in=[wanghe, huangmen]).exists()
    assert _neighbours(new) == neighbours
    _assert_clean()


def test_a_change_cannot_be_approved_by_the_officer_who_proposed_it(register, zoning_officer):
    wanghe, huangmen = _current(WANGHE), _current(HUANGMEN)
    change = propose_merge(divisions=[wanghe, huangmen], code=WANGHE, name="王河镇", approval_document=DOC,
                           approved_by_body=BODY, effective_date=ON, proposed_by=zoning_officer)
    with pytest.raises(PermissionDenied, match="提交人不能审核"):
        approve_division_change(change=change, approved_by=zoning_officer)
    change.refresh_from_db()
    assert change.status == ChangeStatus.PROPOSED and _current(HUANGMEN).pk == huangmen.pk


def test_an_officer_of_another_county_cannot_approve(register, zoning_officer, outsider):
    change = propose_merge(divisions=[_current(WANGHE), _current(HUANGMEN)], code=WANGHE, name="王河镇",
                           approval_document=DOC, approved_by_body=BODY, effective_date=ON, proposed_by=zoning_officer)
    with pytest.raises(PermissionDenied, match="不在您的辖区内"):
        approve_division_change(change=change, approved_by=outsider)


def test_a_township_change_without_the_approving_government_is_refused(register, zoning_officer):
    with pytest.raises(EditRefused, match="批准机关"):
        propose_merge(divisions=[_current(WANGHE), _current(HUANGMEN)], code=WANGHE, name="王河镇",
                      approval_document=DOC, effective_date=ON, proposed_by=zoning_officer)


def test_renaming_a_xiang_to_a_zhen_without_a_1xx_code_is_refused_with_the_code_to_use(register, zoning_officer):
    with pytest.raises(EditRefused, match=r"应在 100-199 之间（现为 207）；请同时变更代码，例如可用代码 620521115000"):
        propose_rename(division=_current(FENGWANG), name="丰望镇", approval_document=DOC, approved_by_body=BODY,
                       effective_date=ON, proposed_by=zoning_officer)
    assert _current(FENGWANG).name == "丰望乡"


def test_renaming_fengwang_xiang_to_a_zhen_with_a_new_code_keeps_the_old_name_as_a_former_name(
        register, zoning_officer, second_officer):
    old = _current(FENGWANG)
    place = PlaceName.objects.get(code=FENGWANG)
    village_signs = set(Sign.objects.filter(division__code__startswith="620521207", sign_type="village")
                        .values_list("pk", flat=True))
    change = propose_rename(division=old, name="丰望镇", code="620521115", approval_document=DOC,
                            approved_by_body=BODY, effective_date=ON, proposed_by=zoning_officer)
    assert change.kind == ChangeKind.RECODE
    _approve(change, second_officer)
    new = _current("620521115000")
    assert (new.name, new.kind, new.get_kind_display()) == ("丰望镇", "town", "镇")
    place.refresh_from_db()
    assert (place.standard_name, place.code, place.division_id) == ("丰望镇", "620521115000", new.pk)
    assert place.romanization == "Fēngwàng Zhèn"
    assert list(place.former_names.values_list("name", "end")) == [("丰望乡", ON)]
    # Signs: the seat sign was only planned, so its text simply follows; village signs re-coded.
    seat = Sign.objects.get(place=place, sign_type="seat")
    assert (seat.text_cn, seat.status, seat.division_id) == ("丰望镇", SignStatus.PLANNED, new.pk)
    assert set(Sign.objects.filter(pk__in=village_signs, division__code__startswith="620521115")
               .values_list("pk", flat=True)) == village_signs
    assert not BoundaryLine.objects.current().filter(left=old).exists()
    _assert_clean()


def test_a_rename_marks_installed_signs_for_replacement(register, zoning_officer, second_officer):
    place = PlaceName.objects.get(code=HUANGMEN)
    change = propose_rename(division=_current(HUANGMEN), name="黄门新镇", approval_document=DOC,
                            approved_by_body=BODY, effective_date=ON, proposed_by=zoning_officer)
    _approve(change, second_officer)
    place.refresh_from_db()
    assert (place.standard_name, place.code) == ("黄门新镇", HUANGMEN)
    seat = Sign.objects.get(place=place, sign_type="seat")
    assert seat.status == SignStatus.NEEDS_REPLACEMENT and seat.division.is_current
    assert list(place.former_names.values_list("name", flat=True)) == ["黄门镇"]
    _assert_clean()


def _inner_township():
    return next(t for t in _under("620521").filter(level="township").order_by("code")
                if not BoundaryLine.objects.current().filter(left=t, right=None).exists()
                and not BoundaryLine.objects.current().filter(right=t, left=None).exists()
                and t.code not in (WANGHE, HUANGMEN, FENGWANG))


def test_splitting_a_township_gives_each_part_its_names_facilities_and_a_new_standard_name(
        register, zoning_officer, second_officer):
    township = _inner_township()
    shape = wkb.loads(bytes(township.geom.wkb))
    minx, miny, maxx, maxy = shape.bounds
    middle = (miny + maxy) / 2
    cut = [(minx - 0.01, middle), (maxx + 0.01, middle)]
    halves = list(split(shape.geoms[0], LineString(cut)).geoms)
    points = [h.representative_point() for h in halves]
    place = PlaceName.objects.get(code=township.code)
    facilities = list(Facility.objects.filter(division__code__startswith=township.code[:9]))
    villages = _under(township.code[:9]).filter(level="village").count()
    new_name = f"{township.name[:-1]}南乡" if township.name.endswith("乡") else f"{township.name[:-1]}南镇"
    free = "620521116000" if township.kind == "town" else "620521298000"
    change = propose_split(
        division=township, cut=cut, approval_document=DOC, approved_by_body=BODY, effective_date=ON,
        proposed_by=zoning_officer,
        parts=[{"code": township.code, "name": township.name, "point": (points[0].x, points[0].y)},
               {"code": free, "name": new_name, "point": (points[1].x, points[1].y)}])
    _approve(change, second_officer)
    keep, south = _current(township.code), _current(free)
    place.refresh_from_db()
    assert (place.division_id, place.standard_name, place.status) == (keep.pk, township.name, NameStatus.STANDARD)
    south_name = PlaceName.objects.get(code=free, status=NameStatus.STANDARD)
    assert (south_name.standard_name, south_name.division_id) == (new_name, south.pk) and south_name.romanization
    assert _under(township.code[:9]).filter(level="village").count() + _under(free[:9]).filter(level="village").count() == villages
    for facility in facilities:
        facility.refresh_from_db()
        assert facility.division.is_current and facility.lies_in_division()
    assert free in _neighbours(keep)
    _assert_clean()


def test_a_reversal_restores_the_register_under_the_original_codes(register, zoning_officer, second_officer):
    wanghe, huangmen = _current(WANGHE), _current(HUANGMEN)
    huangmen_name = PlaceName.objects.get(code=HUANGMEN)
    village_codes = set(_under("620521109").values_list("code", flat=True))
    facilities = {f.pk: f.division.code for f in Facility.objects.filter(division__code__regex=r"^62052110[79]")}
    signs = {s.pk: (s.division.code, s.status) for s in Sign.objects.filter(division__code__regex=r"^62052110[79]")}
    merge = _approve(propose_merge(divisions=[wanghe, huangmen], code=WANGHE, name="王河镇", approval_document=DOC,
                                   approved_by_body=BODY, effective_date=ON, proposed_by=zoning_officer),
                     second_officer)
    correction = propose_reversal(change=merge, proposed_by=second_officer, approval_document="甘政函〔2026〕3号",
                                  effective_date=ON + dt.timedelta(days=10))
    assert correction.kind == ChangeKind.REVERSAL and correction.reverses == merge
    _approve(correction, zoning_officer)
    restored = _current(HUANGMEN)
    assert restored.pk != huangmen.pk and restored.name == "黄门镇"
    assert set(_under("620521109").values_list("code", flat=True)) == village_codes
    huangmen_name.refresh_from_db()
    assert (huangmen_name.status, huangmen_name.division_id) == (NameStatus.STANDARD, restored.pk)
    assert not FormerName.objects.filter(place__code=WANGHE, name="黄门镇").exists()
    assert {f.pk: f.division.code for f in Facility.objects.filter(pk__in=facilities)} == facilities
    # Every sign back under its original code; the seat sign the merge had marked for
    # replacement stands again (as checked, "inspected": no installation may be recorded
    # on a sign that was waiting for replacement), every other status as before.
    seat = Sign.objects.get(place=huangmen_name, sign_type="seat")
    assert (signs[seat.pk], seat.status) == (("620521109000", SignStatus.INSTALLED), SignStatus.INSPECTED)
    assert {s.pk: (s.division.code, s.status) for s in Sign.objects.filter(pk__in=signs).exclude(pk=seat.pk)} == {
        pk: v for pk, v in signs.items() if pk != seat.pk}
    # History kept: both changes, all four 王河镇/黄门镇 rows.
    assert Division.objects.filter(code=HUANGMEN).count() == 2 and Division.objects.filter(code=WANGHE).count() == 3
    assert huangmen_name.history.count() >= 3
    _assert_clean()


def test_the_command_reports_a_problem_with_a_non_zero_exit_and_json(register, capsys):
    call_command("check_register", "--within", "620521", "--json")
    assert json.loads(capsys.readouterr().out)["ok"] is True
    PlaceName.objects.filter(code=WANGHE).update(standard_name="王河乡")
    with pytest.raises(CommandError, match="1 处问题"):
        call_command("check_register", "--within", "620521")
    assert "区划名称“王河镇”与标准地名“王河乡”不一致" in capsys.readouterr().out


def test_a_division_name_the_gazetteer_stores_cleaned_is_no_disagreement(register):
    """The official list writes full-width brackets (110108010027 中国矿业大学（北京）社区居委会);
    the gazetteer stores the name NFKC-cleaned, with ASCII ones: the same name."""
    Division.objects.filter(code=WANGHE).update(name="王河镇（新）")
    PlaceName.objects.filter(code=WANGHE).update(standard_name="王河镇(新)")
    assert not [p for p in check_register("620521").problems if p.check == "names"]
    PlaceName.objects.filter(code=WANGHE).update(standard_name="王河镇(旧)")
    assert [p.message for p in check_register("620521").problems if p.check == "names"] == [
        "区划名称“王河镇（新）”与标准地名“王河镇(旧)”不一致"]


def test_the_register_page_is_for_zoning_staff_and_shows_each_check(register, client, zoning_officer, field_worker):
    client.force_login(field_worker)
    assert client.get("/boundaries/register/").status_code == 403
    client.force_login(zoning_officer)
    page = client.get("/boundaries/register/").content.decode()
    assert "一致：未发现问题" in page and page.count('<tr data-check="') == 9
    assert client.get("/boundaries/register/?within=640500").status_code == 403  # outside the jurisdiction


def test_the_review_page_offers_a_correction_of_an_applied_change(register, client, zoning_officer, second_officer):
    change = _approve(propose_rename(division=_current(HUANGMEN), name="黄门新镇", approval_document=DOC,
                                     approved_by_body=BODY, effective_date=ON, proposed_by=zoning_officer),
                      second_officer)
    client.force_login(zoning_officer)
    page = client.get(f"/boundaries/changes/{change.pk}/").content.decode()
    assert 'id="reverse-form"' in page and "黄门新镇" in page
    response = client.post(f"/boundaries/changes/{change.pk}/reverse",
                           {"approval_document": "甘政函〔2026〕3号", "effective_date": "2026-02-01"})
    correction = change.reversals.get()
    assert response["Location"] == f"/boundaries/changes/{correction.pk}/"
    assert correction.status == ChangeStatus.PROPOSED and correction.recorded_by == zoning_officer
    assert any("黄门新镇（620521109000）→ 黄门镇（620521109000）" in t for t in correction.trial["sections"]["names"])
