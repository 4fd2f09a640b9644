"""Start a job: create its row and queue it, or run it inline in this process."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from geoapp.jobs.models import Job
from geoapp.jobs.registry import JOBS


class UnknownJob(ValueError):
    pass


def submit_job(*, kind: str, params: dict | None = None, user=None, division_code: str = "", inline: bool = False) -> Job:
    """Record job ``kind`` and hand it to the workers after commit (or run it now, ``inline``)."""
    if kind not in JOBS:
        raise UnknownJob(f"未知的任务类型 {kind}（可用：{'、'.join(JOBS)}）")
    job = Job.objects.create(kind=kind, params=params or {}, created_by=user, division_code=division_code)
    if inline:
        from geoapp.jobs.runner import execute_job

        execute_job(job.pk)
        job.refresh_from_db()
    else:
        from geoapp.jobs.celery import run_job

        queue = settings.CIVATLAS_JOB_QUEUE
        transaction.on_commit(lambda: run_job.apply_async((job.pk,), queue=queue))
    return job
