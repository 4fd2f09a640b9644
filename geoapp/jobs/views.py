"""Job pages: the list of one's jobs, a job's page with live progress, its JSON.

Logged-in users see the jobs they started (superusers: all). Starting a job from the
web needs ``jobs.start_job`` (administrators; superusers) (``POST /api/jobs/``);
operators start them with ``manage.py submit_job``.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from geoapp.access import Load, json_error, require
from geoapp.jobs.actions import UnknownJob, submit_job
from geoapp.jobs.models import Job
from geoapp.jobs.registry import JOBS
from geoapp.jsonbody import parse_json_request

# One's own jobs (superusers: every job).
JOB = Load("job", lambda user: Job.objects.visible_to(user), kwarg="job_id")


@require()
def job_list(request):
    jobs = Job.objects.visible_to(request.user)[:100]
    labels = {kind: label for kind, (_, label) in JOBS.items()}
    return render(request, "jobs/list.html", {"jobs": jobs, "labels": labels})


@require(load=JOB)
def job_page(request, job: Job):
    return render(request, "jobs/detail.html", {"job": job, "label": JOBS.get(job.kind, (None, job.kind))[1]})


@require_GET
@require(json=True, load=JOB)
def job_json(request, job: Job):
    return JsonResponse(job.as_dict(), json_dumps_params={"ensure_ascii": False})


@require_POST
@require("jobs.start_job", json=True, message="仅管理员可以发起后台任务")
def job_submit(request):
    try:
        body = parse_json_request(request)  # an object, application/json, bounded (geoapp.jsonbody)
        job = submit_job(kind=str(body.get("kind", "")), params=dict(body.get("params") or {}), user=request.user)
    except (ValueError, TypeError, UnknownJob) as exc:
        return json_error(str(exc))
    return JsonResponse(job.as_dict(), status=202, json_dumps_params={"ensure_ascii": False})
