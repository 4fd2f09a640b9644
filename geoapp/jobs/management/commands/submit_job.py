"""``manage.py submit_job <kind> [--param k=v …] [--inline]``: queue a long job, or run it here.

Without ``--inline`` the job goes to the Celery workers and the command prints the job's
page; with ``--inline`` it runs in this process (no worker or Redis needed).
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from geoapp.jobs.actions import UnknownJob, submit_job
from geoapp.jobs.registry import JOBS


def _value(raw: str):
    try:
        return json.loads(raw)
    except ValueError:
        return raw


class Command(BaseCommand):
    help = "提交后台任务（或用 --inline 在本进程中运行）"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(JOBS))
        parser.add_argument("--param", action="append", default=[], help="参数 k=v（v 可为 JSON）")
        parser.add_argument("--inline", action="store_true", help="在本进程中运行，不经队列")

    def handle(self, kind, param, inline, **options):
        params = {}
        for item in param:
            key, sep, raw = item.partition("=")
            if not sep:
                raise CommandError(f"参数应为 k=v：{item}")
            params[key] = _value(raw)
        try:
            job = submit_job(kind=kind, params=params, inline=inline)
        except UnknownJob as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"任务 #{job.pk} {job.get_status_display()} {reverse('job-page', args=[job.pk])}")
        if inline and job.status == "failed":
            raise CommandError(job.error)
