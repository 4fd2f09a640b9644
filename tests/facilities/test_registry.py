"""Registry pages and CSV: list with filters, detail with history, validated forms inside
the jurisdiction, export, and all-or-nothing import with a dry run."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from boundaries.models import Division
from facilities.importer import EXPORT_COLUMNS, import_facilities
from facilities.models import ElderlyCareDetails, Facility, Kind, StationDetails
from tests.conftest import PASSWORD

YONGQING = "620521100000"  # 永清镇, 清水县


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def yongqing(db):
    return Division.objects.current().get(code=YONGQING)


def home_data(place, **overrides):
    """POST data of the registry form for a township care home at the township's seat."""
    data = {
        "kind": Kind.CARE_HOME, "name": "永清镇第二敬老院", "division": place.code,
        "location_0": f"{place.seat.x:.6f}", "location_1": f"{place.seat.y:.6f}",
        "status": "operating", "address": "永清镇东街 8 号", "operator": "永清镇人民政府", "opened_on": "2021-05-01",
        "contact": "0938-1234567",
        "elderly-beds": "60", "elderly-nursing_beds": "35", "elderly-residents_self_care": "20",
        "elderly-residents_semi": "10", "elderly-residents_disabled": "12", "elderly-care_staff": "8",
    }
    data.update(overrides)
    return data


# --- pages ----------------------------------------------------------------------------------

def test_the_list_shows_the_jurisdiction_with_filters(client, demo_facilities, planner):
    login(client, planner)
    response = client.get(reverse("facility-list"), {"division": "620521", "kind": Kind.CHILD_PROTECTION_STATION})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == Facility.objects.within("620521").of_kind(Kind.CHILD_PROTECTION_STATION).count()
    assert all(f.division.code.startswith("620521") for f in page)
    outside = client.get(reverse("facility-list"), {"division": "640502"}).context["page"]
    assert outside.paginator.count == 0  # 沙坡头区 is outside 天水市


def test_the_list_needs_a_login(client, demo_facilities):
    assert client.get(reverse("facility-list")).status_code == 302


def test_a_planner_registers_a_care_home_with_its_details(client, demo_facilities, planner, yongqing):
    login(client, planner)
    response = client.post(reverse("facility-create"), home_data(yongqing))
    facility = Facility.objects.get(name="永清镇第二敬老院")
    assert response.status_code == 302 and response["Location"] == reverse("facility-detail", args=[facility.pk])
    assert facility.division == yongqing and facility.source == "official"
    assert facility.elderly_care.beds == 60 and facility.elderly_care.residents == 42
    assert facility.history.get().history_user == planner
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and "永清镇第二敬老院" in detail.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"elderly-nursing_beds": "61"}, "nursing_beds", "护理型床位数（61）不能超过床位数（60）"),
        ({"elderly-residents_self_care": "50"}, "residents_self_care", "入住老人合计（72）不能超过床位数（60）"),
        ({"location_0": "105.2", "location_1": "34.5"}, "location", "位置不在所选区划范围内"),
        ({"division": "640502000000"}, "division", "不在您的辖区内"),
        ({"division": "620599000000"}, "division", "没有代码为 620599000000 的现行行政区划"),
        ({"location_0": "200"}, "location", "经度应在 73 到 136 之间"),
    ],
)
def test_the_form_refuses_invalid_facilities(client, demo_facilities, planner, yongqing, overrides, field, words):
    login(client, planner)
    response = client.post(reverse("facility-create"), home_data(yongqing, **overrides))
    assert response.status_code == 200
    form = response.context["form"] if field in response.context["form"].fields else response.context["detail_forms"]["elderly"]
    assert any(words in e for e in form.errors[field]), form.errors
    assert not Facility.objects.filter(name="永清镇第二敬老院").exists()


def test_only_the_details_of_the_chosen_kind_are_validated(client, demo_facilities, planner, yongqing):
    login(client, planner)
    data = home_data(yongqing, kind=Kind.CHILD_PROTECTION_STATION, name="永清镇第二工作站",
                     **{"elderly-nursing_beds": "999", "station-staff": "3", "station-floor_area_m2": "40"})
    response = client.post(reverse("facility-create"), data)
    assert response.status_code == 302
    station = Facility.objects.get(name="永清镇第二工作站")
    assert station.station.staff == 3 and not ElderlyCareDetails.objects.filter(facility=station).exists()


