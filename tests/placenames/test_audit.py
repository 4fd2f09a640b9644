"""Quality audit (placenames.audit): one test per rule, the command, the page and CSV."""

import csv
import io
from io import StringIO

from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.urls import reverse

from placenames.audit import audit_placenames
from placenames.models import PlaceName
from tests.placenames.builders import place_name


def rules_for(report, place):
    return {i.rule for i in report.issues if i.place_id == place.pk}


def test_each_rule_is_reported(gazetteer):
    good = place_name("育新路", category="transport", meaning="m", origin="o")
    wrong_roman = place_name("育德路", category="transport", meaning="m", origin="o")
    PlaceName.objects.filter(pk=wrong_roman.pk).update(romanization="Yude Road")
    no_roman = place_name("育才东巷", category="transport", meaning="m", origin="o")
    PlaceName.objects.filter(pk=no_roman.pk).update(romanization="")
    outside = place_name("远方路", category="transport", meaning="m", origin="o", geom=Point(117.1, 36.2, srid=4490))
    dup_a = place_name("重复巷", category="transport", meaning="m", origin="o")
    dup_b = place_name("重复巷", category="transport", where="620521101000", meaning="m", origin="o")
    homophone = place_name("崇复巷", category="transport", meaning="m", origin="o")  # chóngfù, like 重复
    rare = place_name("屲湾路", category="transport", meaning="m", origin="o")
    review = place_name("十里堡路", category="transport", meaning="m", origin="o")
    bad_code = place_name("码错路", category="transport", meaning="m", origin="o", code="ABC")
    bare = place_name("无记路", category="transport")
    report = audit_placenames(division_code="620521")
    assert rules_for(report, good) == set()
    assert rules_for(report, wrong_roman) == {"romanization_differs"}
    assert rules_for(report, no_roman) == {"romanization_missing"}
    assert rules_for(report, outside) == {"outside_division"}
    assert "duplicate" in rules_for(report, dup_a) and "duplicate" in rules_for(report, dup_b)
    assert rules_for(report, homophone) == {"homophone"}
    assert "rare_character" in rules_for(report, rare)
    assert "reading_review" in rules_for(report, review)
    assert rules_for(report, bad_code) == {"invalid_code"}
    assert rules_for(report, bare) == {"missing_meaning", "missing_origin"}


def test_a_same_sounding_name_in_scope_is_a_homophone(gazetteer):
    a = place_name("清风巷", category="transport", meaning="m", origin="o")
    b = place_name("青峰巷", category="transport", where="620521101000", meaning="m", origin="o")
    report = audit_placenames(division_code="620521")
    assert "homophone" in rules_for(report, a) and "homophone" in rules_for(report, b)


def test_the_audit_lists_the_toneless_homophones_among_the_demo_villages(gazetteer):
    # Real village committees of 清水县 whose seats read the same without tones (ADR 0016):
    # 李湾 lǐwān / 梨湾 líwān, 柏树 bǎishù / 白树 báishù, 樊夏 fánxià / 樊峡 fánxiá.
    report = audit_placenames(division_code="620521")
    homophones = {i.standard_name: i for i in report.issues if i.rule == "homophone"}
    for a, b in (("李湾村民委员会", "梨湾村民委员会"), ("柏树村民委员会", "白树村民委员会"), ("樊夏村民委员会", "樊峡村民委员会")):
        assert b in homophones[a].detail and a in homophones[b].detail
        assert "声调不同" in homophones[a].detail and homophones[a].severity == "warning"


def test_a_confirmed_reading_is_not_reported_as_differing_or_needing_review(gazetteer, zoning_officer):
    from placenames import actions

    review = place_name("十里堡路", category="transport", meaning="m", origin="o")
    assert "reading_review" in rules_for(audit_placenames(division_code="620521"), review)
    actions.confirm_reading(place=review, romanization="Shílǐbǎo Lù", reason="县地名普查读音记录（测试）",
                            confirmed_by=zoning_officer)
    assert rules_for(audit_placenames(division_code="620521"), review) == set()


def test_the_demo_county_has_its_real_duplicates_found(gazetteer):
    report = audit_placenames(division_code="620521")
    duplicates = {i.standard_name for i in report.issues if i.rule == "duplicate"}
    assert "丰盛村民委员会" in duplicates  # two 丰盛村 in 清水县, a real case the 2022 scope forbids
    assert set(report.counts()) == {"620521"}


def test_the_command_prints_counts_and_writes_csv(gazetteer, tmp_path):
    out = StringIO()
    path = tmp_path / "issues.csv"
    call_command("audit_placenames", "--division", "620521", "--csv", str(path), stdout=out)
    text = out.getvalue()
    assert "620521" in text and "missing_meaning" in text
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows and {"id", "rule", "severity", "message"} <= set(rows[0])


def test_the_audit_page_and_csv_are_scoped_to_the_user(client, gazetteer, zoning_officer):
    client.force_login(zoning_officer)
    page = client.get(reverse("placename-audit"))
    assert page.status_code == 200 and "清水县" in page.content.decode()
    assert client.get(reverse("placename-audit"), {"division": "640502"}).status_code == 403
    response = client.get(reverse("placename-audit-csv"))
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert all(line.split(",")[3].startswith("620521") for line in body.splitlines()[1:] if line)
