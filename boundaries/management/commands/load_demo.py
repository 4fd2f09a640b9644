"""manage.py load_demo: demo divisions, roles and demo users (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from boundaries.demo import build_demo_lines, load_demo_divisions
from geoapp.demo_users import DEMO_PASSWORD, ensure_demo_users


class Command(BaseCommand):
    help = "加载演示数据（天水市、中卫市、泰安市）与演示用户；可重复运行。"

    def handle(self, *args, **opts):
        changed = set()
        for report in load_demo_divisions():
            self.stdout.write(report.summary())
            if not report.ok:
                raise CommandError("演示数据加载失败：未写入该层数据。")
            changed |= set(report.created) | set(report.updated)
        for line in build_demo_lines(changed):
            self.stdout.write(f"界线：{line}")
        users = ensure_demo_users()
        self.stdout.write(f"演示用户（密码均为 {DEMO_PASSWORD}）：")
        for user in users:
            self.stdout.write(f"  {user.username:<18} {user.role.label:<10} 辖区 {user.jurisdiction_code}")
