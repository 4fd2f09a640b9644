"""Hostile input to the facility registry: the row limit is checked before any row is
validated, exports neutralise formulas, the admin edits nothing."""

from __future__ import annotations

import csv
import io
import time

from django.urls import reverse

from boundaries.models import Division
from facilities.importer import import_facilities
from facilities.models import Facility
from tests.facilities.test_registry import new_station_row, to_csv


def test_a_file_over_the_row_limit_is_refused_before_validating_a_row(demo_facilities, planner, settings):
    settings.CIVATLAS_MAX_IMPORT_ROWS = 200
    rows = [new_station_row(name=f"站{i}") for i in range(201)]
    count = Facility.objects.count()
    started = time.perf_counter()
    report = import_facilities(to_csv(rows), user=planner)
    elapsed = time.perf_counter() - started
    assert not report.ok and "一次最多导入 200 行" in report.error and report.rows == 0
    assert elapsed < 1.0  # 201 rows were counted, none validated (~6 ms each)
    assert Facility.objects.count() == count


def test_a_file_over_the_byte_limit_is_refused_unread(demo_facilities, planner, settings):
    settings.CIVATLAS_MAX_IMPORT_BYTES = 1000
    report = import_facilities(to_csv([new_station_row(address="x" * 2000)]), user=planner)
    assert not report.ok and "请分批导入" in report.error


def test_the_facility_export_neutralises_a_formula(client, demo_facilities, planner):
    facility = Facility.objects.within("620521").first()
    Facility.objects.filter(pk=facility.pk).update(name="=HYPERLINK(\"http://x.example\")", operator="@SUM(1)")
    client.force_login(planner)
    text = client.get(reverse("facility-export"), {"kind": facility.kind}).content.decode("utf-8").lstrip("\ufeff")
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["id"] == str(facility.pk))
    assert row["name"].startswith("'=") and row["operator"] == "'@SUM(1)"
    assert float(row["lon"]) > 0


def test_a_facility_cannot_be_moved_to_another_jurisdiction_in_the_admin(client, demo_facilities, administrator):
    facility = Facility.objects.within("620521").first()
    zhongwei = Division.objects.current().get(code="640502000000")
    client.force_login(administrator)
    response = client.post(f"/admin/facilities/facility/{facility.pk}/change/", {"division": zhongwei.pk,
                                                                                  "name": facility.name})
    assert response.status_code == 403
    assert Facility.objects.get(pk=facility.pk).division_id == facility.division_id
