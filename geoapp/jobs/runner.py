"""Run a job exactly once to completion, whoever delivers it and however often.

``execute_job`` is what the Celery task and the inline command both call:

1. take the job's advisory lock (``pg_try_advisory_lock``), held by this database
   session for the whole run; a second delivery while a live worker runs it gets
   ``JobBusy`` (the task retries later); a killed worker's lock dies with its connection;
2. skip a finished job (a late duplicate delivery);
3. mark it running (attempts + 1), run the function, and finish it in a transaction that
   re-reads the row under ``SELECT … FOR UPDATE``.
"""

from __future__ import annotations

import os
import socket
import traceback

from django.db import connection, transaction
from django.utils import timezone

from geoapp.jobs.models import Job, JobStatus
from geoapp.jobs.registry import JOBS

LOCK_SPACE = 0x15_0B  # first key of the two-key advisory lock: "jobs"


class JobBusy(RuntimeError):
    """Another live worker holds the job."""


def _lock(job_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_SPACE, job_id])
        return cursor.fetchone()[0]


def _unlock(job_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_SPACE, job_id])


def _report(job_id: int):
    def report(fraction: float, message: str = "") -> None:
        Job.objects.filter(pk=job_id).update(progress=max(0.0, min(1.0, fraction)), message=str(message)[:300])

    return report


def execute_job(job_id: int) -> str:
    """Run job ``job_id``; returns its status afterwards."""
    if not _lock(job_id):
        raise JobBusy(job_id)
    try:
        with transaction.atomic():
            job = Job.objects.select_for_update().get(pk=job_id)
            if job.is_finished:
                return job.status
            job.status, job.attempts = JobStatus.RUNNING, job.attempts + 1
            job.started_at, job.worker = timezone.now(), f"{socket.gethostname()}:{os.getpid()}"
            job.progress, job.error = 0.0, ""
            job.save(update_fields=["status", "attempts", "started_at", "worker", "progress", "error"])
        function, _ = JOBS[job.kind]
        try:
            result, status, error = function(job, _report(job_id), **job.params), JobStatus.DONE, ""
        except Exception:  # noqa: BLE001 — a failed job records why, and stays failed
            result, status, error = None, JobStatus.FAILED, traceback.format_exc(limit=8)
        with transaction.atomic():
            job = Job.objects.select_for_update().get(pk=job_id)
            if job.is_finished:
                return job.status
            job.status, job.result, job.error, job.finished_at = status, result, error, timezone.now()
            if status == JobStatus.DONE:
                job.progress = 1.0
            job.save(update_fields=["status", "result", "error", "finished_at", "progress"])
        return status
    finally:
        _unlock(job_id)
