"""Planning work as jobs on the task queue: site suggestions and a big facility import.

Run inline here (``submit_job(inline=True)`` goes through the same runner a worker
uses); tests/geoapp/jobs covers the queue itself and a killed worker.
"""

from __future__ import annotations

from boundaries.models import Division
from facilities.models import Facility
from facilities.scenarios import plan_sites
from geoapp.jobs.actions import submit_job
from tests.facilities.test_registry import new_station_row, to_csv


def test_site_suggestions_run_as_a_job_and_give_the_plan_the_page_would(demo_facilities):
    params = {"division": "620521000000", "kind": "child_protection_station", "radius_km": 10, "count": 2}
    job = submit_job(kind="suggest_sites", params=params, inline=True)
    plan = plan_sites(division=Division.objects.current().get(code="620521000000"), kind="child_protection_station",
                      radius_km=10, count=2)
    assert job.status == "done", job.error
    assert [s["code"] for s in job.result["sites"]] == [s["code"] for s in plan.sites]
    assert (job.result["covered_before"], job.result["covered_after"]) == (plan.covered_before, plan.covered_after)
    assert job.result["covered_after"] > job.result["covered_before"]


def test_a_big_import_runs_as_a_job_within_the_submitters_jurisdiction(demo_facilities, planner, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(to_csv([new_station_row()]))
    job = submit_job(kind="import_file", params={"what": "facilities", "path": str(good)}, user=planner, inline=True)
    assert job.status == "done", job.error
    assert job.result["saved"] and job.result["counts"]["created"] == 1
    assert Facility.objects.filter(name="永清镇第二未成年人保护工作站").count() == 1

    outside = tmp_path / "outside.csv"
    outside.write_bytes(to_csv([new_station_row(name="辖区外站", division_code="640502000000")]))
    job = submit_job(kind="import_file", params={"what": "facilities", "path": str(outside)}, user=planner, inline=True)
    assert job.status == "failed" and "640502000000" in job.error
    assert not Facility.objects.filter(name="辖区外站").exists()
