"""Import facilities from a CSV file (all rows or none; ``--dry-run`` only checks)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from facilities.importer import MAX_ROWS, import_facilities


class Command(BaseCommand):
    help = "从 CSV 文件导入民政设施（全部通过检查才导入；--dry-run 只检查不保存）"

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV 文件（列名与导出文件相同）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不保存")
        parser.add_argument("--user", help="以该用户的辖区检查并记录为变更人（默认不限辖区）")

    def handle(self, *args, path, dry_run=False, user=None, **options):
        acting = None
        if user:
            acting = get_user_model().objects.filter(username=user).first()
            if acting is None:
                raise CommandError(f"没有用户 {user}")
        # The command line may import more than one web upload (no request to hold open).
        report = import_facilities(path, user=acting, dry_run=dry_run, max_rows=MAX_ROWS, max_bytes=MAX_ROWS * 2048)
        if report.error:
            self.stderr.write(report.error)
        for error in report.errors:
            self.stderr.write(f"第 {error.line} 行：{error.message}")
        if not report.ok:
            raise CommandError(report.headline())
        self.stdout.write(report.headline())
