"""The joint-inspection PDF report as a job on the task queue (run inline here)."""

from __future__ import annotations

from django.core.files.storage import default_storage

from geoapp.jobs.actions import submit_job


def test_the_report_job_stores_the_pdf_and_a_second_run_replaces_it(fieldwork, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    first = submit_job(kind="inspection_report", params={"inspection": fieldwork.pk}, inline=True)
    assert first.status == "done", first.error
    name = first.result["file"]
    assert name == f"reports/inspection-{fieldwork.pk}.pdf"
    with default_storage.open(name) as stored:
        assert stored.read(5) == b"%PDF-"
    assert default_storage.size(name) == first.result["bytes"] > 1000
    second = submit_job(kind="inspection_report", params={"inspection": fieldwork.pk}, inline=True)
    assert second.status == "done" and second.result["file"] == name
    assert default_storage.listdir("reports")[1] == [f"inspection-{fieldwork.pk}.pdf"]
