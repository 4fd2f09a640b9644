"""manage.py inspection_schedule --within CODE: each line's next joint-inspection due date."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from boundaries.inspections.models import InspectionStatus
from boundaries.inspections.schedule import RULE, build_schedule, cycle_years, lines_touching
from geoapp.jurisdiction import normalise_code


class Command(BaseCommand):
    help = "列出辖区内各界线的下次联检到期日（逾期、本年度到期、周期内已检）及周期内完成比例。"

    def add_arguments(self, parser):
        parser.add_argument("--within", required=True, help="区划代码（如 620521）")
        parser.add_argument("--level", choices=["county", "township"], help="只列出某一级界线")
        parser.add_argument("--on", help="按某日计算（YYYY-MM-DD，默认今天）")
        parser.add_argument("--only", choices=["overdue", "due"], help="只列出逾期（含从未联检）或本年度到期")

    def handle(self, *args, **opts):
        try:
            code = normalise_code(opts["within"])
            today = dt.date.fromisoformat(opts["on"]) if opts["on"] else None
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        lines = lines_touching(code)
        if opts["level"]:
            lines = lines.filter(level=opts["level"])
        schedule = build_schedule(lines, today=today)
        rows = schedule.rows
        if opts["only"] == "overdue":
            rows = schedule.overdue
        elif opts["only"] == "due":
            rows = schedule.due_this_year
        self.stdout.write(f"联检周期 {cycle_years()} 年（{RULE}），计算日期 {schedule.today}")
        for row in rows:
            last = row.last_inspected.isoformat() if row.last_inspected else "—"
            due = row.due.isoformat() if row.due else "现在"
            extra = f"  进行中：{InspectionStatus(row.open_inspection).label}" if row.open_inspection else ""
            self.stdout.write(
                f"{row.line.pk:>6}  {row.line.get_level_display():<4} {str(row.line):<24} {row.line.length_km:8.1f} km  "
                f"上次 {last:<10}  到期 {due:<10}  {row.status_label}{extra}"
            )
        counts = schedule.counts()
        self.stdout.write(
            f"共 {len(schedule.rows)} 条：逾期 {counts['overdue']}，从未联检 {counts['never']}，本年度到期 "
            f"{counts['due_this_year']}，周期内 {counts['current']}；周期内已检 {schedule.share_within_cycle:.0%}"
            f"（按长度 {schedule.share_within_cycle_by_length:.0%}）"
        )
