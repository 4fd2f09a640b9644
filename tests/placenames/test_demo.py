"""Demo gazetteer loader (placenames.demo): every demo division becomes a name, idempotently."""

from io import StringIO

from django.core.management import call_command

from boundaries.models import Division
from placenames.demo import load_demo_placenames


def test_every_township_and_village_is_a_name_at_its_seat(gazetteer):
    for level in ("township", "village"):
        divisions = Division.objects.current().at_level(level)
        assert gazetteer.filter(code__in=divisions.values("code"), source="official").count() == divisions.count()
    yongqing = gazetteer.get(code="620521100000")
    assert yongqing.standard_name == "永清镇" and yongqing.category == "division"
    assert yongqing.geom.equals_exact(Division.objects.get(code="620521100000").seat, 1e-9)
    assert "合成" in yongqing.source_note


def test_classes_follow_the_code_ranges(gazetteer):
    assert gazetteer.get(code="620522107226").category == "committee"  # 村委会 200-399
    assert gazetteer.get(code="620521400000").category == "area"  # 示范园区, township segment 400-599
    assert gazetteer.get(code="620521100000").subclass == "镇"


def test_synthetic_names_around_qingshui_are_marked(gazetteer):
    synthetic = gazetteer.filter(source="synthetic")
    assert 200 <= synthetic.count() <= 500
    assert set(synthetic.values_list("category", flat=True)) == {"transport", "water", "terrain"}
    assert all(code.startswith("620521") for code in synthetic.values_list("division__code", flat=True))


def test_loading_again_changes_nothing(gazetteer):
    report = load_demo_placenames()
    assert report.created == report.updated == 0 and report.unchanged > 7000


def test_the_command_reports_what_it_did(gazetteer):
    out = StringIO()
    call_command("load_demo_placenames", stdout=out)
    assert "新增 0" in out.getvalue()
