"""A long job (后台任务): what to run, its progress and its result, one row per job.

The row is the truth; the queue message only says "run job N". That makes a job
idempotent under redelivery: a worker runs it only while holding the job's PostgreSQL
advisory lock (released by the server when a killed worker's connection drops) and
only while the row is not finished, and it finishes the row in the same transaction
that re-checks it. So a job survives a killed worker (the message is delivered again
and the job runs again from the start; job functions are idempotent) and never runs
twice to completion (docs/adr/0025).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from geoapp.jurisdiction import JurisdictionQuerySet


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("运行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


FINISHED = (JobStatus.DONE, JobStatus.FAILED)


class JobQuerySet(JurisdictionQuerySet):
    jurisdiction_field = "division_code"

    def visible_to(self, user):
        """Jobs a user may follow: all for superusers, else those they started."""
        if not user.is_authenticated:
            return self.none()
        return self if user.is_superuser else self.filter(created_by=user)


class Job(models.Model):
    kind = models.CharField(_("任务类型"), max_length=40)
    params = models.JSONField(_("参数"), default=dict)
    division_code = models.CharField(_("涉及区划"), max_length=12, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.FloatField(_("进度"), default=0.0)  # 0 … 1
    message = models.CharField(_("进度说明"), max_length=300, blank=True)
    result = models.JSONField(_("结果"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)
    attempts = models.PositiveIntegerField(_("运行次数"), default=0)
    worker = models.CharField(_("工作进程"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]
        # Starting a job from the web (POST /api/jobs/); following one's own jobs needs no permission.
        permissions = [("start_job", "可从网页发起后台任务")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    def as_dict(self) -> dict:
        return {
            "id": self.pk, "kind": self.kind, "status": self.status, "status_label": str(self.get_status_display()),
            "progress": round(self.progress, 4), "message": self.message, "result": self.result, "error": self.error,
            "attempts": self.attempts,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }
