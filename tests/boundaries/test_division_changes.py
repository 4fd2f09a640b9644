"""Division changes (区划调整) on 清水县: merge, split, rename, re-code, move the seat.

Each change is proposed by one zoning officer and applied when a second one approves
it (four eyes, like line edits). After every change the townships still tile the county
exactly, the old units are end-dated (never deleted), children follow with codes under
the new prefix, and the boundary lines are re-derived.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from shapely import wkb
from shapely.geometry import LineString
from shapely.ops import split, unary_union

from boundaries.coverage import check_coverage
from boundaries.division_changes import (
    approve_division_change,
    propose_merge,
    propose_rename,
    propose_seat_move,
    propose_split,
)
from boundaries.edit_geometry import EditRefused
from boundaries.models import BoundaryLine, ChangeKind, Division
from geoapp.actions import set_up_user
from geoapp.roles import Role
from tests.conftest import PASSWORD

ON = dt.date(2026, 1, 1)
DOC = "甘政函〔2025〕99号"
BODY = "甘肃省人民政府"


@pytest.fixture
def second_officer(db):
    """Another zoning officer of 清水县 (620521): approves what the first proposes."""
    return set_up_user(username="zoning_qs2", role=Role.ZONING, jurisdiction="620521000000", password=PASSWORD)


def _applied(propose, approver, **kwargs):
    """Propose with ``kwargs`` and have ``approver`` (another officer) approve it."""
    change = propose(approval_document=DOC, approved_by_body=BODY, **kwargs)
    return approve_division_change(change=change, approved_by=approver)


@pytest.fixture
def lines(qingshui):
    """The township lines of 清水县 as set-up built them (the province topology)."""
    return BoundaryLine.objects.current().of(parent=qingshui, level="township")


def _neighbours(qingshui):
    line = (BoundaryLine.objects.current().of(parent=qingshui, level="township").exclude(right=None)
            .filter(left__parent=qingshui, right__parent=qingshui).select_related("left", "right").order_by("left__code", "right__code").first())
    return line.left, line.right


def _current_townships():
    return Division.objects.current(ON).within("620521").at_level("township")


def test_merging_two_neighbouring_townships_keeps_the_county_tiled(qingshui, lines, zoning_officer, second_officer):
    a, b = _neighbours(qingshui)
    villages = Division.objects.current(ON).filter(parent__in=[a, b]).count()
    area = a.area_km2 + b.area_km2
    change = _applied(propose_merge, second_officer, divisions=[a, b], code=a.code, name=f"{a.name[:-1]}新镇",
                      effective_date=ON, proposed_by=zoning_officer)
    assert change.kind == ChangeKind.MERGE
    new = change.created.get()
    assert new.code == a.code and new.area_km2 == pytest.approx(area, abs=1e-6)
    assert set(change.retired.all()) == {a, b}
    a.refresh_from_db()
    assert a.valid_to == ON and Division.objects.filter(pk=b.pk).exists()  # end-dated, never deleted
    assert _current_townships().count() == 18
    moved = Division.objects.current(ON).filter(parent=new)
    assert moved.count() == villages and all(v.code.startswith(new.code[:9]) for v in moved)
    assert check_coverage(qingshui, on=ON).ok
    pairs = BoundaryLine.objects.current().of(parent=qingshui, level="township")
    assert not pairs.filter(left=a).exists() and pairs.filter(left=new).exists() | pairs.filter(right=new).exists()


def test_splitting_a_township_along_a_drawn_line_keeps_the_county_tiled(qingshui, lines, zoning_officer,
                                                                        second_officer):
    # An inner township (not on the county outline) is a convex cell: a cut through its middle halves it.
    township = next(t for t in _current_townships().order_by("code")
                    if not BoundaryLine.objects.current().filter(left=t, right=None).exists())
    shape = wkb.loads(bytes(township.geom.wkb))
    minx, miny, maxx, maxy = shape.bounds
    middle = (miny + maxy) / 2
    cut = [(minx - 0.01, middle), (maxx + 0.01, middle)]
    halves = list(split(shape.geoms[0], LineString(cut)).geoms)
    assert len(halves) == 2
    points = [h.representative_point() for h in halves]
    villages = Division.objects.current(ON).filter(parent=township).count()
    change = _applied(
        propose_split, second_officer, division=township, cut=cut, effective_date=ON, proposed_by=zoning_officer,
        parts=[{"code": township.code, "name": f"{township.name}北", "point": (points[0].x, points[0].y)},
               {"code": "620521498000", "name": f"{township.name}南", "point": (points[1].x, points[1].y)}],
    )
    created = list(change.created.all())
    assert len(created) == 2 and _current_townships().count() == 20
    # The two pieces are exactly the old township, compared in the data's own lon/lat plane
    # where its edges are straight: 1e-10 square degrees is about 1 m² here. (Ellipsoidal or
    # projected areas are not additive for this check: the cut adds vertices on old edges,
    # which then curve, so even a zero-width sliver would measure hundreds of m².)
    pieces = unary_union([wkb.loads(bytes(d.geom.wkb)) for d in created])
    assert pieces.symmetric_difference(shape).area < 1e-10
    assert sum(Division.objects.current(ON).filter(parent=d).count() for d in created) == villages
    assert check_coverage(qingshui, on=ON).ok


def test_a_cut_that_does_not_cross_the_township_is_refused_and_nothing_changes(qingshui, lines, zoning_officer):
    township = _current_townships().order_by("code").first()
    x, y = township.seat.x, township.seat.y
    with pytest.raises(EditRefused, match="完整穿过"):
        propose_split(division=township, cut=[(x, y), (x + 0.001, y)], approval_document=DOC, effective_date=ON,
                      approved_by_body=BODY, proposed_by=zoning_officer,
                      parts=[{"code": "620521498000", "name": "甲", "point": (x, y)},
                             {"code": "620521499000", "name": "乙", "point": (x, y)}])
    township.refresh_from_db()
    assert township.valid_to is None


def test_renaming_and_recoding_end_date_the_old_row_and_move_the_children(qingshui, zoning_officer, second_officer):
    township = Division.objects.current().get(code="620521100000")  # 永清镇
    change = _applied(propose_rename, second_officer, division=township, name="永清新镇", effective_date=ON,
                      proposed_by=zoning_officer)
    renamed = change.created.get()
    assert (renamed.code, renamed.name, change.kind) == ("620521100000", "永清新镇", ChangeKind.RENAME)
    assert Division.objects.current(dt.date(2025, 6, 1)).get(code="620521100000").name == "永清镇"  # as of before
    recoded = _applied(propose_rename, second_officer, division=renamed, code="620521150000",
                       effective_date=ON + dt.timedelta(days=30), proposed_by=zoning_officer).created.get()
    children = Division.objects.current(ON + dt.timedelta(days=30)).filter(parent=recoded)
    assert children.exists() and all(c.code.startswith("620521150") for c in children)


def test_the_seat_moves_only_inside_the_division_and_only_by_zoning_staff(qingshui, zoning_officer, field_worker,
                                                                          second_officer):
    township = Division.objects.current().get(code="620521100000")
    inside = township.geom.point_on_surface
    with pytest.raises(PermissionDenied):
        propose_seat_move(division=township, seat=inside, approval_document=DOC, approved_by_body=BODY,
                          effective_date=ON, proposed_by=field_worker)
    with pytest.raises(EditRefused, match="范围"):
        propose_seat_move(division=township, seat=Point(100.0, 30.0, srid=4490), approval_document=DOC,
                          approved_by_body=BODY, effective_date=ON, proposed_by=zoning_officer)
    _applied(propose_seat_move, second_officer, division=township, seat=inside, effective_date=ON,
             proposed_by=zoning_officer)
    township.refresh_from_db()
    assert township.seat.equals_exact(inside, 1e-9)


def test_an_outsider_cannot_merge_townships_of_another_county(qingshui, lines, outsider):
    a, b = _neighbours(qingshui)
    with pytest.raises(PermissionDenied):
        propose_merge(divisions=[a, b], code=a.code, name="X镇", approval_document=DOC, approved_by_body=BODY,
                      effective_date=ON, proposed_by=outsider)


def test_the_command_records_a_rename_and_explains_a_refusal(qingshui, zoning_officer, second_officer, capsys):
    call_command("change_division", "rename", "--division", "620521100", "--name", "永清新镇", "--document", DOC,
                 "--body", BODY, "--effective", "2026-01-01", "--user", zoning_officer.username)
    proposed = capsys.readouterr().out
    assert "待审核" in proposed and Division.objects.current().get(code="620521100000").name == "永清镇"
    number = proposed.split()[0].lstrip("#")
    with pytest.raises(CommandError, match="提交人不能审核"):
        call_command("change_division", "approve", "--change", number, "--user", zoning_officer.username)
    call_command("change_division", "approve", "--change", number, "--user", second_officer.username)
    assert "永清新镇（620521100000）" in capsys.readouterr().out
    with pytest.raises(CommandError, match="范围"):
        call_command("change_division", "move-seat", "--division", "620521100", "--seat", "100,30", "--document",
                     DOC, "--body", BODY, "--effective", "2026-02-01", "--user", zoning_officer.username)


def test_the_change_form_proposes_a_merge_a_second_officer_approves_and_a_refusal_is_in_words(
        client, qingshui, lines, zoning_officer, second_officer):
    a, b = _neighbours(qingshui)
    client.force_login(zoning_officer)
    assert client.get("/boundaries/changes/new/?parent=620521").status_code == 200
    form = {"kind": "merge", "divisions": f"{a.code},{b.code}", "new_code": a.code, "new_name": "合并镇",
            "approval_document": DOC, "approved_by_body": BODY, "effective_date": "2026-01-01"}
    response = client.post("/boundaries/changes/new/?parent=620521", form)
    assert response.status_code == 302
    review = response["Location"]
    assert Division.objects.current(ON).get(code=a.code).name == a.name  # proposed, not applied
    page = client.get(review).content.decode()
    assert "合并镇" in page and "试算" in page and 'id="approve"' not in page  # not for the proposer
    client.post(review + "approve")
    assert Division.objects.current(ON).get(code=a.code).name == a.name
    client.force_login(second_officer)
    assert 'id="approve"' in client.get(review).content.decode()
    assert client.post(review + "approve").status_code == 302
    assert Division.objects.current(ON).get(code=a.code).name == "合并镇"
    page = client.get("/boundaries/changes/").content.decode()
    assert "合并镇" in page and DOC in page and "已批准并生效" in page
    other = _current_townships().exclude(code=a.code).order_by("code").first()
    refused = client.post("/boundaries/changes/new/?parent=620521", {**form, "kind": "split", "divisions": other.code})
    assert refused.status_code == 200 and "请在地图上画出分割线" in refused.content.decode()
    assert Division.objects.current(ON).filter(code=other.code).exists()  # nothing changed


def test_a_rejected_proposal_changes_nothing_and_cannot_be_approved_later(qingshui, zoning_officer, second_officer):
    from boundaries.division_changes import reject_division_change
    from boundaries.models import ChangeStatus

    township = Division.objects.current().get(code="620521100000")
    change = propose_rename(division=township, name="永清新镇", approval_document=DOC, approved_by_body=BODY,
                            effective_date=ON, proposed_by=zoning_officer)
    with pytest.raises(EditRefused, match="说明理由"):
        reject_division_change(change=change, rejected_by=second_officer, note=" ")
    reject_division_change(change=change, rejected_by=second_officer, note="文号有误")
    change.refresh_from_db()
    assert (change.status, change.decided_by, change.decision_note) == (ChangeStatus.REJECTED, second_officer, "文号有误")
    with pytest.raises(EditRefused, match="已驳回"):
        approve_division_change(change=change, approved_by=second_officer)
    assert Division.objects.current().get(code="620521100000").pk == township.pk


def test_a_proposal_overtaken_by_another_change_goes_stale_on_approval(qingshui, zoning_officer, second_officer):
    from boundaries.division_changes import rename_division_by_naming
    from boundaries.edit_geometry import EditConflict
    from boundaries.models import ChangeStatus

    township = Division.objects.current().get(code="620521100000")
    change = propose_rename(division=township, name="永清新镇", approval_document=DOC, approved_by_body=BODY,
                            effective_date=ON, proposed_by=zoning_officer)
    with pytest.raises(EditRefused, match="已有待审核的区划调整"):
        propose_rename(division=township, name="永清东镇", approval_document=DOC, approved_by_body=BODY,
                       effective_date=ON, proposed_by=second_officer)
    rename_division_by_naming(division=township, name="清源镇", approving_body=BODY, document="地名更名申请 #1",
                              on=ON, proposed_by=zoning_officer, decided_by=second_officer)
    with pytest.raises(EditConflict, match="已失效"):
        approve_division_change(change=change, approved_by=second_officer)
    change.refresh_from_db()
    assert change.status == ChangeStatus.STALE
    assert Division.objects.current().get(code="620521100000").name == "清源镇"


def test_a_rename_in_force_today_moves_the_lines_whatever_day_the_database_session_thinks_it_is(
        qingshui, zoning_officer, second_officer, settings):
    """"Today" is the site's day (Asia/Shanghai), not the database session's CURRENT_DATE
    (UTC): for eight hours of every day they differ, and the topology rebuilt after a rename
    took effect today used to keep the retired township's faces. Here the two days always
    differ (UTC+14 against UTC−12)."""
    settings.TIME_ZONE = "Etc/GMT-14"
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL TIME ZONE 'Etc/GMT+12'")
        cursor.execute("SELECT CURRENT_DATE")
        assert cursor.fetchone()[0] < timezone.localdate()
    old = Division.objects.current().get(code="620521100000")
    sides = {line.pk for line in BoundaryLine.objects.current().filter(Q(left=old) | Q(right=old))}
    _applied(propose_rename, second_officer, division=old, name="永清新镇", effective_date=timezone.localdate(),
             proposed_by=zoning_officer)
    new = Division.objects.current().get(code="620521100000")
    assert new.pk != old.pk and new.name == "永清新镇"
    assert not BoundaryLine.objects.current().filter(Q(left=old) | Q(right=old)).exists()
    assert BoundaryLine.objects.current().filter(Q(left=new) | Q(right=new)).count() == len(sides) > 0
