"""Division changes (区划调整) on 清水县: merge, split, rename, re-code, move the seat.

After every change the townships still tile the county exactly, the old units are
end-dated (never deleted), children follow with codes under the new prefix, and the
boundary lines are re-derived.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from shapely import wkb
from shapely.geometry import LineString
from shapely.ops import split, unary_union

from boundaries.coverage import check_coverage
from boundaries.division_changes import merge_divisions, move_seat, rename_division, split_division
from boundaries.edit_geometry import EditRefused
from boundaries.models import BoundaryLine, ChangeKind, Division

ON = dt.date(2026, 1, 1)
DOC = "甘政函〔2025〕99号"


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


def test_merging_two_neighbouring_townships_keeps_the_county_tiled(qingshui, lines, zoning_officer):
    a, b = _neighbours(qingshui)
    villages = Division.objects.current(ON).filter(parent__in=[a, b]).count()
    area = a.area_km2 + b.area_km2
    change = merge_divisions(divisions=[a, b], code=a.code, name=f"{a.name[:-1]}新镇", approval_document=DOC,
                             effective_date=ON, recorded_by=zoning_officer, approved_by_body="甘肃省人民政府")
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


def test_splitting_a_township_along_a_drawn_line_keeps_the_county_tiled(qingshui, lines, zoning_officer):
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
    change = split_division(
        division=township, cut=cut, approval_document=DOC, effective_date=ON, recorded_by=zoning_officer,
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
        split_division(division=township, cut=[(x, y), (x + 0.001, y)], approval_document=DOC, effective_date=ON,
                       recorded_by=zoning_officer, parts=[{"code": "620521498000", "name": "甲", "point": (x, y)},
                                                          {"code": "620521499000", "name": "乙", "point": (x, y)}])
    township.refresh_from_db()
    assert township.valid_to is None


def test_renaming_and_recoding_end_date_the_old_row_and_move_the_children(qingshui, zoning_officer):
    township = Division.objects.current().get(code="620521100000")  # 永清镇
    change = rename_division(division=township, name="永清新镇", approval_document=DOC, effective_date=ON,
                             recorded_by=zoning_officer)
    renamed = change.created.get()
    assert (renamed.code, renamed.name, change.kind) == ("620521100000", "永清新镇", ChangeKind.RENAME)
    assert Division.objects.current(dt.date(2025, 6, 1)).get(code="620521100000").name == "永清镇"  # as of before
    recoded = rename_division(division=renamed, code="620521150000", approval_document=DOC,
                              effective_date=ON + dt.timedelta(days=30), recorded_by=zoning_officer).created.get()
    children = Division.objects.current(ON + dt.timedelta(days=30)).filter(parent=recoded)
    assert children.exists() and all(c.code.startswith("620521150") for c in children)


def test_the_seat_moves_only_inside_the_division_and_only_by_zoning_staff(qingshui, zoning_officer, field_worker):
    township = Division.objects.current().get(code="620521100000")
    inside = township.geom.point_on_surface
    with pytest.raises(PermissionDenied):
        move_seat(division=township, seat=inside, approval_document=DOC, effective_date=ON, recorded_by=field_worker)
    with pytest.raises(EditRefused, match="范围"):
        move_seat(division=township, seat=Point(100.0, 30.0, srid=4490), approval_document=DOC, effective_date=ON,
                  recorded_by=zoning_officer)
    move_seat(division=township, seat=inside, approval_document=DOC, effective_date=ON, recorded_by=zoning_officer)
    township.refresh_from_db()
    assert township.seat.equals_exact(inside, 1e-9)


def test_an_outsider_cannot_merge_townships_of_another_county(qingshui, lines, outsider):
    a, b = _neighbours(qingshui)
    with pytest.raises(PermissionDenied):
        merge_divisions(divisions=[a, b], code=a.code, name="X镇", approval_document=DOC, effective_date=ON,
                        recorded_by=outsider)


def test_the_command_records_a_rename_and_explains_a_refusal(qingshui, zoning_officer, capsys):
    call_command("change_division", "rename", "--division", "620521100", "--name", "永清新镇", "--document", DOC,
                 "--effective", "2026-01-01", "--user", zoning_officer.username)
    assert "永清新镇（620521100000）" in capsys.readouterr().out
    with pytest.raises(CommandError, match="范围"):
        call_command("change_division", "move-seat", "--division", "620521100", "--seat", "100,30", "--document",
                     DOC, "--effective", "2026-02-01", "--user", zoning_officer.username)


def test_the_change_form_records_a_merge_and_shows_a_refusal_in_words(client, qingshui, lines, zoning_officer):
    a, b = _neighbours(qingshui)
    client.force_login(zoning_officer)
    assert client.get("/boundaries/changes/new/?parent=620521").status_code == 200
    form = {"kind": "merge", "divisions": f"{a.code},{b.code}", "new_code": a.code, "new_name": "合并镇",
            "approval_document": DOC, "effective_date": "2026-01-01"}
    response = client.post("/boundaries/changes/new/?parent=620521", form)
    assert response.status_code == 302
    assert Division.objects.current(ON).get(code=a.code).name == "合并镇"
    page = client.get("/boundaries/changes/").content.decode()
    assert "合并镇" in page and DOC in page
    other = _current_townships().exclude(code=a.code).order_by("code").first()
    refused = client.post("/boundaries/changes/new/?parent=620521", {**form, "kind": "split", "divisions": other.code})
    assert refused.status_code == 200 and "请在地图上画出分割线" in refused.content.decode()
    assert Division.objects.current(ON).filter(code=other.code).exists()  # nothing changed
