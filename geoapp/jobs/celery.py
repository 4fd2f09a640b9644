"""The Celery application: Redis as broker, one task that runs a ``Job`` row (ADR 0025).

Delivery settings that make a job survive a killed worker: the message is acknowledged
only after the task returns (``acks_late``); a pool process killed mid-task makes the
main worker reject it back to the queue (``reject_on_worker_lost``); a whole worker
killed leaves the message unacknowledged in Redis, which hands it to another worker
after ``visibility_timeout``. ``jobs.runner`` makes the repeated delivery harmless.

Start workers with ``celery -A geoapp.jobs worker`` (``make serve`` does).
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoapp.settings")

app = Celery("civatlas")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="geoapp.jobs.run_job", bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def run_job(self, job_id: int):
    from geoapp.jobs.runner import JobBusy, execute_job

    try:
        return execute_job(job_id)
    except JobBusy as exc:
        raise self.retry(countdown=30) from exc
