"""Date and four-eyes rules of the naming workflow, as small pure functions.

The consultation (征求意见) is the public's chance to object, so it must really happen:

* its start is not in the past — a period started "last year" would already be over
  when it is recorded — and not more than ``PLACENAMES_CONSULTATION_MAX_LEAD_DAYS``
  ahead;
* the decision (批准) is dated after the period has ended (on or after its end date,
  never on its first day), and not in the future (a decision is recorded once taken);
* the officer who filed the application does not decide it: a second officer approves,
  as for boundary line edits (four eyes, docs/security.md).

``placenames.actions`` calls these; they return Chinese messages, empty when allowed.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def max_lead_days() -> int:
    return getattr(settings, "PLACENAMES_CONSULTATION_MAX_LEAD_DAYS", 90)


def consultation_start_problems(start: dt.date, *, today: dt.date) -> list[str]:
    problems = []
    if start < today:
        problems.append(f"征求意见开始日期 {start:%Y-%m-%d} 早于今天（{today:%Y-%m-%d}），不能补记已过去的征求意见期")
    elif start > today + dt.timedelta(days=max_lead_days()):
        problems.append(f"征求意见开始日期不能晚于 {max_lead_days()} 天之后")
    return problems


def decision_problems(application, *, decided_by, decision_date: dt.date, today: dt.date) -> list[str]:
    problems = []
    if decision_date > today:
        problems.append(f"批准日期 {decision_date:%Y-%m-%d} 晚于今天，不能预先登记")
    start, end = application.consultation_start, application.consultation_end
    if start is None or end is None:
        problems.append("没有征求意见期，不能批准")
    elif decision_date <= start:
        # Before the end is refused by actions.approval_obstacles ("征求意见期至 …").
        problems.append(f"批准日期 {decision_date:%Y-%m-%d} 不能在征求意见期（{start:%Y-%m-%d} 至 {end:%Y-%m-%d}）的首日或之前")
    if application.created_by_id is not None and decided_by.pk == application.created_by_id:
        problems.append("登记申请的工作人员不能批准同一申请，须由另一名工作人员审批（双人审核）")
    return problems
