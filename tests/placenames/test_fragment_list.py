"""The inverted list of two-character fragments (placenames.fragment_list): kept by
PostgreSQL with every write of a name, filled after a bulk load, and read by the public
search for a two-character infix with the same page as sorting every match."""

from __future__ import annotations

import pytest
from django.db import transaction

from placenames import fragment_list, search
from placenames.actions import rename_place
from placenames.models import NameFragment, NameStatus, PlaceName
from tests.placenames.builders import place_name


def listed(place) -> set[str]:
    return set(NameFragment.objects.filter(name=place.pk).values_list("fragment", flat=True))


def test_a_new_name_is_listed_under_each_two_character_fragment_once(gazetteer):
    place = place_name("哈哈哈西街", category="transport")
    assert listed(place) == {"哈哈", "哈西", "西街"}
    rows = NameFragment.objects.filter(name=place.pk)
    assert {(row.search_order, row.standard_name) for row in rows} == {
        (PlaceName.objects.get(pk=place.pk).search_order, "哈哈哈西街")}


def test_a_renamed_retired_or_deleted_name_leaves_its_old_fragments(gazetteer):
    import datetime as dt

    place = place_name("试验东街", category="transport")
    rename_place(place=place, new_name="试验北巷", effective=dt.date(2026, 1, 1))
    assert listed(place) == {"试验", "验北", "北巷"}
    PlaceName.objects.filter(pk=place.pk).update(status=NameStatus.RETIRED)
    assert listed(place) == set()
    PlaceName.objects.filter(pk=place.pk).update(status=NameStatus.STANDARD)
    assert listed(place) == {"试验", "验北", "北巷"}
    gone = place_name("试验南街", category="transport")
    PlaceName.objects.filter(pk=gone.pk).delete()
    assert not NameFragment.objects.filter(name=gone.pk).exists()


def test_a_bulk_load_with_the_trigger_off_is_listed_afterwards(gazetteer):
    def write_directly():
        # A COPY-like write that the trigger does not see while it is off.
        with transaction.atomic(), fragment_list.deferred(many=False):
            place = place_name("批量南路", category="transport")
            assert listed(place) == set()
        return place

    assert listed(write_directly()) == {"批量", "量南", "南路"}
    before = NameFragment.objects.count()
    with transaction.atomic():
        fragment_list.refill()
    assert NameFragment.objects.count() == before


@pytest.mark.parametrize("whole", [True, False])
def test_a_fragment_twice_in_a_names_array_is_listed_once(gazetteer, whole):
    """The refill takes each fragment where it first occurs in the array (no DISTINCT
    over the whole list): an array written by other means with a repeat still lists it once."""
    with transaction.atomic(), fragment_list.deferred(many=False):  # at its end: the rows of the new names
        place = place_name("重复南路", category="transport")
        PlaceName.objects.filter(pk=place.pk).update(fragments=["重复", "复南", "重复", "南路", "复南"])
    if whole:
        with transaction.atomic():
            fragment_list.refill()
    assert sorted(NameFragment.objects.filter(name=place.pk).values_list("fragment", flat=True)) == sorted(
        ["重复", "复南", "南路"])

@pytest.mark.parametrize("heads", [search.HEADS, (3, 7)])
@pytest.mark.parametrize("fragment", ["村民", "委员", "上湾", "家村"])
def test_an_infix_page_from_the_list_is_the_page_of_the_sorted_matches(gazetteer, monkeypatch, heads, fragment):
    # (3, 7): heads too short for the page, so the list gives up and the matches are sorted.
    monkeypatch.setattr(search, "HEADS", heads)
    names = PlaceName.objects.standard()
    page = search.search_names(names.values("id", "standard_name"), fragment, limit=20)
    sorted_matches = search.search_queryset(names, fragment, similar=False).values_list("id", "rank")[:20]
    assert [(row["id"], row["rank"]) for row in page] == list(sorted_matches)
    assert any(row["rank"] == search.INFIX for row in page)


def test_the_list_is_read_only_where_its_byte_order_is_the_databases_order(gazetteer, monkeypatch):
    """Our databases are C.UTF-8, whose order is the list's byte order; in one sorting
    otherwise the search sorts the matches (same page) and never reads the list."""
    assert fragment_list.in_search_order()
    names = PlaceName.objects.standard()
    expected = [row["id"] for row in search.search_names(names.values("id"), "村民", limit=20)]
    monkeypatch.setattr(fragment_list, "_database_collation", lambda name: "zh_CN.UTF-8")
    read = []
    monkeypatch.setattr(search, "_infix_from_list", lambda *args: read.append(args))
    assert not fragment_list.in_search_order()
    assert [row["id"] for row in search.search_names(names.values("id"), "村民", limit=20)] == expected
    assert read == [] and expected


def test_an_infix_page_within_a_category_is_the_page_of_the_sorted_matches(gazetteer):
    # The list holds every standard name; a category filter is applied to its head.
    names = PlaceName.objects.standard().in_category("committee")
    page = search.search_names(names.values("id"), "民委", limit=20)
    assert [row["id"] for row in page] == list(
        search.search_queryset(names, "民委", similar=False).values_list("id", flat=True)[:20])
    assert page


@pytest.mark.parametrize("query", ["q", "x", "sh", "qingsh", "清", "水", "湾", "山"])
def test_a_short_prefix_or_infix_page_is_the_page_of_the_sorted_matches(gazetteer, query):
    """Prominent names first (search._prominent_first): the page is the same as sorting
    every match, whether the counties and townships fill it (x: 26 of 840 prefix matches
in the demo) or not (q: 13 of 248; 湾: none of 4 prefix matches)."""
    names = PlaceName.objects.standard()
    page = search.search_names(names.values("id", "standard_name"), query, limit=20)
    sorted_matches = search.search_queryset(names, query, similar=False).values_list("id", "rank")[:20]
    assert [(row["id"], row["rank"]) for row in page] == list(sorted_matches)
    assert page


def test_around_a_map_centre_the_prominent_names_still_come_first_in_distance_order(gazetteer):
    from django.contrib.gis.geos import Point

    centre = Point(106.1, 34.75, srid=4490)
    names = PlaceName.objects.standard()
    for query in ("x", "q", "清", "湾"):
        page = search.search_names(names, query, centre=centre, limit=20)
        assert [p.pk for p in page] == list(
            search.search_queryset(names, query, centre=centre, similar=False).values_list("id", flat=True)[:20])
