"""Job pages: the list of one's jobs, a job's page with live progress, its JSON.

Logged-in users see the jobs they started (superusers: all). Starting a job from the
web is for superusers and administrators (``POST /api/jobs/``); operators start them
with ``manage.py submit_job``.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from geoapp.decorators import api_login_required
from geoapp.jobs.actions import UnknownJob, submit_job
from geoapp.jobs.models import Job
from geoapp.jobs.registry import JOBS
from geoapp.jsonbody import parse_json_request
from geoapp.roles import Role


def may_start_jobs(user) -> bool:
    return user.is_authenticated and user.is_active and (user.is_superuser or user.role == Role.ADMIN)


@login_required
def job_list(request):
    jobs = Job.objects.visible_to(request.user)[:100]
    labels = {kind: label for kind, (_, label) in JOBS.items()}
    return render(request, "jobs/list.html", {"jobs": jobs, "labels": labels})


@login_required
def job_page(request, job_id: int):
    job = get_object_or_404(Job.objects.visible_to(request.user), pk=job_id)
    return render(request, "jobs/detail.html", {"job": job, "label": JOBS.get(job.kind, (None, job.kind))[1]})


@require_GET
@api_login_required
def job_json(request, job_id: int):
    job = get_object_or_404(Job.objects.visible_to(request.user), pk=job_id)
    return JsonResponse(job.as_dict(), json_dumps_params={"ensure_ascii": False})


@require_POST
@api_login_required
def job_submit(request):
    if not may_start_jobs(request.user):
        raise PermissionDenied("仅管理员可以发起后台任务")
    try:
        body = parse_json_request(request)  # an object, application/json, bounded (geoapp.jsonbody)
        job = submit_job(kind=str(body.get("kind", "")), params=dict(body.get("params") or {}), user=request.user)
    except (ValueError, TypeError, UnknownJob) as exc:
        return JsonResponse({"error": str(exc)}, status=400, json_dumps_params={"ensure_ascii": False})
    return JsonResponse(job.as_dict(), status=202, json_dumps_params={"ensure_ascii": False})
