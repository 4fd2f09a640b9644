"""Job pages and JSON: a user follows only their own jobs; only administrators start jobs."""

from __future__ import annotations

import json

from geoapp.actions import set_up_user
from geoapp.jobs.actions import submit_job
from geoapp.roles import Role


def test_the_job_page_and_json_show_progress_to_its_owner_only(client, zoning_officer, outsider):
    job = submit_job(kind="wait", params={"seconds": 0, "steps": 1}, user=zoning_officer, inline=True)
    client.force_login(zoning_officer)
    page = client.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200 and "队列自检" in page.content.decode()
    data = client.get(f"/api/jobs/{job.pk}").json()
    assert (data["status"], data["progress"], data["attempts"]) == ("done", 1.0, 1)
    assert str(job.pk) in client.get("/jobs/").content.decode()
    client.force_login(outsider)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/api/jobs/{job.pk}").status_code == 404
    client.logout()
    assert client.get(f"/api/jobs/{job.pk}").status_code == 401


def test_only_administrators_may_start_a_job_from_the_web(client, zoning_officer, settings):
    settings.CIVATLAS_JOB_QUEUE = "civatlas-test-never-consumed"
    client.force_login(zoning_officer)
    body = json.dumps({"kind": "wait", "params": {"seconds": 0}})
    assert client.post("/api/jobs/", body, content_type="application/json").status_code == 403
    admin = set_up_user(username="admin_ts", role=Role.ADMIN, jurisdiction="620500000000", password="persona-pass-1")
    client.force_login(admin)
    refused = client.post("/api/jobs/", json.dumps({"kind": "rm -rf"}), content_type="application/json")
    assert refused.status_code == 400 and "未知的任务类型" in refused.json()["error"]
    accepted = client.post("/api/jobs/", body, content_type="application/json")
    assert accepted.status_code == 202 and accepted.json()["status"] == "queued"
