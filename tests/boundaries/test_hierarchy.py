"""The demo hierarchy on real PostGIS: tiling, QuerySet methods, ellipsoidal areas."""

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from shapely import wkb

from boundaries.codes import Level
from boundaries.models import Division
from geoapp.gis import geodesic_area_m2

DEMO_COUNTIES = 16


def test_the_demo_data_has_every_level(db):
    current = Division.objects.current()
    assert current.at_level("province").count() == 3
    assert current.at_level("prefecture").count() == 3
    assert current.at_level("county").count() == DEMO_COUNTIES
    assert current.at_level("township").within("620521").count() == 19
    assert current.at_level("village").within("620521").count() > 200


def test_townships_tile_each_demo_county_within_one_square_metre(db):
    """Union of a county's townships equals the county; pairwise overlaps < 1 m²."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.code,
                   ST_Area(ST_SymDifference(c.geom, ST_Union(t.geom))::geography, true) AS mismatch_m2,
                   count(t.id)
            FROM boundaries_division c JOIN boundaries_division t ON t.parent_id = c.id
            WHERE c.level = 'county' AND t.level = 'township'
            GROUP BY c.id
            """
        )
        rows = cursor.fetchall()
        cursor.execute(
            """
            SELECT a.code, b.code, ST_Area(ST_Intersection(a.geom, b.geom)::geography, true)
            FROM boundaries_division a JOIN boundaries_division b
              ON a.parent_id = b.parent_id AND a.id < b.id AND ST_Intersects(a.geom, b.geom)
            WHERE a.level = 'township'
            """
        )
        overlaps = cursor.fetchall()
    assert len(rows) == DEMO_COUNTIES
    for code, mismatch, townships in rows:
        assert townships > 1, code
        assert mismatch < 1.0, f"{code}: townships differ from the county by {mismatch:.3f} m²"
    assert overlaps, "neighbouring townships must touch"
    worst = max(overlaps, key=lambda r: r[2])
    assert worst[2] < 1.0, f"{worst[0]} and {worst[1]} overlap by {worst[2]:.3f} m²"


def test_every_village_seat_lies_in_its_township(db):
    from django.db.models import F

    outside = Division.objects.current().at_level("village").exclude(parent__geom__covers=F("seat"))
    assert outside.count() == 0


def test_area_is_ellipsoidal_and_matches_an_independent_geodesic_computation(qingshui):
    shapely_geom = wkb.loads(bytes(qingshui.geom.wkb))
    expected_km2 = geodesic_area_m2(shapely_geom) / 1e6
    assert qingshui.area_km2 == pytest.approx(expected_km2, rel=1e-6)
    # Square degrees would be a meaningless number around 0.2 here.
    assert qingshui.geom.area < 1 < qingshui.area_km2


def test_area_agrees_with_the_gauss_kruger_projection(qingshui):
    projected = qingshui.geom.transform(4544, clone=True)  # CGCS2000 3° GK zone, CM 105°E (4534 + (105 - 75) / 3)
    assert qingshui.area_km2 == pytest.approx(projected.area / 1e6, rel=2e-3)


def test_within_selects_the_code_prefix_subtree(db):
    codes = set(Division.objects.current().within("620521000000").values_list("code", flat=True))
    assert "620521000000" in codes and all(c.startswith("620521") for c in codes)
    assert "620522000000" not in codes


def test_containing_finds_the_chain_of_divisions_at_a_village_seat(db):
    village = Division.objects.current().at_level("village").within("620521").first()
    found = Division.objects.current().containing(Point(village.seat.x, village.seat.y, srid=4490))
    levels = dict(found.values_list("level", "code"))
    assert levels["county"] == "620521000000"
    assert levels["township"] == village.parent.code
    assert levels["prefecture"] == "620500000000"


def test_current_excludes_retired_divisions_but_keeps_them(db):
    import datetime as dt

    township = Division.objects.current().get(code="620521206000")
    township.valid_to = dt.date(2020, 1, 1)
    township.save()
    assert not Division.objects.current().filter(code="620521206000").exists()
    assert Division.objects.current(dt.date(2019, 6, 1)).filter(code="620521206000").exists()
    assert Division.objects.filter(code="620521206000").exists()


def test_a_code_is_unique_among_current_divisions_only(db):
    import datetime as dt

    from django.db import IntegrityError, transaction

    old = Division.objects.current().get(code="620521207000")
    with pytest.raises(IntegrityError), transaction.atomic():
        Division.objects.create(code=old.code, name="重复", level=old.level, kind=old.kind, parent=old.parent)
    old.valid_to = dt.date(2021, 1, 1)
    old.save()
    Division.objects.create(code=old.code, name="新丰望乡", level=old.level, kind=old.kind, parent=old.parent,
                            valid_from=dt.date(2021, 1, 1))
    assert Division.objects.filter(code=old.code).count() == 2


def test_changes_are_kept_in_history(db):
    township = Division.objects.current().get(code="620521211000")
    township.name = "新城镇"
    township.save()
    names = list(township.history.order_by("history_date").values_list("name", flat=True))
    assert names[0] == "新城乡" and names[-1] == "新城镇"


@pytest.mark.parametrize(("text", "first"), [("清水", "清水县"), ("天水市", "天水市"), ("大庄村民委员会", "大庄村民委员会"), ("6205", "天水市")])
def test_a_search_ranks_the_exact_name_first_then_names_starting_with_it_then_the_higher_level(db, text, first):
    found = list(Division.objects.current().ranked_search(text))
    rank = {level: i for i, level in enumerate(Level.values)}
    assert len(found) > 1
    assert found == sorted(found, key=lambda d: (d.name != text, not d.name.startswith(text), rank[d.level], d.code))
    assert found[0].name == first


def _walk(division):
    """The ancestors as the hand-written walks found them: one query per level, top down."""
    chain, node = [], division.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return chain[::-1]


@pytest.mark.parametrize(("code", "above"), [
    ("620521100201", ["620000000000", "620500000000", "620521000000", "620521100000"]),  # a village of 永清镇
    ("620521000000", ["620000000000", "620500000000"]),  # 清水县
    ("620000000000", []),  # 甘肃省
])
def test_ancestors_by_code_prefix_are_the_parents_from_the_top_in_one_query(db, django_assert_max_num_queries, code,
                                                                            above):
    division = Division.objects.current().get(code=code)
    with django_assert_max_num_queries(1):
        ancestors = list(division.ancestors())
    assert [a.code for a in ancestors] == above
    assert ancestors == _walk(division)


def test_ancestors_agree_with_the_parent_walk_for_every_division_of_a_county(db):
    for division in Division.objects.current().within("620521").select_related("parent"):
        assert list(division.ancestors()) == _walk(division), division


def test_a_retired_division_keeps_the_ancestors_it_had_not_a_later_row_under_the_same_code(db):
    """清水县 re-created in 2024 under its code; a township retired in 2020 still lies in the old row."""
    county = Division.objects.current().get(code="620521000000")
    township = Division.objects.current().get(code="620521100000")
    Division.objects.filter(pk=county.pk).update(valid_to="2024-01-01")
    renamed = Division.objects.create(code=county.code, name="新清水县", level=county.level, kind=county.kind,
                                      parent=county.parent, valid_from="2024-01-01")
    Division.objects.filter(pk=township.pk).update(valid_to="2020-01-01")
    township.refresh_from_db()
    assert [a.pk for a in township.ancestors()][-1] == county.pk
    # A division in force on both sides of the change lies in the latest of them.
    village = Division.objects.current().filter(code__startswith="620521100", level="village").first()
    assert [a.pk for a in village.ancestors()][2] == renamed.pk