def test_editing_records_the_change_in_the_history(client, demo_facilities, planner, yongqing):
    login(client, planner)
    client.post(reverse("facility-create"), home_data(yongqing))
    home = Facility.objects.get(name="永清镇第二敬老院")
    assert client.get(reverse("facility-edit", args=[home.pk])).status_code == 200
    response = client.post(reverse("facility-edit", args=[home.pk]), home_data(yongqing, **{"elderly-care_staff": "13"}))
    assert response.status_code == 302
    home.elderly_care.refresh_from_db()
    assert home.elderly_care.care_staff == 13
    assert home.elderly_care.history.first().history_user == planner
    history = client.get(reverse("facility-detail", args=[home.pk])).context["history"]
    changes = [c for entry in history for c in entry["changes"]]
    assert {"field": "护理人员", "old": 8, "new": 13} in changes


def test_changing_the_kind_drops_the_old_details(client, demo_facilities, planner, yongqing):
    login(client, planner)
    client.post(reverse("facility-create"), home_data(yongqing))
    facility = Facility.objects.get(name="永清镇第二敬老院")
    data = home_data(yongqing, kind=Kind.SOCIAL_WORK_STATION, **{"station-staff": "2"})
    assert client.post(reverse("facility-edit", args=[facility.pk]), data).status_code == 302
    facility = Facility.objects.get(pk=facility.pk)
    assert facility.kind == Kind.SOCIAL_WORK_STATION and facility.station.staff == 2
    assert not ElderlyCareDetails.objects.filter(facility=facility).exists()
    assert ElderlyCareDetails.history.filter(facility_id=facility.pk, history_type="-").exists()


def test_registering_needs_the_planner_role_and_the_jurisdiction(client, demo_facilities, zoning_officer, planner):
    login(client, zoning_officer)  # zoning officers view facilities, planners register them
    assert client.get(reverse("facility-create")).status_code == 403
    client.logout()
    outside = Facility.objects.within("640502").first()
    login(client, planner)
    assert client.get(reverse("facility-edit", args=[outside.pk])).status_code == 404
    assert client.get(reverse("facility-detail", args=[outside.pk])).status_code == 404


# --- CSV export and import ------------------------------------------------------------------------

