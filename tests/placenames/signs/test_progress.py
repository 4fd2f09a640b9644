"""Progress: villages with an installed village sign per township, signs by status,
installations per team per week, inspection reminders, CSV, and the demo loader."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid

import pytest
from django.utils import timezone

from boundaries.models import Division
from placenames.signs.actions import record_installation
from placenames.signs.demo import load_demo_signs
from placenames.signs.models import Sign, SignInstallation, SignStatus, SignType
from placenames.signs.progress import progress
from tests.placenames.signs.helpers import (
    YONGQING,
    moved,
    photo_info,
)

# Load the gazetteer outside the test transaction before any fixture opens it (see conftest).
pytestmark = pytest.mark.usefixtures("_demo_placenames_loaded")


def _install(sign: Sign, *, days_ago: int, team: str = "一组"):
    lon, lat = moved(sign.planned_geom, 5)
    record, _created = record_installation(
        sign=sign, client_id=uuid.uuid4(), lon=lon, lat=lat, accuracy_m=5,
        installed_at=timezone.now() - dt.timedelta(days=days_ago), text_cn=sign.text_cn,
        text_pinyin=sign.text_pinyin, photos=[photo_info(lon, lat)], team=team,
    )
    return record


def test_the_county_dashboard_counts_covered_villages_per_township(yongqing_plan):
    villages = list(Sign.objects.filter(sign_type=SignType.VILLAGE).order_by("pk")[:3])
    for sign in villages:
        _install(sign, days_ago=3)
    report = progress(Division.objects.get(code="620521000000"))
    row = next(r for r in report.rows if r.code == YONGQING)
    assert (row.covered, row.villages) == (3, 25)
    assert row.by_status == {"planned": 23, "installed": 3}
    assert report.total.covered == 3 and report.total.villages == 268
    assert report.total.signs == 26


def test_installations_are_counted_per_team_and_week(yongqing_plan):
    signs = list(Sign.objects.filter(sign_type=SignType.VILLAGE).order_by("pk")[:4])
    _install(signs[0], days_ago=0, team="一组")
    _install(signs[1], days_ago=0, team="一组")
    _install(signs[2], days_ago=8, team="二组")
    _install(signs[3], days_ago=200, team="二组")  # older than the 12 weeks shown
    report = progress(Division.objects.get(code=YONGQING))
    teams = {team: (counts, total) for team, counts, total in report.teams}
    assert teams["一组"][0][-1] == 2 and teams["一组"][1] == 2
    assert teams["二组"][1] == 1
    assert len(report.weeks) == 12 and report.weeks[-1].weekday() == 0


def test_signs_not_inspected_for_a_year_are_due(yongqing_plan, settings):
    signs = list(Sign.objects.filter(sign_type=SignType.VILLAGE).order_by("pk")[:2])
    _install(signs[0], days_ago=400)
    _install(signs[1], days_ago=30)
    assert list(Sign.objects.due_for_inspection()) == [signs[0]]
    settings.CIVATLAS_SIGN_INSPECTION_DAYS = 20
    assert set(Sign.objects.due_for_inspection()) == set(signs)
    report = progress(Division.objects.get(code=YONGQING))
    assert report.due_count == 2


def test_the_dashboard_page_and_csv(client, zoning_officer, village_sign):
    _install(village_sign, days_ago=400, team="永清镇外业一组")
    client.force_login(zoning_officer)
    page = client.get("/signs/", {"division": YONGQING})
    text = page.content.decode()
    assert page.status_code == 200 and "永清镇外业一组" not in text  # older than 12 weeks
    assert "东关村民委员会" in text  # the reminder list
    answer = client.get("/signs/export.csv", {"division": YONGQING})
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["编号", "标志类型", "标准名称"]
    assert len(rows) == 27
    row = next(r for r in rows if r[0] == str(village_sign.pk))
    assert row[8] == "已设置" and row[15] == "是"


def test_the_sign_page_shows_its_records(client, field_worker, village_sign):
    _install(village_sign, days_ago=1, team="永清镇外业一组")
    client.force_login(field_worker)
    page = client.get(f"/signs/{village_sign.pk}/")
    assert page.status_code == 200 and "永清镇外业一组" in page.content.decode()


def test_the_demo_plans_every_township_of_qingshui_and_installs_part(gazetteer, media):
    first = load_demo_signs()
    qingshui = Division.objects.current().within("620521000000")
    assert first.planned == qingshui.at_level("township").count() + qingshui.at_level("village").count()
    assert first.refused == 0
    assert Sign.objects.filter(sign_type=SignType.SEAT).exclude(status=SignStatus.PLANNED).count() == 19
    installed = SignInstallation.objects.count()
    assert 0.4 * first.planned < installed < 0.7 * first.planned
    assert set(SignInstallation.objects.values_list("source", flat=True)) == {"synthetic"}
    assert Sign.objects.due_for_inspection().exists()
    assert Sign.objects.filter(status=SignStatus.INSPECTED).exists()
    again = load_demo_signs()
    assert (again.planned, again.installations, again.inspections) == (0, 0, 0)
    assert SignInstallation.objects.count() == installed
