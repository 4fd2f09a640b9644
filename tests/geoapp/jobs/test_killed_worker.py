"""A job survives a killed worker and never runs twice to completion, with real Celery
worker processes on Redis and the job row in PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from geoapp.jobs.actions import submit_job
from geoapp.jobs.celery import run_job
from geoapp.jobs.models import Job

ROOT = Path(__file__).resolve().parents[3]  # the repository root


def _worker(queue: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": f"postgresql:///{connection.settings_dict['NAME']}",
        "CIVATLAS_JOB_QUEUE": queue,
        "CIVATLAS_JOB_VISIBILITY_TIMEOUT": "3",
    }
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "geoapp.jobs", "worker", "-Q", queue, "-c", "1", "-P", "prefork",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"],
        cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def _wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_is_killed_runs_again_on_another_worker_and_completes_once(settings):
    queue = f"civatlas-test-{uuid.uuid4().hex[:8]}"
    settings.CIVATLAS_JOB_QUEUE = queue
    job = submit_job(kind="wait", params={"seconds": 6, "steps": 12})
    first = _worker(queue)
    second = None
    try:
        _wait_for(lambda: Job.objects.filter(pk=job.pk, status="running", progress__gte=0.25).exists(), 90,
                  "the first worker to be a quarter through")
        running = Job.objects.get(pk=job.pk)
        os.killpg(first.pid, signal.SIGKILL)  # the whole worker: main process and pool process
        first.wait(timeout=10)
        assert running.attempts == 1 and running.finished_at is None

        second = _worker(queue)
        done = _wait_for(lambda: Job.objects.filter(pk=job.pk, status="done").first(), 120,
                         "the second worker to finish the job")
        assert done.attempts == 2
        assert done.result == {"slept_s": 6.0} and done.progress == 1.0
        assert done.worker != running.worker

        # A late duplicate delivery of the same job: taken, and finished without running.
        run_job.apply_async((job.pk,), queue=queue)
        from geoapp.jobs.celery import app

        with app.connection_for_write() as conn:
            _wait_for(lambda: conn.default_channel.client.llen(queue) == 0, 30, "the duplicate to be taken")
        time.sleep(2)
        again = Job.objects.get(pk=job.pk)
        assert (again.attempts, again.finished_at, again.status) == (2, done.finished_at, "done")
    finally:
        _stop(first)
        if second is not None:
            _stop(second)


@pytest.mark.django_db(transaction=True)
def test_a_job_can_run_inline_without_any_worker():
    job = submit_job(kind="wait", params={"seconds": 0.2, "steps": 2}, inline=True)
    assert (job.status, job.attempts, job.result) == ("done", 1, {"slept_s": 0.2})


@pytest.mark.django_db(transaction=True)
def test_a_failing_job_is_recorded_as_failed_with_its_error():
    job = submit_job(kind="build_boundary_lines", params={"parent": "999999000000", "level": "county"}, inline=True)
    assert job.status == "failed" and "DoesNotExist" in job.error