def export(client, **params) -> list[dict]:
    response = client.get(reverse("facility-export"), params)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def to_csv(rows: list[dict], encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def new_station_row(**overrides) -> dict:
    seat = Division.objects.current().get(code=YONGQING).seat
    row = {"kind": "child_protection_station", "name": "永清镇第二未成年人保护工作站", "division_code": YONGQING,
           "lon": f"{seat.x:.6f}", "lat": f"{seat.y:.6f}", "status": "planned", "staff": "2", "floor_area_m2": "36"}
    row.update(overrides)
    return row


def test_the_export_has_one_row_per_facility_of_the_jurisdiction(client, demo_facilities, planner):
    login(client, planner)
    rows = export(client, kind="care_home")
    assert rows and list(rows[0]) == list(EXPORT_COLUMNS)
    assert len(rows) == Facility.objects.within("6205").of_kind("care_home").count()
    assert all(r["division_code"].startswith("6205") and r["kind"] == "care_home" for r in rows)
    home = next(r for r in rows if r["beds"])
    assert int(home["nursing_beds"]) <= int(home["beds"]) and home["county_level"] in {"0", "1"}


def test_a_dry_run_reports_and_saves_nothing(demo_facilities, planner):
    report = import_facilities(to_csv([new_station_row()]), user=planner, dry_run=True)
    assert report.ok and len(report.created) == 1 and not report.saved
    assert not Facility.objects.filter(name="永清镇第二未成年人保护工作站").exists()


def test_an_import_creates_facilities_with_details(demo_facilities, planner):
    report = import_facilities(to_csv([new_station_row()]), user=planner)
    assert report.saved and len(report.created) == 1
    station = Facility.objects.get(name="永清镇第二未成年人保护工作站")
    assert station.source == "imported" and station.status == "planned"
    assert station.station.staff == 2 and station.station.floor_area_m2 == 36
    assert station.history.get().history_user == planner


def test_one_bad_row_and_nothing_is_imported(demo_facilities, planner):
    rows = [
        new_station_row(),
        new_station_row(name="坏行一", lon="105.1", lat="34.2"),  # outside 永清镇
        new_station_row(name="坏行二", kind="care_home", beds="10", nursing_beds="12"),
        new_station_row(name="坏行三", division_code="640502000000"),
    ]
    report = import_facilities(to_csv(rows), user=planner)
    assert not report.ok and not report.saved
    lines = {e.line for e in report.errors}
    assert lines == {3, 4, 5}
    messages = " ".join(e.message for e in report.errors)
    assert "位置不在所选区划范围内" in messages and "不能超过床位数" in messages and "不在您的辖区内" in messages
    assert not Facility.objects.filter(name__in=["永清镇第二未成年人保护工作站", "坏行一"]).exists()
    assert not StationDetails.objects.filter(facility__name="永清镇第二未成年人保护工作站").exists()


def test_rows_with_an_id_update_that_facility(client, demo_facilities, planner):
    login(client, planner)
    rows = export(client, division="620521", kind="child_protection_station")
    rows[0]["staff"] = "9"
    rows[0]["name"] = rows[0]["name"] + "（更名）"
    report = import_facilities(to_csv(rows[:2]), user=planner)
    assert report.saved and (len(report.created), len(report.updated)) == (0, 2)
    facility = Facility.objects.get(pk=rows[0]["id"])
    assert facility.name.endswith("（更名）") and facility.station.staff == 9


def test_an_exported_file_imports_back_unchanged(client, demo_facilities, planner):
    login(client, planner)
    rows = export(client, division="620521")
    before = Facility.objects.within("620521").count()
    report = import_facilities(to_csv(rows), user=planner, dry_run=True)
    assert report.ok, report.errors[:5]
    assert len(report.updated) == len(rows) == before and not report.created


def test_ids_outside_the_jurisdiction_or_repeated_are_refused(demo_facilities, planner):
    outside = Facility.objects.within("640502").first()
    mine = Facility.objects.within("620521").first()
    rows = [new_station_row(id=str(outside.pk)), new_station_row(id=str(mine.pk)), new_station_row(id=str(mine.pk))]
    report = import_facilities(to_csv(rows), user=planner)
    assert [e.line for e in report.errors if "编号" in e.message] == [2, 4]


def test_gb18030_files_from_excel_are_read(demo_facilities, planner):
    report = import_facilities(to_csv([new_station_row()], encoding="gb18030"), user=planner, dry_run=True)
    assert report.ok and len(report.created) == 1


def test_a_file_without_the_required_columns_is_refused(demo_facilities, planner):
    report = import_facilities("名称,经度\n某站,106\n".encode(), user=planner)
    assert not report.ok and "缺少列" in report.error


def test_the_upload_page_checks_then_imports(client, demo_facilities, planner):
    login(client, planner)
    upload = io.BytesIO(to_csv([new_station_row()]))
    upload.name = "stations.csv"
    response = client.post(reverse("facility-import"), {"file": upload, "dry_run": "on"})
    assert response.status_code == 200 and response.context["report"].ok
    assert "检查通过" in response.content.decode()
    assert not Facility.objects.filter(name="永清镇第二未成年人保护工作站").exists()
    upload.seek(0)
    response = client.post(reverse("facility-import"), {"file": upload})
    assert response.status_code == 302
    assert Facility.objects.filter(name="永清镇第二未成年人保护工作站").exists()


def test_the_command_imports_and_fails_loudly(demo_facilities, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(to_csv([new_station_row()]))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(to_csv([new_station_row(lon="105.1", lat="34.2")]))
    with pytest.raises(CommandError):
        call_command("import_facilities", str(bad))
    call_command("import_facilities", str(good), "--dry-run")
    assert not Facility.objects.filter(name="永清镇第二未成年人保护工作站").exists()
    call_command("import_facilities", str(good))
    assert Facility.objects.filter(name="永清镇第二未成年人保护工作站").exists()
